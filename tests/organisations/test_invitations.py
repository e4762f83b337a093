"""Invitations: from the e-mail to a membership (a mail scanner consumes nothing), expiry after seven days, an
existing account keeping its password, the wrong person logged in, roles added to an existing member instead,
inviting again or revoking closing the old link, and a re-send racing an acceptance."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.http import urlencode

from accounts.models import User
from core.errors import ServiceError
from organisations.models import Invitation, Membership, Role
from tests.factories import PASSWORD
from tests.helpers import audit, logged_in_user_id, membership, text


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
