"""The benchmark (research/benchmark.py): opt-in both ways, same onderwijstype, from 5 other schools up, median and
P25-P75 only, a range as its midpoint, no school named, constant queries."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from organisations.models import EducationType, School
from research import benchmark
from research.benchmark import half, school_benchmark, spread, spread_of_counts
from tests.research.helpers import closed_round, peer_school

A = "1.1"  # an accent of layer 1
B = "3B.1"


def growth_html(client, cast):
    response = client.get(reverse("assessments:growth", args=[cast.school.pk]))
    assert response.status_code == 200
    return response.content.decode()


def opt_in(school):
    school.benchmark_opt_in = True
    school.save(update_fields=["benchmark_opt_in"])


@pytest.fixture
def ours(cast):
    """De Regenboog opted in, with a closed round that agreed phase 2 on A and 2-3 on B."""
    opt_in(cast.school)
    closed_round(cast.school, {A: 2, B: (2, 3)})
    return cast.school


def test_hidden_at_four_other_schools_shown_at_five(cast, ours, login):
    for phase in (1, 2, 3, 3):
        peer_school({A: phase})
    benchmark = school_benchmark(ours)
    assert not benchmark.any_shown
    client = login(cast.teamlid)
    html = growth_html(client, cast)
    assert "Vergeleken met andere scholen" in html and "Nog te weinig andere scholen" in html
    assert "Mediaan andere scholen" not in html

    peer_school({A: 4})
    benchmark = school_benchmark(ours)
    a = next(x for x in benchmark.accents if x.accent.code == A)
    assert a.shown and (a.p25, a.median, a.p75) == (2.0, 3.0, 3.0)
    assert a.own == 2 and a.position == "midden"  # 2 is within the middle half 2-3
    html = growth_html(client, cast)
    assert "Mediaan andere scholen" in html and "geen ranglijst" in html


def test_an_accent_with_fewer_than_five_other_schools_is_not_compared(cast, ours):
    for phase in (1, 2, 3, 3, 4):
        peer_school({A: phase})
    peer_school({B: 2})
    benchmark = school_benchmark(ours)
    b = next(x for x in benchmark.accents if x.accent.code == B)
    assert not b.shown and b.median is None and b.p25 is None


def test_schools_that_did_not_opt_in_never_count(cast, ours):
    for _ in range(4):
        peer_school({A: 1})
    for _ in range(6):
        peer_school({A: 4}, opt_in=False)
    assert not school_benchmark(ours).any_shown  # 4 opted in: not enough, however many did not
    peer_school({A: 1})
    a = next(x for x in school_benchmark(ours).accents if x.accent.code == A)
    assert (a.p25, a.median, a.p75) == (1.0, 1.0, 1.0)  # the six at phase 4 are not in it


def test_other_onderwijstypes_never_count(cast, ours):
    for _ in range(5):
        peer_school({A: 4}, education_type=EducationType.SO)
    assert not school_benchmark(ours).any_shown


def test_a_school_that_did_not_opt_in_sees_nothing_and_is_not_counted(cast, login):
    closed_round(cast.school, {A: 4})
    for _ in range(5):
        peer_school({A: 1})
    assert school_benchmark(cast.school).opted_in is False
    html = growth_html(login(cast.schoolleider), cast)
    assert "Jullie school vergelijkt zich niet met andere scholen" in html and "Mediaan andere scholen" not in html
    # From a peer's side: our phase 4 is not in its comparison (4 other opted-in peers + us not opted in).
    peer = School.objects.filter(benchmark_opt_in=True).first()
    assert not school_benchmark(peer).any_shown


def test_a_range_counts_as_its_midpoint_and_the_latest_round_counts(cast, ours):
    peers = [peer_school({A: (2, 3)}) for _ in range(5)]
    closed_round(peers[0], {A: 1}, day=peers[0].rounds.get().meeting_date.replace(year=2024))  # older: ignored
    a = next(x for x in school_benchmark(ours).accents if x.accent.code == A)
    assert (a.p25, a.median, a.p75) == (2.5, 2.5, 2.5)
    b = next(x for x in school_benchmark(ours).accents if x.accent.code == B)
    assert b.own == 2.5 and b.own_label == "2-3"


def test_the_spread_is_the_middle_half_never_the_lowest_or_highest():
    assert spread([1, 2, 3, 4]) is None  # below five
    assert spread([1, 2, 2, 3, 4]) == (2.0, 2.0, 3.0)
    low, median, high = spread([1, 3, 3, 3, 4, 4, 4])  # type: ignore[misc]
    assert low > 1 and high <= 4 and median == 3
    assert half(2.25) == 2.5 and half(2.2) == 2.0 and half(3.75) == 4.0


def test_the_spread_from_counts_is_that_of_the_values():
    """spread_of_counts repeats statistics.quantiles' arithmetic on value → count: the same floats."""
    import random
    import statistics
    from collections import Counter

    rng = random.Random(15)
    midpoints = [1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0]
    for size in [5, 6, 7, 8, 9, 10, 11, 12, 13, 50, 97, 1000, 2001]:
        for _ in range(20):
            values = [rng.choice(midpoints) for _ in range(size)]
            raw = statistics.quantiles(sorted(values), n=4, method="inclusive")
            assert spread_of_counts(Counter(values)) == tuple(half(v) for v in raw) == spread(values)
    assert spread_of_counts({2.0: 3, 3.0: 1}) is None and spread_of_counts({2.0: 5, 3.0: 0}) == (2.0, 2.0, 2.0)


def test_no_school_is_named_or_counted(cast, ours, login):
    peers = [peer_school({A: p}, name=f"Zichtbare Naam {p}{i}") for i, p in enumerate((1, 2, 2, 3, 4, 4))]
    html = growth_html(login(cast.teamlid), cast)
    start = html.index("Vergeleken met andere scholen")
    section = html[start : html.index("</section>", start)]
    for peer in peers:
        assert peer.name not in html and peer.board.name not in html
    assert "6" not in section.replace("h-benchmark", "")  # the number of schools is never shown
    assert "Geheime rondetitel" not in section


def test_switching_it_on_and_off_is_audited(cast, login):
    client = login(cast.schoolleider)
    url = reverse("research:benchmark_set", args=[cast.school.pk])
    assert client.post(url, {"on": "1"}).status_code == 302
    assert School.objects.get(pk=cast.school.pk).benchmark_opt_in
    assert client.post(url, {"on": "1"}).status_code == 302  # already on: nothing written
    assert client.post(url, {"on": "0"}).status_code == 302
    assert not School.objects.get(pk=cast.school.pk).benchmark_opt_in
    actions = list(
        AuditEvent.objects.filter(school=cast.school, action__startswith="research.").values_list("action", "actor")
    )
    assert sorted(actions) == sorted(
        [("research.benchmark_on", cast.schoolleider.pk), ("research.benchmark_off", cast.schoolleider.pk)]
    )


@pytest.mark.parametrize("value", ["", "2", "aan", "<b>1</b>", "1" * 10_000])
def test_bad_input_is_a_400_and_changes_nothing(cast, login, value):
    client = login(cast.schoolleider)
    before = AuditEvent.objects.count()
    response = client.post(reverse("research:benchmark_set", args=[cast.school.pk]), {"on": value})
    assert response.status_code == 400 and "Kies aan of uit" in response.content.decode()
    assert not School.objects.get(pk=cast.school.pk).benchmark_opt_in and AuditEvent.objects.count() == before


def test_the_growth_page_takes_the_same_number_of_queries_for_more_schools(cast, ours, login):
    client = login(cast.teamlid)
    for phase in (1, 2, 3, 3, 4):
        peer_school({A: phase, B: phase})
    with CaptureQueriesContext(connection) as few:
        growth_html(client, cast)
    for phase in (1, 2, 3, 4, 4, 1, 2):
        peer = peer_school({A: phase, B: phase})
        closed_round(peer, {A: 4}, day=peer.rounds.get().meeting_date.replace(year=2027))
    with CaptureQueriesContext(connection) as many:
        growth_html(client, cast)
    assert len(many) == len(few)


def queries_of_benchmark(school) -> tuple[int, int]:
    """(queries with the figures not cached, queries with them cached)."""
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        school_benchmark(school)
    with CaptureQueriesContext(connection) as warm:
        school_benchmark(school)
    return len(cold), len(warm)


def test_the_benchmark_takes_the_same_queries_for_few_and_many_schools(cast, ours):
    """Four queries when the figures are counted (their version, the count, the version again, the school's own
    phases), two when they are cached (the version and the school's own phases): for 5 other schools as for 60,
    with more rounds each."""
    for phase in (1, 2, 3, 3, 4):
        peer_school({A: phase})
    few = queries_of_benchmark(ours)
    assert few == (4, 2)
    for i in range(55):
        peer = peer_school({A: i % 4 + 1, B: (i % 3 + 1, 4)})
        closed_round(peer, {A: 4, B: 1}, day=peer.rounds.get().meeting_date.replace(year=2025))
        if i % 5 == 0:
            peer_school({A: 1}, opt_in=False)
    assert queries_of_benchmark(ours) == few
    assert next(a for a in school_benchmark(ours).accents if a.accent.code == B).shown


def test_a_school_that_did_not_opt_in_costs_no_query(cast, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert school_benchmark(cast.school).opted_in is False


def test_figures_counted_while_something_changed_are_not_used_for_another_version(cast, ours, monkeypatch):
    """peer_counts reads the version before and after counting. Counts whose version after differs from the one
    before (a round closed in between) may sit in the cache under the version before: never used for it."""
    for phase in (1, 2, 3, 3, 4):
        peer_school({A: phase})
    expected = [(a.p25, a.median, a.p75) for a in school_benchmark(ours).accents]
    monkeypatch.setattr(benchmark, "figures_version", lambda: "v1")
    other_state = {A: {(2, None): 1, (4, None): 9}, B: {(2, 3): 1}}  # ours (2 on A, 2-3 on B) included
    cache.set(f"research.benchmark:{benchmark.CACHE_FORMAT}:{ours.education_type}:v1", ("v2", other_state))
    assert [(a.p25, a.median, a.p75) for a in school_benchmark(ours).accents] == expected
    cache.set(f"research.benchmark:{benchmark.CACHE_FORMAT}:{ours.education_type}:v1", ("v1", other_state))
    a = next(x for x in school_benchmark(ours).accents if x.accent.code == A)
    assert (a.p25, a.median, a.p75) == (4.0, 4.0, 4.0)  # the same value with its own version: used (the key works)


def test_counts_without_the_school_itself_are_counted_again(cast, ours, monkeypatch):
    """The school itself is in the counts of its onderwijstype (it opted in). Counts that lack its own latest phase
    were counted before its change reached them: they are counted again, never compared with the school itself."""
    for phase in (1, 2, 3, 3, 4):
        peer_school({A: phase})
    expected = [(a.p25, a.median, a.p75) for a in school_benchmark(ours).accents]
    stale = {A: {(1, None): 2, (3, None): 2, (4, None): 2}, B: {(2, 3): 1}}  # not our 2 on A
    monkeypatch.setattr(benchmark, "peer_counts", lambda education_type: stale)
    a = next(x for x in school_benchmark(ours).accents if x.accent.code == A)
    assert (a.p25, a.median, a.p75) == (2.0, 3.0, 3.0)
    assert [(a.p25, a.median, a.p75) for a in school_benchmark(ours).accents] == expected


def test_the_demo_shows_the_comparison(db):
    import io

    from django.core.management import call_command

    from organisations.models import School
    from research.benchmark import school_benchmark

    call_command("demo", stdout=io.StringIO())
    regenboog = School.objects.get(name="OBS De Regenboog")
    benchmark = school_benchmark(regenboog)
    assert regenboog.benchmark_opt_in
    assert benchmark.accents and all(a.shown for a in benchmark.accents)  # five peers on every accent
