"""Access rows for the implementation route (see tests/test_access.py for the rules and the columns).

Everyone in the school and the board reads the route; the kartrekker and the schoolleiding plan it; the owner of
a step (the teamlid in the cast) may mark it done or add a note, nothing else.
"""

from __future__ import annotations

import pytest

from tests.test_access import LOGIN, Case, check_case
from trajectory.models import Step, Trajectory

READERS_200 = (200, 200, 200, 200, 200, 200, 404, LOGIN)  # every member and the board
EDITORS_200 = (200, 200, 403, 403, 403, 403, 404, LOGIN)  # schoolleiding and kartrekker
EDITORS_302 = (302, 302, 403, 403, 403, 403, 404, LOGIN)
STEP_WORKERS_302 = (302, 302, 403, 302, 403, 403, 404, LOGIN)  # editors and the step's owner (teamlid)
NO_ROUTE_404 = (404, 404, 404, 404, 404, 404, 404, LOGIN)


def school(c):
    return {"school_id": c.school.pk}


def step_of(c):
    return {"school_id": c.school.pk, "step_id": c.route.step.pk}


def foreign_step(c):
    return {"step_id": c.route.other_step.pk}


def routes(c):
    return (
        sorted(Trajectory.objects.values_list("pk", "school_id", "training_start", "version")),
        sorted(Step.objects.values_list("pk", "start_date", "due_date", "owner_id", "status", "note")),
    )


R = ("route",)

CASES = [
    Case("route", "trajectory:overview", school, READERS_200, fixtures=R),
    Case("route-not-started", "trajectory:overview", school, READERS_200),
    Case("route-start", "trajectory:start", school, EDITORS_200),
    Case(
        "route-start-post",
        "trajectory:start",
        school,
        EDITORS_302,
        method="post",
        data=lambda c: {"training_start": "2027-09-01"},
        state=routes,
    ),
    Case("route-start-existing", "trajectory:start", school, EDITORS_302, fixtures=R),
    Case("route-edit-start", "trajectory:edit_start", school, EDITORS_200, fixtures=R),
    Case("route-edit-start-none", "trajectory:edit_start", school, (404, 404, 403, 403, 403, 403, 404, LOGIN)),
    Case(
        "route-edit-start-post",
        "trajectory:edit_start",
        school,
        EDITORS_302,
        method="post",
        data=lambda c: {"training_start": "2027-10-01", "version": str(c.route.trajectory.version)},
        state=routes,
        fixtures=R,
    ),
    Case("route-summary", "trajectory:summary", school, READERS_200, fixtures=R),
    Case("route-summary-none", "trajectory:summary", school, NO_ROUTE_404),
    Case("route-step", "trajectory:step", step_of, READERS_200, fixtures=R, foreign=foreign_step),
    Case(
        "route-step-post",
        "trajectory:step",
        step_of,
        STEP_WORKERS_302,
        method="post",
        data=lambda c: {
            "status": "gedaan",
            "note": "Gegeven op de studiedag",
            "start_date": "2026-12-01",
            "due_date": "2027-01-01",
            "version": str(c.route.step.version),
        },
        state=routes,
        fixtures=R,
        foreign=foreign_step,
    ),
    Case("route-ics", "trajectory:ics", school, READERS_200, fixtures=R),
    Case("route-ics-none", "trajectory:ics", school, NO_ROUTE_404),
    Case("route-docx", "trajectory:docx", school, READERS_200, fixtures=R),
    Case("route-pdf", "trajectory:pdf", school, READERS_200, fixtures=R),
]

POST_ONLY: set[str] = set()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access(case: Case, cast, request):
    check_case(case, cast, request, POST_ONLY)
