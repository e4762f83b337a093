"""The second factor: a six-digit code from an authenticator app (TOTP, django-otp), plus recovery codes.

Required for platform admins (is_staff: /beheer/ and everything else), optional for everyone else (schoolleiding
and anyone may switch it on in Mijn gegevens). A user "has two-step verification" when they own a confirmed TOTP
device; after every login (password or e-mail code) such a user must enter a code before anything else
(accounts/twofactor_middleware.py). Only a confirmed device counts.

Setting up keeps no half-made device in the database: the page carries the new secret in a signed, time-limited
hidden field and the device is created, confirmed, once the user has typed a correct code from their app.
Wrong codes are throttled per device by django-otp (settings: OTP_TOTP_THROTTLE_FACTOR, the wait doubles after
each failure in a row); verification locks the device row (select_for_update) so parallel guesses are counted too.
"""

from __future__ import annotations

import base64
import binascii
import time
from dataclasses import dataclass

import segno
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY, verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from audit.models import record
from core.errors import ServiceError

SIGNING_SALT = "accounts.twofactor.setup"
SETUP_VALID_SECONDS = 30 * 60  # the set-up page's secret is good for half an hour
DEVICE_NAME = "Authenticator-app"
RECOVERY_CODES = 10


class TwoFactorError(ServiceError):
    """A wrong, expired or throttled code; the message is Dutch and safe to show."""


# Reading the state -----------------------------------------------------------------------------------------


def totp_device(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if any (only a confirmed device counts)."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_second_factor(user) -> bool:
    return user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(request) -> bool:
    """True when this session passed the second step (django-otp's OTPMiddleware sets request.user.otp_device)."""
    user = request.user
    return bool(user.is_authenticated and getattr(user, "is_verified", lambda: False)())


def required_for(user) -> bool:
    """Platform admins must use a second factor; for everyone else it is their own choice."""
    return bool(user.is_authenticated and user.is_staff)


def pending_step(request) -> str | None:
    """What a logged-in session still has to do before it may see anything: "verify" (enter a code), "setup"
    (a platform admin without an app), or None."""
    user = request.user
    if not user.is_authenticated or is_verified(request):
        return None
    # The session's user comes with the answer (accounts/backends.EmailBackend.get_user), else ask the database.
    known = getattr(user, "has_confirmed_totp", None)
    if known if known is not None else has_second_factor(user):
        return "verify"
    if required_for(user):
        return "setup"
    return None


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# Setting up -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Setup:
    """What the set-up page shows: the QR code, the secret to type by hand, and the signed secret to post back."""

    key: str  # hex, as django-otp stores it
    signed: str
    secret: str  # base32, in groups of four, for typing into an app
    qr_data_uri: str


def new_setup(user, signed: str | None = None) -> Setup:
    """The secret of a set-up in progress (from the posted, signed field while still valid), or a fresh one."""
    key = read_signed_key(signed) if signed else None
    if key is None:
        key = random_hex(20)
        signed = signing.TimestampSigner(salt=SIGNING_SALT).sign(key)
    device = TOTPDevice(user=user, key=key, name=DEVICE_NAME)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    qr = segno.make(device.config_url, error="m")
    return Setup(
        key=key,
        signed=signed or "",
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        qr_data_uri=qr.svg_data_uri(scale=4, border=4, dark="#000", light="#fff", omitsize=True),  # scales (viewBox)
    )


def read_signed_key(signed: str) -> str | None:
    """The hex secret from the set-up page's hidden field; None when tampered with, expired or not hex."""
    try:
        key = signing.TimestampSigner(salt=SIGNING_SALT).unsign(str(signed), max_age=SETUP_VALID_SECONDS)
        binascii.unhexlify(key.encode())
    except (signing.BadSignature, binascii.Error, ValueError, UnicodeError):
        return None
    return key if len(key) == 40 else None


def _matching_step(key: str, code: str) -> TOTP | None:
    """The TOTP (positioned at the matching time step) when ``code`` is a current code for ``key``."""
    if not (len(code) == 6 and code.isdigit()):
        return None
    totp = TOTP(binascii.unhexlify(key.encode()), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    return totp if totp.verify(int(code), tolerance=1) else None


@transaction.atomic
def do_enable_twofactor(*, user, signed_key: str, code: str, acting_user) -> list[str]:
    """Confirm the app with a current code: create the confirmed TOTP device and ten recovery codes (returned once,
    to show). Audited without any secret."""
    key = read_signed_key(signed_key)
    if key is None:
        raise TwoFactorError(_("Deze QR-code is verlopen. Scan de nieuwe code hieronder en probeer het opnieuw."))
    # Lock the user's row: two set-ups posted at once end in one device, not two.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise TwoFactorError(_("Tweestapsverificatie staat al aan."))
    totp = _matching_step(key, code.strip())
    if totp is None:
        raise TwoFactorError(
            _("Deze code klopt niet. Typ de 6 cijfers die je app nu laat zien (de code verandert elke 30 seconden).")
        )
    TOTPDevice.objects.filter(user=user).delete()  # unconfirmed leftovers (e.g. made in the admin) never count
    StaticDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, key=key, name=DEVICE_NAME, confirmed=True, last_t=totp.t(), drift=totp.drift
    )
    codes = _new_recovery_codes(user)
    record(action="account.twofactor_enabled", acting_user=acting_user, target=user, data={"device": device.name})
    return codes


def _new_recovery_codes(user) -> list[str]:
    static = StaticDevice.objects.create(user=user, name=_("Herstelcodes"), confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


# Using and switching off --------------------------------------------------------------------------------------


def _normalise(code: str) -> str:
    return "".join(str(code).split()).replace("-", "").lower()[:32]


def check_code(user, code: str):
    """The device that accepts ``code`` (a 6-digit app code or a recovery code), or raise TwoFactorError.

    Throttled by django-otp: each failure in a row doubles the wait before the device checks again; a code that
    arrives while the device waits is refused unchecked (so also the right one)."""
    code = _normalise(code)
    device = totp_device(user)
    if device is None:
        raise TwoFactorError(_("Tweestapsverificatie staat niet aan."))
    if len(code) == 6 and code.isdigit():
        candidates: list = [device]
    else:
        candidates = list(StaticDevice.objects.filter(user=user, confirmed=True))
    for candidate in candidates:
        allowed, _info = candidate.verify_is_allowed()
        if not allowed:
            raise TwoFactorError(
                _("Te veel foute codes achter elkaar. Wacht even en probeer het dan opnieuw met een nieuwe code.")
            )
        verified = verify_token(user, candidate.persistent_id, code)
        if verified is not None:
            return verified
    raise TwoFactorError(
        _("Deze code klopt niet. Typ de 6 cijfers die je app nu laat zien, of een van je herstelcodes.")
    )


def do_verify_second_step(*, user, code: str, acting_user):
    """The second step of a login: the device that accepted the code (the view marks the session verified with
    django_otp.login). A used recovery code is audited (never the code itself)."""
    device = check_code(user, code)
    if isinstance(device, StaticDevice):
        record(
            action="account.recovery_code_used",
            acting_user=acting_user,
            target=user,
            data={"left": recovery_codes_left(user)},
        )
    return device


def do_disable_twofactor(*, user, code: str, acting_user) -> None:
    """Switch the second factor off again, with a current code (or a recovery code). Audited.

    The code is checked before the transaction: a wrong code's throttle count must be kept, not rolled back."""
    check_code(user, code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        record(action="account.twofactor_disabled", acting_user=acting_user, target=user)


def do_new_recovery_codes(*, user, code: str, acting_user) -> list[str]:
    """Replace the recovery codes (the old ones stop working); needs a current code (checked as in disable)."""
    check_code(user, code)
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        codes = _new_recovery_codes(user)
        record(action="account.recovery_codes_renewed", acting_user=acting_user, target=user)
    return codes


def forget_verification(request) -> None:
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
