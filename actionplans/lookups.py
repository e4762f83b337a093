"""Finding the plan's goals, actions, steps and meetings, under the access policy (organisations.access)."""

from __future__ import annotations

from organisations.access import SchoolAccess, alive_or_deleted, one_or_404, require, school_object

from .models import Action, ActionStep, Goal, Meeting


def get_goal(access: SchoolAccess, goal_id, *, deleted: bool | None = False):
    """A goal of this school's plan, or 404."""
    goals = Goal.objects.select_related("source_round", "monitored_by")
    return school_object(access, alive_or_deleted(goals, deleted), goal_id)


def get_action(access: SchoolAccess, action_id, *, deleted: bool | None = False):
    """An action of this school's plan, or 404."""
    actions = Action.objects.select_related("goal", "owner")
    return school_object(access, alive_or_deleted(actions, deleted), action_id)


def get_step(action, step_id):
    """A step of an action found with get_action, or 404."""
    return one_or_404(ActionStep.objects.filter(action=action), step_id)


def get_meeting(access: SchoolAccess, meeting_id, *, deleted: bool = False):
    """A meeting of this school, or 404. deleted=True: only one in the trash (to restore)."""
    require(access.can_view_meetings)
    meetings = Meeting.all_objects.restorable() if deleted else Meeting.objects.all()
    return school_object(access, meetings.select_related("chair", "timekeeper", "note_taker"), meeting_id)
