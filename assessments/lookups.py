"""Finding a round and one's participation in it, under the access policy (organisations.access)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from organisations.access import ORGANISER_ROLES, SchoolAccess, require, school_object
from organisations.models import Membership

from .models import Participant, Round, RoundStatus


def get_round(access: SchoolAccess, round_id):
    """A round of this school, or 404."""
    return school_object(access, Round.objects.select_related("model_version", "school"), round_id)


def get_participant(access: SchoolAccess, round_):
    """The current user's participation in a round (403 if not a participant)."""
    require(access.is_member)
    participant = Participant.objects.filter(round=round_, user=access.user).first()
    if participant is None:
        require(False, not_a_participant_reason(round_))
    return participant


def not_a_participant_reason(round_) -> str:
    """Why a colleague of the school cannot fill in this round, and who can add them (Dutch)."""
    organisers = sorted(
        m.user.display_name
        for m in Membership.objects.filter(school_id=round_.school_id).select_related("user")
        if m.has_role(*ORGANISER_ROLES)
    )
    # No title: a 403 page tells nothing about the object itself.
    reason = _("Je doet niet mee aan deze ronde: je staat niet op de lijst met deelnemers.")
    if round_.status != RoundStatus.OPEN:
        return reason + " " + _("Het invullen van deze ronde is bovendien al gesloten.")
    who = ", ".join(organisers) if organisers else _("de kartrekker of de schoolleiding")
    return (
        reason
        + " "
        + _(
            "Wie de ronde organiseert (kartrekker of schoolleiding: %(who)s) kan je toevoegen via Ronde wijzigen, "
            "zolang het invullen openstaat."
        )
        % {"who": who}
    )
