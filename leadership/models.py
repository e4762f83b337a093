"""The leadership checklist (handbook Bijlage 6): rounds, the school's own items, answers, the MT conversation.

- A ``ChecklistRound`` is one run of the checklist in a school (e.g. once per school year), so the MT
  can repeat it. Only the latest round can be filled in; older rounds stay readable.
- Items are the handbook's printed items (content file, by code) plus the school's ``ExtraItem`` rows.
  An extra item is retired, never deleted, so answers already given keep their text.
- An ``Answer`` belongs to one person and is shown to that person only (see organisations/access.py).
- ``ConversationNote`` holds the outcomes and agreements for one question of the conversation format,
  with an optimistic ``version`` so two MT members typing never overwrite each other silently.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Versioned

MAX_ROUND_TITLE = 100
MAX_ITEM_TEXT = 300
MAX_NOTE = 5000
MAX_EXTRA_ITEMS = 40
EXTRA_PREFIX = "eigen-"  # item key of an extra item: "eigen-<pk>"; handbook items use their content code


class ChecklistRound(models.Model):
    school = models.ForeignKey("organisations.School", on_delete=models.CASCADE, related_name="leadership_rounds")
    title = models.CharField(_("naam van de ronde"), max_length=MAX_ROUND_TITLE)
    content_version = models.CharField(max_length=20)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("ronde checklist leidinggevenden")
        verbose_name_plural = _("rondes checklist leidinggevenden")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["school", "title"], name="unique_leadership_round_title")]

    def __str__(self):
        return self.title


class ExtraItem(Versioned, models.Model):
    school = models.ForeignKey("organisations.School", on_delete=models.CASCADE, related_name="leadership_items")
    text = models.CharField(_("uitspraak"), max_length=MAX_ITEM_TEXT)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("eigen uitspraak checklist")
        verbose_name_plural = _("eigen uitspraken checklist")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text

    @property
    def key(self) -> str:
        return f"{EXTRA_PREFIX}{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.retired_at is None


class Answer(models.Model):
    round = models.ForeignKey(ChecklistRound, on_delete=models.CASCADE, related_name="answers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item_key = models.CharField(max_length=20)
    extra_item = models.ForeignKey(ExtraItem, on_delete=models.PROTECT, null=True, blank=True, related_name="answers")
    value = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "user", "item_key"], name="unique_leadership_answer"),
            models.CheckConstraint(condition=models.Q(value__gte=1, value__lte=5), name="leadership_answer_1_to_5"),
        ]

    def __str__(self):
        return f"{self.round} · {self.item_key}"  # never the value: answers are private


class SaveMark(models.Model):
    """The last save of one person's checklist in a round: from which open page, and its number there
    (static/js/app.js numbers them). An older save from the same page that arrives late is ignored."""

    round = models.ForeignKey(ChecklistRound, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    page = models.CharField(max_length=32)
    seq = models.PositiveBigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="unique_leadership_save_mark")]

    def __str__(self):
        return f"{self.round} · {self.page}#{self.seq}"


class ConversationNote(Versioned, models.Model):
    round = models.ForeignKey(ChecklistRound, on_delete=models.CASCADE, related_name="notes")
    question_code = models.CharField(max_length=8)
    text = models.TextField(blank=True, max_length=MAX_NOTE)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "question_code"], name="unique_leadership_note"),
        ]

    def __str__(self):
        return f"{self.round} · {self.question_code}"
