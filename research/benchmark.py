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

Flat cost at national scale (issue 15, part 3): the other schools are never read school by school. The database
counts, per accent, how many opted-in schools of the onderwijstype have each phase as their latest (``_peer_counts``:
a window function picks the newest agreed phase per school and accent, at most accents × 10 rows come back); the
school's own latest phases are read apart and taken out of those counts; the median and middle half are computed
from the counts (``spread_of_counts``, the arithmetic of ``statistics.quantiles``). The counts are cached
(``core.cache``) per onderwijstype under ``figures_version``: a token that research/signals.py renews in the same
transaction as every write that may move the figures (a round that closes or reopens, a closed round changed or
deleted, a school's opt-in or onderwijstype, a school that leaves), read by one lookup on a primary key. (An
aggregate over the closed rounds of the onderwijstype as the version, tried first, cost 13-17 ms at national scale:
it grew with the country.) So two queries when nothing changed (the version and the school's own phases), four
when something did; the same number for 5 schools or 5,000.
tests/research/test_benchmark_equivalence.py holds the original algorithm (every agreed phase in Python) and checks
that every school of a random country gets the same figures from this one, also right after each such change.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import cast

from django.db.models import Count, DateField, F, Window
from django.db.models.functions import Coalesce, RowNumber, TruncDate
from django.utils import timezone

from assessments.models import ConsensusItem, RoundStatus
from core.cache import get_or_build
from ontwikkelmodel.content import Accent, Layer, load_file
from organisations.models import School

from .models import BenchmarkChange
from .signals import new_version

MIN_OTHER_SCHOOLS = 5
CACHE_FORMAT = 1  # raise when what peer_counts caches changes shape
CACHE_SECONDS = 3600  # a safety net for writes that send no signal (research/signals.py)


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


Phase = tuple[int, int | None]  # (phase, phase_to): 2 is (2, None), "fase 2-3" is (2, 3)


def latest_phases(items) -> dict[int, dict[str, Phase]]:
    """school id → accent code → (phase, phase_to) of its newest closed round with a phase on that accent.
    ``items``: (school id, round id, meeting date, closed at, created at, accent code, phase, phase_to) rows.
    For the school's own phases; ``_peer_counts`` does the same for all schools in the database."""
    newest: dict[tuple[int, str], tuple] = {}
    for school_id, round_id, meeting_date, closed_at, created_at, code, phase, phase_to in items:
        when = meeting_date or timezone.localdate(closed_at or created_at)
        key = (school_id, code)
        if key not in newest or (when, round_id) > newest[key][0]:
            newest[key] = ((when, round_id), phase, phase_to)
    out: dict[int, dict[str, Phase]] = {}
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
    return spread_of_counts(Counter(values))


def spread_of_counts(counts: Mapping[float, int]) -> tuple[float, float, float] | None:
    """``spread`` of the values given as value → how many times: ``statistics.quantiles(values, n=4,
    method="inclusive")`` step by step (the same arithmetic, so the same floats), reading the sorted values from
    the counts instead of a list as long as the number of schools."""
    ordered = sorted((value, n) for value, n in counts.items() if n > 0)
    total = sum(n for _value, n in ordered)
    if total < MIN_OTHER_SCHOOLS:
        return None

    def at(index: int) -> float:  # sorted(values)[index]
        for value, n in ordered:
            if index < n:
                return value
            index -= n
        raise IndexError(index)

    quarters = []
    for i in range(1, 4):
        j, delta = divmod(i * (total - 1), 4)
        quarters.append((at(j) * (4 - delta) + at(j + 1) * delta) / 4)
    p25, median, p75 = quarters
    return half(p25), half(median), half(p75)


# Every opted-in school of an onderwijstype, aggregated in the database and cached --------------------------------


def _counting_date(prefix: str = ""):
    """The date a closed round counts by, as latest_phases and assessments.growth.round_date have it: the date of
    the consensus meeting, else the local date (TIME_ZONE) of the closing, else of the creation."""
    return Coalesce(
        f"{prefix}meeting_date",
        TruncDate(Coalesce(f"{prefix}closed_at", f"{prefix}created_at")),
        output_field=DateField(),
    )


def figures_version() -> str:
    """The version of the cached figures: the token of the newest BenchmarkChange (research/signals.py writes one
    with every round that closes or reopens, every closed round changed or deleted, every school whose opt-in or
    onderwijstype may have changed or that leaves). One lookup on the primary key, whatever the number of schools.
    A database without one gets its first here."""
    token = BenchmarkChange.objects.order_by("-pk").values_list("token", flat=True).first()
    return token if token is not None else new_version()


def _peer_counts(education_type: str) -> dict[str, dict[Phase, int]]:
    """accent code → (phase, phase_to) → how many opted-in schools of this onderwijstype (the school asking
    included) have that as their latest agreed phase on the accent. One query: the newest agreed phase per school
    and accent by a window function (the newest counting date, then the highest round id, as latest_phases),
    counted per accent and phase in the database. At most accents × 10 rows, however many schools."""
    newest = Window(
        RowNumber(),
        partition_by=[F("round__school_id"), F("accent_code")],
        order_by=[_counting_date("round__").desc(), F("round_id").desc()],
    )
    latest = (
        ConsensusItem.objects.filter(
            round__status=RoundStatus.CLOSED,
            round__school__education_type=education_type,
            round__school__benchmark_opt_in=True,
            phase__isnull=False,
        )
        .annotate(newest=newest)
        .filter(newest=1)
        .values("pk")
    )
    # Counted outside the window's query: Django would group before numbering the rows.
    rows = (
        ConsensusItem.objects.filter(pk__in=latest)
        .values("accent_code", "phase", "phase_to")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[str, dict[Phase, int]] = {}
    for row in rows:
        phase = cast(int, row["phase"])  # never None: filtered above
        counts.setdefault(row["accent_code"], {})[(phase, row["phase_to"])] = row["n"]
    return counts


def peer_counts(education_type: str) -> dict[str, dict[Phase, int]]:
    """``_peer_counts``, cached (core.cache, shared by the app servers) under ``figures_version``: one lookup when
    nothing changed, whatever the number of schools. The value remembers the version read after it was counted;
    counts made while something changed are never used for the version read before (they are counted again for
    the request, not cached)."""
    version = figures_version()

    def build() -> tuple[str, dict[str, dict[Phase, int]]]:
        counts = _peer_counts(education_type)
        return figures_version(), counts

    key = f"research.benchmark:{CACHE_FORMAT}:{education_type}:{version}"
    seen, counts = get_or_build(key, build, timeout=CACHE_SECONDS)
    if seen != version:  # the data changed while these were counted: count again for this request
        counts = _peer_counts(education_type)
    return counts


def school_benchmark(school: School) -> Benchmark:
    """The benchmark of one school: empty (``opted_in`` False, no query) unless it switched it on. Then two queries
    when the figures of its onderwijstype are cached (their version and the school's own agreed phases), four when
    they are counted anew (five the very first time, when the version is made); never more for more schools."""
    if not school.benchmark_opt_in:
        return Benchmark(opted_in=False)
    from organisations.models import EducationType

    benchmark = Benchmark(opted_in=True, education_type_label=str(EducationType(school.education_type).label))
    counts = peer_counts(school.education_type)
    own = latest_phases(agreed_items([school.pk])).get(school.pk, {})
    if any(counts.get(code, {}).get(value, 0) < 1 for code, value in own.items()):
        # The school itself is in the counts (it opted in). Its latest phase missing there: they were counted before
        # its own latest change (committed between the queries). Count again, so that it is taken out of the counts
        # it is in and never compared with itself.
        counts = _peer_counts(school.education_type)
    for layer in load_file().layers:
        row = []
        for accent in layer.accents:
            a = AccentBenchmark(accent=accent)
            others: Counter[float] = Counter()
            for (phase, phase_to), n in counts.get(accent.code, {}).items():
                others[midpoint(phase, phase_to)] += n
            if accent.code in own:
                phase, phase_to = own[accent.code]
                a.own = midpoint(phase, phase_to)
                a.own_label = f"{phase}-{phase_to}" if phase_to else str(phase)
                others[a.own] -= 1  # the school is never in its own comparison
            figures = spread_of_counts(others)
            if figures is not None:
                a.p25, a.median, a.p75 = figures
            row.append(a)
        benchmark.layers.append(LayerBenchmark(layer=layer, accents=row))
    return benchmark
