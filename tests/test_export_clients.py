"""Exports that real office, PDF and browser clients accept (issue 14, part 6).

- Every .xlsx of the app has a print set-up (landscape A4, fit to one page wide, the header row repeated on
  every page), frozen header panes, and wrapped multi-line cells with rows as high as their lines.
- Every .docx table has fixed column widths on every cell, wide enough for the longest word of each header.
- Every PDF's tagged structure tree is right (tables, captions, headers with scope, figures outside headings).
- The main pages parse as HTML without errors and without an id used twice.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actionplans import services as plan_services
from actionplans.models import ActionStatus
from assessments.models import ConsensusItem
from outcomes import services as outcome_services
from tests.factories import make_action
from tests.outcomes.fixtures import add_team, submit_all
from tests.trajectory_fixtures import start_route

pytestmark = pytest.mark.django_db


@pytest.fixture
def full(cast, plan):
    """De Regenboog with a closed round with agreements, an action plan with a multi-line action and an overdue
    one, a route, and two closed Opbrengsten questionnaires."""
    round_ = cast.closed_round
    for i, code in enumerate(round_.model.accent_codes):
        ConsensusItem.objects.update_or_create(
            round=round_,
            accent_code=code,
            defaults={
                "phase": 1 + i % 4,
                "strengths": f"Gedeeld sterk punt bij {code}",
                "next_steps": f"Volgende stap voor {code}\nen nog een regel" if i < 5 else "",
                "priority": i + 1 if i < 5 else None,
            },
        )
    k = cast.kartrekker
    make_action(
        cast.school,
        k,
        "Ouderavond plannen",
        layer_code="3A",
        owner=cast.werkgroeplid,
        due_date=datetime.date.today() - datetime.timedelta(days=3),
        status=ActionStatus.IN_PROGRESS,
        steps=["Datum kiezen", "Uitnodiging schrijven", "Zaal reserveren", "Koffie regelen"],
    )
    plan_services.do_set_step_done(step=plan.step, done=True, acting_user=k)
    start_route(cast.school, k)
    for kind, year, value in [("nulmeting", "2025-2026", "2"), ("jaarlijks", "2026-2027", "4")]:
        survey = outcome_services.do_open_survey(school=cast.school, kind=kind, school_year=year, acting_user=k)
        submit_all(survey, add_team(cast.school, 5, prefix=f"{kind}-"), value=value)
        outcome_services.do_close_survey(survey=survey, acting_user=k)
    return cast


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content


# Spreadsheets -----------------------------------------------------------------------------------------------------


def workbooks(cast, client) -> dict:
    s, r = cast.school.pk, cast.closed_round.pk
    urls = {
        "ronde": reverse("assessments:result_xlsx", args=[s, r]),
        "actieplan": reverse("actionplans:plan_xlsx", args=[s]),
        "opbrengsten": reverse("outcomes:results_xlsx", args=[s]),
    }
    return {name: load_workbook(io.BytesIO(get(client, url))) for name, url in urls.items()}


def test_every_workbook_prints_landscape_one_page_wide_with_its_header_row_on_every_page(full, login):
    client = login(full.kartrekker)
    books = workbooks(full, client)
    for name, wb in books.items():
        for ws in wb.worksheets:
            where = f"{name}/{ws.title}"
            assert ws.page_setup.orientation == "landscape", where
            assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4), where
            assert ws.sheet_properties.pageSetUpPr.fitToPage, where
            assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0, where
            if ws.title in ("Over dit overzicht",):  # facts, no header row
                assert ws.freeze_panes is None and not ws.print_title_rows, where
                continue
            assert ws.freeze_panes == "A2", where
            assert ws.print_title_rows.replace("$", "") == "1:1", where
    assert {ws.title for ws in books["actieplan"].worksheets} >= {"Actiepunten", "Doelen", "Bijeenkomsten"}
    assert {ws.title for ws in books["ronde"].worksheets} >= {"Consensus", "Verdeling", "Over dit overzicht"}
    assert {ws.title for ws in books["opbrengsten"].worksheets} >= {"Opbrengsten", "Kenniselementen", "Metingen"}


def test_multi_line_cells_wrap_in_rows_as_high_as_their_lines(full, login):
    books = workbooks(full, login(full.kartrekker))
    multi_line = 0
    for name, wb in books.items():
        for ws in wb.worksheets:
            for row in ws.iter_rows(min_row=2):
                for cell in row:
                    if isinstance(cell.value, str) and "\n" in cell.value:
                        multi_line += 1
                        where = f"{name}/{ws.title}!{cell.coordinate}"
                        assert cell.alignment.wrap_text, where
                        assert cell.alignment.vertical == "top", where
                        height = ws.row_dimensions[cell.row].height
                        assert height and height >= 15 * len(cell.value.splitlines()), where
    stappen = books["actieplan"]["Actiepunten"]
    column = [c.value for c in stappen[1]].index("Stappen") + 1
    cells = [stappen.cell(row=r, column=column) for r in range(2, stappen.max_row + 1)]
    four = next(c for c in cells if c.value and c.value.count("\n") == 3)  # the four steps of "Ouderavond plannen"
    assert four.alignment.wrap_text and stappen.row_dimensions[four.row].height >= 60
    assert multi_line >= 6  # the plan's steps and the round's two-line next steps
