"""Health endpoints for load balancers and monitoring (README "Production", "Health checks").

- `/health/live/` (liveness): the process answers. 200 "ok", touching nothing: no database, no cache, no session.
- `/health/ready/` (readiness): this server can do its work: the database answers `SELECT 1`, the cache stores and
  returns a value, and the tasks worker keeps up (at most HEALTH_TASK_BACKLOG_MAX tasks ready to run for longer than
  HEALTH_TASK_BACKLOG_AGE seconds; a negative maximum switches that check off). 200 `{"status": "ok"}`, else 503
  with the name of each check and "ok" or "fail" — never why (no exception text, no hosts): that goes to the log.

Both are public (no login: the load balancer has none), exempt from the https redirect (SECURE_REDIRECT_EXEMPT), set
no cookie and are never cached. Never rendered with a template and never translated: machines read them.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)

DEFAULT_TASK_BACKLOG_AGE = 15 * 60  # seconds a task may wait for the worker before it counts as backlog
DEFAULT_TASK_BACKLOG_MAX = 500


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
@require_safe
def live(request):
    return _no_store(HttpResponse("ok", content_type="text/plain; charset=utf-8"))


def check_database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def check_cache() -> bool:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "ok", 30)
    try:
        return cache.get(key) == "ok"
    finally:
        cache.delete(key)


def check_tasks() -> bool:
    """At most HEALTH_TASK_BACKLOG_MAX tasks waiting for the worker longer than HEALTH_TASK_BACKLOG_AGE seconds.
    A task waits from its `run_after` (a retry) or, without one, from when it was queued."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    limit = int(getattr(settings, "HEALTH_TASK_BACKLOG_MAX", DEFAULT_TASK_BACKLOG_MAX))
    if limit < 0:
        return True
    age = int(getattr(settings, "HEALTH_TASK_BACKLOG_AGE", DEFAULT_TASK_BACKLOG_AGE))
    cutoff = timezone.now() - timedelta(seconds=age)
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).filter(
        Q(run_after__lte=cutoff) | Q(run_after=get_date_max(), enqueued_at__lte=cutoff)
    )
    return waiting.order_by()[: limit + 1].count() <= limit


def _passes(name: str, check: Callable[[], bool]) -> bool:
    try:
        if check():
            return True
        log.warning("health check %s failed", name)
    except Exception:  # noqa: BLE001 — any failure is a failed check; the reason goes to the log only
        log.warning("health check %s failed", name, exc_info=True)
    return False


@login_not_required
@require_safe
def ready(request):
    # Looked up at call time (module globals), so a test can replace one check.
    checks = {"database": check_database, "cache": check_cache, "tasks": check_tasks}
    results = {name: "ok" if _passes(name, check) else "fail" for name, check in checks.items()}
    if all(result == "ok" for result in results.values()):
        return _no_store(JsonResponse({"status": "ok"}))
    return _no_store(JsonResponse({"status": "unavailable", "checks": results}, status=503))
