"""Writes for the yearly team questionnaire. Views call these; each is atomic and audited.

``do_submit_survey`` is the only way answers reach the server: it adds them into a tally (the person's role group in
a ``by_group`` survey, else the one "alle" tally) and records THAT they took part (``Respondent``: a keyed hash, no
user), never what they answered. A submission writes no audit row (outcomes/models.py says why); ``survey.closed``
holds how many took part. There is no draft on the server (a draft would tie answers to a person): the browser
keeps it.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import record
from core import dates
from core.errors import ServiceError
from organisations import rolegroups
from organisations.models import Membership

from .content import DONT_KNOW, KNOWLEDGE_VALUES, SCALE_VALUES, load_content
from .models import (
    ALL_GROUP,
    MAX_OWN_ITEM_TEXT,
    MAX_OWN_ITEMS,
    MAX_RESPONDENTS_MINIMUM,
    MIN_RESPONDENTS,
    OwnGroup,
    OwnItem,
    Respondent,
    RoleGroup,
    Survey,
    SurveyKind,
    SurveyStatus,
    Tally,
    respondent_key,
)

SCHOOL_YEAR_RE = re.compile(r"^(20\d\d)-(20\d\d)$")
SCALE_ANSWERS = frozenset([*(str(v) for v in SCALE_VALUES), DONT_KNOW])
KNOWLEDGE_ANSWERS = frozenset(KNOWLEDGE_VALUES)
NULMETING_WEEKS_BEFORE = 2  # the proposed date of the nulmeting: two weeks before the team training starts


def school_year_of(day: date) -> str:
    """The school year a day falls in, as a survey stores it ("2026-2027")."""
    return dates.school_year_label(dates.school_year_of(day))


def proposed_nulmeting_date(school) -> date | None:
    """Two weeks before the team training the route plans (trajectory.Trajectory.training_start), if there is one."""
    from trajectory.models import Trajectory

    start = Trajectory.objects.filter(school=school).values_list("training_start", flat=True).first()
    return start - timedelta(weeks=NULMETING_WEEKS_BEFORE) if start else None


def role_group(membership: Membership) -> str:
    """schoolleiding > kartrekker/werkgroep > trainer (intern/extern) > team: the first that matches (the one mapping,
    organisations.rolegroups)."""
    return rolegroups.role_group(membership)


def groups_big_enough(school, minimum: int) -> bool:
    """True when every role group with members at the school has at least ``minimum`` members (one query): only
    then may a survey count per role group (outcomes/models.py)."""
    sizes: dict[str, int] = {}
    for membership in Membership.objects.filter(school=school):
        group = role_group(membership)
        sizes[group] = sizes.get(group, 0) + 1
    return bool(sizes) and all(n >= minimum for n in sizes.values())


def _merge_into_one_tally(survey: Survey) -> None:
    """The group rule no longer holds (someone joined an empty group, a group shrank): merge the group tallies into
    one "alle" tally and count per group no more. The survey row is locked by the caller."""
    tallies = list(Tally.objects.select_for_update().filter(survey=survey))
    merged = Tally(survey=survey, group=ALL_GROUP)
    for tally in tallies:
        merged.n_respondents += tally.n_respondents
        for key, per_item in tally.counts.items():
            into = merged.counts.setdefault(key, {})
            for value, count in per_item.items():
                into[value] = into.get(value, 0) + count
    Tally.objects.filter(survey=survey).delete()
    merged.save()
    survey.by_group = False
    survey.save(update_fields=["by_group"])


def _snapshot(school) -> dict:
    """The items a survey asks, frozen at opening: the content file's groups plus the school's active own items."""
    content = load_content()
    own = list(OwnItem.objects.filter(school=school, retired_at__isnull=True).order_by("created_at", "id"))
    groups = []
    for group in content.groups:
        aspects: list[dict] = [
            {
                "code": a.code,
                "name": a.name,
                "accents": list(a.accents or group.accents),
                "items": [{"key": i.code, "text": i.text} for i in a.items],
            }
            for a in group.aspects
        ]
        aspects += [
            {"code": o.key, "name": o.text, "accents": [], "own": True, "items": [{"key": o.key, "text": o.text}]}
            for o in own
            if o.group == group.code
        ]
        groups.append(
            {
                "code": group.code,
                "kind": group.kind,
                "heading": group.heading,
                "intro": group.intro,
                "citation": group.citation,
                "aspects": aspects,
            }
        )
    return {"version": content.version, "groups": groups}


def _clean_text(text: str, *, limit: int, empty_message: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ServiceError(empty_message)
    if len(text) > limit:
        raise ServiceError(_("Gebruik maximaal %(n)d tekens.") % {"n": limit})
    if "<" in text or ">" in text:
        raise ServiceError(_("Gebruik geen < of > in de tekst."))
    return text


# Opening and closing -----------------------------------------------------------------------------------


@transaction.atomic
def do_open_survey(
    *, school, kind: str, school_year: str, min_respondents: int = MIN_RESPONDENTS, planned_on=None, acting_user
) -> Survey:
    """Open a questionnaire: its items are frozen now, and the empty tallies are made: one per role group when every
    group with members has at least the minimum (``by_group``), else one for everyone."""
    if kind not in SurveyKind.values:
        raise ServiceError(_("Kies een soort meting: nulmeting of jaarlijkse meting."))
    match = SCHOOL_YEAR_RE.match(school_year or "")
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        raise ServiceError(_("Schrijf het schooljaar als ‘2026-2027’."))
    if not isinstance(min_respondents, int) or min_respondents < MIN_RESPONDENTS:
        raise ServiceError(
            _("Het minimum aantal deelnemers is %(n)d of meer: minder kan niet, dan zijn antwoorden te herleiden.")
            % {"n": MIN_RESPONDENTS}
        )
    if min_respondents > MAX_RESPONDENTS_MINIMUM:
        raise ServiceError(_("Kies een minimum van hoogstens %(n)d deelnemers.") % {"n": MAX_RESPONDENTS_MINIMUM})
    if kind == SurveyKind.NULMETING and Survey.objects.filter(school=school, kind=SurveyKind.NULMETING).exists():
        raise ServiceError(_("De school heeft al een nulmeting. Kies een jaarlijkse meting."))
    label = _("Nulmeting") if kind == SurveyKind.NULMETING else _("Meting")
    title = f"{label} {school_year}"
    if Survey.objects.filter(school=school, title=title).exists():
        raise ServiceError(_("Er is al een vragenlijst ‘%(t)s’. Kies een ander schooljaar.") % {"t": title})
    content = load_content()
    by_group = groups_big_enough(school, min_respondents)
    try:
        with transaction.atomic():  # two organisers opening the same one at once: one wins, the other is told
            survey = Survey.objects.create(
                school=school,
                title=title,
                kind=kind,
                school_year=school_year,
                planned_on=planned_on,
                min_respondents=min_respondents,
                by_group=by_group,
                content_version=content.version,
                items=_snapshot(school),
                created_by=acting_user,
            )
    except IntegrityError:
        raise ServiceError(_("Er is al een vragenlijst ‘%(t)s’. Kies een ander schooljaar.") % {"t": title}) from None
    groups = RoleGroup.values if by_group else [ALL_GROUP]
    Tally.objects.bulk_create([Tally(survey=survey, group=g) for g in groups])
    record(
        action="survey.opened",
        acting_user=acting_user,
        school=school,
        target=survey,
        data={"kind": kind, "min_respondents": min_respondents, "by_group": by_group},
    )
    return survey


@transaction.atomic
def do_close_survey(*, survey: Survey, acting_user) -> Survey:
    """Close for good: from now on the results show (where the minimum holds) and nothing more is accepted."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.is_closed:
        raise ServiceError(_("Deze vragenlijst is al gesloten."))
    if survey.by_group and not groups_big_enough(survey.school, survey.min_respondents):
        _merge_into_one_tally(survey)  # a group shrank since the last submission
    survey.status = SurveyStatus.CLOSED
    survey.closed_at = timezone.now()
    survey.save(update_fields=["status", "closed_at"])
    n = sum(Tally.objects.filter(survey=survey).values_list("n_respondents", flat=True))
    record(action="survey.closed", acting_user=acting_user, school=survey.school, target=survey, data={"taken_part": n})
    return survey


# Submitting --------------------------------------------------------------------------------------------


def validate_answers(survey: Survey, answers: dict) -> dict[str, str]:
    """{item key: answer} with only known keys and allowed answers; empty answers left out. ServiceError else."""
    kinds = survey.item_keys()
    clean = {}
    for key, value in answers.items():
        value = "" if value is None else str(value)
        if key not in kinds:
            raise ServiceError(_("Deze vraag hoort niet bij deze vragenlijst."))
        if value == "":
            continue
        allowed = SCALE_ANSWERS if kinds[key] == "scale" else KNOWLEDGE_ANSWERS
        if value not in allowed:
            raise ServiceError(
                _("Kies een getal van 1 tot en met 5 of ‘weet ik niet / n.v.t.’.")
                if kinds[key] == "scale"
                else _("Kies ‘nog niet’, ‘ken ik’ of ‘ken ik en pas ik toe’.")
            )
        clean[key] = value
    if not clean:
        raise ServiceError(_("Beantwoord minstens één vraag."))
    return clean


@transaction.atomic
def do_submit_survey(*, survey: Survey, user, answers: dict, acting_user) -> None:
    """Add one person's answers to a tally and note (as a keyed hash) that they took part.

    The tally is the person's role group's in a ``by_group`` survey (after checking that every group still has the
    minimum of members; if not, the tallies are merged into one first), else the one "alle" tally. Nothing ties the
    two together: the Respondent row has no user, time or group, the tally has no person, and no audit row is
    written. A second submission, a closed survey or someone outside the school is refused with a Dutch message and
    nothing is stored.
    """
    survey = Survey.objects.select_for_update().get(pk=survey.pk)  # closing and submitting: one at a time
    if not survey.is_open:
        raise ServiceError(_("Deze vragenlijst is gesloten: invullen kan niet meer."))
    membership = Membership.objects.filter(school_id=survey.school_id, user=user).first()
    if membership is None:
        raise ServiceError(_("Alleen leden van de school vullen deze vragenlijst in."))
    clean = validate_answers(survey, answers)
    respondent = respondent_key(survey.pk, user.pk)
    if Respondent.objects.filter(survey=survey, key=respondent).exists():
        raise ServiceError(_("Je hebt deze vragenlijst al ingevuld. Je kunt hem maar één keer invullen."))
    if survey.by_group and not groups_big_enough(survey.school, survey.min_respondents):
        _merge_into_one_tally(survey)
    group = role_group(membership) if survey.by_group else ALL_GROUP
    tally = Tally.objects.select_for_update().get(survey=survey, group=group)
    counts = dict(tally.counts)
    for key, value in clean.items():
        per_item = dict(counts.get(key, {}))
        per_item[value] = per_item.get(value, 0) + 1
        counts[key] = per_item
    tally.counts = counts
    tally.n_respondents += 1
    try:
        with transaction.atomic():
            Respondent.objects.create(survey=survey, key=respondent)
    except IntegrityError:
        raise ServiceError(_("Je hebt deze vragenlijst al ingevuld. Je kunt hem maar één keer invullen.")) from None
    tally.save(update_fields=["counts", "n_respondents"])
    # No audit row: see outcomes/models.py (an append-only "who, when" would be the link this app avoids).


# The school's own questions ----------------------------------------------------------------------------


@transaction.atomic
def do_add_own_item(*, school, text: str, group: str, acting_user) -> OwnItem:
    """A question of the school's own, asked from the next survey on (open surveys keep their snapshot)."""
    if group not in OwnGroup.values:
        raise ServiceError(_("Kies bij welk onderdeel de vraag hoort."))
    text = _clean_text(text, limit=MAX_OWN_ITEM_TEXT, empty_message=_("Schrijf de vraag op."))
    if OwnItem.objects.filter(school=school, retired_at__isnull=True).count() >= MAX_OWN_ITEMS:
        raise ServiceError(
            _("De vragenlijst heeft al %(n)d eigen vragen; trek er eerst een in, zodat hij kort blijft.")
            % {"n": MAX_OWN_ITEMS}
        )
    if OwnItem.objects.filter(school=school, text=text, retired_at__isnull=True).exists():
        raise ServiceError(_("Deze vraag staat al in de lijst."))
    item = OwnItem.objects.create(school=school, text=text, group=group, created_by=acting_user)
    record(action="survey.item_added", acting_user=acting_user, school=school, target=item)
    return item


@transaction.atomic
def do_retire_own_item(*, item: OwnItem, acting_user) -> OwnItem:
    """Take a question off the list for future surveys; surveys already opened keep it (their snapshot)."""
    item = OwnItem.objects.select_for_update().get(pk=item.pk)
    if item.retired_at is not None:
        raise ServiceError(_("Deze vraag is al ingetrokken."))
    item.retired_at = timezone.now()
    item.save(update_fields=["retired_at"])
    record(action="survey.item_retired", acting_user=acting_user, school=item.school, target=item)
    return item
