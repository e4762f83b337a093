"""An append-only log of meaningful changes, per school (and per board for board-level events).

Append-only (README, "Logboek"): nothing in the product changes or deletes a row. The admin shows the log read-only
(no add, change or delete, no bulk delete), and on PostgreSQL triggers (migrations 0004 and 0005) refuse every
UPDATE and DELETE on ``audit_auditevent`` except the two sanctioned ones, and a new row dated far from now:

- the retention purge (``audit.retention.purge_old_events``): rows older than ``AUDIT_RETENTION_DAYS``, and only
  inside the purge's own transaction (it sets the cut-off with ``set_config('audit.purge_before', ..., true)``);
  never a row younger than 365 days, whatever the cut-off;
- ``SET NULL`` of ``actor``, ``school`` or ``board`` when that user, school or board is deleted (a school that
  leaves): an UPDATE whose only change is one of those three columns becoming NULL, and at commit that user, school
  or board must be gone (a deferred check).

For whoever deletes users, schools or boards: all three foreign keys are ``on_delete=SET_NULL``. A deleted
school's rows stay (``school`` becomes NULL, the text of the row is untouched) until the retention purge removes
them; record the deletion itself with ``board=`` so the board keeps seeing it. Never ``.delete()`` or
``.update()`` audit rows yourself: on PostgreSQL the database refuses it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    # SET_NULL, not CASCADE: the log outlives a school that leaves (the guard refuses deleting rows).
    school = models.ForeignKey(
        "organisations.School", on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_events"
    )
    # Events at board level (a school added or deleted): kept when the school itself is gone.
    board = models.ForeignKey(
        "organisations.Board", on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_events"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(_("actie"), max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("logregel")
        verbose_name_plural = _("logboek")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


def record(
    *, action: str, acting_user=None, school=None, board=None, target=None, data: dict | None = None
) -> AuditEvent:
    """Write one audit row. Call inside the service's transaction. ``board`` for board-level events (a school that
    leaves); a school's events find their board through the school."""
    return AuditEvent.objects.create(
        school=school,
        board=board,
        actor=acting_user if acting_user is not None and acting_user.is_authenticated else None,
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        data=data or {},
    )


def record_download(
    *, request, action: str, filename: str, school=None, target=None, data: dict | None = None
) -> AuditEvent:
    """One row per export or download: who fetched which file (its name and format) of what.

    ``action`` names what was exported (``export.plan``, ``export.route``, ``export.conversation``; labels in
    audit/labels.py), ``target`` the object (a route, a conversation), ``data`` what identifies it further. Never
    put the file's content in ``data``."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return record(
        action=action,
        acting_user=request.user,
        school=school,
        target=target,
        data={"file": filename, "format": extension, **(data or {})},
    )
