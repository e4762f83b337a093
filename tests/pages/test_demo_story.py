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
from training.models import TrainingSession
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
