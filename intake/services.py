"""Writes for the voorgesprekken and the kartrekker role. Each writes an audit row; notes never go into it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import record
from core.errors import ConflictError, ServiceError
from core.versions import check_version
from organisations.models import Membership, Role
from organisations.services import do_change_roles

from .content import load_agenda
from .models import MAX_AGREEMENTS, MAX_DATES, Agreement, Conversation, ConversationDate, Decision, Kind, Note


def _check_people(school, users) -> list:
    """Participants and owners must be members of this school."""
    users = list(users)
    member_ids = set(Membership.objects.filter(school=school, user__in=users).values_list("user_id", flat=True))
    if any(u.pk not in member_ids for u in users):
        raise ServiceError(_("Kies alleen mensen van deze school."))
    return users


def _clean_dates(dates) -> list:
    dates = sorted(set(dates))
    if not dates:
        raise ServiceError(_("Vul minstens één gespreksdatum in."))
    if len(dates) > MAX_DATES:
        raise ServiceError(_("Gebruik maximaal %(n)d gespreksdatums.") % {"n": MAX_DATES})
    return dates


def _locked(conversation) -> Conversation:
    return Conversation.objects.select_for_update().get(pk=conversation.pk)


@transaction.atomic
def do_create_conversation(*, school, kind: str, dates, participants, acting_user, follows=None) -> Conversation:
    """A new voorgesprek; ``follows``: the conversation of this school it follows up (after a Twijfel)."""
    kind = Kind(kind).value
    dates = _clean_dates(dates)
    participants = _check_people(school, participants)
    if follows is not None and follows.school_id != school.pk:
        raise ServiceError(_("Een vervolggesprek hoort bij een gesprek van deze school."))
    conversation = Conversation.objects.create(school=school, kind=kind, follows=follows, created_by=acting_user)
    ConversationDate.objects.bulk_create(ConversationDate(conversation=conversation, date=d) for d in dates)
    conversation.participants.set(participants)
    record(
        action="intake.conversation_created",
        acting_user=acting_user,
        school=school,
        target=conversation,
        data={
            "kind": kind,
            "dates": [d.isoformat() for d in dates],
            "participants": len(participants),
            "follows": follows.pk if follows is not None else None,
        },
    )
    return conversation


@transaction.atomic
def do_update_conversation(
    *, conversation: Conversation, kind: str, dates, participants, expected_version, acting_user
) -> Conversation:
    conversation = _locked(conversation)
    check_version(conversation.version, expected_version)
    kind = Kind(kind).value
    dates = _clean_dates(dates)
    participants = _check_people(conversation.school, participants)
    before = {
        "kind": conversation.kind,
        "dates": [d.date.isoformat() for d in conversation.dates.all()],
        "participants": sorted(conversation.participants.values_list("pk", flat=True)),
    }
    conversation.kind = kind
    conversation.version += 1
    conversation.updated_at = timezone.now()
    conversation.save(update_fields=["kind", "version", "updated_at"])
    conversation.dates.exclude(date__in=dates).delete()
    existing = set(conversation.dates.values_list("date", flat=True))
    ConversationDate.objects.bulk_create(
        ConversationDate(conversation=conversation, date=d) for d in dates if d not in existing
    )
    conversation.participants.set(participants)
    after = {
        "kind": kind,
        "dates": [d.isoformat() for d in dates],
        "participants": sorted(u.pk for u in participants),
    }
    record(
        action="intake.conversation_changed",
        acting_user=acting_user,
        school=conversation.school,
        target=conversation,
        data={"before": before, "after": after},
    )
    return conversation


@transaction.atomic
def do_save_note(*, conversation: Conversation, question_code: str, text: str, expected_version, acting_user) -> Note:
    """Autosaved as a note taker types. One row per question; a save by someone else in between is a
    conflict (never overwritten). ``expected_version`` 0 means "there was no note yet when I started"."""
    if question_code not in load_agenda().question_codes:
        raise ServiceError(_("Deze vraag staat niet op de gespreksagenda."))
    _locked(conversation)  # serialises the first save of a question (no duplicate rows)
    note = Note.objects.filter(conversation=conversation, question_code=question_code).first()
    if note is None:
        if expected_version not in (None, 0):
            raise ConflictError(_("Deze aantekening bestaat niet meer. Laad de pagina opnieuw."))
        if not text:
            return Note(conversation=conversation, question_code=question_code, text="", version=0)
        note = Note.objects.create(
            conversation=conversation, question_code=question_code, text=text, updated_by=acting_user
        )
    else:
        check_version(note.version, expected_version)
        if note.text == text:
            return note
        note.text = text
        note.version += 1
        note.updated_at = timezone.now()
        note.updated_by = acting_user
        note.save(update_fields=["text", "version", "updated_at", "updated_by"])
    record(
        action="intake.note_saved",
        acting_user=acting_user,
        school=conversation.school,
        target=conversation,
        data={"question": question_code, "length": len(text)},
    )
    return note


@transaction.atomic
def do_decide(
    *, conversation: Conversation, decision: str, follow_up_date, small_steps, expected_version, acting_user
) -> Conversation:
    """Go, Twijfel or still open. Twijfel needs a follow-up date; the small steps belong to a Twijfel only."""
    conversation = _locked(conversation)
    check_version(conversation.version, expected_version)
    decision = Decision(decision).value
    wanted = set(small_steps or [])
    if not wanted <= set(load_agenda().small_step_codes):
        raise ServiceError(_("Kies alleen kleine stappen uit de lijst."))
    small_steps = [code for code in load_agenda().small_step_codes if code in wanted]  # in handbook order
    if decision == Decision.TWIJFEL:
        if follow_up_date is None:
            raise ServiceError(_("Bij twijfel hoort een datum voor de vervolgafspraak."))
    else:
        follow_up_date, small_steps = None, []
    before = {
        "decision": conversation.decision,
        "follow_up_date": conversation.follow_up_date.isoformat() if conversation.follow_up_date else None,
        "small_steps": conversation.small_steps,
    }
    after = {
        "decision": decision,
        "follow_up_date": follow_up_date.isoformat() if follow_up_date else None,
        "small_steps": small_steps,
    }
    if before == after:
        return conversation
    if conversation.decision != decision:
        conversation.decided_at = timezone.now() if decision != Decision.OPEN else None
        conversation.decided_by = acting_user if decision != Decision.OPEN else None
    conversation.decision = decision
    conversation.follow_up_date = follow_up_date
    conversation.small_steps = small_steps
    conversation.version += 1
    conversation.updated_at = timezone.now()
    conversation.save()
    record(
        action="intake.decision_changed",
        acting_user=acting_user,
        school=conversation.school,
        target=conversation,
        data={"before": before, "after": after},
    )
    return conversation


AGREEMENT_FIELDS = ("owner", "owner_text", "what", "due_date", "support", "feedback")


def _agreement_data(agreement: Agreement) -> dict:
    return {
        "owner": agreement.owner_id,
        "owner_text": agreement.owner_text,
        "what": agreement.what,
        "due_date": agreement.due_date.isoformat() if agreement.due_date else None,
        "support": agreement.support,
        "feedback": agreement.feedback,
    }


def _clean_agreement(conversation, values: dict) -> dict:
    values = {key: values.get(key) for key in AGREEMENT_FIELDS}
    for key in ("owner_text", "what", "support", "feedback"):
        values[key] = (values[key] or "").strip()
    if not values["what"]:
        raise ServiceError(_("Vul in wat er gedaan wordt."))
    if values["owner"] is None and not values["owner_text"]:
        raise ServiceError(_("Kies wie dit doet, of vul een naam of groep in."))
    if values["owner"] is not None:
        _check_people(conversation.school, [values["owner"]])
    return values


@transaction.atomic
def do_add_agreement(*, conversation: Conversation, values: dict, acting_user) -> Agreement:
    conversation = _locked(conversation)
    values = _clean_agreement(conversation, values)
    if conversation.agreements.count() >= MAX_AGREEMENTS:
        raise ServiceError(_("Een gesprek kan maximaal %(n)d afspraken hebben.") % {"n": MAX_AGREEMENTS})
    agreement = Agreement.objects.create(conversation=conversation, updated_by=acting_user, **values)
    record(
        action="intake.agreement_added",
        acting_user=acting_user,
        school=conversation.school,
        target=agreement,
        data={"conversation": conversation.pk},
    )
    return agreement


@transaction.atomic
def do_update_agreement(*, agreement: Agreement, values: dict, expected_version, acting_user) -> Agreement:
    agreement = Agreement.objects.select_for_update().select_related("conversation__school").get(pk=agreement.pk)
    check_version(agreement.version, expected_version)
    values = _clean_agreement(agreement.conversation, values)
    before = _agreement_data(agreement)
    for key, value in values.items():
        setattr(agreement, key, value)
    if _agreement_data(agreement) == before:
        return agreement
    agreement.version += 1
    agreement.updated_at = timezone.now()
    agreement.updated_by = acting_user
    agreement.save()
    record(
        action="intake.agreement_changed",
        acting_user=acting_user,
        school=agreement.conversation.school,
        target=agreement,
        data={"conversation": agreement.conversation_id},
    )
    return agreement


@transaction.atomic
def do_delete_agreement(*, agreement: Agreement, acting_user) -> None:
    agreement = Agreement.objects.select_for_update().select_related("conversation__school").get(pk=agreement.pk)
    record(
        action="intake.agreement_deleted",
        acting_user=acting_user,
        school=agreement.conversation.school,
        target=agreement,
        data={"conversation": agreement.conversation_id, "what": agreement.what[:100]},
    )
    agreement.delete()


@transaction.atomic
def do_set_kartrekker(*, membership: Membership, appoint: bool, acting_user) -> Membership:
    """Appoint a member as kartrekker or take the role away, through the organisations role-change service
    (which checks the schoolleiding rules and writes the audit row)."""
    roles = set(membership.roles)
    if appoint:
        roles.add(Role.KARTREKKER.value)
    else:
        roles.discard(Role.KARTREKKER.value)
    if roles == set(membership.roles):
        return membership
    if not roles:
        raise ServiceError(
            _(
                "%(name)s heeft dan geen rol meer in de school. Geef eerst een andere rol (bijvoorbeeld teamlid) "
                "via Leden en rollen."
            )
            % {"name": membership.user.display_name}
        )
    return do_change_roles(membership=membership, roles=sorted(roles), acting_user=acting_user)
