"""What a platform admin does in /beheer/ is in the audit log (model, object id, names of changed fields; never a
value, never a password), and the audit log itself is read-only in the admin: no add, change or delete, no bulk
delete."""

from __future__ import annotations

import json

import pytest
from django.contrib.admin.models import LogEntry
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import resolve, reverse

from accounts.models import User
from audit.admin import AuditedAdminMixin
from audit.models import AuditEvent, record
from organisations.models import Board, Invitation, School
from tests.factories import make_board, make_school
from tests.test_access import make_invitation

try:
    from tests.twofactor_helpers import login_verified
except ImportError:  # before /beheer/ asked for a second factor

    def login_verified(client, user):
        client.force_login(user, backend="accounts.backends.EmailBackend")
        return client


SECRET = "Een-geheim-Wachtwoord-42!"


@pytest.fixture
def admin_client(db):
    admin = User.objects.create_superuser("beheer@groeiwijzer.test", name="Bea Beheer", password="lang-wachtwoord-1")
    return login_verified(Client(), admin), admin


def new_events(before):
    return list(AuditEvent.objects.exclude(pk__in=before).order_by("pk"))


def snapshot():
    return set(AuditEvent.objects.values_list("pk", flat=True))


def test_every_admin_of_the_site_is_audited():
    """Also the admins of installed packages (second factor devices, task queue, auth groups)."""
    site = resolve(reverse("admin:index")).func.admin_site
    unaudited = [m._meta.label for m, a in site._registry.items() if not isinstance(a, AuditedAdminMixin)]
    assert not unaudited, f"admin actions on these models are not audited: {unaudited}"


def test_admin_change_records_the_field_names_not_the_values(admin_client):
    client, admin = admin_client
    school = make_school(make_board("Stichting Oost"), "De Linde")
    data = {k: v for k, v in model_to_dict(school).items() if v is not None}
    data |= {"name": "De Geheime Lindenboom", "memberships-TOTAL_FORMS": 0, "memberships-INITIAL_FORMS": 0}
    before = snapshot()
    response = client.post(reverse("admin:organisations_school_change", args=[school.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    [event] = new_events(before)
    assert (event.action, event.actor, event.school) == ("admin.changed", admin, school)
    assert (event.object_type, event.object_id) == ("organisations.school", str(school.pk))
    assert event.data == {"model": "organisations.school", "fields": ["name"], "inlines": []}
    assert "Geheime" not in json.dumps(event.data)
    assert LogEntry.objects.filter(object_id=str(school.pk)).exists()  # Django's own history stays


def test_admin_addition_with_an_inline_records_both(admin_client):
    client, admin = admin_client
    data = {
        "name": "Stichting Nieuw",
        "schools-TOTAL_FORMS": 1,
        "schools-INITIAL_FORMS": 0,
        "schools-0-name": "De Start",
        "schools-0-education_type": School._meta.get_field("education_type").choices[0][0],
        "boardmember_set-TOTAL_FORMS": 0,  # the board's members (and beheerders), none here
        "boardmember_set-INITIAL_FORMS": 0,
    }
    before = snapshot()
    response = client.post(reverse("admin:organisations_board_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    board = Board.objects.get(name="Stichting Nieuw")
    school = board.schools.get()
    [event] = new_events(before)
    assert (event.action, event.actor, event.board, event.object_id) == ("admin.added", admin, board, str(board.pk))
    assert "name" in event.data["fields"]
    assert event.data["inlines"] == [{"model": "organisations.school", "id": str(school.pk), "change": "added"}]


def test_admin_password_change_never_logs_the_password(admin_client):
    client, admin = admin_client
    user = User.objects.create_user("iemand@regenboog.test", name="Iemand", password="oud-wachtwoord-1")
    before = snapshot()
    response = client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": SECRET, "password2": SECRET, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    [event] = new_events(before)
    assert (event.action, event.object_type, event.object_id) == ("admin.changed", "accounts.user", str(user.pk))
    assert event.data["fields"]  # which fields, by name
    assert SECRET not in json.dumps(event.data) and "iemand@regenboog.test" not in json.dumps(event.data)


def test_admin_deletion_and_bulk_deletion_are_audited(admin_client, cast):
    client, admin = admin_client
    one = make_invitation(cast.school, "een@regenboog.test")
    two = make_invitation(cast.school, "twee@regenboog.test")
    three = make_invitation(cast.school, "drie@regenboog.test")
    before = snapshot()
    response = client.post(reverse("admin:organisations_invitation_delete", args=[one.pk]), {"post": "yes"})
    assert response.status_code == 302
    response = client.post(
        reverse("admin:organisations_invitation_changelist"),
        {"action": "delete_selected", "_selected_action": [two.pk, three.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Invitation.objects.filter(pk__in=[one.pk, two.pk, three.pk]).exists()
    events = new_events(before)
    assert sorted((e.action, e.object_id, e.school_id, e.actor_id) for e in events) == sorted(
        ("admin.deleted", str(i.pk), cast.school.pk, admin.pk) for i in (one, two, three)
    )
    assert all(e.data == {"model": "organisations.invitation", "fields": [], "inlines": []} for e in events)
    assert "regenboog.test" not in json.dumps([e.data for e in events])


def test_the_audit_log_is_read_only_in_the_admin(admin_client, cast):
    client, admin = admin_client
    event = record(action="round.created", acting_user=cast.kartrekker, school=cast.school, target=cast.open_round)
    changelist = reverse("admin:audit_auditevent_changelist")
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert client.get(reverse("admin:audit_auditevent_delete", args=[event.pk])).status_code == 403
    assert client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    view = client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert view.status_code == 200 and 'name="_save"' not in view.content.decode()  # view only, no save button
    changed = client.post(reverse("admin:audit_auditevent_change", args=[event.pk]), {"action": "iets anders"})
    assert changed.status_code == 403
    client.post(changelist, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})
    event.refresh_from_db()
    assert event.action == "round.created"
    page = client.get(changelist)
    assert page.status_code == 200
    assert 'name="action"' not in page.content.decode()  # no bulk actions, so no bulk delete
    assert "Ronde geopend" in page.content.decode()  # platform admins read everything, in plain Dutch
