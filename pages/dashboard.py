"""The school page (pages/school.html) in a fixed, small number of queries.

Every figure the page shows about the school as a whole comes from one query on the school, each as a subquery: the
action plan's counts and the werkgroep's last and next meeting (what actionplans.overview.dashboard_summary counts),
the facts of 'Zo begin je' (onboarding.facts), the next team training session, the number of kartrekkers and the
latest voorgesprek (intake.summary.latest_decision). Beside it three lists: the rounds, the route's steps and the
training sessions this person missed.

These queries run on every visit of the page, and building them through the ORM cost far more than running them
(several milliseconds for the school's query alone): each is built once per process (core/prepared.py) and run with
the school, the person and the day filled in.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Q, Subquery
from django.utils import timezone

from actionplans.models import OPEN_STATUSES, Action, Goal, Meeting, Term
from actionplans.overview import meeting_is_overdue
from assessments.models import Participant, Round, RoundStatus
from core.prepared import PreparedQuery, instances
from intake.content import load_profile
from intake.models import Conversation
from intake.summary import KartrekkerCount, LatestDecision, decision_of, newest_first
from leadership.content import load_content as load_checklist
from leadership.models import Answer as ChecklistAnswer
from leadership.models import ChecklistRound, ExtraItem
from organisations.models import Membership, School
from training.models import MISSED_STATUSES, Attendance, AttendanceStatus, TrainingSession
from trajectory.models import Step, Trajectory
from trajectory.overview import DashboardRoute, route_glance

from . import onboarding


def _count(queryset, **filters):
    """The number of rows of ``queryset`` (filtered on the outer school), as a subquery: SELECT COUNT(id) without a
    GROUP BY (one row, 0 for none; the simplest for the database to plan)."""
    return Subquery(
        queryset.filter(school=OuterRef("pk"), **filters)
        .order_by()
        .values(n=Func(F("pk"), function="COUNT", output_field=IntegerField()))
    )


def _first(queryset, field: str, *order):
    """One field of the first row of ``queryset`` (filtered on the outer school) in this order, as a subquery."""
    return Subquery(queryset.filter(school=OuterRef("pk")).order_by(*order).values(field)[:1])


@dataclass(frozen=True)
class PlanGlance:
    """The action plan in one glance (the same counts as actionplans.overview.dashboard_summary)."""

    goals: int
    short_goals: int
    my_open: int
    my_overdue: int
    overdue: int
    open_actions: int
    last_meeting_date: datetime.date | None
    next_meeting_date: datetime.date | None
    meeting_overdue: bool


@dataclass(frozen=True)
class NextSession:
    pk: int
    title: str
    date: datetime.date


@dataclass(frozen=True)
class SchoolFacts:
    plan: PlanGlance
    onboarding: onboarding.Facts | None  # None: not asked (school_facts' parts)
    next_session: NextSession | None
    kartrekkers: KartrekkerCount | None  # None: not asked
    latest_decision: LatestDecision | None
    route: Trajectory | None  # the school's route (only its id and training start loaded), None without one
    checklist: Checklist | None  # None: not asked


@dataclass(frozen=True)
class Checklist:
    """The checklist for leidinggevenden of one person (schoolleiding): the newest round, how many of its items
    (the handbook's and the school's active ones) they answered (leadership's own answers only)."""

    round_id: int | None
    round_title: str
    answered: int
    total: int

    @property
    def round(self):
        return {"pk": self.round_id, "title": self.round_title} if self.round_id is not None else None


_CONVERSATION_FIELDS = ("pk", "kind", "decision", "last_date", "decided_at", "follow_up_date")


ONBOARDING, INTAKE, CHECKLIST = "onboarding", "intake", "checklist"  # the parts only some roles see


def _facts_builder(parts: frozenset):
    def build(p):
        """The school's one query (p: the placeholders school, user, today, and now for the onboarding part)."""
        open_actions = Action.objects.alive().filter(status__in=OPEN_STATUSES)
        goals = Goal.objects.alive()
        upcoming_sessions = TrainingSession.objects.filter(date__gte=p.today)
        session_order = ("date", "start_time", "id")
        annotations = {
            "my_open": _count(open_actions, owner=p.user),
            "my_overdue": _count(open_actions, owner=p.user, due_date__lt=p.today),
            "overdue": _count(open_actions, due_date__lt=p.today),
            "open_actions": _count(open_actions),
            "n_goals": _count(goals),
            "short_goals": _count(goals, term=Term.SHORT),
            "last_meeting": _first(Meeting.objects.filter(date__lte=p.today), "date", "-date"),
            "next_meeting": _first(Meeting.objects.filter(date__gt=p.today), "date", "date"),
            "next_session_id": _first(upcoming_sessions, "pk", *session_order),
            "next_session_title": _first(upcoming_sessions, "title", *session_order),
            "next_session_date": _first(upcoming_sessions, "date", *session_order),
            "route_id": _first(Trajectory.objects, "pk", "pk"),
            "route_start": _first(Trajectory.objects, "training_start", "pk"),
        }
        if ONBOARDING in parts:
            annotations.update(onboarding.fact_annotations(p.now))
        if INTAKE in parts:
            conversations = newest_first(Conversation.objects.filter(school=OuterRef("pk")))
            for name in _CONVERSATION_FIELDS:
                annotations[f"conversation_{name}"] = Subquery(conversations.values(name)[:1])
            annotations.setdefault("n_kartrekkers", _count(Membership.objects.filter(is_kartrekker=True)))
        if CHECKLIST in parts:
            annotations.update(_checklist_annotations(p.user))
        return School.objects.filter(pk=p.school).annotate(**annotations).values(*annotations)

    return build


def _checklist_annotations(user):
    """The newest checklist round, the school's active own items and this person's answers to the round's items."""
    newest_round = ChecklistRound.objects.filter(school=OuterRef(OuterRef("pk"))).order_by("-created_at", "-id")
    codes = [item.code for item in load_checklist().items]
    answers = ChecklistAnswer.objects.filter(
        Q(item_key__in=codes) | Q(extra_item__isnull=False, extra_item__retired_at__isnull=True),
        round=Subquery(newest_round.values("pk")[:1]),
        user=user,
    )
    newest = ChecklistRound.objects.filter(school=OuterRef("pk")).order_by("-created_at", "-id")
    return {
        "checklist_round_id": Subquery(newest.values("pk")[:1]),
        "checklist_round_title": Subquery(newest.values("title")[:1]),
        "checklist_extra_items": _count(ExtraItem.objects.filter(retired_at__isnull=True)),
        "checklist_answered": Subquery(
            answers.order_by().values(n=Func(F("pk"), function="COUNT", output_field=IntegerField()))
        ),
    }


_FACTS: dict[frozenset, PreparedQuery] = {}  # per set of parts (a teamlid's page asks only the common part)


def _facts_query(parts: frozenset) -> PreparedQuery:
    query = _FACTS.get(parts)
    if query is None:
        query = _FACTS[parts] = PreparedQuery(
            _facts_builder(parts),
            ints=("school", "user"),
            dates=("today",),
            datetimes=("now",) if ONBOARDING in parts else (),
        )
    return query


def school_facts(
    school, user, *, today: datetime.date, onboarding_part=True, intake_part=True, checklist_part=True
) -> SchoolFacts:
    """What the school page shows about the school as a whole, in one query; the parts only some roles see
    ('Zo begin je', the voorgesprekken, the checklist for leidinggevenden) only when asked (else None)."""
    parts = frozenset(
        name
        for name, wanted in ((ONBOARDING, onboarding_part), (INTAKE, intake_part), (CHECKLIST, checklist_part))
        if wanted
    )
    values = {"school": school.pk, "user": user.pk, "today": today}
    if ONBOARDING in parts:
        values["now"] = timezone.now()
    row = _facts_query(parts).one(**values)
    last = row["last_meeting"]
    plan = PlanGlance(
        goals=row["n_goals"],
        short_goals=row["short_goals"],
        my_open=row["my_open"],
        my_overdue=row["my_overdue"],
        overdue=row["overdue"],
        open_actions=row["open_actions"],
        last_meeting_date=last,
        next_meeting_date=row["next_meeting"],
        meeting_overdue=meeting_is_overdue(
            (today - last).days if last else None, short_goals=row["short_goals"], open_actions=row["open_actions"]
        ),
    )
    next_session = None
    if row["next_session_id"] is not None:
        next_session = NextSession(
            pk=row["next_session_id"], title=row["next_session_title"], date=row["next_session_date"]
        )
    latest = None
    if row.get("conversation_pk") is not None:
        latest = decision_of(
            conversation_id=row["conversation_pk"],
            kind=row["conversation_kind"],
            decision=row["conversation_decision"],
            date=row["conversation_last_date"],
            decided_at=row["conversation_decided_at"],
            follow_up_date=row["conversation_follow_up_date"],
        )
    route = None
    if row["route_id"] is not None:
        [route] = instances(
            Trajectory, [{"id": row["route_id"], "school_id": school.pk, "training_start": row["route_start"]}]
        )
    checklist = None
    if CHECKLIST in parts:
        started = row["checklist_round_id"] is not None
        checklist = Checklist(
            round_id=row["checklist_round_id"],
            round_title=row["checklist_round_title"] or "",
            answered=row["checklist_answered"] if started else 0,
            total=len(load_checklist().items) + row["checklist_extra_items"] if started else 0,
        )
    return SchoolFacts(
        plan=plan,
        onboarding=onboarding.facts_from(row) if ONBOARDING in parts else None,
        next_session=next_session,
        kartrekkers=KartrekkerCount(count=row["n_kartrekkers"], minimum=load_profile().minimum_count)
        if "n_kartrekkers" in row
        else None,
        latest_decision=latest,
        route=route,
        checklist=checklist,
    )


# The rounds, newest first, with their counts and whether this person takes part ------------------------------

ROUNDS = PreparedQuery(
    lambda p: (
        Round.objects.filter(school=p.school)
        .annotate(
            n_participants=Count("participants", distinct=True),
            n_submitted=Count("participants", filter=Q(participants__submitted_at__isnull=False), distinct=True),
            is_mine=Exists(Participant.objects.filter(round=OuterRef("pk"), user=p.user)),
        )
        .order_by("-created_at")
        .values("pk", "title", "status", "deadline", "n_participants", "n_submitted", "is_mine")
    ),
    ints=("school", "user"),
)
_ROUND_STATUS_LABELS = dict(RoundStatus.choices)


@dataclass(frozen=True)
class RoundRow:
    pk: int
    title: str
    status: str
    deadline: datetime.date | None
    n_participants: int
    n_submitted: int
    is_mine: bool

    def get_status_display(self):
        return _ROUND_STATUS_LABELS.get(self.status, self.status)


def rounds(school, user) -> list[RoundRow]:
    return [RoundRow(**row) for row in ROUNDS.rows(school=school.pk, user=user.pk)]


# The route in one glance (trajectory.overview.route_glance) ----------------------------------------------------

_STEP_FIELDS = ["id", "trajectory_id", "code", "occurrence", "start_date", "due_date", "status", "owner_id"]
STEPS = PreparedQuery(lambda p: Step.objects.filter(trajectory_id=p.route).values(*_STEP_FIELDS), ints=("route",))


def route(facts: SchoolFacts, user, *, today: datetime.date) -> DashboardRoute:
    if facts.route is None:
        return DashboardRoute(trajectory=None)
    steps = instances(Step, STEPS.rows(route=facts.route.pk))
    return route_glance(facts.route, steps, user, today=today)


# The team training sessions this person missed ------------------------------------------------------------------

MISSED = PreparedQuery(
    lambda p: (
        Attendance.objects.filter(
            session__school=p.school, user=p.user, status__in=MISSED_STATUSES, session__date__lte=p.today
        )
        .order_by("session__date")
        .values("status", "session__title", "session__date")
    ),
    ints=("school", "user"),
    dates=("today",),
)
_ATTENDANCE_LABELS = dict(AttendanceStatus.choices)


@dataclass(frozen=True)
class Missed:
    title: str
    date: datetime.date
    status_label: str


def missed_sessions(school, user, *, today: datetime.date) -> list[Missed]:
    """The team training sessions held so far that this person missed (absent or excused), oldest first."""
    return [
        Missed(
            title=row["session__title"],
            date=row["session__date"],
            status_label=_ATTENDANCE_LABELS.get(row["status"], row["status"]),
        )
        for row in MISSED.rows(school=school.pk, user=user.pk, today=today)
    ]
