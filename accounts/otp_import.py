"""Moving the second factor from django-otp to allauth.mfa (migration accounts 0007; kept here so it can be tested).

django-otp kept a confirmed TOTP device (the secret in hex) and a static device with one row per recovery code.
allauth.mfa keeps one TOTP Authenticator (the secret in base32) and one RECOVERY_CODES Authenticator whose
"migrated_codes" hold the old codes, each working once, so printed codes keep working; its "seed" (new, never shown)
only counts once the moved codes are replaced by new ones. Secrets are encrypted like every new one
(accounts/mfa_adapter.py). The time step of the last code used (``last_t``) becomes SecondFactorThrottle's
``last_totp_step``: a code used before the move still works only once.

Only read: the django-otp tables stay in an existing database, untouched (the app is no longer installed; drop
them by hand once the move is checked). A database without them (a fresh one) has nothing to move.
"""

from __future__ import annotations

import base64
import binascii
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

TOTP_TABLE = "otp_totp_totpdevice"
STATIC_DEVICE_TABLE = "otp_static_staticdevice"
STATIC_TOKEN_TABLE = "otp_static_statictoken"  # noqa: S105 (a table name)


def totp_secret_from_hex(hex_key: str) -> str | None:
    """django-otp's hex key as allauth.mfa's base32 secret (None when it is not hex)."""
    try:
        raw = binascii.unhexlify(str(hex_key).strip().encode("ascii"))
    except (binascii.Error, ValueError, UnicodeError):
        return None
    return base64.b32encode(raw).decode("ascii") if raw else None


def totp_data(hex_key: str, encrypt: Callable[[str], str]) -> dict | None:
    secret = totp_secret_from_hex(hex_key)
    return {"secret": encrypt(secret)} if secret else None


def recovery_codes_data(codes: list[str], encrypt: Callable[[str], str]) -> dict:
    """allauth.mfa's RECOVERY_CODES data with the old codes as "migrated_codes" (compared after lower-casing)."""
    return {
        "seed": encrypt(secrets.token_hex(40)),  # as RecoveryCodes.generate_seed
        "used_mask": 0,
        "migrated_codes": [encrypt(code.strip().lower()) for code in codes],
    }


@dataclass
class OldSecondFactor:
    """One person's confirmed django-otp devices."""

    hex_key: str | None = None
    last_t: int = 0
    codes: list[str] = field(default_factory=list)
    has_static: bool = False


def read_otp_tables(connection) -> dict[int, OldSecondFactor]:
    """The confirmed django-otp devices per user id; {} when the tables are not there."""
    tables = set(connection.introspection.table_names())
    found: dict[int, OldSecondFactor] = {}
    with connection.cursor() as cursor:
        if TOTP_TABLE in tables:
            cursor.execute(
                f'SELECT "user_id", "key", "step", "digits", "t0", "last_t" FROM "{TOTP_TABLE}" '  # noqa: S608
                'WHERE "confirmed" ORDER BY "id"'
            )
            for user_id, key, step, digits, t0, last_t in cursor.fetchall():
                if (step, digits, t0) != (30, 6, 0):
                    logger.warning("TOTP device of user %s not moved: step %s, digits %s", user_id, step, digits)
                    continue
                old = found.setdefault(user_id, OldSecondFactor())
                if old.hex_key is None:  # the oldest confirmed device, as accounts/twofactor.py used it
                    old.hex_key, old.last_t = key, int(last_t or 0)
        if STATIC_DEVICE_TABLE in tables and STATIC_TOKEN_TABLE in tables:
            cursor.execute(
                f'SELECT d."user_id", t."token" FROM "{STATIC_TOKEN_TABLE}" t '  # noqa: S608
                f'JOIN "{STATIC_DEVICE_TABLE}" d ON d."id" = t."device_id" WHERE d."confirmed" ORDER BY t."id"'
            )
            for user_id, token in cursor.fetchall():
                old = found.setdefault(user_id, OldSecondFactor())
                old.has_static = True
                old.codes.append(token)
    return found


def move_otp_data(*, connection, Authenticator, SecondFactorThrottle, encrypt, now) -> dict[str, int]:
    """Create the allauth.mfa rows for every person with a confirmed django-otp TOTP device (and their recovery
    codes). Someone who already has an Authenticator of a type keeps it (running twice moves nothing twice).
    Recovery codes without an app are not moved: without an app they never counted. Returns counts."""
    moved = {"totp": 0, "recovery_codes": 0}
    for user_id, old in read_otp_tables(connection).items():
        data = totp_data(old.hex_key, encrypt) if old.hex_key else None
        if data is None:
            continue
        existing = set(Authenticator.objects.filter(user_id=user_id).values_list("type", flat=True))
        if "totp" not in existing:
            Authenticator.objects.create(user_id=user_id, type="totp", data=data, created_at=now)
            moved["totp"] += 1
            if old.last_t:
                SecondFactorThrottle.objects.update_or_create(user_id=user_id, defaults={"last_totp_step": old.last_t})
        if old.codes and "recovery_codes" not in existing:
            Authenticator.objects.create(
                user_id=user_id, type="recovery_codes", data=recovery_codes_data(old.codes, encrypt), created_at=now
            )
            moved["recovery_codes"] += 1
    return moved
