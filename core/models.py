"""Model bases shared by the apps: an item several people edit (its ``version``, see core.versions.check_version and
core.editing.edit) and an item deleted softly, restorable for RESTORE_DAYS days. Abstract: no tables, no app of
their own; this module imports no domain app."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

RESTORE_DAYS = 30


class Versioned(models.Model):
    """An item edited by several people: every save raises ``version``; a save on an older one is refused."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class SoftDeleteQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def restorable(self):
        """Deleted less than RESTORE_DAYS days ago: still in the trash."""
        return self.filter(deleted_at__gte=timezone.now() - timedelta(days=RESTORE_DAYS))


class SoftDeletable(models.Model):
    """Deleted softly: ``deleted_at`` and who did it; a daily purge removes it for good after RESTORE_DAYS."""

    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    deleted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        abstract = True
