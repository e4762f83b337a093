"""Lists, filters and polling (issue 16): page-number pagination with a bounded page size, filters by school and
school year, 400 for an unknown query parameter, 422 for an absurd page size or a malformed school year (each with a
message), ETag and If-None-Match (304) so a tool polls cheaply; and what the answers hold (and do not)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplans.models import Action, Goal
from assessments.models import ConsensusItem, Round
from core.dates import school_year_of
from tests.factories import make_action, make_goal
from training import services as training_services

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


YEAR_LISTS = ("rounds", "goals", "actions", "training", "outcomes")


@pytest.mark.parametrize("name", YEAR_LISTS)
@pytest.mark.parametrize("year", ["2026", "2026-2028", "1999-2000", "20262027", "2026-2027x", "２０２６-２０２７", ""])
def test_a_malformed_school_year_is_a_422(cast, tokens, name, year):  # noqa: F811
    response = call(url(name, f"school_year={year}", board_id=cast.board.pk), tokens.own)
    assert response.status_code == 422, response.content
    assert response.json()["detail"]


@pytest.mark.parametrize("name", YEAR_LISTS)
def test_a_school_of_another_board_is_a_404_with_a_school_year_too(cast, tokens, name):  # noqa: F811
    for query in (f"school={cast.other_school.pk}", f"school={cast.other_school.pk}&school_year=2026-2027"):
        response = call(url(name, query, board_id=cast.board.pk), tokens.own)
        assert response.status_code == 404, (query, response.content)
        assert response.json() == {"detail": "Not found."}


def local(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


def ids(name, query, cast, tokens):  # noqa: F811
    response = call(url(name, query, board_id=cast.board.pk), tokens.own)
    assert response.status_code == 200, response.content
    return sorted(item["id"] for item in response.json()["items"])


def test_goals_by_the_school_year_they_were_set(cast, tokens):  # noqa: F811
    k = cast.kartrekker
    last_year = make_goal(cast.school, k, "Vorig jaar")
    july = make_goal(cast.school, k, "Laatste avond van juli")
    august = make_goal(cast.school, k, "Eerste nacht van augustus")
    sister = make_goal(cast.sister_school, k, "Zusterschool")
    other = make_goal(cast.other_school, cast.outsider, "Ander bestuur")
    Goal.objects.filter(pk=last_year.pk).update(created_at=local(2025, 8, 1, 0, 0))
    Goal.objects.filter(pk=july.pk).update(created_at=local(2026, 7, 31, 23, 59))
    Goal.objects.filter(pk=august.pk).update(created_at=local(2026, 8, 1, 0, 30))  # 31 July 22:30 UTC
    Goal.objects.filter(pk=sister.pk).update(created_at=local(2027, 7, 31, 12, 0))
    Goal.objects.filter(pk=other.pk).update(created_at=local(2026, 9, 1, 12, 0))
    assert ids("goals", "school_year=2025-2026", cast, tokens) == sorted([last_year.pk, july.pk])
    assert ids("goals", "school_year=2026-2027", cast, tokens) == sorted([august.pk, sister.pk])
    assert ids("goals", "school_year=2027-2028", cast, tokens) == []
    # with ?school=: both filters hold
    assert ids("goals", f"school={cast.school.pk}&school_year=2026-2027", cast, tokens) == [august.pk]
    assert ids("goals", f"school={cast.sister_school.pk}&school_year=2025-2026", cast, tokens) == []
    # without the filter: every live goal, whatever its year
    assert ids("goals", "", cast, tokens) == sorted([last_year.pk, july.pk, august.pk, sister.pk])


def test_actions_by_their_due_date_else_the_school_year_they_were_added(cast, tokens):  # noqa: F811
    k = cast.kartrekker
    due_july = make_action(cast.school, k, "Af op 31 juli", due_date=datetime.date(2026, 7, 31))
    due_august = make_action(cast.school, k, "Af op 1 augustus", due_date=datetime.date(2026, 8, 1))
    undated_old = make_action(cast.school, k, "Zonder datum, vorig jaar", due_date=None)
    undated_new = make_action(cast.sister_school, k, "Zonder datum, dit jaar", due_date=None, status="bezig")
    added_late = make_action(cast.sister_school, k, "Laat toegevoegd", due_date=datetime.date(2025, 12, 1))
    make_action(cast.other_school, cast.outsider, "Ander bestuur", due_date=datetime.date(2026, 9, 1))
    Action.objects.filter(pk=undated_old.pk).update(created_at=local(2025, 10, 1, 9, 0))
    Action.objects.filter(pk=undated_new.pk).update(created_at=local(2026, 8, 1, 0, 30))
    Action.objects.filter(pk=added_late.pk).update(created_at=local(2026, 9, 1, 9, 0))  # the due date decides
    Action.objects.filter(pk__in=[due_july.pk, due_august.pk]).update(created_at=local(2024, 9, 1, 9, 0))
    earlier = ids("actions", "school_year=2025-2026", cast, tokens)
    later = ids("actions", "school_year=2026-2027", cast, tokens)
    assert earlier == sorted([due_july.pk, undated_old.pk, added_late.pk])
    assert later == sorted([due_august.pk, undated_new.pk])
    assert ids("actions", "school_year=2024-2025", cast, tokens) == []
    # every action of the board in exactly one school year
    assert sorted(earlier + later) == ids("actions", "", cast, tokens)
    # with ?school= and ?status=
    assert ids("actions", f"school={cast.school.pk}&school_year=2026-2027", cast, tokens) == [due_august.pk]
    assert ids("actions", "school_year=2026-2027&status=bezig", cast, tokens) == [undated_new.pk]
    assert ids("actions", f"school={cast.sister_school.pk}&school_year=2025-2026", cast, tokens) == [added_late.pk]


def test_training_by_the_plans_school_year(cast, tokens):  # noqa: F811
    year = school_year_of(timezone.localdate())
    k = cast.kartrekker
    for school, plan_year in ((cast.school, year - 1), (cast.school, year + 1), (cast.sister_school, year - 1)):
        training_services.do_create_plan(school=school, school_year=plan_year, acting_user=k)
    training_services.do_create_plan(school=cast.other_school, school_year=year + 1, acting_user=cast.outsider)
    last, now, next_ = (f"{y}-{y + 1}" for y in (year - 1, year, year + 1))

    def rows(query):
        response = call(url("training", query, board_id=cast.board.pk), tokens.own)
        assert response.status_code == 200, response.content
        return [(item["school_id"], item["school_year"]) for item in response.json()["items"]]

    both_last = sorted([(cast.school.pk, last), (cast.sister_school.pk, last)])
    # without the filter: the newest plan up to this school year (the board page's)
    assert rows("") == both_last
    assert rows(f"school_year={last}") == both_last
    assert rows(f"school_year={now}") == []  # no plan of this year: last year's is not it
    assert rows(f"school_year={next_}") == [(cast.school.pk, next_)]  # a plan ahead, not begun
    ahead = call(url("training", f"school_year={next_}", board_id=cast.board.pk), tokens.own).json()["items"][0]
    assert ahead["begun"] is False and ahead["team"] >= 1
    # with ?school=
    assert rows(f"school={cast.sister_school.pk}&school_year={next_}") == []
    assert rows(f"school={cast.sister_school.pk}&school_year={last}") == [(cast.sister_school.pk, last)]


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
