"""Behaviour of the service functions and the flows built on them, mostly through the test client.

Invitations, roles and membership removal, one-time login codes and password login; the round flow
(create, draft, submit, withdraw, remind, status changes, reopen); frozen model versions; the summary
for the consensus and result pages; the ``ontwikkelmodel`` management command and its content file.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from accounts.models import LoginCode, User
from assessments import services
from assessments.models import Answer, ConsensusItem, Round, RoundStatus
from assessments.summary import summarise
from audit.models import AuditEvent
from core.errors import ServiceError
from ontwikkelmodel.content import CONTENT_DIR, load_file
from ontwikkelmodel.models import ModelVersion
from organisations.models import Invitation, Membership, Role
from tests.consensus_pages import consensus_in_full
from tests.factories import PASSWORD, fill_completely, make_round, move_to
from tests.helpers import audit, logged_in_user_id, membership, participant, text

# Invitations --------------------------------------------------------------------------------------------


def invite(client, cast, on_commit, emails, roles):
    with on_commit():
        return client.post(reverse("organisations:invite", args=[cast.school.pk]), {"emails": emails, "roles": roles})


def link_path(message) -> str:
    match = re.search(r"https?://testserver(/uitnodiging/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_invitation_flow_from_email_to_membership(cast, login, on_commit):
    organiser = login(cast.kartrekker)
    response = invite(organiser, cast, on_commit, "Nieuwe.Collega@Regenboog.test", ["teamlid", "werkgroeplid"])
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nieuwe.collega@regenboog.test"]
    assert "De Regenboog" in message.subject
    assert "7 dagen geldig" in message.body
    path = link_path(message)
    invitation = Invitation.objects.get(email="nieuwe.collega@regenboog.test")
    assert invitation.token_hash not in message.body  # only the hash is stored, the token only mailed
    assert [e.data for e in audit("invitation.created", object_id=str(invitation.pk))] == [{"roles": invitation.roles}]

    # A mail scanner opens the link twice: nothing is consumed, nobody is logged in.
    scanner = Client()
    for _ in range(2):
        response = scanner.get(path)
        assert response.status_code == 200
        assert "Uitnodiging aannemen" in text(response)
    invitation.refresh_from_db()
    assert invitation.is_open and invitation.accepted_at is None
    assert not User.objects.filter(email="nieuwe.collega@regenboog.test").exists()
    assert logged_in_user_id(scanner) is None

    # The person clicks the button: account, membership with the roles, logged in.
    person = Client()
    response = person.post(path, {"name": "Nieuwe Collega", "password": "een-heel-lang-wachtwoord-7"})
    assert response.status_code == 302
    assert response.url == reverse("organisations:school", args=[cast.school.pk])
    user = User.objects.get(email="nieuwe.collega@regenboog.test")
    assert user.name == "Nieuwe Collega"
    assert user.check_password("een-heel-lang-wachtwoord-7")
    assert set(membership(cast.school, user).roles) == {Role.TEAMLID, Role.WERKGROEPLID}
    assert logged_in_user_id(person) == str(user.pk)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None and invitation.accepted_by == user
    assert len(audit("invitation.accepted", object_id=str(invitation.pk))) == 1

    # A second POST (another browser, or the same one) gets the "al gebruikt of verlopen" page.
    for client in (Client(), person):
        response = client.post(path, {"name": "Nog eens", "password": "een-heel-lang-wachtwoord-8"})
        assert response.status_code == 410
        assert "Deze uitnodiging werkt niet (meer)" in text(response)
        assert "al gebruikt, is verlopen" in text(response)
    assert Membership.objects.filter(user=user).count() == 1
    assert len(audit("invitation.accepted")) == 1


def test_invitation_without_password_needs_a_name_and_logs_in(cast, login, on_commit):
    invite(login(cast.kartrekker), cast, on_commit, "zonder.wachtwoord@regenboog.test", ["teamlid"])
    path = link_path(mail.outbox[-1])
    person = Client()
    response = person.post(path, {"name": "", "password": ""})
    assert response.status_code == 400
    assert "Dit veld is verplicht." in text(response)
    response = person.post(path, {"name": "Zonder Wachtwoord", "password": "kort"})
    assert response.status_code == 400
    assert "Dit wachtwoord is te kort" in text(response)
    assert not User.objects.filter(email="zonder.wachtwoord@regenboog.test").exists()

    response = person.post(path, {"name": "Zonder Wachtwoord", "password": ""})
    assert response.status_code == 302
    user = User.objects.get(email="zonder.wachtwoord@regenboog.test")
    assert not user.has_usable_password()  # logs in with a code later
    assert logged_in_user_id(person) == str(user.pk)


def test_invitation_expires_after_seven_days(cast, login, on_commit):
    invite(login(cast.kartrekker), cast, on_commit, "laat@regenboog.test", ["teamlid"])
    path = link_path(mail.outbox[-1])
    invitation = Invitation.objects.get(email="laat@regenboog.test")
    assert settings.INVITATION_VALID_DAYS == 7
    assert abs(invitation.expires_at - invitation.created_at - timedelta(days=7)) < timedelta(seconds=1)

    # Six days and 23 hours later: still open.
    shift = timedelta(days=6, hours=23)
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=invitation.created_at - shift, expires_at=invitation.expires_at - shift
    )
    assert Client().get(path).status_code == 200

    # Seven days and a minute: expired, for GET and POST, and nothing is created.
    shift = timedelta(days=7, minutes=1)
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=invitation.created_at - shift, expires_at=invitation.expires_at - shift
    )
    person = Client()
    assert person.get(path).status_code == 410
    response = person.post(path, {"name": "Te Laat", "password": ""})
    assert response.status_code == 410
    assert "verlopen" in text(response)
    assert not User.objects.filter(email="laat@regenboog.test").exists()
    assert not audit("invitation.accepted")


def test_existing_user_accepting_keeps_their_password(cast, login, on_commit):
    hans = User.objects.get(name="Hans Horizon")  # schoolleider of the sister school, has a password
    password_hash = hans.password
    invite(login(cast.kartrekker), cast, on_commit, hans.email, ["trainer_intern"])
    assert mail.outbox[-1].to == [hans.email]
    path = link_path(mail.outbox[-1])

    client = Client()
    response = client.get(path)
    assert "Je hebt al een account" in text(response)
    assert 'name="password"' not in text(response)
    response = client.post(path, {"name": "Overschreven", "password": "een-ander-wachtwoord-99"})
    assert response.status_code == 302
    # The link alone does not open an existing account (it may reach other schools): log in first.
    school_url = reverse("organisations:school", args=[cast.school.pk])
    assert response["Location"] == reverse("accounts:login") + "?" + urlencode({"next": school_url})
    assert "_auth_user_id" not in client.session
    hans.refresh_from_db()
    assert hans.password == password_hash
    assert hans.check_password(PASSWORD)
    assert hans.name == "Hans Horizon"
    assert membership(cast.school, hans).roles == [Role.TRAINER_INTERN]
    assert membership(cast.sister_school, hans).roles == [Role.SCHOOLLEIDING]  # untouched


def test_logged_in_user_with_another_email_is_refused(cast, login, on_commit):
    invite(login(cast.kartrekker), cast, on_commit, "iemand.anders@regenboog.test", ["teamlid"])
    path = link_path(mail.outbox[-1])
    client = login(cast.teamlid)
    response = client.post(path, {"name": "Tina", "password": ""})
    assert response.status_code == 400
    assert "Je bent ingelogd als teamlid@regenboog.test" in text(response)
    assert "Log eerst uit." in text(response)
    assert Invitation.objects.get(email="iemand.anders@regenboog.test").is_open
    assert not User.objects.filter(email="iemand.anders@regenboog.test").exists()
    assert not audit("invitation.accepted")


def test_logged_in_user_with_the_right_email_accepts(cast, login, on_commit):
    hans = User.objects.get(name="Hans Horizon")
    invite(login(cast.kartrekker), cast, on_commit, hans.email, ["werkgroeplid"])
    path = link_path(mail.outbox[-1])
    client = login(hans)
    response = client.post(path, {})
    assert response.status_code == 302
    assert membership(cast.school, hans).roles == [Role.WERKGROEPLID]


def test_inviting_an_existing_member_adds_roles_instead(cast, login, on_commit):
    organiser = login(cast.kartrekker)
    response = invite(organiser, cast, on_commit, "TEAMLID@regenboog.test, nieuw@regenboog.test", ["werkgroeplid"])
    assert response.status_code == 302
    follow = organiser.get(response.url)
    assert "1 uitnodiging(en) aangemaakt. De e-mail staat in de wachtrij" in text(follow)
    assert "1 bestaande leden kregen de rol erbij." in text(follow)
    assert set(membership(cast.school, cast.teamlid).roles) == {Role.TEAMLID, Role.WERKGROEPLID}
    assert not Invitation.objects.filter(email=cast.teamlid.email).exists()
    assert [m.to for m in mail.outbox] == [["nieuw@regenboog.test"]]
    events = audit("membership.roles_added")
    assert len(events) == 1 and events[0].data == {"roles": ["werkgroeplid"]}
    assert events[0].actor == cast.kartrekker


def test_inviting_again_revokes_the_older_invitation(cast, login, on_commit):
    organiser = login(cast.kartrekker)
    invite(organiser, cast, on_commit, "twee.keer@regenboog.test", ["teamlid"])
    first_path = link_path(mail.outbox[-1])
    invite(organiser, cast, on_commit, "twee.keer@regenboog.test", ["werkgroeplid"])
    second_path = link_path(mail.outbox[-1])
    assert Client().get(first_path).status_code == 410
    assert Client().get(second_path).status_code == 200
    assert [i.is_open for i in Invitation.objects.filter(email="twee.keer@regenboog.test").order_by("pk")] == [
        False,
        True,
    ]


def test_revoking_an_invitation_closes_the_link_and_is_audited(cast, login, on_commit):
    organiser = login(cast.kartrekker)
    invite(organiser, cast, on_commit, "weg@regenboog.test", ["teamlid"])
    path = link_path(mail.outbox[-1])
    invitation = Invitation.objects.get(email="weg@regenboog.test")
    response = organiser.post(reverse("organisations:invitation_revoke", args=[cast.school.pk, invitation.pk]))
    assert response.status_code == 302
    assert Client().get(path).status_code == 410
    assert len(audit("invitation.revoked", object_id=str(invitation.pk))) == 1


def test_role_change_is_saved_and_audited(cast, login):
    target = membership(cast.school, cast.teamlid)
    client = login(cast.kartrekker)
    response = client.post(
        reverse("organisations:member_edit", args=[cast.school.pk, target.pk]), {"roles": ["werkgroeplid", "teamlid"]}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert set(target.roles) == {Role.WERKGROEPLID, Role.TEAMLID}
    (event,) = audit("membership.roles_changed")
    assert event.actor == cast.kartrekker
    assert event.school == cast.school
    assert event.data == {"before": ["teamlid"], "after": ["werkgroeplid", "teamlid"], "user": cast.teamlid.pk}


def test_member_page_sets_since_when_someone_is_in_the_team(cast, login):
    """The team training's "nog te trainen" list counts from this date, so the school can correct it."""
    import datetime

    from training.overview import build_overview
    from training.services import do_create_plan

    target = membership(cast.school, cast.teamlid)
    url = reverse("organisations:member_edit", args=[cast.school.pk, target.pk])
    client = login(cast.kartrekker)
    page = text(client.get(url))
    assert "In het team sinds" in page and 'name="joined_on"' in page
    response = client.post(url, {"roles": ["teamlid"], "joined_on": "2027-01-15"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert timezone.localtime(target.joined_at).date() == datetime.date(2027, 1, 15)
    (event,) = audit("membership.roles_changed")
    assert event.data["joined"][1] == "2027-01-15"
    wim = membership(cast.school, cast.werkgroeplid)
    wim_url = reverse("organisations:member_edit", args=[cast.school.pk, wim.pk])
    assert client.post(wim_url, {"roles": wim.roles, "joined_on": "2026-01-05"}).status_code == 302
    plan = do_create_plan(school=cast.school, school_year=2026, acting_user=cast.kartrekker)
    rows = {row.user: row for row in build_overview(plan, today=datetime.date(2027, 6, 1)).people}
    assert rows[cast.teamlid].joined_late and not rows[cast.werkgroeplid].joined_late

    # Year 99999 or nonsense: a Dutch message, nothing changed.
    for bad in ("99999-01-01", "morgen"):
        response = client.post(url, {"roles": ["teamlid"], "joined_on": bad})
        assert response.status_code == 400
        assert "Vul een geldige datum in" in text(response) or "Kies een datum tussen 2000 en 2100" in text(response)
    target.refresh_from_db()
    assert timezone.localtime(target.joined_at).date() == datetime.date(2027, 1, 15)
    # Left empty: the date stays.
    assert client.post(url, {"roles": ["teamlid"], "joined_on": ""}).status_code == 302
    target.refresh_from_db()
    assert timezone.localtime(target.joined_at).date() == datetime.date(2027, 1, 15)


def test_schoolleiding_can_be_handed_over(cast, login):
    """With a second schoolleider, the first one may drop the role (the rule is: at least one)."""
    client = login(cast.schoolleider)
    client.post(
        reverse("organisations:member_edit", args=[cast.school.pk, membership(cast.school, cast.kartrekker).pk]),
        {"roles": ["kartrekker", "schoolleiding"]},
    )
    own = membership(cast.school, cast.schoolleider)
    response = client.post(reverse("organisations:member_edit", args=[cast.school.pk, own.pk]), {"roles": ["teamlid"]})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.roles == [Role.TEAMLID]
    assert len(audit("membership.roles_changed")) == 2


def test_member_removal_is_audited_and_keeps_submitted_answers(cast, login):
    target = membership(cast.school, cast.werkgroeplid)
    client = login(cast.kartrekker)
    response = client.post(reverse("organisations:member_remove", args=[cast.school.pk, target.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=target.pk).exists()
    assert User.objects.filter(pk=cast.werkgroeplid.pk).exists()
    assert participant(cast.closed_round, cast.werkgroeplid).is_submitted
    (event,) = audit("membership.removed")
    assert event.data == {"user": cast.werkgroeplid.pk, "roles": ["werkgroeplid", "teamlid"]}
    assert event.actor == cast.kartrekker
    # The removed person no longer gets in.
    assert login(cast.werkgroeplid).get(reverse("organisations:school", args=[cast.school.pk])).status_code == 404


# Login ---------------------------------------------------------------------------------------------------


def request_code(client, on_commit, email):
    with on_commit():
        return client.post(reverse("accounts:code_request"), {"email": email})


def mailed_code() -> str:
    match = re.search(r"inlogcode voor Groeiwijzer TSO is: (\d{6})\b", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_login_code_flow(cast, on_commit):
    client = Client()
    response = request_code(client, on_commit, "  TeamLid@Regenboog.test ")
    assert response.status_code == 302
    assert response.url == reverse("accounts:code_verify")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [cast.teamlid.email]
    code = mailed_code()
    stored = LoginCode.objects.get(user=cast.teamlid)
    assert code not in stored.code_hash  # only the hash is stored

    response = client.post(reverse("accounts:code_verify"), {"code": f" {code} "})
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(cast.teamlid.pk)
    stored.refresh_from_db()
    assert stored.used_at is not None


def test_login_code_for_unknown_email_gets_the_same_answer_without_email(cast, on_commit):
    known, unknown = Client(), Client()
    known_response = request_code(known, on_commit, cast.teamlid.email)
    unknown_response = request_code(unknown, on_commit, "niemand@regenboog.test")
    assert (unknown_response.status_code, unknown_response.url) == (known_response.status_code, known_response.url)
    assert [m.to for m in mail.outbox] == [[cast.teamlid.email]]
    assert LoginCode.objects.count() == 1
    known_page, unknown_page = known.get(known_response.url), unknown.get(unknown_response.url)
    assert known_page.status_code == unknown_page.status_code == 200
    for page, email in ((known_page, cast.teamlid.email), (unknown_page, "niemand@regenboog.test")):
        assert f"Als {email} bij ons bekend is, staat er nu een e-mail met een inlogcode in je inbox." in text(page)
    response = unknown.post(reverse("accounts:code_verify"), {"code": "123456"})
    assert "Deze code klopt niet of is verlopen." in text(response)
    assert logged_in_user_id(unknown) is None


def test_login_code_expires_after_fifteen_minutes(cast, on_commit):
    client = Client()
    request_code(client, on_commit, cast.teamlid.email)
    code = mailed_code()
    stored = LoginCode.objects.get(user=cast.teamlid)
    assert stored.expires_at - stored.created_at == timedelta(minutes=settings.LOGIN_CODE_VALID_MINUTES)
    assert settings.LOGIN_CODE_VALID_MINUTES == 15
    # Sixteen minutes later.
    LoginCode.objects.filter(pk=stored.pk).update(
        created_at=stored.created_at - timedelta(minutes=16), expires_at=stored.expires_at - timedelta(minutes=16)
    )
    response = client.post(reverse("accounts:code_verify"), {"code": code})
    assert response.status_code == 200
    assert "Deze code klopt niet of is verlopen." in text(response)
    assert logged_in_user_id(client) is None


def test_login_code_works_once(cast, on_commit):
    client = Client()
    request_code(client, on_commit, cast.teamlid.email)
    code = mailed_code()
    assert client.post(reverse("accounts:code_verify"), {"code": code}).status_code == 302
    client.post(reverse("accounts:logout"))
    assert logged_in_user_id(client) is None
    # Replay: a browser with the pending-login state in its session uses the same code again.
    client = Client()
    session = client.session
    session["login_code_user_id"] = cast.teamlid.pk
    session["login_code_email"] = cast.teamlid.email
    session.save()
    response = client.post(reverse("accounts:code_verify"), {"code": code})
    assert "Deze code klopt niet of is verlopen." in text(response)
    assert logged_in_user_id(client) is None


def test_a_new_code_replaces_the_old_one(cast, on_commit):
    client = Client()
    request_code(client, on_commit, cast.teamlid.email)
    old = mailed_code()
    request_code(client, on_commit, cast.teamlid.email)
    new = mailed_code()
    if old != new:
        assert "Deze code klopt niet" in text(client.post(reverse("accounts:code_verify"), {"code": old}))
    assert client.post(reverse("accounts:code_verify"), {"code": new}).status_code == 302


def test_password_login_ignores_email_case(cast):
    client = Client()
    response = client.post(reverse("accounts:login"), {"email": "SchoolLeider@REGENBOOG.test", "password": PASSWORD})
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(cast.schoolleider.pk)

    client = Client()
    response = client.post(reverse("accounts:login"), {"email": "schoolleider@regenboog.test", "password": "fout"})
    assert response.status_code == 200
    assert "Dit e-mailadres en wachtwoord horen niet bij elkaar." in text(response)
    assert logged_in_user_id(client) is None


def test_password_login_follows_only_local_next_urls(cast):
    client = Client()
    data = {"email": cast.teamlid.email, "password": PASSWORD, "next": "https://evil.example/"}
    response = client.post(reverse("accounts:login"), data)
    assert response.status_code == 302
    assert response.url == reverse("home")
    client = Client()
    response = client.post(reverse("accounts:login"), {**data, "next": "/ontwikkelmodel/"})
    assert response.url == "/ontwikkelmodel/"


# Round flow ------------------------------------------------------------------------------------------------


def fill_url(round_, step):
    return reverse("assessments:fill_step", args=[round_.school_id, round_.pk, step])


def autosave(client, round_, step, data):
    return client.post(
        reverse("assessments:fill_autosave", args=[round_.school_id, round_.pk, step]), data, HTTP_HX_REQUEST="true"
    )


def test_new_round_defaults_and_creation(cast, login):
    client = login(cast.kartrekker)
    url = reverse("assessments:round_new", args=[cast.school.pk])
    form = client.get(url).context["form"]
    core = {cast.schoolleider, cast.kartrekker, cast.werkgroeplid, cast.trainer}
    assert {m.user for m in Membership.objects.filter(pk__in=form.initial["participants"])} == core
    assert form.initial["anonymous"] is True

    chosen = [membership(cast.school, u).pk for u in (cast.kartrekker, cast.teamlid, cast.werkgroeplid)]
    response = client.post(
        url,
        {
            "title": "Na module 4",
            "deadline": "2026-10-01",
            "meeting_date": "2026-10-15",
            "anonymous": "on",
            "participants": chosen,
            "facilitator": membership(cast.school, cast.trainer).pk,
        },
    )
    assert response.status_code == 302
    round_ = Round.objects.get(title="Na module 4")
    assert response.url == reverse("assessments:round", args=[cast.school.pk, round_.pk])
    assert round_.status == RoundStatus.OPEN
    assert round_.anonymous is True
    assert round_.facilitator == cast.trainer
    assert round_.created_by == cast.kartrekker
    assert round_.model_version.version == load_file().version
    assert round_.model_version == ModelVersion.current()
    assert set(round_.participants.values_list("user__email", flat=True)) == {
        cast.kartrekker.email,
        cast.teamlid.email,
        cast.werkgroeplid.email,
    }
    assert not round_.participants.exclude(submitted_at=None).exists()
    (event,) = audit("round.created", object_id=str(round_.pk))
    assert event.data == {"title": "Na module 4", "participants": 3, "anonymous": True, "show_previous": False}


def test_unchecked_anonymous_box_makes_a_named_round(cast, login):
    client = login(cast.kartrekker)
    client.post(
        reverse("assessments:round_new", args=[cast.school.pk]),
        {"title": "Met namen", "participants": [membership(cast.school, cast.kartrekker).pk]},
    )
    assert Round.objects.get(title="Met namen").anonymous is False


def test_autosave_changes_only_the_fields_it_sends(cast, login):
    p = participant(cast.open_round, cast.werkgroeplid)
    services.do_save_answers(
        participant=p,
        answers={"1.1": {"phase": 2, "strengths": "Rust", "goal": "Overdracht"}},
        acting_user=cast.werkgroeplid,
    )
    client = login(cast.werkgroeplid)

    response = autosave(client, cast.open_round, "1", {"strengths-1.1": "  Rust en ritme  "})
    assert response.status_code == 200
    assert "Concept opgeslagen" in text(response)
    a = Answer.objects.get(participant=p, accent_code="1.1")
    assert (a.phase, a.strengths, a.goal) == (2, "Rust en ritme", "Overdracht")

    autosave(client, cast.open_round, "1", {"phase-1.2": "0"})
    assert Answer.objects.get(participant=p, accent_code="1.2").dont_know
    a.refresh_from_db()
    assert (a.phase, a.strengths, a.goal) == (2, "Rust en ritme", "Overdracht")
    assert Answer.objects.filter(participant=p).count() == 2

    autosave(client, cast.open_round, "1", {"phase-1.1": ""})  # unset the phase
    a.refresh_from_db()
    assert (a.phase, a.strengths, a.goal) == (None, "Rust en ritme", "Overdracht")
    p.refresh_from_db()
    assert p.updated_at is not None and p.submitted_at is None
    assert not audit("participant.submitted", object_id=str(cast.open_round.pk))  # drafts are not audited


def test_full_page_post_saves_the_layer_and_moves_on(cast, login):
    client = login(cast.werkgroeplid)
    data = {"go": "2"}
    for code in ("1.1", "1.2", "1.3"):
        data.update({f"phase-{code}": "3", f"strengths-{code}": f"Sterk {code}", f"goal-{code}": ""})
    response = client.post(fill_url(cast.open_round, "1"), data)
    assert response.status_code == 302
    assert response.url == fill_url(cast.open_round, "2")
    p = participant(cast.open_round, cast.werkgroeplid)
    assert dict(p.answers.values_list("accent_code", "phase")) == {"1.1": 3, "1.2": 3, "1.3": 3}
    assert "Sterk 1.2" in text(client.get(fill_url(cast.open_round, "1")))


def test_priorities_are_saved_in_rank_order(cast, login):
    client = login(cast.werkgroeplid)
    codes = ["3B.4", "1.1", "2.3", "3A.1", "1.3"]
    response = client.post(fill_url(cast.open_round, "prioriteiten"), {f"rank-{i + 1}": c for i, c in enumerate(codes)})
    assert response.status_code == 302
    p = participant(cast.open_round, cast.werkgroeplid)
    assert list(p.priorities.values_list("rank", "accent_code")) == list(enumerate(codes, start=1))
    response = autosave(client, cast.open_round, "prioriteiten", {"rank-1": "2.2", "rank-2": "", "rank-3": "1.1"})
    assert response.status_code == 200
    assert list(p.priorities.values_list("rank", "accent_code")) == [(1, "2.2"), (3, "1.1")]


def test_submit_needs_all_fifteen_accents_and_five_priorities(cast, login):
    model = cast.open_round.model
    p = participant(cast.open_round, cast.werkgroeplid)
    client = login(cast.werkgroeplid)
    submit = fill_url(cast.open_round, "indienen")

    # Fourteen accents answered, one missing; five priorities.
    services.do_save_answers(
        participant=p, answers={a.code: {"phase": 2} for a in model.accents[:-1]}, acting_user=cast.werkgroeplid
    )
    services.do_save_priorities(participant=p, accent_codes=model.accent_codes[:5], acting_user=cast.werkgroeplid)
    last = model.accents[-1]
    response = client.post(submit, {"action": "indienen"})
    assert response.status_code == 400
    assert "Kies een groeifase (of ‘weet ik niet’) bij:" in text(response)
    assert f"{last.code} {last.name}" in text(response)
    assert participant(cast.open_round, cast.werkgroeplid).submitted_at is None

    # All fifteen (the last one "weet ik niet") but four priorities.
    services.do_save_answers(participant=p, answers={last.code: {"phase": 0}}, acting_user=cast.werkgroeplid)
    services.do_save_priorities(participant=p, accent_codes=model.accent_codes[:4], acting_user=cast.werkgroeplid)
    response = client.post(submit, {"action": "indienen"})
    assert response.status_code == 400
    assert "Kies vijf prioriteiten" in text(response)
    assert "Kies een groeifase" not in text(response)
    assert not audit("participant.submitted", actor=cast.werkgroeplid, object_id=str(cast.open_round.pk))

    services.do_save_priorities(participant=p, accent_codes=model.accent_codes[:5], acting_user=cast.werkgroeplid)
    response = client.post(submit, {"action": "indienen"})
    assert response.status_code == 302
    assert participant(cast.open_round, cast.werkgroeplid).is_submitted
    assert len(audit("participant.submitted", actor=cast.werkgroeplid, object_id=str(cast.open_round.pk))) == 1
    assert "Dank je wel! Je antwoorden zijn ingediend." in text(client.get(submit))


def test_a_phase_left_empty_counts_as_not_answered(cast):
    model = cast.open_round.model
    p = participant(cast.open_round, cast.werkgroeplid)
    services.do_save_answers(
        participant=p, answers={a.code: {"phase": 3} for a in model.accents}, acting_user=cast.werkgroeplid
    )
    services.do_save_answers(participant=p, answers={"2.2": {"phase": None}}, acting_user=cast.werkgroeplid)
    services.do_save_priorities(participant=p, accent_codes=model.accent_codes[:5], acting_user=cast.werkgroeplid)
    assert any("2.2" in problem for problem in services.missing_for_submit(p))
    with pytest.raises(ServiceError, match="2.2"):
        services.do_submit(participant=p, acting_user=cast.werkgroeplid)


def test_withdraw_is_allowed_until_the_consensus(cast, login):
    p = participant(cast.open_round, cast.werkgroeplid)
    fill_completely(p)
    client = login(cast.werkgroeplid)
    submit = fill_url(cast.open_round, "indienen")

    response = client.post(submit, {"action": "intrekken"})
    assert response.status_code == 302
    assert participant(cast.open_round, cast.werkgroeplid).submitted_at is None
    assert len(audit("participant.withdrawn")) == 1
    # Editable again.
    assert autosave(client, cast.open_round, "1", {"strengths-1.1": "Aangepast"}).status_code == 200

    client.post(submit, {"action": "indienen"})
    assert participant(cast.open_round, cast.werkgroeplid).is_submitted
    services.do_start_consensus(round_=cast.open_round, acting_user=cast.kartrekker)
    response = client.post(submit, {"action": "intrekken"})
    assert response.status_code == 400
    assert "Deze ronde staat niet meer open voor invullen." in text(response)
    assert participant(cast.open_round, cast.werkgroeplid).is_submitted
    assert len(audit("participant.withdrawn")) == 1


def test_reminders_go_only_to_those_who_have_not_submitted(cast, login, on_commit):
    for user in (cast.schoolleider, cast.trainer):
        fill_completely(participant(cast.open_round, user))
    client = login(cast.kartrekker)
    with on_commit():
        response = client.post(reverse("assessments:round_remind", args=[cast.school.pk, cast.open_round.pk]))
    assert response.status_code == 302
    assert "Herinnering klaargezet voor 3 deelnemer(s): de e-mail staat in de wachtrij" in text(
        client.get(response.url)
    )
    pending = {cast.kartrekker.email, cast.werkgroeplid.email, cast.teamlid.email}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(pending)
    assert all("Open ronde" in m.subject for m in mail.outbox)
    link = reverse("assessments:fill", args=[cast.school.pk, cast.open_round.pk])
    assert all(link in m.body for m in mail.outbox)
    reminded = dict(cast.open_round.participants.values_list("user__email", "reminded_at"))
    assert {email for email, at in reminded.items() if at is not None} == pending
    (event,) = audit("round.reminders_sent")
    assert event.data == {"count": 3}

    # Not any more once the consensus started.
    mail.outbox.clear()
    with on_commit():
        response = client.post(
            reverse("assessments:round_remind", args=[cast.school.pk, cast.consensus_round.pk]), follow=True
        )
    assert "Herinneren kan alleen zolang de ronde openstaat." in text(response)
    assert mail.outbox == []


def test_status_transitions_are_audited(cast, login):
    round_ = cast.open_round
    for p in round_.participants.all():
        fill_completely(p)
    organiser = login(cast.kartrekker)

    def step(client, action):
        # confirmed: moving on with something missing asks first (tests/assessments/test_round_rough_edges.py)
        return client.post(
            reverse("assessments:round_transition", args=[cast.school.pk, round_.pk, action]), {"bevestigd": "1"}
        )

    assert step(organiser, "consensus").url == reverse("assessments:consensus", args=[cast.school.pk, round_.pk])
    assert Round.objects.get(pk=round_.pk).status == RoundStatus.CONSENSUS
    step(organiser, "heropen-invullen")
    assert Round.objects.get(pk=round_.pk).status == RoundStatus.OPEN
    step(organiser, "consensus")
    response = step(organiser, "afsluiten")
    assert response.url == reverse("assessments:result", args=[cast.school.pk, round_.pk])
    closed = Round.objects.get(pk=round_.pk)
    assert closed.status == RoundStatus.CLOSED and closed.closed_at is not None

    # A step that does not fit the current status is refused in Dutch.
    response = step(organiser, "consensus")
    assert "Deze stap kan niet in de huidige fase van de ronde." in text(organiser.get(response.url))
    assert step(organiser, "bestaat-niet").status_code == 404

    # Reopening: schoolleiding only, with a reason.
    assert step(organiser, "heropenen").status_code == 403
    leader = login(cast.schoolleider)
    response = leader.post(reverse("assessments:round_transition", args=[cast.school.pk, round_.pk, "heropenen"]))
    assert "Schrijf kort op waarom; dit wordt vastgelegd." in text(leader.get(response.url))
    assert Round.objects.get(pk=round_.pk).status == RoundStatus.CLOSED
    response = leader.post(
        reverse("assessments:round_transition", args=[cast.school.pk, round_.pk, "heropenen"]),
        {"reason": "Prioriteit 3 was verkeerd overgenomen."},
    )
    reopened = Round.objects.get(pk=round_.pk)
    assert reopened.status == RoundStatus.CONSENSUS and reopened.closed_at is None

    events = AuditEvent.objects.filter(object_type="assessments.round", object_id=str(round_.pk)).order_by("pk")
    actions = [e.action for e in events if e.action.startswith("round.")]
    assert actions == [
        "round.created",
        "round.consensus_started",
        "round.filling_reopened",
        "round.consensus_started",
        "round.closed",
        "round.reopened",
    ]
    reopen = events.get(action="round.reopened")
    assert reopen.actor == cast.schoolleider
    assert reopen.data == {"from": "closed", "to": "consensus", "reason": "Prioriteit 3 was verkeerd overgenomen."}
    assert events.get(action="round.closed").actor == cast.kartrekker


def test_closed_round_is_read_only(cast, login):
    round_ = cast.closed_round
    client = login(cast.kartrekker)
    response = client.post(
        reverse("assessments:consensus_item", args=[cast.school.pk, round_.pk, "1.1"]), {"phase": "4", "version": ""}
    )
    assert response.status_code == 409
    assert "De consensus kan alleen worden vastgelegd tijdens het consensusgesprek." in text(response)
    assert not ConsensusItem.objects.filter(round=round_).exists()
    page = text(client.get(reverse("assessments:consensus", args=[cast.school.pk, round_.pk])))
    # No form to record with (the written answers' address starts with the item's: .../consensus/1.1/geschreven/)
    assert f'action="{reverse("assessments:consensus_item", args=[cast.school.pk, round_.pk, "1.1"])}"' not in page
    assert "data-hx-post" not in page
    assert "afsluiten" not in page
    assert client.get(reverse("assessments:round_edit", args=[cast.school.pk, round_.pk])).status_code == 404
    with pytest.raises(ServiceError, match="afgesloten"):
        services.do_update_round(
            round_=round_,
            title="Anders",
            deadline=None,
            meeting_date=None,
            anonymous=True,
            participant_user_ids=[cast.kartrekker.pk],
            facilitator=None,
            acting_user=cast.kartrekker,
        )
    assert Round.objects.get(pk=round_.pk).title == "Afgesloten ronde"


def test_reopen_is_for_schoolleiding_only(cast, login):
    round_ = cast.closed_round
    url = reverse("assessments:round_transition", args=[cast.school.pk, round_.pk, "heropenen"])
    for user in (cast.kartrekker, cast.werkgroeplid, cast.trainer):
        assert login(user).post(url, {"reason": "Mag dit?"}).status_code == 403
    assert Round.objects.get(pk=round_.pk).status == RoundStatus.CLOSED
    assert not audit("round.reopened")
    page = text(login(cast.kartrekker).get(reverse("assessments:round", args=[cast.school.pk, round_.pk])))
    assert "Ronde heropenen" not in page
    page = text(login(cast.schoolleider).get(reverse("assessments:round", args=[cast.school.pk, round_.pk])))
    assert "Ronde heropenen (alleen schoolleiding)" in page


# Model versions ---------------------------------------------------------------------------------------------


def test_a_round_keeps_its_model_version(cast, login):
    """Content edits after a round was opened never change that round: it reads its stored copy."""
    data = copy.deepcopy(load_file().to_dict())
    data["version"] = "2021.0-test"
    accent = data["layers"][0]["accents"][0]
    accent["name"] = "Oude naam voor dit accent"
    accent["phases"]["1"] = "Oude omschrijving van groeifase 1"
    old = ModelVersion.objects.create(version="2021.0-test", data=data)
    current_name = load_file().accents[0].name

    round_ = make_round(cast.school, [cast.kartrekker, cast.werkgroeplid, cast.teamlid], by=cast.kartrekker)
    Round.objects.filter(pk=round_.pk).update(model_version=old)
    round_ = Round.objects.get(pk=round_.pk)
    assert ModelVersion.current() != old
    assert round_.model.accents[0].name == "Oude naam voor dit accent"

    client = login(cast.werkgroeplid)
    page = text(client.get(fill_url(round_, "1")))
    assert "Oude naam voor dit accent" in page
    assert "Oude omschrijving van groeifase 1" in page
    assert current_name not in page

    for p in round_.participants.all():
        fill_completely(p)
    move_to(round_, "consensus", cast.kartrekker)
    organiser = login(cast.kartrekker)
    for name in ("consensus", "present"):
        page = text(organiser.get(reverse(f"assessments:{name}", args=[cast.school.pk, round_.pk])))
        assert "Oude naam voor dit accent" in page, name
        assert current_name not in page, name
    move_to(Round.objects.get(pk=round_.pk), "closed", cast.kartrekker)
    page = text(organiser.get(reverse("assessments:result", args=[cast.school.pk, round_.pk])))
    assert "Oude naam voor dit accent" in page
    assert "Ontwikkelmodel versie 2021.0-test" in page
    assert current_name not in page

    # The stored copy itself never changed, and new rounds get the current file.
    old.refresh_from_db()
    assert old.data == data
    assert make_round(cast.school, [cast.kartrekker], by=cast.kartrekker).model_version == ModelVersion.current()


# Summary -----------------------------------------------------------------------------------------------------


def answer_round(cast, round_, phases_by_user: dict, **kwargs):
    """Fill in and submit for each user; phases_by_user maps user → {accent: phase} (default 2)."""
    for user, phases in phases_by_user.items():
        fill_completely(participant(round_, user), phase_for=lambda code, phases=phases: phases.get(code, 2), **kwargs)


def test_summary_counts_spread_and_conversation_material(cast):
    round_ = cast.open_round
    answer_round(
        cast,
        round_,
        {
            cast.schoolleider: {"1.1": 1, "1.3": 2},
            cast.kartrekker: {"1.1": 3, "1.3": 3},
            cast.werkgroeplid: {"1.1": 2, "1.3": 0},
            cast.teamlid: {"1.1": 3, "1.3": 3},
        },
    )
    # An anonymous round shows the submissions frozen when the consensus started (tests/assessments/test_anonymity.py).
    round_ = move_to(round_, "consensus", cast.kartrekker)
    summary = summarise(round_, include_individual=True)
    assert summary.n_participants == 5 and summary.n_submitted == 4
    assert summary.show_distribution and not summary.show_names
    by_code = {a.accent.code: a for a in summary.accents}
    assert len(by_code) == 15

    a11 = by_code["1.1"]
    assert a11.counts == {1: 1, 2: 1, 3: 2, 4: 0}
    assert (a11.min_phase, a11.max_phase, a11.spread, a11.median) == (1, 3, 2, 2.5)
    assert a11.is_conversation_material
    assert a11.bars == [(1, 1, 25), (2, 1, 25), (3, 2, 50), (4, 0, 0)]

    a12 = by_code["1.2"]
    assert a12.counts == {1: 0, 2: 4, 3: 0, 4: 0}
    assert a12.spread == 0 and not a12.is_conversation_material

    a13 = by_code["1.3"]
    assert a13.counts == {1: 0, 2: 1, 3: 2, 4: 0} and a13.dont_know == 1
    assert a13.spread == 1 and not a13.is_conversation_material  # "weet ik niet" is no phase

    # Priorities: everyone ranked the first five accents in order (rank 1 = 5 points).
    assert (a11.priority_votes, a11.priority_points) == (4, 20)
    assert (by_code["2.2"].priority_votes, by_code["2.2"].priority_points) == (4, 4)
    assert by_code["3B.4"].priority_votes == 0
    assert len(a11.strengths) == 4 and all(w.author is None for w in a11.strengths)

    page = summarise(Round.objects.get(pk=round_.pk), include_individual=True)
    assert [a.accent.code for a in page.accents if a.is_conversation_material] == ["1.1"]


def test_conversation_material_is_flagged_on_the_consensus_page(cast, login):
    round_ = cast.open_round
    answer_round(cast, round_, {cast.schoolleider: {"2.1": 1}, cast.kartrekker: {"2.1": 4}, cast.teamlid: {}})
    move_to(round_, "consensus", cast.kartrekker)
    page = consensus_in_full(login(cast.kartrekker), round_)  # every layer open (2.1 is in layer 2)
    assert page.count("Gespreksstof: de antwoorden liggen twee of meer fases uit elkaar.") == 1
    assert "Spreiding: fase 1 tot 4" in page


def test_anonymous_round_shows_the_distribution_from_three_submissions(cast, login):
    round_ = cast.open_round
    client = login(cast.kartrekker)
    url = reverse("assessments:consensus", args=[cast.school.pk, round_.pk])
    answer_round(cast, round_, {cast.schoolleider: {"1.1": 1}, cast.werkgroeplid: {"1.1": 4}})

    summary = summarise(round_, include_individual=True)
    assert (summary.n_submitted, summary.n_waiting) == (0, 2) and not summary.show_distribution  # nothing shown yet
    assert all(a.total == 0 and not a.strengths and not a.goals for a in summary.accents)
    assert all(a.priority_votes == 0 for a in summary.accents)
    # The page itself is only open once filling in has closed (anonymous round).
    assert client.get(url).status_code == 403
    round_ = services.do_start_consensus(round_=round_, acting_user=cast.kartrekker)
    page = text(client.get(url))
    assert "De verdeling verschijnt zodra minstens 3 deelnemers hebben ingediend" in page
    assert "Groeifase 1: 1" not in page and "Sterk" not in page

    # Through the services (they freeze what is shown when the consensus starts; tests/assessments/test_anonymity.py).
    round_ = services.do_reopen_filling(round_=round_, acting_user=cast.kartrekker)
    answer_round(cast, round_, {cast.teamlid: {"1.1": 2}})
    round_ = services.do_start_consensus(round_=round_, acting_user=cast.kartrekker)
    summary = summarise(round_, include_individual=True)
    assert summary.n_submitted == 3 and summary.show_distribution
    assert {a.accent.code: a.counts for a in summary.accents}["1.1"] == {1: 1, 2: 1, 3: 0, 4: 1}
    page = text(client.get(url))
    assert "De verdeling verschijnt zodra" not in page
    assert "Groeifase 1: 1, groeifase 2: 1, groeifase 3: 0, groeifase 4: 1" in page


OTHERS = ("Sara Schoolleider", "Wim Werkgroep", "Tina Teamlid", "Tom Trainer")


@pytest.mark.parametrize("anonymous", [True, False], ids=["anonymous", "named"])
def test_names_on_the_consensus_page_only_in_named_rounds(cast, login, anonymous):
    everyone = [cast.schoolleider, cast.kartrekker, cast.werkgroeplid, cast.teamlid, cast.trainer]
    round_ = make_round(cast.school, everyone, by=cast.kartrekker, title="Namen of niet", anonymous=anonymous)
    answer_round(
        cast,
        round_,
        {u: {"1.1": i % 4 + 1} for i, u in enumerate(everyone)},
        strengths="Geschreven sterk punt",
        goal="Geschreven doel",
    )
    move_to(round_, "consensus", cast.kartrekker)
    client = login(cast.kartrekker)  # the viewer's own name is in the page header
    page = consensus_in_full(client, round_)  # with what participants wrote, which the page loads on demand
    assert "Geschreven sterk punt" in page and "Geschreven doel" in page
    for name in OTHERS:
        assert (name in page) is not anonymous, name
    projector = text(client.get(reverse("assessments:present", args=[cast.school.pk, round_.pk])))
    for name in OTHERS:
        assert name not in projector, name
    summary = summarise(round_, include_individual=True)
    a11 = next(a for a in summary.accents if a.accent.code == "1.1")
    if anonymous:
        assert a11.names_by_phase == {} and all(w.author is None for w in a11.strengths)
    else:
        assert a11.names_by_phase[1] == ["Sara Schoolleider", "Tom Trainer"]
        assert {w.author for w in a11.strengths} == {"Karel Kartrekker", *OTHERS}


def test_board_member_sees_consensus_results_only(cast, login):
    round_ = cast.open_round
    answer_round(
        cast,
        round_,
        {u: {"1.1": 1 if u == cast.teamlid else 3} for u in (cast.schoolleider, cast.kartrekker, cast.teamlid)},
        strengths="Individueel-sterk-punt",
        goal="Individueel-doel",
    )
    move_to(round_, "consensus", cast.kartrekker)
    services.do_save_consensus_item(
        round_=round_,
        accent_code="1.1",
        phase=3,
        strengths="Gedeeld sterk punt",
        next_steps="Gezamenlijke stap",
        priority=1,
        acting_user=cast.kartrekker,
    )
    move_to(Round.objects.get(pk=round_.pk), "closed", cast.kartrekker)
    url = reverse("assessments:result", args=[cast.school.pk, round_.pk])

    board = text(login(cast.board_member).get(url))
    assert "Gedeeld sterk punt" in board and "Gezamenlijke stap" in board
    assert "Individuele verdeling" not in board
    assert "Groeifase 1: " not in board and "Spreiding" not in board and "Gespreksstof" not in board
    assert "Individueel-sterk-punt" not in board and "Individueel-doel" not in board
    for name in OTHERS:
        assert name not in board
    assert not summarise(Round.objects.get(pk=round_.pk), include_individual=False).show_distribution

    member = text(login(cast.kartrekker).get(url))
    assert "Individuele verdeling" in member and "Spreiding: fase 1 tot 3" in member
    assert "Individueel-sterk-punt" not in member  # the result page has no written individual answers

    for name in ("consensus", "present"):
        response = login(cast.board_member).get(reverse(f"assessments:{name}", args=[cast.school.pk, round_.pk]))
        assert response.status_code in (403, 404), name


def test_summary_warns_about_too_many_goals_and_double_priorities(cast, login):
    round_ = cast.consensus_round

    def agree(code, **fields):
        defaults = {"phase": 2, "strengths": "", "next_steps": "", "priority": None}
        services.do_save_consensus_item(
            round_=round_, accent_code=code, acting_user=cast.kartrekker, **(defaults | fields)
        )

    agree("1.1", next_steps="Stap een", priority=1)
    agree("1.2", next_steps="Stap twee", priority=2)
    summary = summarise(round_, include_individual=True)
    assert summary.warnings == []

    agree("1.3", next_steps="Stap drie", priority=2)
    summary = summarise(round_, include_individual=True)
    assert summary.layers[0].goal_count == 3 and summary.layers[0].too_many_goals
    assert len(summary.warnings) == 2
    assert "Groeilaag 1 Kennisontwikkeling heeft 3 ontwikkeldoelen." in summary.warnings[0]
    assert "maximaal 1 à 2 doelen per groeilaag" in summary.warnings[0]
    assert summary.warnings[1].startswith("Prioriteit 2 is aan meer dan één accent gegeven.")
    assert [(rank, a.accent.code) for rank, a in summary.priorities] == [(1, "1.1"), (2, "1.2"), (2, "1.3")]

    page = text(login(cast.kartrekker).get(reverse("assessments:consensus", args=[cast.school.pk, round_.pk])))
    assert "Let op, volgens de richtlijnen van het handboek:" in page
    assert "Prioriteit 2 is aan meer dan één accent gegeven." in page
    assert "meer dan het handboek adviseert" in page


# The Ontwikkelmodel content -------------------------------------------------------------------------------


def test_ontwikkelmodel_command_prints_json():
    out = StringIO()
    call_command("ontwikkelmodel", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) == {"version", "source", "layers"}
    assert data["version"] == load_file().version
    assert "Offerman" in data["source"] and "Asselman" in data["source"]
    assert [layer["code"] for layer in data["layers"]] == ["1", "2", "3A", "3B"]
    accents = [a for layer in data["layers"] for a in layer["accents"]]
    assert len(accents) == 15
    assert len({a["code"] for a in accents}) == 15
    for layer in data["layers"]:
        assert set(layer) == {"code", "name", "description", "accents"}
        assert layer["name"].strip() and layer["description"].strip()
        for accent in layer["accents"]:
            assert set(accent) == {"code", "name", "phases"}
            assert accent["code"].startswith(layer["code"] + ".")
            assert sorted(accent["phases"]) == ["1", "2", "3", "4"]
            assert all(text.strip() for text in accent["phases"].values())


def test_ontwikkelmodel_command_prints_text():
    out = StringIO()
    call_command("ontwikkelmodel", stdout=out)
    printed = out.getvalue()
    assert "Groeilaag 3B" in printed
    assert load_file().accents[-1].name in printed


def test_content_files_are_clean_and_cited():
    files = sorted(CONTENT_DIR.glob("*.json"))
    assert files
    for path in files:
        raw = path.read_text(encoding="utf-8")
        assert "\ufffd" not in raw, path.name  # no mangled characters
        json.loads(raw)
    model_text = (CONTENT_DIR / f"ontwikkelmodel-{load_file().version}.json").read_text(encoding="utf-8")
    assert "Offerman" in model_text and "Asselman" in model_text
    assert "Offerman, E. & Asselman, M." in load_file().source


def test_user_model_stores_name_and_email_only():
    """Data minimisation: the account has no other personal fields."""
    fields = {f.name for f in User._meta.get_fields() if f.concrete}
    assert fields <= {
        "id",
        "password",
        "last_login",
        "is_superuser",
        "email",
        "name",
        "is_active",
        "is_staff",
        "date_joined",
        "language",  # a preference (nl or en), not personal data
        "groups",
        "user_permissions",
    }


def test_only_schoolleiding_can_grant_or_remove_schoolleiding(cast, login):
    """A kartrekker may manage the team, but not promote anyone (or themself) to schoolleiding."""
    from audit.models import AuditEvent
    from organisations.models import Membership

    kartrekker_m = Membership.objects.get(school=cast.school, user=cast.kartrekker)
    leider_m = Membership.objects.get(school=cast.school, user=cast.schoolleider)
    client = login(cast.kartrekker)
    audit_before = AuditEvent.objects.count()

    # Promote themself through the role form: refused in Dutch, nothing changes.
    url = reverse("organisations:member_edit", args=[cast.school.pk, kartrekker_m.pk])
    response = client.post(url, {"roles": ["kartrekker", "schoolleiding"]})
    assert response.status_code == 400
    assert "Alleen de schoolleiding" in response.content.decode()
    kartrekker_m.refresh_from_db()
    assert not kartrekker_m.is_schoolleiding

    # Or by inviting their own address with that role.
    response = client.post(
        reverse("organisations:invite", args=[cast.school.pk]),
        {"emails": cast.kartrekker.email, "roles": ["schoolleiding"]},
    )
    assert response.status_code == 400
    assert "Alleen de schoolleiding" in response.content.decode()
    kartrekker_m.refresh_from_db()
    assert not kartrekker_m.is_schoolleiding

    # Nor remove a schoolleider.
    response = client.post(reverse("organisations:member_remove", args=[cast.school.pk, leider_m.pk]))
    assert response.status_code == 400
    assert Membership.objects.filter(pk=leider_m.pk).exists()
    assert AuditEvent.objects.count() == audit_before

    # The schoolleider can hand out the role.
    client = login(cast.schoolleider)
    response = client.post(url, {"roles": ["kartrekker", "schoolleiding"]})
    assert response.status_code == 302
    kartrekker_m.refresh_from_db()
    assert kartrekker_m.is_schoolleiding


def test_login_codes_are_limited_per_hour(cast, client, on_commit, settings):
    """Requesting new codes cannot be used to keep guessing: after the hourly limit no code is sent."""
    url = reverse("accounts:code_request")
    for _ in range(settings.LOGIN_CODES_PER_HOUR):
        with on_commit():
            response = client.post(url, {"email": cast.teamlid.email})
        assert response.status_code == 302
    assert len(mail.outbox) == settings.LOGIN_CODES_PER_HOUR
    with on_commit():
        response = client.post(url, {"email": cast.teamlid.email})
    assert response.status_code == 302  # same answer as always
    assert len(mail.outbox) == settings.LOGIN_CODES_PER_HOUR  # but no new code


def test_htmx_consensus_save_updates_the_guidance_warnings(cast, login):
    """After a third goal in one layer, the htmx answer carries the updated warning (out of band)."""
    client = login(cast.kartrekker)
    round_ = cast.consensus_round
    for code in ("1.1", "1.2", "1.3"):
        response = client.post(
            reverse("assessments:consensus_item", args=[cast.school.pk, round_.pk, code]),
            {"phase": "2", "strengths": "", "next_steps": f"Doel {code}", "priority": "", "version": ""},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
    page = text(response)
    assert 'id="consensus-warnings" data-hx-swap-oob="true"' in page
    assert "heeft 3 ontwikkeldoelen" in page
    assert "maximaal 1 à 2 doelen per groeilaag" in page


# Review of issue 11: a re-send between the lookup of a link and the lock ---------------------------------------


def test_an_old_link_looked_up_before_a_resend_is_refused_after_it(cast, monkeypatch, on_commit):
    """Accepting looks the link up, then locks the invitation. A re-send in between (another request) replaced the
    link: under the lock the old link is checked again and refused, nothing is created; the new link works."""
    from organisations import services as org_services
    from tests.test_access import make_invitation

    invitation = make_invitation(cast.school, email="race@regenboog.test", token="oude-link")
    looked_up = org_services.find_invitation("oude-link")  # the accepting request, before the re-send
    with on_commit():
        org_services.do_resend_invitation(
            invitation=invitation, acting_user=cast.schoolleider, base_url="http://testserver"
        )
    new_path = link_path(mail.outbox[-1])
    monkeypatch.setattr(org_services, "find_invitation", lambda token: looked_up)

    with pytest.raises(ServiceError, match="al gebruikt of verlopen"):
        org_services.do_accept_invitation(token="oude-link", name="Raceconditie", password="Wachtwoord-lang-123")

    invitation.refresh_from_db()
    assert invitation.accepted_at is None and invitation.is_open
    assert not User.objects.filter(email="race@regenboog.test").exists()
    assert not audit("invitation.accepted")

    monkeypatch.undo()
    response = Client().post(new_path, {"name": "Nieuwe Collega", "password": "Wachtwoord-lang-123"})
    assert response.status_code == 302, text(response)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
