"""An append-only log of meaningful changes, per school."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    school = models.ForeignKey(
        "organisations.School", on_delete=models.CASCADE, null=True, blank=True, related_name="audit_events"
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
