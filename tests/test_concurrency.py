"""Two people saving the same thing at the same moment: one wins, the other is told (a conflict).

A consensus item (two facilitators), a goal, an action point and a meeting's minutes (two plan editors).

Runs on PostgreSQL (real row locks across connections); SQLite serialises whole-database writes
and is skipped here. CI runs the suite on both.
"""

import threading

import pytest
from django.db import connection, connections

from actionplans import services as plan_services
from actionplans.models import Action, Goal, Meeting, PlanChange
from assessments import services
from assessments.models import ConsensusItem
from audit.models import AuditEvent
from core.errors import ConflictError
from organisations.models import Role

from .factories import (
    fill_completely,
    make_action,
    make_board,
    make_goal,
    make_meeting,
    make_member,
    make_round,
    make_school,
    make_user,
    move_to,
)

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
        except ConflictError:
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


# The action plan: two editors with the same version open ----------------------------------------------------

ROUNDS = 5  # each round starts from a fresh version, so a lock that only sometimes works is caught


def race(calls: dict) -> dict:
    """Run each call in its own thread and connection, released together; {name: "saved" | "conflict"}."""
    barrier = threading.Barrier(len(calls))
    outcomes = {}

    def run(name, call):
        try:
            barrier.wait(timeout=10)
            call()
            outcomes[name] = "saved"
        except ConflictError:
            outcomes[name] = "conflict"
        except Exception as exc:  # reported by the assertion below, never swallowed
            outcomes[name] = repr(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in calls.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def editors():
    school = make_school(make_board())
    kartrekker, werkgroeplid = make_user("Karel"), make_user("Wim")
    make_member(school, kartrekker, Role.KARTREKKER)
    make_member(school, werkgroeplid, Role.WERKGROEPLID)
    return school, kartrekker, werkgroeplid


@pytest.mark.django_db(transaction=True)
def test_concurrent_action_edits_never_lose_work():
    school, karel, wim = editors()
    action = make_action(school, karel, "Rustruimte inrichten", layer_code="3B", steps=["Plek kiezen"])
    for n in range(ROUNDS):
        # Both open the edit form: the same version, each their own copy.
        mine, theirs = Action.objects.get(pk=action.pk), Action.objects.get(pk=action.pk)
        assert mine.version == theirs.version == n + 1
        audit_before, changes_before = AuditEvent.objects.count(), PlanChange.objects.count()

        def save(copy, user, title):
            fields = {f: getattr(copy, f) for f in plan_services.ACTION_FIELDS} | {"title": title}
            return lambda: plan_services.do_update_action(
                action=copy, expected_version=copy.version, acting_user=user, steps=["Plek kiezen"], **fields
            )

        titles = {karel: f"Versie Karel {n}", wim: f"Versie Wim {n}"}
        outcomes = race({titles[karel]: save(mine, karel, titles[karel]), titles[wim]: save(theirs, wim, titles[wim])})

        assert sorted(outcomes.values()) == ["conflict", "saved"], outcomes
        winner = next(title for title, outcome in outcomes.items() if outcome == "saved")
        stored = Action.objects.get(pk=action.pk)
        assert stored.title == winner
        assert stored.version == n + 2
        assert stored.updated_by == next(user for user, title in titles.items() if title == winner)
        assert list(stored.steps.values_list("text", flat=True)) == ["Plek kiezen"]
        # One history row and one audit row, for the one save that happened.
        change = PlanChange.objects.filter(action=action, kind="updated").order_by("-id").first()
        assert change.changes["title"][1] == winner
        assert PlanChange.objects.count() == changes_before + 1
        assert AuditEvent.objects.count() == audit_before + 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_goal_edits_never_lose_work():
    school, karel, wim = editors()
    goal = make_goal(school, karel, "Rust in de school", "3B")
    for n in range(ROUNDS):
        mine, theirs = Goal.objects.get(pk=goal.pk), Goal.objects.get(pk=goal.pk)
        assert mine.version == theirs.version == n + 1
        changes_before = PlanChange.objects.filter(goal=goal).count()

        def save(copy, user, title):
            fields = {f: getattr(copy, f) for f in plan_services.GOAL_FIELDS} | {"title": title}
            return lambda: plan_services.do_update_goal(
                goal=copy, expected_version=copy.version, acting_user=user, **fields
            )

        titles = {karel: f"Doel van Karel {n}", wim: f"Doel van Wim {n}"}
        outcomes = race({titles[karel]: save(mine, karel, titles[karel]), titles[wim]: save(theirs, wim, titles[wim])})

        assert sorted(outcomes.values()) == ["conflict", "saved"], outcomes
        winner = next(title for title, outcome in outcomes.items() if outcome == "saved")
        stored = Goal.objects.get(pk=goal.pk)
        assert (stored.title, stored.version) == (winner, n + 2)
        assert PlanChange.objects.filter(goal=goal).count() == changes_before + 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_minutes_saves_never_lose_work():
    import datetime

    school, karel, wim = editors()
    meeting = make_meeting(school, karel, datetime.date(2027, 1, 15))
    for n in range(ROUNDS):
        seen = Meeting.objects.get(pk=meeting.pk).version  # both have the page open at this version
        assert seen == n + 1
        audit_before = AuditEvent.objects.filter(action="meeting.minutes_saved").count()

        def save(user, text):
            return lambda: plan_services.do_save_minutes(
                meeting=Meeting.objects.get(pk=meeting.pk), minutes=text, expected_version=seen, acting_user=user
            )

        texts = {f"Notulen van Karel {n}": karel, f"Notulen van Wim {n}": wim}
        outcomes = race({text: save(user, text) for text, user in texts.items()})

        assert sorted(outcomes.values()) == ["conflict", "saved"], outcomes
        winner = next(text for text, outcome in outcomes.items() if outcome == "saved")
        stored = Meeting.objects.get(pk=meeting.pk)
        assert stored.minutes == winner
        assert stored.version == seen + 1
        assert AuditEvent.objects.filter(action="meeting.minutes_saved").count() == audit_before + 1
