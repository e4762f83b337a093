"""A trainer's home page (issue 14, part 2): for someone who is a trainer (intern or extern) in at least one school,
all their schools on one page, the school that needs them first at the top.

Per school, only what the person may see there (organisations.access.SchoolAccess decides, as on the school's own
pages): the route's current phase; the next training session (date, group) and the past sessions whose attendance
nobody registered yet (for those who take attendance); the rounds of the Ontwikkelmodel they facilitate (not yet
closed) with their state and how many submitted; the voorgesprekken still open (for those who lead them). Counts
only, never answers or marks. A fixed number of queries, whatever the number of schools.

The order (``Need``, first match wins per school, then the most pressing date, then the school's name):
1. a past session (the last ATTENDANCE_LOOKBACK_DAYS days, before today) without any attendance registered, for
   those who take attendance; the oldest such session first;
2. a training session today or within SOON_DAYS days; the nearest first;
3. a round they facilitate that is in its consensus phase; the earliest consensus meeting first;
4. a round they facilitate that is still open for filling in; the earliest deadline first;
5. an open voorgesprek (no Go or Twijfel yet), for those who lead them; the nearest planned date first;
6. nothing of the above; the next session first.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import IntEnum

from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Round, RoundStatus
from intake.models import Conversation, Decision
from organisations.access import SchoolAccess
from organisations.models import Membership, Role, School
from training.models import Attendance, TrainingSession
from trajectory.content import load_route
from trajectory.models import Step, Trajectory
from trajectory.overview import current_phase, with_content

from .calendar_feed import board_sessions_of

SOON_DAYS = 7
TRAINER_ROLES = (Role.TRAINER_INTERN, Role.TRAINER_EXTERN)
ATTENDANCE_LOOKBACK_DAYS = 365
FAR = datetime.date.max


class Need(IntEnum):
    ATTENDANCE = 1
    SESSION_SOON = 2
    CONSENSUS = 3
    OPEN_ROUND = 4
    VOORGESPREK = 5
    NOTHING = 6

    @property
    def label(self):
        return NEED_LABELS[self]


NEED_LABELS = {
    Need.ATTENDANCE: _("Aanwezigheid nog niet geregistreerd"),
    Need.SESSION_SOON: _("Sessie binnen een week"),
    Need.CONSENSUS: _("Consensusgesprek dat je leidt"),
    Need.OPEN_ROUND: _("Ronde die je leidt staat open"),
    Need.VOORGESPREK: _("Voorgesprek nog open"),
    Need.NOTHING: _("Niets dringends"),
}


@dataclass
class SchoolCard:
    school: School
    acc: SchoolAccess
    has_route: bool = False
    phase: object = None
    next_session: TrainingSession | None = None
    unregistered: list[TrainingSession] = field(default_factory=list)  # past sessions without attendance
    rounds: list[Round] = field(default_factory=list)  # rounds they facilitate, not closed
    conversations: list[Conversation] = field(default_factory=list)  # open voorgesprekken
    session_soon: bool = False  # the next session is today or within SOON_DAYS days
    need: Need = Need.NOTHING
    need_date: datetime.date = FAR

    @property
    def is_trainer(self) -> bool:
        return self.acc.has_role(*TRAINER_ROLES)


def is_trainer(user) -> bool:
    """A trainer (intern or extern) in at least one school: they get this page as their home."""
    return (
        user.is_authenticated
        and Membership.objects.filter(user=user).filter(Q(is_trainer_intern=True) | Q(is_trainer_extern=True)).exists()
    )


def _rank(card: SchoolCard) -> tuple[Need, datetime.date]:
    if card.unregistered:
        return Need.ATTENDANCE, card.unregistered[0].date
    if card.next_session is not None and card.session_soon:
        return Need.SESSION_SOON, card.next_session.date
    consensus = [r for r in card.rounds if r.status == RoundStatus.CONSENSUS]
    if consensus:
        return Need.CONSENSUS, min(r.meeting_date or FAR for r in consensus)
    open_rounds = [r for r in card.rounds if r.status == RoundStatus.OPEN]
    if open_rounds:
        return Need.OPEN_ROUND, min(r.deadline or FAR for r in open_rounds)
    if card.conversations:
        return Need.VOORGESPREK, min(getattr(c, "next_date", None) or FAR for c in card.conversations)
    return Need.NOTHING, card.next_session.date if card.next_session else FAR


def trainer_overview(user, *, today: datetime.date | None = None) -> list[SchoolCard]:
    """Every school of ``user``, the one that needs them first on top (the rule: the module docstring). Eight
    queries, whatever the number of schools."""
    today = today or timezone.localdate()
    memberships = list(
        Membership.objects.filter(user=user).select_related("school", "school__board", "user").order_by("school__name")
    )
    cards = {
        m.school_id: SchoolCard(school=m.school, acc=SchoolAccess(user=user, school=m.school, membership=m))
        for m in memberships
    }
    ids = list(cards)
    soon = today + datetime.timedelta(days=SOON_DAYS)

    # The route's phase (two queries).
    route = load_route()
    trajectories = dict(Trajectory.objects.filter(school_id__in=ids).values_list("pk", "school_id"))
    steps_by_school: dict[int, list] = {school_id: [] for school_id in trajectories.values()}
    for step in Step.objects.filter(trajectory_id__in=list(trajectories)):
        steps_by_school[trajectories[step.trajectory_id]].append(step)
    for school_id, steps in steps_by_school.items():
        cards[school_id].has_route = True
        cards[school_id].phase = current_phase(with_content(steps, route, today), route, today)

    # The next session per school (one query: the first upcoming one per school, by a subquery).
    first_upcoming = (
        TrainingSession.objects.filter(school_id=OuterRef("school_id"), date__gte=today)
        .order_by("date", "start_time", "id")
        .values("pk")[:1]
    )
    for session in (
        TrainingSession.objects.filter(school_id__in=ids, date__gte=today)
        .filter(pk__in=first_upcoming)
        .select_related("group")
    ):
        cards[session.school_id].next_session = session
        cards[session.school_id].session_soon = session.date <= soon

    # Past sessions nobody registered attendance for, where the person takes attendance (one query).
    takers = [school_id for school_id, card in cards.items() if card.acc.can_take_attendance]
    for session in (
        TrainingSession.objects.filter(
            school_id__in=takers, date__lt=today, date__gte=today - datetime.timedelta(days=ATTENDANCE_LOOKBACK_DAYS)
        )
        .filter(~Exists(Attendance.objects.filter(session=OuterRef("pk"))))
        .select_related("group")
        .order_by("date", "start_time", "id")
    ):
        cards[session.school_id].unregistered.append(session)

    # Rounds they facilitate, not closed (one query).
    for round_ in (
        Round.objects.filter(school_id__in=ids, facilitator=user)
        .exclude(status=RoundStatus.CLOSED)
        .annotate(
            n_participants=Count("participants", distinct=True),
            n_submitted=Count("participants", filter=Q(participants__submitted_at__isnull=False), distinct=True),
        )
        .order_by("created_at", "id")
    ):
        cards[round_.school_id].rounds.append(round_)

    # Open voorgesprekken, where the person leads them (one query).
    leaders = [school_id for school_id, card in cards.items() if card.acc.can_lead_intake]
    for conversation in (
        Conversation.objects.filter(school_id__in=leaders, decision=Decision.OPEN)
        .annotate(next_date=Min("dates__date", filter=Q(dates__date__gte=today)), last_date=Max("dates__date"))
        .order_by("created_at", "id")
    ):
        cards[conversation.school_id].conversations.append(conversation)

    for card in cards.values():
        card.need, card.need_date = _rank(card)
    return sorted(cards.values(), key=lambda c: (c.need, c.need_date, c.school.name.lower(), c.school.pk))


def trainer_home(request):
    """The home page of a trainer (pages.views.home sends them here)."""
    cards = trainer_overview(request.user)
    today = timezone.localdate()
    # The board-wide trainings for new staff they train (issue 14, part 4): the coming sessions, each with its
    # attendance page.
    board_sessions = [session for session, trains in board_sessions_of(request.user, today) if trains]
    return render(
        request,
        "pages/trainer_home.html",
        {
            "cards": cards,
            "boards": list(request.user.boards.order_by("name")),
            "board_sessions": board_sessions,
            "today": timezone.localdate(),
            "soon_days": SOON_DAYS,
        },
    )
