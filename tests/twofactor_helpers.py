"""Second factor in tests: an authenticator app (allauth.mfa's TOTP Authenticator) for a user, its current code, and
a session that passed the second step. Tests that need /beheer/ log the staff user in with ``login_verified`` (the
production rule stays: a staff session that did not pass the second step never reaches the admin)."""

from __future__ import annotations

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.core import signing

from accounts import twofactor
from accounts.mfa_adapter import decrypt
from accounts.models import SecondFactorThrottle

KEY = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # RFC 6238's test secret ("12345678901234567890"), base32


def make_device(user, key: str = KEY) -> Authenticator:
    """An authenticator app for ``user`` (stored as the app's set-up stores it: encrypted)."""
    return TOTP.activate(user, key).instance


def make_recovery_codes(user) -> list[str]:
    """Recovery codes for ``user`` (as the set-up makes them); the codes, to type."""
    return RecoveryCodes.activate(user).generate_codes()


def code_for(key_or_device, steps_ahead: int = 0) -> str:
    """The app's code now (or ``steps_ahead`` periods of 30 seconds later: a code not used yet)."""
    if isinstance(key_or_device, Authenticator):
        key = decrypt(key_or_device.data["secret"])
    else:
        key = key_or_device.replace(" ", "")
    return format_hotp_value(hotp_value(key, int(time.time()) // 30 + steps_ahead))


def signed(key: str = KEY) -> str:
    """The hidden field of the set-up page for this secret."""
    return signing.TimestampSigner(salt=twofactor.SIGNING_SALT).sign(key)


def reset_throttle(user) -> None:
    """Forget the wrong codes in a row (a wrong code makes the next check wait a second)."""
    SecondFactorThrottle.objects.filter(user=user).update(failures=0, last_failure_at=None)


def verify_session(client, device: Authenticator) -> None:
    """Mark the (logged-in) test client's session as having passed the second step as the owner of ``device``."""
    session = client.session
    session[twofactor.VERIFIED_SESSION_KEY] = device.user_id
    session.save()


def login_verified(client, user):
    """Log ``client`` in as ``user`` with an authenticator app and a session that passed the second step."""
    device = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first() or make_device(user)
    client.force_login(user, backend="accounts.backends.EmailBackend")
    verify_session(client, device)
    return client
