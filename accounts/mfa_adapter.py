"""allauth.mfa's adapter (settings.MFA_ADAPTER): the secrets of the second factor are encrypted at rest.

allauth.mfa keeps the TOTP secret and the seed of the recovery codes (and codes moved over from django-otp) in the
JSON ``data`` of an Authenticator row, by default in the clear. Here they are encrypted with Fernet (AES-128-CBC and
an HMAC-SHA256) under a key derived from SECRET_KEY with HKDF (its own salt and purpose, so the key is used for
nothing else). Rows written under one of SECRET_KEY_FALLBACKS still decrypt after a key rotation.

A value that does not decrypt (a database restored under another SECRET_KEY, a hand-edited row) raises
``UnreadableSecret``: accounts/twofactor.py treats that authenticator as accepting no code at all, never as a 500 and
never as a way around the second step; a platform admin removes it in /beheer/ (like for a lost phone).
"""

from __future__ import annotations

import base64
import functools
import logging

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

logger = logging.getLogger(__name__)

HKDF_SALT = b"groeiwijzer.accounts.mfa_adapter"
HKDF_INFO = b"second factor secrets at rest"


class UnreadableSecret(ValueError):
    """An encrypted secret that does not decrypt under SECRET_KEY (nor its fallbacks)."""


def _fernet_key(secret_key: str) -> bytes:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=HKDF_SALT, info=HKDF_INFO).derive(
        secret_key.encode("utf-8")
    )
    return base64.urlsafe_b64encode(derived)


@functools.cache
def _fernet(secret_key: str, fallbacks: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(_fernet_key(k)) for k in (secret_key, *fallbacks)])


def fernet() -> MultiFernet:
    """The cipher of the current settings (the first key encrypts; every key decrypts)."""
    return _fernet(settings.SECRET_KEY, tuple(getattr(settings, "SECRET_KEY_FALLBACKS", ())))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(encrypted_text: str) -> str:
    try:
        return fernet().decrypt(str(encrypted_text).encode("utf-8")).decode("utf-8")
    except (InvalidToken, UnicodeError, TypeError, ValueError) as error:
        logger.warning("A second-factor secret could not be decrypted (another SECRET_KEY?)")
        raise UnreadableSecret from error


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt(encrypted_text)
