"""The handbook's reference material as versioned content ("Naslag").

Nine topics live verbatim in ``content/<slug>-2023.json``, each with its citation (``source``) and a
``version``: the pyramid model (Bijlage 8), the screening instruments (Bijlage 9), classroom and
playground suggestions (Bijlage 10), the deepening material (Bijlage 11: guidelines and sites, their
addresses shown as text), the 11 essential knowledge elements (chapter 6), "wat is TSO wel / niet"
(chapter 4), the prevalence of adverse childhood experiences (chapter 1 and the two articles), the
results of the chapter 1 study with Tabel 1.1, and Tabel 1.2 (which team training module serves which
growth layer: ``modules_for_layer`` / ``layers_for_module``). Code reads them from there; templates
never contain handbook text.

``load_topics()`` validates every file (a broken file fails loudly at the first request and in the
tests). ``search_entries()`` flattens all texts for the search on the Naslag page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from core.content_checks import ContentError
from core.content_checks import optional_text as _optional_text
from core.content_checks import text as _text
from core.content_checks import texts as _texts
from organisations.models import EducationType

CONTENT_DIR = Path(__file__).resolve().parent / "content"
# In the order of the Naslag index.
TOPIC_SLUGS = (
    "wat-tso-is",
    "kenniselementen",
    "prevalentie",
    "opbrengsten",
    "teamtraining-ontwikkelmodel",
    "piramidemodel",
    "screeningsinstrumenten",
    "inrichting",
    "verdiepend-materiaal",
)
# Each figure stays under the measure its source names: the handbook's "vier of meer" (4+) and the
# evaluation article's "meer dan vier" (5+) are different measures and are never merged into one range.
MEASURES = ("een_of_meer", "vier_of_meer", "meer_dan_vier")
GROWTH_LAYERS = (1, 2, 3)  # Tabel 1.2 names groeilaag 1, 2 and 3 (3 = 3A relaties bouwen and 3B regulatie bevorderen)
TRAINING_MODULES = (1, 2, 3, 4)
SOURCE_FIELDS = ("title", "authors", "publisher", "edition", "date", "part")


def _url(value, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.startswith(("https://", "http://")) or " " in value:
        raise ContentError(f"{what} must be an http(s) address")
    return value


@dataclass(frozen=True)
class Source:
    title: str
    authors: str
    publisher: str
    edition: str
    date: str
    part: str
    page: int | None

    @property
    def citation(self) -> str:
        page = f", p. {self.page}" if self.page else ""
        return f"{self.authors} ({self.date}). {self.title}, {self.edition}. {self.publisher}. {self.part}{page}."


@dataclass(frozen=True)
class ListItem:
    text: str
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Block:
    type: str  # "paragraph", "list" or "link"
    text: str = ""
    items: tuple[ListItem, ...] = ()
    url: str | None = None


@dataclass(frozen=True)
class Section:
    anchor: str
    heading: str | None
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Figure:
    """One prevalence figure as printed, and to which school types it applies."""

    code: str
    study: str
    measure: str  # one of MEASURES
    percent: int | None  # None: printed in words only ("nagenoeg alle")
    school_types: tuple[str, ...]
    cluster: int | None  # only for schools of this cluster
    quote: str
    approximate: str | None = None  # "bijna"
    derived_from_none: int | None = None  # percent = 100 - this printed share without ACEs
    population: tuple[str, ...] = ()  # who was studied, in the source's own words
    narrow_population: bool = False  # studied in a narrower group than all schools the figure is applied to


@dataclass(frozen=True)
class Topic:
    slug: str
    version: str
    title: str
    source: Source
    editorial_note: str
    sections: tuple[Section, ...] = ()
    data: dict = field(default_factory=dict, compare=False)  # the topic's own, validated parts

    @property
    def template(self) -> str:
        return f"reference/topic_{self.slug.replace('-', '_')}.html"


def _source(data) -> Source:
    if not isinstance(data, dict):
        raise ContentError("source must be an object")
    values = {f: _text(data.get(f), f"source.{f}") for f in SOURCE_FIELDS}
    if values["title"] != "Handboek Implementatie Traumasensitief Onderwijs" or values["edition"] != "versie 2":
        raise ContentError("source must be the Handboek Implementatie Traumasensitief Onderwijs, versie 2")
    page = data.get("page")
    if page is not None and (not isinstance(page, int) or isinstance(page, bool) or page < 1):
        raise ContentError("source.page must be a page number or null")
    return Source(page=page, **values)


def _list_items(items, what: str) -> tuple[ListItem, ...]:
    if not isinstance(items, list) or not items:
        raise ContentError(f"{what} must be a non-empty list")
    out = []
    for i, item in enumerate(items):
        sub = item.get("items")
        out.append(
            ListItem(
                text=_text(item.get("text"), f"{what}[{i}]"),
                items=_texts(sub, f"{what}[{i}].items") if sub is not None else (),
            )
        )
    return tuple(out)


def _sections(data, what: str) -> tuple[Section, ...]:
    sections, anchors = [], set()
    for i, s in enumerate(data or []):
        anchor = _text(s.get("anchor"), f"{what}[{i}].anchor")
        if anchor in anchors:
            raise ContentError(f"{what}: anchor {anchor!r} is used twice")
        anchors.add(anchor)
        blocks = []
        for j, b in enumerate(s["blocks"]):
            where = f"{what}[{i}].blocks[{j}]"
            kind = b.get("type")
            if kind == "paragraph":
                blocks.append(Block(type=kind, text=_text(b.get("text"), where)))
            elif kind == "list":
                blocks.append(Block(type=kind, items=_list_items(b.get("items"), where)))
            elif kind == "link":
                blocks.append(Block(type=kind, url=_url(b.get("url"), where)))
            else:
                raise ContentError(f"{where}: unknown block type {kind!r}")
        if not blocks:
            raise ContentError(f"{what}[{i}] has no blocks")
        sections.append(
            Section(
                anchor=anchor, heading=_optional_text(s.get("heading"), f"{what}[{i}].heading"), blocks=tuple(blocks)
            )
        )
    return tuple(sections)


# Topic-specific parts -------------------------------------------------------------------------------


def _piramidemodel(data) -> dict:
    tiers = []
    for i, t in enumerate(data["tiers"]):
        tiers.append(
            {
                "level": t["level"],
                "name": _text(t["name"], f"tiers[{i}].name"),
                "setting": _text(t["setting"], f"tiers[{i}].setting"),
                "pupils": _text(t["pupils"], f"tiers[{i}].pupils"),
                "activities": _texts(t["activities"], f"tiers[{i}].activities"),
            }
        )
    if [t["level"] for t in tiers] != [3, 2, 1]:
        raise ContentError("the pyramid has three tiers, from the top (3) to the base (1)")
    return {"figure_caption": _text(data["figure_caption"], "figure_caption"), "tiers": tuple(tiers)}


def _screeningsinstrumenten(data) -> dict:
    notes = {}
    for n in data["notes"]:
        number = _text(n["number"], "notes.number")
        if number in notes:
            raise ContentError(f"note {number} appears twice")
        notes[number] = {"number": number, "text": _text(n["text"], f"note {number}"), "url": _url(n["url"], number)}
    topics: list[dict[str, Any]] = []
    for t in data["topics"]:
        instruments = []
        for ins in t["instruments"]:
            note = ins.get("note")
            if note not in notes:
                raise ContentError(f"instrument {ins.get('name')!r} refers to a note that does not exist: {note!r}")
            instruments.append({"name": _text(ins["name"], "instrument"), "note": notes[note]})
        if not instruments:
            raise ContentError(f"topic {t.get('topic')!r} has no instruments")
        topics.append({"topic": _text(t["topic"], "topic"), "instruments": tuple(instruments)})
    used = {i["note"]["number"] for t in topics for i in t["instruments"]}
    if used != set(notes):
        raise ContentError(f"notes without an instrument: {sorted(set(notes) - used)}")
    return {
        "table_caption": _text(data["table_caption"], "table_caption"),
        "columns": _texts(data["columns"], "columns"),
        "topics": tuple(topics),
        "notes": tuple(notes.values()),
    }


def _kenniselementen(data) -> dict:
    elements = _texts(data["elements"], "elements")
    if len(elements) != 11:
        raise ContentError(f"there are 11 essential knowledge elements, not {len(elements)}")
    return {"elements_heading": _text(data["elements_heading"], "elements_heading"), "elements": elements}


def _wat_tso_is(data) -> dict:
    return {
        "intro": _text(data["intro"], "intro"),
        "is_not": {
            "heading": _text(data["is_not"]["heading"], "is_not"),
            "items": _texts(data["is_not"]["items"], "is_not.items"),
        },
        "is": {"heading": _text(data["is"]["heading"], "is"), "items": _texts(data["is"]["items"], "is.items")},
        "see_also": _text(data["see_also"], "see_also"),
    }


def _figure(f, studies, population_texts) -> Figure:
    code = _text(f["code"], "figure code")
    if f["study"] not in studies:
        raise ContentError(f"figure {code}: unknown study {f['study']!r}")
    if f["measure"] not in MEASURES:
        raise ContentError(f"figure {code}: unknown measure {f['measure']!r}")
    percent = f["percent"]
    if percent is not None and (not isinstance(percent, int) or isinstance(percent, bool) or not 0 <= percent <= 100):
        raise ContentError(f"figure {code}: percent must be a whole number from 0 to 100, or null")
    types = tuple(f["school_types"])
    if not types or any(t not in EducationType.values for t in types):
        raise ContentError(f"figure {code}: unknown school types {types!r}")
    cluster = f.get("cluster")
    if cluster is not None and cluster not in (1, 2, 3, 4):
        raise ContentError(f"figure {code}: cluster must be 1 to 4 or null")
    derived = f.get("derived_from_none")
    if derived is not None and percent != 100 - derived:
        raise ContentError(f"figure {code}: a derived figure must be 100 minus the share without ACEs")
    quote = _text(f["quote"], f"figure {code} quote")
    study_text = studies[f["study"]]
    if derived is None and str(percent if percent is not None else "") not in quote:
        raise ContentError(f"figure {code}: the quote does not show the figure {percent}")
    if derived is not None and str(derived) not in quote:
        raise ContentError(f"figure {code}: the quote does not show the share without ACEs ({derived})")
    if quote not in study_text:
        raise ContentError(f"figure {code}: the quote is not in the text of study {f['study']}")
    population = _texts(f.get("population"), f"figure {code} population")
    for part in population:
        if part not in population_texts[f["study"]]:
            raise ContentError(f"figure {code}: the population {part!r} is not in the text of study {f['study']}")
    narrow = f.get("narrow_population", False)
    if not isinstance(narrow, bool):
        raise ContentError(f"figure {code}: narrow_population must be true or false")
    if f["measure"] == "vier_of_meer" and "meer dan vier" in quote:
        raise ContentError(f"figure {code}: 'meer dan vier' is the measure meer_dan_vier, not vier_of_meer")
    if f["measure"] == "meer_dan_vier" and "meer dan vier" not in study_text:
        raise ContentError(f"figure {code}: the study does not speak of 'meer dan vier'")
    return Figure(
        code=code,
        study=f["study"],
        measure=f["measure"],
        percent=percent,
        school_types=types,
        cluster=cluster,
        quote=quote,
        approximate=_optional_text(f.get("approximate"), f"figure {code} approximate"),
        derived_from_none=derived,
        population=population,
        narrow_population=narrow,
    )


def _prevalentie(data) -> dict:
    articles = {a["code"]: _text(a["citation"], f"article {a['code']}") for a in data["articles"]}
    studies, texts, population_texts = [], {}, {}
    for s in data["studies"]:
        code = _text(s["code"], "study code")
        where = s["where"]
        if where != "handboek" and where not in articles:
            raise ContentError(f"study {code}: 'where' must be 'handboek' or an article code")
        groups: list[dict[str, Any]] = []
        for g in s["groups"]:
            groups.append(
                {
                    "heading": _optional_text(g["heading"], f"study {code} group"),
                    "items": _list_items(g["items"], f"study {code}"),
                }
            )
        study = {
            "code": code,
            "heading": _text(s["heading"], f"study {code} heading"),
            "footnote": s["footnote"],
            "where": where,
            "article": articles.get(where),
            "reference": _text(s["reference"], f"study {code} reference"),
            "intro": _text(s["intro"], f"study {code} intro"),
            "groups": tuple(groups),
            "after": _optional_text(s["after"], f"study {code} after"),
        }
        studies.append(study)
        parts = [study["intro"], study["after"] or ""]
        parts += [i.text for g in groups for i in g["items"]] + [x for g in groups for i in g["items"] for x in i.items]
        texts[code] = "\n".join(parts)
        population_texts[code] = "\n".join([texts[code], study["reference"]] + [g["heading"] or "" for g in groups])
    if len(texts) != len(studies):
        raise ContentError("study codes must be unique")
    figures = tuple(_figure(f, texts, population_texts) for f in data["figures"])
    codes = [f.code for f in figures]
    if len(codes) != len(set(codes)):
        raise ContentError("figure codes must be unique")
    by_code = {s["code"]: s for s in studies}
    return {
        "intro": _text(data["intro"], "intro"),
        "articles": articles,
        "studies": tuple(studies),
        "study_by_code": by_code,
        "caveat": _text(data["caveat"], "caveat"),
        "why_for_the_team": _text(data["why_for_the_team"], "why_for_the_team"),
        "other_populations": _text(data["other_populations"], "other_populations"),
        "figures": figures,
    }


def _opbrengsten(data) -> dict:
    study, practice = data["study"], data["practice"]
    report = study["report"]
    columns = []
    for i, c in enumerate(practice["columns"]):
        columns.append({"heading": _text(c["heading"], f"columns[{i}]"), "items": _texts(c["items"], f"columns[{i}]")})
    if len(columns) != 2:
        raise ContentError("Tabel 1.1 has two columns: pupils, and teachers and school")
    return {
        "study": {
            "intro": _text(study["intro"], "study.intro"),
            "results_heading": _text(study["results_heading"], "study.results_heading"),
            "results": _texts(study["results"], "study.results"),
            "caveat": _text(study["caveat"], "study.caveat"),
            "report": {
                "footnote": _text(report["footnote"], "report.footnote"),
                "reference": _text(report["reference"], "report.reference"),
                "url": _url(report["url"], "report.url"),
            },
        },
        "practice": {
            "intro": _text(practice["intro"], "practice.intro"),
            "table_caption": _text(practice["table_caption"], "practice.table_caption"),
            "columns": tuple(columns),
        },
    }


def _numbered(item, prefix: str, allowed, what: str) -> dict:
    number, name = item["number"], _text(item["name"], what)
    if number not in allowed or isinstance(number, bool):
        raise ContentError(f"{what}: {prefix.lower()} number must be one of {allowed}, not {number!r}")
    if not name.startswith(f"{prefix} {number}:"):
        raise ContentError(f"{what}: {name!r} is not {prefix.lower()} {number} as printed")
    return {"number": number, "name": name}


def _teamtraining_ontwikkelmodel(data) -> dict:
    modules = tuple(_numbered(m, "Module", TRAINING_MODULES, f"modules[{i}]") for i, m in enumerate(data["modules"]))
    if [m["number"] for m in modules] != list(TRAINING_MODULES):
        raise ContentError("figure 1.2 names the four modules, 1 to 4, in order")
    rows: list[dict[str, Any]] = []
    for i, r in enumerate(data["rows"]):
        row_modules = tuple(_numbered(m, "Module", TRAINING_MODULES, f"rows[{i}].modules") for m in r["modules"])
        if not row_modules:
            raise ContentError(f"rows[{i}] has no modules")
        rows.append(
            {
                "modules": row_modules,
                "concepts": _texts(r["concepts"], f"rows[{i}].concepts"),
                "layer": _numbered(r["layer"], "Groeilaag", GROWTH_LAYERS, f"rows[{i}].layer"),
            }
        )
    if sorted(r["layer"]["number"] for r in rows) != list(GROWTH_LAYERS):
        raise ContentError("Tabel 1.2 has one row for each growth layer 1, 2 and 3")
    if {m["number"] for r in rows for m in r["modules"]} != set(TRAINING_MODULES):
        raise ContentError("Tabel 1.2 names every module 1 to 4")
    return {
        "intro": _text(data["intro"], "intro"),
        "modules_caption": _text(data["modules_caption"], "modules_caption"),
        "modules": modules,
        "table_intro": _text(data["table_intro"], "table_intro"),
        "table_caption": _text(data["table_caption"], "table_caption"),
        "columns": _texts(data["columns"], "columns"),
        "rows": tuple(rows),
    }


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def _verdiepend_materiaal(data) -> dict:
    groups, anchors = [], set()
    for i, g in enumerate(data["groups"]):
        anchor = _text(g["anchor"], f"groups[{i}].anchor")
        if anchor in anchors:
            raise ContentError(f"groups: anchor {anchor!r} is used twice")
        anchors.add(anchor)
        items = []
        for j, item in enumerate(g["items"]):
            where = f"groups[{i}].items[{j}]"
            text = _text(item["text"], where)
            links = []
            for k, link in enumerate(item["links"]):
                what = _text(link["what"], f"{where}.links[{k}].what")
                if what not in text:
                    raise ContentError(f"{where}.links[{k}]: {what!r} is not in the printed sentence")
                url = _url(link["url"], f"{where}.links[{k}]")
                if url is None:
                    raise ContentError(f"{where}.links[{k}] has no address")
                links.append({"what": what, "url": url, "host": _host(url)})
            if not links:
                raise ContentError(f"{where} has no links")
            items.append({"text": text, "links": tuple(links)})
        if not items:
            raise ContentError(f"groups[{i}] has no items")
        groups.append({"anchor": anchor, "heading": _text(g["heading"], f"groups[{i}].heading"), "items": tuple(items)})
    return {"groups": tuple(groups)}


PARTS = {
    "piramidemodel": _piramidemodel,
    "screeningsinstrumenten": _screeningsinstrumenten,
    "kenniselementen": _kenniselementen,
    "wat-tso-is": _wat_tso_is,
    "prevalentie": _prevalentie,
    "inrichting": lambda data: {},
    "opbrengsten": _opbrengsten,
    "teamtraining-ontwikkelmodel": _teamtraining_ontwikkelmodel,
    "verdiepend-materiaal": _verdiepend_materiaal,
}


def parse(data: dict, slug: str) -> Topic:
    """Build a Topic from its JSON form, validating the structure."""
    try:
        if data.get("slug") != slug:
            raise ContentError(f"file for {slug!r} has slug {data.get('slug')!r}")
        for c in data.get("corrections", []):  # typographic fixes, recorded so the tests can check the print
            _text(c["printed"], "corrections.printed")
            _text(c["shown"], "corrections.shown")
        return Topic(
            slug=slug,
            version=_text(data["version"], "version"),
            title=_text(data["title"], "title"),
            source=_source(data["source"]),
            editorial_note=_text(data["editorial_note"], "editorial_note"),
            sections=_sections(data.get("sections"), "sections"),
            data=PARTS[slug](data),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ContentError(f"invalid reference content {slug!r}: {exc!r}") from exc


def content_file(slug: str) -> Path:
    return CONTENT_DIR / f"{slug}-2023.json"


@cache
def load_topic(slug: str) -> Topic:
    if slug not in TOPIC_SLUGS:
        raise KeyError(slug)
    return parse(json.loads(content_file(slug).read_text(encoding="utf-8")), slug)


def load_topics() -> tuple[Topic, ...]:
    return tuple(load_topic(slug) for slug in TOPIC_SLUGS)


def get_topic(slug) -> Topic | None:
    return load_topic(slug) if slug in TOPIC_SLUGS else None


def figures() -> tuple[Figure, ...]:
    return load_topic("prevalentie").data["figures"]


def _layer_number(layer) -> int:
    """1, 2, 3 or the ontwikkelmodel's layer codes "1", "2", "3A", "3B" (both parts of groeilaag 3)."""
    if isinstance(layer, str):
        layer = layer.strip().upper().removesuffix("A").removesuffix("B")
        layer = int(layer) if layer.isdigit() else None
    if isinstance(layer, bool) or layer not in GROWTH_LAYERS:
        raise ValueError(f"unknown growth layer {layer!r}")
    return layer


def modules_for_layer(layer) -> tuple[int, ...]:
    """The team training modules that serve a growth layer, by Tabel 1.2 (layer 1, 2, 3 or "3A"/"3B")."""
    number = _layer_number(layer)
    rows = load_topic("teamtraining-ontwikkelmodel").data["rows"]
    return tuple(sorted({m["number"] for r in rows if r["layer"]["number"] == number for m in r["modules"]}))


def layers_for_module(module: int) -> tuple[int, ...]:
    """The growth layers a team training module (1-4) serves, by Tabel 1.2; module 4 serves layer 2 and 3."""
    if isinstance(module, bool) or module not in TRAINING_MODULES:
        raise ValueError(f"unknown training module {module!r}")
    rows = load_topic("teamtraining-ontwikkelmodel").data["rows"]
    return tuple(sorted({r["layer"]["number"] for r in rows if any(m["number"] == module for m in r["modules"])}))


def training_modules() -> tuple[dict, ...]:
    """The four modules as named in figure 1.2, each with the growth layers it serves (Tabel 1.2)."""
    modules = load_topic("teamtraining-ontwikkelmodel").data["modules"]
    return tuple({**m, "layers": layers_for_module(m["number"])} for m in modules)


# Search -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One searchable text: where it is (topic, anchor, heading) and the text as printed."""

    topic: Topic
    anchor: str
    heading: str
    text: str


def _section_entries(topic: Topic):
    for section in topic.sections:
        heading = section.heading or topic.title
        if section.heading:
            yield section.anchor, heading, section.heading
        for block in section.blocks:
            if block.type == "paragraph":
                yield section.anchor, heading, block.text
            elif block.type == "list":
                for item in block.items:
                    yield section.anchor, heading, item.text
                    for sub in item.items:
                        yield section.anchor, heading, sub


def _topic_entries(topic: Topic):
    d = topic.data
    yield "", topic.title, topic.title
    yield from _section_entries(topic)
    if topic.slug == "piramidemodel":
        for tier in d["tiers"]:
            heading = f"{tier['name']} – {tier['pupils']}"
            yield f"laag-{tier['level']}", heading, f"{tier['name']} {tier['setting']} {tier['pupils']}"
            for activity in tier["activities"]:
                yield f"laag-{tier['level']}", heading, activity
    elif topic.slug == "screeningsinstrumenten":
        for t in d["topics"]:
            for ins in t["instruments"]:
                yield "tabel", t["topic"], f"{t['topic']}: {ins['name']} – {ins['note']['text']}"
    elif topic.slug == "kenniselementen":
        for i, element in enumerate(d["elements"], start=1):
            yield "elementen", d["elements_heading"], f"{i}. {element}"
    elif topic.slug == "wat-tso-is":
        yield "", topic.title, d["intro"]
        for key, anchor in (("is_not", "niet"), ("is", "wel")):
            for item in d[key]["items"]:
                yield anchor, d[key]["heading"], item
    elif topic.slug == "prevalentie":
        yield "", topic.title, d["intro"]
        for s in d["studies"]:
            yield s["code"], s["heading"], s["intro"]
            for g in s["groups"]:
                for item in g["items"]:
                    yield s["code"], s["heading"], item.text
                    for sub in item.items:
                        yield s["code"], s["heading"], sub
            if s["after"]:
                yield s["code"], s["heading"], s["after"]
            yield s["code"], s["heading"], s["reference"]
        yield "kanttekening", topic.title, d["caveat"]
    elif topic.slug == "opbrengsten":
        study, practice = d["study"], d["practice"]
        yield "onderzoek", topic.title, study["intro"]
        for result in study["results"]:
            yield "onderzoek", study["results_heading"], result
        yield "onderzoek", topic.title, study["caveat"]
        yield "onderzoek", topic.title, study["report"]["reference"]
        yield "praktijk", practice["table_caption"], practice["intro"]
        for column in practice["columns"]:
            for item in column["items"]:
                yield "praktijk", practice["table_caption"], f"{column['heading']}: {item}"
    elif topic.slug == "teamtraining-ontwikkelmodel":
        yield "", topic.title, d["intro"]
        for module in d["modules"]:
            yield "modules", d["modules_caption"], module["name"]
        yield "tabel", d["table_caption"], d["table_intro"]
        for row in d["rows"]:
            names = "; ".join(m["name"] for m in row["modules"])
            yield "tabel", d["table_caption"], f"{names} – {', '.join(row['concepts'])} – {row['layer']['name']}"
    elif topic.slug == "verdiepend-materiaal":
        for group in d["groups"]:
            yield group["anchor"], group["heading"], group["heading"]
            for item in group["items"]:
                for link in item["links"]:
                    yield group["anchor"], group["heading"], f"{link['what']} ({link['host']}): {link['url']}"


@cache
def search_entries() -> tuple[Entry, ...]:
    entries, seen = [], set()
    for topic in load_topics():
        for anchor, heading, text in _topic_entries(topic):
            key = (topic.slug, anchor, text)
            if key not in seen:
                seen.add(key)
                entries.append(Entry(topic=topic, anchor=anchor, heading=heading, text=text))
    return tuple(entries)
