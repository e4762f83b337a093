"""Finding the leadership checklist's rounds, items and one's own answers, under the access policy
(organisations.access). Answers are shown to their author only: own_leadership_answers is the one way to them."""

from __future__ import annotations

from organisations.access import SchoolAccess, require, school_object

from .models import Answer, ChecklistRound, ExtraItem


def get_checklist_round(access: SchoolAccess, checklist_id):
    """A leadership checklist round of this school, or 404."""
    return school_object(access, ChecklistRound.objects.all(), checklist_id)


def get_leadership_item(access: SchoolAccess, item_id):
    """One of the school's own checklist items (active or retired), or 404."""
    return school_object(access, ExtraItem.objects.all(), item_id)


def own_leadership_answers(access: SchoolAccess, round_):
    """The current user's own answers in a checklist round: the only answers anyone is ever shown."""
    require(access.can_fill_leadership_checklist)
    return Answer.objects.filter(round=round_, round__school=access.school, user=access.user)
