"""The leadership checklist (Bijlage 6): services, privacy of individual answers, pages, query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from audit.models import AuditEvent
from core.errors import ConflictError, ServiceError
from leadership import services
from leadership.content import load_content
from leadership.models import MAX_EXTRA_ITEMS, Answer, ConversationNote, ExtraItem
from organisations.models import Role
from tests.factories import make_member, make_user
from tests.leadership_fixtures import leadership_fixture, leadership_rows  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_leader(cast):
    """Another MT member of De Regenboog: must never see the schoolleider's answers."""
    user = make_user("Mila MT", "mila@regenboog.test")
    make_member(cast.school, user, Role.SCHOOLLEIDING)
    return user


def audits(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


# Rounds --------------------------------------------------------------------------------------------------


def test_start_round_is_audited_and_becomes_current(cast, leadership):
    new = services.do_start_round(school=cast.school, title="  Schooljaar   2027-2028 ", acting_user=cast.schoolleider)
    assert new.title == "Schooljaar 2027-2028"
    assert new.content_version == load_content().version
    assert services.current_round(cast.school) == new
    assert audits("leadership.round_started")[-1].school == cast.school


@pytest.mark.parametrize(
    ("title", "message"),
    [("", "Geef de ronde een naam"), ("   ", "Geef de ronde een naam"), ("Schooljaar 2026-2027", "al een ronde")],
)
def test_start_round_rejects_empty_and_duplicate_titles(cast, leadership, title, message):
    before = leadership_rows()
    with pytest.raises(ServiceError, match=message):
        services.do_start_round(school=cast.school, title=title, acting_user=cast.schoolleider)
    assert leadership_rows() == before


def test_same_title_in_another_school_is_fine(cast, leadership):
    services.do_start_round(school=cast.sister_school, title="Schooljaar 2026-2027", acting_user=cast.trainer)


# Answers ---------------------------------------------------------------------------------------------------


def test_answers_are_stored_per_person_and_the_audit_holds_no_values(cast, leadership, second_leader):
    count = services.do_save_answers(
        round_=leadership.round, answers={"hb2": 5, leadership.item.key: 3}, acting_user=second_leader
    )
    assert count == 2
    mine = dict(Answer.objects.filter(round=leadership.round, user=second_leader).values_list("item_key", "value"))
    assert mine == {"hb2": 5, leadership.item.key: 3}
    assert Answer.objects.get(round=leadership.round, user=second_leader, item_key=leadership.item.key).extra_item == (
        leadership.item
    )
    event = audits("leadership.answers_saved")[-1]
    assert event.actor == second_leader
    assert event.data == {"answered": 2}
    # "nog geen antwoord" removes the answer; an unchanged save writes no audit row
    services.do_save_answers(round_=leadership.round, answers={"hb2": None}, acting_user=second_leader)
    assert not Answer.objects.filter(round=leadership.round, user=second_leader, item_key="hb2").exists()
    n = AuditEvent.objects.count()
    services.do_save_answers(round_=leadership.round, answers={leadership.item.key: 3}, acting_user=second_leader)
    assert AuditEvent.objects.count() == n


@pytest.mark.parametrize("value", [0, 6, -1, 99999])
def test_answer_outside_the_scale_is_rejected(cast, leadership, value):
    before = leadership_rows()
    with pytest.raises(ServiceError, match="1 tot en met 5"):
        services.do_save_answers(round_=leadership.round, answers={"hb1": value}, acting_user=cast.schoolleider)
    assert leadership_rows() == before


def test_items_of_another_school_retired_items_and_unknown_keys_are_rejected(cast, leadership):
    before = leadership_rows()
    for key in (leadership.other_item.key, leadership.retired_item.key, "hb9", "eigen-999999", "<b>"):
        with pytest.raises(ServiceError, match="hoort niet"):
            services.do_save_answers(round_=leadership.round, answers={key: 3}, acting_user=cast.schoolleider)
    assert leadership_rows() == before


def test_only_the_latest_round_can_be_filled_in(cast, leadership):
    services.do_start_round(school=cast.school, title="Schooljaar 2027-2028", acting_user=cast.schoolleider)
    before = leadership_rows()
    with pytest.raises(ServiceError, match="nieuwere ronde"):
        services.do_save_answers(round_=leadership.round, answers={"hb2": 3}, acting_user=cast.schoolleider)
    assert leadership_rows() == before


# The school's own items --------------------------------------------------------------------------------------


def test_retiring_keeps_answers_and_restoring_brings_the_item_back(cast, leadership):
    retired = leadership.retired_item
    assert retired.retired_at is not None
    answer = Answer.objects.get(round=leadership.round, user=cast.schoolleider, item_key=retired.key)
    assert answer.value == 2 and answer.extra_item == retired
    keys = [key for key, _t, _e in services.items_for(cast.school)]
    assert retired.key not in keys and leadership.item.key in keys
    # the author's results still list the retired item they answered
    shown = [key for key, _t, _e in services.items_for(cast.school, round_=leadership.round, user=cast.schoolleider)]
    assert shown[-1] == retired.key
    services.do_restore_item(item=retired, acting_user=cast.schoolleider)
    assert ExtraItem.objects.get(pk=retired.pk).retired_at is None
    assert [
        e.action
        for e in AuditEvent.objects.filter(object_type="leadership.extraitem", object_id=str(retired.pk)).order_by("pk")
    ][-2:] == [
        "leadership.item_retired",
        "leadership.item_restored",
    ]
    with pytest.raises(ServiceError, match="staat al op de checklist"):
        services.do_restore_item(item=retired, acting_user=cast.schoolleider)


def test_retiring_twice_is_an_error(cast, leadership):
    with pytest.raises(ServiceError, match="al ingetrokken"):
        services.do_retire_item(item=leadership.retired_item, acting_user=cast.schoolleider)


def test_update_item_with_a_stale_version_is_a_conflict(cast, leadership):
    item = services.do_update_item(
        item=leadership.item, text="Ik vier successen.", expected_version=1, acting_user=cast.schoolleider
    )
    assert item.version == 2
    before = leadership_rows()
    with pytest.raises(ConflictError):
        services.do_update_item(item=item, text="Iets anders.", expected_version=1, acting_user=cast.schoolleider)
    assert leadership_rows() == before


def test_duplicate_and_too_many_items_are_rejected(cast, leadership):
    with pytest.raises(ServiceError, match="staat al in de lijst"):
        services.do_add_item(school=cast.school, text="Ik ken de namen van alle ouders.", acting_user=cast.schoolleider)
    for n in range(MAX_EXTRA_ITEMS - 1):
        services.do_add_item(school=cast.school, text=f"Uitspraak {n}.", acting_user=cast.schoolleider)
    with pytest.raises(ServiceError, match="eerst een in"):
        services.do_add_item(school=cast.school, text="Nog een.", acting_user=cast.schoolleider)


# The conversation ------------------------------------------------------------------------------------------------


def test_notes_are_versioned_per_question(cast, leadership, second_leader):
    sl = cast.schoolleider
    note = services.do_save_note(
        round_=leadership.round, question_code="1a", text="Eerste", expected_version=0, acting_user=sl
    )
    assert note.version == 1
    # someone else writes question b at the same time: no conflict, another question
    services.do_save_note(
        round_=leadership.round, question_code="1b", text="Ander", expected_version=0, acting_user=second_leader
    )
    services.do_save_note(
        round_=leadership.round, question_code="1a", text="Tweede", expected_version=1, acting_user=second_leader
    )
    before = leadership_rows()
    with pytest.raises(ConflictError):  # sl still has version 1 in the form
        services.do_save_note(
            round_=leadership.round, question_code="1a", text="Derde", expected_version=1, acting_user=sl
        )
    assert leadership_rows() == before
    stored = ConversationNote.objects.get(round=leadership.round, question_code="1a")
    assert (stored.text, stored.version, stored.updated_by) == ("Tweede", 2, second_leader)
    assert audits("leadership.note_saved")[-1].data == {"question": "1a", "length": 6}


def test_unknown_question_and_too_long_notes_are_rejected(cast, leadership):
    before = leadership_rows()
    with pytest.raises(ServiceError, match="gespreksformat"):
        services.do_save_note(
            round_=leadership.round, question_code="9z", text="x", expected_version=0, acting_user=cast.schoolleider
        )
    with pytest.raises(ServiceError, match="maximaal"):
        services.do_save_note(
            round_=leadership.round,
            question_code="1a",
            text="x" * 10_000,
            expected_version=0,
            acting_user=cast.schoolleider,
        )
    assert leadership_rows() == before


def test_empty_first_note_stores_nothing(cast, leadership):
    n = AuditEvent.objects.count()
    assert (
        services.do_save_note(
            round_=leadership.round, question_code="1c", text="  ", expected_version=0, acting_user=cast.schoolleider
        )
        is None
    )
    assert AuditEvent.objects.count() == n


# Privacy: individual answers are shown to their author only -------------------------------------------------------


def test_another_mt_member_never_sees_my_answers(cast, leadership, second_leader, login):
    client = login(second_leader)
    r = leadership.round
    results = client.get(reverse("leadership:results", args=[cast.school.pk, r.pk]))
    assert results.status_code == 200
    assert all(row["value"] is None for row in results.context["rows"])
    assert "Ik ken de namen van alle ouders." not in results.content.decode()  # sl's retired, answered item
    fill = client.get(reverse("leadership:fill", args=[cast.school.pk, r.pk]))
    assert not any(fill.context["form"].initial.values())
    # and the schoolleider sees their own
    own = login(cast.schoolleider).get(reverse("leadership:results", args=[cast.school.pk, r.pk]))
    values = {row["text"]: row["value"] for row in own.context["rows"]}
    assert values["Ik wacht niet tot medewerkers mij benaderen met een probleem."] == 4
    assert values["Ik ken de namen van alle ouders."] == 2
    assert "ingetrokken uitspraak" in own.content.decode()


def test_kartrekker_reads_the_conversation_without_answers_or_forms(cast, leadership, login):
    response = login(cast.kartrekker).get(
        reverse("leadership:conversation", args=[cast.school.pk, leadership.round.pk])
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Prioriteit: rol van leidinggevenden." in body
    assert "<textarea" not in body
    assert "Mijn resultaten" not in body
    overview = login(cast.kartrekker).get(reverse("leadership:overview", args=[cast.school.pk]))
    assert overview.context["progress"] is None
    assert "Checklist invullen" not in overview.content.decode()


# Pages ----------------------------------------------------------------------------------------------------------


def test_conversation_links_to_growth_layer_2_and_the_action_plan(cast, leadership, login):
    response = login(cast.schoolleider).get(
        reverse("leadership:conversation", args=[cast.school.pk, leadership.round.pk])
    )
    body = response.content.decode()
    assert reverse("ontwikkelmodel:model") + "#laag-2" in body
    assert reverse("actionplans:action_new", args=[cast.school.pk]) + "?laag=2" in body
    for q in load_content().questions:
        assert q.text in body
    assert escape(load_content().source.citation) in body
    model_page = login(cast.schoolleider).get(reverse("ontwikkelmodel:model")).content.decode()
    assert 'id="laag-2"' in model_page


def test_dashboard_shows_my_progress_to_schoolleiding_only(cast, leadership, login):
    url = reverse("organisations:school", args=[cast.school.pk])
    body = login(cast.schoolleider).get(url).content.decode()
    assert "Schooljaar 2026-2027: jij hebt 1 van 4 items ingevuld." in body  # hb1; the retired item is off
    assert "Checklist leidinggevenden" not in login(cast.kartrekker).get(url).content.decode()


def test_fill_autosave_and_plain_save(cast, leadership, login):
    client = login(cast.schoolleider)
    url = reverse("leadership:fill", args=[cast.school.pk, leadership.round.pk])
    response = client.post(url, {"hb2": "5", leadership.item.key: "2"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Opgeslagen om" in response.content.decode()
    response = client.post(url, {"hb3": "1", "hb2": ""})
    assert response.status_code == 302
    mine = dict(Answer.objects.filter(round=leadership.round, user=cast.schoolleider).values_list("item_key", "value"))
    assert mine == {"hb1": 4, leadership.item.key: 2, "hb3": 1, leadership.retired_item.key: 2}


def test_results_are_readable_without_colour_and_printable(cast, leadership, login):
    body = login(cast.schoolleider).get(reverse("leadership:results", args=[cast.school.pk, leadership.round.pk]))
    text = body.content.decode()
    assert '<strong>4</strong> – <span lang="nl">Eens</span>' in text  # the scale's label stays the handbook's
    assert "Nog geen antwoord" in text
    assert "data-print" in text


def test_note_conflict_keeps_my_text_and_shows_the_saved_one(cast, leadership, second_leader, login):
    url = reverse("leadership:note", args=[cast.school.pk, leadership.round.pk, "2d"])
    # the fixture stored version 1 of question 2d; this form still has version 0
    response = login(second_leader).post(url, {"q2d-text": "Mijn eigen tekst", "q2d-version": "0"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Mijn eigen tekst" in body
    assert "Prioriteit: rol van leidinggevenden." in body
    assert "Mijn versie opslaan" in body
    response = login(second_leader).post(
        url, {"q2d-text": "Mijn eigen tekst", "q2d-version": "0", "q2d-force_version": "1"}
    )
    assert response.status_code == 302
    assert ConversationNote.objects.get(round=leadership.round, question_code="2d").text == "Mijn eigen tekst"


# Query counts ------------------------------------------------------------------------------------------------------


PAGES = {
    "overview": lambda c, r: reverse("leadership:overview", args=[c.school.pk]),
    "fill": lambda c, r: reverse("leadership:fill", args=[c.school.pk, r.pk]),
    "results": lambda c, r: reverse("leadership:results", args=[c.school.pk, r.pk]),
    "conversation": lambda c, r: reverse("leadership:conversation", args=[c.school.pk, r.pk]),
    "items": lambda c, r: reverse("leadership:items", args=[c.school.pk]),
    "dashboard": lambda c, r: reverse("organisations:school", args=[c.school.pk]),
}


def grow(cast, round_, n):
    """n own items (a third retired after being answered), answers and notes for every question."""
    sl = cast.schoolleider
    items = [
        services.do_add_item(school=cast.school, text=f"Uitspraak {cast.school.pk}-{i}.", acting_user=sl)
        for i in range(n)
    ]
    services.do_save_answers(round_=round_, answers={i.key: 1 + k % 5 for k, i in enumerate(items)}, acting_user=sl)
    for item in items[::3]:
        services.do_retire_item(item=item, acting_user=sl)
    for q in load_content().questions:
        note = ConversationNote.objects.filter(round=round_, question_code=q.code).first()
        services.do_save_note(
            round_=round_,
            question_code=q.code,
            text=f"Afspraak {q.code}",
            expected_version=note.version if note else 0,
            acting_user=sl,
        )
    for k in range(n // 10):
        services.do_start_round(school=cast.school, title=f"Oude ronde {k}", acting_user=sl)


@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_grow_with_items(cast, login, page, django_assert_num_queries):
    from leadership.models import ChecklistRound

    client = login(cast.schoolleider)
    small = services.do_start_round(school=cast.school, title="Klein", acting_user=cast.schoolleider)
    grow(cast, small, 3)
    small = services.current_round(cast.school)
    with CaptureQueriesContext(connection) as few:
        assert client.get(PAGES[page](cast, small)).status_code == 200
    ChecklistRound.objects.filter(school=cast.school).delete()
    ExtraItem.objects.filter(school=cast.school).delete()
    large = services.do_start_round(school=cast.school, title="Groot", acting_user=cast.schoolleider)
    grow(cast, large, 30)
    large = services.current_round(cast.school)
    grow_answers = {key: 3 for key, _t, _e in services.items_for(cast.school)}
    services.do_save_answers(round_=large, answers=grow_answers, acting_user=cast.schoolleider)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(PAGES[page](cast, large)).status_code == 200
    assert len(few.captured_queries) <= 20


def test_demo_data_has_a_checklist_round():
    import io

    from django.core.management import call_command
    from django.utils import timezone

    from leadership.models import ChecklistRound

    call_command("demo", stdout=io.StringIO())
    today = timezone.localdate()
    year = today.year if today.month >= 8 else today.year - 1
    round_ = ChecklistRound.objects.get(title=f"Schooljaar {year}-{year + 1}")
    assert round_.answers.count() == 3
    assert round_.notes.get(question_code="2d").text.startswith("Rol van leidinggevenden")


def test_pages_with_your_own_answers_are_never_cached(cast, login, leadership):
    """Checklist answers are visible to their author only: no browser or proxy may keep a copy (issue 11)."""
    client = login(cast.schoolleider)
    for name in ("leadership:fill", "leadership:results"):
        response = client.get(reverse(name, args=[cast.school.pk, leadership.round.pk]))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], name
    autosave = client.post(
        reverse("leadership:fill", args=[cast.school.pk, leadership.round.pk]), {"hb1": "3"}, HTTP_HX_REQUEST="true"
    )
    assert "no-store" in autosave["Cache-Control"]
