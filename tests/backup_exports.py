"""The content of a closed round's Word and Excel exports and of a school's action plan in Excel, as plain data.

For tests/test_backup.py: the same function runs in the test (on the original database) and, as
`python -m tests.backup_exports ROUND_ID SCHOOL_ID TODAY` with another DATABASE_URL, on a restored copy; it prints
JSON. Text and cell values only: the files themselves differ in their zip timestamps and document properties.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import sys


def docx_content(data: bytes) -> list[str]:
    from docx import Document

    doc = Document(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        lines += [" | ".join(cell.text for cell in row.cells) for row in table.rows]
    for section in doc.sections:
        lines += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return lines


def xlsx_content(data: bytes) -> dict[str, list[list[str | None]]]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    return {
        ws.title: [[None if c.value is None else str(c.value) for c in row] for row in ws.iter_rows()]
        for ws in wb.worksheets
    }


def export_contents(round_id: int, school_id: int, today: datetime.date) -> dict:
    """What the app makes for the round's Word/Excel downloads (as a member who sees the distribution) and the
    plan's Excel download: the generating functions the views call, without the views."""
    from actionplans.exports import plan_xlsx
    from actionplans.overview import plan_overview
    from assessments.exports import round_docx, round_xlsx
    from assessments.models import Round
    from assessments.summary import summarise
    from organisations.models import School

    round_ = Round.objects.get(pk=round_id)
    summary = summarise(round_, include_individual=True)
    school = School.objects.get(pk=school_id)
    return {
        "round.docx": docx_content(round_docx(round_, summary)),
        "round.xlsx": xlsx_content(round_xlsx(round_, summary, include_distribution=summary.show_distribution)),
        "plan.xlsx": xlsx_content(plan_xlsx(school, plan_overview(school, today=today))),
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "groeiwijzer.settings")
    import django

    django.setup()
    round_id, school_id, today = sys.argv[1:4]
    print(json.dumps(export_contents(int(round_id), int(school_id), datetime.date.fromisoformat(today))))
