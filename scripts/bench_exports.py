#!/usr/bin/env python
"""Server time of the exports of a full closed round with 60 participants: Word, Excel and the PDF report.

A throwaway test database (scripts/benchlib.py): a school whose closed round has 60 participants who all
answered all 15 accents and submitted, with consensus on every other accent and five priorities; the priorities
became goals through the same service as the page ("Doelen maken voor het actieplan"), each with three actions
(three steps each, an owner, a date) and an update, so the report carries the follow-up it has in real use.
Each export is requested N times after a warm-up, by the kartrekker (with the distribution and the charts) and
by a board member (consensus only). Prints median, p95 and fastest time in milliseconds, queries and size.

The exports are made by the background worker and kept per content version (core/generated.py). Here tasks run at
once (ImmediateBackend), and two rows per export show both costs: "made" (the kept file removed before every
request: the view, the content version and the making, as the worker does it) and "ready" (the file is kept: the
view, the content version and sending the stored file, all a web worker does once it is made).

    .venv/bin/python scripts/bench_exports.py
    .venv/bin/python scripts/bench_exports.py --participants 60 --requests 10 --warmup 1
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import time

from benchlib import (  # sets Django up
    Client,
    connection,
    header,
    in_throwaway_database,
    measure,
    p95,
    reverse,
    table_header,
    table_row,
)
from django.db import reset_queries
from django.test.utils import CaptureQueriesContext, override_settings

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

EXPORTS = [
    ("Word (gespreksformulier)", "result_docx"),
    ("Excel (overzicht)", "result_xlsx"),
    ("PDF (rapport)", "result_pdf"),
]


def add_followup(big) -> tuple[int, int]:
    """The closed round's priorities as goals (the page's service), three actions each: (goals, actions)."""
    from actionplans import services
    from actionplans.models import ActionStatus

    round_ = big.closed_round
    items = services.consensus_priorities(round_)
    model = round_.model
    goals = services.do_create_goals_from_round(
        round_=round_,
        choices=[
            {
                "accent_code": item.accent_code,
                "title": f"Werken aan {model.accent(item.accent_code).name.lower()}",
                "term": "kort" if item.priority <= 3 else "lang",
            }
            for item in items
        ],
        acting_user=big.organiser,
    )
    today = datetime.date.today()
    n_actions = len(goals)  # each goal came with its first action
    for i, goal in enumerate(goals):
        for j in range(2):
            action = services.do_create_action(
                school=big.school,
                goal=goal,
                title=f"Actiepunt {j + 2} bij doel {i + 1}: een concrete afspraak voor het hele team",
                steps=["Bespreken in de werkgroep", "Voorstel in de teamvergadering", "Evalueren na zes weken"],
                owner=big.users[(i + j) % len(big.users)],
                due_date=today + datetime.timedelta(days=30 * (j + 1)),
                monitoring="Terugkoppeling in de volgende werkgroepbijeenkomst",
                status=ActionStatus.PLANNED if j else ActionStatus.IN_PROGRESS,
                acting_user=big.organiser,
            )
            services.do_add_update(
                action=action, text="Besproken in de werkgroep, start na de vakantie.", acting_user=big.organiser
            )
            n_actions += 1
    return len(goals), n_actions


def run(participants: int, requests: int, warmup: int) -> None:
    from accounts.models import User
    from tests.bulk import build_school

    started = time.perf_counter()
    big = build_school(participants)
    n_goals, n_actions = add_followup(big)
    built_ms = (time.perf_counter() - started) * 1000
    board_member = User.objects.create_user("bestuur@bench.test", name="Bestuurder", password=None)
    big.school.board.members.add(board_member)

    callers = [("kartrekker", big.organiser), ("board member", board_member)]
    print(header("Groeiwijzer TSO export benchmark"))
    print(
        f"closed round, {participants} participants (all submitted), follow-up {n_goals} goals and {n_actions} "
        f"actions; built in {built_ms:.0f} ms"
    )
    print(f"{requests} requests per export after {warmup} warm-up; server time via the test client")
    print("made: the file made in the request (the worker's share); ready: the kept file sent (the web's share)\n")
    print(table_header("export, caller", 48))
    for label, name in EXPORTS:
        url = reverse(f"assessments:{name}", args=[big.school.pk, big.closed_round.pk])
        for who, user in callers:
            client = Client()
            client.force_login(user, backend="accounts.backends.EmailBackend")
            print(table_row(f"{label}, {who}", measure_made(client, url, requests=requests, warmup=warmup), 48))
            r = measure(client, url, requests=requests, warmup=warmup)
            print(table_row(f"{label}, {who}, ready", r, 48))


def measure_made(client, url: str, *, requests: int, warmup: int) -> dict:
    """Like benchlib.measure, but every request finds no kept file: the view makes it (tasks run at once)."""
    from core.models import GeneratedFile

    def get():
        GeneratedFile.objects.all().delete()
        start = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200 and response.has_header("Content-Disposition"), url
        return response, elapsed

    for _ in range(warmup):
        get()
    GeneratedFile.objects.all().delete()
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    n_queries = len(queries.captured_queries)
    times = [get()[1] for _ in range(requests)]
    return {
        "median": statistics.median(times),
        "p95": p95(times),
        "min": min(times),
        "queries": n_queries,
        "kb": len(response.content) / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=60)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=1)
    args = parser.parse_args()
    with override_settings(TASKS=IMMEDIATE_TASKS):
        in_throwaway_database("bench_exports", lambda: run(args.participants, args.requests, args.warmup))


if __name__ == "__main__":
    main()
