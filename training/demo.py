"""Demo data for `make run`: a training plan for the current school year with a group and attendance."""

import datetime

from django.utils import timezone

from organisations.models import Membership

from . import services
from .models import AttendanceStatus


def create_demo_training(school, users: dict, *, lead) -> datetime.date:
    """The plan for this school year; returns the date of module 1 (the start of the team training)."""
    today = timezone.localdate()
    year = today.year if today.month >= 8 else today.year - 1
    plan = services.do_create_plan(school=school, school_year=year, acting_user=lead)
    # The team was there before the training started; one colleague joined later (a new staff member).
    Membership.objects.filter(school=school).update(joined_at=timezone.make_aware(datetime.datetime(year, 6, 1)))
    newcomer = users.get("teamlid2")
    if newcomer is not None:
        Membership.objects.filter(school=school, user=newcomer).update(joined_at=timezone.now())
    team = [m.user for m in services.team_memberships(school)]
    trainers = [u for key, u in users.items() if key in ("trainer", "intern-trainer")]
    group = services.do_save_group(plan=plan, name="Groep 1", members=team[:20], trainers=trainers, acting_user=lead)
    cycle = [AttendanceStatus.PRESENT] * 5 + [AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED]
    for session in plan.sessions.filter(date__lte=today):
        session.group = group if session.kind != "intro" else None
        session.save(update_fields=["group"])
        people = services.roster(session)
        marks = {u.pk: cycle[(i + session.pk) % len(cycle)] for i, u in enumerate(people)}
        services.do_save_attendance(session=session, marks=marks, acting_user=lead)
    werkmoment = plan.sessions.filter(kind__startswith="werkmoment", date__gte=today).first()
    if werkmoment is not None:
        services.do_add_topic(session=werkmoment, title="Dagelijkse check-in & check-out", acting_user=lead)
    return plan.sessions.get(kind="module1").date
