"""Login limits under parallel requests (issue 11, part 2): every limit is checked and counted in one step in the
database, before the code or password is compared. Threads, each with its own database connection.

Runs on PostgreSQL (real row locks across connections); SQLite serialises whole-database writes and is skipped.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from accounts.models import LoginCode, User
from tests.factories import PASSWORD, make_user

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row-lock test needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def in_parallel(work, n):
    """Run work(i) in n threads that start together; return the results by i."""
    barrier = threading.Barrier(n)
    results: dict[int, object] = {}
    errors: list[BaseException] = []

    def run(i):
        try:
            barrier.wait(timeout=20)
            results[i] = work(i)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert len(results) == n
    return results


class Counter:
    def __init__(self):
        self.n = 0
        self.lock = threading.Lock()

    def wrap(self, func):
        def counted(*args, **kwargs):
            with self.lock:
                self.n += 1
            return func(*args, **kwargs)

        return counted


def code_client(user):
    """A browser that has asked for a code for this user (the pending login in its session)."""
    client = Client()
    session = client.session
    session["login_code_user_id"] = user.pk
    session["login_code_email"] = user.email
    session.save()
    return client


def logged_in(client):
    return "_auth_user_id" in client.session


def test_parallel_right_guesses_at_a_code_with_one_attempt_left_log_in_once():
    user = make_user("Codi")
    login_code, code = LoginCode.issue(user)
    LoginCode.objects.filter(pk=login_code.pk).update(attempts=4)
    clients = [code_client(user) for _ in range(25)]

    def guess(i):
        clients[i].post(reverse("accounts:code_verify"), {"code": code})
        return logged_in(clients[i])

    results = in_parallel(guess, 25)
    assert sum(results.values()) <= 1
    login_code.refresh_from_db()
    assert login_code.attempts <= 5


def test_parallel_wrong_guesses_at_a_code_with_one_attempt_left_are_checked_once(monkeypatch):
    user = make_user("Codi")
    login_code, code = LoginCode.issue(user)
    LoginCode.objects.filter(pk=login_code.pk).update(attempts=4)
    checked = Counter()
    monkeypatch.setattr(LoginCode, "matches", checked.wrap(LoginCode.matches))
    clients = [code_client(user) for _ in range(25)]
    wrong = [f"{(int(code) + i + 1) % 10**6:06d}" for i in range(25)]

    def guess(i):
        response = clients[i].post(reverse("accounts:code_verify"), {"code": wrong[i]})
        return response.status_code

    results = in_parallel(guess, 25)
    assert set(results.values()) == {200}
    assert checked.n <= 1
    login_code.refresh_from_db()
    assert login_code.attempts == 5


def test_parallel_code_requests_keep_to_the_hourly_limit(settings):
    settings.LOGIN_CODES_PER_HOUR = 5
    user = make_user("Codi")

    def ask(i):
        return Client().post(reverse("accounts:code_request"), {"email": user.email}).status_code

    results = in_parallel(ask, 20)
    assert set(results.values()) == {302}
    assert LoginCode.objects.filter(user=user).count() <= 5


def test_parallel_wrong_passwords_for_one_address_are_checked_at_most_the_limit(monkeypatch, settings):
    settings.LOGIN_PASSWORD_MAX_FAILURES = 10
    user = make_user("Pia")
    checked = Counter()
    monkeypatch.setattr(User, "check_password", checked.wrap(User.check_password))

    def guess(i):
        client = Client(REMOTE_ADDR=f"192.0.2.{i + 1}")
        return client.post(reverse("accounts:login"), {"email": user.email, "password": f"gok-{i}"}).status_code

    results = in_parallel(guess, 30)
    assert set(results.values()) == {200}
    assert checked.n <= 10
    # And the right password is not checked either now.
    client = Client()
    client.post(reverse("accounts:login"), {"email": user.email, "password": PASSWORD})
    assert not logged_in(client)


def test_parallel_spraying_from_one_client_is_checked_at_most_the_client_limit(monkeypatch, settings):
    settings.LOGIN_PASSWORD_MAX_FAILURES_PER_CLIENT = 10
    users = [make_user(f"Lid {i}") for i in range(30)]
    checked = Counter()
    monkeypatch.setattr(User, "check_password", checked.wrap(User.check_password))

    def spray(i):
        client = Client(REMOTE_ADDR="203.0.113.7")
        return client.post(reverse("accounts:login"), {"email": users[i].email, "password": "Zomer2026!"}).status_code

    in_parallel(spray, 30)
    assert checked.n <= 10


def test_parallel_spraying_from_many_clients_is_checked_at_most_the_global_ceiling(monkeypatch, settings):
    settings.LOGIN_PASSWORD_MAX_FAILURES_GLOBAL = 10
    users = [make_user(f"Lid {i}") for i in range(30)]
    checked = Counter()
    monkeypatch.setattr(User, "check_password", checked.wrap(User.check_password))

    def spray(i):
        client = Client(REMOTE_ADDR=f"198.51.100.{i + 1}")
        return client.post(reverse("accounts:login"), {"email": users[i].email, "password": "Zomer2026!"}).status_code

    in_parallel(spray, 30)
    assert checked.n <= 10
