"""Assessment rounds: individual preparation and the consensus (handbook Bijlage 5)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_TEXT = 2000  # characters per free-text answer
DONT_KNOW = 0  # stored phase value for "weet ik niet"
# Anonymous rounds show the distribution from this many submissions, and new ones join in batches of at least this
# many (services._show_new_submissions): that protects against differencing two views. It does not protect against
# collusion: two participants who tell each other their answers (or one person with two accounts) can subtract
# theirs from a batch of three and learn the third one's. A design limit, told on the round form.
MIN_ANONYMOUS_GROUP = 3
PRIORITY_RANKS = (1, 2, 3, 4, 5)


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Invullen")
    CONSENSUS = "consensus", _("Consensusgesprek")
    CLOSED = "closed", _("Afgesloten")


class Round(models.Model):
    school = models.ForeignKey("organisations.School", on_delete=models.CASCADE, related_name="rounds")
    model_version = models.ForeignKey("ontwikkelmodel.ModelVersion", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("titel"), max_length=200)
    deadline = models.DateField(_("invullen vóór"), null=True, blank=True)
    meeting_date = models.DateField(_("datum consensusgesprek"), null=True, blank=True)
    anonymous = models.BooleanField(
        _("antwoorden anoniem tonen"),
        default=True,
        help_text=_("Anoniem: in het consensusgesprek zie je geen namen bij de antwoorden."),
    )
    status = models.CharField(_("status"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    # Whether participants see, while filling in, what the team agreed in the previous closed round. Off by default:
    # an earlier figure anchors a new judgement; the consensus meeting always shows it, as context for the talk.
    show_previous = models.BooleanField(_("vorige afspraken tonen bij het invullen"), default=False)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gespreksleider (trainer)"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Set by the first submission and never cleared (a withdrawal does not undo it).
    first_submitted_at = models.DateTimeField(_("eerste inzending op"), null=True, blank=True, editable=False)
    # Set once the round is anonymous and someone has put something into it (a saved answer or priority, a draft
    # counts, or a submission): from then on it stays anonymous for ever. The database refuses anonymous=False on such
    # a row (constraint round_anonymous_for_ever) and, on PostgreSQL, clearing or changing this field once set
    # (trigger assessments_round_lock_for_ever, migration 0007), whatever code tries.
    anonymity_locked_at = models.DateTimeField(_("anoniem vastgezet op"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("ronde")
        verbose_name_plural = _("rondes")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(anonymity_locked_at=None) | models.Q(anonymous=True),
                name="round_anonymous_for_ever",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def model(self):
        return self.model_version.model

    @property
    def is_open(self):
        return self.status == RoundStatus.OPEN

    @property
    def is_closed(self):
        return self.status == RoundStatus.CLOSED

    @property
    def anonymity_locked(self) -> bool:
        """Anonymous for ever: someone saved an answer or priority while (or before) the round was anonymous."""
        return self.anonymity_locked_at is not None


class Participant(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="participants")
    # PROTECT: deleting an account must not take its submissions out of a round's shown set (that would let two views
    # differ by one person). People leave through erasure (pages/privacy.py: a tombstone, the answers stay).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="participations")
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    # When this submission joined the set whose answers are shown (consensus start). In an anonymous round that set
    # is frozen: a shown submission is never withdrawn, edited or removed, and it only grows by whole batches of at
    # least MIN_ANONYMOUS_GROUP new submissions (services.do_start_consensus), so two views never differ by one person.
    shown_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The person's role group (organisations.rolegroups) at that moment, frozen with shown_at: the consensus view's
    # distribution per role group counts a shown submission in this group, so a later change of roles never moves
    # one person's answers from one group to another between two views (a difference of one).
    shown_role_group = models.CharField(max_length=24, blank=True, default="", editable=False)
    # The order of the saves of the priorities page: see Answer.save_page.
    priorities_save_page = models.CharField(max_length=32, blank=True, default="")
    priorities_save_seq = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="unique_participant")]

    def __str__(self):
        return f"{self.user} in {self.round}"

    @property
    def is_submitted(self):
        return self.submitted_at is not None


class Answer(models.Model):
    """One participant's view of one accent."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="answers")
    accent_code = models.CharField(max_length=8)
    phase = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(4)]
    )
    strengths = models.TextField(_("sterke punten"), blank=True, max_length=MAX_TEXT)
    goal = models.TextField(_("volgend ontwikkeldoel"), blank=True, max_length=MAX_TEXT)
    updated_at = models.DateTimeField(default=timezone.now)
    # Which open page saved this last, and its how-manieth save (static/js/app.js numbers them). A save from the
    # same page with a lower number was made earlier and arrived late (a slow autosave overtaken by "Opslaan en
    # verder"): it is ignored instead of putting back older text. Another page or device: the last save wins.
    save_page = models.CharField(max_length=32, blank=True, default="")
    save_seq = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "accent_code"], name="unique_answer"),
            models.CheckConstraint(condition=models.Q(phase__lte=4), name="answer_phase_range"),
        ]

    def __str__(self):
        return f"{self.accent_code}: {self.phase}"

    @property
    def dont_know(self):
        return self.phase == DONT_KNOW


class Priority(models.Model):
    """A participant's ranked choice: accent whose goal matters most (rank 1-5)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="priorities")
    rank = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    accent_code = models.CharField(max_length=8)

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "rank"], name="unique_priority_rank"),
            models.UniqueConstraint(fields=["participant", "accent_code"], name="unique_priority_accent"),
            models.CheckConstraint(condition=models.Q(rank__gte=1, rank__lte=5), name="priority_rank_range"),
        ]

    def __str__(self):
        return f"{self.rank}: {self.accent_code}"


class ConsensusItem(models.Model):
    """What the team agreed on for one accent in the consensus meeting."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="consensus_items")
    accent_code = models.CharField(max_length=8)
    phase = models.PositiveSmallIntegerField(
        _("gezamenlijke groeifase"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    # Phases that run through each other ("fase 2-3"): phase is the lower end, phase_to the upper one (handbook:
    # "het door elkaar heen lopen van groeifases ... geven inzicht in de prioriteiten"). None: one phase.
    phase_to = models.PositiveSmallIntegerField(
        _("tot en met groeifase"), null=True, blank=True, validators=[MinValueValidator(2), MaxValueValidator(4)]
    )
    differences = models.TextField(_("wat we verschillend zagen"), blank=True, max_length=MAX_TEXT)
    strengths = models.TextField(_("gedeelde sterke punten"), blank=True, max_length=MAX_TEXT)
    next_steps = models.TextField(_("volgende ontwikkelstap(pen)"), blank=True, max_length=MAX_TEXT)
    priority = models.PositiveSmallIntegerField(
        _("prioriteit"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "accent_code"], name="unique_consensus_item"),
            models.CheckConstraint(condition=models.Q(phase__gte=1, phase__lte=4), name="consensus_phase_range"),
            models.CheckConstraint(
                condition=models.Q(phase_to__isnull=True)
                | models.Q(phase__isnull=False, phase_to__gt=models.F("phase"), phase_to__lte=4),
                name="consensus_phase_to_above_phase",
            ),
            models.CheckConstraint(
                condition=models.Q(priority__gte=1, priority__lte=5), name="consensus_priority_range"
            ),
        ]

    def __str__(self):
        return f"{self.accent_code}: {self.phase_label}"

    @property
    def phase_label(self) -> str:
        """ "2", or "2-3" when phases run through each other; "" when none was agreed."""
        if self.phase is None:
            return ""
        return f"{self.phase}-{self.phase_to}" if self.phase_to else str(self.phase)
