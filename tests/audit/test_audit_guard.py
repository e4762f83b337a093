"""On PostgreSQL the database keeps the audit log append-only (audit/migrations/0004_append_only_guard.py and
0005_tighter_guard.py).

Refused: any UPDATE (other than the link to a user, school or board becoming NULL because that user, school or board
is deleted: checked at commit), any DELETE (other than the retention purge's, of rows past the retention period and
never younger than 365 days), and a new row dated far from now. Skipped on SQLite, which has no such guard; CI runs
both.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit.models import AuditEvent, record
from audit.retention import purge_old_events
from organisations.models import School
from pages.leaving import do_delete_school
from tests.audit.test_audit_retention import event_at
from tests.factories import make_board, make_member, make_round, make_school, make_user

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


def at_commit():
    """Fire the deferred checks now, as COMMIT would (the test's own transaction is rolled back, never committed)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_triggers_are_installed(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditevent'::regclass AND NOT tgisinternal"
            " ORDER BY tgname"
        )
        assert [row[0] for row in cursor.fetchall()] == [
            "audit_auditevent_append_only",
            "audit_auditevent_insert_guard",
            "audit_auditevent_unlink_check",
        ]


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
    old = event_at(timezone.now() - timedelta(days=3000))
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
    old = event_at(timezone.now() - timedelta(days=731))
    assert purge_old_events() == 1
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    # The purge's permission ended with it, also inside this (test) transaction.
    older = event_at(timezone.now() - timedelta(days=900))
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
    at_commit()  # the check that each of them is really gone passes
    kept = AuditEvent.objects.filter(pk__in=[r.pk for r in rows]).order_by("pk")
    assert list(kept.values_list("action", "actor_id", "school_id", "board_id")) == [
        ("round.created", None, None, None),
        ("school.deleted", None, None, None),
    ]
    assert AuditEvent.objects.filter(action="round.created", object_id=str(round_.pk)).exists()


# Finding 6 of the review of issue 11: the holes of 0004 ----------------------------------------------------------


def test_the_purge_cut_off_cannot_reach_rows_younger_than_a_year(cast, event):
    """0004 let any transaction set the cut-off to now() and then delete the whole log."""
    with connection.cursor() as cursor:

        def delete_with_cutoff_now(pk=None):
            cursor.execute("SELECT set_config('audit.purge_before', now()::text, true)")
            if pk is None:
                cursor.execute("DELETE FROM audit_auditevent")
            else:
                cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [pk])

        # A row written an hour ago (now() is the start of this test's transaction, so it must predate it).
        hour_old = AuditEvent.objects.create(action="round.created", created_at=timezone.now() - timedelta(hours=1))
        assert refused(lambda: delete_with_cutoff_now(hour_old.pk))
        assert refused(delete_with_cutoff_now)
        assert AuditEvent.objects.filter(pk__in=[event.pk, hour_old.pk]).count() == 2
        year_minus_a_day = event_at(timezone.now() - timedelta(days=364))
        year_and_a_day = event_at(timezone.now() - timedelta(days=366))
        assert refused(lambda: delete_with_cutoff_now(year_minus_a_day.pk))
        assert AuditEvent.objects.filter(pk__in=[event.pk, year_minus_a_day.pk, year_and_a_day.pk]).count() == 3
        delete_with_cutoff_now(year_and_a_day.pk)  # past the floor and the cut-off: the purge's own path
    assert not AuditEvent.objects.filter(pk=year_and_a_day.pk).exists()


@pytest.mark.parametrize("column", ["school_id", "actor_id", "board_id"])
def test_a_live_link_cannot_be_cut(cast, event, column):
    """0004 let ``UPDATE ... SET school_id = NULL`` take a row out of its school's log while the school lives on."""
    board_event = record(action="school.deleted", acting_user=cast.kartrekker, board=cast.board, data={})
    row = board_event if column == "board_id" else event

    def cut():
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE audit_auditevent SET {column} = NULL WHERE id = %s", [row.pk])  # noqa: S608
        at_commit()

    assert refused(cut)
    assert refused(lambda: (AuditEvent.objects.filter(pk=row.pk).update(**{column: None}), at_commit()))
    row.refresh_from_db()
    assert getattr(row, column) is not None


def test_a_row_cannot_be_dated_back_or_ahead(db):
    for days in (3000, 400, 2, -2):
        moment = timezone.now() - timedelta(days=days)
        assert refused(lambda m=moment: AuditEvent.objects.create(action="round.created", created_at=m))
        with connection.cursor() as cursor:
            assert refused(
                lambda m=moment, c=cursor: c.execute(
                    "INSERT INTO audit_auditevent (created_at, action, object_type, object_id, data)"
                    " VALUES (%s, 'x.fake', '', '', '{}')",
                    [m],
                )
            )
    assert not AuditEvent.objects.exists()
    # A little clock difference between the app and the database, or a test that moves the clock: fine.
    AuditEvent.objects.create(action="round.created", created_at=timezone.now() - timedelta(hours=2))
    AuditEvent.objects.create(action="round.created", created_at=timezone.now() + timedelta(hours=10))
    assert AuditEvent.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_committed_for_real_a_cut_link_is_refused_and_a_deleted_school_is_not():
    """Without the test transaction: the deferred check runs at COMMIT."""
    board = make_board("Stichting Echt")
    school = make_school(board, "De Blijver")
    leaving = make_school(board, "De Vertrekker")
    user = make_user("Cas Commit")
    make_member(school, user, "schoolleiding")
    stays = record(action="round.created", acting_user=user, school=school)
    goes = record(action="round.created", acting_user=user, school=leaving)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=stays.pk).update(school=None)
    stays.refresh_from_db()
    assert stays.school_id == school.pk

    erased = do_delete_school(school=leaving, acting_user=user)  # pages/leaving.py, its own transaction
    assert erased == [] and not School.objects.filter(pk=leaving.pk).exists()
    goes.refresh_from_db()
    assert (goes.action, goes.school_id, goes.actor_id) == ("round.created", None, user.pk)
    deleted = AuditEvent.objects.get(action="school.deleted")
    assert deleted.board_id == board.pk and deleted.data["school_id"] == leaving.pk
