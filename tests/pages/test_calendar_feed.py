"""Calendar feeds (issue 14): the personal subscription behind a secret URL, its management in Mijn gegevens, and a
trainer's sessions over all their schools; every calendar parsed back with icalendar."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.calendar_feeds import do_create_calendar_feed, feed_for_token
from accounts.models import CalendarFeed
from audit.models import AuditEvent
from organisations.models import Role
from tests.factories import make_meeting, make_member, make_user
from tests.trajectory_fixtures import start_route
from training.models import TrainingGroup, TrainingPlan, TrainingSession

TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


def session(school, date, title, **extra):
    plan = TrainingPlan.objects.get_or_create(school=school, school_year=2026, defaults={"content_version": "2023"})[0]
    return TrainingSession.objects.create(school=school, plan=plan, kind="overig", title=title, date=date, **extra)


def parse(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events(cal) -> dict:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def summaries(cal) -> set[str]:
    return {str(e["SUMMARY"]) for e in cal.walk("VEVENT")}


@pytest.fixture
def calendars(cast):
    """Routes, meetings and sessions in De Regenboog, De Horizon (the trainer's other school) and De Vreemde."""
    start_route(cast.school, cast.kartrekker, training_start=days(60))
    start_route(cast.other_school, cast.outsider, training_start=days(60))
    make_meeting(cast.school, cast.kartrekker, days(10), start_time=datetime.time(15, 30), location="Teamkamer")
    make_meeting(cast.other_school, cast.outsider, days(10), location="Vreemde kamer")
    plan = TrainingPlan.objects.create(school=cast.school, school_year=2026, content_version="2023")
    group_a = TrainingGroup.objects.create(school=cast.school, plan=plan, name="Groep A")
    group_a.members.add(cast.teamlid)
    group_b = TrainingGroup.objects.create(school=cast.school, plan=plan, name="Groep B")
    group_b.members.add(cast.werkgroeplid)
    whole = session(
        cast.school, days(5), "Module 1 hele team", start_time=datetime.time(14), end_time=datetime.time(17)
    )
    whole.trainers.add(cast.trainer)
    session(cast.school, days(6), "Module 2 groep A", group=group_a)
    session(cast.school, days(7), "Module 2 groep B", group=group_b)
    session(cast.sister_school, days(8), "Horizon module 1")
    session(cast.other_school, days(9), "Vreemde module")
    session(cast.school, days(-200), "Lang geleden")  # before the feed's window
    return cast


def subscribe(user):
    _feed, token = do_create_calendar_feed(user=user, acting_user=user)
    return reverse("accounts:calendar_feed", args=[token])


def test_the_personal_feed_holds_route_meetings_and_own_sessions_only(calendars):
    cast = calendars
    response = Client().get(subscribe(cast.teamlid))  # no login: a calendar client
    assert response["Cache-Control"] == "private"
    cal = parse(response)
    names = summaries(cal)
    assert "Module 1 hele team" in names and "Module 2 groep A" in names
    assert "Module 2 groep B" not in names  # another group's session
    assert "Horizon module 1" not in names and "Vreemde module" not in names and "Lang geleden" not in names
    assert "TSO: Introductiepresentatie voor het schoolteam" in names
    assert "Werkgroep TSO: bijeenkomst" in names
    uids = set(events(cal))
    assert not any(f"traject-{cast.other_school.pk}-" in uid for uid in uids)
    raw = response.content.decode()
    assert "Vreemde" not in raw and "olga@" not in raw and "@regenboog.test" not in raw
    meeting = next(e for e in cal.walk("VEVENT") if str(e["SUMMARY"]) == "Werkgroep TSO: bijeenkomst")
    start = meeting.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/Amsterdam" and (start.hour, start.minute) == (15, 30)


def test_organisers_and_trainers_get_every_session_of_their_schools(calendars):
    cast = calendars
    k = summaries(parse(Client().get(subscribe(cast.kartrekker))))
    assert {"Module 1 hele team", "Module 2 groep A", "Module 2 groep B"} <= k and "Horizon module 1" not in k
    cal = parse(Client().get(subscribe(cast.trainer)))
    t = summaries(cal)
    # Two schools in one calendar: each title says which school.
    assert {"Module 2 groep B (De Regenboog)", "Horizon module 1 (De Horizon)"} <= t
    assert not any("Vreemde" in s for s in t)
    outsider = summaries(parse(Client().get(subscribe(cast.outsider))))
    assert "Vreemde module" in outsider
    assert not outsider & {"Module 1 hele team", "Module 2 groep A", "Module 2 groep B", "Horizon module 1"}


def test_a_board_member_gets_an_empty_calendar(calendars):
    cal = parse(Client().get(subscribe(calendars.board_member)))
    assert cal.walk("VEVENT") == []


def test_the_trainer_calendar_has_all_sessions_of_all_their_schools(calendars, login):
    cast = calendars
    response = login(cast.trainer).get(reverse("organisations:trainer_calendar"))
    assert "attachment" in response["Content-Disposition"]
    cal = parse(response)
    by_summary = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    assert set(by_summary) == {
        "Module 1 hele team (De Regenboog)",
        "Module 2 groep A (De Regenboog)",
        "Module 2 groep B (De Regenboog)",
        "Horizon module 1 (De Horizon)",
    }
    whole = by_summary["Module 1 hele team (De Regenboog)"]
    assert "Je bent trainer bij deze sessie." in str(whole["DESCRIPTION"])
    assert whole.decoded("DTSTART").hour == 14 and whole.decoded("DTEND").hour == 17
    day = by_summary["Module 2 groep A (De Regenboog)"]
    assert day.decoded("DTSTART") == days(6) and day.decoded("DTEND") == days(7)
    assert "Trainingsgroep: Groep A" in str(day["DESCRIPTION"])
    assert AuditEvent.objects.filter(action="export.trainer_sessions", actor=cast.trainer).count() == 1
    assert login(cast.teamlid).get(reverse("organisations:trainer_calendar")).status_code == 403


def test_make_copy_and_revoke_in_mijn_gegevens(cast, login):
    client = login(cast.teamlid)
    page = client.get(reverse("accounts:account")).content.decode()
    assert "Agenda-abonnement" in page and reverse("accounts:calendar_feed_manage") in page
    manage = reverse("accounts:calendar_feed_manage")
    assert "Je hebt nu geen link." in client.get(manage).content.decode()
    response = client.post(manage, {"actie": "maken"})
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    url = response.context["token_url"]
    assert url.startswith("http://testserver/agenda/") and url in response.content.decode()
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get(user=cast.teamlid)
    assert token not in feed.token_hash and len(feed.token_hash) == 64  # a keyed hash, never the token
    assert Client().get(url).status_code == 200
    assert "Je hebt een link sinds" in client.get(manage).content.decode()
    assert url not in client.get(manage).content.decode()  # shown once
    # A new link: the old one stops.
    new_url = client.post(manage, {"actie": "maken"}).context["token_url"]
    assert new_url != url
    assert Client().get(url).status_code == 404 and Client().get(new_url).status_code == 200
    # Revoke: 404, the same answer as an unknown token.
    response = client.post(manage, {"actie": "intrekken"})
    assert response.status_code == 302
    gone = Client().get(new_url)
    unknown = Client().get(reverse("accounts:calendar_feed", args=["A" * 43]))
    assert gone.status_code == unknown.status_code == 404
    assert [t.name for t in gone.templates] == [t.name for t in unknown.templates]  # the same page
    assert list(
        AuditEvent.objects.filter(actor=cast.teamlid, action__startswith="account.calendar_feed")
        .values_list("action", flat=True)
        .order_by("pk")
    ) == ["account.calendar_feed_created", "account.calendar_feed_created", "account.calendar_feed_revoked"]
    assert CalendarFeed.objects.filter(user=cast.teamlid, revoked_at__isnull=True).count() == 0


@pytest.mark.parametrize("action", ["", "weg", "maken' OR 1=1", "x" * 5000])
def test_a_bad_action_is_a_dutch_error_and_stores_nothing(cast, login, action):
    client = login(cast.teamlid)
    response = client.post(reverse("accounts:calendar_feed_manage"), {"actie": action})
    assert response.status_code == 400
    assert "Kies wat je wilt doen" in response.content.decode()
    assert not CalendarFeed.objects.exists()


@pytest.mark.parametrize(
    "token",
    ["", "a", "A" * 42, "A" * 44, "A" * 43 + "%00", "%2e%2e%2f" * 5, "Ä" * 43, "A" * 5000, "abc.ics", "' OR 1=1 --"],
)
def test_bad_tokens_are_404_never_500(cast, token):
    subscribe(cast.teamlid)
    response = Client().get(f"/agenda/{token}.ics")
    assert response.status_code == 404
    assert feed_for_token(token) is None
    assert feed_for_token(None) is None and feed_for_token(["x"]) is None


def test_the_feed_of_an_inactive_account_is_gone_and_posts_are_refused(cast):
    url = subscribe(cast.teamlid)
    assert Client().post(url).status_code == 405
    assert Client().head(url).status_code == 200
    cast.teamlid.is_active = False
    cast.teamlid.save(update_fields=["is_active"])
    assert Client().get(url).status_code == 404


def test_only_one_active_feed_per_person(cast):
    from django.db import IntegrityError, transaction

    do_create_calendar_feed(user=cast.teamlid, acting_user=cast.teamlid)
    do_create_calendar_feed(user=cast.teamlid, acting_user=cast.teamlid)
    assert CalendarFeed.objects.filter(user=cast.teamlid, revoked_at__isnull=True).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarFeed.objects.create(user=cast.teamlid, token_hash="x" * 64)


def test_a_trainer_intern_in_one_school_gets_the_trainer_calendar(cast, login):
    intern = make_user("Ingrid Intern", "ingrid@regenboog.test")
    make_member(cast.school, intern, Role.TRAINER_INTERN)
    session(cast.school, days(3), "Module 3")
    session(cast.sister_school, days(3), "Horizon module")
    cal = parse(login(intern).get(reverse("organisations:trainer_calendar")))
    assert summaries(cal) == {"Module 3 (De Regenboog)"}


def test_board_trainings_for_new_staff_are_in_the_feeds_and_on_the_trainer_home(cast, board_training, login):
    """Issue 14, part 4 with parts 2-3: a participant's feed holds the board sessions of their training (whole
    training or their own group), a trainer's feed the ones they train; the trainer home lists the coming ones."""
    from pages.calendar_feed import person_events

    today = datetime.date(2026, 11, 1)
    nina = [e.summary for e in person_events(board_training.nina, base_url="http://testserver", today=today)]
    assert "Module 1 (Bestuur Noord)" in nina and "Module 2 (Bestuur Noord)" in nina
    outsider = [e.summary for e in person_events(cast.outsider, base_url="http://testserver", today=today)]
    assert not any("Bestuur Noord" in s for s in outsider)
    assert "Vreemde module (Bestuur Zuid)" in outsider  # the outsider takes part in their own board's training


def test_trainer_feed_and_home_list_the_board_sessions_they_train(cast, board_training, login):
    from pages.calendar_feed import trainer_events, trainer_school_ids
    from training.models import BoardTrainingSession

    BoardTrainingSession.objects.filter(pk=board_training.module1.pk).update(
        date=timezone.localdate() + datetime.timedelta(days=3)
    )
    titles = [e.summary for e in trainer_events(cast.trainer, trainer_school_ids(cast.trainer))]
    assert "Module 1 (Bestuur Noord)" in titles and "Module 2 (Bestuur Noord)" not in titles  # not their session
    html = login(cast.trainer).get(reverse("home")).content.decode()
    assert "Trainingen voor nieuwe medewerkers (bestuur)" in html
    assert reverse("training:board_attendance", args=[cast.board.pk, board_training.module1.pk]) in html
