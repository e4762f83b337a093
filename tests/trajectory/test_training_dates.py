"""One date per milestone (issue 14, part 5, bullet 4): the training plan's sessions set the route's matching steps.

Before, the route said "Ontwikkelmodel invullen" on 8 February and the training plan 9 March; "werkgroep
presenteert" 8 April against 13 April. Now the route takes the plan's dates (trajectory/training_dates.py)."""

from __future__ import annotations

import datetime

import pytest

from audit.models import AuditEvent
from core.errors import ServiceError
from tests.training_fixtures import make_training
from training import services as training_services
from training.models import TrainingSession
from trajectory import services
from trajectory.models import Step
from trajectory.training_dates import LINKED_STEPS


def step(trajectory, code) -> Step:
    return Step.objects.get(trajectory=trajectory, code=code, occurrence=1)


def session(plan, kind) -> TrainingSession:
    return TrainingSession.objects.get(plan=plan, kind=kind)


@pytest.fixture
def both(cast):
    """The cast's school with a training plan (2026-2027) and then a route from its module 1."""
    training = make_training(cast)
    plan = training.plan
    start = session(plan, "module1").date
    trajectory = services.do_start_trajectory(school=cast.school, training_start=start, acting_user=cast.schoolleider)
    return plan, trajectory


def test_route_and_training_plan_give_one_date_per_milestone(cast, both):
    plan, trajectory = both
    pairs = {
        "introductiepresentatie": "intro",
        "ontwikkelmodel-invullen": "ontwikkelmodel",
        "plan-presenteren": "presentatie",
        "module-4-prioriteiten": "module34",
    }
    for code, kind in pairs.items():
        assert step(trajectory, code).due_date == session(plan, kind).date, code
        assert step(trajectory, code).start_date <= step(trajectory, code).due_date
    teamtraining = step(trajectory, "teamtraining")
    assert (teamtraining.start_date, teamtraining.due_date) == (
        session(plan, "module1").date,
        session(plan, "module34").date,
    )
    assert set(pairs) | {"teamtraining"} == set(LINKED_STEPS)
    assert AuditEvent.objects.filter(action="trajectory.dates_from_training").exists()


def test_moving_a_session_moves_the_route_step(cast, both, django_capture_on_commit_callbacks):
    plan, trajectory = both
    s = session(plan, "ontwikkelmodel")
    new_date = s.date + datetime.timedelta(days=9)
    with django_capture_on_commit_callbacks(execute=True):
        training_services.do_update_session(
            session=s, expected_version=s.version, acting_user=cast.kartrekker, date=new_date
        )
    assert step(trajectory, "ontwikkelmodel-invullen").due_date == new_date


def test_the_route_refuses_a_second_date_for_a_step_the_plan_dates(cast, both):
    plan, trajectory = both
    st = step(trajectory, "plan-presenteren")
    with pytest.raises(ServiceError, match="komt uit het trainingsplan"):
        services.do_update_step(
            step=st,
            start_date=st.start_date,
            due_date=st.due_date + datetime.timedelta(days=5),
            owner=None,
            status=st.status,
            note="",
            expected_version=st.version,
            acting_user=cast.kartrekker,
        )
    assert step(trajectory, "plan-presenteren").due_date == session(plan, "presentatie").date
    # Other fields of the same step still save.
    services.do_update_step(
        step=st,
        start_date=st.start_date,
        due_date=st.due_date,
        owner=cast.werkgroeplid,
        status=st.status,
        note="Presentatie in de teamvergadering",
        expected_version=st.version,
        acting_user=cast.kartrekker,
    )
    assert step(trajectory, "plan-presenteren").owner == cast.werkgroeplid


def test_moving_the_training_start_keeps_the_plans_dates(cast, both):
    plan, trajectory = both
    trajectory.refresh_from_db()
    services.do_move_training_start(
        trajectory=trajectory,
        training_start=trajectory.training_start + datetime.timedelta(days=30),
        expected_version=trajectory.version,
        acting_user=cast.schoolleider,
    )
    assert step(trajectory, "ontwikkelmodel-invullen").due_date == session(plan, "ontwikkelmodel").date
    assert step(trajectory, "plan-presenteren").due_date == session(plan, "presentatie").date


def test_a_route_without_a_training_plan_keeps_its_own_dates(cast):
    start = datetime.date(2027, 9, 7)
    trajectory = services.do_start_trajectory(school=cast.school, training_start=start, acting_user=cast.schoolleider)
    assert step(trajectory, "ontwikkelmodel-invullen").due_date == datetime.date(2028, 3, 7)
    assert not AuditEvent.objects.filter(action="trajectory.dates_from_training").exists()
