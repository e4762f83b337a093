"""The yearly team questionnaire ("Opbrengsten") as versioned content.

``content/vragenlijst-2026.json`` holds the product's own item wording (not a copy of a licensed research
questionnaire), grouped by the aspects its sources name, each group with its citation: competence on the six
aspects and the class climate of the evaluation study (the article, 001_...), werkbalans and wellbeing (handbook
§6.5.4, §6.7.4, module 4), and the 11 essential knowledge elements, whose text is loaded from the Naslag
(``reference.content``), never retyped here. Each aspect names the Ontwikkelmodel accents it matches (checked
against the model). Item codes are stored in a survey's snapshot and its tallies, so they are never renumbered or
reused. ``load_content()`` validates the file: a broken file fails loudly at the first request and in the tests.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.content_checks import ContentError
from core.content_checks import text as _text
from ontwikkelmodel.content import load_file
from reference.content import load_topic

CONTENT_DIR = Path(__file__).resolve().parent / "content"
CONTENT_FILE = CONTENT_DIR / "vragenlijst-2026.json"
CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,19}$")
SCALE_VALUES = (1, 2, 3, 4, 5)
DONT_KNOW = "weet_niet"  # the "weet ik niet / n.v.t." answer of a scale item: counted, never in a mean
KNOWLEDGE_VALUES = ("nog_niet", "ken_ik", "pas_ik_toe")
GROUP_KINDS = ("scale", "knowledge")
KNOWLEDGE_PREFIX = "kennis"  # item keys of the knowledge elements: kennis1 … kennis11, in the Naslag's order


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Item:
    code: str
    text: str


@dataclass(frozen=True)
class Aspect:
    code: str
    name: str
    accents: tuple[str, ...]
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Group:
    code: str
    kind: str  # "scale" (1-5 with "weet ik niet") or "knowledge" (nog niet / ken ik / pas ik toe)
    heading: str
    intro: str
    citation: str
    aspects: tuple[Aspect, ...]
    accents: tuple[str, ...]  # the group's own accents (knowledge); scale groups name them per aspect


@dataclass(frozen=True)
class Questionnaire:
    version: str
    title: str
    intro: str
    honesty: str
    scale: tuple[Choice, ...]
    dont_know_label: str
    knowledge_scale: tuple[Choice, ...]
    groups: tuple[Group, ...]

    def group(self, code: str) -> Group | None:
        return next((g for g in self.groups if g.code == code), None)

    @property
    def scale_groups(self) -> tuple[Group, ...]:
        return tuple(g for g in self.groups if g.kind == "scale")

    @property
    def item_codes(self) -> list[str]:
        return [i.code for g in self.groups for a in g.aspects for i in a.items]


def _code(value, what: str) -> str:
    if not isinstance(value, str) or not CODE_RE.match(value):
        raise ContentError(f"invalid code for {what}: {value!r}")
    return value


def _unique(codes: list[str], what: str) -> None:
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ContentError(f"{what} codes must be unique: {', '.join(duplicates)}")


def _accents(values, what: str, known: set[str]) -> tuple[str, ...]:
    if not isinstance(values, list) or not values:
        raise ContentError(f"{what} must name at least one accent of the Ontwikkelmodel")
    unknown = [v for v in values if v not in known]
    if unknown:
        raise ContentError(f"{what} names accents the Ontwikkelmodel does not have: {unknown}")
    return tuple(values)


def _knowledge_aspects() -> tuple[Aspect, ...]:
    """The 11 elements, verbatim from the Naslag: one aspect (and one item) each."""
    elements = load_topic("kenniselementen").data["elements"]
    return tuple(
        Aspect(
            code=f"{KNOWLEDGE_PREFIX}{n}",
            name=text,
            accents=(),
            items=(Item(code=f"{KNOWLEDGE_PREFIX}{n}", text=text),),
        )
        for n, text in enumerate(elements, start=1)
    )


def parse(data: dict) -> Questionnaire:
    """Build the questionnaire from its JSON form, validating the structure, the citations and the accents."""
    known_accents = set(load_file().accent_codes)
    try:
        sources = {key: _text(value, f"source {key}") for key, value in data["sources"].items()}
        scale = tuple(Choice(value=str(p["value"]), label=_text(p["label"], "scale label")) for p in data["scale"])
        if tuple(int(c.value) for c in scale) != SCALE_VALUES:
            raise ContentError("the scale must run from 1 to 5")
        knowledge_scale = tuple(
            Choice(value=p["value"], label=_text(p["label"], "knowledge label")) for p in data["knowledge_scale"]
        )
        if tuple(c.value for c in knowledge_scale) != KNOWLEDGE_VALUES:
            raise ContentError(f"the knowledge scale must be {KNOWLEDGE_VALUES}")
        groups = []
        for g in data["groups"]:
            code = _code(g["code"], "group")
            if g["kind"] not in GROUP_KINDS:
                raise ContentError(f"group {code}: kind must be one of {GROUP_KINDS}")
            if g["source"] not in sources:
                raise ContentError(f"group {code}: unknown source {g['source']!r}")
            citation = f"{sources[g['source']]}, {_text(g['where'], f'group {code} where')}."
            if g["kind"] == "knowledge":
                aspects = _knowledge_aspects()
                accents = _accents(g["accents"], f"group {code}", known_accents)
            else:
                aspects = tuple(
                    Aspect(
                        code=_code(a["code"], "aspect"),
                        name=_text(a["name"], f"aspect {a['code']}"),
                        accents=_accents(a["accents"], f"aspect {a['code']}", known_accents),
                        items=tuple(
                            Item(code=_code(i["code"], "item"), text=_text(i["text"], f"item {i['code']}"))
                            for i in a["items"]
                        ),
                    )
                    for a in g["aspects"]
                )
                accents = ()
                for a in aspects:
                    if not 1 <= len(a.items) <= 2:
                        raise ContentError(f"aspect {a.code}: one or two items, not {len(a.items)}")
            if not aspects:
                raise ContentError(f"group {code} has no aspects")
            groups.append(
                Group(
                    code=code,
                    kind=g["kind"],
                    heading=_text(g["heading"], f"group {code} heading"),
                    intro=_text(g["intro"], f"group {code} intro"),
                    citation=citation,
                    aspects=aspects,
                    accents=accents,
                )
            )
        result = Questionnaire(
            version=_text(data["version"], "version"),
            title=_text(data["title"], "title"),
            intro=_text(data["intro"], "intro"),
            honesty=_text(data["honesty"], "honesty"),
            scale=scale,
            dont_know_label=_text(data["dont_know_label"], "dont_know_label"),
            knowledge_scale=knowledge_scale,
            groups=tuple(groups),
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        if isinstance(exc, ContentError):
            raise
        raise ContentError(f"invalid questionnaire content: {exc!r}") from exc
    _unique([g.code for g in result.groups], "group")
    _unique([a.code for g in result.groups for a in g.aspects], "aspect")
    _unique(result.item_codes, "item")
    if sum(1 for g in result.groups if g.kind == "knowledge") != 1:
        raise ContentError("the questionnaire has one group of knowledge elements")
    return result


@cache
def load_content() -> Questionnaire:
    return parse(json.loads(CONTENT_FILE.read_text(encoding="utf-8")))
