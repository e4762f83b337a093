"""Opbrengsten: the yearly team questionnaire on competence, class climate and wellbeing (issue 13, part 3).

Who took part is stored apart from the answers, with no link between them, not even in the database:

- ``Survey``: one questionnaire of a school (a nulmeting before the team training, then one per school year). At
  opening it takes a snapshot of its items (the content file's and the school's own), so later edits never change
  it. ``min_respondents`` is at least 5 (a check constraint and the form); a school may raise it, never lower it.
- ``Respondent``: (survey, key) and nothing else, unique: THAT someone took part, to refuse a second submission.
  ``key`` is ``respondent_key(survey_id, user_id)``, an HMAC-SHA256 of "<survey id>:<user id>" under a key derived
  from ``settings.SECRET_KEY`` and a fixed purpose string; no foreign key to the user, no timestamp, no role, no
  link to any answer. The server recomputes the key for the person in front of it ("have I filled this in?",
  Mijn gegevens); a database dump, a backup or the admin alone cannot turn a key back into a person, and no
  column in any outcomes table holds a user id, name or address. The limit, honestly: whoever holds SECRET_KEY
  (the server operator) can recompute the key of every member of the school and so learn WHO took part (never
  what they answered: the tallies hold no person). Rotating SECRET_KEY makes every earlier key unrecognisable, so
  people of a survey still open could answer it once more; accepted (a rotation is rare and mid-survey rarer).
- ``Tally``: the counted answers, made when the survey opens: how many took part and, per item, how often each
  answer was given. A submission adds its answers to one tally and is gone; there are no per-person answer rows on
  the server (``do_submit_survey``). Drafts stay in the person's browser only (static/js/survey-draft.js).
  Which tallies (``Survey.by_group``, decided at opening): ONE per role group only when every role group with
  members at the school has at least ``min_respondents`` members (organisations.rolegroups); otherwise ONE tally
  for everyone (group "alle") and that survey never shows a breakdown. Otherwise a group of one (the only
  schoolleider) would have a tally that IS that person's answers, readable in the database by anyone who knows
  the school's memberships. Every submission and the closing check the rule again against the memberships of that
  moment (someone joined an empty group, a group shrank): when it no longer holds, the group tallies are merged
  into one "alle" tally for good (``by_group`` becomes False). What remains: in a per-group survey a group's tally
  can hold the answers of fewer people than the minimum (only 2 of its 6 members answered); the database does not
  say WHICH of the group's members they are (the respondent keys are keyed hashes), and the pages never show it
  (rule 3).
- No audit row per submission: an append-only row with its time (and, before, its actor) would be a permanent
  record of who took part when, which could be matched with other rows of that person. ``survey.closed`` holds how
  many took part; that is all the log says about participation.
- ``OwnItem``: the school's own questions, retired, never deleted (like leadership.ExtraItem).

Anonymity rules (outcomes/results.py applies them; tests/outcomes/test_anonymity_outcomes.py tests each):
1. Results only after the survey is CLOSED: no live results, so two views never differ by one person. A closed
   survey never reopens and accepts nothing more.
2. Aggregates only when the survey's respondents number at least ``min_respondents`` (5 or more).
3. Per role group only in a ``by_group`` survey and only when EVERY role group with respondents has at least the
   minimum; otherwise no breakdown at all (showing some groups would let "total minus shown" reveal a small group).
4. The organisers see how many took part, never who answered what.
5. The board sees the aggregates of its schools, each school only where its minimum holds, and a board total built
   ONLY from the schools shown (so "board total minus the shown schools" reveals nothing).
"""

import hashlib
import hmac

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
ALL_GROUP = "alle"  # the one tally of a survey without a breakdown per role group
TALLY_GROUPS = [*RoleGroup.choices, (ALL_GROUP, _("Alle deelnemers"))]
RESPONDENT_KEY_PURPOSE = b"groeiwijzer:outcomes:respondent:"


def _respondent_secret() -> bytes:
    """The HMAC key of ``respondent_key``: derived from SECRET_KEY for this one purpose only."""
    return hashlib.sha256(RESPONDENT_KEY_PURPOSE + settings.SECRET_KEY.encode()).digest()


def respondent_key(survey_id: int, user_id: int) -> str:
    """The ``Respondent.key`` of this person in this survey: HMAC-SHA256 of "<survey id>:<user id>", 64 hex digits.
    Only someone holding SECRET_KEY can compute it; the database holds no user id to compare it with."""
    return _digest(_respondent_secret(), survey_id, user_id)


def respondent_keys(survey_ids, user_id: int) -> dict[str, int]:
    """{key: survey id} of one person over these surveys (to find the surveys they took part in)."""
    secret = _respondent_secret()
    return {_digest(secret, sid, user_id): sid for sid in survey_ids}


def _digest(secret: bytes, survey_id: int, user_id: int) -> str:
    return hmac.new(secret, f"{survey_id}:{user_id}".encode(), hashlib.sha256).hexdigest()


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
    # one tally per role group (True) or one for everyone (False): decided at opening, only ever turned off
    by_group = models.BooleanField(_("per rolgroep geteld"), default=False)
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
    """That someone took part: a keyed hash of (survey, person), nothing else (no user, time, role group or answer)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="respondents")
    key = models.CharField(max_length=64)  # respondent_key(survey_id, user_id)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "key"], name="unique_survey_respondent")]

    def __str__(self):
        return f"{self.survey} · {self.pk}"


class Tally(models.Model):
    """The counted answers of one role group (or of everyone: "alle") in one survey: {item key: {answer: count}}.
    No person in it."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="tallies")
    group = models.CharField(max_length=24, choices=TALLY_GROUPS)
    n_respondents = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "group"], name="unique_survey_tally")]

    def __str__(self):
        return f"{self.survey} · {self.group}"
