"""Writes for a school's route. Views call these; each is atomic and writes an audit row.

Editing a step is optimistic (the form carries its ``version``): when someone else saved the step in between,
ConflictError is raised and nothing changes, so the view can show both versions.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.models import record
from core.dates import add_months
from core.errors import ServiceError
from core.fields import MAX_YEAR, MIN_YEAR
from core.versions import check_version
from organisations.models import Membership

from . import training_dates
from .content import load_route
from .models import Step, StepStatus, Trajectory
from .schedule import step_dates

START_MOVED = gettext_noop("Iemand anders heeft de startdatum intussen aangepast. Bekijk de nieuwe datum.")
STEP_SAVED = gettext_noop(
    "Iemand anders heeft deze stap intussen opgeslagen. Hieronder zie je die versie naast jouw invoer; "
    "jouw invoer staat nog in het formulier. Neem over wat je wilt houden en sla opnieuw op."
)


# The same window as the forms' date fields (core.fields): services refuse what a form would.
def _check_year(day: datetime.date, label: str) -> None:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ServiceError(
            _("%(label)s moet tussen %(a)d en %(b)d liggen.") % {"label": label, "a": MIN_YEAR, "b": MAX_YEAR}
        )


def _check_start(training_start: datetime.date) -> None:
    _check_year(training_start, _("De start van de teamtraining"))


@transaction.atomic
def do_start_trajectory(*, school, training_start: datetime.date, acting_user) -> Trajectory:
    """The school's route with every step of the handbook, dated from the start of the team training."""
    _check_start(training_start)
    if Trajectory.objects.select_for_update().filter(school=school).exists():
        raise ServiceError(_("Deze school heeft al een traject. Pas daar de start van de teamtraining aan."))
    route = load_route()
    trajectory = Trajectory.objects.create(
        school=school, training_start=training_start, content_version=route.version, created_by=acting_user
    )
    steps = []
    for content in route.steps:
        start, due = step_dates(training_start, content)
        steps.append(Step(trajectory=trajectory, code=content.code, start_date=start, due_date=due))
    Step.objects.bulk_create(steps)
    record(
        action="trajectory.started",
        acting_user=acting_user,
        school=school,
        target=trajectory,
        data={"training_start": training_start.isoformat(), "steps": len(steps)},
    )
    training_dates.sync_with_training(trajectory, acting_user=acting_user)  # one date per milestone
    return trajectory


@transaction.atomic
def do_move_training_start(
    *, trajectory: Trajectory, training_start: datetime.date, expected_version, acting_user
) -> Trajectory:
    """A new start date: open steps whose dates were not set by hand move along; finished and moved ones stay."""
    _check_start(training_start)
    trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    check_version(trajectory.version, expected_version, message=START_MOVED)
    if trajectory.training_start == training_start:
        return trajectory
    before = trajectory.training_start
    route = load_route()
    moving = list(trajectory.steps.filter(status=StepStatus.OPEN, dates_moved=False))
    for step in moving:
        content = route.step(step.code)
        if content is None:  # a step of an older content version: leave it where it is
            continue
        step.start_date, step.due_date = step_dates(training_start, content, step.occurrence)
        step.updated_at, step.updated_by = timezone.now(), acting_user
        step.version += 1
    Step.objects.bulk_update(moving, ["start_date", "due_date", "updated_at", "updated_by", "version"])
    trajectory.training_start = training_start
    trajectory.version += 1
    trajectory.updated_at = timezone.now()
    trajectory.save(update_fields=["training_start", "version", "updated_at"])
    record(
        action="trajectory.start_moved",
        acting_user=acting_user,
        school=trajectory.school,
        target=trajectory,
        data={"from": before.isoformat(), "to": training_start.isoformat(), "steps_moved": len(moving)},
    )
    training_dates.sync_with_training(trajectory, acting_user=acting_user)  # the plan's sessions keep their dates
    return trajectory


def _next_occurrence(step: Step, trajectory: Trajectory, acting_user) -> Step | None:
    """A yearly step that is finished comes back repeat_months later, once, in the rhythm the school keeps."""
    content = load_route().step(step.code)
    if content is None or not content.repeat_months:
        return None
    occurrence = step.occurrence + 1
    if Step.objects.filter(trajectory=trajectory, code=step.code, occurrence=occurrence).exists():
        return None
    return Step.objects.create(
        trajectory=trajectory,
        code=step.code,
        occurrence=occurrence,
        start_date=add_months(step.start_date, content.repeat_months),
        due_date=add_months(step.due_date, content.repeat_months),
        dates_moved=step.dates_moved,
        owner=step.owner,
        updated_by=acting_user,
    )


STEP_FIELDS = ("start_date", "due_date", "owner", "status", "note")


@transaction.atomic
def do_update_step(
    *, step: Step, start_date, due_date, owner, status, note: str, expected_version, acting_user
) -> Step:
    step = Step.objects.select_for_update().select_related("trajectory__school").get(pk=step.pk)
    trajectory = step.trajectory
    check_version(step.version, expected_version, message=STEP_SAVED)
    _check_year(start_date, _("De begindatum"))
    _check_year(due_date, _("De einddatum"))
    if due_date < start_date:
        raise ServiceError(_("De einddatum kan niet voor de begindatum liggen."))
    moves = (start_date, due_date) != (step.start_date, step.due_date) and step.occurrence == 1
    if moves and step.code in training_dates.dates_from_training(trajectory):
        raise ServiceError(
            _(
                "De datum van deze stap komt uit het trainingsplan, zodat route en trainingsplan dezelfde datum "
                "tonen. Wijzig de datum van de sessie in het trainingsplan; er is niets opgeslagen."
            )
        )
    if owner is not None and not Membership.objects.filter(school=trajectory.school, user=owner).exists():
        raise ServiceError(_("Wie dit oppakt moet iemand van deze school zijn."))
    status = StepStatus(status)
    note = note.strip()
    before = {f: getattr(step, f) for f in STEP_FIELDS}
    if (start_date, due_date) != (step.start_date, step.due_date):
        step.dates_moved = True
    step.start_date, step.due_date, step.owner, step.note = start_date, due_date, owner, note
    if status != step.status:
        step.finished_at, step.finished_by = (
            (None, None) if status == StepStatus.OPEN else (timezone.now(), acting_user)
        )
    step.status = status
    after = {f: getattr(step, f) for f in STEP_FIELDS}
    changed = sorted(f for f in STEP_FIELDS if before[f] != after[f])
    if not changed:
        return step
    step.version += 1
    step.updated_at, step.updated_by = timezone.now(), acting_user
    step.save()
    follow_up = None
    if "status" in changed and status != StepStatus.OPEN:
        follow_up = _next_occurrence(step, trajectory, acting_user)
    record(
        action="trajectory.step_updated",
        acting_user=acting_user,
        school=trajectory.school,
        target=step,
        data={
            "code": step.code,
            "changed": changed,
            "status": step.status,
            "next_occurrence": follow_up.occurrence if follow_up else None,
        },
    )
    return step
