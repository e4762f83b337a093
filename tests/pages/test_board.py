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


def test_board_page_training_queries_do_not_grow_with_the_schools(cast, login):
    """The same with a training plan (groups, attendance, a board training for new staff) at every school."""
    from organisations.models import Role
    from training import services as training_services

    client = login(cast.board_member)
    url = reverse("organisations:board", args=[cast.board.pk])

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    def plan_with_attendance(school, leader):
        plan = training_services.do_create_plan(school=school, school_year=2026, acting_user=leader)
        training_services.do_save_group(plan=plan, name="Groep", members=[leader], trainers=[], acting_user=leader)
        session = plan.sessions.get(kind="module1")
        training_services.do_save_attendance(session=session, marks={leader.pk: "aanwezig"}, acting_user=leader)

    from organisations.models import Membership
    from training.models import (
        BoardAttendance,
        BoardTraining,
        BoardTrainingGroup,
        BoardTrainingParticipant,
        BoardTrainingSession,
        TrainingPlan,
    )
    from training.overview import build_overview, training_progress

    board_training = BoardTraining.objects.create(
        board=cast.board, title="Nieuwe collega's", school_year=2026, content_version="2023.1"
    )
    board_group = BoardTrainingGroup.objects.create(training=board_training, name="Groep 1")
    board_session = BoardTrainingSession.objects.create(
        training=board_training, kind="module1", title="Module 1", date=datetime.date(2026, 10, 1)
    )

    def new_staff_at_the_board_training(school):
        newcomer = make_member(school, make_user(f"Nieuw {school.pk}"), Role.TEAMLID)
        Membership.objects.filter(pk=newcomer.pk).update(joined_at=timezone.make_aware(datetime.datetime(2026, 9, 20)))
        participant = BoardTrainingParticipant.objects.create(
            training=board_training, group=board_group, membership=newcomer
        )
        BoardAttendance.objects.create(session=board_session, participant=participant, status="aanwezig")

    give_school_a_plan(cast.school, cast.kartrekker)  # a route too: no query is skipped for want of ids
    plan_with_attendance(cast.school, cast.kartrekker)
    new_staff_at_the_board_training(cast.school)
    with_one = count_queries()
    for i in range(4):
        school = make_school(cast.board, f"School {i}")
        leader = make_user(f"Leider {i}")
        make_member(school, leader, Role.SCHOOLLEIDING)
        give_school_a_plan(school, leader)
        plan_with_attendance(school, leader)
        new_staff_at_the_board_training(school)
    assert count_queries() == with_one

    # The batch gives what the training app's own overview gives for each plan, one at a time.
    today = timezone.localdate()
    progress = training_progress(list(cast.board.schools.values_list("pk", flat=True)), today=today)
    assert len(progress) == 5  # De Horizon has no plan
    for school_id, row in progress.items():
        plan = TrainingPlan.objects.get(school_id=school_id)
        overview = build_overview(plan, today=today)
        assert (row.still_to_train, row.team) == (len(overview.still_to_train), len(overview.people))


def test_board_page_shows_training_progress_as_counts_and_links_every_schools_growth(cast, login, monkeypatch):
    """Per school how many still need the team training (training.overview's own still_to_train, counts only, no
    names), and a link to each school's growth page, also where no round has closed yet."""
    from tests.training_fixtures import make_training
    from training.overview import build_overview

    monkeypatch.setattr(timezone, "localdate", lambda *a: TODAY)
    training = make_training(cast)  # module 1 held: the kartrekker present, werkgroeplid and teamlid not
    expected = build_overview(training.plan, today=TODAY)
    n, team = len(expected.still_to_train), len(expected.people)
    assert n > 0

    html = login(cast.board_member).get(reverse("organisations:board", args=[cast.board.pk])).content.decode()
    regenboog, horizon = cells(html, "De Regenboog"), cells(html, "De Horizon")
    assert f"{n} van {team} nog te trainen" in regenboog
    assert "Nog geen trainingsplan" in horizon
    for school in (cast.school, cast.sister_school):
        assert reverse("assessments:growth", args=[school.pk]) in html
    # Counts only: nobody of the team is named, nor who missed what.
    for person in (cast.kartrekker, cast.werkgroeplid, cast.teamlid, cast.schoolleider):
        assert person.name not in html
    assert "afgemeld" not in html.lower() and "afwezig" not in html.lower()

    # Everyone trained: nobody left (the same function decides).
    from training import services as training_services

    training_services.do_save_attendance(
        session=training.session,
        marks={u.pk: "aanwezig" for u in (cast.kartrekker, cast.werkgroeplid, cast.teamlid)},
        acting_user=cast.kartrekker,
    )
    left = len(build_overview(training.plan, today=TODAY).still_to_train)
    html = login(cast.board_member).get(reverse("organisations:board", args=[cast.board.pk])).content.decode()
    assert (f"{left} van {team} nog te trainen" if left else f"Alle {team} getraind") in cells(html, "De Regenboog")


def test_training_not_begun_and_future_plans(cast, login, monkeypatch):
    """A plan whose first module is still ahead says so; next school year's plan does not count yet."""
    from training import services as training_services

    monkeypatch.setattr(timezone, "localdate", lambda *a: datetime.date(2026, 8, 20))
    training_services.do_create_plan(school=cast.school, school_year=2026, acting_user=cast.kartrekker)
    training_services.do_create_plan(school=cast.sister_school, school_year=2027, acting_user=cast.trainer)
    html = login(cast.board_member).get(reverse("organisations:board", args=[cast.board.pk])).content.decode()
    assert "Teamtraining 2026-2027 nog niet begonnen" in cells(html, "De Regenboog")
    assert "Nog geen trainingsplan" in cells(html, "De Horizon")
