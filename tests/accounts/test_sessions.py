"""accounts.sessions: Django's database sessions, read with a query built once per process (issue 15, part 2); the
same answers as Django's own store for a live, an expired, an unknown and no session."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts.sessions import SessionStore


def test_the_setting_uses_it():
    assert settings.SESSION_ENGINE == "accounts.sessions"


def test_the_same_as_djangos_store(db):
    live = DjangoStore()
    live["x"] = 1
    live.create()
    expired = DjangoStore()
    expired["x"] = 2
    expired.create()
    Session.objects.filter(pk=expired.session_key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    for key in (live.session_key, expired.session_key, "onbekende-sessie-sleutel", None):
        ours, djangos = SessionStore(key), DjangoStore(key)
        assert ours.load() == djangos.load(), key
        assert ours.session_key == djangos.session_key, key
    assert SessionStore(live.session_key).load() == {"x": 1}


def test_logged_in_pages_and_logging_out(cast, client):
    client.force_login(cast.teamlid, backend="accounts.backends.EmailBackend")
    assert client.get(reverse("accounts:account")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:account")).status_code == 302
