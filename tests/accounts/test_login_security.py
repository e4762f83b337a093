"""Logins that cannot be enumerated or led astray (issue 11, part 2) and the login events in the audit log (part 4).

Real concurrency (threads, several connections) is in tests/accounts/test_login_concurrency.py (PostgreSQL only).
"""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import LoginCode, LoginFailure
from actionplans.models import Action, ActionStatus
from audit.models import AuditEvent
from tests.factories import PASSWORD, make_user
from tests.helpers import logged_in_user_id, text

LOCKED = "Er is te vaak een verkeerd wachtwoord gebruikt"
WRONG = "Dit e-mailadres en wachtwoord horen niet bij elkaar."
SENT = "bij ons bekend is, staat er nu een e-mail met een inlogcode in je inbox."


class BrokenMailBackend:
    """A mail server that is down: every send raises."""

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        raise ConnectionRefusedError("mail server unreachable")

    def close(self):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server unreachable")


def broken_mail(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.accounts.test_login_security.BrokenMailBackend"}}
    settings.EMAIL_BACKEND = "tests.accounts.test_login_security.BrokenMailBackend"


def request_code(client, on_commit, email, **extra):
    with on_commit():
        return client.post(reverse("accounts:code_request"), {"email": email}, **extra)


def mailed_code() -> str:
    match = re.search(r"inlogcode voor Groeiwijzer TSO is: (\d{6})\b", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def try_password(client, email, password, **extra):
    return client.post(reverse("accounts:login"), {"email": email, "password": password}, **extra)


# Codes: a keyed hash ------------------------------------------------------------------------------------------


def test_login_codes_are_stored_with_a_keyed_hash(cast, on_commit, settings):
    client = Client()
    request_code(client, on_commit, cast.teamlid.email)
    code = mailed_code()
    stored = LoginCode.objects.get(user=cast.teamlid)
    # Six digits have a million values: a bare SHA-256 is reversed by trying them all. A keyed hash is not.
    assert stored.code_hash != hashlib.sha256(code.encode()).hexdigest()
    assert code not in stored.code_hash
    # The key is the secret key: with another key the same code no longer matches.
    assert stored.matches(code)
    settings.SECRET_KEY = "een-andere-geheime-sleutel-voor-deze-test"
    assert not stored.matches(code)


# Codes: the request tells nothing -----------------------------------------------------------------------------


def _answer(client, on_commit, email):
    response = request_code(client, on_commit, email)
    page = client.get(response.url)
    return response.status_code, response.url, page.status_code, same_page(page, email)


def same_page(page, email):
    """The page without what differs per browser anyway (the CSRF token) and the typed address."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text(page))
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", page).replace(email, "ADRES")


def test_code_request_answers_the_same_for_known_and_unknown_addresses(cast, on_commit):
    known = _answer(Client(), on_commit, cast.teamlid.email)
    unknown = _answer(Client(), on_commit, "niemand@regenboog.test")
    assert known == unknown
    assert known[0] == 302 and SENT in known[3]


def test_code_request_answers_the_same_when_sending_fails(cast, on_commit, settings):
    expected = _answer(Client(), on_commit, "niemand@regenboog.test")
    broken_mail(settings)
    client = Client(raise_request_exception=False)
    response = request_code(client, on_commit, cast.teamlid.email)
    assert response.status_code == 302  # no 500
    page = client.get(response.url)
    assert (response.status_code, response.url, page.status_code) == expected[:3]
    assert same_page(page, cast.teamlid.email) == expected[3]


def test_the_code_request_is_a_service(cast, on_commit):
    with on_commit():
        services.do_request_login_code(email=cast.teamlid.email)
    code = mailed_code()
    assert (
        services.do_verify_login_code(user_id=cast.teamlid.pk, code="000000" if code != "000000" else "111111") is None
    )
    assert services.do_verify_login_code(user_id=cast.teamlid.pk, code=code) == cast.teamlid
    assert services.do_verify_login_code(user_id=cast.teamlid.pk, code=code) is None  # once
    with on_commit():
        services.do_request_login_code(email="niemand@regenboog.test")  # nothing, no error
    assert len(mail.outbox) == 1


def test_a_code_with_its_last_attempt_is_not_compared_twice(cast):
    login_code, code = LoginCode.issue(cast.teamlid)
    LoginCode.objects.filter(pk=login_code.pk).update(attempts=4)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    assert services.do_verify_login_code(user_id=cast.teamlid.pk, code=wrong) is None
    assert services.do_verify_login_code(user_id=cast.teamlid.pk, code=code) is None  # the attempts are used up
    login_code.refresh_from_db()
    assert login_code.attempts == 5 and login_code.used_at is None


# Next: only a local path ----------------------------------------------------------------------------------------

BAD_NEXT = ["foo", "//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "\x00/x"]


@pytest.mark.parametrize("nxt", BAD_NEXT)
def test_password_login_ignores_a_next_that_is_not_a_local_path(cast, nxt):
    client = Client(raise_request_exception=False)
    response = client.post(
        reverse("accounts:login") + "?next=" + nxt, {"email": cast.teamlid.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("home")
    client = Client(raise_request_exception=False)
    response = client.post(reverse("accounts:login"), {"email": cast.teamlid.email, "password": PASSWORD, "next": nxt})
    assert (response.status_code, response.url) == (302, reverse("home"))


def test_password_login_still_follows_a_local_next(cast):
    client = Client()
    response = client.post(
        reverse("accounts:login") + "?next=/ontwikkelmodel/", {"email": cast.teamlid.email, "password": PASSWORD}
    )
    assert response.url == "/ontwikkelmodel/"


@pytest.mark.parametrize("nxt", ["foo", "//evil.example/"])
def test_code_login_ignores_a_next_that_is_not_a_local_path(cast, on_commit, nxt):
    client = Client(raise_request_exception=False)
    with on_commit():
        response = client.post(reverse("accounts:code_request"), {"email": cast.teamlid.email, "next": nxt})
    assert response.status_code == 302
    assert "evil" not in response.url and "foo" not in response.url
    response = client.post(reverse("accounts:code_verify") + "?next=" + nxt, {"code": mailed_code(), "next": nxt})
    assert (response.status_code, response.url) == (302, reverse("home"))


@pytest.mark.parametrize("nxt", ["foo", "//evil.example/", "https://evil.example/"])
def test_action_status_ignores_a_next_that_is_not_a_local_path(cast, plan, nxt):
    client = Client(raise_request_exception=False)
    client.force_login(cast.teamlid)
    url = reverse("actionplans:action_status", args=[cast.school.pk, plan.action.pk])
    response = client.post(url, {"status": "afgerond", "next": nxt})
    assert response.status_code == 302
    assert response.url == reverse("actionplans:action", args=[cast.school.pk, plan.action.pk])
    assert Action.objects.get(pk=plan.action.pk).status == ActionStatus.DONE
    response = client.post(url, {"status": "bezig", "next": "/ontwikkelmodel/"})
    assert response.url == "/ontwikkelmodel/"


# Password throttle: per client and overall ----------------------------------------------------------------------


def test_one_client_spraying_a_password_over_many_accounts_is_stopped(cast, settings):
    settings.LOGIN_PASSWORD_MAX_FAILURES_PER_CLIENT = 3
    sprayer = Client(REMOTE_ADDR="203.0.113.7")
    for email in ("a@regenboog.test", "b@regenboog.test", "c@regenboog.test"):
        assert WRONG in text(try_password(sprayer, email, "Zomer2026!"))
    # The fourth account, even with its right password: not checked from this client.
    response = try_password(sprayer, cast.teamlid.email, PASSWORD)
    assert response.status_code == 200 and LOCKED in text(response)
    assert logged_in_user_id(sprayer) is None
    assert "code per e-mail" in text(response)
    # Another client is not affected.
    other = Client(REMOTE_ADDR="198.51.100.20")
    assert try_password(other, cast.teamlid.email, PASSWORD).status_code == 302
    # Only keyed hashes are stored, never the address.
    for row in LoginFailure.objects.all():
        assert "203.0.113" not in row.key and len(row.key) == 64
    for event in AuditEvent.objects.all():
        assert "203.0.113" not in str(event.data)


def test_the_code_login_keeps_working_for_a_throttled_client(cast, settings, on_commit):
    settings.LOGIN_PASSWORD_MAX_FAILURES_PER_CLIENT = 2
    client = Client(REMOTE_ADDR="203.0.113.7")
    for email in ("a@regenboog.test", "b@regenboog.test"):
        try_password(client, email, "Zomer2026!")
    assert LOCKED in text(try_password(client, cast.teamlid.email, PASSWORD))
    request_code(client, on_commit, cast.teamlid.email)
    assert client.post(reverse("accounts:code_verify"), {"code": mailed_code()}).status_code == 302
    assert logged_in_user_id(client) == str(cast.teamlid.pk)


def test_a_global_ceiling_slows_spraying_from_many_clients(cast, settings):
    settings.LOGIN_PASSWORD_MAX_FAILURES_GLOBAL = 4
    for n in range(4):
        client = Client(REMOTE_ADDR=f"192.0.2.{n + 1}")
        assert WRONG in text(try_password(client, f"persoon{n}@regenboog.test", "Zomer2026!"))
    response = try_password(Client(REMOTE_ADDR="192.0.2.99"), cast.teamlid.email, PASSWORD)
    assert response.status_code == 200 and LOCKED in text(response)


def test_right_passwords_do_not_count_towards_the_client_or_global_limits(cast, settings):
    settings.LOGIN_PASSWORD_MAX_FAILURES_PER_CLIENT = 2
    settings.LOGIN_PASSWORD_MAX_FAILURES_GLOBAL = 3
    school = Client(REMOTE_ADDR="203.0.113.7")  # a whole school behind one address
    for _ in range(5):
        assert try_password(Client(REMOTE_ADDR="203.0.113.7"), cast.teamlid.email, PASSWORD).status_code == 302
    assert try_password(school, cast.kartrekker.email, PASSWORD).status_code == 302


def test_client_and_global_limits_have_sane_defaults():
    from django.conf import settings

    assert 10 <= settings.LOGIN_PASSWORD_MAX_FAILURES_PER_CLIENT <= 200
    assert settings.LOGIN_PASSWORD_MAX_FAILURES_PER_CLIENT < settings.LOGIN_PASSWORD_MAX_FAILURES_GLOBAL <= 5000


# Sessions: an idle timeout ----------------------------------------------------------------------------------


PAGE = "/mijn-gegevens/"


@pytest.fixture
def clock(monkeypatch):
    """Move the clock forward: clock(hours=9)."""
    real_now = timezone.now
    shift = [timedelta()]

    def now():
        return real_now() + shift[0]

    monkeypatch.setattr(timezone, "now", now)

    def advance(**delta):
        shift[0] += timedelta(**delta)

    return advance


def test_an_idle_session_ends(cast, clock):
    client = Client()
    client.force_login(cast.teamlid)
    assert client.get(PAGE).status_code == 200
    clock(hours=7)
    assert client.get(PAGE).status_code == 200
    clock(hours=7)  # 14 hours after the login, but 7 after the last activity
    assert client.get(PAGE).status_code == 200
    clock(hours=8, minutes=1)
    response = client.get(PAGE)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert logged_in_user_id(client) is None


def test_an_idle_session_gives_htmx_a_401(cast, clock, settings):
    settings.SESSION_IDLE_TIMEOUT = 3600
    client = Client()
    client.force_login(cast.teamlid)
    assert client.get(PAGE, HTTP_HX_REQUEST="true").status_code == 200
    clock(minutes=61)
    assert client.get(PAGE, HTTP_HX_REQUEST="true").status_code == 401
    assert logged_in_user_id(client) is None


def test_an_active_session_still_ends_after_its_fixed_lifetime(cast, clock, settings):
    settings.SESSION_COOKIE_AGE = 20 * 3600
    client = Client()
    client.force_login(cast.teamlid)
    for _ in range(3):
        assert client.get(PAGE).status_code == 200
        clock(hours=6)  # 0, 6, 12, 18
    assert client.get(PAGE).status_code == 200
    clock(hours=3)  # 21 hours after the login
    assert client.get(PAGE).status_code == 302


def test_the_idle_timeout_defaults_to_eight_hours():
    from django.conf import settings

    assert settings.SESSION_IDLE_TIMEOUT == 8 * 3600


# Audit: logins and logouts --------------------------------------------------------------------------------------


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_password_login_logout_and_failure_are_audited(cast):
    client = Client(REMOTE_ADDR="203.0.113.7")
    assert WRONG in text(try_password(client, cast.teamlid.email, "fout-wachtwoord"))
    [failed] = events("account.login_failed")
    assert failed.school is None and failed.actor is None
    assert failed.data["method"] == "password"
    stored = str(failed.data) + failed.object_id
    assert "teamlid" not in stored and "regenboog" not in stored and "203.0.113" not in stored
    assert len(failed.data["client"]) == 64  # a keyed hash of the client address

    assert try_password(client, cast.teamlid.email, PASSWORD).status_code == 302
    [ok] = events("account.logged_in")
    assert (ok.actor, ok.school, ok.data["method"]) == (cast.teamlid, None, "password")

    client.post(reverse("accounts:logout"))
    [out] = events("account.logged_out")
    assert (out.actor, out.school) == (cast.teamlid, None)


def test_code_login_and_failure_are_audited(cast, on_commit):
    client = Client()
    request_code(client, on_commit, cast.teamlid.email)
    code = mailed_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    client.post(reverse("accounts:code_verify"), {"code": wrong})
    [failed] = events("account.login_failed")
    assert failed.data["method"] == "code" and failed.actor is None and failed.school is None
    assert "regenboog" not in str(failed.data)
    client.post(reverse("accounts:code_verify"), {"code": code})
    [ok] = events("account.logged_in")
    assert (ok.actor, ok.school, ok.data["method"]) == (cast.teamlid, None, "code")


def test_an_idle_logout_is_audited(cast, clock):
    user = make_user("Idle Iris")
    client = Client()
    client.force_login(user)
    client.get(PAGE)
    clock(hours=9)
    client.get(PAGE)
    [out] = events("account.logged_out")
    assert out.actor == user and out.data.get("reason") == "idle"


# Review of issue 11: the timing of a code request tells nothing -------------------------------------------------


def test_a_code_request_answers_no_sooner_than_the_floor_known_or_not(cast, settings):
    """A known address costs more work (a code, a mail in the queue) than an unknown one; the answer waits until
    LOGIN_CODE_MIN_SECONDS have passed either way, so an unknown address does not answer faster."""
    import time

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def timed(email):
        started = time.perf_counter()
        response = Client().post(reverse("accounts:code_request"), {"email": email})
        return time.perf_counter() - started, response

    settings.LOGIN_CODE_MIN_SECONDS = 0
    timed("warm@regenboog.test")  # the first request of a process loads URLs and templates: not measured
    settings.LOGIN_CODE_MIN_SECONDS = 0.25
    for email in ["niemand@regenboog.test", "teamlid@regenboog.test", "ook.niemand@elders.test"]:
        elapsed, response = timed(email)
        assert response.status_code == 302 and response["Location"] == reverse("accounts:code_verify")
        assert elapsed >= 0.25, (email, elapsed)
    assert LoginCode.objects.filter(user=cast.teamlid).count() == 1
