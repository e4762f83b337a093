"""core.prepared: a query built by the ORM once per process gives what the ORM gives, for any values, in one query;
anything it cannot prove the same is left to the ORM."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import Participant, Round
from core.prepared import PreparedQuery, instances
from organisations.models import Invitation, Membership, School
from tests.factories import make_member, make_user


def _members_query(p):
    return (
        School.objects.filter(pk=p.school)
        .annotate(
            n_members=Count("memberships", distinct=True),
            mine=Exists(Membership.objects.filter(school=OuterRef("pk"), user=p.user)),
            n_open_invitations=Count(
                "invitations", filter=Q(invitations__expires_at__gt=p.now, invitations__accepted_at=None), distinct=True
            ),
            joined_recently=Count("memberships", filter=Q(memberships__joined_at__date__gte=p.since), distinct=True),
        )
        .values("name", "n_members", "mine", "n_open_invitations", "joined_recently")
    )


def test_the_same_rows_as_the_orm_for_every_value(cast):
    query = PreparedQuery(_members_query, ints=("school", "user"), dates=("since",), datetimes=("now",))
    now = timezone.now()
    Invitation.objects.create(
        school=cast.school,
        email="nieuw@school.test",
        roles=["teamlid"],
        token_hash="a" * 64,
        invited_by=cast.schoolleider,
        expires_at=now + datetime.timedelta(days=3),
    )
    week = datetime.timedelta(days=7)
    cases = [
        {"school": cast.school.pk, "user": cast.kartrekker.pk, "since": datetime.date(2000, 1, 1), "now": now},
        {"school": cast.school.pk, "user": cast.outsider.pk, "since": datetime.date(2100, 1, 1), "now": now},
        {"school": cast.sister_school.pk, "user": cast.trainer.pk, "since": timezone.localdate(), "now": now},
        {
            "school": cast.school.pk,
            "user": cast.teamlid.pk,
            "since": timezone.localdate(),
            "now": now + week,
        },
    ]
    for values in cases:
        expected = list(_members_query(type("P", (), values)))
        with CaptureQueriesContext(connection) as queries:
            rows = query.rows(**values)
        assert rows == expected, values
        assert len(queries.captured_queries) == 1 or values is cases[0]  # the first run also checks its SQL once
    assert query._prepared[connection.vendor] is not None  # really prepared, not left to the ORM
    assert rows[0]["n_open_invitations"] == 0 and query.rows(**cases[0])[0]["n_open_invitations"] == 1


def test_one_row_and_its_absence(cast):
    query = PreparedQuery(lambda p: School.objects.filter(pk=p.school).values("name"), ints=("school",))
    assert query.one(school=cast.school.pk) == {"name": cast.school.name}
    with pytest.raises(School.DoesNotExist):
        query.one(school=cast.school.pk + 10_000)


def test_a_list_of_rows_keeps_the_order_and_the_counts(cast):
    def rounds(p):
        return (
            Round.objects.filter(school=p.school)
            .annotate(
                n=Count("participants", distinct=True),
                is_mine=Exists(Participant.objects.filter(round=OuterRef("pk"), user=p.user)),
            )
            .order_by("-created_at", "-id")
            .values("pk", "title", "n", "is_mine")
        )

    query = PreparedQuery(rounds, ints=("school", "user"))
    for school, user in [(cast.school, cast.kartrekker), (cast.school, cast.schoolleider), (cast.other_school, None)]:
        values = {"school": school.pk, "user": user.pk if user else 0}
        assert query.rows(**values) == list(rounds(type("P", (), values))), values
    assert len(query.rows(school=cast.school.pk, user=cast.kartrekker.pk)) == 3


def test_model_instances_from_rows(cast):
    query = PreparedQuery(
        lambda p: Membership.objects.filter(school=p.school).order_by("id").values("id", "user_id", "is_kartrekker"),
        ints=("school",),
    )
    members = instances(Membership, query.rows(school=cast.school.pk))
    expected = list(Membership.objects.filter(school=cast.school).order_by("id"))
    assert [(m.pk, m.user_id, m.is_kartrekker) for m in members] == [
        (m.pk, m.user_id, m.is_kartrekker) for m in expected
    ]
    assert members[0].school_id == expected[0].school_id  # not loaded: read when used, as with .only()


def test_a_builder_that_hides_a_value_is_left_to_the_orm(cast, caplog):
    """A value the builder takes from elsewhere (here the clock) would be frozen into the prepared query: the first
    run notices the difference and the ORM builds every run instead."""

    def sneaky(p):
        return Membership.objects.filter(school=p.school, joined_at__lte=timezone.now()).order_by("pk").values("pk")

    query = PreparedQuery(sneaky, ints=("school",))
    with caplog.at_level(logging.WARNING, logger="core.prepared"):
        first = query.rows(school=cast.school.pk)
    assert first == list(Membership.objects.filter(school=cast.school).order_by("pk").values("pk"))
    assert query._prepared[connection.vendor] is None
    assert "built by the ORM on every run" in caplog.text
    newcomer = make_user("Nieuw")
    make_member(cast.school, newcomer, "teamlid")
    assert {"pk": Membership.objects.get(user=newcomer).pk} in query.rows(school=cast.school.pk)


def test_an_unused_placeholder_is_left_to_the_orm(cast):
    unused = PreparedQuery(lambda p: School.objects.filter(pk=p.school).values("name"), ints=("school", "user"))
    assert unused.rows(school=cast.school.pk, user=1) == [{"name": cast.school.name}]
    assert unused._prepared[connection.vendor] is None


def test_wrong_values_are_refused(cast):
    query = PreparedQuery(lambda p: School.objects.filter(pk=p.school).values("name"), ints=("school",))
    with pytest.raises(TypeError):
        query.rows(schol=cast.school.pk)


def test_placeholders_only_build_the_query(cast):
    """A real value equal to a placeholder is just a value; a constant equal to one leaves the query to the ORM; a
    small integer field (a school year) takes a placeholder too (the ORM answers values outside a field's range
    itself, without SQL)."""
    make_user("Iemand")
    query = PreparedQuery(lambda p: School.objects.filter(pk__gte=p.school).values("pk"), ints=("school",))
    assert len(query.rows(school=0)) == School.objects.count()
    assert query.rows(school=29_000) == []
    constant = PreparedQuery(
        lambda p: School.objects.filter(pk=p.school).exclude(pk=29_000).values("pk"), ints=("school",)
    )
    assert constant.rows(school=cast.school.pk) == [{"pk": cast.school.pk}]
    assert constant._prepared[connection.vendor] is None

    from training.models import TrainingPlan

    TrainingPlan.objects.create(school=cast.school, school_year=2026, content_version="x")
    plans = PreparedQuery(
        lambda p: TrainingPlan.objects.filter(school_year__lte=p.year).values("school_year"), ints=("year",)
    )
    assert plans.rows(year=2026) == [{"school_year": 2026}] and plans.rows(year=2025) == []
    assert plans._prepared[connection.vendor] is not None


def test_written_out_sql_with_a_part_from_the_orm(cast):
    """PreparedSQL: a WITH clause the ORM compiled (its parameters adapted as the ORM adapts them) and values of
    its own in the written-out part; built once, the same answer for other values."""
    from core.prepared import PreparedSQL, sql_of

    def build(p):
        members_sql, params = sql_of(
            Membership.objects.filter(school_id=p.school, joined_at__date__lte=p.day).order_by().values("pk", "user")
        )
        mine = "SUM(CASE WHEN m.user_id = %s THEN 1 ELSE 0 END)"
        sql = f"WITH m(id, user_id) AS ({members_sql}) SELECT COUNT(*) AS n, {mine} AS mine FROM m"  # noqa: S608
        return sql, [*params, p.user]

    query = PreparedSQL(build, ints=("school", "user"), dates=("day",))
    today = timezone.localdate()
    assert query.one(school=cast.school.pk, user=cast.teamlid.pk, day=today) == {
        "n": Membership.objects.filter(school=cast.school).count(),
        "mine": 1,
    }
    assert query._prepared[connection.vendor] is not None
    assert query.one(school=cast.other_school.pk, user=cast.teamlid.pk, day=today) == {"n": 1, "mine": 0}
    assert query.one(school=cast.school.pk, user=cast.teamlid.pk, day=datetime.date(2000, 1, 1))["n"] == 0
