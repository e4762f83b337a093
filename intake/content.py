"""The handbook's Bijlage 1 (voorgesprekken) and Bijlage 2 (profielschets kartrekker) as versioned content.

Both live verbatim in ``content/voorgesprek-2023.json`` and ``content/kartrekker-2023.json`` with their
citation. Code reads them from there; templates never contain handbook text. Every agenda question and
every small step has a short, stable ``code`` that notes and ticks are stored under, so codes are never
renumbered or reused: add new codes, retire old ones.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.content_checks import ContentError
from core.content_checks import text as _text
from core.content_checks import texts as _texts

CONTENT_DIR = Path(__file__).resolve().parent / "content"
AGENDA_FILE = CONTENT_DIR / "voorgesprek-2023.json"
PROFILE_FILE = CONTENT_DIR / "kartrekker-2023.json"
MAX_CODE_LENGTH = 40  # Note.question_code
CODE_RE = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")
KIND_CODES = ("verkennend", "praktisch")


def _code(value, what: str) -> str:
    if not isinstance(value, str) or not CODE_RE.match(value) or len(value) > MAX_CODE_LENGTH:
        raise ContentError(f"invalid code {value!r} for {what}")
    return value


@dataclass(frozen=True)
class Source:
    title: str
    authors: str
    publisher: str
    edition: str
    date: str
    sections: str
    page: str | None


def _source(data) -> Source:
    page = data.get("page")
    return Source(
        title=_text(data["title"], "source title"),
        authors=_text(data["authors"], "source authors"),
        publisher=_text(data["publisher"], "source publisher"),
        edition=_text(data["edition"], "source edition"),
        date=_text(data["date"], "source date"),
        sections=_text(data["sections"], "source sections"),
        page=_text(page, "source page") if page is not None else None,
    )


# Bijlage 1 ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    items: tuple[str, ...]

    @property
    def anchor(self) -> str:
        """For HTML ids and URL fragments: the code without dots."""
        return self.code.replace(".", "-")


@dataclass(frozen=True)
class Theme:
    code: str
    name: str
    parts_label: str
    instruction: str | None
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Part:
    code: str
    heading: str
    themes: tuple[Theme, ...]

    @property
    def questions(self) -> list[Question]:
        return [q for t in self.themes for q in t.questions]


@dataclass(frozen=True)
class KindInfo:
    """What chapter 3 says about one kind of conversation."""

    code: str
    heading: str
    when: str
    goals: tuple[str, ...]
    time: str
    participants: tuple[str, ...]
    paragraphs: tuple[str, ...]
    topics_intro: str | None = None
    topics: tuple[str, ...] = ()
    urgency_intro: str | None = None
    urgency: tuple[str, ...] = ()
    essence_heading: str | None = None
    essence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision:
    text: str
    go: str
    twijfel: str
    twijfel_advice: tuple[str, ...]


@dataclass(frozen=True)
class AgreementWording:
    question: str
    who: str
    when: str
    support: str
    feedback: str


@dataclass(frozen=True)
class SmallStep:
    code: str
    text: str
    where: str


@dataclass(frozen=True)
class Agenda:
    version: str
    title: str
    source: Source
    citation: str
    intro: tuple[str, ...]
    kinds: dict
    parts: tuple[Part, ...]
    decision: Decision
    agreements: AgreementWording
    small_steps_intro: str
    small_steps: tuple[SmallStep, ...]

    @property
    def questions(self) -> list[Question]:
        return [q for p in self.parts for q in p.questions]

    @property
    def question_codes(self) -> list[str]:
        return [q.code for q in self.questions]

    @property
    def small_step_codes(self) -> list[str]:
        return [s.code for s in self.small_steps]

    def kind(self, code: str) -> KindInfo | None:
        return self.kinds.get(code)


def _opt_text(value, what):
    return None if value is None else _text(value, what)


def parse_agenda(data: dict) -> Agenda:
    try:
        parts = []
        for part in data["parts"]:
            themes = []
            for theme in part["themes"]:
                questions = tuple(
                    Question(
                        code=_code(q["code"], "question"),
                        text=_text(q["text"], f"question {q['code']}"),
                        items=_texts(q.get("items", []), f"items of {q['code']}", allow_empty=True),
                    )
                    for q in theme["questions"]
                )
                if not questions:
                    raise ContentError(f"theme {theme['code']!r} has no questions")
                for q in questions:
                    if not q.code.startswith(f"{part['code']}.{theme['code']}."):
                        raise ContentError(f"question code {q.code!r} does not belong to theme {theme['code']!r}")
                themes.append(
                    Theme(
                        code=_code(theme["code"], "theme"),
                        name=_text(theme["name"], "theme name"),
                        parts_label=_text(theme["parts_label"], "parts label"),
                        instruction=_opt_text(theme.get("instruction"), "instruction"),
                        questions=questions,
                    )
                )
            parts.append(
                Part(code=_code(part["code"], "part"), heading=_text(part["heading"], "part"), themes=tuple(themes))
            )
        kinds = {}
        for code, info in data["kinds"].items():
            if code not in KIND_CODES:
                raise ContentError(f"unknown conversation kind {code!r}")
            kinds[code] = KindInfo(
                code=code,
                heading=_text(info["heading"], "kind heading"),
                when=_text(info["when"], "when"),
                goals=_texts(info["goals"], "goals"),
                time=_text(info["time"], "time"),
                participants=_texts(info["participants"], "participants"),
                paragraphs=_texts(info["paragraphs"], "paragraphs"),
                topics_intro=_opt_text(info.get("topics_intro"), "topics intro"),
                topics=_texts(info.get("topics", []), "topics", allow_empty=True),
                urgency_intro=_opt_text(info.get("urgency_intro"), "urgency intro"),
                urgency=_texts(info.get("urgency", []), "urgency", allow_empty=True),
                essence_heading=_opt_text(info.get("essence_heading"), "essence heading"),
                essence=_texts(info.get("essence", []), "essence", allow_empty=True),
            )
        decision = data["decision"]
        agreements = data["agreements"]
        steps = data["small_steps"]
        agenda = Agenda(
            version=_text(data["version"], "version"),
            title=_text(data["title"], "title"),
            source=_source(data["source"]),
            citation=_text(data["citation"], "citation"),
            intro=_texts(data["intro"], "intro"),
            kinds=kinds,
            parts=tuple(parts),
            decision=Decision(
                text=_text(decision["text"], "decision text"),
                go=_text(decision["go"], "go"),
                twijfel=_text(decision["twijfel"], "twijfel"),
                twijfel_advice=_texts(decision["twijfel_advice"], "twijfel advice"),
            ),
            agreements=AgreementWording(
                **{
                    k: _text(agreements[k], f"agreements {k}")
                    for k in ("question", "who", "when", "support", "feedback")
                }
            ),
            small_steps_intro=_text(steps["intro"], "small steps intro"),
            small_steps=tuple(
                SmallStep(
                    code=_code(s["code"], "small step"),
                    text=_text(s["text"], "small step"),
                    where=_text(s["where"], "small step where"),
                )
                for s in steps["items"]
            ),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ContentError(f"invalid voorgesprek content: {exc!r}") from exc
    if not agenda.parts:
        raise ContentError("the agenda has no parts")
    if set(agenda.kinds) != set(KIND_CODES):
        raise ContentError(f"the content must describe exactly these kinds: {', '.join(KIND_CODES)}")
    for codes, what in ((agenda.question_codes, "question"), (agenda.small_step_codes, "small step")):
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ContentError(f"{what} codes must be unique: {', '.join(duplicates)}")
    if not agenda.small_steps:
        raise ContentError("there are no small steps")
    return agenda


@cache
def load_agenda() -> Agenda:
    return parse_agenda(json.loads(AGENDA_FILE.read_text(encoding="utf-8")))


# Bijlage 2 ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileSection:
    code: str
    heading: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Profile:
    version: str
    title: str
    source: Source
    citation: str
    minimum_count: int
    minimum_text: str
    explanation: str
    position_heading: str
    position: tuple[str, ...]
    profile_heading: str
    sections: tuple[ProfileSection, ...]
    chapter3_heading: str
    chapter3: tuple[str, ...]
    highlight_heading: str
    highlight: str
    highlight_question: str
    highlight_items: tuple[str, ...]


def parse_profile(data: dict) -> Profile:
    try:
        minimum = data["minimum_count"]
        if not isinstance(minimum, int) or isinstance(minimum, bool) or minimum < 1:
            raise ContentError("minimum_count must be a positive whole number")
        ch3 = data["chapter3"]
        profile = Profile(
            version=_text(data["version"], "version"),
            title=_text(data["title"], "title"),
            source=_source(data["source"]),
            citation=_text(data["citation"], "citation"),
            minimum_count=minimum,
            minimum_text=_text(data["minimum_text"], "minimum text"),
            explanation=_text(data["explanation"], "explanation"),
            position_heading=_text(data["position_heading"], "position heading"),
            position=_texts(data["position"], "position"),
            profile_heading=_text(data["profile_heading"], "profile heading"),
            sections=tuple(
                ProfileSection(
                    code=_code(s["code"], "profile section"),
                    heading=_text(s["heading"], "profile heading"),
                    items=_texts(s["items"], f"items of {s['code']}"),
                )
                for s in data["profile"]
            ),
            chapter3_heading=_text(ch3["heading"], "chapter 3 heading"),
            chapter3=_texts(ch3["paragraphs"], "chapter 3"),
            highlight_heading=_text(ch3["highlight_heading"], "highlight heading"),
            highlight=_text(ch3["highlight"], "highlight"),
            highlight_question=_text(ch3["highlight_question"], "highlight question"),
            highlight_items=_texts(ch3["highlight_items"], "highlight items"),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ContentError(f"invalid kartrekker content: {exc!r}") from exc
    if not profile.sections:
        raise ContentError("the profile has no sections")
    return profile


@cache
def load_profile() -> Profile:
    return parse_profile(json.loads(PROFILE_FILE.read_text(encoding="utf-8")))
