"""Every mail in its recipient's language (issue 16, part 2), whatever language the page that caused it was in: the
login code (accounts), an invitation (organisations: the invited account's language, else the inviter's), a round's
reminder (assessments), the reflection questions (training) and the mail that arrives by itself (notifications:
subject, dates and the .ics invitation too)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import translation

from accounts import services as account_services
from accounts.models import User
from assessments import services as round_services
from notifications import services as notification_services
from organisations import services as organisation_services
from tests.factories import make_user


def english(text: str) -> str:
    with translation.override("en"):
        translated = translation.gettext(text)
    assert translated != text, f"the catalogue has no English for {text!r}"
    return translated


def set_language(user, language: str):
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language
    return user


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_the_login_code_in_the_persons_language(cast, commit):
    set_language(cast.teamlid, "en")
    with translation.override("nl"), commit():  # asked for on a Dutch page
        account_services.do_request_login_code(email=cast.teamlid.email)
    assert mail.outbox[-1].subject == english("Je inlogcode voor Groeiwijzer TSO")
    assert "inlogcode" not in mail.outbox[-1].body.lower()
    with translation.override("en"), commit():  # asked for on an English page by a Dutch reader
        account_services.do_request_login_code(email=cast.kartrekker.email)
    assert mail.outbox[-1].subject == "Je inlogcode voor Groeiwijzer TSO"


def test_an_invitation_in_the_language_of_the_account_else_the_inviters(cast, commit):
    english_member = set_language(make_user("Erin English", "erin@elders.test"), "en")
    subject_en = english("Uitnodiging voor Groeiwijzer TSO – %(school)s") % {"school": cast.school.name}
    subject_nl = f"Uitnodiging voor Groeiwijzer TSO – {cast.school.name}"

    def invite(email, inviter):
        with commit():
            organisation_services.do_invite_members(
                school=cast.school, emails=[email], roles=["teamlid"], acting_user=inviter, base_url="https://x.test"
            )
        return mail.outbox[-1]

    assert invite(english_member.email, cast.schoolleider).subject == subject_en  # the account's own language
    assert invite("nieuw@regenboog.test", cast.schoolleider).subject == subject_nl  # no account: the inviter's (nl)
    set_language(cast.kartrekker, "en")
    message = invite("new@regenboog.test", cast.kartrekker)
    assert message.subject == subject_en
    assert "nodigt je uit" not in message.body and cast.kartrekker.display_name in message.body


def test_a_round_reminder_in_each_participants_language(cast, commit):
    set_language(cast.teamlid, "en")
    round_ = cast.open_round
    before = len(mail.outbox)
    with translation.override("nl"), commit():
        round_services.do_send_reminders(round_=round_, acting_user=cast.kartrekker, base_url="https://x.test")
    subjects = {m.to[0]: m.subject for m in mail.outbox[before:]}
    assert subjects[cast.teamlid.email] == english("Herinnering: %(title)s") % {"title": round_.title}
    others = [subject for address, subject in subjects.items() if address != cast.teamlid.email]
    assert others and all(s == f"Herinnering: {round_.title}" for s in others)


def test_a_round_opened_mail_in_each_participants_language_with_its_dates(cast, commit, settings):
    settings.SITE_URL = "https://groeiwijzer.example"
    set_language(cast.teamlid, "en")
    with translation.override("en"), commit():  # opened by someone on an English page
        round_ = round_services.do_create_round(
            school=cast.school,
            title="Ronde december",
            deadline=datetime.date(2026, 12, 18),
            meeting_date=None,
            anonymous=True,
            participant_user_ids=[cast.teamlid.pk, cast.werkgroeplid.pk],
            facilitator=None,
            acting_user=cast.kartrekker,
        )
    by_address = {m.to[0]: m for m in mail.outbox if "Ronde december" in m.subject}
    english_mail, dutch_mail = by_address[cast.teamlid.email], by_address[cast.werkgroeplid.email]
    opened_en = english("de ronde ‘%(title)s’ staat open") % {"title": round_.title}
    assert english_mail.subject == f"De Regenboog: {opened_en}"
    assert "Friday 18 December 2026" in english_mail.body
    assert dutch_mail.subject == "De Regenboog: de ronde ‘Ronde december’ staat open"
    assert "vrijdag 18 december 2026" in dutch_mail.body
    html = english_mail.alternatives[0][0] if english_mail.alternatives else ""
    assert "Friday 18 December 2026" in html and '<html lang="en">' in html


def test_a_meeting_invitation_in_each_recipients_language(cast, commit, settings):
    from tests.factories import make_meeting

    set_language(cast.werkgroeplid, "en")
    day = datetime.date.today() + datetime.timedelta(days=10)
    with commit():
        make_meeting(cast.school, cast.kartrekker, day, start_time=datetime.time(15, 0), location="Teamkamer")
    mails = {m.to[0]: m for m in mail.outbox}
    english_mail, dutch_mail = mails[cast.werkgroeplid.email], mails[cast.kartrekker.email]
    assert english("werkgroep gepland op %(when)s").split("%(when)s")[0] in english_mail.subject
    assert "werkgroep gepland op" in dutch_mail.subject
    ics_en = next(a for a in english_mail.attachments if str(a[0]).endswith(".ics"))
    ics_nl = next(a for a in dutch_mail.attachments if str(a[0]).endswith(".ics"))
    assert ics_nl[0] == "uitnodiging.ics" and ics_en[0] == english("uitnodiging.ics")
    summary_en = english("Werkgroep TSO %(school)s") % {"school": "De Regenboog"}
    assert summary_en in ics_en[1].replace("\r\n ", "") and "Werkgroep TSO De Regenboog" in ics_nl[1]


def test_the_scheduler_writes_in_each_persons_language_too(cast, commit):
    """Without a request (the daily jobs): the training reminder's subject and date per person."""
    from tests.training_fixtures import make_training
    from training.models import TrainingSession

    set_language(cast.teamlid, "en")
    training = make_training(cast)
    today = datetime.date(2026, 12, 7)
    TrainingSession.objects.update(date=today + datetime.timedelta(days=40))
    TrainingSession.objects.filter(pk=training.session.pk).update(date=datetime.date(2026, 12, 9), group=None)
    with commit():
        assert notification_services.send_training_reminders(today=today) >= 2
    mails = {m.to[0]: m for m in mail.outbox}
    assert "Wednesday 9 December 2026" in mails[cast.teamlid.email].subject
    assert "woensdag 9 december 2026" in mails[cast.kartrekker.email].subject


def test_the_mail_instead_of_a_code_in_the_persons_language(cast, settings, client, commit):
    """A school that switched the e-mail code off: the mail that says how to log in (accounts/sso.py)."""
    from django.urls import reverse

    from tests.sso_helpers import configure

    configure(settings, "https://entree.test")
    type(cast.school).objects.filter(pk=cast.school.pk).update(sso_required=True, sso_code_fallback=False)
    set_language(cast.teamlid, "en")
    mail.outbox.clear()
    with commit():  # asked for on a Dutch page
        client.post(reverse("accounts:code_request"), {"email": cast.teamlid.email})
    [message] = mail.outbox
    assert message.subject == english("Inloggen bij Groeiwijzer TSO")
    assert "schoolaccount" not in message.body
