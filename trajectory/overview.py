"""Read model for the route pages: a fixed number of queries, whatever the size of the school."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

from organisations.models import Membership

from .content import load_route
from .models import Step, Trajectory

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NEXT_COUNT = 3


@dataclass
class PhaseBlock:
    phase: object
    steps: list = field(default_factory=list)

    @property
    def open_count(self) -> int:
        return sum(1 for s in self.steps if s.is_open)


@dataclass
class RoleHours:
    role: str
    label: StrOrPromise
    guidelines: tuple
    people: list


@dataclass
class RouteOverview:
    trajectory: Trajectory
    route: object
    phases: list[PhaseBlock]
    steps: list
    current_phase: object
    next_steps: list
    late: list
    role_hours: list[RoleHours]
    today: datetime.date

    @property
    def done_count(self) -> int:
        return sum(1 for s in self.steps if not s.is_open)


def with_content(steps, route, today):
    """Each step with its handbook content (``step.content``) and whether it is late; unknown codes are dropped."""
    kept = []
    for step in steps:
        step.content = route.step(step.code)
        if step.content is None:
            continue
        step.late = step.is_late(today)
        kept.append(step)
    return kept


def current_phase(steps, route, today):
    """The phase the planning says the school is in: that of the last step (in handbook order) that has begun.

    Earlier steps that are still open do not hold the school back; they show as late instead. Before the
    first step begins, the school is in the first phase.
    """
    begun = [s for s in steps if s.start_date <= today]
    if not begun:
        return route.phases[0]
    return route.phase(max(begun, key=lambda s: s.content.order).content.phase)


def steps_queryset(trajectory):
    return Step.objects.filter(trajectory=trajectory).select_related("owner", "finished_by")


def role_hours(school, route) -> list[RoleHours]:
    """The time guidelines per role next to the people who hold that role (one query)."""
    from organisations.models import Role

    members = list(
        Membership.objects.filter(school=school)
        .filter(Q(is_kartrekker=True) | Q(is_werkgroeplid=True))
        .select_related("user")
        .order_by("user__name")
    )
    out = []
    for role in (Role.KARTREKKER, Role.WERKGROEPLID):
        people = [m.user for m in members if m.has_role(role)]
        out.append(
            RoleHours(role=role, label=Role(role).label, guidelines=route.role_hours.get(role, ()), people=people)
        )
    return out


def route_overview(trajectory: Trajectory, *, today: datetime.date | None = None) -> RouteOverview:
    today = today or timezone.localdate()
    route = load_route()
    steps = with_content(list(steps_queryset(trajectory)), route, today)
    steps.sort(key=lambda s: (s.content.order, s.occurrence))
    blocks = {p.code: PhaseBlock(phase=p) for p in route.phases}
    for step in steps:
        blocks[step.content.phase].steps.append(step)
    open_steps = [s for s in steps if s.is_open]
    current = current_phase(steps, route, today)
    upcoming = sorted(open_steps, key=lambda s: (s.start_date, s.content.order))
    return RouteOverview(
        trajectory=trajectory,
        route=route,
        phases=list(blocks.values()),
        steps=steps,
        current_phase=current,
        next_steps=[s for s in upcoming if not s.late][:NEXT_COUNT],
        late=[s for s in upcoming if s.late],
        role_hours=role_hours(trajectory.school, route),
        today=today,
    )


@dataclass
class DashboardRoute:
    trajectory: Trajectory | None
    current_phase: object = None
    next_step: Step | None = None
    late: int = 0
    mine: list = field(default_factory=list)
    today: datetime.date | None = None

    @property
    def next_step_running(self) -> bool:
        """The next step has already begun (it is under way, not late): say until when, not since when."""
        return self.next_step is not None and self.today is not None and self.next_step.start_date <= self.today


def dashboard_route(school, user, *, today: datetime.date | None = None) -> DashboardRoute:
    """The route in one glance for the school page: one query (the steps with their route; a second one only for a
    route without steps)."""
    rows = list(Step.objects.filter(trajectory__school=school).select_related("trajectory"))
    trajectory = rows[0].trajectory if rows else Trajectory.objects.filter(school=school).first()
    return route_glance(trajectory, rows, user, today=today)


def route_glance(trajectory, steps, user, *, today: datetime.date | None = None) -> DashboardRoute:
    """The glance from a route and its steps, however they were loaded (pages/dashboard.py loads them itself)."""
    today = today or timezone.localdate()
    if trajectory is None:
        return DashboardRoute(trajectory=None)
    route = load_route()
    steps = with_content(steps, route, today)
    open_steps = [s for s in steps if s.is_open]
    upcoming = sorted(open_steps, key=lambda s: (s.start_date, s.content.order))
    return DashboardRoute(
        trajectory=trajectory,
        current_phase=current_phase(steps, route, today),
        next_step=next((s for s in upcoming if not s.late), None),
        late=sum(1 for s in open_steps if s.late),
        mine=[s for s in upcoming if s.owner_id == user.pk],
        today=today,
    )
