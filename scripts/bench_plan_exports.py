#!/usr/bin/env python
"""Server time of the action plan page and its exports (Word and Excel) for a plan of 200 actions.

A throwaway test database (scripts/benchlib.py), a school whose plan has 200 actions
over the four growth layers, each with 3 steps (one done) and 3 updates, plus 6 goals and two meetings. Each
page and export is requested N times after a warm-up by the kartrekker; prints median, p95 and fastest time in
milliseconds, the number of queries per request and the size of the file.

The exports are made by the background worker and kept per content version (core/generated.py); here tasks run at
once, and each export has two rows: made in the request (the worker's share) and "ready" (the kept file sent: the
web's share), as in scripts/bench_exports.py.

    .venv/bin/python scripts/bench_plan_exports.py
    .venv/bin/python scripts/bench_plan_exports.py --actions 200 --requests 20 --warmup 2
"""

from __future__ import annotations

import argparse
import time

from bench_exports import IMMEDIATE_TASKS, measure_made
from benchlib import Client, header, in_throwaway_database, measure, reverse, table_header, table_row  # sets Django up
from django.test.utils import override_settings

EXPORTS = [
    ("Actieplan (pagina)", "plan"),
    ("Word (Bijlage 7)", "plan_docx"),
    ("Excel (tabellen)", "plan_xlsx"),
]
LAYERS = ("1", "2", "3A", "3B")


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

    print(header("Groeiwijzer TSO plan export benchmark"))
    print(f"{n_actions} actions (3 steps, 3 updates each), 6 goals, 2 meetings; built in {built_ms:.0f} ms")
    print(f"{requests} requests per export after {warmup} warm-up; server time via the test client")
    print("made: the file made in the request (the worker's share); ready: the kept file sent (the web's share)\n")
    print(table_header("export", 26))
    for label, name in EXPORTS:
        url = reverse(f"actionplans:{name}", args=[school.pk])
        if name == "plan":
            print(table_row(label, measure(client, url, requests=requests, warmup=warmup), 26))
            continue
        print(table_row(label, measure_made(client, url, requests=requests, warmup=warmup), 26))
        print(table_row(f"{label}, ready", measure(client, url, requests=requests, warmup=warmup), 26))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actions", type=int, default=200)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args()

    with override_settings(TASKS=IMMEDIATE_TASKS):
        in_throwaway_database("bench_plan_exports", lambda: run(args.actions, args.requests, args.warmup))


if __name__ == "__main__":
    main()
