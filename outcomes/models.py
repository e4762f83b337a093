"""Opbrengsten: the yearly team questionnaire on competence, class climate and wellbeing (issue 13, part 3).

Who took part is stored apart from the answers, with no link between them, not even in the database:

- ``Survey``: one questionnaire of a school (a nulmeting before the team training, then one per school year). At
  opening it takes a snapshot of its items (the content file's and the school's own), so later edits never change
  it. ``min_respondents`` is at least 5 (a check constraint and the form); a school may raise it, never lower it.
- ``Respondent``: (survey, user) and nothing else, unique: who took part, to refuse a second submission. No
  timestamp, no role, no link to any answer.
- ``Tally``: ONE row per (survey, role group), made when the survey opens: how many of that group took part and,
  per item, how often each answer was given. A submission adds its answers to the tally of the person's role
  group and is gone; there are no per-person answer rows on the server (``do_submit_survey``). Drafts stay in the
  person's browser only (static/js/survey-draft.js).
- ``OwnItem``: the school's own questions, retired, never deleted (like leadership.ExtraItem).

Anonymity rules (outcomes/results.py applies them; tests/outcomes/test_anonymity_outcomes.py tests each):
1. Results only after the survey is CLOSED: no live results, so two views never differ by one person. A closed
   survey never reopens and accepts nothing more.
2. Aggregates only when the survey's respondents number at least ``min_respondents`` (5 or more).
3. Per role group only when EVERY role group with respondents has at least the minimum; otherwise no breakdown at
   all (showing some groups would let "total minus shown" reveal a small group).
4. The organisers see how many took part, never who answered what.
5. The board sees the aggregates of its schools, each school only where its minimum holds, and a board total built
   ONLY from the schools shown (so "board total minus the shown schools" reveals nothing).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.rolegroups import RoleGroup  # the one mapping of a membership to its group (re-exported here)

MIN_RESPONDENTS = 5  # never lower: the floor of every aggregate
MAX_RESPONDENTS_MINIMUM = 500
MAX_TITLE = 100
MAX_OWN_ITEM_TEXT = 300
MAX_OWN_ITEMS = 10  # the questionnaire stays about 5 minutes
OWN_PREFIX = "eigen-"  # item key of an own item: "eigen-<pk>"


class SurveyKind(models.TextChoices):
    NULMETING = "nulmeting", _("Nulmeting (voor de teamtraining)")
    JAARLIJKS = "jaarlijks", _("Jaarlijkse meting")


class SurveyStatus(models.TextChoices):
    OPEN = "open", _("Open: invullen kan")
    CLOSED = "closed", _("Gesloten")


class OwnGroup(models.TextChoices):
    """The groups an own question may join (1-5 scale groups; the knowledge elements are the handbook's)."""

    COMPETENTIE = "competentie", _("Competentie")
    KLASKLIMAAT = "klasklimaat", _("Klasklimaat")
    WELZIJN = "welzijn", _("Werkbalans en welzijn")


class Survey(models.Model):
    school = models.ForeignKey("organisations.School", on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(_("naam"), max_length=MAX_TITLE)
    kind = models.CharField(_("soort meting"), max_length=12, choices=SurveyKind.choices)
    school_year = models.CharField(_("schooljaar"), max_length=9)  # "2026-2027"
    planned_on = models.DateField(_("gepland op"), null=True, blank=True)
    status = models.CharField(max_length=8, choices=SurveyStatus.choices, default=SurveyStatus.OPEN)
    min_respondents = models.PositiveSmallIntegerField(_("minimum aantal deelnemers"), default=MIN_RESPONDENTS)
    content_version = models.CharField(max_length=20)
    items = models.JSONField(default=dict)  # the snapshot at opening: groups, aspects, items (with the own items)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("vragenlijst opbrengsten")
        verbose_name_plural = _("vragenlijsten opbrengsten")
        ordering = ["school_year", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "title"], name="unique_survey_title"),
            models.CheckConstraint(
                condition=models.Q(min_respondents__gte=MIN_RESPONDENTS), name="survey_min_respondents_at_least_5"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == SurveyStatus.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == SurveyStatus.CLOSED

    def item_keys(self) -> dict[str, str]:
        """{item key: group kind ("scale" or "knowledge")} of the snapshot."""
        return {
            item["key"]: group["kind"]
            for group in self.items.get("groups", [])
            for aspect in group["aspects"]
            for item in aspect["items"]
        }


class OwnItem(models.Model):
    school = models.ForeignKey("organisations.School", on_delete=models.CASCADE, related_name="survey_items")
    text = models.CharField(_("vraag"), max_length=MAX_OWN_ITEM_TEXT)
    group = models.CharField(_("onderdeel"), max_length=20, choices=OwnGroup.choices)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("eigen vraag opbrengsten")
        verbose_name_plural = _("eigen vragen opbrengsten")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text

    @property
    def key(self) -> str:
        return f"{OWN_PREFIX}{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.retired_at is None


class Respondent(models.Model):
    """Who took part: nothing else (no time, no role group, no link to answers)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="respondents")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "user"], name="unique_survey_respondent")]

    def __str__(self):
        return f"{self.survey} · {self.pk}"


class Tally(models.Model):
    """The counted answers of one role group in one survey: {item key: {answer: count}}. No person in it."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="tallies")
    group = models.CharField(max_length=24, choices=RoleGroup.choices)
    n_respondents = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "group"], name="unique_survey_tally")]

    def __str__(self):
        return f"{self.survey} · {self.group}"
