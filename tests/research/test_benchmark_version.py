"""The version the benchmark's cached figures are keyed by (research.benchmark.figures_version, research/signals.py):
renewed in the same transaction by every write that may move the figures, left alone by the writes people make
all day, one lookup on the primary key."""

from __future__ import annotations

import pytest
from django.db import transaction

from assessments import services as round_services
from assessments.models import Round
from organisations.models import EducationType
from organisations.services import do_update_school
from research import signals
from research.benchmark import figures_version
from research.models import BenchmarkChange
from research.services import do_set_benchmark
from tests.factories import fill_completely, make_round
from tests.research.helpers import closed_round, peer_school

A = "1.1"


@pytest.fixture
def beheerder(cast):
    from organisations.models import BoardMember

    BoardMember.objects.filter(board=cast.board, user=cast.board_member).update(is_beheerder=True)
    return cast.board_member


def changes(action) -> bool:
    before = figures_version()
    action()
    return figures_version() != before


def test_a_database_without_a_version_gets_one_and_it_is_one_lookup(db, django_assert_num_queries):
    assert not BenchmarkChange.objects.exists()
    first = figures_version()
    assert len(first) == 32 and BenchmarkChange.objects.count() == 1
    with django_assert_num_queries(1):
        assert figures_version() == first


def test_closing_reopening_and_deleting_a_closed_round_renew_it(cast):
    round_ = cast.consensus_round
    assert changes(lambda: round_services.do_close_round(round_=round_, acting_user=cast.kartrekker))
    assert changes(lambda: round_services.do_reopen_round(round_=round_, acting_user=cast.kartrekker))
    assert changes(lambda: round_services.do_close_round(round_=round_, acting_user=cast.kartrekker))
    closed = Round.objects.get(pk=round_.pk)
    closed.meeting_date = closed.created_at.date()
    assert changes(
        lambda: round_services.do_save_round_in_admin(
            round_=closed, changed_fields=["meeting_date"], acting_user=cast.kartrekker
        )
    )
    assert changes(lambda: Round.objects.get(pk=round_.pk).delete())


def test_opting_in_or_out_a_new_onderwijstype_and_a_school_that_leaves_renew_it(cast, beheerder):
    school = cast.sister_school
    assert changes(lambda: do_set_benchmark(school=school, on=True, acting_user=cast.schoolleider))
    assert changes(lambda: do_set_benchmark(school=school, on=False, acting_user=cast.schoolleider))
    assert changes(
        lambda: do_update_school(
            school=school, name=school.name, education_type=EducationType.SBO, acting_user=beheerder
        )
    )
    peer = peer_school({A: 2})
    assert changes(peer.delete)


def test_the_writes_of_every_day_leave_it(cast, beheerder):
    """Filling in, submitting, a new or changed open round, the consensus meeting's items, a school's name."""
    round_ = cast.open_round
    participant = round_.participants.get(user=cast.teamlid)
    assert not changes(lambda: fill_completely(participant))
    assert not changes(lambda: make_round(cast.school, [cast.teamlid], by=cast.kartrekker, title="Nog een"))
    consensus = cast.consensus_round
    assert not changes(
        lambda: round_services.do_save_consensus_item(
            round_=consensus,
            accent_code=A,
            phase=3,
            strengths="",
            next_steps="",
            priority=None,
            acting_user=cast.kartrekker,
        )
    )
    school = cast.school
    assert not changes(
        lambda: do_update_school(
            school=school, name="De Nieuwe Regenboog", education_type=school.education_type, acting_user=beheerder
        )
    )


def test_a_change_that_is_rolled_back_leaves_it(cast):
    before = figures_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        round_services.do_close_round(round_=cast.consensus_round, acting_user=cast.kartrekker)
        raise RuntimeError
    assert figures_version() == before


def test_old_versions_are_removed(db, monkeypatch):
    monkeypatch.setattr(signals, "PRUNE_EVERY", 4)
    for _ in range(9):
        closed_round(peer_school(), {A: 2})
    assert BenchmarkChange.objects.count() < 9
    assert figures_version() == BenchmarkChange.objects.order_by("-pk").first().token
