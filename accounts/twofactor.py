"""The second factor: a six-digit code from an authenticator app (TOTP), plus recovery codes.

Required for platform admins (is_staff: /beheer/ and everything else), optional for everyone else (schoolleiding
and anyone may switch it on in Mijn gegevens). A user "has two-step verification" when they own a TOTP
authenticator; after every login (password or e-mail code) such a user must enter a code before anything else
(accounts/twofactor_middleware.py).

Storage is allauth.mfa's ``Authenticator`` (one TOTP row and one RECOVERY_CODES row per person) through its TOTP
and RecoveryCodes classes, behind our own pages; the secrets in it are encrypted at rest (accounts/mfa_adapter.py).
allauth's own MFA pages and login stages are not used: our login is not allauth's.

Setting up keeps nothing half-made in the database: the page carries the new secret in a signed, time-limited
hidden field and the authenticator is created once the user has typed a correct code from their app.
Wrong codes are throttled per person in the database (accounts.SecondFactorThrottle: the wait doubles after each
failure in a row); the row is locked (select_for_update) while a code is checked, so parallel guesses are counted
too. An app code works once: its time step is kept in that row (and allauth marks it used in the cache as well).

"Verified in this session" is our own session flag (VERIFIED_SESSION_KEY), set by the second step and by the
set-up, dropped at every login and logout; the middleware offers it as ``request.user.is_verified()``.
"""

from __future__ import annotations

import hmac
import logging
import re
from dataclasses import dataclass

import segno
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import record
from core.errors import ServiceError

from .mfa_adapter import UnreadableSecret
from .models import SecondFactorThrottle

logger = logging.getLogger(__name__)

SIGNING_SALT = "accounts.twofactor.setup"
SETUP_VALID_SECONDS = 30 * 60  # the set-up page's secret is good for half an hour
DEVICE_NAME = "Authenticator-app"
VERIFIED_SESSION_KEY = "accounts.twofactor.verified"  # the user's pk once this session passed the second step
SECRET_RE = re.compile(r"[A-Z2-7]{32}")  # 160 bits in base32, as allauth.mfa makes them

TOTP_TYPE = Authenticator.Type.TOTP
RECOVERY_TYPE = Authenticator.Type.RECOVERY_CODES


class TwoFactorError(ServiceError):
    """A wrong, expired or throttled code; the message is Dutch and safe to show."""


# Reading the state -----------------------------------------------------------------------------------------


def totp_authenticator(user) -> Authenticator | None:
    """The user's authenticator app, if any."""
    if not user.is_authenticated:
        return None
    return Authenticator.objects.filter(user=user, type=TOTP_TYPE).first()


def has_second_factor(user) -> bool:
    return user.is_authenticated and Authenticator.objects.filter(user=user, type=TOTP_TYPE).exists()


def _has_app(user) -> bool:
    """has_second_factor, answered by the query that loaded the session's user when it can
    (accounts/backends.EmailBackend.get_user), else by the database."""
    known = getattr(user, "has_confirmed_totp", None)
    return bool(known) if known is not None else has_second_factor(user)


def session_is_verified(request, user) -> bool:
    """This session passed the second step as ``user``, and ``user`` still has an app (one removed in /beheer/
    takes the verification with it)."""
    session = getattr(request, "session", None)
    if session is None or not user.is_authenticated:
        return False
    return session.get(VERIFIED_SESSION_KEY) == user.pk and _has_app(user)


def attach_verification(request, user):
    """Give the request's user ``is_verified()`` (for the admin, organisations.access and the templates)."""
    if user.is_authenticated:
        user.is_verified = lambda: session_is_verified(request, user)
    return user


def is_verified(request) -> bool:
    """True when this session passed the second step (the middleware gives request.user ``is_verified``)."""
    user = request.user
    return bool(user.is_authenticated and getattr(user, "is_verified", lambda: False)())


def mark_verified(request, user) -> None:
    """This session passed the second step (after a correct code, or right after the set-up)."""
    request.session[VERIFIED_SESSION_KEY] = user.pk
    user.has_confirmed_totp = True


def forget_verification(request) -> None:
    request.session.pop(VERIFIED_SESSION_KEY, None)


def forget_verification_on_login(sender, request=None, user=None, **kwargs) -> None:
    """Django's user_logged_in: every login starts without the second step (also a new login of the same person)."""
    if getattr(request, "session", None) is not None:
        forget_verification(request)


def required_for(user) -> bool:
    """Platform admins must use a second factor; for everyone else it is their own choice."""
    return bool(user.is_authenticated and user.is_staff)


def pending_step(request) -> str | None:
    """What a logged-in session still has to do before it may see anything: "verify" (enter a code), "setup"
    (a platform admin without an app), or None."""
    user = request.user
    if not user.is_authenticated or is_verified(request):
        return None
    if _has_app(user):
        return "verify"
    if required_for(user):
        return "setup"
    return None


def _recovery_codes(user) -> RecoveryCodes | None:
    instance = Authenticator.objects.filter(user=user, type=RECOVERY_TYPE).first()
    return RecoveryCodes(instance) if instance is not None else None


def recovery_codes_left(user) -> int:
    codes = _recovery_codes(user)
    if codes is None:
        return 0
    try:
        return len(codes.get_unused_codes())
    except (UnreadableSecret, KeyError):
        return 0


# Setting up -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Setup:
    """What the set-up page shows: the QR code, the secret to type by hand, and the signed secret to post back."""

    key: str  # base32, as allauth.mfa keeps it (encrypted)
    signed: str
    secret: str  # the same, in groups of four, for typing into an app
    qr_data_uri: str


def new_setup(user, signed: str | None = None) -> Setup:
    """The secret of a set-up in progress (from the posted, signed field while still valid), or a fresh one."""
    key = read_signed_key(signed) if signed else None
    if key is None:
        key = generate_totp_secret()
        signed = signing.TimestampSigner(salt=SIGNING_SALT).sign(key)
    qr = segno.make(get_adapter().build_totp_url(user, key), error="m")
    return Setup(
        key=key,
        signed=signed or "",
        secret=" ".join(key[i : i + 4] for i in range(0, len(key), 4)),
        qr_data_uri=qr.svg_data_uri(scale=4, border=4, dark="#000", light="#fff", omitsize=True),  # scales (viewBox)
    )


def read_signed_key(signed: str) -> str | None:
    """The base32 secret from the set-up page's hidden field; None when tampered with, expired or not base32."""
    try:
        key = signing.TimestampSigner(salt=SIGNING_SALT).unsign(str(signed), max_age=SETUP_VALID_SECONDS)
    except (signing.BadSignature, ValueError, UnicodeError):
        return None
    return key if SECRET_RE.fullmatch(key) else None


def _matching_step(secret: str, code: str) -> int | None:
    """The time step (counter) at which ``code`` is the app's code for ``secret``, within the tolerance."""
    if not (len(code) == 6 and code.isdigit()):
        return None
    for counter in yield_hotp_counters_from_time():
        if hmac.compare_digest(format_hotp_value(hotp_value(secret, counter)), code):
            return counter
    return None


def _locked_throttle(user) -> SecondFactorThrottle:
    """The user's throttle row, locked until the end of the transaction (made on first use)."""
    SecondFactorThrottle.objects.get_or_create(user=user)
    return SecondFactorThrottle.objects.select_for_update().get(user=user)


def _accept_app_code(instance: Authenticator, code: str, throttle: SecondFactorThrottle) -> bool:
    """Whether ``code`` is a current code of this app that was not used before; remembers its time step."""
    try:
        step = _matching_step(get_adapter().decrypt(instance.data["secret"]), code)
    except (UnreadableSecret, KeyError, TypeError, ValueError):
        return False  # an unreadable secret accepts no code (mfa_adapter.py)
    if step is None or step <= throttle.last_totp_step:
        return False  # not a current code, or this code (or a later one) was used already
    if not TOTP(instance).validate_code(code):  # allauth's own check; it marks the code used in the cache
        return False
    throttle.last_totp_step = step
    return True


@transaction.atomic
def do_enable_twofactor(*, user, signed_key: str, code: str, acting_user) -> list[str]:
    """Confirm the app with a current code: create the TOTP authenticator and ten recovery codes (returned once,
    to show). Audited without any secret."""
    key = read_signed_key(signed_key)
    if key is None:
        raise TwoFactorError(_("Deze QR-code is verlopen. Scan de nieuwe code hieronder en probeer het opnieuw."))
    # Lock the user's row: two set-ups posted at once end in one authenticator, not two.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if Authenticator.objects.filter(user=user, type=TOTP_TYPE).exists():
        raise TwoFactorError(_("Tweestapsverificatie staat al aan."))
    wrong = TwoFactorError(
        _("Deze code klopt niet. Typ de 6 cijfers die je app nu laat zien (de code verandert elke 30 seconden).")
    )
    if _matching_step(key, code.strip()) is None:
        raise wrong
    Authenticator.objects.filter(user=user).delete()  # leftover recovery codes never count
    throttle = _locked_throttle(user)
    totp = TOTP.activate(user, key)
    if not _accept_app_code(totp.instance, code.strip(), throttle):
        raise wrong  # the same code was used a moment ago (rolled back with everything above)
    throttle.failures, throttle.last_failure_at = 0, None
    throttle.save()
    codes = _new_recovery_codes(user)
    record(action="account.twofactor_enabled", acting_user=acting_user, target=user, data={"device": DEVICE_NAME})
    return codes


def _new_recovery_codes(user) -> list[str]:
    Authenticator.objects.filter(user=user, type=RECOVERY_TYPE).delete()
    return RecoveryCodes.activate(user).generate_codes()


# Using and switching off --------------------------------------------------------------------------------------


def _normalise(code: str) -> str:
    return "".join(str(code).split()).replace("-", "").lower()[:32]


def check_code(user, code: str) -> Authenticator:
    """The authenticator that accepts ``code`` (a 6-digit app code or a recovery code), or raise TwoFactorError.

    Throttled in the database: each failure in a row doubles the wait before the next code is checked; a code that
    arrives while the person waits is refused unchecked (so also the right one). The count is committed before the
    error is raised, so a wrong code is never rolled back with it."""
    code = _normalise(code)
    totp = totp_authenticator(user)
    if totp is None:
        raise TwoFactorError(_("Tweestapsverificatie staat niet aan."))
    throttled = False
    accepted: Authenticator | None = None
    with transaction.atomic():
        throttle = _locked_throttle(user)
        now = timezone.now()
        wait_until = throttle.wait_until()
        if wait_until is not None and now < wait_until:
            throttled = True
        else:
            if len(code) == 6 and code.isdigit():
                accepted = totp if _accept_app_code(totp, code, throttle) else None
            else:
                accepted = _check_recovery_code(user, code)
            if accepted is not None:
                throttle.failures, throttle.last_failure_at = 0, None
                accepted.record_usage()
            else:
                throttle.failures += 1
                throttle.last_failure_at = now
            throttle.save()
    if throttled:
        raise TwoFactorError(
            _("Te veel foute codes achter elkaar. Wacht even en probeer het dan opnieuw met een nieuwe code.")
        )
    if accepted is None:
        raise TwoFactorError(
            _("Deze code klopt niet. Typ de 6 cijfers die je app nu laat zien, of een van je herstelcodes.")
        )
    return accepted


def _check_recovery_code(user, code: str) -> Authenticator | None:
    codes = _recovery_codes(user)
    if codes is None or not code:
        return None
    try:
        ok = codes.validate_code(code)  # locks the row (select_for_update) and marks the code used
    except (UnreadableSecret, KeyError, TypeError, ValueError):
        return None
    return codes.instance if ok else None


def do_verify_second_step(*, user, code: str, acting_user) -> Authenticator:
    """The second step of a login: the authenticator that accepted the code (the view marks the session verified
    with mark_verified). A used recovery code is audited (never the code itself)."""
    authenticator = check_code(user, code)
    if authenticator.type == RECOVERY_TYPE:
        record(
            action="account.recovery_code_used",
            acting_user=acting_user,
            target=user,
            data={"left": recovery_codes_left(user)},
        )
    return authenticator


def do_disable_twofactor(*, user, code: str, acting_user) -> None:
    """Switch the second factor off again, with a current code (or a recovery code). Audited.

    The code is checked before the transaction: a wrong code's throttle count must be kept, not rolled back."""
    check_code(user, code)
    with transaction.atomic():
        Authenticator.objects.filter(user=user).delete()
        record(action="account.twofactor_disabled", acting_user=acting_user, target=user)


def do_new_recovery_codes(*, user, code: str, acting_user) -> list[str]:
    """Replace the recovery codes (the old ones stop working); needs a current code (checked as in disable)."""
    check_code(user, code)
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        record(action="account.recovery_codes_renewed", acting_user=acting_user, target=user)
    return codes


@transaction.atomic
def do_remove_authenticators(*, user, acting_user) -> int:
    """A platform admin removes a person's second factor (a lost phone): the app and the recovery codes. Audited.
    The person logs in without the second step again (a platform admin sets up a new app at once)."""
    removed, _per_model = Authenticator.objects.filter(user=user).delete()
    if removed:
        record(action="account.twofactor_removed", acting_user=acting_user, target=user)
    return removed
