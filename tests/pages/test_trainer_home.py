"""A trainer's home page (issue 14, part 2): all their schools, the one that needs them first on top, a fixed
number of queries whatever the number of schools (pages/trainer.py)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Round, RoundStatus
from intake.models import Conversation, ConversationDate
from organisations.models import Role
from pages.trainer import ATTENDANCE_LOOKBACK_DAYS, SOON_DAYS, Need, trainer_overview
from tests.factories import make_board, make_member, make_round, make_school, make_user
from tests.trajectory_fixtures import start_route
from training.models import Attendance, TrainingPlan, TrainingSession

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def plan_of(school):
    year = TODAY.year if TODAY.month >= 8 else TODAY.year - 1
    return TrainingPlan.objects.get_or_create(school=school, school_year=year, defaults={"content_version": "2023"})[0]


def session(school, date, title="Module", **extra):
    return TrainingSession.objects.create(
        school=school, plan=plan_of(school), kind="overig", title=title, date=date, **extra
    )


def open_conversation(school, date=None):
    conversation = Conversation.objects.create(school=school)
    if date:
        ConversationDate.objects.create(conversation=conversation, date=date)
    return conversation


def school_with(board, name, trainer, role=Role.TRAINER_EXTERN):
    school = make_school(board, name)
    make_member(school, trainer, role)
    return school


def test_the_school_that_needs_the_trainer_first_is_on_top(cast):
    trainer, board = cast.trainer, cast.board
    # De Regenboog and De Horizon (cast) plus one school per rule, named so that the name order is the reverse.
    quiet = school_with(board, "A Rustig", trainer)  # nothing at all
    session(quiet, days(40))
    voorgesprek = school_with(board, "B Voorgesprek", trainer)
    open_conversation(voorgesprek, days(20))
    open_round = school_with(board, "C Open ronde", trainer)
    r = make_round(open_round, [trainer], by=trainer, title="Ronde C")
    Round.objects.filter(pk=r.pk).update(facilitator=trainer, deadline=days(30))
    consensus = school_with(board, "D Consensus", trainer)
    r = make_round(consensus, [trainer], by=trainer, title="Ronde D")
    Round.objects.filter(pk=r.pk).update(facilitator=trainer, status=RoundStatus.CONSENSUS)
    soon = school_with(board, "E Sessie binnenkort", trainer)
    session(soon, days(SOON_DAYS))
    later_soon = school_with(board, "E2 Sessie morgen", trainer)
    session(later_soon, days(1))
    attendance = school_with(board, "F Aanwezigheid", trainer)
    session(attendance, days(-3))
    registered = school_with(board, "G Geregistreerd", trainer)  # a past session with attendance: not rule 1
    done = session(registered, days(-3))
    Attendance.objects.create(session=done, user=trainer, status="aanwezig")
    old = school_with(board, "H Heel oud", trainer)  # unregistered, but longer ago than the look-back
    session(old, days(-ATTENDANCE_LOOKBACK_DAYS - 1))
    session(quiet, days(-ATTENDANCE_LOOKBACK_DAYS - 5))

    cards = trainer_overview(trainer)
    order = [(c.school.name, c.need) for c in cards]
    assert order[:6] == [
        ("F Aanwezigheid", Need.ATTENDANCE),
        ("E2 Sessie morgen", Need.SESSION_SOON),  # the nearest session first
        ("E Sessie binnenkort", Need.SESSION_SOON),
        ("D Consensus", Need.CONSENSUS),
        ("C Open ronde", Need.OPEN_ROUND),
        ("B Voorgesprek", Need.VOORGESPREK),
    ]
    rest = order[6:]
    assert {need for _name, need in rest} == {Need.NOTHING}
    assert rest[0][0] == "A Rustig"  # the one with a next session before those without
    assert {name for name, _need in rest} == {"A Rustig", "De Horizon", "De Regenboog", "G Geregistreerd", "H Heel oud"}
    assert cast.other_school.name not in {name for name, _need in order}
    by_name = {c.school.name: c for c in cards}
    assert [s.date for s in by_name["F Aanwezigheid"].unregistered] == [days(-3)]
    assert by_name["E Sessie binnenkort"].session_soon and not by_name["A Rustig"].session_soon


def test_a_trainer_sees_only_what_their_role_may_see_per_school(cast, login):
    """A trainer who is only a teamlid in another school: no voorgesprekken or attendance there."""
    elsewhere = make_school(make_board("Bestuur West"), "De Wilg")
    make_member(elsewhere, cast.trainer, Role.TEAMLID)
    open_conversation(elsewhere, days(5))
    session(elsewhere, days(-2), title="Sessie zonder lijst")
    open_conversation(cast.school, days(5))
    cards = {c.school.name: c for c in trainer_overview(cast.trainer)}
    assert cards["De Wilg"].conversations == [] and cards["De Wilg"].unregistered == []
    assert len(cards["De Regenboog"].conversations) == 1
    body = login(cast.trainer).get(reverse("home")).content.decode()
    assert "De Wilg" in body and "Sessie zonder lijst" not in body
    assert body.count("Open voorgesprekken") == 2  # De Regenboog and De Horizon, not De Wilg


def test_the_page_shows_phase_session_rounds_and_voorgesprekken(cast, login):
    start_route(cast.school, cast.kartrekker, training_start=days(30))
    group_session = session(cast.school, days(3), title="Module 2: Veiligheid", location="Aula")
    session(cast.school, days(-10), title="Module 1: Wat is trauma")
    Round.objects.filter(pk=cast.consensus_round.pk).update(facilitator=cast.trainer, meeting_date=days(12))
    Round.objects.filter(pk=cast.open_round.pk).update(facilitator=cast.trainer)
    conversation = open_conversation(cast.school, days(9))
    response = login(cast.trainer).get(reverse("home"))
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "pages/trainer_home.html"
    body = response.content.decode()
    phase = {c.school.pk: c.phase for c in trainer_overview(cast.trainer)}[cast.school.pk]
    assert phase is not None and f"Fase {phase.number}: {phase.name}" in body
    assert reverse("trajectory:overview", args=[cast.school.pk]) in body
    assert (
        "Module 2: Veiligheid" in body and reverse("training:session", args=[cast.school.pk, group_session.pk]) in body
    )
    assert "Nog niet geregistreerd bij 1 sessie" in body and "Module 1: Wat is trauma" in body
    assert "Consensusronde" in body and "Open ronde" in body and "0 van 5 ingeleverd" in body
    assert reverse("intake:conversation", args=[cast.school.pk, conversation.pk]) in body
    assert "Afgesloten ronde" not in body  # closed rounds are not listed
    assert body.index("De Regenboog") < body.index("De Horizon")  # De Regenboog needs the trainer first
    assert reverse("organisations:trainer_calendar") in body
    assert "Vreemde" not in body


def test_others_keep_the_old_home(cast, login):
    assert login(cast.teamlid).get(reverse("home")).status_code == 302  # one school: straight there
    response = login(cast.board_member).get(reverse("home"))
    assert response.status_code == 200 and response.templates[0].name == "organisations/home.html"
    intern = make_user("Ingrid Intern", "ingrid@regenboog.test")
    make_member(cast.school, intern, Role.TRAINER_INTERN, Role.TEAMLID)
    response = login(intern).get(reverse("home"))
    assert response.status_code == 200 and response.templates[0].name == "pages/trainer_home.html"


def _many_schools(trainer, n: int):
    board = make_board(f"Bestuur {n}")
    for i in range(n):
        school = school_with(board, f"School {n}-{i:02d}", trainer)
        start_route(school, trainer, training_start=days(60))
        session(school, days(-5 - i % 3))
        nxt = session(school, days(2 + i % 9))
        Attendance.objects.create(session=nxt, user=trainer, status="aanwezig")
        r = make_round(school, [trainer], by=trainer, title=f"Ronde {i}")
        Round.objects.filter(pk=r.pk).update(facilitator=trainer)
        open_conversation(school, days(i))


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_the_same_number_of_queries_for_2_and_30_schools(client):
    few, many = make_user("Fien Few", "few@trainer.test"), make_user("Max Many", "many@trainer.test")
    _many_schools(few, 2)
    _many_schools(many, 30)
    client.force_login(few, backend="accounts.backends.EmailBackend")
    client.get(reverse("home"))  # warm up: content files, session
    two = _queries(client)
    client.force_login(many, backend="accounts.backends.EmailBackend")
    client.get(reverse("home"))
    thirty = _queries(client)
    assert thirty == two, f"2 schools: {two} queries, 30 schools: {thirty}"
    assert len(trainer_overview(many)) == 30
