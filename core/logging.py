"""Log lines that can be followed: a request id on every line, JSON lines in production.

- `REQUEST_ID` holds the id of what this thread is doing now: the request (set by core.middleware.RequestId, which
  also returns it in the `X-Request-ID` header) or, in the tasks worker, `task-<id>` of the background task that runs
  (`follow_tasks`, connected by the project's AppConfig). Outside both it is unset and lines show "-".
- `RequestIdFilter` (on the handlers in settings.LOGGING) puts it on every record as `request_id`.
- `JsonFormatter` writes one JSON object per line: time, level, logger, message, request_id and the exception text
  when there is one. Nothing else from the record (no request, no bodies); email addresses are replaced by
  "[e-mail]" in the message and the exception text.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)

# An incoming X-Request-ID (from the load balancer or proxy) is kept when it is a short token of safe characters;
# anything else (too long, spaces, quotes, newlines that could forge log lines) gets a fresh id.
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
EMAIL_ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
EMAIL_REPLACEMENT = "[e-mail]"


def new_request_id() -> str:
    return uuid.uuid4().hex


def request_id_from(header: str | None) -> str:
    """The incoming id when it is safe to repeat in logs and headers, else a new one."""
    if header and _SAFE_ID.fullmatch(header):
        return header
    return new_request_id()


def current_request_id() -> str | None:
    return REQUEST_ID.get()


def without_email_addresses(text: str) -> str:
    return EMAIL_ADDRESS.sub(EMAIL_REPLACEMENT, text)


class RequestIdFilter(logging.Filter):
    """Adds `record.request_id` (the request's or task's id, "-" outside both). Put it on the handlers, so it also
    sees the records that loggers below pass up."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for the log collector of a production deployment."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": without_email_addresses(record.getMessage()),
            "request_id": getattr(record, "request_id", None) or REQUEST_ID.get() or "-",
        }
        if record.exc_info:
            line["exception"] = without_email_addresses(self.formatException(record.exc_info))
        elif record.exc_text:
            line["exception"] = without_email_addresses(record.exc_text)
        if record.stack_info:
            line["stack"] = without_email_addresses(self.formatStack(record.stack_info))
        return json.dumps(line, ensure_ascii=False, default=str)


# The tasks worker: the lines a task logs carry its id ------------------------------------------------------------

_before_task: dict[str, str | None] = {}


def _task_started(sender, task_result, **kwargs) -> None:
    task_id = str(task_result.id)
    _before_task[task_id] = REQUEST_ID.get()
    REQUEST_ID.set(f"task-{task_id}")


def _task_finished(sender, task_result, **kwargs) -> None:
    # Back to what it was: nothing in the worker, the request's id when a task runs inside a request (the immediate
    # backend of the tests, or on commit).
    REQUEST_ID.set(_before_task.pop(str(task_result.id), None))


def follow_tasks() -> None:
    """Connect the task signals (Django's tasks framework, sent by `manage.py db_worker`). Idempotent. Connected after
    Django's own receivers, so its "Task ... state=RUNNING" line comes before the id is set and its "state=SUCCESSFUL"
    line still carries it."""
    from django.tasks.signals import task_finished, task_started

    task_started.connect(_task_started, dispatch_uid="core.logging.task_started")
    task_finished.connect(_task_finished, dispatch_uid="core.logging.task_finished")
