"""The Naslag content (reference/content/*-2023.json): verbatim from the handbook and the articles, cited, valid."""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path

import pytest

from reference.content import (
    TOPIC_SLUGS,
    ContentError,
    content_file,
    figures,
    load_topic,
    load_topics,
    parse,
    search_entries,
)

SEEDS = Path(os.environ.get("TSO_SEEDS_DIR", "/work/shared/seeds"))
HANDBOOK = "002_737681bd825e55d2.txt"
ARTICLES = ("001_9b1c33f7b527102f.txt", "000_ac91ee3d70c3b3da.txt")
# Keys whose strings are ours (codes, citations we compose, notes about how we copied), not printed text.
NOT_PRINTED = {
    "version",
    "slug",
    "source",
    "editorial_note",
    "code",
    "study",
    "measure",
    "anchor",
    "type",
    "url",
    "number",
    "note",
    "where",
    "school_types",
    "citation",
    "approximate",
    "corrections",
    "footnote",
}
# Sentences the print interrupts (a quote box in the Orion article): each part is checked on its own.
INTERRUPTED = {
    "Binnen stichting Orion is enkele jaren geleden onderzoek gedaan naar de ingrijpende jeugdervaringen (ACEs) "
    "van leerlingen in het cluster 4-onderwijs.": (
        "Binnen stichting Orion is enkele jaren geleden onderzoek gedaan naar de ingrijpende "
        "jeugdervaringen (ACEs) van",
        "leerlingen in het cluster 4-onderwijs.",
    ),
}


def normalise(text: str) -> str:
    return " ".join(text.split())


def variants(raw: str) -> list[str]:
    """The seed text as whitespace-normalised text, with words broken at a line end joined by '-' or by nothing."""
    text = normalise(raw)
    joined = re.sub(r"(?<=\w)- (?=\w)", "-", text)
    dehyphenated = re.sub(r"(?<=[a-zà-ÿ])- (?=[a-zà-ÿ])", "", text)
    return [text, joined, dehyphenated]


@pytest.fixture(scope="module")
def seeds() -> list[str]:
    paths = [SEEDS / HANDBOOK, *(SEEDS / a for a in ARTICLES)]
    if not all(p.exists() for p in paths):
        pytest.skip(f"seed texts not available in {SEEDS} (set TSO_SEEDS_DIR)")
    return [v for p in paths for v in variants(p.read_text(encoding="utf-8"))]


def printed_strings(data, key=None, study_where=None):
    """Every string in a content file that claims to be printed text, with where it is."""
    if key in NOT_PRINTED:
        return
    if isinstance(data, str):
        yield key, data
    elif isinstance(data, list):
        for item in data:
            yield from printed_strings(item, key, study_where)
    elif isinstance(data, dict):
        where = data.get("where", study_where)
        for k, v in data.items():
            if k == "reference" and where not in (None, "handboek"):
                continue  # an article's in-text citation, summarised by us
            yield from printed_strings(v, k, where)


def found(text: str, seeds: list[str]) -> bool:
    return any(text in seed for seed in seeds)


def in_print(text: str, seeds: list[str]) -> bool:
    if found(text, seeds):
        return True
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z‘(])", text)
    for sentence in sentences:
        if found(sentence, seeds):
            continue
        parts = INTERRUPTED.get(sentence)
        if not parts or not all(found(p, seeds) for p in parts):
            return False
    return len(sentences) > 1


@pytest.mark.parametrize("slug", TOPIC_SLUGS)
def test_every_text_is_in_the_handbook_or_the_articles(slug, seeds):
    data = json.loads(content_file(slug).read_text(encoding="utf-8"))
    corrections = data.get("corrections", [])
    checked, missing = 0, []
    for key, text in printed_strings(data):
        as_printed = text
        for c in corrections:
            as_printed = as_printed.replace(c["shown"], c["printed"])
        checked += 1
        if not in_print(as_printed, seeds):
            missing.append(f"{key}: {text!r}")
    assert checked > 5
    assert not missing, "not found in the seed texts:\n" + "\n".join(missing)


def test_corrections_are_real(seeds):
    """Each recorded typographic fix names a string that is really printed so."""
    for slug in TOPIC_SLUGS:
        for c in json.loads(content_file(slug).read_text(encoding="utf-8")).get("corrections", []):
            assert found(c["printed"], seeds), c
            assert not found(c["shown"], seeds), c


def test_no_broken_ligatures():
    for slug in TOPIC_SLUGS:
        assert "\ufffd" not in content_file(slug).read_text(encoding="utf-8"), slug


def test_every_topic_is_cited():
    for topic in load_topics():
        source = topic.source
        assert source.title == "Handboek Implementatie Traumasensitief Onderwijs"
        assert source.authors == "Offerman, E. & Asselman, M."
        assert (source.publisher, source.edition, source.date) == ("consortium TSO", "versie 2", "november 2023")
        assert source.part in source.citation and "versie 2" in source.citation
        assert topic.version == "2023.1"
        assert topic.editorial_note


def test_parts_as_printed():
    assert "Bijlage 8" in load_topic("piramidemodel").source.part
    assert "Bijlage 9" in load_topic("screeningsinstrumenten").source.part
    assert "Bijlage 10" in load_topic("inrichting").source.part
    assert "Hoofdstuk 6" in load_topic("kenniselementen").source.part
    assert "Hoofdstuk 4" in load_topic("wat-tso-is").source.part
    assert "Hoofdstuk 1" in load_topic("prevalentie").source.part


def test_pyramid_has_three_tiers_with_their_activities():
    tiers = load_topic("piramidemodel").data["tiers"]
    assert [(t["name"], t["setting"], t["pupils"]) for t in tiers] == [
        ("Derdegraads", "Hulpverlening", "Hoog risico leerlingen"),
        ("Tweedegraads", "School", "Risico leerlingen"),
        ("Eerstegraads", "School", "Alle leerlingen"),
    ]
    assert [len(t["activities"]) for t in tiers] == [1, 4, 6]
    assert "Screenen van leerlingen op trauma" in tiers[1]["activities"]


def test_screening_table_rows_and_where_to_get_them():
    data = load_topic("screeningsinstrumenten").data
    rows = [(t["topic"], i["name"], i["note"]["number"]) for t in data["topics"] for i in t["instruments"]]
    assert len(rows) == 12
    ace = "Adverse Childhood Experiences in Youth (ACE youth screener)"
    assert rows[0] == ("Traumatische gebeurtenissen", ace, "1")
    assert ("Post-traumatische stress", "Kind en Jeugd Trauma Screener (KJTS)", "8") in rows
    assert ("Emotieregulatie", "Utrechtse Coping Lijst", "10") in rows
    notes = {n["number"]: n for n in data["notes"]}
    assert notes["1"]["url"] is None
    assert notes["4"]["url"] == "http://sdqinfo.org/"
    assert all(notes[str(n)]["url"] for n in range(2, 11))


def test_eleven_knowledge_elements_in_order(seeds):
    elements = load_topic("kenniselementen").data["elements"]
    assert len(elements) == 11
    numbered = " ".join(f"{i}. {e}" for i, e in enumerate(elements, start=1))
    assert found(numbered, seeds)


def test_classroom_suggestions_sections():
    topic = load_topic("inrichting")
    headings = [s.heading for s in topic.sections]
    assert headings == [
        None,
        "7.10.1 Inrichting klaslokaal",
        "7.10.2 Inrichting zitplaatsen leerlingen",
        "7.10.3 Organiseren van materialen",
        "7.10.4 Op het speelplein",
    ]
    klaslokaal = topic.sections[1].blocks[1].items
    assert len(klaslokaal) == 11
    assert len(klaslokaal[-1].items) == 5


def test_prevalence_figures_keep_their_source():
    data = load_topic("prevalentie").data
    by_code = {f.code: f for f in figures()}
    assert by_code["vink-2016-een-of-meer"].percent == 45
    assert data["study_by_code"]["vink-2016"]["footnote"] == "2"
    assert by_code["offerman-2022-vier-of-meer"].percent == 76
    assert by_code["de-berk-2021-svo-vier-of-meer"].percent == 73
    assert by_code["orion-2025-cluster-4-vier-of-meer"].cluster == 4
    assert by_code["artikel-vink-2016-een-of-meer"].percent == 32
    derived = by_code["de-berk-2021-regulier-een-of-meer"]
    assert derived.percent == 100 - derived.derived_from_none == 88
    for f in figures():
        study = data["study_by_code"][f.study]
        assert study["where"] == "handboek" or study["article"]


def test_search_entries_cover_every_topic():
    slugs = {e.topic.slug for e in search_entries()}
    assert slugs == set(TOPIC_SLUGS)


# The loader refuses broken content ---------------------------------------------------------------------


def raw(slug):
    return json.loads(content_file(slug).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("slug", "breaks", "message"),
    [
        ("piramidemodel", lambda d: d.__setitem__("slug", "iets-anders"), "slug"),
        ("piramidemodel", lambda d: d["tiers"].pop(), "three tiers"),
        ("piramidemodel", lambda d: d["source"].__setitem__("edition", "versie 1"), "versie 2"),
        ("piramidemodel", lambda d: d["sections"][0]["blocks"][0].__setitem__("text", "twee  spaties"), "whitespace"),
        ("piramidemodel", lambda d: d["sections"][0]["blocks"][0].__setitem__("type", "video"), "block type"),
        ("piramidemodel", lambda d: d["sections"][1].__setitem__("anchor", "uitleg"), "used twice"),
        ("kenniselementen", lambda d: d["elements"].pop(), "11"),
        ("screeningsinstrumenten", lambda d: d["topics"][0]["instruments"][0].__setitem__("note", "99"), "note"),
        ("screeningsinstrumenten", lambda d: d["notes"][1].__setitem__("url", "javascript:alert(1)"), "http"),
        ("prevalentie", lambda d: d["figures"][0].__setitem__("percent", 145), "0 to 100"),
        ("prevalentie", lambda d: d["figures"][0].__setitem__("percent", 46), "does not show"),
        ("prevalentie", lambda d: d["figures"][0].__setitem__("school_types", ["hbo"]), "school types"),
        ("prevalentie", lambda d: d["figures"][0].__setitem__("quote", "45% van alle kinderen"), "not in the text"),
        ("prevalentie", lambda d: d["figures"][3].__setitem__("percent", 80), "derived"),
        ("prevalentie", lambda d: d["figures"][0].__setitem__("study", "onbekend"), "unknown study"),
        ("prevalentie", lambda d: d["figures"].append(copy.deepcopy(d["figures"][0])), "unique"),
        ("wat-tso-is", lambda d: d.pop("intro"), "invalid"),
    ],
)
def test_broken_content_is_refused(slug, breaks, message):
    data = raw(slug)
    breaks(data)
    with pytest.raises(ContentError, match=message):
        parse(data, slug)


def test_unknown_topic():
    with pytest.raises(KeyError):
        load_topic("bestaat-niet")
