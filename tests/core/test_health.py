"""Health endpoints (core/health.py): liveness touches nothing, readiness names the failed check and nothing else."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from core import health

LIVE = "/health/live/"
READY = "/health/ready/"


def test_urls():
    assert reverse("health_live") == LIVE and reverse("health_ready") == READY


def test_live_answers_without_the_database_session_or_cookies(client):
    """No `db` fixture: any database access would raise (pytest-django blocks it) and fail the request."""
    response = client.get(LIVE)
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies
    assert client.head(LIVE).status_code == 200


@pytest.mark.django_db
def test_live_makes_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get(LIVE).status_code == 200


def test_live_refuses_writes(client):
    assert client.post(LIVE).status_code == 405


@pytest.mark.django_db
def test_ready_is_ok(client):
    response = client.get(READY)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert "sessionid" not in response.cookies and not response.cookies


@pytest.mark.django_db
def test_ready_names_a_failing_database_but_not_why(client, monkeypatch, caplog):
    def down():
        raise OperationalError('connection to server at "db.intern.example" (10.1.2.3), port 5432 failed')

    monkeypatch.setattr(health, "check_database", down)
    response = client.get(READY)
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "fail", "cache": "ok", "tasks": "ok"},
    }
    body = response.content.decode()
    assert "db.intern" not in body and "10.1.2.3" not in body and "5432" not in body
    assert response["Cache-Control"] == "no-store" and not response.cookies
    assert "health check database failed" in caplog.text  # the reason is in the log, for the operator
    assert "db.intern.example" in caplog.text


@pytest.mark.django_db
def test_ready_names_a_cache_that_is_down(client, settings):
    """A Valkey/Redis nobody listens on (port 1 on this machine): the connection is refused at once."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    response = client.get(READY)
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "unavailable",
        "checks": {"database": "ok", "cache": "fail", "tasks": "ok"},
    }
    assert "127.0.0.1" not in response.content.decode()


@pytest.mark.django_db
def test_ready_names_a_cache_that_loses_what_it_stored(client, monkeypatch):
    monkeypatch.setattr(health.cache, "get", lambda *args, **kwargs: None)
    response = client.get(READY)
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "fail"


def _queued(*, minutes_ago: int, status=TaskResultStatus.READY, delayed: bool = False) -> DBTaskResult:
    moment = timezone.now() - timedelta(minutes=minutes_ago)
    task = DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="core.mail.send_queued_mail",
        backend_name="default",
        run_after=moment if delayed else get_date_max(),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=moment)
    return task


@pytest.mark.django_db
def test_ready_fails_when_the_worker_falls_behind(client, settings):
    settings.HEALTH_TASK_BACKLOG_AGE = 600
    settings.HEALTH_TASK_BACKLOG_MAX = 2
    _queued(minutes_ago=30)
    _queued(minutes_ago=20, delayed=True)  # a retry due 20 minutes ago
    _queued(minutes_ago=1)  # recent: not (yet) behind
    _queued(minutes_ago=60, status=TaskResultStatus.SUCCESSFUL)  # done
    _queued(minutes_ago=60, status=TaskResultStatus.FAILED)
    later = _queued(minutes_ago=0, delayed=True)
    DBTaskResult.objects.filter(pk=later.pk).update(
        enqueued_at=timezone.now() - timedelta(hours=2), run_after=timezone.now() + timedelta(hours=1)
    )  # queued long ago but due in an hour: waits for its time, not for the worker
    assert client.get(READY).status_code == 200  # two behind, two allowed

    _queued(minutes_ago=11)
    response = client.get(READY)
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "tasks": "fail"}

    settings.HEALTH_TASK_BACKLOG_MAX = -1  # the check switched off
    assert client.get(READY).status_code == 200


@pytest.mark.django_db
def test_health_urls_skip_the_https_redirect(client, settings):
    """A load balancer asks over plain http: no redirect for the health URLs, the rest of the site still redirects."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(LIVE).status_code == 200
    assert client.get(READY).status_code == 200
    assert client.get(reverse("accounts:login")).status_code == 301
    assert client.get("/health/live/x").status_code == 301  # only the two URLs themselves


@pytest.mark.django_db
def test_health_urls_ignore_a_stale_session_cookie(client):
    """A session cookie that matches nothing: still an answer, and no new session (Django only expires the stale
    cookie)."""
    client.cookies["sessionid"] = "bestaat-niet-" * 3
    for url in (LIVE, READY):
        response = client.get(url)
        assert response.status_code == 200
        assert all(cookie.value == "" for cookie in response.cookies.values())
