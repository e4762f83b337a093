"""Settings of the tests' OpenID Connect provider: django-oauth-toolkit in OIDC mode, nothing else.

Everything it keeps (SQLite database, RSA signing key, the port it listens on) is in $OIDC_PROVIDER_DIR, a temporary
directory of the test session. $OIDC_PROVIDER_CONTROL_SECRET guards the control endpoint (oidc_idp/control.py).
"""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

if not os.environ.get("OIDC_PROVIDER_DIR"):
    raise ImproperlyConfigured("Set OIDC_PROVIDER_DIR to the directory of the provider's database and key.")
DIR = Path(os.environ["OIDC_PROVIDER_DIR"])


def _signing_key() -> str:
    """The RSA key (RS256) of this provider: made at its first start, kept in DIR for later commands."""
    path = DIR / "rsa.pem"
    if not path.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        path.write_bytes(pem)
    return path.read_text()


SECRET_KEY = secrets.token_urlsafe(50)
CONTROL_SECRET = os.environ.get("OIDC_PROVIDER_CONTROL_SECRET", "")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "oidc_idp.urls"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
    "oidc_idp",
]
# No migrations: `migrate --run-syncdb` creates the tables straight from the models (a fresh database every session).
MIGRATION_MODULES = {app.rsplit(".", 1)[-1]: None for app in INSTALLED_APPS}

MIDDLEWARE = [
    "django.middleware.common.CommonMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": DIR / "provider.sqlite3", "OPTIONS": {"timeout": 20}}
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # test users only; fast
USE_TZ = True
LOGIN_URL = "/accounts/login/"
LOGGING = {"version": 1, "loggers": {"django.server": {"level": "WARNING"}}}

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": _signing_key(),
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],  # the authorization code flow only, like the real ones
    "PKCE_REQUIRED": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,  # S256 only, no "plain"
    "SCOPES": {"openid": "OpenID Connect", "email": "E-mailadres", "profile": "Naam"},
    "DEFAULT_SCOPES": ["openid"],
    "OAUTH2_VALIDATOR_CLASS": "oidc_idp.validators.ClaimsValidator",
    "ID_TOKEN_EXPIRE_SECONDS": 300,  # a test may change it: Knob "id_token_lifetime"
    "ACCESS_TOKEN_EXPIRE_SECONDS": 300,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,  # a valid id_token_hint logs out at once
}
