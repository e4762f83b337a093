"""Two organisers storing the school's pupil count at the same moment: one wins, the other is told.

Runs on PostgreSQL (real row locks across connections); SQLite is skipped here.
"""

import threading

import pytest
from django.db import connection, connections

from audit.models import AuditEvent
from core.errors import ConflictError
from organisations.models import Role, School
from reference import services
from tests.factories import make_board, make_member, make_school, make_user

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row-lock test needs PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_concurrent_pupil_counts_one_wins_the_other_is_told():
    school = make_school(make_board())
    users = {"Karel": make_user("Karel"), "Sara": make_user("Sara")}
    make_member(school, users["Karel"], Role.KARTREKKER)
    make_member(school, users["Sara"], Role.SCHOOLLEIDING)
    barrier = threading.Barrier(2)
    outcomes = {}

    def save(name, count):
        try:
            barrier.wait(timeout=10)
            services.do_set_pupil_count(school=school, pupil_count=count, expected_version=1, acting_user=users[name])
            outcomes[name] = "saved"
        except ConflictError:
            outcomes[name] = "conflict"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=("Karel", 300)), threading.Thread(target=save, args=("Sara", 310))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    saved = School.objects.get(pk=school.pk)
    assert (saved.pupil_count, saved.version) == ({"Karel": 300, "Sara": 310}[winner], 2)
    assert AuditEvent.objects.filter(action="school.pupil_count_set").count() == 1
