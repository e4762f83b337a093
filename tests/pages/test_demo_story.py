"""The demo tells one story in time (issue 14, part 5, bullet 7): no round named after a module that had not been
held, no meeting on a weekend, no "volgende stap" that began months ago, rounds closed on their meeting day."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from actionplans.models import Meeting
from assessments.models import Round
from organisations.models import School
from training.board_services import school_year_bounds
from training.models import BoardAttendance, BoardTraining, BoardTrainingSession, TrainingSession
from training.overview import MODULE_UNITS, build_overview
from trajectory.overview import dashboard_route


@pytest.fixture
def demo(db):
    call_command("demo", stdout=io.StringIO())
    return School.objects.get(name="OBS De Regenboog")


def test_every_round_named_after_a_module_comes_after_that_module(demo):
    sessions = TrainingSession.objects.filter(school=demo, kind__startswith="module")
    module_dates = {}
    for s in sessions:
        for n in re.findall(r"\d", s.title):
            module_dates[int(n)] = s.date
    start = min(s.date for s in sessions)
    rounds = list(Round.objects.filter(school=demo))
    assert len([r for r in rounds if r.is_closed]) == 3
    for r in rounds:
        m = re.search(r"[Nn]a module (\d)", r.title)
        moment = (r.closed_at or r.created_at).date()
        if m:
            assert module_dates[int(m.group(1))] <= timezone.localdate(), r.title
            assert r.created_at.date() >= module_dates[int(m.group(1))] or not r.is_closed, r.title
        elif r.is_closed:
            assert moment < start, f"{r.title}: closed before the training began, so it names no module"


def test_closed_rounds_are_a_year_apart_and_close_on_their_meeting_day(demo):
    closed = sorted(Round.objects.filter(school=demo, closed_at__isnull=False), key=lambda r: r.closed_at)
    assert [r.title.split(" – ")[0] for r in closed] == ["Startmeting", "Jaarlijkse meting", "Jaarlijkse meting"]
    for r in closed:
        assert timezone.localtime(r.closed_at).date() == r.meeting_date
        assert r.created_at < r.closed_at and r.deadline <= r.meeting_date
    years = [r.closed_at.year for r in closed]
    assert years == sorted(years) and len(set(years)) == 3


def test_nobody_meets_on_a_weekend(demo):
    days = [m.date for m in Meeting.objects.filter(school=demo)]
    days += [s.date for s in TrainingSession.objects.filter(school=demo)]
    days += [s.date for s in BoardTrainingSession.objects.filter(training__board=demo.board)]
    days += [d for r in Round.objects.filter(school=demo) for d in (r.deadline, r.meeting_date) if d]
    assert days
    assert all(d.weekday() < 5 for d in days), [d for d in days if d.weekday() >= 5]


def test_the_next_step_is_not_in_the_past(demo, client):
    from accounts.models import User

    user = User.objects.get(email="kartrekker@demo.groeiwijzer.nl")
    route = dashboard_route(demo, user)
    assert route.next_step is not None
    today = timezone.localdate()
    if route.next_step.start_date < today:
        assert route.next_step_running and route.next_step.due_date >= today
    client.force_login(user, backend="accounts.backends.EmailBackend")
    page = client.get(reverse("organisations:school", args=[demo.pk])).content.decode()
    m = re.search(r"Volgende stap: [^<]*\(vanaf (\d+ \w+ \d{4})\)", page)
    if m:  # a step still to begin is dated today or later
        assert route.next_step.start_date >= today
    else:
        assert "Nu bezig:" in page


def test_the_board_trains_its_new_staff_after_they_came(demo):
    """One training for new staff of both demo schools: the people who came after the team training began, sessions
    in its school year after they came, attendance only where a session was held, counted at their own school."""
    today = timezone.localdate()
    training = BoardTraining.objects.get(board=demo.board)
    assert set(training.schools.values_list("name", flat=True)) == {"OBS De Regenboog", "SO De Horizon"}
    participants = list(training.participants.select_related("membership__user", "membership__school"))
    assert {p.membership.school.name for p in participants} == {"OBS De Regenboog", "SO De Horizon"}
    overview = build_overview(demo.training_plans.get())
    team_start = overview.first_training
    came = max(timezone.localtime(p.membership.joined_at).date() for p in participants)
    if today > team_start:  # they came after the team training began (early in the school year: they came today)
        assert all(timezone.localtime(p.membership.joined_at).date() > team_start for p in participants)
    sessions = list(training.sessions.order_by("date"))
    assert [s.kind for s in sessions] == ["module1", "module2", "module34"]
    first, last = school_year_bounds(training.school_year)
    assert all(first <= s.date <= last and s.date > came and s.start_time < s.end_time for s in sessions)
    assert all(s.trainers.exists() and s.location for s in sessions)
    marked = set(BoardAttendance.objects.filter(session__training=training).values_list("session_id", flat=True))
    assert marked == {s.pk for s in sessions if s.date <= today}
    # A module attended at the board counts at the participant's own school; no team session before they came.
    emma = next(p for p in participants if p.membership.school_id == demo.pk)
    row = next(r for r in overview.people if r.user == emma.membership.user)
    assert row.joined_late == (today > team_start)
    assert row.board_units == {unit for s in sessions if s.date <= today for unit in MODULE_UNITS[s.kind]}
    module1 = TrainingSession.objects.get(school=demo, kind="module1")
    assert emma.membership.user_id not in set(module1.attendance.values_list("user_id", flat=True))
