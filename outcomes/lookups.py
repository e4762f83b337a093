"""Finding the questionnaire's surveys and own questions under the access policy (organisations.access).

There are no answers to look up: the server keeps tallies per role group only (see models.py)."""

from __future__ import annotations

from organisations.access import SchoolAccess, school_object

from .models import OwnItem, Survey


def get_survey(access: SchoolAccess, survey_id):
    """A questionnaire of this school, or 404."""
    return school_object(access, Survey.objects.all(), survey_id)


def get_own_item(access: SchoolAccess, item_id):
    """One of the school's own questions (active or retired), or 404."""
    return school_object(access, OwnItem.objects.all(), item_id)
