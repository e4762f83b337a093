"""Optional error reports (Sentry or a compatible service), only when SENTRY_DSN is set (settings_production.py).

Nothing personal leaves the server. The SDK is told to collect no user, no cookies, no request bodies, no query
strings, no SQL parameters and no local variables (`data_collection`: sentry-sdk 3 replaced `send_default_pii` by
it), and `scrub_event` / `scrub_span` remove them again before anything is sent, whatever an integration added:
- the request keeps only its method, the address without query string (path segments that look like a secret
  token, such as an invitation or calendar link, become "[token]") and a few harmless headers; no body (answers!),
  no cookies, no query string, no client address;
- the user keeps only their id; no email, username, name or IP address;
- stack frames keep file, function, line and source code, never their local variables;
- log extras and breadcrumb data are dropped; every email address anywhere in the event becomes "[e-mail]";
- the request id (core/logging.py) is added as a tag, to find the matching log lines.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from core.logging import EMAIL_REPLACEMENT, current_request_id, without_email_addresses

SAFE_HEADERS = ("user-agent", "content-type", "content-length", "accept-language", "host", "x-request-id")
# A path segment of 20 or more URL-safe characters with a digit or a capital: an invitation or calendar-feed token
# (secrets.token_urlsafe), not a Dutch word or slug.
_TOKEN_SEGMENT = re.compile(r"(?=.*[0-9A-Z])[A-Za-z0-9_-]{20,}(?:\.ics)?")
TOKEN_REPLACEMENT = "[token]"  # noqa: S105 (the text that replaces a token, not one)


def init_sentry(*, dsn: str, traces_sample_rate: float = 0.0) -> None:
    import sentry_sdk

    sentry_sdk.init(**sentry_options(dsn=dsn, traces_sample_rate=traces_sample_rate))


def sentry_options(*, dsn: str, traces_sample_rate: float = 0.0) -> dict[str, Any]:
    return {
        "dsn": dsn,
        "traces_sample_rate": traces_sample_rate,
        "max_request_body_size": "never",
        "data_collection": {
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "allowlist", "terms": list(SAFE_HEADERS)}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "database_query_data": False,
            "queues": False,
            "stack_frame_variables": False,
        },
        "before_send": scrub_event,
        "before_send_span": scrub_span,
    }


def clean_url(url: str) -> str:
    """The address without query string or fragment, secret-looking path segments replaced."""
    parts = urlsplit(url)
    path = "/".join(TOKEN_REPLACEMENT if _TOKEN_SEGMENT.fullmatch(s) else s for s in parts.path.split("/"))
    return without_email_addresses(urlunsplit((parts.scheme, parts.netloc, path, "", "")))


def _without_email_addresses(value: Any) -> Any:
    if isinstance(value, str):
        return without_email_addresses(value)
    if isinstance(value, dict):
        return {key: _without_email_addresses(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_without_email_addresses(item) for item in value]
    return value


def _clean_request(request: dict) -> dict:
    clean: dict[str, Any] = {}
    if isinstance(request.get("method"), str):
        clean["method"] = request["method"]
    if isinstance(request.get("url"), str):
        clean["url"] = clean_url(request["url"])
    headers = request.get("headers")
    if isinstance(headers, dict):
        clean["headers"] = {
            name: value
            for name, value in headers.items()
            if isinstance(name, str) and name.lower() in SAFE_HEADERS and value != "[Filtered]"
        }
    return clean


def _frames_without_variables(container: Any) -> None:
    values = container.get("values") if isinstance(container, dict) else None
    for value in values or []:
        stacktrace = value.get("stacktrace") if isinstance(value, dict) else None
        for frame in (stacktrace or {}).get("frames") or []:
            if isinstance(frame, dict):
                frame.pop("vars", None)


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """`before_send`: the event without personal data (see the module's docstring)."""
    if isinstance(event.get("request"), dict):
        event["request"] = _clean_request(event["request"])
    user = event.get("user")
    if isinstance(user, dict):
        if user.get("id") is not None:
            event["user"] = {"id": user["id"]}
        else:
            event.pop("user")
    _frames_without_variables(event.get("exception"))
    _frames_without_variables(event.get("threads"))
    event.pop("extra", None)
    breadcrumbs = event.get("breadcrumbs")
    crumbs = breadcrumbs.get("values") if isinstance(breadcrumbs, dict) else breadcrumbs
    for crumb in crumbs if isinstance(crumbs, list) else []:
        if isinstance(crumb, dict):
            crumb.pop("data", None)
    request_id = current_request_id()
    if request_id:
        tags = event.get("tags")
        if isinstance(tags, dict):
            tags["request_id"] = request_id
        else:
            event["tags"] = {"request_id": request_id}
    return _without_email_addresses(event)


_SPAN_ATTRIBUTES_DROPPED = ("url.query", "client.address", "http.request.body", "db.query.parameter", "user.")


def scrub_span(span: dict, hint: dict | None = None) -> dict:
    """`before_send_span`: a traced span without query strings, headers beyond the harmless ones, user details
    (only user.id) or email addresses."""
    attributes = span.get("attributes")
    if isinstance(attributes, dict):
        clean = {}
        for key, value in attributes.items():
            if key == "user.id":
                clean[key] = value
            elif key.startswith(_SPAN_ATTRIBUTES_DROPPED):
                continue
            elif key.startswith("http.request.header."):
                if key.removeprefix("http.request.header.") in SAFE_HEADERS:
                    clean[key] = value
            elif key in ("url.full", "http.url", "url.path") and isinstance(value, str):
                clean[key] = clean_url(value)
            else:
                clean[key] = value
        span["attributes"] = clean
    return _without_email_addresses(span)


__all__ = ["EMAIL_REPLACEMENT", "clean_url", "init_sentry", "scrub_event", "scrub_span", "sentry_options"]
