"""The team training plan (handbook ch. 4, Tabel 4.1; Bijlage 12).

A school has one plan per school year with its sessions (introductiepresentatie, modules,
werkmomenten, filling in the Ontwikkelmodel, the werkgroep presenting its plan), training groups
(at most 20 people with two trainers, Bijlage 1), attendance per person per session, and for
werkmomenten the reflection questions sent to the team and topics people sign up for.
No pupil data; staff data is the attendance mark only.

One date per milestone: the sessions here are the source of truth for the route's matching steps (introduction,
the modules, filling in the Ontwikkelmodel, the werkgroep's presentation); the route takes their dates
(trajectory/training_dates.py) after every change (the event training.sessions_changed).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import school_year_label
from core.models import Versioned

MIN_SCHOOL_YEAR, MAX_SCHOOL_YEAR = 2000, 2099
MAX_NAME = 200
MAX_TOPIC = 300


class TrainingPlan(models.Model):
    school = models.ForeignKey("organisations.School", on_delete=models.CASCADE, related_name="training_plans")
    school_year = models.PositiveSmallIntegerField(
        _("schooljaar (beginjaar)"),
        validators=[MinValueValidator(MIN_SCHOOL_YEAR), MaxValueValidator(MAX_SCHOOL_YEAR)],
    )
    content_version = models.CharField(max_length=20)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("trainingsplan")
        verbose_name_plural = _("trainingsplannen")
        ordering = ["-school_year"]
        constraints = [models.UniqueConstraint(fields=["school", "school_year"], name="unique_training_plan_year")]

    def __str__(self):
        return f"{self.school} {self.school_year_label}"

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year)


class TrainingGroup(Versioned, models.Model):
    school = models.ForeignKey("organisations.School", on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("naam"), max_length=MAX_NAME)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    trainers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)

    class Meta:
        verbose_name = _("trainingsgroep")
        verbose_name_plural = _("trainingsgroepen")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class AttendanceStatus(models.TextChoices):
    PRESENT = "aanwezig", _("Aanwezig")
    ABSENT = "afwezig", _("Afwezig")
    EXCUSED = "afgemeld", _("Afgemeld")


MISSED_STATUSES = (AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED)


class TrainingSession(Versioned, models.Model):
    school = models.ForeignKey("organisations.School", on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("soort"), max_length=20)  # a session code of the content file, or "overig"
    title = models.CharField(_("titel"), max_length=MAX_NAME)
    date = models.DateField(_("datum"))
    start_time = models.TimeField(_("begintijd"), null=True, blank=True)
    end_time = models.TimeField(_("eindtijd"), null=True, blank=True)
    location = models.CharField(_("locatie"), max_length=MAX_NAME, blank=True)
    group = models.ForeignKey(
        TrainingGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("trainingsgroep"),
    )
    trainers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    reflection_sent_at = models.DateTimeField(null=True, blank=True)
    reflection_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reflection_sent_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("trainingssessie")
        verbose_name_plural = _("trainingssessies")
        ordering = ["date", "start_time", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_time__isnull=True)
                | models.Q(end_time__isnull=True)
                | models.Q(end_time__gt=models.F("start_time")),
                name="training_session_end_after_start",
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.date})"

    @property
    def content_kind(self):
        from .content import load_content

        return load_content().kind(self.kind)

    @property
    def is_werkmoment(self) -> bool:
        kind = self.content_kind
        return kind is not None and kind.werkmoment

    @property
    def is_module(self) -> bool:
        kind = self.content_kind
        return kind is not None and kind.module


class Attendance(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("aanwezigheid"), max_length=10, choices=AttendanceStatus.choices)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("aanwezigheid")
        verbose_name_plural = _("aanwezigheid")
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="unique_attendance")]

    def __str__(self):
        return f"{self.user} @ {self.session}: {self.status}"


class Topic(models.Model):
    """A topic for a werkmoment people can sign up for (Bijlage 12)."""

    school = models.ForeignKey("organisations.School", on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(_("onderwerp"), max_length=MAX_TOPIC)
    signups = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("onderwerp werkmoment")
        verbose_name_plural = _("onderwerpen werkmoment")
        ordering = ["id"]

    def __str__(self):
        return self.title


# Training for new staff across schools (handbook 4.3.4, issue 14) ------------------------------------------------
# "Als er meerdere scholen binnen het bestuur werken met TSO en de groep nieuwe medewerkers per school is beperkt,
# dan is het mogelijk handig om dit samen, school overstijgend, te organiseren." A board plans one training for
# several of its schools; the participants are memberships, so every mark belongs to the person's own school and
# counts there (training/overview.py: "nog te trainen"). Only the board's planner and the session's trainers see
# participants of more than one school; a school sees its own people only.


class BoardTraining(Versioned, models.Model):
    board = models.ForeignKey("organisations.Board", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("titel"), max_length=MAX_NAME)
    school_year = models.PositiveSmallIntegerField(
        _("schooljaar (beginjaar)"),
        validators=[MinValueValidator(MIN_SCHOOL_YEAR), MaxValueValidator(MAX_SCHOOL_YEAR)],
    )
    schools = models.ManyToManyField("organisations.School", related_name="+", verbose_name=_("scholen"))
    content_version = models.CharField(max_length=20)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("training nieuwe medewerkers (bestuur)")
        verbose_name_plural = _("trainingen nieuwe medewerkers (bestuur)")
        ordering = ["-school_year", "title", "id"]

    def __str__(self):
        return f"{self.title} {self.school_year_label}"

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year)


class BoardTrainingGroup(models.Model):
    training = models.ForeignKey(BoardTraining, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("naam"), max_length=MAX_NAME)

    class Meta:
        verbose_name = _("groep (training nieuwe medewerkers)")
        verbose_name_plural = _("groepen (training nieuwe medewerkers)")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class BoardTrainingParticipant(models.Model):
    """A new staff member of one of the training's schools, in one of its groups."""

    training = models.ForeignKey(BoardTraining, on_delete=models.CASCADE, related_name="participants")
    group = models.ForeignKey(BoardTrainingGroup, on_delete=models.CASCADE, related_name="participants")
    membership = models.ForeignKey("organisations.Membership", on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("deelnemer (training nieuwe medewerkers)")
        verbose_name_plural = _("deelnemers (training nieuwe medewerkers)")
        constraints = [
            models.UniqueConstraint(fields=["training", "membership"], name="unique_board_training_participant")
        ]

    def __str__(self):
        return f"{self.membership} @ {self.training}"


class BoardTrainingSession(Versioned, models.Model):
    training = models.ForeignKey(BoardTraining, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("soort"), max_length=20)  # a session code of the content file, or "overig"
    title = models.CharField(_("titel"), max_length=MAX_NAME)
    date = models.DateField(_("datum"))
    start_time = models.TimeField(_("begintijd"), null=True, blank=True)
    end_time = models.TimeField(_("eindtijd"), null=True, blank=True)
    location = models.CharField(_("locatie"), max_length=MAX_NAME, blank=True)
    group = models.ForeignKey(
        BoardTrainingGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("groep"),
    )  # None: every participant of the training
    trainers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)

    class Meta:
        verbose_name = _("sessie (training nieuwe medewerkers)")
        verbose_name_plural = _("sessies (training nieuwe medewerkers)")
        ordering = ["date", "start_time", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_time__isnull=True)
                | models.Q(end_time__isnull=True)
                | models.Q(end_time__gt=models.F("start_time")),
                name="board_training_session_end_after_start",
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.date})"

    @property
    def content_kind(self):
        from .content import load_content

        return load_content().kind(self.kind)


class BoardAttendance(models.Model):
    session = models.ForeignKey(BoardTrainingSession, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(BoardTrainingParticipant, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(_("aanwezigheid"), max_length=10, choices=AttendanceStatus.choices)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("aanwezigheid (training nieuwe medewerkers)")
        verbose_name_plural = _("aanwezigheid (training nieuwe medewerkers)")
        constraints = [models.UniqueConstraint(fields=["session", "participant"], name="unique_board_attendance")]

    def __str__(self):
        return f"{self.participant} @ {self.session}: {self.status}"
