"""Password guessing is slowed down per address (accounts/throttle.py), on the app's login page and the admin's."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import LoginFailure
from tests.factories import PASSWORD
from tests.helpers import logged_in_user_id, text

LOCKED = "Er is te vaak een verkeerd wachtwoord gebruikt voor dit e-mailadres."
WRONG = "Dit e-mailadres en wachtwoord horen niet bij elkaar."


def try_password(client, email, password):
    return client.post(reverse("accounts:login"), {"email": email, "password": password})


def guess(email, times):
    client = Client()
    for _ in range(times):
        response = try_password(client, email, "geraden-wachtwoord")
        assert response.status_code == 200
        assert WRONG in text(response)


def test_too_many_wrong_passwords_lock_the_address_even_for_the_right_one(cast, settings):
    settings.LOGIN_PASSWORD_MAX_FAILURES = 4
    guess(cast.teamlid.email, 4)

    client = Client()
    response = try_password(client, cast.teamlid.email, PASSWORD)
    assert response.status_code == 200
    page = text(response)
    assert LOCKED in page and "15 minuten" in page and "code per e-mail" in page
    assert logged_in_user_id(client) is None
    assert 'value="teamlid@regenboog.test"' in response.content.decode()  # the form keeps what was typed

    # Other addresses are not affected.
    assert try_password(Client(), cast.kartrekker.email, PASSWORD).status_code == 302
    # Upper case or spaces are the same address.
    assert LOCKED in text(try_password(Client(), " TEAMLID@Regenboog.test ", PASSWORD))


def test_the_lock_ends_when_the_failures_are_older_than_the_window(cast, settings):
    settings.LOGIN_PASSWORD_MAX_FAILURES = 3
    guess(cast.teamlid.email, 3)
    assert LOCKED in text(try_password(Client(), cast.teamlid.email, PASSWORD))

    LoginFailure.objects.update(created_at=LoginFailure.objects.first().created_at - timedelta(minutes=16))
    client = Client()
    assert try_password(client, cast.teamlid.email, PASSWORD).status_code == 302
    assert logged_in_user_id(client) == str(cast.teamlid.pk)
    # Old windows start again, and a right password clears the count (per address, per client and overall).
    assert not LoginFailure.objects.filter(count__gt=0).exists()


def test_a_right_password_starts_the_count_again(cast, settings):
    settings.LOGIN_PASSWORD_MAX_FAILURES = 3
    guess(cast.teamlid.email, 2)
    assert try_password(Client(), cast.teamlid.email, PASSWORD).status_code == 302
    guess(cast.teamlid.email, 2)
    assert try_password(Client(), cast.teamlid.email, PASSWORD).status_code == 302


def test_unknown_addresses_are_counted_and_answered_the_same(db, settings):
    settings.LOGIN_PASSWORD_MAX_FAILURES = 2
    guess("niemand@regenboog.test", 2)
    assert LOCKED in text(try_password(Client(), "niemand@regenboog.test", "nog-een-gok"))


def test_the_login_code_still_works_for_a_locked_address(cast, settings, on_commit):
    settings.LOGIN_PASSWORD_MAX_FAILURES = 2
    guess(cast.teamlid.email, 2)
    client = Client()
    with on_commit():
        client.post(reverse("accounts:code_request"), {"email": cast.teamlid.email})
    code = next(word for word in mail.outbox[-1].body.split() if word.isdigit() and len(word) == 6)
    assert client.post(reverse("accounts:code_verify"), {"code": code}).status_code == 302
    assert logged_in_user_id(client) == str(cast.teamlid.pk)


def test_the_admin_login_is_throttled_too(cast, settings):
    settings.LOGIN_PASSWORD_MAX_FAILURES = 2
    cast.schoolleider.is_staff = cast.schoolleider.is_superuser = True
    cast.schoolleider.save()
    admin_login = reverse("admin:login")
    client = Client()
    for _ in range(2):
        response = client.post(admin_login, {"username": cast.schoolleider.email, "password": "fout"})
        assert response.status_code == 200
    response = client.post(admin_login, {"username": cast.schoolleider.email, "password": PASSWORD})
    assert response.status_code == 200  # refused: the right password is not even checked
    assert logged_in_user_id(client) is None


def test_no_address_is_stored(cast, settings):
    guess(cast.teamlid.email, 1)
    failures = LoginFailure.objects.all()
    assert len(failures) == 3  # the address, the client and everyone together
    for failure in failures:
        assert "regenboog" not in failure.key and "teamlid" not in failure.key and "127.0.0.1" not in failure.key
        assert len(failure.key) == 64 and failure.count == 1
