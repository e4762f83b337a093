"""The cast's routes: De Regenboog plans its team training for next spring, De Vreemde has a route too."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from trajectory import services


@dataclass
class Route:
    trajectory: object
    step: object  # owned by the teamlid
    other_trajectory: object
    other_step: object


def start_route(school, by, training_start=datetime.date(2027, 3, 1)):
    return services.do_start_trajectory(school=school, training_start=training_start, acting_user=by)


@pytest.fixture
def route(cast) -> Route:
    trajectory = start_route(cast.school, cast.kartrekker)
    step = trajectory.steps.get(code="introductiepresentatie")
    step.owner = cast.teamlid
    step.save(update_fields=["owner"])
    other = start_route(cast.other_school, cast.outsider)
    return Route(
        trajectory=trajectory,
        step=step,
        other_trajectory=other,
        other_step=other.steps.get(code="introductiepresentatie"),
    )
