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
from .models import MISSED_STATUSES, Attendance, AttendanceStatus, TrainingGroup
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
        return [p for p in self.people if p.missing_modules or p.joined_late]


def group_members(plan) -> dict[int, set[int]]:
    through = TrainingGroup.members.through
    members = defaultdict(set)
    for group_id, user_id in through.objects.filter(traininggroup__plan=plan).values_list(
        "traininggroup_id", "user_id"
    ):
        members[group_id].add(user_id)
    return members


def build_overview(plan, *, today: datetime.date | None = None) -> Overview:
    today = today or timezone.localdate()
    sessions = list(plan.sessions.all().order_by("date", "start_time", "id"))
    members = group_members(plan)
    team = sorted(team_memberships(plan.school), key=lambda m: (m.user.display_name.lower(), m.user_id))
    team_ids = {m.user_id for m in team}
    marks = {
        (s, u): st
        for s, u, st in Attendance.objects.filter(session__plan=plan).values_list("session_id", "user_id", "status")
    }
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
    for user_id, row in rows.items():
        row.missing_modules = sorted(units_held - present_units[user_id])
        joined = timezone.localtime(row.membership.joined_at).date()
        row.joined_late = first_training is not None and joined > first_training
    return Overview(
        plan=plan, sessions=sessions, people=list(rows.values()), catch_up=catch_up, first_training=first_training
    )


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
