#!/usr/bin/env python
"""Server time of the exports of a full closed round with 60 participants: Word, Excel and the PDF report.

A throwaway test database (scripts/benchlib.py): a school whose closed round has 60 participants who all
answered all 15 accents and submitted, with consensus on every other accent and five priorities; the priorities
became goals through the same service as the page ("Doelen maken voor het actieplan"), each with three actions
(three steps each, an owner, a date) and an update, so the report carries the follow-up it has in real use.
Each export is requested N times after a warm-up, by the kartrekker (with the distribution and the charts) and
by a board member (consensus only). Prints median, p95 and fastest time in milliseconds, queries and size.

    .venv/bin/python scripts/bench_exports.py
    .venv/bin/python scripts/bench_exports.py --participants 60 --requests 10 --warmup 1
"""

from __future__ import annotations

import argparse
import datetime
import time

from benchlib import Client, header, in_throwaway_database, measure, reverse, table_header, table_row  # sets Django up

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
    print(f"{requests} requests per export after {warmup} warm-up; server time via the test client\n")
    print(table_header("export, caller", 40))
    for label, name in EXPORTS:
        url = reverse(f"assessments:{name}", args=[big.school.pk, big.closed_round.pk])
        for who, user in callers:
            client = Client()
            client.force_login(user, backend="accounts.backends.EmailBackend")
            r = measure(client, url, requests=requests, warmup=warmup)
            print(table_row(f"{label}, {who}", r, 40))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=60)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=1)
    args = parser.parse_args()
    in_throwaway_database("bench_exports", lambda: run(args.participants, args.requests, args.warmup))


if __name__ == "__main__":
    main()
