"""intake/services.py: the rules, the audit rows, optimistic versions; intake/summary.py."""

from __future__ import annotations

import datetime

import pytest

from audit.models import AuditEvent
from core.errors import ConflictError, ServiceError
from intake import services
from intake.models import Agreement, Conversation, Decision, Note
from intake.summary import kartrekker_count, latest_decision
from organisations.models import Membership
from tests.factories import make_member, make_user
from tests.intake_fixtures import build_intake, intake_rows, make_conversation


@pytest.fixture
def intake(cast):
    return build_intake(cast)


D = datetime.date


def audits(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_create_conversation_stores_dates_participants_and_an_audit_row(cast):
    conversation = make_conversation(
        cast.school,
        cast.trainer,
        dates=[D(2026, 11, 16), D(2026, 11, 2), D(2026, 11, 2)],
        participants=[cast.kartrekker],
    )
    assert [d.date for d in conversation.dates.all()] == [D(2026, 11, 2), D(2026, 11, 16)]
    assert list(conversation.participants.all()) == [cast.kartrekker]
    assert conversation.decision == Decision.OPEN
    event = audits("intake.conversation_created")[-1]
    assert event.actor == cast.trainer and event.school == cast.school
    assert event.data["dates"] == ["2026-11-02", "2026-11-16"]


def test_participants_must_belong_to_the_school(cast):
    before = (intake_rows(), AuditEvent.objects.count())
    with pytest.raises(ServiceError, match="Kies alleen mensen van deze school"):
        make_conversation(cast.school, cast.schoolleider, participants=[cast.kartrekker, cast.outsider])
    with pytest.raises(ServiceError, match="minstens één gespreksdatum"):
        services.do_create_conversation(
            school=cast.school, kind="verkennend", dates=[], participants=[], acting_user=cast.schoolleider
        )
    assert (intake_rows(), AuditEvent.objects.count()) == before


def test_update_conversation_with_a_stale_version_is_a_conflict(cast, intake):
    c = intake.conversation
    services.do_update_conversation(
        conversation=c,
        kind="praktisch",
        dates=[D(2026, 10, 1), D(2026, 10, 8)],
        participants=[cast.schoolleider],
        expected_version=1,
        acting_user=cast.kartrekker,
    )
    c.refresh_from_db()
    assert (c.kind, c.version) == ("praktisch", 2)
    assert [d.date for d in c.dates.all()] == [D(2026, 10, 1), D(2026, 10, 8)]
    assert audits("intake.conversation_changed")[-1].data["before"]["kind"] == "verkennend"
    before = intake_rows()
    with pytest.raises(ConflictError):
        services.do_update_conversation(
            conversation=c,
            kind="verkennend",
            dates=[D(2026, 1, 1)],
            participants=[],
            expected_version=1,
            acting_user=cast.trainer,
        )
    assert intake_rows() == before


def test_notes_are_saved_per_question_with_their_own_version(cast, intake):
    c = intake.conversation
    note = services.do_save_note(
        conversation=c, question_code="1.introductie.a", text="Nieuw", expected_version=1, acting_user=cast.trainer
    )
    assert (note.text, note.version, note.updated_by) == ("Nieuw", 2, cast.trainer)
    # Someone else saving another question does not conflict.
    other = services.do_save_note(
        conversation=c, question_code="2.training.a", text="Studiedag", expected_version=0, acting_user=cast.kartrekker
    )
    assert other.version == 1
    event = audits("intake.note_saved")[-1]
    assert event.data == {"question": "2.training.a", "length": len("Studiedag")}
    assert "Studiedag" not in str(event.data)  # notes never go into the audit log
    # Unchanged text: no new version, no audit row.
    n = AuditEvent.objects.count()
    services.do_save_note(
        conversation=c, question_code="2.training.a", text="Studiedag", expected_version=1, acting_user=cast.kartrekker
    )
    assert AuditEvent.objects.count() == n
    assert Note.objects.get(conversation=c, question_code="2.training.a").version == 1


def test_a_stale_note_is_never_overwritten(cast, intake):
    c = intake.conversation
    with pytest.raises(ConflictError):
        services.do_save_note(
            conversation=c, question_code="1.introductie.a", text="Oud", expected_version=0, acting_user=cast.trainer
        )
    assert Note.objects.get(pk=intake.note.pk).text == "Sara, Karel en Tom aan tafel."
    with pytest.raises(ServiceError, match="niet op de gespreksagenda"):
        services.do_save_note(
            conversation=c, question_code="9.onzin.a", text="x", expected_version=0, acting_user=cast.trainer
        )
    # An empty first save stores nothing.
    services.do_save_note(
        conversation=c, question_code="2.feedback.a", text="", expected_version=0, acting_user=cast.trainer
    )
    assert not Note.objects.filter(conversation=c, question_code="2.feedback.a").exists()


def test_twijfel_needs_a_follow_up_date_and_keeps_small_steps(cast, intake):
    c = intake.conversation
    before = (intake_rows(), AuditEvent.objects.count())
    with pytest.raises(ServiceError, match="datum voor de vervolgafspraak"):
        services.do_decide(
            conversation=c,
            decision="twijfel",
            follow_up_date=None,
            small_steps=[],
            expected_version=None,
            acting_user=cast.schoolleider,
        )
    with pytest.raises(ServiceError, match="kleine stappen uit de lijst"):
        services.do_decide(
            conversation=c,
            decision="twijfel",
            follow_up_date=D(2027, 3, 1),
            small_steps=["bestaat-niet"],
            expected_version=None,
            acting_user=cast.schoolleider,
        )
    assert (intake_rows(), AuditEvent.objects.count()) == before
    services.do_decide(
        conversation=c,
        decision="twijfel",
        follow_up_date=D(2027, 3, 1),
        small_steps=["introductiepresentatie", "kartrekker-werven"],
        expected_version=1,
        acting_user=cast.schoolleider,
    )
    c.refresh_from_db()
    assert (c.decision, c.follow_up_date, c.decided_by) == ("twijfel", D(2027, 3, 1), cast.schoolleider)
    assert c.small_steps == ["kartrekker-werven", "introductiepresentatie"]  # handbook order
    event = audits("intake.decision_changed")[-1]
    assert event.data["before"]["decision"] == "open"
    assert event.data["after"] == {
        "decision": "twijfel",
        "follow_up_date": "2027-03-01",
        "small_steps": ["kartrekker-werven", "introductiepresentatie"],
    }


def test_go_clears_the_follow_up_and_every_change_is_audited(cast, intake):
    c = intake.conversation
    services.do_decide(
        conversation=c,
        decision="twijfel",
        follow_up_date=D(2027, 3, 1),
        small_steps=["boek-aanschaffen"],
        expected_version=None,
        acting_user=cast.trainer,
    )
    services.do_decide(
        conversation=c,
        decision="go",
        follow_up_date=D(2027, 3, 1),
        small_steps=["boek-aanschaffen"],
        expected_version=None,
        acting_user=cast.kartrekker,
    )
    c.refresh_from_db()
    assert (c.decision, c.follow_up_date, c.small_steps, c.decided_by) == ("go", None, [], cast.kartrekker)
    assert [e.data["after"]["decision"] for e in audits("intake.decision_changed")] == ["twijfel", "go"]
    with pytest.raises(ConflictError):
        services.do_decide(
            conversation=c,
            decision="open",
            follow_up_date=None,
            small_steps=[],
            expected_version=1,
            acting_user=cast.trainer,
        )
    assert Conversation.objects.get(pk=c.pk).decision == "go"


def test_agreements_need_what_and_who_from_this_school(cast, intake):
    c = intake.conversation
    before = (intake_rows(), AuditEvent.objects.count())
    for values, message in [
        ({"what": " ", "owner_text": "Tom"}, "wat er gedaan wordt"),
        ({"what": "Iets", "owner_text": "  "}, "Kies wie dit doet"),
        ({"what": "Iets", "owner": cast.outsider}, "mensen van deze school"),
    ]:
        with pytest.raises(ServiceError, match=message):
            services.do_add_agreement(conversation=c, values=values, acting_user=cast.schoolleider)
    assert (intake_rows(), AuditEvent.objects.count()) == before
    a = services.do_add_agreement(
        conversation=c,
        values={
            "what": "Trainers werven",
            "owner_text": "de werkgroep",
            "due_date": D(2026, 12, 1),
            "support": "Budget",
        },
        acting_user=cast.schoolleider,
    )
    assert a.who == "de werkgroep"
    assert audits("intake.agreement_added")[-1].data == {"conversation": c.pk}
    a = services.do_update_agreement(
        agreement=a,
        values={"what": "Trainers werven", "owner": cast.trainer, "owner_text": ""},
        expected_version=1,
        acting_user=cast.trainer,
    )
    assert (a.version, a.who, a.support) == (2, "Tom Trainer", "")
    with pytest.raises(ConflictError):
        services.do_update_agreement(
            agreement=a, values={"what": "Oud", "owner_text": "x"}, expected_version=1, acting_user=cast.kartrekker
        )
    services.do_delete_agreement(agreement=a, acting_user=cast.kartrekker)
    assert not Agreement.objects.filter(pk=a.pk).exists()
    assert audits("intake.agreement_deleted")[-1].data["what"] == "Trainers werven"


def test_set_kartrekker_uses_the_role_change_service(cast):
    teamlid = Membership.objects.get(school=cast.school, user=cast.teamlid)
    assert kartrekker_count(cast.school).count == 1
    assert kartrekker_count(cast.school).too_few
    services.do_set_kartrekker(membership=teamlid, appoint=True, acting_user=cast.schoolleider)
    teamlid.refresh_from_db()
    assert teamlid.is_kartrekker and teamlid.is_teamlid
    event = audits("membership.roles_changed")[-1]
    assert event.data["after"] == ["kartrekker", "teamlid"]
    assert not kartrekker_count(cast.school).too_few
    # Appointing twice changes nothing.
    n = AuditEvent.objects.count()
    services.do_set_kartrekker(membership=teamlid, appoint=True, acting_user=cast.schoolleider)
    assert AuditEvent.objects.count() == n
    services.do_set_kartrekker(membership=teamlid, appoint=False, acting_user=cast.schoolleider)
    teamlid.refresh_from_db()
    assert not teamlid.is_kartrekker


def test_taking_away_the_only_role_is_refused(cast):
    only = make_member(cast.school, make_user("Enkel Kartrekker"), "kartrekker")
    with pytest.raises(ServiceError, match="geen rol meer"):
        services.do_set_kartrekker(membership=only, appoint=False, acting_user=cast.schoolleider)
    only.refresh_from_db()
    assert only.is_kartrekker


def test_latest_decision(cast, intake):
    assert latest_decision(cast.sister_school) is None
    summary = latest_decision(cast.school)
    assert (summary.conversation_id, summary.decision, summary.date) == (intake.conversation.pk, "open", D(2026, 10, 1))
    later = make_conversation(cast.school, cast.kartrekker, dates=[D(2026, 9, 1), D(2027, 1, 20)], kind="vervolg")
    services.do_decide(
        conversation=later,
        decision="twijfel",
        follow_up_date=D(2027, 4, 1),
        small_steps=[],
        expected_version=None,
        acting_user=cast.kartrekker,
    )
    summary = latest_decision(cast.school)
    assert summary.conversation_id == later.pk
    assert (summary.decision, summary.decision_label, summary.date) == ("twijfel", "Twijfel", D(2027, 1, 20))
    assert summary.follow_up_date == D(2027, 4, 1)
    assert summary.decided_at is not None
    assert latest_decision(cast.other_school).conversation_id == intake.other_conversation.pk
