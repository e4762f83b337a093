"""Request ids and log lines (core/logging.py, core.middleware.RequestId)."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.tasks import task
from django.test import override_settings
from django.urls import path

from core.logging import REQUEST_ID, JsonFormatter, RequestIdFilter, follow_tasks, request_id_from

ROOT = Path(__file__).resolve().parent.parent.parent
log = logging.getLogger("tests.core.test_logging")
seen: list[str | None] = []


@login_not_required
def _logs_a_line(request):
    seen.append(REQUEST_ID.get())
    log.warning("a line from the view")
    return HttpResponse("ok")


urlpatterns = [path("log-line/", _logs_a_line, name="log_line")]


class _Collect(logging.Handler):
    """A handler configured like the console handler of settings.LOGGING: the request id filter on the handler."""

    def __init__(self, formatter: logging.Formatter | None = None):
        super().__init__()
        self.addFilter(RequestIdFilter())
        if formatter:
            self.setFormatter(formatter)
        self.records: list[logging.LogRecord] = []
        self.lines: list[str] = []

    def emit(self, record):
        self.records.append(record)
        self.lines.append(self.format(record))


@pytest.fixture
def collected():
    handler = _Collect(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)


def test_every_response_has_a_new_id(client):
    first = client.get("/health/live/")["X-Request-ID"]
    second = client.get("/health/live/")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and re.fullmatch(r"[0-9a-f]{32}", second)
    assert first != second


@pytest.mark.django_db
def test_an_id_on_redirects_and_errors_too(client):
    response = client.get("/scholen/1/")  # anonymous: to the login page
    assert response.status_code == 302 and response["X-Request-ID"]
    assert client.get("/bestaat-niet/")["X-Request-ID"]


@pytest.mark.parametrize("incoming", ["abc123", "0b8f6a2e-4c1d-4e7a-9f00-1234567890ab", "Root.1-67-abc_DEF", "x" * 64])
def test_a_safe_incoming_id_is_kept(client, incoming):
    response = client.get("/health/live/", headers={"X-Request-ID": incoming})
    assert response["X-Request-ID"] == incoming


@pytest.mark.parametrize(
    "incoming",
    [
        "",
        "x" * 65,  # too long
        "has space",
        "line\nbreak",
        'quote"d',
        "<script>",
        "-starts-with-a-dash",
        "naam@school.nl",  # never an email address in the logs
        "ünïcode",
    ],
)
def test_an_unsafe_incoming_id_is_replaced(incoming):
    replaced = request_id_from(incoming)
    assert replaced != incoming and re.fullmatch(r"[0-9a-f]{32}", replaced)


def test_the_header_of_a_request_with_an_unsafe_id(client):
    response = client.get("/health/live/", headers={"X-Request-ID": "a b"})
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


@override_settings(ROOT_URLCONF=__name__)
def test_the_view_and_its_log_lines_carry_the_requests_id(client, collected):
    seen.clear()
    response = client.get("/log-line/", headers={"X-Request-ID": "req-42"})
    assert response["X-Request-ID"] == "req-42"
    assert seen == ["req-42"]
    lines = [json.loads(line) for line in collected.lines if "a line from the view" in line]
    assert len(lines) == 1 and lines[0]["request_id"] == "req-42"
    assert REQUEST_ID.get() is None  # reset after the request


def test_lines_outside_a_request_have_a_dash(collected):
    log.warning("no request")
    assert json.loads(collected.lines[-1])["request_id"] == "-"


def test_json_lines_parse_and_hold_what_was_asked(collected):
    token = REQUEST_ID.set("abc-1")
    try:
        log.warning("Mail to %s failed after %d attempts", "tina.teamlid@regenboog.nl", 3)
        try:
            raise ValueError("refused by smtp for karel@regenboog.nl")
        except ValueError:
            log.exception("sending failed")
    finally:
        REQUEST_ID.reset(token)
    first, second = (json.loads(line) for line in collected.lines[-2:])
    assert set(first) == {"time", "level", "logger", "message", "request_id"}
    assert first["level"] == "WARNING" and first["logger"] == "tests.core.test_logging"
    assert first["request_id"] == "abc-1"
    assert first["message"] == "Mail to [e-mail] failed after 3 attempts"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", first["time"])
    assert second["level"] == "ERROR" and second["request_id"] == "abc-1"
    assert "Traceback" in second["exception"] and "ValueError: refused by smtp for [e-mail]" in second["exception"]
    assert all("@" not in line for line in collected.lines[-2:])
    assert all("\n" not in line for line in collected.lines[-2:])  # one line per record


def test_json_formatter_never_writes_the_request(collected, rf):
    request = rf.post("/x/?email=tina@regenboog.nl", {"answer": "geheim antwoord"})
    logging.getLogger("django.request").error("Internal Server Error: %s", request.path, extra={"request": request})
    line = collected.lines[-1]
    assert "geheim" not in line and "tina" not in line and json.loads(line)["message"] == "Internal Server Error: /x/"


def test_settings_put_the_id_on_every_line():
    """Development keeps readable text with the id; production writes JSON through the same filter."""
    handler = django_settings.LOGGING["handlers"]["console"]
    assert handler["filters"] == ["request_id"]
    assert "%(request_id)s" in django_settings.LOGGING["formatters"]["text"]["format"]
    assert django_settings.MIDDLEWARE[0] == "core.middleware.RequestId"


def test_production_settings_log_json_and_keep_the_middleware_order():
    """In a separate process: importing the production settings changes the shared DATABASES dict."""
    env = {
        **os.environ,
        "SECRET_KEY": "test-" + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "groeiwijzer.example.nl",
        "DATABASE_URL": "sqlite:///unused.sqlite3",
        "SENTRY_DSN": "",
    }
    code = (
        "import json, groeiwijzer.settings_production as p; "
        "print(json.dumps({'logging': p.LOGGING, 'middleware': p.MIDDLEWARE, 'exempt': p.SECURE_REDIRECT_EXEMPT}))"
    )
    done = subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60, check=True
    )
    production = json.loads(done.stdout)
    assert production["logging"]["formatters"]["json"]["()"] == "core.logging.JsonFormatter"
    assert production["logging"]["handlers"]["console"]["filters"] == ["request_id"]
    assert production["middleware"][:3] == [
        "core.middleware.RequestId",
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]
    assert r"^health/(live|ready)/$" in production["exempt"]


@task()
def _logging_task():
    log.warning("a line from the task")
    return REQUEST_ID.get()


def test_a_task_logs_with_its_own_id(settings, collected):
    """In the worker (here the immediate backend, which sends the same signals) a task's lines carry its id; the id
    of whatever ran before comes back after it."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    follow_tasks()  # connected by groeiwijzer.apps at start-up; idempotent
    token = REQUEST_ID.set("req-before")
    try:
        result = _logging_task.enqueue()
        assert REQUEST_ID.get() == "req-before"
    finally:
        REQUEST_ID.reset(token)
    assert result.return_value == f"task-{result.id}"
    line = next(json.loads(line) for line in collected.lines if "a line from the task" in line)
    assert line["request_id"] == f"task-{result.id}"
