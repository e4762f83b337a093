"""Fixtures for the leadership checklist tests (Bijlage 6): a round with answers, the school's own items."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from leadership import services
from leadership.models import Answer, ChecklistRound, ConversationNote, ExtraItem


@dataclass
class Leadership:
    round: object  # De Regenboog's current round
    item: object  # an own item on the checklist
    retired_item: object  # an own item taken off the checklist, answered before
    other_round: object  # the outsider's school
    other_item: object


@pytest.fixture(name="leadership")
def leadership_fixture(cast) -> Leadership:
    sl = cast.schoolleider
    round_ = services.do_start_round(school=cast.school, title="Schooljaar 2026-2027", acting_user=sl)
    item = services.do_add_item(school=cast.school, text="Ik vier successen met het team.", acting_user=sl)
    retired = services.do_add_item(school=cast.school, text="Ik ken de namen van alle ouders.", acting_user=sl)
    services.do_save_answers(round_=round_, answers={"hb1": 4, retired.key: 2}, acting_user=sl)
    retired = services.do_retire_item(item=retired, acting_user=sl)
    services.do_save_note(
        round_=round_,
        question_code="2d",
        text="Prioriteit: rol van leidinggevenden.",
        expected_version=0,
        acting_user=sl,
    )
    o = cast.outsider
    other_round = services.do_start_round(school=cast.other_school, title="Vreemde ronde", acting_user=o)
    other_item = services.do_add_item(school=cast.other_school, text="Vreemde uitspraak.", acting_user=o)
    services.do_save_answers(round_=other_round, answers={"hb1": 1, other_item.key: 5}, acting_user=o)
    return Leadership(round=round_, item=item, retired_item=retired, other_round=other_round, other_item=other_item)


def leadership_rows(c=None) -> dict:
    """Everything a leadership request could change, in both schools."""
    return {
        "rounds": sorted(ChecklistRound.objects.values_list("pk", "school_id", "title")),
        "items": sorted(ExtraItem.objects.values_list("pk", "school_id", "text", "version", "retired_at")),
        "answers": sorted(Answer.objects.values_list("round_id", "user_id", "item_key", "value")),
        "notes": sorted(ConversationNote.objects.values_list("round_id", "question_code", "text", "version")),
    }
