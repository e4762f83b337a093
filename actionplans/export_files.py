"""The action plan's Word and Excel exports as files the background worker makes (core/generated.py): their content
version and their builders; and the version of a round's follow-up (the goals and actions in its PDF report).

``plan_version`` is everything the plan's exports show, in six cheap queries: the school's name and the day (late
actions, the last and next meeting, "Datum export"), the live goals, actions and meetings (count, the sum of their
``version``, latest ``updated_at``, highest id: an edit, a deletion or a restore changes one of them), the steps
(count, ticked, latest tick), the updates (count, newest) and the names of everyone the plan names (owners,
monitors, update authors, chair, timekeeper, note taker): a rename or an erased account makes a new file.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.generated import GeneratedFileSpec, file_builder, forget
from core.wordprocessing import DOCX_TYPE
from organisations.models import School

from .models import Action, ActionStep, ActionUpdate, Goal, Meeting

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PLAN_KINDS = ("plan.docx", "plan.xlsx")


def _items(queryset) -> dict:
    """Count, the sum of the versions, the latest save and the highest id of goals, actions or meetings."""
    return queryset.aggregate(n=Count("id"), versions=Sum("version"), last=Max("updated_at"), top=Max("id"))


def _people(*id_querysets) -> list:
    """(id, name, email) of the people these querysets of user ids name: what an export prints as their name."""
    condition = Q()
    for ids in id_querysets:
        condition |= Q(pk__in=ids)
    return list(get_user_model().objects.filter(condition).order_by("pk").values_list("pk", "name", "email"))


def plan_version(school, today: datetime.date) -> list:
    goals = Goal.objects.alive().filter(school=school)
    actions = Action.objects.alive().filter(school=school)
    meetings = Meeting.objects.filter(school=school)
    steps = ActionStep.objects.filter(action__in=actions).aggregate(
        n=Count("id"), done=Count("done_at"), last=Max("done_at"), top=Max("id")
    )
    updates = ActionUpdate.objects.filter(action__in=actions).aggregate(n=Count("id"), top=Max("id"))
    people = _people(
        actions.values("owner"),
        goals.values("monitored_by"),
        ActionUpdate.objects.filter(action__in=actions).values("author"),
        meetings.values("chair"),
        meetings.values("timekeeper"),
        meetings.values("note_taker"),
    )
    return [school.name, today, _items(goals), _items(actions), _items(meetings), steps, updates, people]


def followup_version(round_) -> list:
    """The goals that came from a round's priorities and their live actions, as its PDF report shows them
    (overview.round_followup): three queries."""
    goals = Goal.objects.alive().filter(source_round=round_)
    actions = Action.objects.alive().filter(school_id=round_.school_id, goal__in=goals)
    people = _people(actions.values("owner"), ActionUpdate.objects.filter(action__in=actions).values("author"))
    return [_items(goals), _items(actions), people]


def _filename(school, today: datetime.date, extension: str) -> str:
    slug = slugify(school.name)[:80].strip("-") or f"school-{school.pk}"  # ASCII: accents dropped
    return f"actieplan-{slug}-{today:%Y-%m-%d}.{extension}"


def _plan(school_id: int, today: str):
    from .overview import plan_overview

    school = School.objects.get(pk=school_id)
    return school, plan_overview(school, today=datetime.date.fromisoformat(today))


@file_builder
def plan_docx_file(*, school_id: int, today: str) -> bytes:
    """The plan in the handbook's form (Bijlage 7) as a Word document."""
    from . import exports

    school, overview = _plan(school_id, today)
    return exports.plan_docx(school, overview)


@file_builder
def plan_xlsx_file(*, school_id: int, today: str) -> bytes:
    """Actions, goals and meetings as Excel tables."""
    from . import exports

    school, overview = _plan(school_id, today)
    return exports.plan_xlsx(school, overview)


def plan_spec(school, *, extension: str) -> GeneratedFileSpec:
    """The plan's Word (``docx``) or Excel (``xlsx``) file as of today; the same for everyone who may read the plan."""
    today = timezone.localdate()
    builder, content_type, label = {
        "docx": (plan_docx_file, DOCX_TYPE, _("Actieplan (Word)")),
        "xlsx": (plan_xlsx_file, XLSX_TYPE, _("Actieplan (Excel)")),
    }[extension]
    return GeneratedFileSpec(
        kind=f"plan.{extension}",
        object_id=school.pk,
        variant="",
        version=plan_version(school, today),
        builder=builder,
        params={"school_id": school.pk, "today": today.isoformat()},
        filename=_filename(school, today, extension),
        content_type=content_type,
        label=label,
        title=school.name,
        back_url=reverse("actionplans:plan", args=[school.pk]),
        back_label=_("Terug naar het actieplan"),
    )


def forget_plan_files(school) -> int:
    """The school's generated plan exports go (the school leaves)."""
    return forget(kinds=PLAN_KINDS, object_ids=[school.pk])
