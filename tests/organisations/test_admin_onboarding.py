"""A platform admin starts a school from /beheer/: the first schoolleiding gets the app's own invitation email.
Invitations cannot be added by hand in the admin (they would have no link and send no email)."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from audit.models import AuditEvent
from organisations.models import Invitation, Membership
from tests.factories import make_board, make_school
from tests.twofactor_helpers import login_verified

CHANGELIST = reverse("admin:organisations_school_changelist")


def admin_client(db) -> tuple[Client, User]:
    admin = User.objects.create_superuser("beheer@groeiwijzer.test", name="Beheer", password="een-lang-wachtwoord-1")
    client = login_verified(Client(), admin)  # /beheer/ needs the second factor (accounts/twofactor.py)
    return client, admin


def test_admin_invites_the_first_schoolleiding_of_a_new_school(db, on_commit):
    client, admin = admin_client(db)
    school = make_school(make_board("Stichting Nieuw"), "De Start")
    action = {"action": "invite_schoolleiding", "_selected_action": [school.pk]}
    page = client.post(CHANGELIST, action)
    assert page.status_code == 200
    assert "Schoolleiding uitnodigen voor De Start" in page.content.decode()
    assert "een link die 7 dagen geldig is" in page.content.decode()

    bad = client.post(CHANGELIST, action | {"apply": "1", "emails": "geen-adres"})
    assert "Deze adressen kloppen niet: geen-adres" in bad.content.decode()
    assert not Invitation.objects.exists()

    with on_commit():
        done = client.post(CHANGELIST, action | {"apply": "1", "emails": "Directeur@DeStart.test"}, follow=True)
    assert "1 uitnodiging(en) aangemaakt voor De Start; de e-mail staat in de wachtrij" in done.content.decode()
    invitation = Invitation.objects.get()
    assert (invitation.school, invitation.email, invitation.roles) == (
        school,
        "directeur@destart.test",
        ["schoolleiding"],
    )
    assert AuditEvent.objects.filter(action="invitation.created", actor=admin, school=school).exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["directeur@destart.test"]

    # The link works: the new schoolleider makes an account and lands in the school as schoolleiding.
    path = re.search(r"https?://testserver(/uitnodiging/[^/\s]+/)", mail.outbox[0].body).group(1)
    person = Client()
    response = person.post(path, {"name": "Dirk Directeur", "password": "een-heel-lang-wachtwoord-7"})
    assert response.status_code == 302
    membership = Membership.objects.get(school=school, user__email="directeur@destart.test")
    assert membership.is_schoolleiding


def test_invite_action_needs_exactly_one_school(db):
    client, _ = admin_client(db)
    board = make_board("Stichting Nieuw")
    ids = [make_school(board, "A").pk, make_school(board, "B").pk]
    response = client.post(CHANGELIST, {"action": "invite_schoolleiding", "_selected_action": ids}, follow=True)
    assert "Kies precies één school." in response.content.decode()
    assert not Invitation.objects.exists()


def test_invitations_cannot_be_added_by_hand(db):
    client, _ = admin_client(db)
    assert client.get(reverse("admin:organisations_invitation_add")).status_code == 403


def test_schoolleiding_role_is_still_only_for_schoolleiding_and_the_platform_admin(cast, login, on_commit):
    """The kartrekker may invite, but not as schoolleiding (a non-superuser staff member neither)."""
    with on_commit():
        response = login(cast.kartrekker).post(
            reverse("organisations:invite", args=[cast.school.pk]),
            {"emails": "nieuw@regenboog.test", "roles": ["schoolleiding"]},
        )
    assert "Alleen de schoolleiding kan de rol schoolleiding geven" in response.content.decode()
    assert not Invitation.objects.filter(email="nieuw@regenboog.test").exists()


def test_admin_creates_a_board_and_appoints_its_first_beheerder(db):
    """Platform admins only create boards: the board form lists its members with the beheerder box; the beheerder
    then runs the board's schools (/besturen/<id>/scholen/). Audited like every admin change."""
    from organisations.models import Board, BoardMember

    client, admin = admin_client(db)
    beheerder = User.objects.create_user("bas@stichting.test", name="Bas Beheerder", password="een-lang-wachtwoord-2")
    volger = User.objects.create_user("bea@stichting.test", name="Bea Bestuur", password="een-lang-wachtwoord-3")
    add = reverse("admin:organisations_board_add")
    page = client.get(add).content.decode()
    assert "bestuurder/beheerder" in page.lower()
    response = client.post(
        add,
        {
            "name": "Stichting Nieuw",
            "boardmember_set-TOTAL_FORMS": 2,
            "boardmember_set-INITIAL_FORMS": 0,
            "boardmember_set-0-user": beheerder.pk,
            "boardmember_set-0-is_beheerder": "on",
            "boardmember_set-1-user": volger.pk,
            "schools-TOTAL_FORMS": 0,
            "schools-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    board = Board.objects.get(name="Stichting Nieuw")
    assert set(BoardMember.objects.filter(board=board).values_list("user__email", "is_beheerder")) == {
        ("bas@stichting.test", True),
        ("bea@stichting.test", False),
    }
    event = AuditEvent.objects.get(action="admin.added", board=board)
    assert [i["model"] for i in event.data["inlines"]] == ["organisations.boardmember"] * 2

    bas = Client()
    bas.force_login(beheerder, backend="accounts.backends.EmailBackend")
    assert bas.get(reverse("organisations:board_schools", args=[board.pk])).status_code == 200
    bea = Client()
    bea.force_login(volger, backend="accounts.backends.EmailBackend")
    assert bea.get(reverse("organisations:board_schools", args=[board.pk])).status_code == 403
    assert bea.get(reverse("organisations:board", args=[board.pk])).status_code == 200
