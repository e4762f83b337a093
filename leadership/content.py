"""Bijlage 6 of the handbook as versioned content: the leadership checklist and the MT conversation.

``content/leiderschap-2023.json`` holds, verbatim and cited, the explanation (7.6.1), the 1-5 scale
labels, the three example items the handbook prints, and the conversation format (7.6.2): step 1 in
pairs with questions a-f, step 2 together with four questions. Code reads it from here; templates never
contain handbook text. Item and question codes are stored with answers and notes, so they are never
renumbered or reused.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.content_checks import ContentError
from core.content_checks import text as _text

CONTENT_DIR = Path(__file__).resolve().parent / "content"
CONTENT_FILE = CONTENT_DIR / "leiderschap-2023.json"
CODE_RE = re.compile(r"^[a-z0-9]{1,8}$")
SCALE_VALUES = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class ScalePoint:
    value: int
    label: str


@dataclass(frozen=True)
class Item:
    code: str
    text: str


@dataclass(frozen=True)
class Question:
    code: str
    label: str  # "a." … "f." as printed, or "•"
    text: str
    step_code: str


@dataclass(frozen=True)
class Step:
    code: str
    heading: str
    instructions: tuple[str, ...]
    marker: str  # "letter" or "bullet": how the handbook prints the questions
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Source:
    title: str
    authors: str
    publisher: str
    edition: str
    date: str
    parts: tuple[str, ...]
    page: str | None

    @property
    def citation(self) -> str:
        where = "; ".join(self.parts)
        page = f", p. {self.page}" if self.page else ""
        return f"{self.authors} {self.title}, {self.edition} ({self.publisher}, {self.date}), {where}{page}."


@dataclass(frozen=True)
class Leadership:
    version: str
    source: Source
    title: str
    highlight_heading: str
    highlight_text: str
    checklist_heading: str
    checklist_intro: tuple[str, ...]
    items_heading: str
    scale: tuple[ScalePoint, ...]
    items: tuple[Item, ...]
    conversation_heading: str
    conversation_intro: str
    steps: tuple[Step, ...]
    growth_layer: str

    @property
    def questions(self) -> list[Question]:
        return [q for step in self.steps for q in step.questions]

    def question(self, code: str) -> Question | None:
        return next((q for q in self.questions if q.code == code), None)

    def item(self, code: str) -> Item | None:
        return next((i for i in self.items if i.code == code), None)

    def scale_label(self, value) -> str:
        return next((p.label for p in self.scale if p.value == value), "")


def _code(value, what: str) -> str:
    if not isinstance(value, str) or not CODE_RE.match(value):
        raise ContentError(f"invalid code for {what}: {value!r}")
    return value


def _unique(codes: list[str], what: str) -> None:
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ContentError(f"{what} codes must be unique: {', '.join(duplicates)}")


def parse(data: dict) -> Leadership:
    """Build the content from its JSON form, validating the structure."""
    try:
        src = data["source"]
        source = Source(
            title=_text(src["title"], "source title"),
            authors=_text(src["authors"], "source authors"),
            publisher=_text(src["publisher"], "source publisher"),
            edition=_text(src["edition"], "source edition"),
            date=_text(src["date"], "source date"),
            parts=tuple(_text(p, "source part") for p in src["parts"]),
            page=src.get("page"),
        )
        if not source.parts:
            raise ContentError("the source must name the part of the handbook")
        checklist = data["checklist"]
        scale = tuple(ScalePoint(value=p["value"], label=_text(p["label"], "scale label")) for p in checklist["scale"])
        if tuple(p.value for p in scale) != SCALE_VALUES:
            raise ContentError("the scale must run from 1 to 5")
        items = tuple(
            Item(code=_code(i["code"], "item"), text=_text(i["text"], f"item {i['code']}")) for i in checklist["items"]
        )
        if not items:
            raise ContentError("the checklist has no items")
        _unique([i.code for i in items], "item")
        conversation = data["conversation"]
        steps = []
        for step in conversation["steps"]:
            step_code = _code(step["code"], "step")
            if step["marker"] not in ("letter", "bullet"):
                raise ContentError(f"step {step_code}: marker must be 'letter' or 'bullet'")
            questions = tuple(
                Question(
                    code=_code(q["code"], "question"),
                    label=_text(q["label"], "question label"),
                    text=_text(q["text"], f"question {q['code']}"),
                    step_code=step_code,
                )
                for q in step["questions"]
            )
            if not questions:
                raise ContentError(f"step {step_code} has no questions")
            steps.append(
                Step(
                    code=step_code,
                    heading=_text(step["heading"], "step heading"),
                    instructions=tuple(_text(line, "instruction") for line in step["instructions"]),
                    marker=step["marker"],
                    questions=questions,
                )
            )
        result = Leadership(
            version=_text(data["version"], "version"),
            source=source,
            title=_text(data["title"], "title"),
            highlight_heading=_text(data["highlight"]["heading"], "highlight heading"),
            highlight_text=_text(data["highlight"]["text"], "highlight text"),
            checklist_heading=_text(checklist["heading"], "checklist heading"),
            checklist_intro=tuple(_text(p, "checklist intro") for p in checklist["intro"]),
            items_heading=_text(checklist["items_heading"], "items heading"),
            scale=scale,
            items=items,
            conversation_heading=_text(conversation["heading"], "conversation heading"),
            conversation_intro=_text(conversation["intro"], "conversation intro"),
            steps=tuple(steps),
            growth_layer=_text(data["growth_layer"], "growth layer"),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ContentError(f"invalid leadership checklist content: {exc!r}") from exc
    _unique([s.code for s in result.steps], "step")
    _unique([q.code for q in result.questions], "question")
    return result


@cache
def load_content() -> Leadership:
    return parse(json.loads(CONTENT_FILE.read_text(encoding="utf-8")))
