"""Logging in: the one-time code by e-mail (only its hash stored, the same answer for an unknown address, valid
fifteen minutes, once, a new code replacing the old one, a limit per hour) and the password (e-mail case ignored,
only local ``next`` addresses followed)."""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import LoginCode
from tests.factories import PASSWORD
from tests.helpers import logged_in_user_id, text


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
