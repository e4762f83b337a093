"""Finding the team training's plans, sessions, groups and topics, under the access policy (organisations.access)."""

from __future__ import annotations

from organisations.access import SchoolAccess, school_object

from .models import Topic, TrainingGroup, TrainingPlan, TrainingSession


def get_training_plan(access: SchoolAccess, plan_id):
    """A training plan of this school, or 404."""
    return school_object(access, TrainingPlan.objects.select_related("school"), plan_id)


def get_training_session(access: SchoolAccess, session_id):
    """A training session of this school, or 404."""
    sessions = TrainingSession.objects.select_related("plan", "group", "school", "reflection_sent_by")
    return school_object(access, sessions, session_id)


def get_training_group(access: SchoolAccess, group_id):
    """A training group of this school, or 404."""
    return school_object(access, TrainingGroup.objects.select_related("plan"), group_id)


def get_training_topic(access: SchoolAccess, topic_id):
    """A werkmoment topic of this school, or 404."""
    return school_object(access, Topic.objects.select_related("session", "school"), topic_id)
