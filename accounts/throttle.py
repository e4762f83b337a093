"""Password guessing is slowed down three ways, each counted per window of LOGIN_PASSWORD_LOCK_MINUTES:

- per e-mail address: LOGIN_PASSWORD_MAX_FAILURES wrong passwords, then no password is checked for that address;
- per client (its network address, REMOTE_ADDR): LOGIN_PASSWORD_MAX_FAILURES_PER_CLIENT, so one client spraying a
  password over many accounts is stopped too;
- for everyone together: LOGIN_PASSWORD_MAX_FAILURES_GLOBAL, a ceiling against spraying from many clients.

Every check is counted BEFORE the password is compared, in one conditional UPDATE per counter in the database
(``count = count + 1 WHERE count < limit``, or a fresh window); when any counter is full nothing is counted and no
password is checked. Parallel requests therefore cannot get more checks than the limit. A right password takes its
check back (the address's count starts again), so only wrong passwords use up the limits.

Only keyed hashes (HMAC with SECRET_KEY) of the addresses are stored, never the addresses. Used by the
authentication backend, so the app's login page and the admin's are both covered. Logging in with a one-time code by
e-mail keeps working: a colleague whose address is being guessed at, or whose school shares a throttled network
address, is never locked out.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import LoginFailure

EMAIL = "email"
CLIENT = "client"
GLOBAL = "global"


def keyed_hash(scope: str, value: str) -> str:
    """A keyed hash (HMAC-SHA256 with SECRET_KEY, 64 hex characters) of an address; the address cannot be read back."""
    return salted_hmac(f"accounts.throttle.{scope}", value.strip().lower(), algorithm="sha256").hexdigest()


def client_address(request) -> str:
    """The client's network address as the web server saw it (REMOTE_ADDR); '' when there is no request."""
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR") or "")[:64]


def _window_start(now):
    return now - timedelta(minutes=settings.LOGIN_PASSWORD_LOCK_MINUTES)


def _counters(email: str, client: str) -> list[tuple[str, str, int]]:
    """(scope, key, limit) in a fixed order: every request locks the rows in the same order (no deadlocks)."""
    counters = [(EMAIL, keyed_hash(EMAIL, email), settings.LOGIN_PASSWORD_MAX_FAILURES)]
    if client:
        counters.append((CLIENT, keyed_hash(CLIENT, client), settings.LOGIN_PASSWORD_MAX_FAILURES_PER_CLIENT))
    counters.append((GLOBAL, keyed_hash(GLOBAL, "*"), settings.LOGIN_PASSWORD_MAX_FAILURES_GLOBAL))
    return counters


class _Full(Exception):
    def __init__(self, scope: str):
        self.scope = scope


def reserve(*, email: str, client: str) -> str | None:
    """Count one password check for this address, this client and everyone, before the password is compared.

    Returns None when the check may go ahead (counted), or the scope that is full ("email", "client" or "global"):
    then nothing is counted and no password may be checked.
    """
    now = timezone.now()
    expired = Q(created_at__lt=_window_start(now))
    try:
        with transaction.atomic():
            for scope, key, limit in _counters(email, client):
                LoginFailure.objects.bulk_create(
                    [LoginFailure(key=key, created_at=now, count=0)], ignore_conflicts=True
                )
                counted = (
                    LoginFailure.objects.filter(key=key)
                    .filter(expired | Q(count__lt=limit))
                    .update(
                        count=Case(When(expired, then=Value(1)), default=F("count") + 1),
                        created_at=Case(When(expired, then=Value(now)), default=F("created_at")),
                    )
                )
                if not counted:
                    raise _Full(scope)
    except _Full as full:
        return full.scope
    return None


def release(*, email: str, client: str) -> None:
    """A right password: the address's count starts again, and the client's and global counts give this check back."""
    counters = _counters(email, client)
    LoginFailure.objects.filter(key=counters[0][1]).delete()
    LoginFailure.objects.filter(
        key__in=[key for _scope, key, _limit in counters[1:]],
        count__gt=0,
        created_at__gte=_window_start(timezone.now()),
    ).update(count=F("count") - 1)
