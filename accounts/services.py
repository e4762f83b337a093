"""Writes to one's own account (the name others see, the password) and logging in and out: atomic and audited (no
school: an account belongs to the person, not to one school).

Login codes: the hourly limit is checked with the user's row locked, and every attempt is counted in the database
(a conditional UPDATE) before the code is compared, so parallel requests cannot get more guesses than the limits.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model, login, logout
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import record
from core.errors import ServiceError
from core.mail import in_language, queue_mail

from . import throttle
from .models import LoginCode

BACKEND = "accounts.backends.EmailBackend"
# Session keys of the idle timeout and the fixed lifetime (accounts.middleware.SessionTimeout).
SESSION_LAST_ACTIVITY = "gw_last_activity"
SESSION_STARTED = "gw_session_started"


def start_session_clock(*, request, **_kwargs) -> None:
    """Stamp a new login's session with its start and last activity (accounts.middleware.SessionTimeout reads them).

    Connected to Django's ``user_logged_in`` (accounts/apps.py), so every way in is stamped the same: the app's
    password and code logins, the admin's login and the test client's ``force_login``; the first request after a
    login then has nothing to write."""
    stamp = int(timezone.now().timestamp())
    request.session[SESSION_STARTED] = request.session[SESSION_LAST_ACTIVITY] = stamp


@transaction.atomic
def do_change_name(*, user, name: str, acting_user) -> None:
    before = user.name
    user.name = name.strip()
    user.save(update_fields=["name"])
    record(action="account.name_changed", acting_user=acting_user, target=user, data={"changed": before != user.name})


@transaction.atomic
def do_set_language(*, user, language: str, acting_user) -> bool:
    """Store the language of one's pages and mail (``User.language``, one of LANGUAGES); only one's own. Returns
    whether it changed; a change is audited (the two language codes)."""
    if language not in dict(settings.LANGUAGES):
        raise ServiceError(_("Die taal kennen we niet. Er is niets opgeslagen."))
    if acting_user is None or acting_user.pk != user.pk:
        raise ServiceError(_("Je kunt alleen je eigen taal kiezen."))
    before = user.language
    if before == language:
        return False
    user.language = language
    user.save(update_fields=["language"])
    record(
        action="account.language_changed", acting_user=acting_user, target=user, data={"from": before, "to": language}
    )
    return True


@transaction.atomic
def do_set_password(*, form, acting_user) -> None:
    """Save a validated SetPasswordForm or PasswordChangeForm; the audit row says that, never the password."""
    user = form.save()
    record(action="account.password_set", acting_user=acting_user, target=user)


# Login codes ----------------------------------------------------------------------------------------------------


@transaction.atomic
def do_request_login_code(*, email: str):
    """Issue a code for an active account with this address and mail it after the commit. Returns the user, or None
    when the address is unknown or has had LOGIN_CODES_PER_HOUR codes this hour (nothing is sent; the caller answers
    the same either way). The user's row is locked while counting, so parallel requests keep to the limit."""
    User = get_user_model()
    user = User.objects.select_for_update().filter(email=email.strip().lower(), is_active=True).first()
    if user is None or LoginCode.recently_issued(user) >= settings.LOGIN_CODES_PER_HOUR:
        return None
    login_code, code = LoginCode.issue(user)
    with in_language(user.language):  # the mail in the person's own language
        subject = _("Je inlogcode voor Groeiwijzer TSO")
        body = render_to_string(
            "accounts/email/login_code.txt", {"user": user, "code": code, "minutes": settings.LOGIN_CODE_VALID_MINUTES}
        )
    # Queued on commit (core/mail.py): a mail server that is down changes nothing in the answer; the mail is
    # retried until the code expires, then dropped.
    queue_mail(subject=subject, body=body, to=user.email, discard_after=login_code.expires_at)
    return user


@transaction.atomic
def do_verify_login_code(*, user_id, code: str, client: str = ""):
    """The user when ``code`` is their newest code, unused, not expired and with attempts left; else None.

    The attempt is counted first, in one conditional UPDATE (attempts < LOGIN_CODE_MAX_ATTEMPTS); only a counted
    attempt is compared. A right code is marked used in a second conditional UPDATE, so it logs in once."""
    if not user_id:
        return None
    login_code = (
        LoginCode.objects.filter(user_id=user_id, used_at=None, user__is_active=True)
        .select_related("user")
        .order_by("-created_at")
        .first()
    )
    if login_code is None:
        return None
    now = timezone.now()
    counted = LoginCode.objects.filter(
        pk=login_code.pk, used_at=None, expires_at__gt=now, attempts__lt=settings.LOGIN_CODE_MAX_ATTEMPTS
    ).update(attempts=F("attempts") + 1)
    if not counted:
        return None  # used up, expired or already used: not compared
    if not login_code.matches(code):
        _record_failure(method="code", email=login_code.user.email, client=client)
        return None
    if not LoginCode.objects.filter(pk=login_code.pk, used_at=None).update(used_at=now):
        return None
    return login_code.user


# Logging in and out ---------------------------------------------------------------------------------------------


def _record_failure(*, method: str, email: str, client: str) -> None:
    """An audit row for a failed login: keyed hashes of the e-mail address and the client's address, never either."""
    record(
        action="account.login_failed",
        data={
            "method": method,
            "account": throttle.keyed_hash("audit.account", email),
            "client": throttle.keyed_hash("audit.client", client),
        },
    )


@transaction.atomic
def do_record_login_failure(*, method: str, email: str, client: str) -> None:
    _record_failure(method=method, email=email, client=client)


@transaction.atomic
def do_log_in(*, request, user, method: str) -> None:
    """Log the user in on this request ("password" or "code") and audit it. A login that a waiting school account
    let through and whose link was refused is undone at once (accounts/sso.py): then nobody is logged in."""
    login(request, user, backend=BACKEND)  # starts the session clock (start_session_clock, on user_logged_in)
    if request.user.is_authenticated:
        record_login(user=user, method=method)


def record_login(*, user, method: str) -> None:
    """The audit row of a successful first login step: "password", "code" or "beheer" (the admin's login page)."""
    record(action="account.logged_in", acting_user=user, target=user, data={"method": method})


@transaction.atomic
def do_log_out(*, request, reason: str = "") -> None:
    """Log out ("idle" or "expired" when the session timed out) and audit it."""
    user = request.user
    if user.is_authenticated:
        record(action="account.logged_out", acting_user=user, target=user, data={"reason": reason} if reason else {})
    logout(request)
