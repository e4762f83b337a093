"""The implementation route of the handbook as versioned content.

``content/traject-2023.json`` holds, verbatim from the Handboek Implementatie TSO (chapters 2-6, Bijlage 1):
the four phases with their goals, the three kinds of driving activities, the time guidelines per role, and the
steps of the phase tables ("Fase / Wanneer / Doelen / Acties / Betrokkenen", "Richtlijn tijdsinvestering",
"Hulpmiddel"). Each step also has Groeiwijzer's reading of its timing in months relative to the start of the
team training (``start_month``/``due_month``, explained in ``schedule_note``) and, for the steps of the
Borgen phase that come back every year, ``repeat_months``. Step codes are stored on a school's steps: never
renumber or reuse them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.content_checks import ContentError

CONTENT_FILE = Path(__file__).resolve().parent / "content" / "traject-2023.json"
CODE_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_CODE_LENGTH = 40  # Step.code
LINKS = ("", "assessments", "actionplans", "training", "intake", "kartrekkers", "estimate")


@dataclass(frozen=True)
class Phase:
    code: str
    number: int
    name: str
    duration: str
    goal: str
    citation: str


@dataclass(frozen=True)
class Driver:
    code: str
    name: str
    text: str


@dataclass(frozen=True)
class HourGuideline:
    text: str
    per: str
    citation: str


@dataclass(frozen=True)
class StepContent:
    code: str
    title: str
    phase: str
    when: str
    start_month: int
    due_month: int
    repeat_months: int | None
    goals: tuple[str, ...]
    actions: tuple[str, ...]
    text: str
    time: tuple[str, ...]
    hours: float | None
    people: tuple[str, ...]
    tool: str
    link: str
    citation: str
    order: int


@dataclass(frozen=True)
class Route:
    version: str
    source: dict
    schedule_note: str
    title_note: str
    phases: tuple[Phase, ...]
    drivers_intro: str
    drivers: tuple[Driver, ...]
    drivers_outro: str
    drivers_citation: str
    role_hours: dict  # role code → tuple[HourGuideline, ...]
    steps: tuple[StepContent, ...]

    @property
    def citation(self) -> str:
        s = self.source
        return f"{s['authors']} {s['title']}, {s['publisher']}, {s['edition']}."

    def phase(self, code: str) -> Phase | None:
        return next((p for p in self.phases if p.code == code), None)

    def step(self, code: str) -> StepContent | None:
        return next((s for s in self.steps if s.code == code), None)

    def steps_in(self, phase_code: str) -> list[StepContent]:
        return [s for s in self.steps if s.phase == phase_code]


def _texts(value, where) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ContentError(f"{where}: a list of non-empty texts expected")
    return tuple(value)


def parse(data: dict) -> Route:
    phases = tuple(
        Phase(
            code=p["code"],
            number=int(p["number"]),
            name=p["name"],
            duration=p["duration"],
            goal=p["goal"],
            citation=p["citation"],
        )
        for p in data["phases"]
    )
    if [p.number for p in phases] != [1, 2, 3, 4]:
        raise ContentError("the handbook has four phases, numbered 1-4")
    phase_codes = [p.code for p in phases]
    steps = []
    for order, raw in enumerate(data["steps"]):
        code = raw["code"]
        where = f"step {code!r}"
        if not CODE_RE.match(code) or len(code) > MAX_CODE_LENGTH:
            raise ContentError(f"{where}: code must be lower-case words with hyphens, at most {MAX_CODE_LENGTH}")
        if raw["phase"] not in phase_codes:
            raise ContentError(f"{where}: unknown phase {raw['phase']!r}")
        start, due = int(raw["start_month"]), int(raw["due_month"])
        if due < start:
            raise ContentError(f"{where}: due_month before start_month")
        repeat = raw.get("repeat_months")
        if repeat is not None and int(repeat) < 1:
            raise ContentError(f"{where}: repeat_months must be positive")
        link = raw.get("link", "")
        if link not in LINKS:
            raise ContentError(f"{where}: unknown link {link!r}")
        if not (raw["goals"] or raw["actions"] or raw.get("text")):
            raise ContentError(f"{where}: needs goals, actions or a text from the handbook")
        steps.append(
            StepContent(
                code=code,
                title=raw["title"],
                phase=raw["phase"],
                when=raw["when"],
                start_month=start,
                due_month=due,
                repeat_months=int(repeat) if repeat is not None else None,
                goals=_texts(raw["goals"], where) if raw["goals"] else (),
                actions=_texts(raw["actions"], where) if raw["actions"] else (),
                text=raw.get("text", ""),
                time=_texts(raw["time"], where) if raw["time"] else (),
                hours=float(raw["hours"]) if raw.get("hours") is not None else None,
                people=_texts(raw["people"], where) if raw["people"] else (),
                tool=raw.get("tool", ""),
                link=link,
                citation=raw["citation"],
                order=order,
            )
        )
    codes = [s.code for s in steps]
    if len(codes) != len(set(codes)):
        raise ContentError("step codes must be unique")
    if [phase_codes.index(s.phase) for s in steps] != sorted(phase_codes.index(s.phase) for s in steps):
        raise ContentError("steps must be listed phase by phase")
    drivers = data["drivers"]
    return Route(
        version=data["version"],
        source=data["source"],
        schedule_note=data["schedule_note"],
        title_note=data["title_note"],
        phases=phases,
        drivers_intro=drivers["intro"],
        drivers=tuple(Driver(code=d["code"], name=d["name"], text=d["text"]) for d in drivers["items"]),
        drivers_outro=drivers["outro"],
        drivers_citation=drivers["citation"],
        role_hours={
            r["role"]: tuple(
                HourGuideline(text=g["text"], per=g["per"], citation=g["citation"]) for g in r["guidelines"]
            )
            for r in data["role_hours"]
        },
        steps=tuple(steps),
    )


@cache
def load_route() -> Route:
    with CONTENT_FILE.open(encoding="utf-8") as f:
        return parse(json.load(f))
