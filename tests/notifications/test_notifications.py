"""Mail that arrives by itself (issue 14, part 3): each kind once per event, to the right people, as they chose.

The mail goes into the database queue (django-tasks-db, as in production) so each test can read what was queued:
subject, text, HTML and attachments (``queued()``); ``run_queued`` (tests/core/test_mail.py) sends it to the test
outbox when the test looks at the real message. Events run when the domain service's transaction commits
(``django_capture_on_commit_callbacks``), as after a request.
"""

from __future__ import annotations

import datetime
import re

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from actionplans import services as plan_services
from actionplans.models import Action, Meeting
from assessments import services as round_services
from assessments.models import Round
from audit.models import AuditEvent
from core import events
from core.mail import send_message
from groeiwijzer import scheduler
from notifications import services
from notifications.models import Kind, NotificationPreference, SentNotification
from organisations.models import Membership, Role
from pages.privacy import collect_my_data, do_erase_me
from tests.core.test_mail import DB_TASKS, run_queued
from tests.factories import fill_completely, make_action, make_meeting, make_member, make_user
from training.models import BoardTrainingSession, TrainingSession

SITE = "https://groeiwijzer.example"
MONDAY = datetime.date(2026, 12, 7)


@pytest.fixture(autouse=True)
def db_queue(settings):
    settings.TASKS = DB_TASKS
    settings.SITE_URL = SITE
    return settings


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what a real commit would run (the events' subscribers) at the end of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def queued(kind_word: str = "") -> list[dict]:
    """The queued mails (task kwargs), oldest first; only those whose subject contains ``kind_word`` if given."""
    rows = DBTaskResult.objects.filter(task_path=send_message.module_path).order_by("enqueued_at", "id")
    found = [r.args_kwargs["kwargs"] for r in rows]
    return [k for k in found if kind_word in k["subject"]]


def to(messages) -> list[str]:
    return sorted(m["to"][0] for m in messages)


def sent_rows(kind) -> int:
    return SentNotification.objects.filter(kind=kind).count()


def switch_off(user, kind):
    NotificationPreference.objects.create(user=user, kind=kind, enabled=False)


def check_mail(message, school_name="De Regenboog"):
    """Every mail: the school's name in the subject, text and HTML, absolute links only, the preferences link."""
    assert message["subject"].startswith(f"{school_name}: ")
    assert message["body"].strip() and "<html" in message["html"]
    for link in re.findall(r"https?://[^\s\"'<>]+", message["body"] + message["html"]):
        assert link.startswith(SITE), link
    assert re.search(r'href="/', message["html"]) is None  # no relative links
    assert SITE + reverse("notifications:preferences") in message["body"]


def make_open_round(cast, users, *, title="Ronde december", deadline=None, created_days_ago=0):
    round_ = round_services.do_create_round(
        school=cast.school,
        title=title,
        deadline=deadline,
        meeting_date=None,
        anonymous=True,
        participant_user_ids=[u.pk for u in users],
        facilitator=None,
        acting_user=cast.kartrekker,
    )
    if created_days_ago:
        Round.objects.filter(pk=round_.pk).update(created_at=timezone.now() - datetime.timedelta(days=created_days_ago))
        round_.refresh_from_db()
    return round_


# The event hub ------------------------------------------------------------------------------------------------


def test_the_domain_events_have_their_subscribers():
    assert services.after_round_opened in events.subscribers("round.opened")
    assert services.after_action_assigned in events.subscribers("action.assigned")
    assert services.after_meeting_changed in events.subscribers("meeting.changed")
    assert services.after_meeting_cancelled in events.subscribers("meeting.cancelled")


def test_an_event_runs_only_after_commit_and_a_failing_subscriber_breaks_nothing(
    db, django_capture_on_commit_callbacks
):
    calls = []

    def ok(**data):
        calls.append(data)

    def broken(**data):
        raise RuntimeError("boom")

    events.subscribe("test.event", broken)
    events.subscribe("test.event", ok)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            events.publish("test.event", thing_id=3)
        assert calls == [] and len(callbacks) == 2  # nothing before the commit
        for callback in callbacks:
            callback()  # the broken one is logged, not raised
        assert calls == [{"thing_id": 3}]
    finally:
        events._subscribers.pop("test.event")


# (a) A round opened ---------------------------------------------------------------------------------------------


def test_a_round_opened_mails_each_participant_once(cast, commit):
    mail_before = len(queued())
    with commit():
        round_ = make_open_round(
            cast, [cast.kartrekker, cast.teamlid, cast.werkgroeplid], deadline=datetime.date(2026, 12, 18)
        )
    messages = queued("staat open")
    assert len(queued()) - mail_before == 3 == len(messages)
    assert to(messages) == sorted([cast.kartrekker.email, cast.teamlid.email, cast.werkgroeplid.email])
    link = SITE + reverse("assessments:fill", args=[cast.school.pk, round_.pk])
    for message in messages:
        check_mail(message)
        assert "Ronde december" in message["subject"]
        assert link in message["body"] and f'href="{link}"' in message["html"]
        assert "vrijdag 18 december 2026" in message["body"]
    # The same event again (a double publish, a retried job): nothing more.
    assert services.after_round_opened(round_id=round_.pk) == 0
    assert len(queued("staat open")) == 3 and sent_rows(Kind.ROUND_OPENED) == 3


def test_a_round_opened_respects_settings_and_membership(cast, commit):
    switch_off(cast.teamlid, Kind.ROUND_OPENED)
    leaver = make_user("Lea Vertrokken", "lea@regenboog.test")
    make_member(cast.school, leaver, Role.TEAMLID)
    inactive = make_user("Ina Actief", "ina@regenboog.test")
    make_member(cast.school, inactive, Role.TEAMLID)
    with commit():
        round_ = make_open_round(cast, [cast.kartrekker, cast.teamlid, leaver, inactive])
        Membership.objects.filter(user=leaver).delete()  # left the school before the mail went
        type(inactive).objects.filter(pk=inactive.pk).update(is_active=False)
    assert to(queued("staat open")) == [cast.kartrekker.email]
    assert round_.participants.count() == 4


def test_a_round_that_is_no_longer_open_sends_nothing(cast):
    assert services.after_round_opened(round_id=cast.consensus_round.pk) == 0
    assert services.after_round_opened(round_id=987654) == 0
    assert queued() == []


def change_participants(round_, users, by):
    """Save the round's settings as they are, with ``users`` as its participants (the round's edit page)."""
    round_ = Round.objects.get(pk=round_.pk)
    return round_services.do_update_round(
        round_=round_,
        title=round_.title,
        deadline=round_.deadline,
        meeting_date=round_.meeting_date,
        anonymous=round_.anonymous,
        participant_user_ids=[u.pk for u in users],
        facilitator=round_.facilitator,
        acting_user=by,
    )


def test_people_added_to_an_open_round_get_the_opening_mail_once_and_the_others_none(cast, commit):
    switch_off(cast.werkgroeplid, Kind.ROUND_OPENED)  # off when the round opened: no mail then
    with commit():
        round_ = make_open_round(cast, [cast.kartrekker, cast.werkgroeplid], deadline=datetime.date(2026, 12, 18))
    assert to(queued("staat open")) == [cast.kartrekker.email]
    NotificationPreference.objects.filter(user=cast.werkgroeplid).update(enabled=True)  # on again later
    newcomer = make_user("Nora Nieuwkomer", "nora@regenboog.test")
    make_member(cast.school, newcomer, Role.TEAMLID)
    with commit():
        change_participants(round_, [cast.kartrekker, cast.werkgroeplid, newcomer], cast.kartrekker)
    messages = queued("staat open")
    # Only the person added now; not the kartrekker again, nor the werkgroeplid who was a participant already.
    assert to(messages) == sorted([cast.kartrekker.email, newcomer.email])
    added = [m for m in messages if m["to"] == [newcomer.email]]
    assert len(added) == 1
    check_mail(added[0])
    assert "Ronde december" in added[0]["subject"] and "vrijdag 18 december 2026" in added[0]["body"]
    assert SITE + reverse("assessments:fill", args=[cast.school.pk, round_.pk]) in added[0]["body"]
    # Saved again (same people, or a title change), and the event once more: nothing new.
    with commit():
        change_participants(round_, [cast.kartrekker, cast.werkgroeplid, newcomer], cast.kartrekker)
    assert services.after_round_opened(round_id=round_.pk, user_ids=[newcomer.pk, cast.kartrekker.pk]) == 0
    assert len(queued("staat open")) == 2 and sent_rows(Kind.ROUND_OPENED) == 2
    # Taken out and added again: mailed once per round and person, so not a second time.
    with commit():
        change_participants(round_, [cast.kartrekker, cast.werkgroeplid], cast.kartrekker)
    with commit():
        change_participants(round_, [cast.kartrekker, cast.werkgroeplid, newcomer], cast.kartrekker)
    assert len(queued("staat open")) == 2


def test_people_added_to_a_round_past_filling_in_or_who_said_no_get_nothing(cast, commit):
    newcomer = make_user("Nora Nieuwkomer", "nora@regenboog.test")
    make_member(cast.school, newcomer, Role.TEAMLID)
    everyone = list(cast.consensus_round.participants.values_list("user", flat=True))
    users = list(type(newcomer).objects.filter(pk__in=everyone)) + [newcomer]
    with commit():
        change_participants(cast.consensus_round, users, cast.kartrekker)  # consensus: no longer open to fill in
    assert cast.consensus_round.participants.filter(user=newcomer).exists()
    assert queued() == []
    other = make_user("Otto Uit", "otto@regenboog.test")
    make_member(cast.school, other, Role.TEAMLID)
    switch_off(other, Kind.ROUND_OPENED)
    everyone = list(cast.open_round.participants.values_list("user", flat=True))
    with commit():
        change_participants(
            cast.open_round, list(type(other).objects.filter(pk__in=everyone)) + [other], cast.kartrekker
        )
    assert cast.open_round.participants.filter(user=other).exists()
    assert queued() == [] and sent_rows(Kind.ROUND_OPENED) == 0


# (b) Three days before the deadline -----------------------------------------------------------------------------


def test_deadline_reminder_goes_once_to_those_who_have_not_submitted(cast):
    today = timezone.localdate()
    deadline = today + datetime.timedelta(days=3)
    round_ = make_open_round(cast, [cast.kartrekker, cast.teamlid, cast.werkgroeplid], deadline=deadline)
    Round.objects.filter(pk=round_.pk).update(created_at=timezone.now() - datetime.timedelta(days=10))
    fill_completely(round_.participants.get(user=cast.kartrekker))
    switch_off(cast.werkgroeplid, Kind.ROUND_DEADLINE)
    earlier = today - datetime.timedelta(days=1)
    assert services.send_round_deadline_reminders(today=earlier) == 0  # four days before: not yet
    assert services.send_round_deadline_reminders(today=today) == 1
    assert services.send_round_deadline_reminders(today=today) == 0  # twice the same day
    assert services.send_round_deadline_reminders(today=today + datetime.timedelta(days=1)) == 0  # the next day
    messages = queued("in te vullen")
    assert to(messages) == [cast.teamlid.email]
    check_mail(messages[0])
    assert "nog 3 dag(en)" in messages[0]["subject"]
    # The deadline moves: one reminder for the new deadline.
    Round.objects.filter(pk=round_.pk).update(deadline=deadline + datetime.timedelta(days=1))
    assert services.send_round_deadline_reminders(today=today + datetime.timedelta(days=1)) == 1


def test_no_deadline_reminder_for_a_round_opened_within_the_three_days_or_not_open(cast):
    today = timezone.localdate()
    make_open_round(cast, [cast.teamlid], deadline=today + datetime.timedelta(days=2))  # opened today
    Round.objects.filter(pk=cast.consensus_round.pk).update(deadline=today + datetime.timedelta(days=3))
    assert services.send_round_deadline_reminders(today=today) == 0


def test_a_missed_day_is_caught_up_until_the_deadline(cast):
    today = timezone.localdate()
    round_ = make_open_round(cast, [cast.teamlid], deadline=today, created_days_ago=20)
    assert services.send_round_deadline_reminders(today=today) == 1
    assert "vandaag is de laatste dag" in queued()[0]["subject"]
    Round.objects.filter(pk=round_.pk).update(deadline=today - datetime.timedelta(days=1))
    assert services.send_round_deadline_reminders(today=today) == 0  # past its deadline: nothing


# (c) An action assigned -----------------------------------------------------------------------------------------


def test_an_action_assigned_mails_the_new_owner_once(cast, commit):
    with commit():
        action = make_action(cast.school, cast.kartrekker, "Rustplek inrichten", owner=cast.teamlid)
    messages = queued("actiepunt voor jou")
    assert to(messages) == [cast.teamlid.email]
    check_mail(messages[0])
    assert "Rustplek inrichten" in messages[0]["subject"]
    assert "Karel Kartrekker heeft jou verantwoordelijk gemaakt" in messages[0]["body"]
    assert SITE + reverse("actionplans:action", args=[cast.school.pk, action.pk]) in messages[0]["body"]

    def edit(owner, **extra):
        current = Action.objects.get(pk=action.pk)
        fields = {name: getattr(current, name) for name in plan_services.ACTION_FIELDS}
        fields.update(owner=owner, **extra)
        with commit():
            plan_services.do_update_action(
                action=current, expected_version=current.version, acting_user=cast.kartrekker, steps=[], **fields
            )

    edit(cast.teamlid, title="Rustplek inrichten en gebruiken")  # same owner: nothing
    edit(cast.werkgroeplid)  # another owner: to them
    edit(None)  # nobody: nothing
    assert to(queued("actiepunt voor jou")) == sorted([cast.teamlid.email, cast.werkgroeplid.email])
    # The event again: nothing more.
    current = Action.objects.get(pk=action.pk)
    assert services.after_action_assigned(action_id=action.pk, owner_id=current.owner_id) == 0


def test_no_mail_for_an_action_you_take_yourself_or_with_the_setting_off(cast, commit):
    switch_off(cast.teamlid, Kind.ACTION_ASSIGNED)
    with commit():
        make_action(cast.school, cast.kartrekker, "Zelf gepakt", owner=cast.kartrekker)
        make_action(cast.school, cast.kartrekker, "Voor Tina", owner=cast.teamlid)
        make_action(cast.school, cast.kartrekker, "Van niemand")
    assert queued() == []


# (d) The weekly digest ------------------------------------------------------------------------------------------


def digest_actions(cast):
    make_action(
        cast.school, cast.kartrekker, "Te late actie", owner=cast.teamlid, due_date=MONDAY - datetime.timedelta(1)
    )
    make_action(cast.school, cast.kartrekker, "Bijna af", owner=cast.teamlid, due_date=MONDAY + datetime.timedelta(6))
    make_action(
        cast.school, cast.kartrekker, "Nog lang niet", owner=cast.teamlid, due_date=MONDAY + datetime.timedelta(30)
    )
    make_action(
        cast.school,
        cast.kartrekker,
        "Al klaar",
        owner=cast.teamlid,
        due_date=MONDAY - datetime.timedelta(3),
        status="afgerond",
    )
    make_action(cast.school, cast.kartrekker, "Voor Wim", owner=cast.werkgroeplid, due_date=MONDAY)
    # The trainer's actions at the sister school: a digest of its own, with that school's name.
    make_member(cast.sister_school, cast.teamlid, Role.TEAMLID)
    make_action(cast.sister_school, cast.kartrekker, "Horizon-actie", owner=cast.teamlid, due_date=MONDAY)


def test_the_weekly_digest_goes_once_a_week_per_school_and_person(cast):
    digest_actions(cast)
    switch_off(cast.werkgroeplid, Kind.ACTION_DIGEST)
    assert services.send_action_digests(today=MONDAY + datetime.timedelta(days=1)) == 0  # a Tuesday: not today
    assert services.send_action_digests(today=MONDAY) == 2
    assert services.send_action_digests(today=MONDAY) == 0  # the scheduler ran twice
    messages = queued("actiepunten deze week")
    assert to(messages) == [cast.teamlid.email, cast.teamlid.email]
    regenboog = next(m for m in messages if m["subject"].startswith("De Regenboog"))
    horizon = next(m for m in messages if m["subject"].startswith("De Horizon"))
    check_mail(regenboog)
    check_mail(horizon, "De Horizon")
    assert "(1 te laat, 1 binnenkort)" in regenboog["subject"]
    body = regenboog["body"]
    assert "Te late actie" in body and "Bijna af" in body
    assert "Nog lang niet" not in body and "Al klaar" not in body and "Horizon-actie" not in body
    assert "Horizon-actie" in horizon["body"] and "Te late actie" not in horizon["body"]
    # The next Monday: again.
    assert services.send_action_digests(today=MONDAY + datetime.timedelta(days=7)) == 2


def test_no_digest_without_anything_late_or_due(cast):
    make_action(cast.school, cast.kartrekker, "Later", owner=cast.teamlid, due_date=MONDAY + datetime.timedelta(30))
    assert services.send_action_digests(today=MONDAY) == 0


# (e) A werkgroep meeting ---------------------------------------------------------------------------------------


def parse_ics(message) -> icalendar.Calendar:
    (attachment,) = message["attachments"]
    assert attachment["filename"].endswith(".ics") and attachment["mimetype"] == "text/calendar"
    return icalendar.Calendar.from_ical(attachment["content"])


def test_a_meeting_planned_then_changed_sends_an_invitation_with_the_agenda(cast, commit):
    make_action(
        cast.school,
        cast.kartrekker,
        "Te laat voor de agenda",
        owner=cast.teamlid,
        due_date=timezone.localdate() - datetime.timedelta(days=2),
    )
    day = timezone.localdate() + datetime.timedelta(days=10)
    with commit():
        meeting = make_meeting(
            cast.school,
            cast.kartrekker,
            day,
            start_time=datetime.time(15, 0),
            end_time=datetime.time(16, 30),
            location="Teamkamer",
            chair=cast.werkgroeplid,
        )
    messages = queued("werkgroep gepland")
    # The werkgroep, the kartrekker and the schoolleiding; not the teamlid nor the external trainer.
    assert to(messages) == sorted([cast.schoolleider.email, cast.kartrekker.email, cast.werkgroeplid.email])
    first = messages[0]
    check_mail(first)
    assert "Teamkamer" in first["body"] and "15:00–16:30" in first["body"]
    assert "Te laat voor de agenda" in first["body"] and "Te laat voor de agenda" in first["html"]
    assert "Voorzitter: Wim Werkgroep" in first["body"]
    cal = parse_ics(first)
    assert cal["METHOD"] == "REQUEST"
    (event,) = cal.walk("VEVENT")
    uid = str(event["UID"])
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART").hour == 15 and str(event["LOCATION"]) == "Teamkamer"
    assert "Te laat voor de agenda" in str(event["DESCRIPTION"])
    assert str(event["ORGANIZER"]).startswith("mailto:")

    # Changed: the same UID, a higher SEQUENCE, once per change.
    current = Meeting.objects.get(pk=meeting.pk)
    fields = {name: getattr(current, name) for name in plan_services.MEETING_FIELDS}
    with commit():
        plan_services.do_update_meeting(
            meeting=current,
            expected_version=current.version,
            acting_user=cast.kartrekker,
            **{**fields, "start_time": datetime.time(14, 0)},
        )
    changed = queued("werkgroep gewijzigd")
    assert len(changed) == 3
    (event2,) = parse_ics(changed[0]).walk("VEVENT")
    assert str(event2["UID"]) == uid and int(event2["SEQUENCE"]) == 2
    assert services.after_meeting_changed(meeting_id=meeting.pk) == 0  # the same version again: nothing
    # Saving without a change, or the minutes: no mail.
    current = Meeting.objects.get(pk=meeting.pk)
    fields = {name: getattr(current, name) for name in plan_services.MEETING_FIELDS}
    with commit():
        plan_services.do_update_meeting(
            meeting=current, expected_version=current.version, acting_user=cast.kartrekker, **fields
        )
        plan_services.do_save_minutes(
            meeting=current, minutes="Notulen", expected_version=current.version, acting_user=cast.kartrekker
        )
    assert len(queued()) == 6


def test_a_meeting_in_the_past_or_with_the_setting_off_sends_nothing(cast, commit):
    switch_off(cast.schoolleider, Kind.MEETING)
    with commit():
        make_meeting(cast.school, cast.kartrekker, timezone.localdate() - datetime.timedelta(days=3))
        make_meeting(cast.school, cast.kartrekker, timezone.localdate() + datetime.timedelta(days=3))
    assert to(queued()) == sorted([cast.kartrekker.email, cast.werkgroeplid.email])
    assert "uitnodiging.ics" in queued()[0]["body"]


def test_a_deleted_meeting_sends_its_invitees_a_cancellation_with_the_same_uid(cast, commit):
    day = timezone.localdate() + datetime.timedelta(days=10)
    with commit():
        meeting = make_meeting(
            cast.school, cast.kartrekker, day, start_time=datetime.time(15, 0), end_time=datetime.time(16, 0)
        )
    invitations = queued("werkgroep gepland")
    invitees = sorted([cast.schoolleider.email, cast.kartrekker.email, cast.werkgroeplid.email])
    assert to(invitations) == invitees
    for message in invitations:  # the ATTENDEE is the recipient, and no one else
        (event,) = parse_ics(message).walk("VEVENT")
        assert not isinstance(event["ATTENDEE"], list)  # one ATTENDEE line
        assert str(event["ATTENDEE"]) == f"mailto:{message['to'][0]}"
        assert event["ATTENDEE"].params["RSVP"] == "FALSE"
    (invited,) = parse_ics(invitations[0]).walk("VEVENT")
    # Joined the werkgroep after the invitation: no cancellation for a meeting they were never invited to.
    later = make_user("Lot Later", "lot@regenboog.test")
    make_member(cast.school, later, Role.WERKGROEPLID)
    with commit():
        plan_services.do_delete_meeting(meeting=meeting, acting_user=cast.kartrekker)
    cancellations = queued("gaat niet door")
    assert to(cancellations) == invitees
    for message in cancellations:
        check_mail(message)
        assert message["attachments"][0]["filename"] == "afzegging.ics"
        cal = parse_ics(message)  # parsed by the icalendar library
        assert cal["METHOD"] == "CANCEL"
        (event,) = cal.walk("VEVENT")
        assert str(event["UID"]) == str(invited["UID"])
        assert int(event["SEQUENCE"]) == int(invited["SEQUENCE"]) + 1 == 2
        assert str(event["STATUS"]) == "CANCELLED"
        assert event.decoded("DTSTART").hour == 15
        assert str(event["ATTENDEE"]) == f"mailto:{message['to'][0]}"
        assert str(event["ORGANIZER"]).startswith("mailto:")
        assert "gaat niet door" in message["body"] and "gaat niet door" in message["html"]
    # The same event again (a double click finds nothing live; a retried job): nothing more.
    with commit():
        plan_services.do_delete_meeting(meeting=meeting, acting_user=cast.kartrekker)
    assert services.after_meeting_cancelled(meeting_id=meeting.pk) == 0
    assert len(queued("gaat niet door")) == 3


def test_a_restored_meeting_is_sent_again_above_the_cancellation(cast, commit):
    """Restored from the trash: a new invitation (REQUEST) whose SEQUENCE outranks the cancellation, so calendars
    that removed the meeting show it again; deleted once more, a new cancellation above that."""
    with commit():
        meeting = make_meeting(cast.school, cast.kartrekker, timezone.localdate() + datetime.timedelta(days=4))
    with commit():
        plan_services.do_delete_meeting(meeting=meeting, acting_user=cast.kartrekker)
    switch_off(cast.schoolleider, Kind.MEETING)
    with commit():
        plan_services.do_restore_meeting(meeting=Meeting.all_objects.get(pk=meeting.pk), acting_user=cast.kartrekker)
    back = queued("gaat toch door")
    assert to(back) == sorted([cast.kartrekker.email, cast.werkgroeplid.email])
    check_mail(back[0])
    assert "gaat toch door" in back[0]["body"]
    cal = parse_ics(back[0])
    (event,) = cal.walk("VEVENT")
    assert cal["METHOD"] == "REQUEST" and int(event["SEQUENCE"]) == 3
    assert Meeting.objects.get(pk=meeting.pk).version == 3
    with commit():
        plan_services.do_delete_meeting(meeting=Meeting.objects.get(pk=meeting.pk), acting_user=cast.kartrekker)
    again = queued("gaat niet door")
    assert len(again) == 3 + 2  # the first cancellation to three, the second to the two who still want it
    (event,) = parse_ics(again[-1]).walk("VEVENT")
    assert int(event["SEQUENCE"]) == 4


def test_no_cancellation_for_a_meeting_in_the_past_or_for_who_switched_it_off(cast, commit):
    with commit():
        past = make_meeting(cast.school, cast.kartrekker, timezone.localdate() - datetime.timedelta(days=3))
        coming = make_meeting(cast.school, cast.kartrekker, timezone.localdate() + datetime.timedelta(days=3))
    switch_off(cast.werkgroeplid, Kind.MEETING)
    with commit():
        plan_services.do_delete_meeting(meeting=past, acting_user=cast.kartrekker)
        plan_services.do_delete_meeting(meeting=coming, acting_user=cast.kartrekker)
    assert to(queued("gaat niet door")) == sorted([cast.schoolleider.email, cast.kartrekker.email])


# (f) Two days before a training session ----------------------------------------------------------------------


def test_training_reminder_goes_once_to_the_group_and_its_trainers(cast):
    from tests.training_fixtures import make_training

    training = make_training(cast)
    today = timezone.localdate()
    TrainingSession.objects.update(date=today + datetime.timedelta(days=40))  # every plan, also the other school's
    TrainingSession.objects.filter(pk=training.werkmoment.pk).update(date=today + datetime.timedelta(days=2))
    switch_off(cast.werkgroeplid, Kind.TRAINING_REMINDER)
    assert services.send_training_reminders(today=today - datetime.timedelta(days=1)) == 0  # three days before
    assert services.send_training_reminders(today=today) == 3
    assert services.send_training_reminders(today=today) == 0
    assert services.send_training_reminders(today=today + datetime.timedelta(days=1)) == 0
    messages = queued()
    # Groep A: kartrekker, werkgroeplid (off), teamlid; trainer: the external trainer. Not the schoolleider.
    assert to(messages) == sorted([cast.kartrekker.email, cast.teamlid.email, cast.trainer.email])
    check_mail(messages[0])
    assert "Groep A" in messages[0]["body"]


def test_a_session_without_a_group_reminds_the_whole_team(cast):
    from tests.training_fixtures import make_training

    training = make_training(cast)
    today = timezone.localdate()
    TrainingSession.objects.update(date=today + datetime.timedelta(days=40))  # every plan, also the other school's
    TrainingSession.objects.filter(pk=training.session.pk).update(date=today + datetime.timedelta(days=1), group=None)
    training.session.trainers.set([])
    assert services.send_training_reminders(today=today) == 4
    assert to(queued()) == sorted(
        [cast.schoolleider.email, cast.kartrekker.email, cast.werkgroeplid.email, cast.teamlid.email]
    )
    assert cast.outsider.email not in to(queued())


@pytest.fixture
def board_session(cast):
    """Bestuur Noord's training for new staff (tests/training/board_fixtures.py) with module 1 (every participant:
    Nina at De Regenboog, Henk at De Horizon; trainer: the cast's external trainer) two days from today, nothing else
    near."""
    from tests.training.board_fixtures import make_board_training

    board = make_board_training(cast)
    today = timezone.localdate()
    TrainingSession.objects.update(date=today + datetime.timedelta(days=40))
    BoardTrainingSession.objects.update(date=today + datetime.timedelta(days=40))
    BoardTrainingSession.objects.filter(pk=board.module1.pk).update(date=today + datetime.timedelta(days=2))
    return board


def test_a_board_training_session_reminds_its_participants_and_trainers_once(cast, board_session):
    today = timezone.localdate()
    session = board_session.module1
    assert services.send_training_reminders(today=today - datetime.timedelta(days=1)) == 0  # three days before
    assert services.send_training_reminders(today=today) == 3
    assert services.send_training_reminders(today=today) == 0
    assert services.send_training_reminders(today=today + datetime.timedelta(days=1)) == 0
    messages = {m["to"][0]: m for m in queued()}
    assert sorted(messages) == sorted([board_session.nina.email, board_session.henk.email, cast.trainer.email])
    for message in messages.values():
        check_mail(message, school_name="Bestuur Noord")
        assert message["subject"].startswith("Bestuur Noord: Module 1 op ")
        assert "training TSO voor nieuwe medewerkers van Bestuur Noord (Nieuwe medewerkers)" in message["body"]
        assert "Bestuursbureau" in message["body"] and "13:30–16:30" in message["body"]
    # Each participant to their own school's training page, the trainer to the session's attendance.
    nina, henk, trainer = (messages[u.email] for u in (board_session.nina, board_session.henk, cast.trainer))
    assert SITE + reverse("training:overview", args=[cast.school.pk]) + "#h-via-bestuur" in nina["body"]
    assert SITE + reverse("training:overview", args=[cast.sister_school.pk]) + "#h-via-bestuur" in henk["body"]
    attendance = SITE + reverse("training:board_attendance", args=[cast.board.pk, session.pk])
    assert attendance in trainer["body"] and f'href="{attendance}"' in trainer["html"]
    assert "Je bent trainer bij deze sessie." in trainer["body"] and attendance not in nina["body"]
    rows = SentNotification.objects.filter(kind=Kind.TRAINING_REMINDER)
    assert sorted(rows.values_list("object_key", "period_key").distinct()) == [
        (f"board-session:{session.pk}", f"date:{(today + datetime.timedelta(days=2)).isoformat()}")
    ]
    # Moved to another day: reminded again for the new date.
    BoardTrainingSession.objects.filter(pk=session.pk).update(date=today + datetime.timedelta(days=3))
    assert services.send_training_reminders(today=today + datetime.timedelta(days=1)) == 3


def test_a_board_training_reminder_respects_the_setting_the_group_and_the_trainer_role(cast, board_session):
    from training import board_services

    today = timezone.localdate()
    switch_off(board_session.henk, Kind.TRAINING_REMINDER)
    # A group session (module 2: Groep 1, no trainers), and another board's session on the same day.
    BoardTrainingSession.objects.filter(pk__in=[board_session.module2.pk, board_session.other_session.pk]).update(
        date=today + datetime.timedelta(days=1)
    )
    Membership.objects.filter(user=cast.trainer, school=cast.sister_school).delete()
    Membership.objects.filter(user=cast.trainer, school=cast.school).update(is_trainer_extern=False)
    assert board_services.trainer_choices(board_session.training).filter(pk=cast.trainer.pk).exists() is False
    assert services.send_board_training_reminders(today=today) == 3
    sent = sorted((m["to"][0], m["subject"].split(":")[0]) for m in queued())
    assert sent == sorted(
        [
            (board_session.nina.email, "Bestuur Noord"),  # module 1
            (board_session.nina.email, "Bestuur Noord"),  # module 2 (her group)
            (cast.outsider.email, "Bestuur Zuid"),  # the other board's own training
        ]
    )


def test_a_board_training_reminder_in_the_persons_language(cast, board_session):
    from accounts.models import User

    User.objects.filter(pk=board_session.nina.pk).update(language="en")
    assert services.send_board_training_reminders(today=timezone.localdate()) == 3
    messages = {m["to"][0]: m for m in queued()}
    english, dutch = messages[board_session.nina.email], messages[board_session.henk.email]
    assert english["subject"].startswith("Bestuur Noord: Module 1 on ")
    assert "A session of the TSO training for new staff of Bestuur Noord" in english["body"]
    assert '<html lang="en">' in english["html"]
    assert dutch["subject"].startswith("Bestuur Noord: Module 1 op ")


# The scheduler, twice ----------------------------------------------------------------------------------------


def test_the_scheduler_running_twice_queues_each_reminder_once(cast, settings):
    """Two schedulers (or one restarted) queue the reminder jobs twice; the worker runs both; each mail goes once."""
    today = timezone.localdate()
    make_open_round(cast, [cast.teamlid], deadline=today + datetime.timedelta(days=3), created_days_ago=10)
    make_action(
        cast.school, cast.kartrekker, "Te laat", owner=cast.teamlid, due_date=today - datetime.timedelta(days=1)
    )
    jobs = [j for j in scheduler.SCHEDULE if j.command.startswith("send_")]
    assert [j.command for j in jobs] == [
        "send_round_deadline_reminders",
        "send_action_digests",
        "send_training_reminders",
    ]
    now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(9, 0)))
    assert scheduler.run_due_jobs(now, {}, schedule=jobs) == jobs
    assert scheduler.run_due_jobs(now, {}, schedule=jobs) == jobs  # a second scheduler
    assert run_queued() == 6 + 1 + (1 if today.weekday() == services.DIGEST_WEEKDAY else 0)
    reminders = [m for m in mail.outbox if "in te vullen" in m.subject]
    assert [m.to for m in reminders] == [[cast.teamlid.email]]
    assert sent_rows(Kind.ROUND_DEADLINE) == 1
    assert sent_rows(Kind.ACTION_DIGEST) == (1 if today.weekday() == services.DIGEST_WEEKDAY else 0)


def test_the_scheduler_running_twice_queues_each_board_training_reminder_once(cast, board_session):
    jobs = [j for j in scheduler.SCHEDULE if j.command == "send_training_reminders"]
    now = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(9, 0)))
    assert scheduler.run_due_jobs(now, {}, schedule=jobs) == jobs
    assert scheduler.run_due_jobs(now, {}, schedule=jobs) == jobs  # a second scheduler
    assert run_queued() == 2 + 3  # the two jobs, then the three reminders
    reminders = [m for m in mail.outbox if m.subject.startswith("Bestuur Noord: Module 1")]
    assert sorted(m.to[0] for m in reminders) == sorted(
        [board_session.nina.email, board_session.henk.email, cast.trainer.email]
    )
    key = f"board-session:{board_session.module1.pk}"
    assert SentNotification.objects.filter(kind=Kind.TRAINING_REMINDER, object_key=key).count() == 3


def test_the_commands_run_for_a_given_day(cast):
    make_action(
        cast.school, cast.kartrekker, "Te laat", owner=cast.teamlid, due_date=MONDAY - datetime.timedelta(days=1)
    )
    from io import StringIO

    out = StringIO()
    call_command("send_action_digests", today=MONDAY, stdout=out)
    call_command("send_action_digests", today=MONDAY, stdout=out)
    call_command("send_action_digests", "--today", "2026-12-08", "--any-weekday", stdout=out)  # same ISO week
    call_command("send_round_deadline_reminders", stdout=out)
    call_command("send_training_reminders", stdout=out)
    assert out.getvalue().splitlines() == [
        "1 e-mail(s) in de wachtrij gezet",
        "0 e-mail(s) in de wachtrij gezet",
        "0 e-mail(s) in de wachtrij gezet",
        "0 e-mail(s) in de wachtrij gezet",
        "0 e-mail(s) in de wachtrij gezet",
    ]


# What a real message looks like --------------------------------------------------------------------------------


def test_the_sent_message_has_text_html_and_the_invitation(cast, commit):
    with commit():
        make_meeting(
            cast.school,
            cast.kartrekker,
            timezone.localdate() + datetime.timedelta(days=5),
            start_time=datetime.time(9, 0),
        )
    assert run_queued() == 3
    message = mail.outbox[0]
    assert message.subject.startswith("De Regenboog: werkgroep gepland op ")
    assert message.alternatives[0].mimetype == "text/html"
    assert "<h2" in message.alternatives[0].content
    raw = message.message()
    parts = {part.get_content_type(): part for part in raw.walk()}
    assert {"text/plain", "text/html", "text/calendar"} <= set(parts)
    assert "uitnodiging.ics" in parts["text/calendar"].get("Content-Disposition")
    cal = icalendar.Calendar.from_ical(parts["text/calendar"].get_payload(decode=True))
    assert cal["METHOD"] == "REQUEST"


def test_no_mail_ever_holds_anyones_answers(cast, commit):
    """Rounds with written answers and agreements; every kind of mail is queued; none holds a word of them."""
    secret = "Geheimantwoord"
    today = timezone.localdate()
    with commit():
        round_ = make_open_round(
            cast, [cast.kartrekker, cast.teamlid, cast.werkgroeplid], deadline=today + datetime.timedelta(days=3)
        )
    Round.objects.filter(pk=round_.pk).update(created_at=timezone.now() - datetime.timedelta(days=10))
    for p in round_.participants.exclude(user=cast.teamlid):
        fill_completely(p, strengths=f"{secret} sterk {p.pk}", goal=f"{secret} doel {p.pk}")
    fill_completely(round_.participants.get(user=cast.teamlid), strengths=secret, goal=secret, submit=False)
    for p in cast.open_round.participants.all():
        fill_completely(p, strengths=secret, goal=secret, submit=False)
    newcomer = make_user("Nora Nieuwkomer", "nora@regenboog.test")
    make_member(cast.school, newcomer, Role.TEAMLID)
    with commit():
        make_action(cast.school, cast.kartrekker, "Actie", owner=cast.teamlid, due_date=MONDAY)
        meeting = make_meeting(cast.school, cast.kartrekker, today + datetime.timedelta(days=4))
        change_participants(round_, [cast.kartrekker, cast.teamlid, cast.werkgroeplid, newcomer], cast.kartrekker)
    with commit():
        plan_services.do_delete_meeting(meeting=meeting, acting_user=cast.kartrekker)
    services.send_round_deadline_reminders(today=today)
    services.send_action_digests(today=MONDAY)
    from tests.training.board_fixtures import make_board_training
    from tests.training_fixtures import make_training

    training = make_training(cast)
    TrainingSession.objects.filter(pk=training.werkmoment.pk).update(date=today + datetime.timedelta(days=2))
    board = make_board_training(cast)
    BoardTrainingSession.objects.filter(pk=board.module1.pk).update(date=today + datetime.timedelta(days=2))
    services.send_training_reminders(today=today)
    messages = queued()
    # The opening mail to the one added later, the cancellation and the board's reminder are among them.
    assert newcomer.email in to(queued("staat open"))
    assert queued("gaat niet door") and queued("Bestuur Noord: Module 1")
    kinds = {kind for (kind,) in SentNotification.objects.values_list("kind").distinct()}
    assert kinds == set(Kind.values), kinds
    for message in messages:
        everything = message["subject"] + message["body"] + message["html"] + str(message.get("attachments", ""))
        assert secret not in everything
        assert "Sterk" not in everything and "sterk " not in everything


# Mijn gegevens → E-mails die je krijgt ---------------------------------------------------------------------------


def test_the_preferences_page_shows_the_defaults_and_saves_a_choice(cast, login):
    client = login(cast.teamlid)
    url = reverse("notifications:preferences")
    page = client.get(url).content.decode()
    assert page.count('type="checkbox"') == len(Kind.values) and page.count("checked") == len(Kind.values)
    assert "E-mails die je krijgt" in client.get(reverse("accounts:account")).content.decode()
    response = client.post(url, {"enabled": ["round_opened", "meeting"]})
    assert response.status_code == 302
    assert services.preferences(cast.teamlid) == {kind: kind in ("round_opened", "meeting") for kind in Kind.values}
    assert "Je keuze van e-mails is opgeslagen." in client.get(url).content.decode()
    row = AuditEvent.objects.get(action="account.notifications_changed")
    assert row.actor == cast.teamlid
    assert sorted(row.data["off"]) == sorted(set(Kind.values) - {"round_opened", "meeting"}) and row.data["on"] == []
    # Everything off, then one back on.
    assert client.post(url, {}).status_code == 302
    assert not any(services.preferences(cast.teamlid).values())
    client.post(url, {"enabled": ["meeting"]})
    assert services.preferences(cast.teamlid)["meeting"] is True
    assert NotificationPreference.objects.filter(user=cast.teamlid).count() == len(Kind.values)
    assert services.preferences(cast.kartrekker) == dict.fromkeys(Kind.values, True)  # others unchanged


@pytest.mark.parametrize("bad", [{"enabled": ["spam"]}, {"enabled": ["meeting", "x" * 5000]}, {"enabled": [""]}])
def test_bad_input_on_the_preferences_form(cast, login, bad):
    client = login(cast.teamlid)
    response = client.post(reverse("notifications:preferences"), bad)
    assert response.status_code == 400
    assert "Kies alleen uit de soorten e-mail in de lijst. Er is niets opgeslagen." in response.content.decode()
    assert not NotificationPreference.objects.exists()
    assert not AuditEvent.objects.filter(action="account.notifications_changed").exists()


def test_only_your_own_preferences(cast):
    from core.errors import ServiceError

    with pytest.raises(ServiceError):
        services.do_set_notification_preferences(user=cast.teamlid, enabled=[], acting_user=cast.kartrekker)
    with pytest.raises(ServiceError):
        services.do_set_notification_preferences(user=cast.teamlid, enabled=["spam"], acting_user=cast.teamlid)
    assert not NotificationPreference.objects.exists()


def test_my_data_lists_the_preferences_and_the_mails_and_erasure_removes_them(cast, commit):
    switch_off(cast.teamlid, Kind.ACTION_DIGEST)
    with commit():
        make_open_round(cast, [cast.teamlid])
    data = collect_my_data(cast.teamlid)
    assert [(r["kind"], r["enabled"]) for r in data["emailvoorkeuren"]] == [("action_digest", False)]
    assert [r["kind"] for r in data["verstuurde_meldingen"]] == ["round_opened"]
    do_erase_me(user=cast.teamlid, acting_user=cast.teamlid)
    assert not NotificationPreference.objects.filter(user=cast.teamlid).exists()
    assert not SentNotification.objects.filter(user=cast.teamlid).exists()
    # An erased person is never mailed again (no membership, inactive, no address).
    assert services.recipients(Kind.ROUND_OPENED, cast.school.pk, [cast.teamlid.pk]) == []


# The real worker against PostgreSQL ---------------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker test runs against PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_queued_reminders_once_on_postgresql(settings):
    """Committed for real: the round's opening mail is queued by the event after the commit, the deadline job runs
    twice as the scheduler's task, and `manage.py db_worker` sends every message once."""
    from tests.conftest import build_cast

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    cast = build_cast()
    DBTaskResult.objects.all().delete()
    mail.outbox = []
    today = timezone.localdate()
    round_ = make_open_round(cast, [cast.kartrekker, cast.teamlid], deadline=today + datetime.timedelta(days=3))
    Round.objects.filter(pk=round_.pk).update(created_at=timezone.now() - datetime.timedelta(days=10))
    assert len(queued("staat open")) == 2  # queued on commit by the event
    jobs = [scheduler.Job("send_round_deadline_reminders", datetime.time(0, 0))]
    scheduler.run_due_jobs(timezone.now(), {}, schedule=jobs)
    scheduler.run_due_jobs(timezone.now(), {}, schedule=jobs)
    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)
    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)
    subjects = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert subjects == sorted(
        [
            (cast.kartrekker.email, "De Regenboog: de ronde ‘Ronde december’ staat open"),
            (cast.teamlid.email, "De Regenboog: de ronde ‘Ronde december’ staat open"),
            (cast.kartrekker.email, "De Regenboog: nog 3 dag(en) om ‘Ronde december’ in te vullen"),
            (cast.teamlid.email, "De Regenboog: nog 3 dag(en) om ‘Ronde december’ in te vullen"),
        ]
    )
    assert all(m.alternatives for m in mail.outbox)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert SentNotification.objects.filter(object_key=f"round:{round_.pk}").count() == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-lock test needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_the_same_moment_queue_one_digest(settings):
    """Two processes run the digest at once: the unique row makes the second wait for the first and then skip."""
    import threading

    from django.db import connections

    from tests.conftest import build_cast

    cast = build_cast()
    make_action(cast.school, cast.kartrekker, "Te laat", owner=cast.teamlid, due_date=MONDAY - datetime.timedelta(1))
    DBTaskResult.objects.all().delete()
    barrier = threading.Barrier(2)
    results: list = []

    def run():
        try:
            barrier.wait()
            results.append(services.send_action_digests(today=MONDAY))
        except Exception as exc:  # pragma: no cover - reported below
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == [0, 1]
    assert len(queued("actiepunten deze week")) == 1
    assert SentNotification.objects.filter(kind=Kind.ACTION_DIGEST).count() == 1
