"""One date per milestone: the team training plan's sessions set the route's matching steps (issue 14, part 5).

The route (this app) dates every step in months from the planned start of the team training; the training plan
(``training``) holds the real sessions of a school year, with groups and attendance. Where both name the same
milestone, the training plan wins: it is what the team has in its diary, and the route follows it. So the route
never shows a date of its own for these steps:

- ``introductiepresentatie`` ends on the plan's introduction (``intro``);
- ``teamtraining`` runs from module 1 to the last module (``module34``, or ``module3``/``module4`` when separate);
- ``module-4-prioriteiten`` ends on module 4 (``module34`` or ``module4``);
- ``ontwikkelmodel-invullen`` ends on the session "Ontwikkelmodel TSO wordt ingevuld" (``ontwikkelmodel``);
- ``plan-presenteren`` ends on "Werkgroep TSO presenteert ..." (``presentatie``).

The plan used is the one of the school year in which the team training starts (else the school's earliest plan).
A step's start stays the route's own unless it would fall after the session; then it starts that day. The route's
step form refuses other dates for a step the plan dates (``trajectory.services.do_update_step``): change the
session instead. Synced when the route starts or its training start moves, and after every change of the plan's
sessions (``training.sessions_changed``, published by training.services, subscribed in ``TrajectoryConfig.ready``).
"""

from __future__ import annotations

import datetime

from audit.models import record
from core.dates import school_year_of
from training.models import TrainingPlan, TrainingSession

from .models import Step, Trajectory

# route step code -> (the session kinds whose date starts it, the session kinds whose (last) date ends it)
LINKED_STEPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "introductiepresentatie": ((), ("intro",)),
    "teamtraining": (("module1",), ("module34", "module4", "module3", "module2", "module1")),
    "module-4-prioriteiten": ((), ("module34", "module4")),
    "ontwikkelmodel-invullen": ((), ("ontwikkelmodel",)),
    "plan-presenteren": ((), ("presentatie",)),
}


def training_plan_for(trajectory: Trajectory) -> TrainingPlan | None:
    plans = TrainingPlan.objects.filter(school_id=trajectory.school_id)
    return (
        plans.filter(school_year=school_year_of(trajectory.training_start)).first()
        or plans.order_by("school_year").first()
    )


def dates_from_training(trajectory: Trajectory) -> dict[str, tuple[datetime.date | None, datetime.date]]:
    """{step code: (start from the plan or None, due from the plan)} for the linked steps the plan dates."""
    plan = training_plan_for(trajectory)
    if plan is None:
        return {}
    by_kind: dict[str, list[datetime.date]] = {}
    for kind, day in TrainingSession.objects.filter(plan=plan).values_list("kind", "date"):
        by_kind.setdefault(kind, []).append(day)
    out = {}
    for code, (start_kinds, due_kinds) in LINKED_STEPS.items():
        due_kind = next((k for k in due_kinds if k in by_kind), None)
        if due_kind is None:
            continue
        due = max(by_kind[due_kind])
        start_kind = next((k for k in start_kinds if k in by_kind), None)
        out[code] = (min(by_kind[start_kind]) if start_kind else None, due)
    return out


def sync_with_training(trajectory: Trajectory, *, acting_user=None) -> list[str]:
    """Give the route's linked steps (first occurrence) the training plan's dates; the codes that moved.

    Call inside a transaction. Audited (one row) when something moved."""
    wanted = dates_from_training(trajectory)
    moved = []
    for step in Step.objects.select_for_update().filter(trajectory=trajectory, code__in=wanted, occurrence=1):
        start, due = wanted[step.code]
        start = start if start is not None else min(step.start_date, due)
        if (step.start_date, step.due_date) != (start, due):
            step.start_date, step.due_date = start, due
            step.version += 1
            step.save(update_fields=["start_date", "due_date", "version"])
            moved.append(step.code)
    if moved:
        record(
            action="trajectory.dates_from_training",
            acting_user=acting_user,
            school=trajectory.school,
            target=trajectory,
            data={"steps": sorted(moved)},
        )
    return moved


def after_sessions_changed(*, school_id: int) -> None:
    """Subscriber of ``training.sessions_changed``: the school's route follows its training plan."""
    trajectory = Trajectory.objects.filter(school_id=school_id).select_related("school").first()
    if trajectory is not None:
        sync_with_training(trajectory)
