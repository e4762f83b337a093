"""Finding a round and one's participation in it, under the access policy (organisations.access)."""

from __future__ import annotations

from organisations.access import SchoolAccess, require, school_object

from .models import Participant, Round


def get_round(access: SchoolAccess, round_id):
    """A round of this school, or 404."""
    return school_object(access, Round.objects.select_related("model_version", "school"), round_id)


def get_participant(access: SchoolAccess, round_):
    """The current user's participation in a round (403 if not a participant)."""
    require(access.is_member)
    participant = Participant.objects.filter(round=round_, user=access.user).first()
    require(participant is not None)
    return participant
