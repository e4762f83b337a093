"""Lists, filters and polling (issue 16): page-number pagination with a bounded page size, filters by school and
school year, 400 for an unknown query parameter, 422 for an absurd page size or a malformed school year (each with a
message), ETag and If-None-Match (304) so a tool polls cheaply; and what the answers hold (and do not)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import ConsensusItem, Round
from tests.factories import make_action, make_goal

from .helpers import call, tokens  # noqa: F401  (fixture)


def url(name, query="", **kwargs):
    return reverse(f"api:v1:{name}", kwargs=kwargs) + (f"?{query}" if query else "")


@pytest.fixture
def plan(cast, tokens):  # noqa: F811
    for i in range(5):
        make_action(cast.school, cast.kartrekker, title=f"Actie {i}")
    return cast


def test_pages_of_a_list(plan, tokens):  # noqa: F811
    c = plan
    first = call(url("actions", "page_size=2", board_id=c.board.pk), tokens.own).json()
    assert (first["count"], first["page"], first["page_size"], first["pages"]) == (5, 1, 2, 3)
    assert len(first["items"]) == 2
    last = call(url("actions", "page_size=2&page=3", board_id=c.board.pk), tokens.own).json()
    assert len(last["items"]) == 1
    beyond = call(url("actions", "page_size=2&page=4", board_id=c.board.pk), tokens.own).json()
    assert beyond["items"] == [] and beyond["count"] == 5
    ids = [
        a["id"]
        for page in (1, 2, 3)
        for a in call(url("actions", f"page_size=2&page={page}", board_id=c.board.pk), tokens.own).json()["items"]
    ]
    assert len(set(ids)) == 5


@pytest.mark.parametrize(
    "query",
    ["page_size=0", "page_size=101", "page_size=100000000000000000000000", "page=0", "page=-1", "page=abc", "page=²"],
)
def test_absurd_pages_are_a_422_with_a_message(plan, tokens, query):  # noqa: F811
    response = call(url("actions", query, board_id=plan.board.pk), tokens.own)
    assert response.status_code == 422, response.content
    assert response.json()["detail"], response.json()


def test_unknown_query_parameters_are_a_400(plan, tokens):  # noqa: F811
    response = call(url("actions", "schol=1", board_id=plan.board.pk), tokens.own)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Unknown query parameter(s): schol.")
    assert call(url("board", "page=1", board_id=plan.board.pk), tokens.own).status_code == 400


@pytest.mark.parametrize("year", ["2026", "2026-2028", "1999-2000", "20262027", "2026-2027x"])
def test_a_malformed_school_year_is_a_422(cast, tokens, year):  # noqa: F811
    response = call(url("rounds", f"school_year={year}", board_id=cast.board.pk), tokens.own)
    assert response.status_code == 422, response.content
    assert response.json()["detail"]


def test_rounds_by_school_year(cast, tokens):  # noqa: F811
    Round.objects.filter(pk=cast.closed_round.pk).update(meeting_date="2026-10-14")
    rounds = call(url("rounds", board_id=cast.board.pk), tokens.own).json()
    assert [r["id"] for r in rounds["items"]] == [cast.closed_round.pk]  # closed rounds only
    assert rounds["items"][0]["school_year"] == "2026-2027"
    assert call(url("rounds", "school_year=2026-2027", board_id=cast.board.pk), tokens.own).json()["count"] == 1
    assert call(url("rounds", "school_year=2025-2026", board_id=cast.board.pk), tokens.own).json()["count"] == 0
    assert (
        call(url("rounds", f"school={cast.sister_school.pk}", board_id=cast.board.pk), tokens.own).json()["count"] == 0
    )


def test_etag_and_if_none_match(plan, tokens):  # noqa: F811
    target = url("actions", board_id=plan.board.pk)
    first = call(target, tokens.own)
    etag = first["ETag"]
    assert etag.startswith('"') and first["Cache-Control"] == "private, no-cache"
    again = call(target, tokens.own, **{"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert call(target, tokens.own, **{"If-None-Match": f'"other", {etag}'}).status_code == 304
    make_action(plan.school, plan.kartrekker, title="Nog een actie")
    changed = call(target, tokens.own, **{"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_a_round_shows_the_consensus_never_individual_answers(cast, tokens):  # noqa: F811
    code = cast.closed_round.model.accent_codes[0]
    item, _new = ConsensusItem.objects.get_or_create(round=cast.closed_round, accent_code=code, defaults={"phase": 2})
    ConsensusItem.objects.filter(pk=item.pk).update(phase=2, phase_to=3, priority=1, next_steps="Geheim plan")
    body = call(url("round", board_id=cast.board.pk, round_id=cast.closed_round.pk), tokens.own)
    assert body.status_code == 200
    data = body.json()
    agreed = next(a for a in data["consensus"] if a["accent_code"] == item.accent_code)
    assert (agreed["phase"], agreed["phase_to"], agreed["priority"]) == (2, 3, 1)
    text = body.content.decode()
    for private in ("Sterk", "Doel", "Geheim plan", cast.teamlid.name, cast.teamlid.email):
        assert private not in text, private


def test_the_schools_list_is_the_board_page(cast, tokens, route):  # noqa: F811
    make_goal(cast.school, cast.kartrekker)
    data = call(url("schools", board_id=cast.board.pk), tokens.own).json()
    assert [s["name"] for s in data["items"]] == ["De Horizon", "De Regenboog"]
    regenboog = data["items"][1]
    assert regenboog["has_route"] is True and regenboog["phase"]["number"] in (1, 2, 3, 4)
    assert regenboog["goals_short_term"] == 1 and regenboog["closed_rounds"] == 1
    assert regenboog["growth"] is None  # one closed round: nothing to compare
    route_data = call(url("route", board_id=cast.board.pk, school_id=cast.school.pk), tokens.own).json()
    assert route_data["has_route"] is True and route_data["steps"]
    assert route_data["phase"] == regenboog["phase"]  # the board page's phase and the route page's agree
    assert route_data["late_steps"] == regenboog["late_steps"]
    assert cast.teamlid.name not in str(route_data)  # the step's owner is not in the API
    horizon = call(url("route", board_id=cast.board.pk, school_id=cast.sister_school.pk), tokens.own).json()
    assert horizon == {
        "school_id": cast.sister_school.pk,
        "has_route": False,
        "training_start": None,
        "phase": None,
        "late_steps": 0,
        "steps": [],
    }


def test_outcomes_only_where_the_minimum_holds(cast, tokens, outcomes):  # noqa: F811
    data = call(url("outcomes", board_id=cast.board.pk), tokens.own).json()
    [year] = data["years"]
    assert year["school_year"] == "2025-2026"
    [row] = year["schools"]
    assert row["shown"] is True and row["respondents"] == 5 and row["minimum"] == 5
    assert year["total_respondents"] == 5
    assert call(url("outcomes", "school_year=2026-2027", board_id=cast.board.pk), tokens.own).json()["years"] == []
