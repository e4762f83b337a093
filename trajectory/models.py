"""A school's own implementation route (handbook chapters 2-6).

The school sets the (planned) start of the team training; every step of the handbook's phase tables gets its
dates from there (``trajectory.schedule``). The kartrekker and the schoolleiding assign owners, mark steps done
or not applicable with a note, and move dates; a moved date stays where it was put when the training start
changes later. Steps of the Borgen phase that come back every year get a next occurrence when one is finished.
Steps that the team training plan also dates (the introduction, the modules, filling in the Ontwikkelmodel, the
werkgroep's presentation) take the plan's session dates instead, never a second date of their own
(``trajectory.training_dates``).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Versioned

MAX_NOTE = 2000


class Trajectory(Versioned, models.Model):
    school = models.OneToOneField("organisations.School", on_delete=models.CASCADE, related_name="trajectory")
    training_start = models.DateField(_("start van de teamtraining (gepland)"))
    content_version = models.CharField(max_length=20)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("implementatietraject")
        verbose_name_plural = _("implementatietrajecten")

    def __str__(self):
        return f"{self.school} ({self.training_start:%Y-%m-%d})"


class StepStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "gedaan", _("Gedaan")
    NOT_APPLICABLE = "nvt", _("Niet van toepassing")


class Step(Versioned, models.Model):
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="steps")
    code = models.CharField(max_length=40)  # a step code of trajectory/content/traject-*.json
    occurrence = models.PositiveSmallIntegerField(default=1)  # yearly steps: 1, 2, 3 …
    start_date = models.DateField(_("gepland vanaf"))
    due_date = models.DateField(_("klaar uiterlijk"))
    dates_moved = models.BooleanField(default=False)  # set by hand: keep when the training start moves
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trajectory_steps",
        verbose_name=_("wie pakt dit op?"),
    )
    status = models.CharField(_("status"), max_length=8, choices=StepStatus.choices, default=StepStatus.OPEN)
    note = models.TextField(_("notitie"), blank=True, max_length=MAX_NOTE)
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("stap")
        verbose_name_plural = _("stappen")
        ordering = ["start_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "code", "occurrence"], name="unique_step_occurrence"),
            models.CheckConstraint(
                condition=models.Q(due_date__gte=models.F("start_date")), name="step_due_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.code} #{self.occurrence}"

    @property
    def is_open(self) -> bool:
        return self.status == StepStatus.OPEN

    def is_late(self, today) -> bool:
        return self.is_open and self.due_date < today
