"""Finding the school's route and its steps, under the access policy (organisations.access).

Everyone in the school and the board may read the route (it holds dates and owners, no opinions); the kartrekker
and the schoolleiding plan it; whoever owns a step may mark it done or add a note. Capabilities are
SchoolAccess.can_edit_trajectory and .can_work_on_step(step).
"""

from __future__ import annotations

from core.prepared import PreparedQuery, instances
from organisations.access import SchoolAccess, school_object

from .models import Step, Trajectory

_TRAJECTORY_FIELDS = [f.attname for f in Trajectory._meta.concrete_fields]
# Every route page asks it first: built by the ORM once per process (core.prepared).
_TRAJECTORY = PreparedQuery(
    lambda p: Trajectory.objects.filter(school_id=p.school).values(*_TRAJECTORY_FIELDS), ints=("school",)
)


def get_trajectory(access: SchoolAccess):
    """The school's route (with the school), or None when it has not been started yet."""
    rows = _TRAJECTORY.rows(school=access.school.pk)
    if not rows:
        return None
    [trajectory] = instances(Trajectory, rows)
    trajectory.school = access.school
    return trajectory


def get_route_step(access: SchoolAccess, step_id):
    """A step of this school's route, or 404."""
    steps = Step.objects.select_related("trajectory", "owner", "finished_by", "updated_by")
    return school_object(access, steps, step_id, via="trajectory__school")
