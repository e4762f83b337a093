"""Model bases shared by the apps: an item several people edit (its ``version``, see core.versions.check_version and
core.editing.edit) and an item deleted softly, restorable for RESTORE_DAYS days (abstract: no tables). One table of
core's own: ``GeneratedFile``, the heavy exports the background worker makes (core/generated.py). This module imports
no domain app."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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


class FileStatus(models.TextChoices):
    PENDING = "pending", _("wordt gemaakt")
    READY = "ready", _("klaar")
    FAILED = "failed", _("mislukt")


class GeneratedFile(models.Model):
    """A heavy export made by the background worker (core/generated.py), kept for one version of its content.

    Keyed by what it is (``kind``: ``round.pdf``, ``plan.docx``, ...), of which object (a round's or a school's id),
    for whom (``variant``: what differs between viewers, e.g. a board viewer's file holds no individual answers) and
    the ``fingerprint`` of everything it shows: when that changes, the next download makes a new file. The bytes are
    in the database, so every app server serves the file the worker made. ``builder`` and ``params`` say how to make
    it (a dotted path marked with ``core.generated.file_builder`` and its keyword arguments). The daily
    ``purge_generated_files`` removes old rows."""

    kind = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    variant = models.CharField(max_length=40, blank=True, default="")
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(max_length=8, choices=FileStatus.choices, default=FileStatus.PENDING)
    builder = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    content = models.BinaryField(default=b"", editable=False)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "variant", "fingerprint"], name="unique_generated_file"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id} {self.variant} ({self.status})"
