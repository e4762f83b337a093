"""Issue 13, part 5.3: Bijlage 11 (verdiepend materiaal) in the Naslag: the guidelines on trauma, child abuse and
attachment, the meldcode, psycho-education and the sites, verbatim and cited, their addresses as text only."""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path

import pytest
from django.urls import reverse

from reference.content import TOPIC_SLUGS, ContentError, content_file, load_topic, parse
from reference.search import search

HANDBOOK = Path(os.environ.get("TSO_SEEDS_DIR", "/work/shared/seeds")) / "002_737681bd825e55d2.txt"
SLUG = "verdiepend-materiaal"


def links():
    return [
        (g["anchor"], link["what"], link["host"], link["url"])
        for g in load_topic(SLUG).data["groups"]
        for item in g["items"]
        for link in item["links"]
    ]


@pytest.fixture(scope="module")
def handbook() -> tuple[str, str]:
    if not HANDBOOK.exists():
        pytest.skip("seed texts not available")
    raw = HANDBOOK.read_text(encoding="utf-8")
    start = raw.index("Bijlage 11: Traumasensitief Onderwijs: Verdiepend materiaal")
    end = raw.index("Bijlage 12: Werkmoment TSO", start)
    return " ".join(raw[start:end].split()), raw[start:end]


def test_listed_and_cited():
    assert SLUG in TOPIC_SLUGS
    topic = load_topic(SLUG)
    assert topic.source.part.startswith("Bijlage 11 'Traumasensitief Onderwijs: Verdiepend materiaal'")
    assert topic.title == "Traumasensitief Onderwijs: Verdiepend materiaal"
    assert "als tekst" in topic.editorial_note and "Niet overgenomen" in topic.editorial_note


def test_the_guidelines_meldcode_and_psycho_education():
    rows = links()
    what = {(w, u) for _, w, _, u in rows}
    assert ("de richtlijn mbt trauma", "http://richtlijnenjeugdhulp.nl/trauma/") in what
    assert ("de richtlijn mbt kindermishandeling", "http://richtlijnenjeugdhulp.nl/kindermishandeling/#button") in what
    assert ("scholing mbt de meldcode", "https://www.augeo.nl/meldcode") in what
    assert ("de richtlijn mbt gehechtheid", "http://richtlijnenjeugdhulp.nl/problematische-gehechtheid/") in what
    assert ("psycho-educatie animaties voor kinderen", "https://www.augeo.nl/psycho-educatie") in what
    assert sum(1 for _, w, _, _ in rows if w == "de richtlijn kenniscentrum KJP mbt tot trauma") == 2
    hosts = {h for _, _, h, _ in rows}
    assert {"richtlijnenjeugdhulp.nl", "augeo.nl", "kenniscentrum-kjp.nl", "tipbs.com"} <= hosts
    assert [g["heading"] for g in load_topic(SLUG).data["groups"]] == [
        "7.11.1 Informatie over trauma",
        "7.11.2 Informatie over gehechtheid",
        "7.11.6 Informatie over veerkracht en mindset",
    ]
    assert not any("bol.com" in u or "drive.google" in u for *_, u in rows)


def test_verbatim(handbook):
    text, raw = handbook
    addresses = set(re.findall(r"https?://\S+", raw))
    for group in load_topic(SLUG).data["groups"]:
        assert group["heading"] in text
        for item in group["items"]:
            assert item["text"] in text
            for link in item["links"]:
                assert link["what"] in item["text"]
                assert link["url"] in addresses


@pytest.mark.parametrize(
    ("breaks", "message"),
    [
        (lambda d: d["groups"][0]["items"][3]["links"][0].__setitem__("url", "javascript:alert(1)"), "http"),
        (lambda d: d["groups"][0]["items"][3]["links"][0].__setitem__("what", "iets anders"), "printed sentence"),
        (lambda d: d["groups"][1].__setitem__("anchor", "trauma"), "used twice"),
        (lambda d: d["groups"][1]["items"][0].__setitem__("links", []), "no links"),
    ],
)
def test_broken_content_is_refused(breaks, message):
    data = copy.deepcopy(json.loads(content_file(SLUG).read_text(encoding="utf-8")))
    breaks(data)
    with pytest.raises(ContentError, match=message):
        parse(data, SLUG)


def test_page_shows_addresses_as_text_only(cast, login):
    client = login(cast.teamlid)
    response = client.get(reverse("reference:topic", args=[SLUG]))
    body = response.content.decode()
    assert response.status_code == 200
    for _, what, host, url in links():
        assert what in body and host in body
        assert f'<code class="gw-ref-url">{url.replace("&", "&amp;")}</code>' in body
        assert f'href="{url}"' not in body and f'src="{url}' not in body
    # Nothing on the page points at another host: every href and src is local or an in-page anchor.
    for attr in re.findall(r'(?:href|src)="([^"]*)"', body):
        assert not attr.startswith(("http://", "https://", "//")), attr
    assert "Kopieer een adres en open het zelf" in body
    index = client.get(reverse("reference:index")).content.decode()
    assert reverse("reference:topic", args=[SLUG]) in index


def test_search_finds_the_meldcode():
    hits = search("meldcode").hits
    assert any(h.entry.topic.slug == SLUG and h.entry.anchor == "trauma" for h in hits)
    assert any(h.entry.topic.slug == SLUG for h in search("richtlijn gehechtheid").hits)
    assert any(h.entry.topic.slug == SLUG for h in search("augeo.nl").hits)
