"""Where to go after a form: a `next` value is followed only when it is a local path on this site.

Imports no domain app, so every app can use it. Anything else ("foo", "//evil", "https://evil", "/\\evil",
control characters) is ignored and the caller's default is used; never a 500.
"""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme


def safe_local_path(value: str | None) -> str | None:
    """The value when it is a path on this site ("/..."), else None."""
    if not value or not isinstance(value, str) or len(value) > 2000:
        return None
    if not value.startswith("/") or value.startswith(("//", "/\\")):
        return None
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return None
    if not url_has_allowed_host_and_scheme(value, allowed_hosts=set(), require_https=False):
        return None
    return value


def safe_next(request, default: str) -> str:
    """The request's `next` (POST first, then GET) when it is a local path, else the default."""
    return safe_local_path(request.POST.get("next") or request.GET.get("next")) or default
