"""Settings for development, tests and the demo (`make run`).

Production uses groeiwijzer.settings_production, which reads everything from the
environment and refuses to start without its secrets.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from accounts import sso_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_int(name: str, default: int, *, minimum: int, maximum: int) -> int:
    """A whole number from the environment (unset or empty: ``default``); anything else refuses to start."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if not minimum <= value <= maximum:
        raise ImproperlyConfigured(f"{name} must be between {minimum} and {maximum}, not {value}.")
    return value


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret-groeiwijzer")
DEBUG = os.environ.get("DEBUG", "1") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "accounts.twofactor_admin.AdminConfig",  # django.contrib.admin; /beheer/ needs a verified second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",  # the queue of background tasks (mail) in the database; `manage.py db_worker` runs it
    "groeiwijzer",  # the project: the scheduler of daily jobs (`manage.py scheduler`); the shared code is core/
    "core",  # the shared code; its one table: the export files the worker makes (core/generated.py)
    # Single sign-on with a school account (issue 16): allauth only for the OpenID Connect login (accounts/sso.py);
    # its own account pages are not used (the password, e-mail code and second step stay ours)
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    # The second factor's storage (accounts/twofactor.py): allauth.mfa's Authenticator (TOTP, recovery codes) behind
    # our own pages; allauth's MFA pages and login stages are not used
    "allauth.mfa",
    "accounts",
    "organisations",
    "audit",
    "ontwikkelmodel",
    "assessments",
    "actionplans",
    "trajectory",
    "training",
    "leadership",
    "intake",
    "reference",
    "outcomes",  # Opbrengsten: the yearly team questionnaire (anonymous tallies only)
    "research",  # across schools: the opt-in benchmark and the research export with consent
    "notifications",  # mail that arrives by itself: events and daily reminders, each person's choice per kind
    "api",  # on top beside pages: the read API for boards (/api/v1/, django-ninja) and the board's API tokens
    "pages",  # on top: the pages that combine apps, the AVG export and erasure, `demo`; last (pages/admin.py)
]

MIDDLEWARE = [
    "core.middleware.RequestId",  # first: every response and every log line of the request carry its id
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguage",  # the language: a logged-in person's preference, else the cookie, else Dutch
    "core.middleware.LoginRequired",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionTimeout",  # logged out after SESSION_IDLE_TIMEOUT without activity
    "accounts.twofactor_middleware.SecondFactorRequired",  # the second step after every login; user.is_verified()
    "allauth.account.middleware.AccountMiddleware",  # allauth's request context (single sign-on)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.ServiceErrorMiddleware",
]

ROOT_URLCONF = "groeiwijzer.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "organisations.context_processors.current_school",
            ],
        },
    },
]

WSGI_APPLICATION = "groeiwijzer.wsgi.application"

# CONN_MAX_AGE: seconds a database connection is kept for the next request (0: closed after every request, the
# default here for development and the tests; production keeps connections, settings_production.py).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
# PostgreSQL binds the parameters on the server, and a query run twice on one connection is prepared there: the busy
# pages' big queries (the school page's one query of 13 subqueries, the board page's WITH queries) are planned once
# per connection instead of on every request (issue 15; in-process, PostgreSQL, the bench-http data: the school page
# 9.9 -> 6.1 ms, the board page of 50 schools 16.9 -> 12.5 ms, the consensus view 20.0 -> 17.2 ms). Set
# DATABASE_SERVER_SIDE_BINDING=0 behind a pooler that cannot keep prepared statements (PgBouncer in transaction mode
# before 1.21, or without max_prepared_statements).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and (
    os.environ.get("DATABASE_SERVER_SIDE_BINDING", "1") == "1"
):
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=2)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache (fragments that change rarely, such as the rubric). Several app servers share one Valkey/Redis:
# CACHE_URL (or REDIS_URL) = redis://host:6379/0, through Django's built-in Redis backend. Without it each process
# keeps its own small in-memory cache, which is right for one server and for the tests. Nothing that must hold across
# servers lives only in the cache: sessions, login limits and the task queue are in the database.
_CACHE_URL = os.environ.get("CACHE_URL", "").strip() or os.environ.get("REDIS_URL", "").strip()
if _CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "groeiwijzer"),
            "TIMEOUT": 3600,
            # A cache that is down or slow must not take the site down: short timeouts, then the page is built
            # without it (core/cache.py, get_or_build).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "TIMEOUT": 3600}}
# In the database, shared by every app server (see README "Deploying"); Django's db backend, read with a prepared query
SESSION_ENGINE = "accounts.sessions"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},  # Dutch message
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Teachers fill in forms over days: keep them logged in for two weeks.
SESSION_COOKIE_AGE = 14 * 24 * 3600
# ... but not when they walk away: a session without a request for 8 hours ends (accounts/middleware.py), and every
# session ends SESSION_COOKIE_AGE after its login, however active.
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(8 * 3600)))

# Dutch first; English by choice only: the switch in the header (a cookie) or a person's preference in Mijn gegevens
# (accounts.User.language, which wins when logged in; accounts/middleware.py UserLanguage). The browser's
# Accept-Language is not followed: many Dutch teachers have an English browser.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"

MAILERS: dict[str, dict[str, object]] = {
    "default": {"BACKEND": os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")}
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Groeiwijzer TSO <noreply@groeiwijzer.localhost>")

# Background tasks (Django's tasks framework): queued in the database, run by `manage.py db_worker` (started by
# `make run`; a separate process in production). Mail goes out this way (core/mail.py): a failed message is
# tried again after MAIL_RETRY_DELAYS seconds (the last pause repeats), MAIL_MAX_ATTEMPTS times in all.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# Heavy exports (a round's PDF report, Word and Excel of large plans) are made by the worker and kept per version of
# their content (core/generated.py): counted as failed when not made after GENERATED_FILE_TIMEOUT seconds, removed
# by the daily purge after GENERATED_FILES_KEEP_HOURS.
GENERATED_FILE_TIMEOUT = int(os.environ.get("GENERATED_FILE_TIMEOUT", str(10 * 60)))
GENERATED_FILES_KEEP_HOURS = 48
MAIL_MAX_ATTEMPTS = 6
MAIL_RETRY_DELAYS = [60, 5 * 60, 15 * 60, 60 * 60, 4 * 60 * 60]
# The address of the site as people open it: the links in mail sent without a request (reminders, digests, and the
# mail that follows an event, notifications/services.py).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Content Security Policy: everything from our own origin, nothing inline, no third parties.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"

# Single sign-on (accounts/sso.py, accounts/sso_settings.py): Entree Federatie, SURFconext and Microsoft Entra ID,
# each switched on by SSO_<NAME>_CLIENT_ID, _SECRET and _ISSUER; allauth speaks OpenID Connect (PKCE, discovery, the
# ID token's checks), the rules and the login are ours. Nobody signs up through allauth; an e-mail claim alone never
# logs in (SOCIALACCOUNT_EMAIL_AUTHENTICATION off); no tokens are stored.
ACCOUNT_ADAPTER = "accounts.sso.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.sso.SocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
# one e-mail login code, ours (accounts/services.py: attempts counted in the database); allauth's login by code keeps
# its attempts in the session (README "Production", second factor)
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False  # the login page's buttons post (CSRF); a GET shows a page with the button
try:
    SSO_APPS = sso_settings.apps_from_env(os.environ)
except sso_settings.SSOConfigError as _error:
    raise ImproperlyConfigured(str(_error)) from None
SOCIALACCOUNT_PROVIDERS = sso_settings.socialaccount_providers(SSO_APPS)
# The login button posts to us and we redirect to the provider: Chromium checks that redirect against form-action.
SECURE_CSP["form-action"] = [CSP.SELF, *sso_settings.form_action_origins(SSO_APPS)]

# Invitations are valid for 7 days; one-time login codes for 15 minutes.
INVITATION_VALID_DAYS = 7
LOGIN_CODE_VALID_MINUTES = 15
LOGIN_CODE_MAX_ATTEMPTS = 5
LOGIN_CODES_PER_HOUR = 5  # with 5 attempts each: at most 25 guesses an hour at a 6-digit code
# A code request answers no sooner than this (seconds), known address or not: its timing tells nothing about who
# has an account (accounts/views.py; the tests set 0, tests/accounts/test_login_security.py sets it back).
LOGIN_CODE_MIN_SECONDS = 0.3
# Password logins: after 10 wrong passwords for one address within 15 minutes, no more checks until they age out
# (accounts/throttle.py); the login code by e-mail keeps working.
LOGIN_PASSWORD_MAX_FAILURES = 10
LOGIN_PASSWORD_LOCK_MINUTES = 15
# Spraying one password over many accounts: wrong passwords from one client (its network address, stored as a keyed
# hash) and from everyone together are limited per window too. Behind a reverse proxy REMOTE_ADDR must be the
# client's address (set it from the proxy's header in the proxy or the WSGI server).
LOGIN_PASSWORD_MAX_FAILURES_PER_CLIENT = 30
LOGIN_PASSWORD_MAX_FAILURES_GLOBAL = 300

# The audit log (audit app) is kept two years, then `manage.py purge_audit_log` (daily) removes older rows.
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "730"))
# The key of the school pseudonyms in the research export (research/export.py); empty: derived from SECRET_KEY.
RESEARCH_PSEUDONYM_KEY = os.environ.get("RESEARCH_PSEUDONYM_KEY", "")

# Second factor (accounts/twofactor.py): a TOTP app, required for platform admins (/beheer/), optional for everyone
# else, stored in allauth.mfa's Authenticator with its secrets encrypted (accounts/mfa_adapter.py, a key derived from
# SECRET_KEY). Wrong codes are throttled per person in the database (accounts.SecondFactorThrottle): after n failures
# in a row the next check waits 2^(n-1) seconds.
MFA_ADAPTER = "accounts.mfa_adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Groeiwijzer TSO"
MFA_TOTP_TOLERANCE = 1  # the code of the previous and the next 30 seconds count too (a clock a little off)
MFA_RECOVERY_CODE_COUNT = 10
MFA_RECOVERY_CODE_DIGITS = 8
SECOND_FACTOR_THROTTLE_SECONDS = 1  # the first wait after a wrong code; it doubles with each failure in a row

# Logs: readable text with the request's id (or the background task's) on every line (core/logging.py); production
# writes JSON lines (settings_production.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "formatters": {"text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "text"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Health checks (core/health.py): /health/ready/ fails when more than HEALTH_TASK_BACKLOG_MAX background tasks have
# waited longer than HEALTH_TASK_BACKLOG_AGE seconds for the worker (-1: no such check). The load balancer asks over
# plain http, so both health URLs are exempt from the https redirect (SECURE_SSL_REDIRECT in production).
HEALTH_TASK_BACKLOG_AGE = int(os.environ.get("HEALTH_TASK_BACKLOG_AGE", str(15 * 60)))
HEALTH_TASK_BACKLOG_MAX = int(os.environ.get("HEALTH_TASK_BACKLOG_MAX", "500"))
SECURE_REDIRECT_EXEMPT = [r"^health/(live|ready)/$"]

# The read API for boards (api/auth.py): at most API_RATE_LIMIT calls per token within a window of API_RATE_WINDOW
# seconds, counted in the shared cache; beyond it a 429 with Retry-After.
API_RATE_LIMIT = _env_int("API_RATE_LIMIT", 120, minimum=1, maximum=1_000_000)
API_RATE_WINDOW = _env_int("API_RATE_WINDOW", 60, minimum=1, maximum=24 * 3600)
