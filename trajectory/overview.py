"""Read model for the route pages: a fixed number of queries, whatever the size of the school."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core.fasturls import url_function
from core.prepared import PreparedQuery, instances
from organisations.models import Membership

from .content import load_route
from .models import Step, StepStatus, Trajectory

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


# The route pages (the overview, the team's summary, the calendar and the Word and PDF files) read the steps with their
# owners and the kartrekkers and werkgroepleden: each query built by the ORM once per process (core.prepared).
_STEP_FIELDS = [f.attname for f in Step._meta.concrete_fields]
_STEPS = PreparedQuery(
    lambda p: Step.objects.filter(trajectory_id=p.trajectory).values(*_STEP_FIELDS, "owner__name", "owner__email"),
    ints=("trajectory",),
)
_MEMBER_FIELDS = [f.attname for f in Membership._meta.concrete_fields]
_ROLE_MEMBERS = PreparedQuery(
    lambda p: (
        Membership.objects.filter(Q(is_kartrekker=True) | Q(is_werkgroeplid=True), school_id=p.school)
        .order_by("user__name")
        .values(*_MEMBER_FIELDS, "user__name", "user__email")
    ),
    ints=("school",),
)


def _person(user_id, name, email):
    """The owner or member as far as these pages show them (their name, else their address)."""
    from accounts.models import User

    return instances(User, [{"id": user_id, "name": name, "email": email}])[0] if user_id is not None else None


def route_steps(trajectory) -> list[Step]:
    """The route's steps in their order, each with its owner (name and address loaded) and its route."""
    rows = _STEPS.rows(trajectory=trajectory.pk)
    steps = instances(Step, [{f: row[f] for f in _STEP_FIELDS} for row in rows])
    for step, row in zip(steps, rows, strict=True):
        step.owner = _person(row["owner_id"], row["owner__name"], row["owner__email"])
        step.trajectory = trajectory
    return steps


def role_hours(school, route) -> list[RoleHours]:
    """The time guidelines per role next to the people who hold that role (one query)."""
    from organisations.models import Role

    rows = _ROLE_MEMBERS.rows(school=school.pk)
    members = instances(Membership, [{f: row[f] for f in _MEMBER_FIELDS} for row in rows])
    for member, row in zip(members, rows, strict=True):
        member.user = _person(row["user_id"], row["user__name"], row["user__email"])
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
    steps = with_content(route_steps(trajectory), route, today)
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


_STATUS_LABELS = dict(StepStatus.choices)
_STATUS_BADGES = {StepStatus.DONE: "gw-badge--ok", StepStatus.NOT_APPLICABLE: "gw-badge--info"}  # else: warn


def with_row_texts(steps, school) -> None:
    """A step's row on the route page as HTML (``step.cells``, the five cells; _step_table.html writes the <tr> around
    them), made once per step rather than by template tags per cell (a step can be in two tables: late or next, and
    its phase). The same markup the template made: the step's link and year, its dates ("3 nov 2026 – 12 jan 2027",
    the date filter's "j b Y"), "Te laat", who, the time guidelines, the status in words and the note's start. Every
    value escaped."""
    months = {n: str(name) for n, name in MONTHS_3.items()}

    def day(d) -> str:
        return f"{d.day} {months[d.month]} {d.year}"

    statuses = {value: str(label) for value, label in _STATUS_LABELS.items()}
    late = escape(_("Te laat"))
    link = url_function("trajectory:step", 2)
    for step in steps:
        content = step.content
        # the handbook's own words stay Dutch, marked so (issue 16): the title, when and the time guidelines
        href = escape(link(school.pk, step.pk))
        title = f'<a class="utrecht-link" href="{href}" lang="nl">{escape(content.title)}</a>'
        if step.occurrence > 1:
            title += f' <span class="gw-muted">({step.start_date.year})</span>'
        if content.when:
            title += f'<div class="gw-small gw-muted" lang="nl">{escape(content.when)}</div>'
        period = escape(f"{day(step.start_date)} – {day(step.due_date)}")
        if step.late:
            period += f' <span class="gw-badge gw-badge--late">{late}</span>'
        who = (step.owner.display_name if step.owner else "") or "–"
        times = (
            '<span lang="nl">' + "<br>".join(escape(t) for t in content.time) + "</span>"
            if content.time
            else '<span class="gw-muted">–</span>'
        )
        badge = _STATUS_BADGES.get(step.status, "gw-badge--warn")
        status = f'<span class="gw-badge {badge}">{escape(statuses.get(step.status, step.status))}</span>'
        if step.note:
            status += f'<div class="gw-small">{escape(Truncator(step.note).chars(120))}</div>'
        step.cells = mark_safe(  # noqa: S308 (every value escaped above)
            f'<th scope="row">{title}</th><td>{period}</td><td>{escape(who)}</td><td>{times}</td><td>{status}</td>'
        )
