"""Access matrix for the leadership checklist (Bijlage 6); the rules are in organisations/access.py.

Only the schoolleiding (the MT) fills in the checklist, manages the school's own items and writes the
conversation record; kartrekkers may read the overview and the conversation record; everyone else and
board members get a 403, another school a 404.
"""

from __future__ import annotations

import pytest

from tests.leadership_fixtures import leadership_fixture, leadership_rows  # noqa: F401  (fixture)
from tests.test_access import LOGIN, Case, check_case

SL_200 = (200, 403, 403, 403, 403, 403, 404, LOGIN)
SL_302 = (302, 403, 403, 403, 403, 403, 404, LOGIN)
SL_HTMX = (200, 403, 403, 403, 403, 403, 404, 401)
SL_KT_200 = (200, 200, 403, 403, 403, 403, 404, LOGIN)
FIX = ("leadership",)


def school(c):
    return {"school_id": c.school.pk}


def in_round(**extra):
    return lambda c: {"school_id": c.school.pk, "checklist_id": c.leadership.round.pk, **extra}


def item(attr):
    return lambda c: {"school_id": c.school.pk, "item_id": getattr(c.leadership, attr).pk}


def foreign(c):
    return {"checklist_id": c.leadership.other_round.pk, "item_id": c.leadership.other_item.pk}


def row(id, name, kwargs, expect, **extra):
    return Case(id, f"leadership:{name}", kwargs, expect, fixtures=FIX, foreign=foreign, **extra)


NOTE = {"q1a-text": "Tevreden over: niet wachten tot iemand komt.", "q1a-version": "0"}

CASES = [
    row("leadership-overview", "overview", school, SL_KT_200),
    row(
        "leadership-round-new",
        "round_new",
        school,
        SL_302,
        method="post",
        data=lambda c: {"title": "Schooljaar 2027-2028"},
        state=leadership_rows,
    ),
    row("leadership-fill", "fill", in_round(), SL_200),
    row(
        "leadership-fill-post",
        "fill",
        in_round(),
        SL_302,
        method="post",
        data=lambda c: {"hb2": "5"},
        state=leadership_rows,
    ),
    row(
        "leadership-fill-htmx",
        "fill",
        in_round(),
        SL_HTMX,
        method="post",
        htmx=True,
        data=lambda c: {"hb3": "3"},
        state=leadership_rows,
    ),
    row("leadership-results", "results", in_round(), SL_200),
    row("leadership-conversation", "conversation", in_round(), SL_KT_200),
    row(
        "leadership-note",
        "note",
        in_round(question="1a"),
        SL_302,
        method="post",
        data=lambda c: NOTE,
        state=leadership_rows,
    ),
    row(
        "leadership-note-htmx",
        "note",
        in_round(question="1a"),
        SL_HTMX,
        method="post",
        htmx=True,
        data=lambda c: NOTE,
        state=leadership_rows,
    ),
    row("leadership-items", "items", school, SL_200),
    row(
        "leadership-items-post",
        "items",
        school,
        SL_302,
        method="post",
        data=lambda c: {"text": "Ik vraag door na een incident."},
        state=leadership_rows,
    ),
    row("leadership-item-edit", "item_edit", item("item"), SL_200),
    row(
        "leadership-item-edit-post",
        "item_edit",
        item("item"),
        SL_302,
        method="post",
        data=lambda c: {"text": "Ik vier successen met het hele team.", "version": "1"},
        state=leadership_rows,
    ),
    row("leadership-item-retire", "item_retire", item("item"), SL_302, method="post", state=leadership_rows),
    row("leadership-item-restore", "item_restore", item("retired_item"), SL_302, method="post", state=leadership_rows),
]

POST_ONLY = {"leadership:round_new", "leadership:note", "leadership:item_retire", "leadership:item_restore"}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access(case, cast, request):
    check_case(case, cast, request, POST_ONLY)
