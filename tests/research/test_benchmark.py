"""The benchmark (research/benchmark.py): opt-in both ways, same onderwijstype, from 5 other schools up, median and
P25-P75 only, a range as its midpoint, no school named, constant queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from organisations.models import EducationType, School
from research.benchmark import half, school_benchmark, spread
from tests.research.helpers import closed_round, peer_school

A = "1.1"  # an accent of layer 1
B = "3B.1"


def growth_html(client, cast):
    response = client.get(reverse("assessments:growth", args=[cast.school.pk]))
    assert response.status_code == 200
    return response.content.decode()


def opt_in(school):
    School.objects.filter(pk=school.pk).update(benchmark_opt_in=True)
    school.refresh_from_db()


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


def test_the_benchmark_itself_is_one_query(cast, ours, django_assert_num_queries):
    for phase in (1, 2, 3, 3, 4):
        peer_school({A: phase})
    with django_assert_num_queries(1):
        school_benchmark(ours)


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
