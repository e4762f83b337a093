"""Second factor in tests: a confirmed authenticator app for a user, its current code, and a session that passed
the second step. Tests that need /beheer/ log the staff user in with ``login_verified`` (the production rule
stays: a staff session without a verified device never reaches the admin)."""

from __future__ import annotations

import time

from django.core import signing
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor

KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test secret, hex


def make_device(user, key: str = KEY, confirmed: bool = True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, key=key, name="Test-app", confirmed=confirmed)


def code_for(key_or_device, steps_ahead: int = 0) -> str:
    """The app's code now (or ``steps_ahead`` periods of 30 seconds later: a code not used yet)."""
    key = key_or_device.key if isinstance(key_or_device, TOTPDevice) else key_or_device
    totp = TOTP(bytes.fromhex(key), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def signed(key: str = KEY) -> str:
    """The hidden field of the set-up page for this secret."""
    return signing.TimestampSigner(salt=twofactor.SIGNING_SALT).sign(key)


def verify_session(client, device: TOTPDevice) -> None:
    """Mark the (logged-in) test client's session as having passed the second step with ``device``."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def login_verified(client, user):
    """Log ``client`` in as ``user`` with a confirmed app and a session that passed the second step."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or make_device(user)
    client.force_login(user, backend="accounts.backends.EmailBackend")
    verify_session(client, device)
    return client
