"""The action plan (handbook ch. 5 "De werkgroep aan zet", ch. 6, Bijlage 7).

A school has one living plan: development goals (from a closed round's priorities, or added by
hand), action points grouped by growth layer with the Bijlage 7 columns, and the werkgroep's
meetings. Goals and actions are deleted softly (``deleted_at``) so they can be restored for
RESTORE_DAYS days; every change is kept in ``PlanChange`` for the item's history.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import RESTORE_DAYS as RESTORE_DAYS  # the time in the trash, used across the app
from core.models import SoftDeletable, SoftDeleteQuerySet, Versioned

MAX_TITLE = 300
MAX_TEXT = 2000
MAX_MINUTES = 20000
MAX_STEPS = 30
SHORT_TERM_ADVICE = 3  # "twee of drie eerste concrete doelen voor de komende periode van zes maanden"
MEETING_GAP_DAYS = 42  # six weeks without a meeting: the kartrekker sees a warning


class Term(models.TextChoices):
    SHORT = "kort", _("Korte termijn (komende zes maanden)")
    LONG = "lang", _("Lange termijn (later oppakken)")


class ActionStatus(models.TextChoices):
    PLANNED = "gepland", _("Gepland")
    IN_PROGRESS = "bezig", _("Bezig")
    DONE = "afgerond", _("Afgerond")
    CELEBRATED = "gevierd", _("Gevierd")


OPEN_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


PlanItemQuerySet = SoftDeleteQuerySet  # goals, actions and meetings: live, or restorable from the trash


class Goal(SoftDeletable, Versioned, models.Model):
    school = models.ForeignKey("organisations.School", on_delete=models.CASCADE, related_name="goals")
    source_round = models.ForeignKey(
        "assessments.Round", on_delete=models.SET_NULL, null=True, blank=True, related_name="goals"
    )
    layer_code = models.CharField(_("groeilaag"), max_length=8)
    accent_code = models.CharField(_("accent"), max_length=8, blank=True)
    start_phase = models.PositiveSmallIntegerField(
        _("groeifase bij de start"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    priority = models.PositiveSmallIntegerField(
        _("prioriteit"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    title = models.CharField(_("ontwikkeldoel"), max_length=MAX_TITLE)
    term = models.CharField(_("termijn"), max_length=8, choices=Term.choices, default=Term.SHORT)
    monitoring = models.TextField(_("hoe monitoren we de ontwikkeling?"), blank=True, max_length=MAX_TEXT)
    monitored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wie monitort?"),
    )
    feedback = models.TextField(_("hoe koppelen we de resultaten terug aan het team?"), blank=True, max_length=MAX_TEXT)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("ontwikkeldoel")
        verbose_name_plural = _("ontwikkeldoelen")
        ordering = ["layer_code", "priority", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(start_phase__gte=1, start_phase__lte=4), name="goal_phase_range"),
            models.CheckConstraint(condition=models.Q(priority__gte=1, priority__lte=5), name="goal_priority_range"),
        ]

    def __str__(self):
        return self.title


class Action(SoftDeletable, Versioned, models.Model):
    """One action point: the six Bijlage 7 columns plus a status."""

    school = models.ForeignKey("organisations.School", on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    layer_code = models.CharField(_("groeilaag"), max_length=8)
    title = models.CharField(_("actiepunt"), max_length=MAX_TITLE)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_actions",
        verbose_name=_("wie is verantwoordelijk?"),
    )
    due_date = models.DateField(_("wanneer afgerond?"), null=True, blank=True)
    monitoring = models.TextField(_("hoe wordt uitvoering gemonitord?"), blank=True, max_length=MAX_TEXT)
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    suggestion_code = models.CharField(max_length=40, blank=True)
    meeting = models.ForeignKey(
        "Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="new_actions",
        verbose_name=_("bedacht in de bijeenkomst"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("actiepunt")
        verbose_name_plural = _("actiepunten")
        ordering = ["layer_code", models.F("due_date").asc(nulls_last=True), "created_at", "id"]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.due_date is not None and self.due_date < today


class ActionStep(models.Model):
    """ "Welke stappen zijn er?" — ordered, each can be ticked off."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("stap"), max_length=MAX_TITLE)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class LiveMeetingManager(models.Manager):
    """Meetings that are not in the trash: what every page, export and count works with."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Meeting(SoftDeletable, Versioned, models.Model):
    """A werkgroep meeting (the Bijlage 7 header: date, time, location, chair, timekeeper, note taker).

    A deleted meeting stays RESTORE_DAYS days in the trash (``deleted_at``), like goals and actions: ``objects``
    leaves it out everywhere, ``all_objects`` (the trash, restoring, purging) sees it."""

    school = models.ForeignKey("organisations.School", on_delete=models.CASCADE, related_name="plan_meetings")
    date = models.DateField(_("datum"))
    start_time = models.TimeField(_("begintijd"), null=True, blank=True)
    end_time = models.TimeField(_("eindtijd"), null=True, blank=True)
    location = models.CharField(_("locatie"), max_length=200, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("voorzitter"),
    )
    timekeeper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tijdbewaker"),
    )
    note_taker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("notulist"),
    )
    minutes = models.TextField(_("notulen"), blank=True, max_length=MAX_MINUTES)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    objects = LiveMeetingManager()
    all_objects = PlanItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("bijeenkomst werkgroep")
        verbose_name_plural = _("bijeenkomsten werkgroep")
        ordering = ["-date", "-start_time", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_time__isnull=True)
                | models.Q(end_time__isnull=True)
                | models.Q(end_time__gt=models.F("start_time")),
                name="meeting_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.date:%d-%m-%Y}"


class ActionUpdate(models.Model):
    """A dated note on an action ("Notities/updates"), newest first."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="updates")
    text = models.TextField(_("update"), max_length=MAX_TEXT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.text[:40]


class PlanChange(models.Model):
    """One change to a goal or an action, for the item's history (who, when, what changed)."""

    school = models.ForeignKey("organisations.School", on_delete=models.CASCADE, related_name="+")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, null=True, blank=True, related_name="changes")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, null=True, blank=True, related_name="changes")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=24)
    changes = models.JSONField(default=dict, blank=True)  # {field: [before, after]} as display strings
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"
