"""The board page: per school where the route is, the closed rounds, the action plan and the werkgroep's last
meeting; school-level facts only, a fixed number of queries whatever the number of schools."""

from __future__ import annotations

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actionplans import services as plan_services
from actionplans.models import Action, ActionStatus
from pages.board_overview import board_overview
from tests.factories import make_member, make_school, make_user
from tests.test_services import _fast_password_hasher  # noqa: F401 (fixture)
from trajectory import services as route_services

TODAY = datetime.date(2026, 12, 2)


def give_school_a_plan(school, by, *, today=TODAY):
    """A route started 3 months ago, two goals, three actions (one late, one finished) and a meeting 7 weeks ago."""
    route_services.do_start_trajectory(
        school=school, training_start=today - datetime.timedelta(days=90), acting_user=by
    )
    short = plan_services.do_create_goal(
        school=school, title="Rust in de klas", term="kort", layer_code="3B", acting_user=by
    )
    plan_services.do_create_goal(school=school, title="Ouders betrekken", term="lang", layer_code="3A", acting_user=by)
    plan_services.do_create_action(
        school=school,
        goal=short,
        title="Rustplek inrichten",
        owner=by,
        due_date=today - datetime.timedelta(days=3),
        acting_user=by,
    )
    plan_services.do_create_action(school=school, goal=short, title="Time-in afspraken", acting_user=by)
    done = plan_services.do_create_action(school=school, goal=short, title="Teammoment", acting_user=by)
    Action.objects.filter(pk=done.pk).update(status=ActionStatus.CELEBRATED)
    plan_services.do_create_meeting(
        school=school,
        date=today - datetime.timedelta(weeks=7),
        start_time=datetime.time(15, 0),
        end_time=datetime.time(16, 0),
        location="Teamkamer",
        chair=None,
        timekeeper=None,
        note_taker=None,
        acting_user=by,
    )


def cells(html: str, school_name: str) -> str:
    """The text of the table row of one school, tags stripped and whitespace collapsed."""
    row = re.search(r"<tr>\s*<th scope=\"row\">" + re.escape(school_name) + r".*?</tr>", html, flags=re.S)
    assert row, school_name
    return " ".join(re.sub(r"<[^>]+>", " ", row.group(0)).split())


def test_board_page_shows_each_school_at_a_glance(cast, login, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: TODAY)
    give_school_a_plan(cast.school, cast.kartrekker)
    html = login(cast.board_member).get(reverse("organisations:board", args=[cast.board.pk])).content.decode()

    regenboog = cells(html, "De Regenboog")
    assert "Fase 3: Uitvoeren" in regenboog  # the team training began three months ago
    assert "Afgesloten ronde" in regenboog  # the cast's closed round, with a link to its result
    assert reverse("assessments:result", args=[cast.school.pk, cast.closed_round.pk]) in html
    assert "2 doelen (1 korte termijn)" in regenboog
    assert "3 actiepunten, 1 afgerond" in regenboog
    assert "1 actiepunt te laat" in regenboog
    assert "Laatst bijeen: 14 oktober 2026" in regenboog and "Langer dan zes weken geleden" in regenboog
    assert reverse("trajectory:overview", args=[cast.school.pk]) in html
    assert reverse("actionplans:plan", args=[cast.school.pk]) in html

    horizon = cells(html, "De Horizon")
    assert "Nog geen traject gepland" in horizon and "Nog geen afgesloten rondes" in horizon
    assert "0 doelen" in horizon and "Nog geen bijeenkomst" in horizon

    # School-level facts only: no names of owners or participants, nothing of the other board's school.
    assert cast.kartrekker.name not in html and "Tina Teamlid" not in html
    assert "De Vreemde" not in html and "Vreemde ronde" not in html


def test_board_overview_counts_only_live_items_of_its_own_schools(cast):
    give_school_a_plan(cast.school, cast.kartrekker)
    give_school_a_plan(cast.other_school, cast.outsider)
    dropped = plan_services.do_create_action(
        school=cast.school, title="Weggegooid", layer_code="1", acting_user=cast.kartrekker
    )
    plan_services.do_delete_action(action=dropped, acting_user=cast.kartrekker)

    rows = {row.school.name: row for row in board_overview(cast.board, today=TODAY)}
    assert set(rows) == {"De Regenboog", "De Horizon"}
    regenboog = rows["De Regenboog"]
    assert (regenboog.short_goals, regenboog.long_goals, regenboog.n_actions, regenboog.n_finished) == (1, 1, 3, 1)
    assert regenboog.overdue == 1 and regenboog.meeting_overdue
    assert regenboog.has_route and regenboog.phase is not None
    assert [r.pk for r in regenboog.rounds] == [cast.closed_round.pk]


def test_board_page_queries_do_not_grow_with_the_schools(cast, login):
    from organisations.models import Role

    client = login(cast.board_member)
    url = reverse("organisations:board", args=[cast.board.pk])

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    give_school_a_plan(cast.school, cast.kartrekker)
    with_two = count_queries()
    for i in range(4):
        school = make_school(cast.board, f"School {i}")
        leader = make_user(f"Leider {i}")
        make_member(school, leader, Role.SCHOOLLEIDING)
        give_school_a_plan(school, leader)
    assert count_queries() == with_two
    assert "School 3" in client.get(url).content.decode()
