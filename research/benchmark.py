"""Benchmark: how a school's latest agreed phase per accent compares with other schools of its onderwijstype.

The rules (issue 13, part 4, "without exposing one"):

- Opt-in both ways. Only a school that switched it on (``School.benchmark_opt_in``, by its schoolleiding) sees the
  benchmark, and only schools that switched it on count in anyone's benchmark: a school's data is used only when it
  opted in.
- Same onderwijstype (``School.education_type``) only; the school itself is never in its own comparison.
- Per accent each other school counts once, with its LATEST agreed phase: that of its newest closed round (by the
  date of the consensus meeting, else the closing) that agreed a phase on that accent. A range ("fase 2-3") counts
  as its midpoint (2.5).
- An accent is compared only when at least ``MIN_OTHER_SCHOOLS`` (5) other schools have a phase on it; otherwise
  the page says there are too few schools. Shown: the median and the middle half (the 25th to the 75th percentile,
  inclusive method), each rounded to half a phase; never the lowest or highest value, never a number of schools,
  never a name.
- Two queries, whatever the number of schools or rounds.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field

from django.utils import timezone

from assessments.models import ConsensusItem, RoundStatus
from ontwikkelmodel.content import Accent, Layer, load_file
from organisations.models import School

MIN_OTHER_SCHOOLS = 5


def midpoint(phase: int, phase_to: int | None) -> float:
    """A single phase as itself; a range "fase 2-3" as its midpoint 2.5."""
    return (phase + phase_to) / 2 if phase_to else float(phase)


def half(value: float) -> float:
    """Rounded to the nearest half phase (halves up): what the page shows."""
    return math.floor(value * 2 + 0.5) / 2


@dataclass
class AccentBenchmark:
    accent: Accent
    own: float | None = None  # the school's latest agreed phase (midpoint of a range)
    own_label: str = ""  # "2" or "2-3"
    median: float | None = None  # None: too few other schools on this accent
    p25: float | None = None
    p75: float | None = None

    @property
    def shown(self) -> bool:
        return self.median is not None

    @property
    def position(self) -> str:
        """Where the school's own phase is: "lager", "midden", "hoger" (than the middle half), or ""."""
        if self.own is None or not self.shown:
            return ""
        if self.own < self.p25:  # type: ignore[operator]
            return "lager"
        if self.own > self.p75:  # type: ignore[operator]
            return "hoger"
        return "midden"


@dataclass
class LayerBenchmark:
    layer: Layer
    accents: list[AccentBenchmark]


@dataclass
class Benchmark:
    opted_in: bool
    education_type_label: str = ""
    layers: list[LayerBenchmark] = field(default_factory=list)

    @property
    def accents(self) -> list[AccentBenchmark]:
        return [a for layer in self.layers for a in layer.accents]

    @property
    def any_shown(self) -> bool:
        return any(a.shown for a in self.accents)


def latest_phases(items) -> dict[int, dict[str, tuple[int, int | None]]]:
    """school id → accent code → (phase, phase_to) of its newest closed round with a phase on that accent.
    ``items``: (school id, round id, meeting date, closed at, created at, accent code, phase, phase_to) rows."""
    newest: dict[tuple[int, str], tuple] = {}
    for school_id, round_id, meeting_date, closed_at, created_at, code, phase, phase_to in items:
        when = meeting_date or timezone.localdate(closed_at or created_at)
        key = (school_id, code)
        if key not in newest or (when, round_id) > newest[key][0]:
            newest[key] = ((when, round_id), phase, phase_to)
    out: dict[int, dict[str, tuple[int, int | None]]] = {}
    for (school_id, code), (_when, phase, phase_to) in newest.items():
        out.setdefault(school_id, {})[code] = (phase, phase_to)
    return out


def agreed_items(schools):
    """The agreed phases of every closed round of these schools (a queryset of schools or ids), for latest_phases.
    One query."""
    return ConsensusItem.objects.filter(
        round__school__in=schools, round__status=RoundStatus.CLOSED, phase__isnull=False
    ).values_list(
        "round__school_id",
        "round_id",
        "round__meeting_date",
        "round__closed_at",
        "round__created_at",
        "accent_code",
        "phase",
        "phase_to",
    )


def spread(values: list[float]) -> tuple[float, float, float] | None:
    """(P25, median, P75), each rounded to half a phase, or None below MIN_OTHER_SCHOOLS values."""
    if len(values) < MIN_OTHER_SCHOOLS:
        return None
    p25, median, p75 = statistics.quantiles(sorted(values), n=4, method="inclusive")
    return half(p25), half(median), half(p75)


def school_benchmark(school: School) -> Benchmark:
    """The benchmark of one school: empty (``opted_in`` False) unless it switched it on. One query when it did."""
    if not school.benchmark_opt_in:
        return Benchmark(opted_in=False)
    from organisations.models import EducationType

    benchmark = Benchmark(opted_in=True, education_type_label=str(EducationType(school.education_type).label))
    peers = School.objects.filter(education_type=school.education_type, benchmark_opt_in=True).values("pk")
    phases = latest_phases(agreed_items(peers))
    own = phases.pop(school.pk, {})
    for layer in load_file().layers:
        row = []
        for accent in layer.accents:
            a = AccentBenchmark(accent=accent)
            if accent.code in own:
                phase, phase_to = own[accent.code]
                a.own = midpoint(phase, phase_to)
                a.own_label = f"{phase}-{phase_to}" if phase_to else str(phase)
            values = [midpoint(*other[accent.code]) for other in phases.values() if accent.code in other]
            figures = spread(values)
            if figures is not None:
                a.p25, a.median, a.p75 = figures
            row.append(a)
        benchmark.layers.append(LayerBenchmark(layer=layer, accents=row))
    return benchmark
