"""Calendar feeds (issue 14): what a person's subscribed calendar shows, built with core.ics (the icalendar library).

- ``person_events``: the personal feed behind the secret URL (accounts.calendar_feeds): for every school the person
  is a member of, the route's open steps (as in the route's .ics export), the werkgroep's meetings and the team
  training's sessions that concern them: all sessions for the school's organisers and trainers, the whole-team
  sessions and those of their own training group for everyone else. Schools a board member only follows are not in
  it, nor anything of a school the person is not in.
- ``trainer_events``: a trainer's sessions over all the schools where they are a trainer (intern or extern).

Only what the person may see in the app: dates, titles, locations, group names, who owns a route step. Never an
answer, an attendance mark or a note. Meetings and sessions from FEED_PAST_DAYS ago on, so a subscribed calendar
keeps the recent past; route steps while they are open. A fixed number of queries, whatever the number of schools.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from actionplans.models import Meeting
from core import ics
from organisations.models import Membership, Role
from training.models import BoardTrainingParticipant, BoardTrainingSession, TrainingGroup, TrainingSession
from trajectory.content import load_route
from trajectory.exports import meeting_event, step_event
from trajectory.models import Step, StepStatus, Trajectory
from trajectory.overview import with_content

FEED_PAST_DAYS = 90
TRAINER_ROLES = (Role.TRAINER_INTERN, Role.TRAINER_EXTERN)
SEES_ALL_SESSIONS = (Role.SCHOOLLEIDING, Role.KARTREKKER, *TRAINER_ROLES)


def _with_school(event: ics.Event, school_name: str, several: bool) -> ics.Event:
    """With several schools in one calendar, each title says which school it is about."""
    if not several:
        return event
    return ics.Event(**{**event.__dict__, "summary": f"{event.summary} ({school_name})"})


def session_event(session: TrainingSession, *, mine: bool = False) -> ics.Event:
    """A team training session (the same UID and text as the route's .ics export, training/calendar.py)."""
    start: datetime.date
    end: datetime.date | None
    if session.start_time and session.end_time:
        start = datetime.datetime.combine(session.date, session.start_time, tzinfo=ics.AMSTERDAM)
        end = datetime.datetime.combine(session.date, session.end_time, tzinfo=ics.AMSTERDAM)
    else:
        start, end = session.date, None
    parts = [_("Teamtraining TSO %(year)s") % {"year": session.plan.school_year_label}]
    if session.group is not None:
        parts.append(_("Trainingsgroep: %(name)s") % {"name": session.group.name})
    if mine:
        parts.append(_("Je bent trainer bij deze sessie."))
    return ics.Event(
        uid=f"training-session-{session.pk}@groeiwijzer",
        summary=session.title,
        start=start,
        end=end,
        location=session.location,
        description="\n".join(parts),
    )


def board_session_event(session: BoardTrainingSession, *, mine: bool = False) -> ics.Event:
    """A session of a board's training for new staff (issue 14, part 4): the board's name in the title."""
    start: datetime.date
    end: datetime.date | None
    if session.start_time and session.end_time:
        start = datetime.datetime.combine(session.date, session.start_time, tzinfo=ics.AMSTERDAM)
        end = datetime.datetime.combine(session.date, session.end_time, tzinfo=ics.AMSTERDAM)
    else:
        start, end = session.date, None
    parts = [_("Training voor nieuwe medewerkers: %(title)s") % {"title": session.training.title}]
    if session.group is not None:
        parts.append(_("Groep: %(name)s") % {"name": session.group.name})
    if mine:
        parts.append(_("Je bent trainer bij deze sessie."))
    return ics.Event(
        uid=f"board-training-session-{session.pk}@groeiwijzer",
        summary=f"{session.title} ({session.training.board.name})",
        start=start,
        end=end,
        location=session.location,
        description="\n".join(parts),
    )


def board_sessions_of(user, since):
    """The board-wide new-staff sessions ``user`` trains or takes part in (a participant: the sessions of the
    whole training or of their own group), from ``since`` on, with whether they train it. Two queries."""
    groups = {
        (training_id, group_id)
        for training_id, group_id in BoardTrainingParticipant.objects.filter(membership__user=user).values_list(
            "training_id", "group_id"
        )
    }
    trainings = {training_id for training_id, _group in groups}
    sessions = (
        BoardTrainingSession.objects.filter(date__gte=since)
        .filter(Q(trainers=user) | Q(training_id__in=trainings))
        .select_related("training__board", "group")
        .prefetch_related("trainers")
        .distinct()
        .order_by("date", "start_time", "id")
    )
    out = []
    for session in sessions:
        mine = any(t.pk == user.pk for t in session.trainers.all())
        if mine or session.group_id is None or (session.training_id, session.group_id) in groups:
            out.append((session, mine))
    return out


def _sessions(school_ids, since):
    return (
        TrainingSession.objects.filter(school_id__in=school_ids, date__gte=since)
        .select_related("plan", "group", "school")
        .order_by("date", "start_time", "id")
    )


def person_events(user, *, base_url: str, today: datetime.date | None = None) -> list[ics.Event]:
    """The personal feed's events (eight queries), the board-wide new-staff sessions one trains or takes part in
    included."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=FEED_PAST_DAYS)
    memberships = {m.school_id: m for m in Membership.objects.filter(user=user).select_related("school")}
    ids = list(memberships)
    several = len(ids) > 1
    names = {school_id: m.school.name for school_id, m in memberships.items()}
    events: list[ics.Event] = []

    route = load_route()
    trajectories = dict(Trajectory.objects.filter(school_id__in=ids).values_list("pk", "school_id"))
    steps = Step.objects.filter(trajectory_id__in=list(trajectories), status=StepStatus.OPEN).select_related("owner")
    for step in sorted(with_content(list(steps), route, today), key=lambda s: (s.start_date, s.content.order)):
        school_id = trajectories[step.trajectory_id]
        events.append(_with_school(step_event(step, school_id, route, base_url=base_url), names[school_id], several))

    for meeting in Meeting.objects.filter(school_id__in=ids, date__gte=since).order_by("date", "start_time", "id"):
        events.append(_with_school(meeting_event(meeting, base_url), names[meeting.school_id], several))

    my_groups = set(
        TrainingGroup.members.through.objects.filter(user=user, traininggroup__school_id__in=ids).values_list(
            "traininggroup_id", flat=True
        )
    )
    for session in _sessions(ids, since):
        membership = memberships[session.school_id]
        if membership.has_role(*SEES_ALL_SESSIONS) or session.group_id is None or session.group_id in my_groups:
            events.append(_with_school(session_event(session), names[session.school_id], several))
    events += [board_session_event(session, mine=mine) for session, mine in board_sessions_of(user, since)]
    return events


def trainer_school_ids(user) -> list[int]:
    return list(
        Membership.objects.filter(user=user)
        .filter(Q(is_trainer_intern=True) | Q(is_trainer_extern=True))
        .values_list("school_id", flat=True)
    )


def trainer_events(user, school_ids, *, today: datetime.date | None = None) -> list[ics.Event]:
    """Every session of the schools where ``user`` is a trainer, each titled with its school, and the board-wide
    new-staff sessions they train (four queries)."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=FEED_PAST_DAYS)
    sessions = list(_sessions(school_ids, since))
    mine = set(
        TrainingSession.trainers.through.objects.filter(
            user=user, trainingsession__school_id__in=school_ids, trainingsession__date__gte=since
        ).values_list("trainingsession_id", flat=True)
    )
    events = [_with_school(session_event(s, mine=s.pk in mine), s.school.name, True) for s in sessions]
    return events + [board_session_event(s, mine=True) for s, trains in board_sessions_of(user, since) if trains]


def trainer_calendar(user, school_ids) -> bytes:
    return ics.calendar(
        trainer_events(user, school_ids), name=_("Trainingssessies TSO – %(name)s") % {"name": user.display_name}
    )


def person_calendar(user, *, base_url: str) -> bytes:
    return ics.calendar(
        person_events(user, base_url=base_url), name=_("Groeiwijzer TSO – %(name)s") % {"name": user.display_name}
    )
