#!/usr/bin/env python
"""Server time of the growth page and of the board page with growth (issue 13).

A throwaway test database (scripts/benchlib.py): a board of SCHOOLS schools (default 50), each with YEARS closed
rounds (default 5) of PARTICIPANTS submitted participants (default 20, every accent answered) and a full consensus,
and a goal with three actions on five accents per school. Requests, after a warm-up, the growth page of a school as
one of its members (with the distributions) and as the board member, and the board page; prints median and p95 in
milliseconds, queries and size.

    .venv/bin/python scripts/bench_growth.py
    .venv/bin/python scripts/bench_growth.py --schools 5 --years 2 --participants 3 --requests 1 --warmup 1
"""

from __future__ import annotations

import argparse
import datetime
import time

from benchlib import Client, header, in_throwaway_database, measure, reverse, table_header, table_row  # sets Django up


def build(schools: int, years: int, participants: int):
    from accounts.models import User
    from actionplans.models import Action, ActionStatus, Goal
    from assessments.models import ConsensusItem, Round, RoundStatus
    from ontwikkelmodel.models import ModelVersion
    from organisations.models import Board, EducationType, Membership, School
    from tests.bulk import build_round

    version = ModelVersion.current()
    codes = version.model.accent_codes
    board = Board.objects.create(name="Bestuur Bench")
    member = User.objects.create(email="bestuur@bench.test", name="Bestuurslid")
    board.members.add(member)
    first_member = None
    for s in range(schools):
        school = School.objects.create(board=board, name=f"School {s:02d}", education_type=EducationType.REGULIER_BO)
        users = User.objects.bulk_create(
            [User(email=f"c{i}@school{s}.bench.test", name=f"Collega {i}") for i in range(participants)]
        )
        Membership.objects.bulk_create(
            [Membership(school=school, user=u, is_kartrekker=i == 0, is_teamlid=True) for i, u in enumerate(users)]
        )
        first_member = first_member or users[0]
        for y in range(years):
            round_ = build_round(school, users, version=version, status=RoundStatus.CLOSED, organiser=users[0])
            Round.objects.filter(pk=round_.pk).update(
                title=f"Ronde {2022 + y}", meeting_date=datetime.date(2022 + y, 10, 1)
            )
            ConsensusItem.objects.bulk_create(
                [
                    ConsensusItem(round=round_, accent_code=code, phase=min(4, 1 + (y + j) % 4 // 2 + y // 2))
                    for j, code in enumerate(codes)
                ],
                ignore_conflicts=True,
            )
        for code in codes[:5]:
            goal = Goal.objects.create(
                school=school, title=f"Doel {code}", layer_code=code.split(".")[0], accent_code=code
            )
            Action.objects.bulk_create(
                [
                    Action(school=school, goal=goal, layer_code=goal.layer_code, title=f"Actie {k}", status=status)
                    for k, status in enumerate([ActionStatus.DONE, ActionStatus.CELEBRATED, ActionStatus.PLANNED])
                ]
            )
    return board, member, School.objects.get(name="School 00"), first_member


def run(schools: int, years: int, participants: int, requests: int, warmup: int) -> None:
    started = time.perf_counter()
    board, board_member, school, kartrekker = build(schools, years, participants)
    built_ms = (time.perf_counter() - started) * 1000
    member_client, board_client = Client(), Client()
    member_client.force_login(kartrekker, backend="accounts.backends.EmailBackend")
    board_client.force_login(board_member, backend="accounts.backends.EmailBackend")
    print(header("Groeiwijzer TSO growth benchmark"))
    print(
        f"a board of {schools} schools × {years} closed rounds of {participants} participants; "
        f"built in {built_ms:.0f} ms"
    )
    print(f"{requests} requests each after {warmup} warm-up; server time via the test client\n")
    print(table_header("page", 24))
    growth = reverse("assessments:growth", args=[school.pk])
    rows = [
        ("growth page, member", member_client, growth),
        ("growth page, board", board_client, growth),
        ("board page", board_client, reverse("organisations:board", args=[board.pk])),
    ]
    for label, client, url in rows:
        print(table_row(label, measure(client, url, requests=requests, warmup=warmup), 24))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=50)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--participants", type=int, default=20)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args()
    in_throwaway_database(
        "bench_growth", lambda: run(args.schools, args.years, args.participants, args.requests, args.warmup)
    )


if __name__ == "__main__":
    main()
