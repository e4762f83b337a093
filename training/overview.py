"""Read models for the attendance pages: who missed what, catch-up lists, who still needs the training.

Everything is computed from a fixed number of queries (sessions, group members, the team,
attendance), whatever the size of the school.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone

from .content import load_content
from .models import MISSED_STATUSES, Attendance, AttendanceStatus, BoardAttendance, TrainingGroup
from .services import team_memberships

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import User
    from organisations.models import Membership

    from .models import TrainingPlan, TrainingSession

# Which handbook modules a session covers: module 3 + 4 on one day covers both.
MODULE_UNITS = {"module1": ("1",), "module2": ("2",), "module3": ("3",), "module4": ("4",), "module34": ("3", "4")}


@dataclass
class Missed:
    session: TrainingSession
    status: str  # afwezig / afgemeld / "" (not registered)

    @property
    def label(self) -> StrOrPromise:
        return AttendanceStatus(self.status).label if self.status else ""


@dataclass
class PersonRow:
    user: User
    membership: Membership
    missed: list[Missed] = field(default_factory=list)
    missing_modules: list[str] = field(default_factory=list)
    module_labels: list[str] = field(default_factory=list)  # filled in by the view, for the template
    joined_late: bool = False
    board_units: set[str] = field(default_factory=set)  # modules attended at the board's training for new staff
    board_labels: list[str] = field(default_factory=list)  # filled in by the view, for the template


@dataclass
class Overview:
    plan: TrainingPlan
    sessions: list[TrainingSession]
    people: list[PersonRow]  # every team member
    catch_up: dict[int, list[tuple[User, str]]]  # session pk → [(user, status)]
    first_training: datetime.date | None

    @property
    def with_missed(self):
        return [p for p in self.people if p.missed]

    @property
    def catch_up_rows(self):
        return [(s, self.catch_up[s.pk]) for s in self.sessions if s.pk in self.catch_up]

    @property
    def still_to_train(self):
        """Who missed a module held so far, or came in after the training started and has not followed a module
        of the board's training for new staff since (training/board_services.py, handbook 4.3.4)."""
        return [p for p in self.people if p.missing_modules or (p.joined_late and not p.board_units)]


def group_members(plan) -> dict[int, set[int]]:
    through = TrainingGroup.members.through
    members = defaultdict(set)
    for group_id, user_id in through.objects.filter(traininggroup__plan=plan).values_list(
        "traininggroup_id", "user_id"
    ):
        members[group_id].add(user_id)
    return members


@dataclass
class Loaded:
    """What build_overview reads for one plan, when it was read for many plans at once (training_progress)."""

    sessions: list  # ordered by date, start time, id
    members: dict[int, set[int]]  # group id → user ids
    team: list  # team_memberships, with their users
    marks: dict[tuple[int, int], str]  # (session id, user id) → status
    board_units: list[tuple[int, str]]  # board_units_present


def build_overview(plan, *, today: datetime.date | None = None, loaded: Loaded | None = None) -> Overview:
    today = today or timezone.localdate()
    if loaded is None:
        loaded = Loaded(
            sessions=list(plan.sessions.all().order_by("date", "start_time", "id")),
            members=group_members(plan),
            team=list(team_memberships(plan.school)),
            marks={
                (s, u): st
                for s, u, st in Attendance.objects.filter(session__plan=plan).values_list(
                    "session_id", "user_id", "status"
                )
            },
            board_units=board_units_present(plan, today),
        )
    sessions, members, marks = loaded.sessions, loaded.members, loaded.marks
    team = sorted(loaded.team, key=lambda m: (m.user.display_name.lower(), m.user_id))
    team_ids = {m.user_id for m in team}
    past = [s for s in sessions if s.date <= today]
    rows = {m.user_id: PersonRow(user=m.user, membership=m) for m in team}
    catch_up: dict[int, list[tuple[User, str]]] = {}
    units_held: set[str] = set()
    present_units: defaultdict[int, set[str]] = defaultdict(set)
    trainings = [s for s in sessions if (s.content_kind and s.content_kind.training)]
    first_training = trainings[0].date if trainings else None
    for s in past:
        expected = members.get(s.group_id, set()) if s.group_id else team_ids
        units = MODULE_UNITS.get(s.kind, ())
        units_held.update(units)
        session_missed = []
        for user_id in expected:
            status = marks.get((s.pk, user_id), "")
            if status == AttendanceStatus.PRESENT:
                present_units[user_id].update(units)
            elif status in MISSED_STATUSES and user_id in rows:
                rows[user_id].missed.append(Missed(s, status))
                session_missed.append((rows[user_id].user, status))
        catch_up[s.pk] = sorted(session_missed, key=lambda pair: pair[0].display_name.lower())
    for user_id, unit in loaded.board_units:
        if user_id in rows:
            rows[user_id].board_units.add(unit)
            present_units[user_id].add(unit)
    for user_id, row in rows.items():
        row.missing_modules = sorted(units_held - present_units[user_id])
        joined = timezone.localtime(row.membership.joined_at).date()
        row.joined_late = first_training is not None and joined > first_training
    return Overview(
        plan=plan, sessions=sessions, people=list(rows.values()), catch_up=catch_up, first_training=first_training
    )


def board_units_present(plan, today) -> list[tuple[int, str]]:
    """(user id, module unit) for every module of a board's training for new staff someone of the plan's school
    attended by ``today``, in a training of the plan's school year or later: it counts at their own school."""
    rows = BoardAttendance.objects.filter(
        participant__membership__school_id=plan.school_id,
        participant__training__school_year__gte=plan.school_year,
        status=AttendanceStatus.PRESENT,
        session__date__lte=today,
    ).values_list("participant__membership__user_id", "session__kind")
    return [(user_id, unit) for user_id, kind in rows for unit in MODULE_UNITS.get(kind, ())]


@dataclass(frozen=True)
class TrainingProgress:
    """Counts only (the board page): how many of the team still need the team training of one plan."""

    school_year_label: str
    team: int
    still_to_train: int
    begun: bool  # a training session of the plan has been held


def current_school_year(today: datetime.date) -> int:
    return today.year if today.month >= 8 else today.year - 1


def training_progress(school_ids, *, today: datetime.date | None = None) -> dict[int, TrainingProgress]:
    """Per school id: the progress of its newest training plan up to this school year (build_overview's
    still_to_train, so "nog te trainen" means the same here as on the plan's attendance page). Schools without
    such a plan are left out. Six queries, whatever the number of schools."""
    from .models import TrainingPlan, TrainingSession

    today = today or timezone.localdate()
    plans: dict[int, TrainingPlan] = {}
    for plan in TrainingPlan.objects.filter(
        school_id__in=list(school_ids), school_year__lte=current_school_year(today)
    ).order_by("school_id", "-school_year"):
        plans.setdefault(plan.school_id, plan)
    plan_ids = [p.pk for p in plans.values()]
    sessions: defaultdict[int, list] = defaultdict(list)
    for session in TrainingSession.objects.filter(plan_id__in=plan_ids).order_by("date", "start_time", "id"):
        sessions[session.plan_id].append(session)
    members: defaultdict[int, set[int]] = defaultdict(set)
    for group_id, user_id in TrainingGroup.members.through.objects.filter(
        traininggroup__plan_id__in=plan_ids
    ).values_list("traininggroup_id", "user_id"):
        members[group_id].add(user_id)
    team: defaultdict[int, list] = defaultdict(list)
    for membership in team_memberships(list(plans)):
        team[membership.school_id].append(membership)
    marks: defaultdict[int, dict] = defaultdict(dict)
    for plan_id, session_id, user_id, status in Attendance.objects.filter(session__plan_id__in=plan_ids).values_list(
        "session__plan_id", "session_id", "user_id", "status"
    ):
        marks[plan_id][(session_id, user_id)] = status
    board_units: defaultdict[int, list[tuple[int, str]]] = defaultdict(list)
    for school_id, school_year, user_id, kind in BoardAttendance.objects.filter(
        participant__membership__school_id__in=list(plans), status=AttendanceStatus.PRESENT, session__date__lte=today
    ).values_list(
        "participant__membership__school_id",
        "participant__training__school_year",
        "participant__membership__user_id",
        "session__kind",
    ):
        if school_year >= plans[school_id].school_year:  # as board_units_present
            board_units[school_id].extend((user_id, unit) for unit in MODULE_UNITS.get(kind, ()))
    result = {}
    for school_id, plan in plans.items():
        loaded = Loaded(
            sessions=sessions[plan.pk],
            members=members,
            team=team[school_id],
            marks=marks[plan.pk],
            board_units=board_units[school_id],
        )
        overview = build_overview(plan, today=today, loaded=loaded)
        result[school_id] = TrainingProgress(
            school_year_label=plan.school_year_label,
            team=len(overview.people),
            still_to_train=len(overview.still_to_train),
            begun=any(s.date <= today and s.content_kind and s.content_kind.training for s in overview.sessions),
        )
    return result


def missed_by(plan, user, *, today=None) -> list:
    """The sessions one person missed (for their own dashboard)."""
    today = today or timezone.localdate()
    return list(
        Attendance.objects.filter(session__plan=plan, user=user, status__in=MISSED_STATUSES, session__date__lte=today)
        .select_related("session")
        .order_by("session__date")
    )


def module_label(unit: str) -> str:
    kind = load_content().kind(f"module{unit}")
    return kind.label if kind else unit
