"""Verkennende en praktische voorgesprekken (handbook ch. 3, Bijlage 1).

A school can have several conversations: the verkennend voorgesprek, the praktisch voorgesprek two
months before the team training, and follow-ups after a Twijfel. A conversation may span several
meetings (``ConversationDate``), has participants (members of the school), notes per agenda question
(``Note``, one row per question so two note takers on different questions never collide; each row has
its own optimistic ``version``), and ends in a decision (Go, Twijfel or still open) with agreements.
The agenda itself is content (``content/voorgesprek-2023.json``); only question codes are stored.

No pupil data: the notes are about the school and the team, never about individual pupils.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Versioned

MAX_NOTE = 5000
MAX_SHORT = 200
MAX_AGREEMENT_TEXT = 1000
MAX_DATES = 10
MAX_AGREEMENTS = 50


class Kind(models.TextChoices):
    VERKENNEND = "verkennend", _("Verkennend voorgesprek")
    PRAKTISCH = "praktisch", _("Praktisch voorgesprek teamtraining")
    VERVOLG = "vervolg", _("Vervolggesprek na twijfel")


class Decision(models.TextChoices):
    OPEN = "open", _("Nog open")
    GO = "go", _("Go")
    TWIJFEL = "twijfel", _("Twijfel")


class Conversation(Versioned, models.Model):
    school = models.ForeignKey("organisations.School", on_delete=models.CASCADE, related_name="conversations")
    kind = models.CharField(_("soort gesprek"), max_length=20, choices=Kind.choices, default=Kind.VERKENNEND)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("deelnemers")
    )
    decision = models.CharField(_("besluit"), max_length=10, choices=Decision.choices, default=Decision.OPEN)
    follow_up_date = models.DateField(_("datum vervolgafspraak"), null=True, blank=True)
    small_steps = models.JSONField(_("kleine stappen"), default=list, blank=True)
    follows = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("vervolg op"),
        help_text=_("Het gesprek waarop dit een vervolg is (na een Twijfel)."),
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("voorgesprek")
        verbose_name_plural = _("voorgesprekken")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(decision="twijfel") | models.Q(follow_up_date__isnull=False),
                name="conversation_twijfel_has_follow_up",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.school})"


class ConversationDate(models.Model):
    """One meeting of a conversation (it may span several)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="dates")
    date = models.DateField(_("datum"))

    class Meta:
        ordering = ["date", "id"]
        constraints = [models.UniqueConstraint(fields=["conversation", "date"], name="unique_conversation_date")]

    def __str__(self):
        return f"{self.date:%d-%m-%Y}"


class Note(Versioned, models.Model):
    """What was said about one agenda question."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="notes")
    question_code = models.CharField(max_length=40)
    text = models.TextField(_("aantekeningen"), blank=True, max_length=MAX_NOTE)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "question_code"], name="unique_note")]

    def __str__(self):
        return self.question_code


class Agreement(Versioned, models.Model):
    """An agreement: who does what, by when, what support is needed, what feedback follows (Bijlage 1)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="agreements")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    owner_text = models.CharField(_("wie (naam of groep)"), max_length=MAX_SHORT, blank=True)
    what = models.TextField(_("wat"), max_length=MAX_AGREEMENT_TEXT)
    due_date = models.DateField(_("wanneer"), null=True, blank=True)
    support = models.TextField(_("ondersteuning"), blank=True, max_length=MAX_AGREEMENT_TEXT)
    feedback = models.TextField(_("terugkoppeling"), blank=True, max_length=MAX_AGREEMENT_TEXT)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")
        ordering = [models.F("due_date").asc(nulls_last=True), "id"]

    def __str__(self):
        return self.what[:50]

    @property
    def who(self) -> str:
        owner = self.owner  # None without a query when there is no owner_id
        if owner is not None and self.owner_text:
            return f"{owner.display_name} ({self.owner_text})"
        return owner.display_name if owner is not None else self.owner_text
