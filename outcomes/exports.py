"""The results as an Excel workbook: the same aggregates as the page (core/spreadsheet.py writes every text)."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.spreadsheet import append_row, finish_table, write_header

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def results_xlsx(ctx: dict) -> bytes:
    """Sheet 'Opbrengsten': per aspect the mean per survey and the change from the baseline; sheet
    'Kenniselementen': % ken ik and % pas ik toe; sheet 'Metingen': how many took part. Surveys below their
    minimum show no figures, as on the page."""
    columns, groups = ctx["columns"], ctx["groups"]
    wb = Workbook()
    ws = wb.active
    ws.title = _("Opbrengsten")
    titles = [c["survey"].title for c in columns]
    write_header(
        ws,
        [_("Onderdeel"), _("Aspect"), *titles, *[_("Verandering %(t)s") % {"t": t} for t in titles]],
    )
    for group in groups:
        if group["kind"] != "scale":
            continue
        for aspect in group["aspects"]:
            append_row(
                ws,
                [
                    group["heading"],
                    aspect["name"],
                    *[cell["mean"] for cell in aspect["cells"]],
                    *[cell.get("change") for cell in aspect["cells"]],
                ],
            )
    finish_table(ws)
    knowledge = wb.create_sheet(_("Kenniselementen"))
    write_header(
        knowledge,
        [
            _("Kenniselement"),
            *[f"{t}: % {_('ken ik')}" for t in titles],
            *[f"{t}: % {_('pas ik toe')}" for t in titles],
        ],
    )
    for group in groups:
        if group["kind"] != "knowledge":
            continue
        for aspect in group["aspects"]:
            append_row(
                knowledge,
                [aspect["name"], *[c["knows"] for c in aspect["cells"]], *[c["applies"] for c in aspect["cells"]]],
            )
    finish_table(knowledge)
    surveys = wb.create_sheet(_("Metingen"))
    write_header(surveys, [_("Meting"), _("Schooljaar"), _("Deelnemers"), _("Minimum"), _("Resultaten getoond")])
    for c in columns:
        s = c["survey"]
        shown = _("ja") if c["shown"] else _("nee")
        append_row(surveys, [s.title, s.school_year, c["taken_part"], s.min_respondents, shown])
    finish_table(surveys)
    append_row(surveys, [])
    append_row(surveys, [str(ctx["content"].honesty)])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
