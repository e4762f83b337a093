"""On PostgreSQL the database keeps the audit log append-only (audit/migrations/0004_append_only_guard.py).

Refused: any UPDATE (other than a deleted user, school or board becoming NULL) and any DELETE (other than the
retention purge's, of rows past the retention period). Skipped on SQLite, which has no such guard; CI runs both.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit.models import AuditEvent, record
from audit.retention import purge_old_events

from .factories import make_board, make_member, make_round, make_school, make_user

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the database guard is PostgreSQL's")


def refused(change) -> bool:
    """True if the database refuses the change (the test's transaction stays usable)."""
    try:
        with transaction.atomic():
            change()
    except DatabaseError as exc:
        assert "append-only" in str(exc)
        return True
    return False


@pytest.fixture
def event(cast):
    return record(action="round.created", acting_user=cast.kartrekker, school=cast.school, target=cast.open_round)


def test_trigger_is_installed(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditevent'::regclass AND NOT tgisinternal"
        )
        assert [row[0] for row in cursor.fetchall()] == ["audit_auditevent_append_only"]


def test_rows_cannot_be_changed(cast, event):
    rows = AuditEvent.objects.filter(pk=event.pk)
    assert refused(lambda: rows.update(action="round.closed"))
    assert refused(lambda: rows.update(data={"title": "anders"}))
    assert refused(lambda: rows.update(created_at=timezone.now() - timedelta(days=1000)))
    assert refused(lambda: rows.update(actor=cast.schoolleider))  # another actor: not a SET NULL
    assert refused(lambda: rows.update(school=cast.other_school))
    assert refused(lambda: rows.update(school=None, action="x"))  # NULL plus something else
    with connection.cursor() as cursor:
        assert refused(lambda: cursor.execute("UPDATE audit_auditevent SET object_id = 'x'"))
    event.refresh_from_db()
    assert (event.action, event.actor, event.school) == ("round.created", cast.kartrekker, cast.school)


def test_rows_cannot_be_deleted(cast, event):
    old = AuditEvent.objects.create(action="round.created", created_at=timezone.now() - timedelta(days=3000))
    assert refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())
    assert refused(lambda: AuditEvent.objects.filter(pk=old.pk).delete())  # old, but not the purge
    assert refused(lambda: AuditEvent.objects.all().delete())
    with connection.cursor() as cursor:
        assert refused(lambda: cursor.execute("DELETE FROM audit_auditevent"))

        def future_cutoff():
            cursor.execute(
                "SELECT set_config('audit.purge_before', %s, true)", [(timezone.now() + timedelta(days=1)).isoformat()]
            )
            cursor.execute("DELETE FROM audit_auditevent")

        assert refused(future_cutoff)
    assert AuditEvent.objects.filter(pk__in=[event.pk, old.pk]).count() == 2


def test_the_purge_deletes_old_rows_and_only_those(cast, event):
    old = AuditEvent.objects.create(action="round.created", created_at=timezone.now() - timedelta(days=731))
    assert purge_old_events() == 1
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    # The purge's permission ended with it, also inside this (test) transaction.
    older = AuditEvent.objects.create(action="round.created", created_at=timezone.now() - timedelta(days=900))
    assert refused(lambda: AuditEvent.objects.filter(pk=older.pk).delete())


def test_deleting_a_user_a_school_and_a_board_sets_null(db):
    """The sanctioned UPDATE: ON DELETE SET NULL of an erased account, a school that leaves, a deleted board."""
    board = make_board("Stichting West")
    school = make_school(board, "De Vertrekker")
    leider = make_user("Vera Vertrek")
    make_member(school, leider, "schoolleiding")
    round_ = make_round(school, [leider], by=leider)
    rows = [
        record(action="round.created", acting_user=leider, school=school, target=round_),
        record(action="school.deleted", acting_user=leider, board=board, data={"school": "De Vertrekker"}),
    ]
    school.delete()  # first: its answers keep their author otherwise (Participant.user is PROTECT)
    leider.delete()
    board.delete()
    kept = AuditEvent.objects.filter(pk__in=[r.pk for r in rows]).order_by("pk")
    assert list(kept.values_list("action", "actor_id", "school_id", "board_id")) == [
        ("round.created", None, None, None),
        ("school.deleted", None, None, None),
    ]
    assert AuditEvent.objects.filter(action="round.created", object_id=str(round_.pk)).exists()
