"""The handbook's team training content as versioned data.

Tabel 4.1 (the example year plan), the session kinds with their durations (4.2.1), the group size
guideline (Bijlage 1, 7.1.2), the advice to train new staff yearly (4.3.4) and the example
werkmoment (Bijlage 12) live verbatim in ``content/teamtraining-2023.json`` with their citation.
Code reads them from here; templates never contain handbook text. Session codes are stored on
sessions, so they are never renamed or reused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.content_checks import ContentError

CONTENT_DIR = Path(__file__).resolve().parent / "content"
CONTENT_FILE = CONTENT_DIR / "teamtraining-2023.json"


@dataclass(frozen=True)
class SessionKind:
    code: str
    label: str
    table_text: str
    month: int  # 1-12: the month of Tabel 4.1 (as we read it, see table.reading_note)
    duration_minutes: int | None  # None: no fixed length (an all-day item in the calendar)
    training: bool = False
    module: bool = False
    werkmoment: bool = False
    weeks_after_module3: int = 0


@dataclass(frozen=True)
class StructurePart:
    text: str
    duration_text: str
    minutes: int


@dataclass(frozen=True)
class TopicExample:
    text: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Content:
    version: str
    citation: str
    editorial_note: str
    raw: dict
    sessions: tuple[SessionKind, ...]  # Tabel 4.1, in order
    separate_modules: tuple[SessionKind, ...]  # module 3 and 4 on their own days
    structure: tuple[StructurePart, ...]
    reflection_questions: tuple[str, ...]
    topic_examples: tuple[TopicExample, ...]
    max_group_size: int
    trainers_per_group: int

    @property
    def all_kinds(self) -> tuple[SessionKind, ...]:
        return self.sessions + self.separate_modules

    def kind(self, code: str) -> SessionKind | None:
        return next((k for k in self.all_kinds if k.code == code), None)

    @property
    def module_codes(self) -> set[str]:
        return {k.code for k in self.all_kinds if k.module}

    @property
    def werkmoment_minutes(self) -> int:
        return sum(p.minutes for p in self.structure)

    def __getitem__(self, key):
        return self.raw[key]


def _kind(data: dict) -> SessionKind:
    try:
        kind = SessionKind(
            code=data["code"],
            label=data["label"],
            table_text=data.get("table_text", data["label"]),
            month=int(data["month"]),
            duration_minutes=data["duration_minutes"],
            training=bool(data.get("training")),
            module=bool(data.get("module")),
            werkmoment=bool(data.get("werkmoment")),
            weeks_after_module3=int(data.get("weeks_after_module3", 0)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ContentError(f"session {data!r}: {exc}") from exc
    if not 1 <= kind.month <= 12:
        raise ContentError(f"session {kind.code}: month {kind.month}")
    if kind.duration_minutes is not None and not 0 < kind.duration_minutes <= 12 * 60:
        raise ContentError(f"session {kind.code}: duration {kind.duration_minutes}")
    return kind


def parse(data: dict) -> Content:
    for key in ("version", "source", "table", "sessions", "separate_modules", "groups", "new_staff", "werkmoment"):
        if key not in data:
            raise ContentError(f"missing {key!r}")
    sessions = tuple(_kind(s) for s in data["sessions"])
    separate = tuple(_kind(s) for s in data["separate_modules"]["sessions"])
    codes = [k.code for k in sessions + separate]
    if len(codes) != len(set(codes)):
        raise ContentError("session codes must be unique")
    for needed in ("module1", "module34"):  # the plan is dated from module 1; 3 and 4 can be split
        if needed not in {k.code for k in sessions}:
            raise ContentError(f"the sessions need {needed!r}")
    if len(data["table"]["months"]) != 12:
        raise ContentError("Tabel 4.1 has twelve months")
    wm = data["werkmoment"]
    structure = tuple(StructurePart(p["text"], p["duration_text"], int(p["minutes"])) for p in wm["structure"])
    if len(structure) != 3:
        raise ContentError("Bijlage 12: the werkmoment has three parts")
    content = Content(
        version=data["version"],
        citation=data["source"]["citation"],
        editorial_note=data.get("editorial_note", ""),
        raw=data,
        sessions=sessions,
        separate_modules=separate,
        structure=structure,
        reflection_questions=tuple(wm["reflection_questions"]),
        topic_examples=tuple(TopicExample(t["text"], tuple(t["items"])) for t in wm["topic_examples"]),
        max_group_size=int(data["groups"]["max_people"]),
        trainers_per_group=int(data["groups"]["trainers"]),
    )
    werkmoment = [k for k in sessions if k.werkmoment]
    if any(k.duration_minutes != content.werkmoment_minutes for k in werkmoment):
        raise ContentError("a werkmoment lasts as long as its three parts together")
    return content


@cache
def load_content() -> Content:
    return parse(json.loads(CONTENT_FILE.read_text(encoding="utf-8")))
