"""Test data for the intake app (voorgesprekken, kartrekkers). Import the fixtures into a test module."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from intake import services
from intake.models import Agreement, Conversation, ConversationDate, Note
from organisations.models import Membership


@dataclass
class Intake:
    conversation: object  # De Regenboog's verkennend voorgesprek, one note, one agreement
    note: object
    agreement: object
    other_conversation: object  # De Vreemde's
    other_agreement: object


def make_conversation(school, by, *, dates=None, participants=(), kind="verkennend"):
    return services.do_create_conversation(
        school=school,
        kind=kind,
        dates=dates or [datetime.date(2026, 10, 1)],
        participants=list(participants),
        acting_user=by,
    )


def build_intake(cast) -> Intake:
    """Each test module using it defines ``@pytest.fixture def intake(cast): return build_intake(cast)``."""
    conversation = make_conversation(
        cast.school, cast.schoolleider, participants=[cast.schoolleider, cast.kartrekker, cast.trainer]
    )
    note = services.do_save_note(
        conversation=conversation,
        question_code="1.introductie.a",
        text="Sara, Karel en Tom aan tafel.",
        expected_version=0,
        acting_user=cast.kartrekker,
    )
    agreement = services.do_add_agreement(
        conversation=conversation,
        values={"what": "Introductiepresentatie plannen", "owner": cast.kartrekker, "owner_text": ""},
        acting_user=cast.schoolleider,
    )
    other = make_conversation(cast.other_school, cast.outsider, participants=[cast.outsider])
    other_agreement = services.do_add_agreement(
        conversation=other, values={"what": "Vreemde afspraak", "owner_text": "Olga"}, acting_user=cast.outsider
    )
    return Intake(
        conversation=conversation,
        note=note,
        agreement=agreement,
        other_conversation=other,
        other_agreement=other_agreement,
    )


def intake_rows(c=None):
    """Everything the intake app stores, for before/after snapshots."""
    return (
        sorted(
            Conversation.objects.values_list(
                "pk", "school_id", "kind", "decision", "follow_up_date", "small_steps", "version"
            )
        ),
        sorted(ConversationDate.objects.values_list("conversation_id", "date")),
        sorted(Conversation.participants.through.objects.values_list("conversation_id", "user_id")),
        sorted(Note.objects.values_list("conversation_id", "question_code", "text", "version")),
        sorted(
            Agreement.objects.values_list(
                "conversation_id", "owner_id", "owner_text", "what", "due_date", "support", "feedback", "version"
            )
        ),
    )


def kartrekker_rows(c=None):
    return sorted(Membership.objects.values_list("pk", "is_kartrekker", "is_teamlid", "is_schoolleiding"))
