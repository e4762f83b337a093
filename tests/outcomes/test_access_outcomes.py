"""Access matrix for Opbrengsten (the yearly team questionnaire); the rules are in organisations/access.py.

Kartrekkers and schoolleiding open and close questionnaires and keep the own questions; every member fills in an
open one; members and board viewers read the results (aggregates only) and their exports; the board page is for the
board's members; another school 404, too low a role 403.
"""

from __future__ import annotations

import pytest

from tests.outcomes.fixtures import answers_for, outcomes_fixture, outcomes_rows  # noqa: F401  (fixture)
from tests.test_access import LOGIN, Case, check_case

MEMBERS_200 = (200, 200, 200, 200, 200, 403, 404, LOGIN)
MEMBERS_302 = (302, 302, 302, 302, 302, 403, 404, LOGIN)
ORGANISERS_200 = (200, 200, 403, 403, 403, 403, 404, LOGIN)
ORGANISERS_302 = (302, 302, 403, 403, 403, 403, 404, LOGIN)
READERS_200 = (200, 200, 200, 200, 200, 200, 404, LOGIN)
FIX = ("outcomes",)


def school(c):
    return {"school_id": c.school.pk}


def in_survey(attr):
    return lambda c: {"school_id": c.school.pk, "survey_id": getattr(c.outcomes, attr).pk}


def item(c):
    return {"school_id": c.school.pk, "item_id": c.outcomes.item.pk}


def foreign(c):
    return {"survey_id": c.outcomes.other_survey.pk, "item_id": c.outcomes.other_item.pk}


def row(id, name, kwargs, expect, **extra):
    return Case(id, f"outcomes:{name}", kwargs, expect, fixtures=FIX, foreign=foreign, **extra)


CASES = [
    row("outcomes-overview", "overview", school, MEMBERS_200),
    row(
        "outcomes-survey-new",
        "survey_new",
        school,
        ORGANISERS_302,
        method="post",
        data=lambda c: {"kind": "jaarlijks", "school_year": "2027-2028", "min_respondents": "6"},
        state=outcomes_rows,
    ),
    row("outcomes-fill", "fill", in_survey("open"), MEMBERS_200),
    row(
        "outcomes-fill-post",
        "fill",
        in_survey("open"),
        MEMBERS_302,
        method="post",
        data=lambda c: answers_for(c.outcomes.open),
        state=outcomes_rows,
    ),
    row("outcomes-close", "close", in_survey("open"), ORGANISERS_302, method="post", state=outcomes_rows),
    row("outcomes-results", "results", school, READERS_200),
    row("outcomes-results-xlsx", "results_xlsx", school, READERS_200),
    row("outcomes-results-pdf", "results_pdf", school, READERS_200),
    row("outcomes-items", "items", school, ORGANISERS_200),
    row(
        "outcomes-items-post",
        "items",
        school,
        ORGANISERS_302,
        method="post",
        data=lambda c: {"text": "Ik kan mijn verhaal kwijt.", "group": "welzijn"},
        state=outcomes_rows,
    ),
    row("outcomes-item-retire", "item_retire", item, ORGANISERS_302, method="post", state=outcomes_rows),
    row(
        "outcomes-board",
        "board",
        lambda c: {"board_id": c.board.pk},
        (404, 404, 404, 404, 404, 200, 404, LOGIN),
    ),
]

POST_ONLY = {"outcomes:survey_new", "outcomes:close", "outcomes:item_retire"}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access(case, cast, request):
    check_case(case, cast, request, POST_ONLY)
