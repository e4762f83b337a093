"""Outgoing mail, queued: a page never waits for (or fails on) the mail server.

`queue_mail(...)` queues one background task per recipient (`send_message`, Django's tasks framework). In
development and production the `django-tasks-db` backend keeps the queue in the database and `manage.py db_worker`
sends it; the task row is then written inside the current transaction, so the mail is stored exactly when the work
it belongs to is (an outbox). Any other backend (tests: immediate) is enqueued on commit. A message that cannot be
sent is tried again later with a growing pause (`MAIL_RETRY_DELAYS`, seconds), at most `MAIL_MAX_ATTEMPTS` times;
then it is recorded as failed (the task ends as FAILED, the log has a warning).

A message may carry an HTML alternative (`html`) beside its plain text and small text attachments (`attachments`:
a list of `{"filename", "content", "mimetype"}`, e.g. an `.ics` invitation); both are stored in the task's
arguments like the text.

Who wants to know how a message fared passes `status_hook`: the dotted path of a function
`hook(ref, status, attempts)` that the task calls with `MailStatus.RETRYING`, `SENT` or `FAILED` (e.g. an
invitation stores it for the team page). This module imports no domain app.

Each message is written in its recipient's language: the callers render subject and body inside
`in_language(<the recipient's language>)` (``User.language``; for an invitation to someone without an account the
inviter's), which this module takes as a plain code.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import models, transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django_tasks_db.backend import DatabaseBackend

logger = logging.getLogger(__name__)

DEFAULT_MAX_ATTEMPTS = 6
DEFAULT_RETRY_DELAYS = [60, 5 * 60, 15 * 60, 60 * 60, 4 * 60 * 60]  # after attempt 1, 2, ...; the last one repeats


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("klaargezet om te versturen")
    RETRYING = "retrying", _("niet gelukt, wordt opnieuw geprobeerd")
    SENT = "sent", _("verstuurd")
    FAILED = "failed", _("versturen mislukt")


def mail_language(language: str | None) -> str:
    """`language` when it is one of LANGUAGES, else the default (Dutch)."""
    return language if language and language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def in_language(language: str | None) -> translation.override:
    """Render a message inside it: `with in_language(user.language): subject = _(...); body = render_to_string(...)`."""
    return translation.override(mail_language(language))


def max_attempts() -> int:
    return int(getattr(settings, "MAIL_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))


def retry_delay(attempt: int) -> timedelta:
    """The pause after failed attempt number `attempt` (1-based)."""
    delays = list(getattr(settings, "MAIL_RETRY_DELAYS", DEFAULT_RETRY_DELAYS)) or [60]
    return timedelta(seconds=delays[min(attempt, len(delays)) - 1])


def queue_mail(
    *,
    subject: str,
    body: str,
    to: str | Iterable[str],
    from_email: str | None = None,
    status_hook: str | None = None,
    ref: Any = None,
    discard_after: datetime | None = None,
    html: str | None = None,
    attachments: list[dict[str, str]] | None = None,
) -> None:
    """Send `body` to each address in `to` (one message each) in the background, once the transaction has committed.

    `discard_after`: a message still unsent at that moment is dropped (e.g. a login code that has expired).
    `status_hook` and `ref` (JSON-serialisable): see the module docstring. `html`: the same message as HTML (sent as
    an alternative to the text); `attachments`: `[{"filename": ..., "content": <text>, "mimetype": ...}]`.
    """
    recipients = [to] if isinstance(to, str) else [a for a in to if a]
    for address in recipients:
        kwargs: dict[str, Any] = {
            "subject": str(subject),
            "body": str(body),
            "to": [address],
            "from_email": from_email,
            "status_hook": status_hook,
            "ref": ref,
            "discard_after": discard_after.isoformat() if discard_after else None,
        }
        if html:  # only when given: the tasks of plain messages keep the arguments they always had
            kwargs["html"] = str(html)
        if attachments:
            kwargs["attachments"] = [
                {"filename": str(a["filename"]), "content": str(a["content"]), "mimetype": str(a["mimetype"])}
                for a in attachments
            ]
        if _queue_in_our_database():
            # The task row is written in this transaction: it commits with the work it belongs to (an invitation
            # and its mail exist together or not at all) and no crash between commit and enqueue can lose it.
            _enqueue(kwargs)
        else:
            # Another queue (tests: run at once): only after commit, so nothing is sent for work that rolls back;
            # robust: a queue that cannot be reached is logged, the page that already committed still answers.
            transaction.on_commit(partial(_enqueue, kwargs), robust=True)


def _queue_in_our_database() -> bool:
    return isinstance(send_message.get_backend(), DatabaseBackend)


def _enqueue(kwargs: dict[str, Any], *, attempt: int = 1, run_after: datetime | None = None) -> None:
    t = send_message.using(run_after=run_after) if run_after else send_message
    t.enqueue(**kwargs, attempt=attempt)


def _report(status_hook: str | None, ref: Any, status: str, attempts: int) -> None:
    if not status_hook:
        return
    try:
        import_string(status_hook)(ref, status, attempts)
    except Exception:
        logger.exception("Mail status hook %s failed", status_hook)


def _message(subject, body, from_email, to, *, html=None, attachments=None) -> EmailMessage:
    """Plain text, or text with an HTML alternative; text attachments (an .ics invitation) added as they are."""
    if not html and not attachments:
        return EmailMessage(subject, body, from_email, to)
    message = EmailMultiAlternatives(subject, body, from_email, to)
    if html:
        message.attach_alternative(html, "text/html")
    for attachment in attachments or ():
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return message


@task()
def send_message(
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None = None,
    status_hook: str | None = None,
    ref: Any = None,
    discard_after: str | None = None,
    attempt: int = 1,
    html: str | None = None,
    attachments: list[dict[str, str]] | None = None,
) -> str:
    """Send one message; on failure queue the next attempt (with `run_after`) or, after the last, record failure."""
    now = timezone.now()
    deadline = parse_datetime(discard_after) if discard_after else None
    if deadline is not None and now > deadline:
        logger.warning("Mail dropped unsent after %d attempt(s): no longer useful", attempt - 1)
        _report(status_hook, ref, MailStatus.FAILED, attempt - 1)
        return "discarded"
    try:
        _message(subject, body, from_email, to, html=html, attachments=attachments).send()
    except Exception as exc:
        kwargs: dict[str, Any] = {
            "subject": subject,
            "body": body,
            "to": to,
            "from_email": from_email,
            "status_hook": status_hook,
            "ref": ref,
            "discard_after": discard_after,
        }
        if html:
            kwargs["html"] = html
        if attachments:
            kwargs["attachments"] = attachments
        backend = send_message.get_backend()
        if attempt < max_attempts() and backend.supports_defer:
            next_at = now + retry_delay(attempt)
            logger.warning("Mail attempt %d failed (%s); next attempt at %s", attempt, type(exc).__name__, next_at)
            _enqueue(kwargs, attempt=attempt + 1, run_after=next_at)
            _report(status_hook, ref, MailStatus.RETRYING, attempt)
            return "retrying"
        logger.warning("Mail failed for good after %d attempt(s) (%s)", attempt, type(exc).__name__)
        _report(status_hook, ref, MailStatus.FAILED, attempt)
        raise
    _report(status_hook, ref, MailStatus.SENT, attempt)
    return "sent"
