"""Read models for the attendance pages: who missed what, catch-up lists, who still needs the training.

Everything is computed from a fixed number of queries (sessions, group members, the team,
attendance), whatever the size of the school.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from core.dates import school_year_of
from core.prepared import sql_of
from organisations.models import Membership

from .content import load_content
from .models import MISSED_STATUSES, Attendance, AttendanceStatus, BoardAttendance, TrainingGroup
from .services import ONLY_EXTERNAL, team_memberships

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


def build_overview(plan, *, today: datetime.date | None = None) -> Overview:
    today = today or timezone.localdate()
    sessions = list(plan.sessions.all().order_by("date", "start_time", "id"))
    members = group_members(plan)
    marks = {
        (s, u): st
        for s, u, st in Attendance.objects.filter(session__plan=plan).values_list("session_id", "user_id", "status")
    }
    board_units = board_units_present(plan, today)
    team = sorted(team_memberships(plan.school), key=lambda m: (m.user.display_name.lower(), m.user_id))
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
    for user_id, unit in board_units:
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


def _counted_plans(schools, school_year):
    """Per school of ``schools`` (a School queryset) its newest training plan up to ``school_year``."""
    from .models import TrainingPlan

    newer = TrainingPlan.objects.filter(
        school=OuterRef("school"), school_year__lte=school_year, school_year__gt=OuterRef("school_year")
    )
    return TrainingPlan.objects.filter(school__in=schools, school_year__lte=school_year).exclude(Exists(newer))


def _kinds(unit: str) -> list[str]:
    return [kind for kind, units in MODULE_UNITS.items() if unit in units]


UNITS = ("1", "2", "3", "4")


def progress_sql(schools, *, today, school_year) -> tuple[str, list]:
    """The SQL of training_progress: per school of ``schools`` (a queryset of School ids) with a plan that counts, its
    school year, whether a training session was held, the team and how many of them still need the team training,
    counted with build_overview's rule:

    - a module counts as held when a session of the plan holding it took place by ``today``; someone attended it when
      marked present at such a session they were expected at (its group, or the whole team), or at a module session
      of a board's training for new staff of the plan's school year or later (Handboek 4.3.4);
    - still to train: a held module not attended, or joined the school after the plan's first training session and
      followed nothing of the board's training for new staff since.

    Written out with WITH clauses (the plan that counts, the team with the day each joined, what was held, what each
    person attended) so the database reads each once, whatever the number of schools and people; the two lists of
    people are the ORM's own queries. ``today`` and ``school_year`` may be core.prepared placeholders.
    """
    from django.db import connection

    from .models import BoardTraining, BoardTrainingParticipant, BoardTrainingSession, TrainingSession

    # Only names from the models' own metadata and fixed SQL go into the text; every value is a parameter.
    q = connection.ops.quote_name
    day = connection.ops.adapt_datefield_value(today)  # as the ORM passes a date

    def table(model):
        return q(model._meta.db_table)

    def col(model, name):
        return q(model._meta.get_field(name).column)

    training_kinds = [k.code for k in load_content().all_kinds if k.training]
    counted_sql, counted_params = sql_of(
        _counted_plans(schools, school_year).order_by().values("pk", "school", "school_year")
    )
    team_sql, team_params = sql_of(
        Membership.objects.filter(school__in=schools)
        .exclude(ONLY_EXTERNAL)
        .annotate(joined_day=TruncDate("joined_at"))
        .order_by()
        .values("pk", "school", "user", "joined_day")
    )
    params: list = [*counted_params, *team_params]

    def in_list(values) -> str:
        params.extend(values)
        return "(" + ", ".join(["%s"] * len(values)) + ")"

    S, A = TrainingSession, Attendance
    members = TrainingGroup.members.through
    # held: per plan the modules held by today, whether a training session was, and the first training session
    held_cols = []
    for unit in UNITS:
        params.append(day)
        held_cols.append(
            f"MAX(CASE WHEN ss.{col(S, 'date')} <= %s AND ss.{col(S, 'kind')} IN {in_list(_kinds(unit))} "
            f"THEN 1 ELSE 0 END) AS h{unit}"
        )
    params.append(day)
    held_cols.append(
        f"MAX(CASE WHEN ss.{col(S, 'date')} <= %s AND ss.{col(S, 'kind')} IN {in_list(training_kinds)} "
        "THEN 1 ELSE 0 END) AS begun"
    )
    first = f"CASE WHEN ss.{col(S, 'kind')} IN {in_list(training_kinds)} THEN ss.{col(S, 'date')} END"
    held_cols.append(f"MIN({first}) AS first_training")
    held_sql = (
        f"SELECT c.id AS plan_id, {', '.join(held_cols)} FROM counted c "  # noqa: S608
        f"LEFT JOIN {table(S)} ss ON ss.{col(S, 'plan')} = c.id GROUP BY c.id"
    )
    # sess: the module sessions held by today of the counted plans, first and on their own (MATERIALIZED), so the
    # attendance is read through its session index for these sessions only, never the whole country's attendance
    params.append(day)
    sess_sql = (
        f"SELECT c.school_id AS school_id, ss.{col(S, 'id')} AS id, ss.{col(S, 'kind')} AS kind, "  # noqa: S608
        f"ss.{col(S, 'group')} AS group_id FROM counted c JOIN {table(S)} ss ON ss.{col(S, 'plan')} = c.id "
        f"WHERE ss.{col(S, 'date')} <= %s AND ss.{col(S, 'kind')} IN {in_list(list(MODULE_UNITS))}"
    )
    # present: per school and person the modules attended at sessions of the school's plan they were expected at
    present_cols = ", ".join(
        f"MAX(CASE WHEN s.kind IN {in_list(_kinds(unit))} THEN 1 ELSE 0 END) AS p{unit}" for unit in UNITS
    )
    params.append(AttendanceStatus.PRESENT)
    present_sql = (
        f"SELECT s.school_id AS school_id, a.{col(A, 'user')} AS user_id, {present_cols} FROM sess s "  # noqa: S608
        f"JOIN {table(A)} a ON a.{col(A, 'session')} = s.id "
        f"WHERE a.{col(A, 'status')} = %s AND (s.group_id IS NULL OR EXISTS ("
        f"SELECT 1 FROM {table(members)} g WHERE g.{q('traininggroup_id')} = s.group_id "
        f"AND g.{q('user_id')} = a.{col(A, 'user')})) GROUP BY s.school_id, a.{col(A, 'user')}"
    )
    # board: per team member the modules attended at a board's training for new staff (that school year or later)
    BA, BP, BT, BS = BoardAttendance, BoardTrainingParticipant, BoardTraining, BoardTrainingSession
    board_cols = ", ".join(
        f"MAX(CASE WHEN bs.{col(BS, 'kind')} IN {in_list(_kinds(unit))} THEN 1 ELSE 0 END) AS b{unit}" for unit in UNITS
    )
    params.extend([AttendanceStatus.PRESENT, day])
    board_sql = (
        f"SELECT t.id AS membership_id, {board_cols} FROM team t "  # noqa: S608
        f"JOIN counted c ON c.school_id = t.school_id "
        f"JOIN {table(BP)} bp ON bp.{col(BP, 'membership')} = t.id "
        f"JOIN {table(BT)} bt ON bt.{col(BT, 'id')} = bp.{col(BP, 'training')} "
        f"JOIN {table(BA)} ba ON ba.{col(BA, 'participant')} = bp.{col(BP, 'id')} "
        f"JOIN {table(BS)} bs ON bs.{col(BS, 'id')} = ba.{col(BA, 'session')} "
        f"WHERE ba.{col(BA, 'status')} = %s AND bs.{col(BS, 'date')} <= %s "
        f"AND bt.{col(BT, 'school_year')} >= c.school_year AND bs.{col(BS, 'kind')} IN {in_list(list(MODULE_UNITS))} "
        f"GROUP BY t.id"
    )
    missing = " OR ".join(f"(h.h{u} = 1 AND COALESCE(pr.p{u}, 0) = 0 AND COALESCE(b.b{u}, 0) = 0)" for u in UNITS)
    late = "(h.first_training IS NOT NULL AND t.joined_day > h.first_training AND b.membership_id IS NULL)"
    sql = (
        f"WITH counted(id, school_id, school_year) AS ({counted_sql}), "  # noqa: S608
        f"team(id, school_id, user_id, joined_day) AS ({team_sql}), "
        f"held AS ({held_sql}), sess AS MATERIALIZED ({sess_sql}), present AS ({present_sql}), "
        f"board AS ({board_sql}) "
        f"SELECT c.school_id AS school_id, c.school_year AS school_year, h.begun AS begun, COUNT(t.id) AS team, "
        f"SUM(CASE WHEN t.id IS NOT NULL AND ({missing} OR {late}) THEN 1 ELSE 0 END) AS still "
        f"FROM counted c JOIN held h ON h.plan_id = c.id "
        f"LEFT JOIN team t ON t.school_id = c.school_id "
        f"LEFT JOIN present pr ON pr.school_id = t.school_id AND pr.user_id = t.user_id "
        f"LEFT JOIN board b ON b.membership_id = t.id "
        f"GROUP BY c.school_id, c.school_year, h.begun"
    )
    return sql, params


def progress_from(rows) -> dict[int, TrainingProgress]:
    """TrainingProgress per school id from progress_sql's rows."""
    return {
        row["school_id"]: TrainingProgress(
            school_year_label=f"{row['school_year']}-{row['school_year'] + 1}",
            team=row["team"],
            still_to_train=row["still"] or 0,
            begun=bool(row["begun"]),
        )
        for row in rows
    }


def training_progress(
    schools, *, today: datetime.date | None = None, school_year: int | None = None
) -> dict[int, TrainingProgress]:
    """Per school of ``schools`` (a School queryset, or school ids): the progress of its newest training plan up to
    this school year (build_overview's still_to_train, so "nog te trainen" means the same here as on the plan's
    attendance page), counted in the database in one query (progress_sql). Schools without such a plan are left out.

    With ``school_year`` (its first year: 2025 for 2025-2026): the plan of that school year instead, counted the same
    way (its sessions held by ``today``, today's team); schools without a plan of that year are left out."""
    from django.db import connection

    from organisations.models import School

    today = today or timezone.localdate()
    if not isinstance(schools, QuerySet):
        schools = School.objects.filter(pk__in=list(schools))
    year = school_year_of(today) if school_year is None else school_year
    sql, params = progress_sql(schools.values("pk"), today=today, school_year=year)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    if school_year is not None:  # the newest plan up to that year is the plan of that year, or an older one
        rows = [row for row in rows if row["school_year"] == school_year]
    return progress_from(rows)


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
