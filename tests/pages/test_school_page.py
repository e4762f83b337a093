"""The school page in a fixed number of queries (issue 15, part 2): pages/dashboard.py gives the same figures as the
apps' own read functions, for every role of the demo school and for a school with nothing yet, and the number of
queries does not depend on how much the school holds."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from actionplans.overview import dashboard_summary
from assessments.models import Round
from intake.summary import kartrekker_count, latest_decision
from leadership.models import Answer as LeadershipAnswer
from leadership.services import current_round, items_for
from organisations import demo as organisations_demo
from organisations.models import Membership, School
from pages import dashboard, onboarding
from training.models import MISSED_STATUSES, Attendance
from trajectory.overview import dashboard_route

ROLES = ["schoolleider", "kartrekker", "werkgroep1", "intern-trainer", "trainer", "teamlid"]


@pytest.fixture
def demo(db):
    call_command("demo", stdout=io.StringIO())
    return School.objects.get(name="OBS De Regenboog")


def person(local):
    return User.objects.get(email=f"{local}@{organisations_demo.DOMAIN}")


def test_the_same_figures_as_the_apps_own_functions(demo):
    today = timezone.localdate()
    horizon = School.objects.get(name="SO De Horizon")
    for school in (demo, horizon):
        for user in Membership.objects.filter(school=school).select_related("user"):
            user = user.user
            facts = dashboard.school_facts(school, user, today=today)
            plan = dashboard_summary(school, user, today=today)
            assert (facts.plan.goals, facts.plan.short_goals, facts.plan.my_open, facts.plan.my_overdue) == (
                plan.goals,
                plan.short_goals,
                plan.my_open,
                plan.my_overdue,
            )
            assert (facts.plan.overdue, facts.plan.open_actions, facts.plan.meeting_overdue) == (
                plan.overdue,
                plan.open_actions,
                plan.meeting_overdue,
            )
            assert facts.plan.last_meeting_date == (plan.last_meeting.date if plan.last_meeting else None)
            assert facts.plan.next_meeting_date == (plan.next_meeting.date if plan.next_meeting else None)
            assert facts.onboarding == onboarding.facts(school)
            assert facts.latest_decision == latest_decision(school)
            assert facts.kartrekkers == kartrekker_count(school)

            route, expected = dashboard.route(facts, user, today=today), dashboard_route(school, user, today=today)
            assert (route.trajectory is None) == (expected.trajectory is None)
            assert route.current_phase == expected.current_phase and route.late == expected.late
            assert getattr(route.next_step, "pk", None) == getattr(expected.next_step, "pk", None)
            assert [s.pk for s in route.mine] == [s.pk for s in expected.mine]

            missed = Attendance.objects.filter(
                session__school=school, user=user, status__in=MISSED_STATUSES, session__date__lte=today
            ).order_by("session__date")
            assert [
                (m.title, m.date, m.status_label) for m in dashboard.missed_sessions(school, user, today=today)
            ] == [(a.session.title, a.session.date, a.get_status_display()) for a in missed]

            if Membership.objects.get(school=school, user=user).is_schoolleiding:
                checklist = facts.checklist
                newest = current_round(school)
                keys = {key for key, _text, _extra in items_for(school)}
                assert (checklist.round_id, checklist.total) == (newest.pk, len(keys)) if newest else (None, 0)
                if newest:
                    mine = LeadershipAnswer.objects.filter(round=newest, user=user, item_key__in=keys).count()
                    assert checklist.answered == mine and checklist.round_title == newest.title

            rounds = dashboard.rounds(school, user)
            assert [r.pk for r in rounds] == list(Round.objects.filter(school=school).values_list("pk", flat=True))
    assert any(
        dashboard.route(dashboard.school_facts(demo, person(p), today=today), person(p), today=today).mine
        for p in ROLES
    )


def test_the_page_for_every_role(demo, client):
    """What each role sees, and the figures on it."""
    url = reverse("organisations:school", args=[demo.pk])
    for local in ROLES:
        client.force_login(person(local), backend="accounts.backends.EmailBackend")
        page = client.get(url).content.decode()
        assert "Jullie zitten in fase" in page, local
        assert "Rondes Ontwikkelmodel" in page and "Teamtraining" in page, local
        assert ("Voorgesprekken en kartrekkers" in page) == (
            local in ("schoolleider", "kartrekker", "intern-trainer", "trainer")
        ), local
        assert ("Checklist leidinggevenden" in page) == (local == "schoolleider"), local


def test_queries_do_not_depend_on_what_the_school_holds(demo, client):
    """The demo school (route, training, plan, rounds, voorgesprekken, checklist) and a school with nothing yet: the
    same number of queries for the same role but for the route's steps; at most seven (session, user, membership,
    the school's figures, rounds, steps, missed training sessions)."""
    empty = School.objects.create(board=demo.board, name="De Nieuwe", education_type=demo.education_type)
    for local in ROLES:
        user = person(local)
        roles = Membership.objects.get(school=demo, user=user)
        Membership.objects.create(
            school=empty,
            user=user,
            **{
                f: getattr(roles, f)
                for f in (
                    "is_schoolleiding",
                    "is_kartrekker",
                    "is_werkgroeplid",
                    "is_trainer_intern",
                    "is_trainer_extern",
                    "is_teamlid",
                )
            },
        )
        client.force_login(user, backend="accounts.backends.EmailBackend")
        counts = []
        for school in (demo, empty):
            url = reverse("organisations:school", args=[school.pk])
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries.captured_queries))
        assert counts[0] == counts[1] + 1, local  # without a route there are no steps to read
        assert counts[0] <= 7, (local, counts)


def test_no_next_meeting_and_a_meeting_long_ago(demo, client):
    """The werkgroep reminder (kartrekker) from the one query: last meeting date, no next one."""
    from actionplans.models import Meeting

    today = timezone.localdate()
    Meeting.objects.filter(school=demo).delete()
    Meeting.objects.create(school=demo, date=today - datetime.timedelta(weeks=8), location="Teamkamer")
    client.force_login(person("kartrekker"), backend="accounts.backends.EmailBackend")
    page = client.get(reverse("organisations:school", args=[demo.pk])).content.decode()
    assert "Nog geen volgende bijeenkomst van de werkgroep gepland." in page
    assert "meer dan zes weken geleden" in page and "Plan een bijeenkomst" in page
