"""The questionnaire's figures, under the anonymity rules of outcomes/models.py. Every aggregate passes here.

- ``shown(survey, tallies)``: a closed survey's merged counts, or None below its minimum (rules 1 and 2).
- ``breakdown(...)``: per role group, only in a ``by_group`` survey and only when every group with respondents
  reaches the minimum (rule 3). A survey counted as one ("alle") never has one.
- ``board_figures(...)``: per school where its minimum holds, and a board total from those schools only (rule 5).
Means are over the 1-5 answers ("weet ik niet" is counted apart, never in a mean); knowledge elements as the share
that knows it (ken ik or pas ik toe) and the share that applies it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .content import DONT_KNOW, SCALE_VALUES
from .models import ALL_GROUP, RoleGroup, SurveyKind


@dataclass
class Figures:
    """Merged counts of some tallies: n people, {item key: {answer: count}}."""

    n: int = 0
    counts: dict = field(default_factory=dict)

    def add(self, n: int, counts: dict) -> None:
        self.n += n
        for key, per_item in counts.items():
            merged = self.counts.setdefault(key, {})
            for value, count in per_item.items():
                merged[value] = merged.get(value, 0) + count


def merge(tallies) -> Figures:
    figures = Figures()
    for tally in tallies:
        figures.add(tally.n_respondents, tally.counts)
    return figures


def taken_part(tallies) -> int:
    """How many took part: what the organisers may always see (not who, not what)."""
    return sum(t.n_respondents for t in tallies)


def shown(survey, tallies) -> Figures | None:
    """The survey's figures, only once it is closed and only from its minimum number of respondents."""
    if not survey.is_closed:
        return None
    figures = merge(tallies)
    return figures if figures.n >= survey.min_respondents else None


def breakdown(survey, tallies) -> dict[str, Figures] | None:
    """{role group: figures} only when the survey counted per role group (``by_group``), is shown and EVERY group
    with respondents reaches the minimum; otherwise None (no breakdown at all: total minus the shown groups would
    reveal a small one)."""
    if not survey.by_group or shown(survey, tallies) is None:
        return None
    groups = {t.group: merge([t]) for t in tallies if t.n_respondents > 0}
    if not groups or ALL_GROUP in groups or any(f.n < survey.min_respondents for f in groups.values()):
        return None
    return {g: groups[g] for g in RoleGroup.values if g in groups}


def mean(figures: Figures | None, keys) -> float | None:
    """The mean 1-5 answer over these items ("weet ik niet" left out), or None without any."""
    if figures is None:
        return None
    total = count = 0
    for key in keys:
        for value, n in figures.counts.get(key, {}).items():
            if value != DONT_KNOW and value.isdigit() and int(value) in SCALE_VALUES:
                total += int(value) * n
                count += n
    return round(total / count, 2) if count else None


def knowledge(figures: Figures | None, key: str) -> tuple[int, int] | None:
    """(% ken ik — knows it, also those who apply it —, % pas ik toe) of those who answered this element."""
    if figures is None:
        return None
    per_item = figures.counts.get(key, {})
    answered = sum(per_item.values())
    if not answered:
        return None
    knows = per_item.get("ken_ik", 0) + per_item.get("pas_ik_toe", 0)
    return round(100 * knows / answered), round(100 * per_item.get("pas_ik_toe", 0) / answered)


def in_time_order(surveys):
    """Oldest first: by school year, the nulmeting before a yearly one in the same year, then by opening."""
    return sorted(surveys, key=lambda s: (s.school_year, s.kind != SurveyKind.NULMETING, s.created_at, s.pk))


def baseline(surveys):
    """The survey later ones are compared with: the nulmeting, or else the oldest (in time order)."""
    ordered = in_time_order(surveys)
    return next((s for s in ordered if s.kind == SurveyKind.NULMETING), ordered[0] if ordered else None)


def aspect_rows(surveys, figures_of: dict) -> list[dict]:
    """Per group and aspect (the snapshots' union, in order of first appearance): per survey the mean (scale) or the
    knowledge shares, and for scale aspects the change from the baseline to each later survey."""
    groups: dict[str, dict] = {}
    for survey in surveys:
        for g in survey.items.get("groups", []):
            group = groups.setdefault(
                g["code"],
                {
                    "code": g["code"],
                    "kind": g["kind"],
                    "heading": g["heading"],
                    "citation": g.get("citation", ""),
                    "aspects": {},
                },
            )
            for a in g["aspects"]:
                aspect = group["aspects"].setdefault(
                    a["code"],
                    {
                        "code": a["code"],
                        "name": a["name"],
                        "accents": a.get("accents", []),
                        "own": a.get("own", False),
                        "keys": defaultdict(list),
                    },
                )
                aspect["keys"][survey.pk] = [i["key"] for i in a["items"]]
    base = baseline(surveys)
    result = []
    for group in groups.values():
        aspects = []
        for aspect in group["aspects"].values():
            cells = []
            for survey in surveys:
                keys = aspect["keys"].get(survey.pk)
                figures = figures_of.get(survey.pk)
                if group["kind"] == "knowledge":
                    value = knowledge(figures, keys[0]) if keys else None
                    cells.append(
                        {
                            "survey": survey,
                            "asked": bool(keys),
                            "shown": figures is not None,
                            "knows": value[0] if value else None,
                            "applies": value[1] if value else None,
                        }
                    )
                else:
                    cells.append(
                        {
                            "survey": survey,
                            "asked": bool(keys),
                            "shown": figures is not None,
                            "mean": mean(figures, keys) if keys else None,
                        }
                    )
            if group["kind"] != "knowledge":
                start = next((c["mean"] for c in cells if c["survey"] == base), None)
                for cell in cells:
                    later = cell["survey"] != base and cell["mean"] is not None and start is not None
                    cell["change"] = round(cell["mean"] - start, 2) if later else None
                    cell["bar"] = round((cell["mean"] - 1) / 4 * 200) if cell["mean"] is not None else 0
            aspects.append({**aspect, "cells": cells})
        result.append({**group, "aspects": aspects})
    return result


def board_figures(schools, surveys_by_school: dict, tallies_by_survey: dict) -> list[dict]:
    """Per school year: each school's latest closed survey of that year where its minimum holds, and the board
    total built ONLY from those shown schools (rule 5). Schools below their minimum appear as "te weinig"."""
    years: dict[str, dict] = {}
    for school in schools:
        for survey in in_time_order(surveys_by_school.get(school.pk, [])):
            if survey.is_closed:
                years.setdefault(survey.school_year, {})[school.pk] = survey  # the latest of the year wins
    result = []
    for year in sorted(years):
        rows, total = [], Figures()
        for school in schools:
            survey = years[year].get(school.pk)
            if survey is None:
                continue
            figures = shown(survey, tallies_by_survey.get(survey.pk, []))
            if figures is not None:
                total.add(figures.n, figures.counts)
            rows.append({"school": school, "survey": survey, "figures": figures})
        result.append({"year": year, "rows": rows, "total": total if total.n else None})
    return result
