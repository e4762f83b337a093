"""Demo data for `make run`: a training plan for the current school year with a group and attendance, and the
board's training for new staff of its two schools (handbook 4.3.4)."""

import datetime

from django.utils import timezone

from core.dates import school_year_of
from organisations.models import Membership

from . import board_services, services
from .models import AttendanceStatus, TrainingPlan

# The board's new staff meet on the Wednesday after a werkmoment of the team training (module 1 in October, module 2
# in December before the holiday, modules 3 and 4 in February), as long as the team's own session of that module.
BOARD_SESSIONS = (("module1", "werkmoment1"), ("module2", "werkmoment2"), ("module34", "werkmoment3"))
BOARD_LOCATION = "Bestuursbureau Stichting De Brug"


def newcomer_joined(plan) -> datetime.datetime:
    """When the demo's new staff came in: two weeks before the first werkmoment, after the team training's module 1
    (so they missed it), or now if that is still to come."""
    werkmoment = plan.sessions.get(kind="werkmoment1").date - datetime.timedelta(days=14)
    return min(timezone.make_aware(datetime.datetime.combine(werkmoment, datetime.time(8, 0))), timezone.now())


def create_demo_training(school, users: dict, *, lead) -> datetime.date:
    """The plan for this school year; returns the date of module 1 (the start of the team training)."""
    today = timezone.localdate()
    year = school_year_of(today)
    plan = services.do_create_plan(school=school, school_year=year, acting_user=lead)
    # The team was there before the training started; one colleague joined later (a new staff member).
    Membership.objects.filter(school=school).update(joined_at=timezone.make_aware(datetime.datetime(year, 6, 1)))
    newcomer = users.get("teamlid2")
    if newcomer is not None:
        Membership.objects.filter(school=school, user=newcomer).update(joined_at=newcomer_joined(plan))
    joined = {
        user_id: timezone.localtime(at).date()
        for user_id, at in Membership.objects.filter(school=school).values_list("user_id", "joined_at")
    }
    team = [m.user for m in services.team_memberships(school)]
    trainers = [u for key, u in users.items() if key in ("trainer", "intern-trainer")]
    group = services.do_save_group(plan=plan, name="Groep 1", members=team[:20], trainers=trainers, acting_user=lead)
    cycle = [AttendanceStatus.PRESENT] * 5 + [AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED]
    for session in plan.sessions.filter(date__lte=today):
        session.group = group if session.kind != "intro" else None
        session.save(update_fields=["group"])
        people = [u for u in services.roster(session) if joined[u.pk] <= session.date]  # not before they came
        marks = {u.pk: cycle[(i + session.pk) % len(cycle)] for i, u in enumerate(people)}
        services.do_save_attendance(session=session, marks=marks, acting_user=lead)
    werkmoment = plan.sessions.filter(kind__startswith="werkmoment", date__gte=today).first()
    if werkmoment is not None:
        services.do_add_topic(session=werkmoment, title="Dagelijkse check-in & check-out", acting_user=lead)
    return plan.sessions.get(kind="module1").date


def create_demo_board_training(*, board, plan_school, schools, newcomers, trainer, beheerder):
    """The board's training for new staff of ``schools`` this school year: one group with ``newcomers`` (users, one
    membership each in those schools, who came in after the team training began), three sessions for the whole
    group dated from ``plan_school``'s team training plan (BOARD_SESSIONS), given by ``trainer``; the sessions held by
    today have their attendance registered, everyone present, so it counts at their own school."""
    today = timezone.localdate()
    plan = TrainingPlan.objects.get(school=plan_school, school_year=school_year_of(today))
    memberships = list(Membership.objects.filter(school__in=schools, user__in=newcomers))
    assert len(memberships) == len(newcomers), "each newcomer works at one of the schools"
    Membership.objects.filter(pk__in=[m.pk for m in memberships]).update(joined_at=newcomer_joined(plan))
    training = board_services.do_create_board_training(
        board=board,
        title="Training nieuwe medewerkers",
        school_year=plan.school_year,
        schools=schools,
        acting_user=beheerder,
    )
    group = training.groups.get()
    board_services.do_save_board_group(
        training=training, group=group, name=group.name, memberships=memberships, acting_user=beheerder
    )
    team_sessions = {s.kind: s for s in plan.sessions.all()}
    for kind, after in BOARD_SESSIONS:
        team_session = team_sessions[kind]
        session = board_services.do_create_board_session(
            training=training,
            kind=kind,
            title=f"{team_session.title} voor nieuwe medewerkers",
            date=team_sessions[after].date + datetime.timedelta(days=1),
            start_time=team_session.start_time,
            end_time=team_session.end_time,
            location=BOARD_LOCATION,
            group=None,
            trainers=[trainer],
            acting_user=beheerder,
        )
        if session.date <= today:
            roster = board_services.board_roster(session)
            board_services.do_save_board_attendance(
                session=session, marks={p.pk: AttendanceStatus.PRESENT for p in roster}, acting_user=trainer
            )
    return training
