"""Bijlage 6 as content (leadership/content/leiderschap-2023.json): verbatim from the handbook, validated."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest

from leadership.content import CONTENT_FILE, ContentError, load_content, parse

HANDBOOK = Path(os.environ.get("TSO_HANDBOOK_TEXT", "/work/shared/seeds/002_737681bd825e55d2.txt"))


def normalise(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def handbook() -> str:
    if not HANDBOOK.exists():
        pytest.skip(f"handbook text not available at {HANDBOOK} (set TSO_HANDBOOK_TEXT)")
    return normalise(HANDBOOK.read_text(encoding="utf-8"))


@pytest.fixture
def raw() -> dict:
    return json.loads(CONTENT_FILE.read_text(encoding="utf-8"))


def all_texts(content) -> list[str]:
    return [
        content.title,
        content.highlight_heading,
        content.highlight_text,
        content.checklist_heading,
        *content.checklist_intro,
        content.items_heading,
        *[p.label for p in content.scale],
        *[i.text for i in content.items],
        content.conversation_heading,
        content.conversation_intro,
        *[s.heading for s in content.steps],
        *[line for s in content.steps for line in s.instructions],
        *[q.text for q in content.questions],
    ]


def test_every_text_is_verbatim_from_the_handbook(handbook):
    for text in all_texts(load_content()):
        assert text in handbook, text


def test_the_three_printed_items_and_the_scale():
    content = load_content()
    assert [i.code for i in content.items] == ["hb1", "hb2", "hb3"]
    assert content.items[0].text == "Ik wacht niet tot medewerkers mij benaderen met een probleem."
    assert content.items[2].text == "Ik zoek bij crisis en hoge werkdruk naar manieren om het team te helpen."
    assert [(p.value, p.label) for p in content.scale] == [
        (1, "Helemaal oneens"),
        (2, "Oneens"),
        (3, "Neutraal"),
        (4, "Eens"),
        (5, "Helemaal mee eens"),
    ]
    assert content.scale_label(5) == "Helemaal mee eens"
    assert content.scale_label(None) == ""


def test_conversation_steps_as_printed():
    content = load_content()
    one, two = content.steps
    assert one.heading == "Stap 1: in tweetallen"
    assert one.instructions == ("Bekijk jouw eigen resultaten.", "Beantwoord de volgende vragen:")
    assert [q.label for q in one.questions] == ["a.", "b.", "c.", "d.", "e.", "f."]
    assert one.questions[0].text == "Over welke onderdelen ben jij tevreden over jouw score?"
    assert one.questions[5].text == "Wat of wie heb je nodig om deze stap te zetten?"
    assert two.heading == "Stap 2: gezamenlijk"
    assert len(two.questions) == 4
    assert two.questions[3].text.startswith("Als je kijkt naar het Ontwikkelmodel TSO - groeilaag Richting geven")
    assert [q.code for q in content.questions] == ["1a", "1b", "1c", "1d", "1e", "1f", "2a", "2b", "2c", "2d"]
    assert content.question("2d").step_code == "2"
    assert content.question("9z") is None


def test_citation_and_growth_layer():
    content = load_content()
    citation = content.source.citation
    assert "Offerman, E. & Asselman, M." in citation
    assert "Handboek Implementatie Traumasensitief Onderwijs, versie 2 (consortium TSO, november 2023)" in citation
    assert "Bijlage 6" in citation
    assert content.version == "2023.1"
    assert content.growth_layer == "2"


def test_the_pdf_download_sentence_is_left_out():
    assert "te downloaden" not in " ".join(all_texts(load_content()))


def test_duplicate_question_code_is_rejected(raw):
    data = copy.deepcopy(raw)
    data["conversation"]["steps"][1]["questions"][0]["code"] = "1a"
    with pytest.raises(ContentError, match="unique"):
        parse(data)


def test_scale_must_be_one_to_five(raw):
    data = copy.deepcopy(raw)
    data["checklist"]["scale"].pop()
    with pytest.raises(ContentError, match="1 to 5"):
        parse(data)


def test_stray_whitespace_and_missing_keys_are_rejected(raw):
    data = copy.deepcopy(raw)
    data["checklist"]["items"][0]["text"] = "Ik wacht  niet"
    with pytest.raises(ContentError, match="whitespace"):
        parse(data)
    data = copy.deepcopy(raw)
    del data["conversation"]["intro"]
    with pytest.raises(ContentError):
        parse(data)


def test_bad_code_is_rejected(raw):
    data = copy.deepcopy(raw)
    data["checklist"]["items"][1]["code"] = "<b>"
    with pytest.raises(ContentError, match="invalid code"):
        parse(data)
