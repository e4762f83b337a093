"""'Wat betekent dit voor onze school': research figures applied to a pupil count. Pure functions, no database.

An estimate from research about groups of children, never data about pupils: the school's type picks the
figures (chapter 1 of the handbook and the two articles), the pupil count turns each percentage into a
number of pupils. Each figure keeps its source and the group of pupils that was studied. Each figure stays
under the measure its source names ("one or more ACEs", "four or more", the article's "more than four"):
a range never merges figures of different measures. For one measure the range runs from the lowest to the
highest figure that applies: the low end rounded down, the high end rounded up, so the range always
contains every figure's exact value.

When no figure applies to the school's type (SBO, VO, MBO, newcomer education), the figures for
regular education are shown as the nearest available, and ``nearest`` says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from .content import MEASURES, Figure

MIN_PUPILS = 1
MAX_PUPILS = 5000
GENERAL_TYPE = "bo"  # the figures for regular (primary) education: the nearest available for other types


@dataclass(frozen=True)
class FigureEstimate:
    figure: Figure
    pupils: int | None  # round-half-up share of the pupil count; None for figures printed in words only


@dataclass(frozen=True)
class MeasureEstimate:
    measure: str
    low_percent: int | None
    high_percent: int | None
    low: int | None  # pupils, rounded down
    high: int | None  # pupils, rounded up
    figures: tuple[FigureEstimate, ...]

    @property
    def single(self) -> bool:
        """All figures give the same percentage: one number ("ongeveer X"), not a range."""
        return self.low_percent is not None and self.low_percent == self.high_percent

    @property
    def around(self) -> int | None:
        return self.figures[0].pupils if self.single else None


@dataclass(frozen=True)
class Estimate:
    pupil_count: int
    education_type: str
    used_type: str  # the type whose figures are used
    nearest: bool  # True: no figures for education_type, the general figures are shown instead
    measures: tuple[MeasureEstimate, ...]


def share_floor(pupils: int, percent: int) -> int:
    return pupils * percent // 100


def share_ceil(pupils: int, percent: int) -> int:
    return -(-pupils * percent // 100)


def share_round(pupils: int, percent: int) -> int:
    """Round half up: 320 × 7% = 22.4 → 22; 50 × 45% = 22.5 → 23."""
    return (pupils * percent * 2 + 100) // 200


def applies(figure: Figure, education_type: str, cluster: int | None) -> bool:
    return education_type in figure.school_types and (figure.cluster is None or figure.cluster == cluster)


def validate_pupil_count(pupil_count) -> int:
    if isinstance(pupil_count, bool) or not isinstance(pupil_count, int):
        raise ValueError("pupil_count must be a whole number")
    if not MIN_PUPILS <= pupil_count <= MAX_PUPILS:
        raise ValueError(f"pupil_count must be {MIN_PUPILS} to {MAX_PUPILS}")
    return pupil_count


def estimate(figures, *, pupil_count: int, education_type: str, cluster: int | None = None) -> Estimate:
    pupil_count = validate_pupil_count(pupil_count)
    matching = [f for f in figures if applies(f, education_type, cluster)]
    used_type, nearest = education_type, False
    if not matching:
        used_type, nearest = GENERAL_TYPE, True
        matching = [f for f in figures if applies(f, GENERAL_TYPE, None)]
    measures = []
    for measure in MEASURES:
        these = [f for f in matching if f.measure == measure]
        if not these:
            continue
        numbers = sorted(f.percent for f in these if f.percent is not None)
        low_p, high_p = (numbers[0], numbers[-1]) if numbers else (None, None)
        measures.append(
            MeasureEstimate(
                measure=measure,
                low_percent=low_p,
                high_percent=high_p,
                low=share_floor(pupil_count, low_p) if low_p is not None else None,
                high=share_ceil(pupil_count, high_p) if high_p is not None else None,
                figures=tuple(
                    FigureEstimate(
                        figure=f, pupils=share_round(pupil_count, f.percent) if f.percent is not None else None
                    )
                    for f in sorted(these, key=lambda f: (f.percent is None, f.percent or 0))
                ),
            )
        )
    return Estimate(
        pupil_count=pupil_count,
        education_type=education_type,
        used_type=used_type,
        nearest=nearest,
        measures=tuple(measures),
    )
