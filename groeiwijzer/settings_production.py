"""Production settings: everything comes from the environment.

Refuses to start without SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
Serve with gunicorn: `gunicorn groeiwijzer.wsgi` with DJANGO_SETTINGS_MODULE set to this module.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .settings import *  # noqa: F403
from .settings import DATABASES, MIDDLEWARE  # noqa: F401


def _require(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Environment variable {name} is required in production.")
    return value


SECRET_KEY = _require("SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in _require("ALLOWED_HOSTS").split(",") if h.strip()]
_require("DATABASE_URL")  # DATABASES in settings.py was already parsed from it.
# Persistent connections with a health check (issue 15: opening a PostgreSQL connection per request halved the
# throughput of small pages). CONN_MAX_AGE=0 in the environment turns it off (e.g. behind PgBouncer in transaction
# mode, which keeps the connections itself).
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEBUG = False

CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if not h.startswith(".")]
# Links in mail (reminders, digests): SITE_URL, else the first allowed host over https.
SITE_URL = os.environ.get("SITE_URL", "").strip() or (CSRF_TRUSTED_ORIGINS or ["https://localhost"])[0]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True  # the header's language switch (accounts:language)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Static files are served by the app itself (WhiteNoise), right after SecurityMiddleware.
_after_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE = [
    *MIDDLEWARE[:_after_security],
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[_after_security:],
]

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

MAILERS = {
    "default": {
        "BACKEND": os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"),
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "587")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": os.environ.get("EMAIL_USE_TLS", "1") == "1",
            # A mail server that hangs must not hold up the worker: the attempt fails and is retried later.
            "timeout": int(os.environ.get("EMAIL_TIMEOUT", "30")),
        },
    }
}

# One JSON object per line on standard error (time, level, logger, message, request_id, exception), for the log
# collector; the request's id is also in the X-Request-ID response header (core/logging.py, core/middleware.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Error reports to Sentry (or a compatible service) only when SENTRY_DSN is set; personal data is scrubbed before an
# event leaves the server (core/sentry.py). SENTRY_TRACES_SAMPLE_RATE: the share of requests traced (default 0).
if os.environ.get("SENTRY_DSN", "").strip():
    from core.sentry import init_sentry

    init_sentry(
        dsn=os.environ["SENTRY_DSN"].strip(),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0") or 0),
    )
