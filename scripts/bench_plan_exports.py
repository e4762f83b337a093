#!/usr/bin/env python
"""Server time of the action plan exports (Word and Excel) for a plan of 200 actions.

Like scripts/bench_round.py: a throwaway test database (never the real one), a school whose plan has 200 actions
over the four growth layers, each with 3 steps (one done) and 3 updates, plus 6 goals and two meetings. Each
export is requested N times after a warm-up by the kartrekker; prints the median and p95 in milliseconds, the
number of queries per request and the size of the file.

    .venv/bin/python scripts/bench_plan_exports.py
    .venv/bin/python scripts/bench_plan_exports.py --actions 200 --requests 20 --warmup 2
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "groeiwijzer.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.template import Template  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

EXPORTS = [
    ("Word (Bijlage 7)", "plan_docx"),
    ("Excel (tabellen)", "plan_xlsx"),
]
LAYERS = ("1", "2", "3A", "3B")


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def measure(client: Client, url: str, *, requests: int, warmup: int) -> dict:
    for _ in range(warmup):
        assert client.get(url).status_code == 200, url
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, url
    n_queries = len(queries.captured_queries)  # now: the next request's start empties the query log
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        assert client.get(url).status_code == 200, url
        times.append((time.perf_counter() - start) * 1000)
    return {
        "median": statistics.median(times),
        "p95": p95(times),
        "queries": n_queries,
        "kb": len(response.content) / 1024,
    }


def build_plan(n_actions: int):
    """A school with a kartrekker, two teachers, goals, meetings and n actions (3 steps, 3 updates each)."""
    import datetime

    from django.utils import timezone

    from accounts.models import User
    from actionplans.models import Action, ActionStatus, ActionStep, ActionUpdate, Goal, Meeting, Term
    from organisations.models import Board, EducationType, Membership, School

    board = Board.objects.create(name="Bestuur Bench")
    school = School.objects.create(board=board, name="Basisschool De Brug", education_type=EducationType.REGULIER_BO)
    kartrekker = User.objects.create_user("kartrekker@bench.test", name="Karel Kartrekker", password=None)
    teachers = [User.objects.create_user(f"leraar{i}@bench.test", name=f"Leraar {i}", password=None) for i in (1, 2)]
    Membership.objects.create(school=school, user=kartrekker, is_kartrekker=True, is_teamlid=True)
    for teacher in teachers:
        Membership.objects.create(school=school, user=teacher, is_teamlid=True)
    now, today = timezone.now(), timezone.localdate()
    goals = Goal.objects.bulk_create(
        [
            Goal(
                school=school,
                layer_code=LAYERS[i % 4],
                title=f"Ontwikkeldoel {i + 1}: samen werken aan rust en veiligheid",
                term=Term.SHORT if i < 3 else Term.LONG,
                priority=i % 5 + 1,
                start_phase=i % 4 + 1,
                monitoring="Evaluatie in de werkgroep, elke maand",
                monitored_by=kartrekker,
                feedback="In de teamvergadering",
                created_by=kartrekker,
                updated_by=kartrekker,
            )
            for i in range(6)
        ]
    )
    for days, location in ((-10, "Teamkamer"), (20, "Aula")):
        Meeting.objects.create(
            school=school,
            date=today + datetime.timedelta(days=days),
            start_time=datetime.time(15, 0),
            end_time=datetime.time(16, 30),
            location=location,
            chair=kartrekker,
            timekeeper=teachers[0],
            note_taker=teachers[1],
            minutes="Notulen",
            created_by=kartrekker,
        )
    statuses = list(ActionStatus)
    actions = Action.objects.bulk_create(
        [
            Action(
                school=school,
                goal=goals[i % 6] if i % 3 else None,
                layer_code=goals[i % 6].layer_code if i % 3 else LAYERS[i % 4],
                title=f"Actiepunt {i + 1}: een concrete stap voor het team",
                owner=teachers[i % 2],
                due_date=today + datetime.timedelta(days=i % 60 - 20),
                monitoring="Terugkoppeling in de volgende bijeenkomst",
                status=statuses[i % 4],
                created_by=kartrekker,
                updated_by=kartrekker,
            )
            for i in range(n_actions)
        ]
    )
    ActionStep.objects.bulk_create(
        [
            ActionStep(action=a, position=p, text=f"Stap {p + 1} van dit actiepunt", done_at=now if p == 0 else None)
            for a in actions
            for p in range(3)
        ]
    )
    ActionUpdate.objects.bulk_create(
        [
            ActionUpdate(
                action=a,
                author=teachers[u % 2],
                text=f"Update {u + 1}: besproken en bijgesteld.",
                created_at=now - datetime.timedelta(days=7 * u),
            )
            for a in actions
            for u in range(3)
        ]
    )
    return school, kartrekker


def run(n_actions: int, requests: int, warmup: int) -> None:
    started = time.perf_counter()
    school, kartrekker = build_plan(n_actions)
    built_ms = (time.perf_counter() - started) * 1000
    client = Client()
    client.force_login(kartrekker, backend="accounts.backends.EmailBackend")

    vendor = connection.vendor
    print(
        f"Groeiwijzer TSO plan export benchmark: {vendor}, Python {platform.python_version()}, "
        f"Django {django.__version__}"
    )
    print(f"{n_actions} actions (3 steps, 3 updates each), 6 goals, 2 meetings; built in {built_ms:.0f} ms")
    print(f"{requests} requests per export after {warmup} warm-up; server time via the test client\n")
    print(f"{'export':<20} {'median ms':>10} {'p95 ms':>10} {'queries':>8} {'KiB':>7}")
    for label, name in EXPORTS:
        url = reverse(f"actionplans:{name}", args=[school.pk])
        r = measure(client, url, requests=requests, warmup=warmup)
        print(f"{label:<20} {r['median']:>10.1f} {r['p95']:>10.1f} {r['queries']:>8} {r['kb']:>7.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actions", type=int, default=200)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args()

    in_throwaway_database("bench_plan_exports", lambda: run(args.actions, args.requests, args.warmup))


def in_throwaway_database(suffix: str, fn) -> None:
    """Run fn in a test database of its own (never the real one), rendering templates as the server does."""
    original_render = Template._render
    setup_test_environment(debug=False)
    Template._render = original_render  # render as the server does, without the test client's context capture
    if connection.vendor != "sqlite":
        # Our own name: never the real database, and not the test database a parallel pytest run may use.
        connection.settings_dict.setdefault("TEST", {})
        connection.settings_dict["TEST"]["NAME"] = f"test_{connection.settings_dict['NAME']}_{suffix}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        fn()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
