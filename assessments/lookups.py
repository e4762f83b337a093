"""Finding a round and one's participation in it, under the access policy (organisations.access); the round views
start with round_access, fill_access or closed_round_access."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from core.prepared import PreparedQuery, instances
from ontwikkelmodel.models import ModelVersion
from organisations.access import ORGANISER_ROLES, SchoolAccess, parse_id, require, school_access, school_object
from organisations.models import Membership

from .models import Answer, Participant, Round, RoundStatus


def get_round(access: SchoolAccess, round_id):
    """A round of this school, or 404. Its model version without the stored content, which is parsed once per process
    (ModelVersion.model)."""
    return school_object(access, _rounds(), round_id)


def round_access(request, school_id, round_id, *needs: str):
    """The request's school access (organisations.access.school_access: 404 for another school or none) and the round
    of that school (else 404); then 403 unless every capability named in ``needs`` holds (after the round's 404)."""
    acc = school_access(request, school_id)
    round_ = get_round(acc, round_id)
    for need in needs:
        require(getattr(acc, need))
    return acc, round_


def closed_round_access(request, school_id, round_id):
    """Like round_access, for a closed round's result and exports: a round that is not closed is a 404."""
    acc, round_ = round_access(request, school_id, round_id)
    if not round_.is_closed:
        raise Http404
    return acc, round_


def _rounds():
    return Round.objects.select_related("model_version", "school").defer("model_version__data")


def _fields(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


_PARTICIPANT, _ROUND = _fields(Participant), _fields(Round)
_VERSION = ["id", "version", "stored_at"]  # not its content: parsed once per process (ModelVersion.model)
# The participation with its round and model version: the fill-in pages ask for it on every request, so it is built by
# the ORM once per process (core.prepared).
PARTICIPATION = PreparedQuery(
    lambda p: Participant.objects.filter(round__school=p.school, round_id=p.round, user=p.user).values(
        *_PARTICIPANT, *[f"round__{f}" for f in _ROUND], *[f"round__model_version__{f}" for f in _VERSION]
    ),
    ints=("school", "round", "user"),
)


def get_round_and_participant(access: SchoolAccess, round_id):
    """The round of this school (else 404) and the current user's participation in it (else 403), as get_round and
    get_participant do, in one query for a participant (the fill-in pages)."""
    if access.is_member:
        rows = PARTICIPATION.rows(school=access.school.pk, round=parse_id(round_id), user=access.user.pk)
        if rows:
            row = rows[0]
            [participant] = instances(Participant, [{f: row[f] for f in _PARTICIPANT}])
            [round_] = instances(Round, [{f: row[f"round__{f}"] for f in _ROUND}])
            [version] = instances(ModelVersion, [{f: row[f"round__model_version__{f}"] for f in _VERSION}])
            round_.model_version, round_.school, participant.round = version, access.school, round_
            return round_, participant
    round_ = get_round(access, round_id)
    return round_, get_participant(access, round_)


def fill_access(request, school_id, round_id):
    """The fill-in pages' entry: the request's school access, the round (404) and the user's participation (403), the
    last two in one query (get_round_and_participant)."""
    acc = school_access(request, school_id)
    round_, participant = get_round_and_participant(acc, round_id)
    return acc, round_, participant


ANSWERS = PreparedQuery(
    lambda p: Answer.objects.filter(participant=p.participant).values("accent_code", "phase", "strengths", "goal"),
    ints=("participant",),
)


def own_answers(participant) -> dict[str, dict]:
    """Accent code → the participant's answer (phase, strengths, goal): the fill-in pages' one query for them."""
    return {row["accent_code"]: row for row in ANSWERS.rows(participant=participant.pk)}


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
