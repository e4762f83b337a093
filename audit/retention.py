"""How long the audit log is kept: ``AUDIT_RETENTION_DAYS`` (default 730, two years). Run daily through
``manage.py purge_audit_log`` (the scheduler does).

The purge is the only code that deletes audit rows. On PostgreSQL the database refuses any other DELETE (migration
audit/0004): the purge tells the trigger its cut-off for its own transaction only (``set_config(..., true)`` is
``SET LOCAL``), and the trigger lets through rows older than that cut-off, never a cut-off in the future, and
never a row younger than ``MINIMUM_RETENTION_DAYS`` (365) whatever the cut-off says (migration audit/0005). A
shorter ``AUDIT_RETENTION_DAYS`` is refused here too, on every database: ``purge_old_events`` raises
``ImproperlyConfigured`` and deletes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from .models import AuditEvent

DEFAULT_RETENTION_DAYS = 730
MINIMUM_RETENTION_DAYS = 365  # the same floor as the database trigger (audit/migrations/0005_tighter_guard.py)


def retention_days() -> int:
    return int(getattr(settings, "AUDIT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def cutoff(now: datetime | None = None) -> datetime:
    """Rows made before this moment are past the retention period."""
    return (now or timezone.now()) - timedelta(days=retention_days())


def _allow_purge_before(moment: datetime | None) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            value = moment.isoformat() if moment is not None else ""
            cursor.execute("SELECT set_config('audit.purge_before', %s, true)", [value])


@transaction.atomic
def purge_old_events(now: datetime | None = None) -> int:
    """Delete the audit rows older than the retention period; returns how many.

    Raises ``ImproperlyConfigured`` (and deletes nothing) when ``AUDIT_RETENTION_DAYS`` is below
    ``MINIMUM_RETENTION_DAYS``: the database would refuse those rows anyway."""
    days = retention_days()
    if days < MINIMUM_RETENTION_DAYS:
        raise ImproperlyConfigured(
            f"AUDIT_RETENTION_DAYS={days} is shorter than the minimum of {MINIMUM_RETENTION_DAYS} days "
            "that the audit log is kept (the database refuses to delete younger rows)."
        )
    before = cutoff(now)
    _allow_purge_before(before)
    deleted, _ = AuditEvent.objects.filter(created_at__lt=before).delete()
    # Ends with the transaction anyway (a failed delete rolls the setting back); inside a longer transaction
    # (a test, a caller's atomic block) the permission ends here too.
    _allow_purge_before(None)
    return deleted
