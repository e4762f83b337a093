"""Issue 13, part 5.2: chapter 1 of the handbook in the Naslag: the results of the 2018 study (with Tabel 1.1)
and Tabel 1.2, which team training module serves which growth layer (``modules_for_layer``)."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest
from django.urls import reverse

from reference.content import (
    TOPIC_SLUGS,
    ContentError,
    content_file,
    layers_for_module,
    load_topic,
    modules_for_layer,
    parse,
    training_modules,
)
from reference.search import search

HANDBOOK = Path(os.environ.get("TSO_SEEDS_DIR", "/work/shared/seeds")) / "002_737681bd825e55d2.txt"


@pytest.fixture(scope="module")
def handbook() -> str:
    if not HANDBOOK.exists():
        pytest.skip("seed texts not available")
    return " ".join(HANDBOOK.read_text(encoding="utf-8").split())


def test_both_topics_are_listed_and_cited():
    assert "opbrengsten" in TOPIC_SLUGS and "teamtraining-ontwikkelmodel" in TOPIC_SLUGS
    for slug in ("opbrengsten", "teamtraining-ontwikkelmodel"):
        topic = load_topic(slug)
        chapter = "Hoofdstuk 1 'Het belang van de implementatie van Traumasensitief Onderwijs'"
        assert topic.source.part.startswith(chapter)
        assert topic.version == "2023.1" and topic.editorial_note
    assert "tabel 1.1" in load_topic("opbrengsten").source.part
    assert "tabel 1.2" in load_topic("teamtraining-ontwikkelmodel").source.part


def test_table_1_2_as_printed(handbook):
    d = load_topic("teamtraining-ontwikkelmodel").data
    assert d["table_caption"] in handbook
    assert [[m["name"] for m in r["modules"]] for r in d["rows"]] == [
        ["Module 1: Trauma en veerkracht bij kinderen", "Module 2: Kijken door een traumabril"],
        ["Module 3: Relaties en regulatie", "Module 4: Samenwerken"],
        ["Module 4: Zelfzorg & op weg naar een traumasensitief onderwijsklimaat"],
    ]
    assert [r["layer"]["name"] for r in d["rows"]] == [
        "Groeilaag 1: Kennisontwikkeling",
        "Groeilaag 3: Relatie bouwen & Regulatie bevorderen",
        "Groeilaag 2: Richting geven",
    ]
    assert d["rows"][1]["concepts"] == ("Veiligheid & Vertrouwen", "Stabiele relaties", "Zelfregulatie", "Samenwerken")
    # The printed table, cell by cell, in this order.
    printed = " ".join(
        " ".join(m["name"] for m in r["modules"]) + " " + " ".join(r["concepts"]) + " " + r["layer"]["name"]
        for r in d["rows"]
    )
    assert printed in handbook
    for module in d["modules"]:
        assert module["name"] in handbook


def test_modules_for_layer_and_back():
    assert modules_for_layer(1) == (1, 2)
    assert modules_for_layer(2) == (4,)
    assert modules_for_layer(3) == (3, 4)
    assert modules_for_layer("3A") == modules_for_layer("3b") == modules_for_layer("3") == (3, 4)
    assert [layers_for_module(m) for m in (1, 2, 3, 4)] == [(1,), (1,), (3,), (2, 3)]
    assert [(m["number"], m["layers"]) for m in training_modules()] == [(1, (1,)), (2, (1,)), (3, (3,)), (4, (2, 3))]
    for bad in (0, 4, "4", "X", None, True, 1.5):
        with pytest.raises(ValueError):
            modules_for_layer(bad)
    for bad in (0, 5, True, "1", None):
        with pytest.raises(ValueError):
            layers_for_module(bad)


def test_layer_codes_match_the_ontwikkelmodel():
    """Every layer of the Ontwikkelmodel (1, 2, 3A, 3B) is served by a module."""
    from ontwikkelmodel.content import load_file

    for layer in load_file().layers:
        assert modules_for_layer(layer.code), layer.code


@pytest.mark.parametrize(
    ("breaks", "message"),
    [
        (lambda d: d["rows"][0]["layer"].__setitem__("number", 2), "not groeilaag 2"),
        (lambda d: d["rows"].pop(), "one row for each growth layer"),
        (lambda d: d["rows"][2]["modules"][0].__setitem__("number", 7), "number must be one of"),
        (lambda d: d["modules"].pop(), "four modules"),
        (lambda d: d["rows"][0]["modules"].pop(1), "every module"),
    ],
)
def test_broken_table_is_refused(breaks, message):
    data = json.loads(content_file("teamtraining-ontwikkelmodel").read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    breaks(data)
    with pytest.raises(ContentError, match=message):
        parse(data, "teamtraining-ontwikkelmodel")


def test_study_results_as_printed(handbook):
    d = load_topic("opbrengsten").data
    assert len(d["study"]["results"]) == 6
    assert d["study"]["results"][-1] == (
        "Er nog geen effecten te zien waren van het TSO klimaat op het functioneren van de leerlingen."
    )
    for text in (d["study"]["intro"], d["study"]["caveat"], *d["study"]["results"], d["practice"]["intro"]):
        assert text in handbook
    assert [c["heading"] for c in d["practice"]["columns"]] == ["Leerlingniveau", "Leerkracht & schoolniveau"]
    assert [len(c["items"]) for c in d["practice"]["columns"]] == [4, 5]
    assert d["study"]["report"]["footnote"] == "10"
    assert d["study"]["report"]["url"] in handbook


def test_pages_show_the_tables_and_no_clickable_address(cast, login):
    client = login(cast.teamlid)
    body = client.get(reverse("reference:topic", args=["teamtraining-ontwikkelmodel"])).content.decode()
    assert "Groeilaag 3: Relatie bouwen &amp; Regulatie bevorderen" in body
    assert "Module 4: Zelfzorg &amp; op weg naar een traumasensitief onderwijsklimaat" in body
    assert 'id="groeilaag-2"' in body
    body = client.get(reverse("reference:topic", args=["opbrengsten"])).content.decode()
    assert "Tabel 1.1: Praktijkervaringen opbrengsten TSO" in body
    assert "Leerkrachten ervaren meer werkvitaliteit" in body
    url = load_topic("opbrengsten").data["study"]["report"]["url"]
    assert url in body and f'href="{url}"' not in body
    index = client.get(reverse("reference:index")).content.decode()
    assert reverse("reference:topic", args=["opbrengsten"]) in index
    assert reverse("reference:topic", args=["teamtraining-ontwikkelmodel"]) in index


def test_search_finds_them():
    assert any(h.entry.topic.slug == "teamtraining-ontwikkelmodel" for h in search("Richting geven zelfzorg").hits)
    assert any(h.entry.topic.slug == "opbrengsten" for h in search("werkvitaliteit").hits)
    assert any(h.entry.anchor == "onderzoek" for h in search("traumakennis").hits)
