"""The audit log is kept AUDIT_RETENTION_DAYS (two years by default) and purged daily by
``manage.py purge_audit_log``; rows of a user or school that is deleted stay, without the link."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from audit.models import AuditEvent, record
from audit.retention import purge_old_events
from tests.factories import make_board, make_school, make_user


def event_at(when, **fields):
    """A row as if written at ``when``. On PostgreSQL the insert guard (audit/0005) refuses a row dated more than
    3 hours back, so the test switches that trigger off inside its own transaction (rolled back with the test;
    the production role owns no table and cannot do this)."""
    if connection.vendor != "postgresql":
        return AuditEvent.objects.create(action="round.created", created_at=when, **fields)
    with connection.cursor() as cursor:
        # ALTER TABLE wants no pending (deferred) trigger events on the table: fire them first.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_insert_guard")
        try:
            return AuditEvent.objects.create(action="round.created", created_at=when, **fields)
        finally:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_insert_guard")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_retention_is_two_years_by_default():
    assert settings.AUDIT_RETENTION_DAYS == 730


def test_purge_removes_only_rows_past_the_retention_period(db, settings):
    now = timezone.now()
    old = event_at(now - timedelta(days=731))
    edge = event_at(now - timedelta(days=729))
    fresh = event_at(now - timedelta(minutes=1))
    assert purge_old_events(now=now) == 1
    assert set(AuditEvent.objects.values_list("pk", flat=True)) == {edge.pk, fresh.pk}
    assert not AuditEvent.objects.filter(pk=old.pk).exists()

    settings.AUDIT_RETENTION_DAYS = 400
    assert purge_old_events(now=now) == 1
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [fresh.pk]


@pytest.mark.parametrize("days", [364, 30, 0, -1])
def test_a_retention_below_a_year_is_refused_and_nothing_is_deleted(db, settings, days):
    """The database keeps every row at least 365 days (audit/0005); the purge says so instead of failing halfway."""
    now = timezone.now()
    rows = [event_at(now - timedelta(days=d)) for d in (1000, 364, 0)]
    settings.AUDIT_RETENTION_DAYS = days
    with pytest.raises(ImproperlyConfigured, match="365"):
        purge_old_events(now=now)
    with pytest.raises(CommandError, match="Niets verwijderd"):
        call_command("purge_audit_log", stdout=io.StringIO())
    assert AuditEvent.objects.filter(pk__in=[r.pk for r in rows]).count() == 3
    settings.AUDIT_RETENTION_DAYS = 365
    assert purge_old_events(now=now) == 1


def test_command_purges_and_says_so_in_dutch(db):
    event_at(timezone.now() - timedelta(days=800))
    out = io.StringIO()
    call_command("purge_audit_log", stdout=out)
    assert out.getvalue().strip() == "1 logregels ouder dan 730 dagen verwijderd."
    assert not AuditEvent.objects.exists()


def test_rows_outlive_a_deleted_user_and_a_deleted_school(db):
    """An erased account or a school that leaves: the log keeps what happened, without the link."""
    board = make_board("Stichting West")
    school = make_school(board, "De Vertrekker")
    user = make_user("Vera Vertrek")
    mine = record(action="round.created", acting_user=user, school=school)
    board_level = record(action="school.deleted", acting_user=user, board=board, data={"school": "De Vertrekker"})
    user.delete()
    school.delete()
    mine.refresh_from_db()
    board_level.refresh_from_db()
    assert (mine.action, mine.actor_id, mine.school_id) == ("round.created", None, None)
    assert (board_level.actor_id, board_level.board_id) == (None, board.pk)
    board.delete()
    board_level.refresh_from_db()
    assert board_level.board_id is None and board_level.data == {"school": "De Vertrekker"}
