"""Two facilitators saving the same consensus item at the same moment: one wins, the other is told.

Runs on PostgreSQL (real row locks across connections); SQLite serialises whole-database writes
and is skipped here. CI runs the suite on both.
"""

import threading

import pytest
from django.db import connection, connections

from assessments import services
from assessments.models import ConsensusItem
from audit.models import AuditEvent
from organisations.models import Role

from .factories import fill_completely, make_board, make_member, make_round, make_school, make_user, move_to

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row-lock test needs PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_concurrent_consensus_saves_never_lose_work():
    school = make_school(make_board())
    kartrekker = make_user("Karel")
    leider = make_user("Sara")
    make_member(school, kartrekker, Role.KARTREKKER)
    make_member(school, leider, Role.SCHOOLLEIDING)
    round_ = make_round(school, [kartrekker, leider], by=kartrekker)
    for p in round_.participants.all():
        fill_completely(p)
    round_ = move_to(round_, "consensus", kartrekker)
    audit_before = AuditEvent.objects.count()

    barrier = threading.Barrier(2)
    outcomes = {}

    def save(user, text):
        try:
            barrier.wait(timeout=10)
            services.do_save_consensus_item(
                round_=round_,
                accent_code="1.1",
                phase=2,
                strengths=text,
                next_steps="",
                priority=None,
                acting_user=user,
                expected_version="",  # both loaded the empty form
            )
            outcomes[text] = "saved"
        except services.ConflictError:
            outcomes[text] = "conflict"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(kartrekker, "versie Karel")),
        threading.Thread(target=save, args=(leider, "versie Sara")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(outcomes.values()) == ["conflict", "saved"], outcomes
    winner = next(text for text, outcome in outcomes.items() if outcome == "saved")
    items = list(ConsensusItem.objects.filter(round=round_, accent_code="1.1"))
    assert len(items) == 1
    assert items[0].strengths == winner
    # Exactly one audit row for the one save that happened.
    assert AuditEvent.objects.filter(action="consensus.saved").count() == 1
    assert AuditEvent.objects.count() == audit_before + 1
