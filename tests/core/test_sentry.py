"""Error reports (core/sentry.py): nothing personal leaves the server."""

from __future__ import annotations

import copy
import json

import pytest
from sentry_sdk.client import _get_options

from core import sentry
from core.logging import REQUEST_ID

EMAILS = ("tina.teamlid@regenboog.nl", "karel@regenboog.nl", "olga@vreemde.nl")


def django_error_event() -> dict:
    """Shaped like what sentry-sdk's Django integration sends for an error in a form post (a participant saving
    answers), as if every integration had collected everything it can."""
    return {
        "event_id": "3f1c2a9b8d7e4f60a1b2c3d4e5f60718",
        "level": "error",
        "platform": "python",
        "server_name": "app-1",
        "transaction": "/scholen/{school_id}/rondes/{round_id}/invullen/{layer_code}/",
        "logentry": {
            "message": "Saving answers of %s failed",
            "params": ["tina.teamlid@regenboog.nl"],
            "formatted": "Saving answers of tina.teamlid@regenboog.nl failed",
        },
        "exception": {
            "values": [
                {
                    "type": "IntegrityError",
                    "value": 'duplicate key value violates unique constraint "accounts_user_email_key"\n'
                    "DETAIL:  Key (email)=(karel@regenboog.nl) already exists.",
                    "module": "django.db.utils",
                    "stacktrace": {
                        "frames": [
                            {
                                "filename": "assessments/views.py",
                                "function": "fill_layer",
                                "lineno": 212,
                                "context_line": "    services.do_save_answers(participant=participant, answers=data)",
                                "pre_context": ["def fill_layer(request, school_id, round_id, layer_code):"],
                                "post_context": ["    return redirect(...)"],
                                "vars": {
                                    "request": "<WSGIRequest: POST '/scholen/1/?mail=olga@vreemde.nl'>",
                                    "data": {"1.1": {"strengths": "Ik voel me onveilig bij de directeur"}},
                                },
                            }
                        ]
                    },
                }
            ]
        },
        "threads": {"values": [{"id": 1, "stacktrace": {"frames": [{"function": "run", "vars": {"secret": "x"}}]}}]},
        "request": {
            "url": "https://groeiwijzer.example.nl/scholen/1/rondes/2/invullen/1/",
            "method": "POST",
            "query_string": "next=/scholen/1/&email=olga@vreemde.nl",
            "data": {"1.1-strengths": "Ik voel me onveilig bij de directeur", "csrfmiddlewaretoken": "abc"},
            "cookies": {"sessionid": "s3cr3t", "csrftoken": "abc"},
            "headers": {
                "Host": "groeiwijzer.example.nl",
                "User-Agent": "Mozilla/5.0",
                "Cookie": "sessionid=s3cr3t; csrftoken=abc",
                "Referer": "https://groeiwijzer.example.nl/uitnodiging/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd/",
                "X-Forwarded-For": "203.0.113.7",
                "Authorization": "Basic dGluYTpnZWhlaW0=",
                "X-Csrftoken": "abc",
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Request-Id": "lb-7f3a",
            },
            "env": {"REMOTE_ADDR": "203.0.113.7", "SERVER_NAME": "app-1", "SERVER_PORT": "8000"},
        },
        "user": {"id": "42", "email": "tina.teamlid@regenboog.nl", "username": "tina", "ip_address": "203.0.113.7"},
        "breadcrumbs": {
            "values": [
                {
                    "category": "query",
                    "message": "SELECT ... WHERE email = %s",
                    "data": {"db.params": ["karel@regenboog.nl"]},
                },
                {"category": "django.request", "message": "Login by olga@vreemde.nl", "level": "info"},
                {"type": "http", "category": "httplib", "data": {"url": "https://x/?email=olga@vreemde.nl"}},
            ]
        },
        "extra": {"request": "<WSGIRequest: POST '/x/?email=olga@vreemde.nl'>", "sys.argv": ["gunicorn"]},
        "contexts": {"trace": {"trace_id": "a" * 32, "span_id": "b" * 16}, "runtime": {"name": "CPython"}},
        "tags": {"url": "/scholen/1/"},
    }


def test_the_scrubbed_event_holds_nothing_personal():
    token = REQUEST_ID.set("req-9")
    try:
        event = sentry.scrub_event(django_error_event(), {})
    finally:
        REQUEST_ID.reset(token)
    text = json.dumps(event)
    for personal in (*EMAILS, "onveilig", "s3cr3t", "203.0.113.7", 'tina"', "dGluYTpnZWhlaW0", "db.params"):
        assert personal not in text, personal

    request = event["request"]
    assert set(request) == {"method", "url", "headers"}  # no data, cookies, query_string, env
    assert request["url"] == "https://groeiwijzer.example.nl/scholen/1/rondes/2/invullen/1/"
    assert request["headers"] == {
        "Host": "groeiwijzer.example.nl",
        "User-Agent": "Mozilla/5.0",
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Request-Id": "lb-7f3a",
    }
    assert event["user"] == {"id": "42"}
    frame = event["exception"]["values"][0]["stacktrace"]["frames"][0]
    assert "vars" not in frame and frame["function"] == "fill_layer" and frame["lineno"] == 212
    assert "context_line" in frame  # the source code stays: it is ours, not theirs
    assert "vars" not in event["threads"]["values"][0]["stacktrace"]["frames"][0]
    assert "extra" not in event
    assert event["logentry"]["formatted"] == "Saving answers of [e-mail] failed"
    assert "Key (email)=([e-mail]) already exists" in event["exception"]["values"][0]["value"]
    assert [crumb.get("message") for crumb in event["breadcrumbs"]["values"]] == [
        "SELECT ... WHERE email = %s",
        "Login by [e-mail]",
        None,
    ]
    assert all("data" not in crumb for crumb in event["breadcrumbs"]["values"])
    assert event["tags"] == {"url": "/scholen/1/", "request_id": "req-9"}
    assert event["contexts"]["trace"]["trace_id"] == "a" * 32


def test_an_event_without_a_request_or_user():
    event = {"message": "Mail failed for olga@vreemde.nl", "level": "warning", "user": {"email": "olga@vreemde.nl"}}
    scrubbed = sentry.scrub_event(copy.deepcopy(event))
    assert scrubbed == {"message": "Mail failed for [e-mail]", "level": "warning"}


@pytest.mark.parametrize(
    ("url", "clean"),
    [
        ("https://x.nl/scholen/1/?next=/a/&email=a@b.nl#top", "https://x.nl/scholen/1/"),
        ("https://x.nl/uitnodiging/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd/", "https://x.nl/uitnodiging/[token]/"),
        ("https://x.nl/agenda/Zz9yXwVuTsRqPoNmLkJiHgFeDcBa876543210_-xyzw.ics", "https://x.nl/agenda/[token]"),
        ("https://x.nl/mijn-gegevens/tweestapsverificatie/", "https://x.nl/mijn-gegevens/tweestapsverificatie/"),
        (
            "https://x.nl/scholen/3/actieplan/acties/17/bewerken/",
            "https://x.nl/scholen/3/actieplan/acties/17/bewerken/",
        ),
    ],
)
def test_addresses_lose_query_strings_and_tokens(url, clean):
    assert sentry.clean_url(url) == clean


def test_a_traced_span_loses_queries_headers_and_user_details():
    span = {
        "trace_id": "a" * 32,
        "span_id": "b" * 16,
        "name": "POST /scholen/{school_id}/",
        "status": "ok",
        "is_segment": True,
        "start_timestamp": 1.0,
        "attributes": {
            "url.full": "https://x.nl/uitnodiging/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789/?email=a@b.nl",
            "url.query": "email=a@b.nl",
            "url.path": "/uitnodiging/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789/",
            "http.request.method": "POST",
            "http.request.header.cookie": ["sessionid=s3cr3t"],
            "http.request.header.user-agent": ["Mozilla/5.0"],
            "client.address": "203.0.113.7",
            "user.id": "42",
            "user.email": "tina.teamlid@regenboog.nl",
            "user.name": "tina",
            "db.query.text": "SELECT 1 FROM accounts_user WHERE email = 'karel@regenboog.nl'",
        },
    }
    attributes = sentry.scrub_span(span)["attributes"]
    assert attributes == {
        "url.full": "https://x.nl/uitnodiging/[token]/",
        "url.path": "/uitnodiging/[token]/",
        "http.request.method": "POST",
        "http.request.header.user-agent": ["Mozilla/5.0"],
        "user.id": "42",
        "db.query.text": "SELECT 1 FROM accounts_user WHERE email = '[e-mail]'",
    }


def test_the_options_are_valid_for_the_installed_sdk_and_collect_nothing_personal(monkeypatch):
    """sentry-sdk 3 refuses unknown options (send_default_pii is gone): check ours against it, without starting it."""
    calls = []
    monkeypatch.setattr("sentry_sdk.init", lambda **options: calls.append(options))
    sentry.init_sentry(dsn="https://public@errors.example.nl/1", traces_sample_rate=0.05)
    (options,) = calls
    resolved = _get_options(**options)  # raises TypeError for an option this SDK does not know
    assert resolved["before_send"] is sentry.scrub_event and resolved["before_send_span"] is sentry.scrub_span
    assert resolved["traces_sample_rate"] == 0.05
    assert resolved["max_request_body_size"] == "never"
    collected = resolved["data_collection"]
    assert collected["user_info"] is False
    assert collected["cookies"] == {"mode": "off"} and collected["url_query_params"] == {"mode": "off"}
    assert collected["http_bodies"] == [] and collected["stack_frame_variables"] is False
    assert collected["database_query_data"] is False


def test_production_settings_start_sentry_only_with_a_dsn(monkeypatch):
    """settings_production: SENTRY_DSN set → init with the rate from SENTRY_TRACES_SAMPLE_RATE (default 0)."""
    import subprocess
    import sys
    import uuid
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent.parent
    code = (
        "import core.sentry as s, json; calls = []; "
        "s.init_sentry = lambda **kw: calls.append(kw); "
        "import groeiwijzer.settings_production; print(json.dumps(calls))"
    )
    base = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "test-" + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "groeiwijzer.example.nl",
        "DATABASE_URL": "sqlite:///unused.sqlite3",
    }

    def started(**env) -> list:
        done = subprocess.run(  # noqa: S603 (fixed arguments)
            [sys.executable, "-c", code], env={**base, **env}, cwd=root, capture_output=True, text=True, check=True
        )
        return json.loads(done.stdout)

    assert started() == []
    assert started(SENTRY_DSN="https://public@errors.example.nl/1") == [
        {"dsn": "https://public@errors.example.nl/1", "traces_sample_rate": 0.0}
    ]
    assert (
        started(SENTRY_DSN="https://public@errors.example.nl/1", SENTRY_TRACES_SAMPLE_RATE="0.1")[0][
            "traces_sample_rate"
        ]
        == 0.1
    )
