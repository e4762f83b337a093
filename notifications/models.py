"""What each person wants to receive, and what was sent (issue 14, part 3).

``NotificationPreference``: one row per person and kind that the person switched away from its default (``Kind``,
``DEFAULTS``); no row means the default. ``SentNotification``: one row per mail this app queued, unique per kind,
person, object and period, written in the same transaction as the queued mail: a scheduler that runs twice (or two
schedulers) finds the row and queues nothing more.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    ROUND_OPENED = "round_opened", _("Een ronde van het Ontwikkelmodel gaat open (met de deadline en de link)")
    ROUND_DEADLINE = "round_deadline", _("Drie dagen voor de deadline, als je je ronde nog niet hebt ingediend")
    ACTION_ASSIGNED = "action_assigned", _("Iemand maakt jou verantwoordelijk voor een actiepunt")
    ACTION_DIGEST = (
        "action_digest",
        _("Elke maandag: je eigen actiepunten die te laat zijn of binnen een week af moeten (alleen als die er zijn)"),
    )
    MEETING = (
        "meeting",
        _(
            "Een bijeenkomst van de werkgroep is gepland, gewijzigd of afgezegd (met de agenda en een "
            "agenda-uitnodiging)"
        ),
    )
    TRAINING_REMINDER = (
        "training_reminder",
        _("Twee dagen voor een sessie van de teamtraining of van een training voor nieuwe medewerkers"),
    )


# All on: the point is that reminders arrive without anyone pushing. The digest is only sent when it has something
# in it (an own action that is late or due within a week), so it is on too.
DEFAULTS: dict[str, bool] = {kind.value: True for kind in Kind}


class NotificationPreference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("soort e-mail"), max_length=24, choices=Kind.choices)
    enabled = models.BooleanField(_("ontvangen"))
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("e-mailvoorkeur")
        verbose_name_plural = _("e-mailvoorkeuren")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self):
        return f"{self.kind}: {'aan' if self.enabled else 'uit'}"


class SentNotification(models.Model):
    """One queued mail: ``object_key`` names what it is about ("round:12"), ``period_key`` which occasion
    ("2026-W49" for a weekly digest, "v3" for a meeting's third version, "" when there is only one)."""

    kind = models.CharField(max_length=24, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    object_key = models.CharField(max_length=64)
    period_key = models.CharField(max_length=32, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("verstuurde melding")
        verbose_name_plural = _("verstuurde meldingen")
        constraints = [
            models.UniqueConstraint(fields=["kind", "user", "object_key", "period_key"], name="notification_once")
        ]

    def __str__(self):
        return f"{self.kind} {self.object_key} {self.period_key}"
