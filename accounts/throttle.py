"""Password guessing is slowed down per e-mail address: after LOGIN_PASSWORD_MAX_FAILURES wrong passwords within
LOGIN_PASSWORD_LOCK_MINUTES, no password is checked for that address until the oldest of them is that old.

Used by the authentication backend, so the app's login page and the admin's are both covered. Logging in with a
one-time code by e-mail keeps working: a colleague whose address is being guessed at is never locked out.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import LoginFailure


def _key(email: str) -> str:
    return salted_hmac("accounts.throttle.password", email.strip().lower(), algorithm="sha256").hexdigest()


def _window_start():
    return timezone.now() - timedelta(minutes=settings.LOGIN_PASSWORD_LOCK_MINUTES)


def is_locked(email: str) -> bool:
    """True while this address has had too many wrong passwords lately."""
    recent = LoginFailure.objects.filter(key=_key(email), created_at__gte=_window_start())
    return recent.count() >= settings.LOGIN_PASSWORD_MAX_FAILURES


def record_failure(email: str) -> None:
    """One more wrong password for this address; failures older than the window are removed (all addresses)."""
    LoginFailure.objects.filter(created_at__lt=_window_start()).delete()
    LoginFailure.objects.create(key=_key(email))


def clear(email: str) -> None:
    """A right password: the count for this address starts again."""
    LoginFailure.objects.filter(key=_key(email)).delete()
