"""The benchmark's figures are those of the original algorithm (issue 13, part 4), on a varied data set.

``reference_benchmark`` below is the algorithm research/benchmark.py had before issue 15 (every agreed phase of every
closed round of every opted-in school of the onderwijstype read into Python, the latest per school and accent, the
school itself left out, ``statistics.quantiles``), kept here verbatim as the yardstick. Whatever research/benchmark.py
does to stay fast at national scale (aggregating in the database, caching), every school of a random country must get
exactly the same figures, also after the changes that must reach the figures at once: a round that closes or reopens,
a school that opts in or out, changes its onderwijstype or leaves, a consensus date that is corrected.
"""

from __future__ import annotations

import datetime
import math
import random
import statistics

import pytest
from django.core.cache import cache
from django.utils import timezone

from assessments import services as round_services
from assessments.growth import closed_rounds, round_date
from assessments.models import ConsensusItem, Round, RoundStatus
from ontwikkelmodel.content import load_file
from ontwikkelmodel.models import ModelVersion
from organisations.models import EducationType, School
from research.benchmark import school_benchmark
from research.services import do_set_benchmark
from tests.factories import make_board, make_school, make_user

# The original algorithm ----------------------------------------------------------------------------------------


def _ref_midpoint(phase, phase_to):
    return (phase + phase_to) / 2 if phase_to else float(phase)


def _ref_half(value):
    return math.floor(value * 2 + 0.5) / 2


def _ref_latest_phases(items):
    newest: dict = {}
    for school_id, round_id, meeting_date, closed_at, created_at, code, phase, phase_to in items:
        when = meeting_date or timezone.localdate(closed_at or created_at)
        key = (school_id, code)
        if key not in newest or (when, round_id) > newest[key][0]:
            newest[key] = ((when, round_id), phase, phase_to)
    out: dict = {}
    for (school_id, code), (_when, phase, phase_to) in newest.items():
        out.setdefault(school_id, {})[code] = (phase, phase_to)
    return out


def _ref_spread(values):
    if len(values) < 5:
        return None
    p25, median, p75 = statistics.quantiles(sorted(values), n=4, method="inclusive")
    return _ref_half(p25), _ref_half(median), _ref_half(p75)


def reference_benchmark(school):
    """(opted in, label, [(accent, own, own label, p25, median, p75, position)]) by the original algorithm."""
    if not school.benchmark_opt_in:
        return (False, "", [])
    peers = School.objects.filter(education_type=school.education_type, benchmark_opt_in=True).values("pk")
    items = ConsensusItem.objects.filter(
        round__school__in=peers, round__status=RoundStatus.CLOSED, phase__isnull=False
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
    phases = _ref_latest_phases(items)
    own = phases.pop(school.pk, {})
    rows = []
    for accent in load_file().accents:
        own_value = own_label = None
        if accent.code in own:
            phase, phase_to = own[accent.code]
            own_value = _ref_midpoint(phase, phase_to)
            own_label = f"{phase}-{phase_to}" if phase_to else str(phase)
        values = [_ref_midpoint(*other[accent.code]) for other in phases.values() if accent.code in other]
        figures = _ref_spread(values)
        p25, median, p75 = figures if figures is not None else (None, None, None)
        position = ""
        if own_value is not None and median is not None:
            position = "lager" if own_value < p25 else "hoger" if own_value > p75 else "midden"
        rows.append((accent.code, own_value, own_label or "", p25, median, p75, position))
    return (True, str(EducationType(school.education_type).label), rows)


def current_benchmark(school):
    """The same shape from research.benchmark.school_benchmark."""
    b = school_benchmark(school)
    if not b.opted_in:
        return (False, "", [])
    rows = [(a.accent.code, a.own, a.own_label, a.p25, a.median, a.p75, a.position) for a in b.accents]
    return (True, b.education_type_label, rows)


# A random country ------------------------------------------------------------------------------------------------

ACCENTS = [a.code for a in load_file().accents]
TYPES = [EducationType.REGULIER_BO, EducationType.SO, EducationType.VO]
UTC = datetime.UTC


def random_country(rng: random.Random, n_schools: int) -> list[School]:
    """Schools of three onderwijstypes, most opted in, each with 0-4 rounds in every status: closed ones with and
    without a meeting date (then the closing's local date counts; some closed just before midnight UTC, a day later
    in Amsterdam), a few closed ones without a closing time (then the creation's), shared meeting dates (ties: the
    newer round id wins), unagreed accents (no phase), ranges, and open or consensus rounds with agreed phases that
    must not count."""
    version = ModelVersion.current()
    board = make_board(f"Bestuur Land {rng.random()}")
    dates = [datetime.date(2023, 9, 1) + datetime.timedelta(days=rng.randrange(0, 900)) for _ in range(6)]
    schools = []
    for i in range(n_schools):
        school = make_school(board, f"Landschool {i}", education_type=rng.choice(TYPES[:1] * 4 + TYPES[1:]))
        if rng.random() < 0.75:
            school.benchmark_opt_in = True
            school.save(update_fields=["benchmark_opt_in"])
        schools.append(school)
        for _ in range(rng.choice([0, 1, 1, 2, 3, 4])):
            status = rng.choice([RoundStatus.CLOSED] * 6 + [RoundStatus.OPEN, RoundStatus.CONSENSUS])
            day = rng.choice(dates)
            created = datetime.datetime.combine(day - datetime.timedelta(days=30), datetime.time(9), tzinfo=UTC)
            closed_at = None
            if status == RoundStatus.CLOSED and rng.random() < 0.9:
                at = rng.choice([datetime.time(15, 0), datetime.time(22, 45), datetime.time(23, 30)])
                closed_at = datetime.datetime.combine(rng.choice(dates), at, tzinfo=UTC)
            round_ = Round.objects.create(
                school=school,
                model_version=version,
                title="Ronde",
                meeting_date=day if rng.random() < 0.6 else None,
                status=status,
                created_at=created + datetime.timedelta(minutes=rng.randrange(0, 3000)),
                closed_at=closed_at,
            )
            items = []
            for code in ACCENTS:
                if rng.random() < 0.35:
                    continue
                phase = rng.choice([None, 1, 2, 2, 3, 3, 4])
                phase_to = None
                if phase is not None and phase < 4 and rng.random() < 0.25:
                    phase_to = rng.randrange(phase + 1, 5)
                items.append(ConsensusItem(round=round_, accent_code=code, phase=phase, phase_to=phase_to))
            ConsensusItem.objects.bulk_create(items)
    return schools


def assert_same_everywhere(schools) -> dict:
    """Every school's figures equal the original algorithm's, computed afresh and again (from the cache, if any).
    Returns them per school id."""
    figures = {}
    for school in School.objects.filter(pk__in=[s.pk for s in schools]):
        expected = reference_benchmark(school)
        assert current_benchmark(school) == expected, school.name
        assert current_benchmark(school) == expected, school.name
        figures[school.pk] = expected
    return figures


def counts(figures: dict) -> tuple[int, int]:
    """(accents compared, accents not compared) over the opted-in schools."""
    rows = [row for _opted_in, _label, rows in figures.values() for row in rows]
    return sum(1 for row in rows if row[4] is not None), sum(1 for row in rows if row[4] is None)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(("seed", "n_schools"), [(1, 34), (2, 34), (3, 24), (4, 16)])
def test_every_school_gets_the_figures_of_the_original_algorithm(db, seed, n_schools):
    schools = random_country(random.Random(seed), n_schools)
    shown, hidden = counts(assert_same_everywhere(schools))
    assert shown > 0 and hidden > 0  # big enough to show figures on some accents, small enough to hide others


def test_the_figures_follow_every_change_at_once(db):
    """With the figures computed (and cached, if they are) before each change, each change shows at once. Each
    step changes what some school sees, so none of them passes by standing still."""
    rng = random.Random(7)
    schools = random_country(rng, 30)
    before = assert_same_everywhere(schools)
    actor = make_user("Beheerder Benchmark", "beheer@benchmark.test")
    bo_in = [s for s in schools if s.education_type == EducationType.REGULIER_BO and s.benchmark_opt_in]
    bo_out = [s for s in schools if s.education_type == EducationType.REGULIER_BO and not s.benchmark_opt_in]
    with_rounds = [
        s for s in bo_in if s.rounds.filter(status=RoundStatus.CLOSED, consensus_items__phase__gt=0).exists()
    ]

    def step(label):
        nonlocal before
        after = assert_same_everywhere(schools)
        assert after != before, f"{label}: changed nothing, so it proves nothing"
        before = after

    # A school opts out, another in.
    do_set_benchmark(school=with_rounds[0], on=False, acting_user=actor)
    step("opt-out")
    do_set_benchmark(school=with_rounds[0], on=True, acting_user=actor)
    step("opt-in")
    do_set_benchmark(school=bo_out[0], on=True, acting_user=actor)
    do_set_benchmark(school=with_rounds[1], on=False, acting_user=actor)
    step("one in, one out")

    # A round closes (the newest for its school), then reopens, then closes again.
    school = with_rounds[2]
    round_ = Round.objects.create(
        school=school, model_version=ModelVersion.current(), title="Nieuw", status=RoundStatus.CONSENSUS
    )
    ConsensusItem.objects.bulk_create(ConsensusItem(round=round_, accent_code=code, phase=4) for code in ACCENTS)
    round_services.do_close_round(round_=round_, acting_user=actor)
    step("close")
    round_services.do_reopen_round(round_=round_, acting_user=actor)
    step("reopen")
    round_services.do_close_round(round_=round_, acting_user=actor)
    step("close again")

    # The platform admin corrects a consensus date so that a school's oldest closed round becomes its newest.
    several = next(s for s in with_rounds[3:] if s.rounds.filter(status=RoundStatus.CLOSED).count() >= 2)
    oldest = min(closed_rounds(several), key=lambda r: (round_date(r), r.pk))
    oldest.meeting_date = datetime.date(2030, 1, 1)
    round_services.do_save_round_in_admin(round_=oldest, changed_fields=["meeting_date"], acting_user=actor)
    step("meeting date")

    # A school becomes another onderwijstype; a school leaves (deleted with its rounds).
    moved = next(s for s in with_rounds[3:] if s != several)
    moved.education_type = EducationType.SO
    moved.save()
    step("onderwijstype")
    gone = next(s for s in with_rounds[3:] if s not in (several, moved))
    gone.delete()
    schools.remove(gone)
    step("deleted")
