"""Mijn gegevens: what is kept about you, changing your name and your password; each person only their own."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from accounts.models import User
from audit.models import AuditEvent
from tests.factories import PASSWORD
from tests.helpers import logged_in_user_id, text

URL = reverse("accounts:account")
NEW_PASSWORD = "een-nieuw-lang-wachtwoord-42"


def test_page_shows_what_is_kept(cast, login):
    page = text(login(cast.kartrekker).get(URL))
    assert "Mijn gegevens" in page and "Karel Kartrekker" in page and "kartrekker@regenboog.test" in page
    assert "De Regenboog: Kartrekker, Teamlid" in page
    assert "Over leerlingen bewaren we nooit iets." in page
    assert reverse("accounts:account") in text(
        login(cast.teamlid).get(reverse("organisations:school", args=[cast.school.pk]))
    )
    board_page = text(login(cast.board_member).get(URL))
    assert "Besturen die je volgt" in board_page and "Bestuur Noord" in board_page


def test_change_name_is_saved_and_audited(cast, login):
    client = login(cast.teamlid)
    response = client.post(URL, {"form": "naam", "name": "  Tina de Vries  "})
    assert response.status_code == 302
    assert User.objects.get(pk=cast.teamlid.pk).name == "Tina de Vries"
    event = AuditEvent.objects.get(action="account.name_changed")
    assert event.actor == cast.teamlid and event.data == {"changed": True}  # no names in the log
    assert "Je naam is opgeslagen." in text(client.get(URL))


def test_bad_name_keeps_the_input_and_changes_nothing(cast, login):
    client = login(cast.teamlid)
    for bad, message in (("   ", "Vul je naam in."), ("x" * 151, "Gebruik maximaal 150 tekens.")):
        response = client.post(URL, {"form": "naam", "name": bad})
        assert response.status_code == 400
        assert message in text(response)
    response = client.post(URL, {"form": "naam", "name": "<script>alert(1)</script>" + "x" * 200})
    assert "&lt;script&gt;" in text(response) and "<script>alert(1)" not in text(response)
    assert User.objects.get(pk=cast.teamlid.pk).name == "Tina Teamlid"
    assert not AuditEvent.objects.filter(action="account.name_changed").exists()


def test_change_password_needs_the_old_one_and_keeps_you_logged_in(cast, login):
    client = login(cast.teamlid)
    data = {"form": "wachtwoord", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    response = client.post(URL, data | {"old_password": "fout"})
    assert response.status_code == 400
    assert "Nog niet opgeslagen" in text(response)
    assert User.objects.get(pk=cast.teamlid.pk).check_password(PASSWORD)

    response = client.post(URL, data | {"old_password": PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(pk=cast.teamlid.pk).check_password(NEW_PASSWORD)
    assert logged_in_user_id(client) == str(cast.teamlid.pk)  # this session goes on
    assert AuditEvent.objects.filter(action="account.password_set", actor=cast.teamlid).count() == 1
    assert NEW_PASSWORD not in str(AuditEvent.objects.values_list("data", flat=True))
    fresh = Client()
    login_url = reverse("accounts:login")
    assert fresh.post(login_url, {"email": cast.teamlid.email, "password": NEW_PASSWORD}).status_code == 302


def test_weak_or_different_new_passwords_are_refused_in_dutch(cast, login):
    client = login(cast.teamlid)
    for new1, new2 in (("kort", "kort"), ("1234567890123", "1234567890123"), (NEW_PASSWORD, NEW_PASSWORD + "x")):
        response = client.post(
            URL, {"form": "wachtwoord", "old_password": PASSWORD, "new_password1": new1, "new_password2": new2}
        )
        assert response.status_code == 400, new1
        assert "Nog niet opgeslagen" in text(response)
    assert User.objects.get(pk=cast.teamlid.pk).check_password(PASSWORD)


def test_code_only_account_can_set_a_first_password(cast, login):
    User.objects.filter(pk=cast.teamlid.pk).update(password="!unusable")
    cast.teamlid.refresh_from_db()  # the session keeps a hash of the password it logged in with
    client = login(cast.teamlid)
    page = text(client.get(URL))
    assert "Een wachtwoord instellen" in page and "Oud wachtwoord" not in page
    data = {"form": "wachtwoord", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert client.post(URL, data).status_code == 302
    assert User.objects.get(pk=cast.teamlid.pk).check_password(NEW_PASSWORD)


def test_a_post_changes_only_your_own_account(cast, login):
    """There is no id in the URL or form: whatever is sent, only the logged-in person's account changes."""
    client = login(cast.teamlid)
    client.post(URL, {"form": "naam", "name": "Gekaapt", "user": cast.schoolleider.pk, "email": "x@y.test"})
    assert User.objects.get(pk=cast.schoolleider.pk).name == "Sara Schoolleider"
    assert User.objects.get(pk=cast.teamlid.pk).email == "teamlid@regenboog.test"


def test_unknown_form_changes_nothing(cast, login):
    response = login(cast.teamlid).post(URL, {"form": "iets-anders", "name": "X"})
    assert response.status_code == 400
    assert User.objects.get(pk=cast.teamlid.pk).name == "Tina Teamlid"


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
