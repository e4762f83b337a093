"""Issue 13, part 5.1: each prevalence figure under the measure its source names, with the group studied.

The evaluation article's 77 % (SO) and 68 % (VSO) are 'meer dan vier' ingrijpende gebeurtenissen, not the
handbook's 'vier of meer': they form their own measure and never stretch a 'vier of meer' range. The 96 % /
76 % come from a study among pupils with emotional and behavioural disorders; where they are applied to
every SO/VSO school the page says so.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from django.urls import reverse

from organisations.models import School
from reference.content import MEASURES, ContentError, content_file, figures, load_topic, parse
from reference.estimate import estimate

SEED_ARTICLE = Path("/work/shared/seeds/001_9b1c33f7b527102f.txt")
SEED_HANDBOOK = Path("/work/shared/seeds/002_737681bd825e55d2.txt")


def by_code():
    return {f.code: f for f in figures()}


def flat(path: Path) -> str:
    text = " ".join(path.read_text(encoding="utf-8").split())
    return text.replace("- ", "")  # words broken over two lines in the article (onder- wijs)


def test_every_figure_is_under_the_measure_its_source_names():
    assert MEASURES == ("een_of_meer", "vier_of_meer", "meer_dan_vier")
    figs = by_code()
    assert figs["artikel-so-meer-dan-vier"].measure == "meer_dan_vier"
    assert figs["artikel-vso-meer-dan-vier"].measure == "meer_dan_vier"
    for f in figures():
        if "meer dan vier" in f.quote:
            assert f.measure == "meer_dan_vier", f.code
        if "vier of meer" in f.quote:
            assert f.measure == "vier_of_meer", f.code
        if f.measure == "vier_of_meer":
            assert "vier of meer" in f.quote, f.code


@pytest.mark.skipif(not SEED_ARTICLE.exists(), reason="seed texts not available")
def test_the_figures_are_as_printed():
    article, handbook = flat(SEED_ARTICLE), flat(SEED_HANDBOOK)
    assert "meer dan vier ingrijpende gebeurtenissen mee. Dit gold voor 77 procent" in article
    assert "68 procent van de leerlingen in het voortgezet speciaal onderwijs" in article
    assert "vier of meer" not in article.split("Impact ingrijpende jeugdervaringen")[0]
    assert "76% heeft vier of meer ACEs ervaren" in handbook
    assert "73% van de leerlingen heeft vier of meer ACEs ervaren" in handbook
    assert "Students with emotional and behavioral disorders in special education schools" in handbook
    figs = by_code()
    assert [figs[c].percent for c in ("artikel-so-meer-dan-vier", "artikel-vso-meer-dan-vier")] == [77, 68]
    assert [figs[c].percent for c in ("offerman-2022-een-of-meer", "offerman-2022-vier-of-meer")] == [96, 76]


def test_a_measure_is_refused_when_the_quote_names_another():
    data = json.loads(content_file("prevalentie").read_text(encoding="utf-8"))
    broken = copy.deepcopy(data)
    for f in broken["figures"]:
        if f["code"] == "artikel-vso-meer-dan-vier":
            f["measure"] = "vier_of_meer"
    # The 68% quote itself does not say 'meer dan vier', so the check on the study text catches the SO one.
    for f in broken["figures"]:
        if f["code"] == "artikel-so-meer-dan-vier":
            f["measure"] = "vier_of_meer"
    with pytest.raises(ContentError, match="meer dan vier"):
        parse(broken, "prevalentie")
    wrong = copy.deepcopy(data)
    wrong["figures"][0]["measure"] = "meer_dan_vier"  # Vink 2016 never speaks of 'meer dan vier'
    with pytest.raises(ContentError, match="meer dan vier"):
        parse(wrong, "prevalentie")


def test_every_figure_states_the_group_studied_in_the_source_words():
    data = json.loads(content_file("prevalentie").read_text(encoding="utf-8"))
    for f in figures():
        assert f.population, f.code
    figs = by_code()
    assert "166 leerlingen in de leeftijd van 8-18 jaar uit het Amsterdamse speciaal onderwijs" in (
        figs["offerman-2022-vier-of-meer"].population
    )
    assert figs["offerman-2022-vier-of-meer"].narrow_population
    assert figs["offerman-2022-een-of-meer"].narrow_population
    assert not any(f.narrow_population for f in figures() if not f.code.startswith("offerman-2022"))
    assert figs["orion-2025-cluster-4-vier-of-meer"].population == ("leerlingen in het cluster 4-onderwijs",)
    invented = copy.deepcopy(data)
    invented["figures"][0]["population"] = ["alle leerlingen van Nederland"]
    with pytest.raises(ContentError, match="population"):
        parse(invented, "prevalentie")
    missing = copy.deepcopy(data)
    missing["figures"][0].pop("population")
    with pytest.raises(ContentError, match="population"):
        parse(missing, "prevalentie")


@pytest.mark.parametrize(
    ("education_type", "cluster", "expected"),
    [
        ("bo", None, {"een_of_meer": (32, 88), "vier_of_meer": (7, 33)}),
        ("so", 3, {"een_of_meer": (96, 96), "vier_of_meer": (73, 76), "meer_dan_vier": (77, 77)}),
        ("vso", 3, {"een_of_meer": (96, 96), "vier_of_meer": (73, 76), "meer_dan_vier": (68, 68)}),
        ("so", 4, {"een_of_meer": (96, 96), "vier_of_meer": (73, 95), "meer_dan_vier": (77, 77)}),
        ("vso", 4, {"een_of_meer": (96, 96), "vier_of_meer": (73, 95), "meer_dan_vier": (68, 68)}),
    ],
)
def test_ranges_never_merge_measures(education_type, cluster, expected):
    result = estimate(figures(), pupil_count=100, education_type=education_type, cluster=cluster)
    got = {m.measure: (m.low_percent, m.high_percent) for m in result.measures}
    assert got == expected
    for m in result.measures:
        assert {fe.figure.measure for fe in m.figures} == {m.measure}


def test_the_estimate_page_shows_each_measure_separately(cast, login):
    School.objects.filter(pk=cast.school.pk).update(education_type="vso", cluster=3)
    client = login(cast.teamlid)
    body = client.get(reverse("reference:estimate", args=[cast.school.pk]) + "?leerlingen=100").content.decode()
    assert "Leerlingen met vier of meer ingrijpende jeugdervaringen (ACEs)" in body
    assert "Leerlingen met meer dan vier ingrijpende jeugdervaringen (ACEs)" in body
    four = body.split('id="maat-vier_of_meer"')[1].split('id="maat-meer_dan_vier"')[0]
    more = body.split('id="maat-meer_dan_vier"')[1]
    assert "Naar schatting tussen 73 en 76 van de 100 leerlingen." in four
    assert "(73% tot 76% in de onderzoeken)" in four
    assert "68 procent" not in four and "68%" not in four
    assert "Naar schatting ongeveer 68 van de 100 leerlingen." in more
    assert "andere maat dan ‘vier of meer’" in more
    # The group studied, and the warning where a narrower study is applied to every SO/VSO school.
    assert "Onderzochte leerlingen" in body
    assert "166 leerlingen in de leeftijd van 8-18 jaar uit het Amsterdamse speciaal onderwijs" in body
    assert "Dit onderzoek ging over leerlingen met emotionele en gedragsproblemen in het speciaal onderwijs." in body
    assert body.count("Dit onderzoek ging over leerlingen met emotionele en gedragsproblemen") == 2  # 96% and 76%


def test_regular_school_has_no_more_than_four_measure_nor_the_warning(cast, login):
    School.objects.filter(pk=cast.school.pk).update(education_type="bo", cluster=None)
    client = login(cast.teamlid)
    body = client.get(reverse("reference:estimate", args=[cast.school.pk]) + "?leerlingen=320").content.decode()
    assert 'id="maat-meer_dan_vier"' not in body
    assert "Dit onderzoek ging over leerlingen met emotionele en gedragsproblemen" not in body
    assert "680 leerlingen uit groep 7 en 8 uit het regulier onderwijs" in body


def test_the_editorial_note_explains_the_split():
    note = load_topic("prevalentie").editorial_note
    assert "‘meer dan vier’" in note and "‘vier of meer’" in note
    assert "emotionele en gedragsproblemen" in note
