"""Fixtures for the team training tests: a plan for De Regenboog and a small one for De Vreemde."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from training import services
from training.models import Attendance, Topic, TrainingGroup, TrainingPlan, TrainingSession


@dataclass
class Training:
    plan: object
    group: object
    session: object  # module 1 (past), for the group
    werkmoment: object  # werkmoment 3 (future), for the group
    topic: object
    other_plan: object  # the outsider's school
    other_session: object
    other_group: object
    other_topic: object


def make_training(cast, *, school_year=2026) -> Training:
    k = cast.kartrekker
    plan = services.do_create_plan(school=cast.school, school_year=school_year, acting_user=k)
    group = services.do_save_group(
        plan=plan,
        name="Groep A",
        members=[cast.kartrekker, cast.werkgroeplid, cast.teamlid],
        trainers=[cast.trainer],
        acting_user=k,
    )
    session = plan.sessions.get(kind="module1")
    werkmoment = plan.sessions.get(kind="werkmoment3")
    TrainingSession.objects.filter(pk__in=[session.pk, werkmoment.pk]).update(group=group)
    session.refresh_from_db()
    werkmoment.refresh_from_db()
    services.do_save_attendance(
        session=session,
        marks={cast.kartrekker.pk: "aanwezig", cast.werkgroeplid.pk: "afgemeld", cast.teamlid.pk: "afwezig"},
        acting_user=k,
    )
    topic = services.do_add_topic(session=werkmoment, title="Time-in", acting_user=k)
    o = cast.outsider
    other_plan = services.do_create_plan(school=cast.other_school, school_year=school_year, acting_user=o)
    other_group = services.do_save_group(plan=other_plan, name="Vreemde groep", members=[o], trainers=[], acting_user=o)
    other_session = other_plan.sessions.get(kind="werkmoment1")
    other_topic = services.do_add_topic(session=other_session, title="Vreemd onderwerp", acting_user=o)
    return Training(plan, group, session, werkmoment, topic, other_plan, other_session, other_group, other_topic)


@pytest.fixture
def training(cast) -> Training:
    return make_training(cast)


def training_rows(c=None):
    """Everything of both schools' training plans a POST could change."""
    return (
        sorted(TrainingPlan.objects.values_list("pk", "school_id", "school_year")),
        sorted(
            TrainingSession.objects.values_list(
                "pk", "title", "date", "start_time", "end_time", "location", "group_id", "reflection_sent_at", "version"
            )
        ),
        sorted(TrainingSession.trainers.through.objects.values_list("trainingsession_id", "user_id")),
        sorted(TrainingGroup.objects.values_list("pk", "name", "version")),
        sorted(TrainingGroup.members.through.objects.values_list("traininggroup_id", "user_id")),
        sorted(TrainingGroup.trainers.through.objects.values_list("traininggroup_id", "user_id")),
        sorted(Attendance.objects.values_list("session_id", "user_id", "status")),
        sorted(Topic.objects.values_list("pk", "title")),
        sorted(Topic.signups.through.objects.values_list("topic_id", "user_id")),
    )


__all__ = ["Training", "make_training", "training", "training_rows"]
