"""Bijlage 1 and 2 as content (intake/content/*.json): verbatim from the handbook, validated on load."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest

from intake.content import (
    AGENDA_FILE,
    PROFILE_FILE,
    ContentError,
    load_agenda,
    load_profile,
    parse_agenda,
    parse_profile,
)

HANDBOOK = Path(os.environ.get("TSO_HANDBOOK_TEXT", "/work/shared/seeds/002_737681bd825e55d2.txt"))
# Keys whose values are ours (codes, citations, notes), not handbook text.
OWN_KEYS = {"version", "code", "where", "parts_label", "source", "citation", "editorial_note", "minimum_count", "page"}


def normalise(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def handbook() -> str:
    if not HANDBOOK.exists():
        pytest.skip(f"handbook text not available at {HANDBOOK} (set TSO_HANDBOOK_TEXT)")
    return normalise(HANDBOOK.read_text(encoding="utf-8"))


def handbook_texts(value, key=""):
    """Every string in the content that should be copied from the handbook."""
    if key in OWN_KEYS:
        return
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from handbook_texts(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from handbook_texts(v, key)


@pytest.mark.parametrize("path", [AGENDA_FILE, PROFILE_FILE], ids=["voorgesprek", "kartrekker"])
def test_every_text_is_verbatim_from_the_handbook(path, handbook):
    data = json.loads(path.read_text(encoding="utf-8"))
    texts = list(handbook_texts(data))
    assert len(texts) > 30
    missing = [(key, text) for key, text in texts if normalise(text) not in handbook]
    assert not missing, missing


@pytest.mark.parametrize("path", [AGENDA_FILE, PROFILE_FILE], ids=["voorgesprek", "kartrekker"])
def test_citation_names_the_handbook(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    source = data["source"]
    assert source["title"] == "Handboek Implementatie Traumasensitief Onderwijs"
    assert source["authors"] == "Offerman, E. & Asselman, M."
    assert source["publisher"] == "consortium TSO"
    assert source["edition"] == "versie 2"
    assert source["date"] == "november 2023"
    assert data["version"] == "2023.1"
    assert "Offerman" in data["citation"] and "versie 2" in data["citation"]


def test_agenda_has_both_parts_with_all_themes():
    agenda = load_agenda()
    assert [p.code for p in agenda.parts] == ["1", "2"]
    assert [(t.name, t.parts_label) for t in agenda.parts[0].themes] == [
        ("Introductie", "(1)"),
        ("Schoolpopulatie", "(1)"),
        ("Teaminformatie", "(1)"),
        ("Schoolinformatie", "(1)"),
    ]
    assert [(t.name, t.parts_label) for t in agenda.parts[1].themes] == [
        ("Kartrekkers TSO", "(2)"),
        ("Training", "(2)"),
        ("Afspraken", "(1 + 2)"),
        ("Feedback", "(1 + 2)"),
    ]
    assert [len(t.questions) for p in agenda.parts for t in p.themes] == [2, 3, 4, 8, 5, 3, 3, 1]
    assert len(agenda.question_codes) == len(set(agenda.question_codes)) == 29


def test_agenda_details_as_printed():
    agenda = load_agenda()
    by_code = {q.code: q for q in agenda.questions}
    assert by_code["1.teaminformatie.b"].items[0] == "Samenstelling"
    assert by_code["1.teaminformatie.b"].items[-1] == "Teamcultuur"
    assert len(by_code["1.teaminformatie.b"].items) == 9
    assert by_code["2.kartrekkers.b"].items == ("Richtlijn: 4 uur per week",)
    assert by_code["2.feedback.a"].items[-1] == "Wat is voor het vervolg het belangrijkste om mee te nemen?"
    assert agenda.decision.go == "Go - voorwaarden zijn voldoende ingevuld."
    assert agenda.decision.twijfel.startswith("Twijfel - bekijk samen met de school")
    assert agenda.agreements.question.startswith("Welke afspraken zijn er nu reeds vast te leggen")
    assert agenda.small_steps_intro.startswith("Je kunt ook verkennen welke kleine stappen")
    assert agenda.kind("verkennend").time == "Richtlijn tijdsinvestering: 1.5 uur"
    assert agenda.kind("praktisch").when == "2 maanden voor de teamtraining TSO"
    assert agenda.kind("vervolg") is None


def test_profile_has_requirements_and_roles_per_phase():
    profile = load_profile()
    assert profile.minimum_count == 2
    assert "(minimaal) twee kartrekkers" in profile.minimum_text
    assert [s.heading for s in profile.sections] == [
        "Functie-eisen",
        "Rol kartrekker in de fase van verkennen en voorbereiden",
        "Rol kartrekkers in de fase van uitvoeren en borgen",
    ]
    assert [len(s.items) for s in profile.sections] == [5, 4, 5]
    assert profile.source.page == "96"


@pytest.fixture
def raw_agenda():
    return json.loads(AGENDA_FILE.read_text(encoding="utf-8"))


def test_duplicate_question_code_is_rejected(raw_agenda):
    data = copy.deepcopy(raw_agenda)
    data["parts"][0]["themes"][0]["questions"][1]["code"] = "1.introductie.a"
    with pytest.raises(ContentError, match="unique"):
        parse_agenda(data)


def test_question_outside_its_theme_is_rejected(raw_agenda):
    data = copy.deepcopy(raw_agenda)
    data["parts"][0]["themes"][0]["questions"][0]["code"] = "1.schoolpopulatie.z"
    with pytest.raises(ContentError, match="does not belong"):
        parse_agenda(data)


def test_stray_whitespace_and_missing_keys_are_rejected(raw_agenda):
    data = copy.deepcopy(raw_agenda)
    data["decision"]["go"] = "Go -  voorwaarden"
    with pytest.raises(ContentError, match="whitespace"):
        parse_agenda(data)
    data = copy.deepcopy(raw_agenda)
    del data["small_steps"]
    with pytest.raises(ContentError):
        parse_agenda(data)


def test_profile_minimum_must_be_a_positive_number():
    data = json.loads(PROFILE_FILE.read_text(encoding="utf-8"))
    for bad in (0, "2", True):
        data["minimum_count"] = bad
        with pytest.raises(ContentError):
            parse_profile(data)
