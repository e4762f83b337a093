"""What a board member sees of each of its schools, in one table: where the route is, the closed rounds and the
growth between the first and the newest, how the action plan is doing, when the werkgroep last met and how many
still need the team training (counts only, training.overview.training_progress).

School-level facts only (no individual answers, no names): the same things a board member may open per school.
A fixed number of queries, whatever the number of schools.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.utils import timezone

from actionplans.models import OPEN_STATUSES, Action, ActionStatus, Goal, Meeting, Term
from actionplans.overview import meeting_is_overdue
from assessments.growth import agreed_phases_by_school, round_date
from assessments.models import Round, RoundStatus
from training.overview import TrainingProgress, training_progress
from trajectory.content import load_route
from trajectory.models import Step, Trajectory
from trajectory.overview import current_phase, with_content


@dataclass
class SchoolRow:
    school: object
    rounds: list = field(default_factory=list)  # closed rounds, newest first
    has_route: bool = False
    phase: object = None  # the route's current phase (trajectory content), None without a route
    late_steps: int = 0
    short_goals: int = 0
    long_goals: int = 0
    actions: dict = field(default_factory=dict)  # status value → count
    overdue: int = 0
    last_meeting: datetime.date | None = None
    meeting_overdue: bool = False
    grown: int = 0  # accents agreed higher in the newest closed round than in the first (two rounds or more)
    lowered: int = 0
    same: int = 0
    training: TrainingProgress | None = None  # the newest training plan up to this school year, counts only

    @property
    def n_actions(self) -> int:
        return sum(self.actions.values())

    @property
    def n_finished(self) -> int:
        return self.actions.get(ActionStatus.DONE, 0) + self.actions.get(ActionStatus.CELEBRATED, 0)


def _growth(rows: dict, agreed: dict) -> None:
    """Per school: how many accents the newest closed round agreed higher, lower or the same as the first one (in
    time order, as on the growth page); agreed phases only."""
    for school_id, row in rows.items():
        ordered = sorted(row.rounds, key=lambda r: (round_date(r), r.pk))
        if len(ordered) < 2:
            continue
        first, last = agreed[school_id].get(ordered[0].pk, {}), agreed[school_id].get(ordered[-1].pk, {})
        for code in first.keys() & last.keys():
            change = last[code] - first[code]
            if change > 0:
                row.grown += 1
            elif change < 0:
                row.lowered += 1
            else:
                row.same += 1


def board_overview(board, *, today: datetime.date | None = None) -> list[SchoolRow]:
    """One row per school of the board, by name (fourteen queries)."""
    today = today or timezone.localdate()
    rows = {s.pk: SchoolRow(school=s) for s in board.schools.order_by("name")}
    ids = list(rows)

    for r in Round.objects.filter(school_id__in=ids, status=RoundStatus.CLOSED).order_by("-closed_at", "-id"):
        rows[r.school_id].rounds.append(r)
    _growth(rows, agreed_phases_by_school(ids))

    route = load_route()
    trajectories = {t.pk: t.school_id for t in Trajectory.objects.filter(school_id__in=ids)}
    steps_by_school: dict[int, list] = {}
    for step in Step.objects.filter(trajectory_id__in=list(trajectories)):
        steps_by_school.setdefault(trajectories[step.trajectory_id], []).append(step)
    for school_id in trajectories.values():
        steps = with_content(steps_by_school.get(school_id, []), route, today)
        row = rows[school_id]
        row.has_route = True
        row.phase = current_phase(steps, route, today)
        row.late_steps = sum(1 for s in steps if s.late)  # late: open and past its date

    for g in (
        Goal.objects.alive()
        .filter(school_id__in=ids)
        .values("school_id")
        .annotate(short=Count("pk", filter=Q(term=Term.SHORT)), long=Count("pk", filter=Q(term=Term.LONG)))
    ):
        rows[g["school_id"]].short_goals, rows[g["school_id"]].long_goals = g["short"], g["long"]

    for a in (
        Action.objects.alive()
        .filter(school_id__in=ids)
        .values("school_id", "status")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(due_date__lt=today, status__in=OPEN_STATUSES)))
    ):
        row = rows[a["school_id"]]
        row.actions[a["status"]] = a["n"]
        row.overdue += a["late"]

    last_meetings = dict(
        Meeting.objects.filter(school_id__in=ids, date__lte=today)
        .values("school_id")
        .annotate(last=Max("date"))
        .values_list("school_id", "last")
    )
    for school_id, row in rows.items():
        row.last_meeting = last_meetings.get(school_id)
        days = (today - row.last_meeting).days if row.last_meeting else None
        open_actions = sum(n for status, n in row.actions.items() if status in OPEN_STATUSES)
        row.meeting_overdue = meeting_is_overdue(days, short_goals=row.short_goals, open_actions=open_actions)

    for school_id, progress in training_progress(ids, today=today).items():
        rows[school_id].training = progress
    return list(rows.values())
