"""Tampered and absurd input on the leadership checklist: a clear Dutch error or a 404, never a 500,
and nothing stored changes (the leadership rows and the audit log are compared before and after)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from leadership import services
from leadership.models import Answer, ExtraItem
from tests.leadership_fixtures import leadership_fixture, leadership_rows  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
LONG = "x" * 10_000
SCRIPT = '<script>alert("xss")</script><b>vet</b>'
ESCAPED = "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;&lt;b&gt;vet&lt;/b&gt;"
HUGE = 2**64


def state():
    return leadership_rows(), AuditEvent.objects.count()


@pytest.fixture
def sl(cast, login):
    return login(cast.schoolleider)


def fill_url(cast, round_):
    return reverse("leadership:fill", args=[cast.school.pk, round_.pk])


# Filling in ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "6", "-1", "7", "abc", "3.5", SCRIPT, LONG, "9" * 30, str(HUGE)])
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_answer_outside_the_scale(cast, leadership, sl, value, htmx):
    before = state()
    response = sl.post(fill_url(cast, leadership.round), {"hb2": value, "hb3": "4"}, headers=HTMX if htmx else {})
    assert response.status_code == 400
    body = response.content.decode()
    assert "kies een getal van 1 tot en met 5" in body.lower()
    assert "<script>alert" not in body
    assert state() == before
    if not htmx:  # the page keeps the valid choice the person made
        assert response.context["form"].data["hb3"] == "4"


def test_keys_of_another_school_or_retired_items_are_ignored(cast, leadership, sl):
    before = state()
    data = {leadership.other_item.key: "5", leadership.retired_item.key: "5", "hb9": "5", "eigen-99999": "1"}
    response = sl.post(fill_url(cast, leadership.round), data)
    assert response.status_code == 302
    assert state() == before
    assert not Answer.objects.filter(user=cast.schoolleider, item_key=leadership.other_item.key).exists()


def test_an_older_round_cannot_be_filled_in(cast, leadership, sl):
    services.do_start_round(school=cast.school, title="Schooljaar 2027-2028", acting_user=cast.schoolleider)
    before = state()
    for headers in ({}, HTMX):
        response = sl.post(fill_url(cast, leadership.round), {"hb2": "3"}, headers=headers)
        assert response.status_code == 409
        assert "er is een nieuwere ronde" in response.content.decode()
    assert state() == before
    page = sl.get(fill_url(cast, leadership.round)).content.decode()
    assert "alleen lezen" in page and "disabled" in page


@pytest.mark.parametrize("name", ["fill", "results", "conversation"])
@pytest.mark.parametrize("checklist_id", [HUGE, 2**63, 0])
def test_impossible_round_ids_are_404(cast, leadership, sl, name, checklist_id):
    path = (
        f"/scholen/{cast.school.pk}/leidinggevenden/rondes/{checklist_id}/"
        + {
            "fill": "invullen/",
            "results": "mijn-resultaten/",
            "conversation": "gesprek/",
        }[name]
    )
    assert sl.get(path).status_code == 404


# Rounds ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("", "Geef de ronde een naam"),
        ("   ", "Geef de ronde een naam"),
        (LONG, "Gebruik maximaal 100 tekens"),
        ("Schooljaar 2026-2027", "Er is al een ronde met deze naam"),
    ],
    ids=["empty", "spaces", "long", "duplicate"],
)
def test_bad_round_titles(cast, leadership, sl, title, message):
    before = state()
    response = sl.post(reverse("leadership:round_new", args=[cast.school.pk]), {"title": title})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert state() == before


def test_html_in_a_round_title_is_shown_as_text(cast, leadership, sl):
    assert sl.post(reverse("leadership:round_new", args=[cast.school.pk]), {"title": SCRIPT}).status_code == 302
    body = sl.get(reverse("leadership:overview", args=[cast.school.pk])).content.decode()
    assert ESCAPED in body and "<script>alert" not in body


# Own items ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Schrijf de uitspraak op"),
        ("x" * 301, "Gebruik maximaal 300 tekens"),
        (LONG, "Gebruik maximaal 300 tekens"),
        ("Ik ken de namen van alle ouders.", "staat al in de lijst"),  # a retired one
    ],
    ids=["empty", "301", "long", "duplicate-of-retired"],
)
def test_bad_new_items(cast, leadership, sl, text, message):
    before = state()
    response = sl.post(reverse("leadership:items", args=[cast.school.pk]), {"text": text})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["form"].data["text"] == text  # input kept
    assert state() == before


def test_an_empty_post_says_what_to_fill_in(cast, leadership, sl):
    before = state()
    for url in (
        reverse("leadership:items", args=[cast.school.pk]),
        reverse("leadership:item_edit", args=[cast.school.pk, leadership.item.pk]),
        reverse("leadership:round_new", args=[cast.school.pk]),
    ):
        response = sl.post(url, {})
        assert response.status_code == 400, url
        body = response.content.decode()
        assert "Schrijf de uitspraak op" in body or "Geef de ronde een naam" in body, url
    assert state() == before


def test_html_in_an_item_is_shown_as_text_everywhere(cast, leadership, sl):
    assert sl.post(reverse("leadership:items", args=[cast.school.pk]), {"text": SCRIPT}).status_code == 302
    for url in (reverse("leadership:items", args=[cast.school.pk]), fill_url(cast, leadership.round)):
        body = sl.get(url).content.decode()
        assert ESCAPED in body and "<script>alert" not in body


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"text": "Nieuw.", "version": "abc"}, 400, "Dit formulier klopt niet meer"),
        ({"text": "Nieuw.", "version": "-5"}, 400, "Dit formulier klopt niet meer"),
        ({"text": "Nieuw.", "version": str(HUGE)}, 400, "Dit formulier klopt niet meer"),
        ({"text": "", "version": "1"}, 400, "Schrijf de uitspraak op"),
        ({"text": LONG, "version": "1"}, 400, "Gebruik maximaal 300 tekens"),
        ({"text": "Ik ken de namen van alle ouders.", "version": "1"}, 400, "staat al in de lijst"),
    ],
    ids=["version-text", "version-negative", "version-huge", "empty", "long", "duplicate"],
)
def test_bad_item_edits(cast, leadership, sl, data, status, message):
    before = state()
    response = sl.post(reverse("leadership:item_edit", args=[cast.school.pk, leadership.item.pk]), data)
    assert response.status_code == status
    assert message in response.content.decode()
    assert state() == before


def test_stale_item_edit_is_a_conflict_that_keeps_my_text(cast, leadership, sl):
    services.do_update_item(
        item=leadership.item, text="Ik vier successen.", expected_version=1, acting_user=cast.schoolleider
    )
    before = state()
    url = reverse("leadership:item_edit", args=[cast.school.pk, leadership.item.pk])
    response = sl.post(url, {"text": "Mijn versie.", "version": "1"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Iemand anders heeft dit intussen opgeslagen" in body
    assert "Mijn versie." in body and "Ik vier successen." in body
    assert state() == before
    # saving again from the conflict page replaces the stored text
    assert sl.post(url, {"text": "Mijn versie.", "version": "2"}).status_code == 302
    assert ExtraItem.objects.get(pk=leadership.item.pk).text == "Mijn versie."


def test_retire_and_restore_twice_say_so(cast, leadership, sl):
    before = state()
    response = sl.post(
        reverse("leadership:item_retire", args=[cast.school.pk, leadership.retired_item.pk]), follow=True
    )
    assert "al ingetrokken" in response.content.decode()
    response = sl.post(reverse("leadership:item_restore", args=[cast.school.pk, leadership.item.pk]), follow=True)
    assert "staat al op de checklist" in response.content.decode()
    assert state() == before


@pytest.mark.parametrize("item_id", [HUGE, 2**63, 0])
def test_impossible_item_ids_are_404(cast, leadership, sl, item_id):
    before = state()
    base = f"/scholen/{cast.school.pk}/leidinggevenden/eigen-uitspraken/{item_id}/"
    assert sl.get(base + "wijzigen/").status_code == 404
    assert sl.post(base + "wijzigen/", {"text": "x", "version": "1"}).status_code == 404
    assert sl.post(base + "intrekken/").status_code == 404
    assert sl.post(base + "terugzetten/").status_code == 404
    assert state() == before


# The conversation ---------------------------------------------------------------------------------------------------


def note_url(cast, round_, question):
    return reverse("leadership:note", args=[cast.school.pk, round_.pk, question])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"q1a-text": LONG, "q1a-version": "0"}, "Gebruik maximaal 5000 tekens"),
        ({"q1a-text": "Goed", "q1a-version": "abc"}, "Dit formulier klopt niet meer"),
        ({"q1a-text": "Goed", "q1a-version": "-1"}, "Dit formulier klopt niet meer"),
        ({"q1a-text": "Goed", "q1a-version": str(HUGE)}, "Dit formulier klopt niet meer"),
        ({"q1a-text": "Goed", "q1a-version": "0", "q1a-force_version": "x"}, "Dit formulier klopt niet meer"),
    ],
    ids=["long", "version-text", "version-negative", "version-huge", "force-text"],
)
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_bad_notes(cast, leadership, sl, data, message, htmx):
    before = state()
    response = sl.post(note_url(cast, leadership.round, "1a"), data, headers=HTMX if htmx else {})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert state() == before


@pytest.mark.parametrize("question", ["2d", "1a"], ids=["saved-note", "no-note-yet"])
@pytest.mark.parametrize("how", ["left-out", "empty"])
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_a_note_without_its_version_is_refused(cast, leadership, sl, question, how, htmx):
    """The autosave and the button send the version the box was loaded with (tests/test_missing_version.py covers
    the plain edit forms of the matrix; this row's fields carry the question's prefix, and htmx rows are left out
    there). Without it nothing is saved, whether a note exists (the fixture saved version 1 of 2d) or not (1a)."""
    fields = {f"q{question}-version": "", f"q{question}-force_version": ""} if how == "empty" else {}
    before = state()
    response = sl.post(
        note_url(cast, leadership.round, question),
        {f"q{question}-text": "Zonder versie opgeslagen?"} | fields,
        headers=HTMX if htmx else {},
    )
    assert response.status_code == 400
    assert "het versienummer ontbreekt" in response.content.decode()
    assert state() == before


@pytest.mark.parametrize("question", ["9z", "1g", "hb1", "x" * 200])
def test_unknown_questions_are_404(cast, leadership, sl, question):
    before = state()
    assert sl.post(note_url(cast, leadership.round, question), {"q1a-text": "x"}).status_code == 404
    assert state() == before


def test_html_in_a_note_is_shown_as_text_to_the_kartrekker(cast, leadership, sl, login):
    response = sl.post(note_url(cast, leadership.round, "1b"), {"q1b-text": SCRIPT, "q1b-version": "0"})
    assert response.status_code == 302
    url = reverse("leadership:conversation", args=[cast.school.pk, leadership.round.pk])
    body = login(cast.kartrekker).get(url).content.decode()
    assert ESCAPED in body and "<script>alert" not in body


def test_note_of_another_schools_round_is_404(cast, leadership, sl):
    before = state()
    url = note_url(cast, leadership.other_round, "1a")
    assert sl.post(url, {"q1a-text": "Binnendringen", "q1a-version": "0"}).status_code == 404
    assert state() == before
