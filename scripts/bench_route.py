#!/usr/bin/env python
"""Server time of the route pages and exports for a school of 120 staff.

A throwaway test database (scripts/benchlib.py): a school with 120 members
(a kartrekker, 10 werkgroepleden), a route started from a team training on 1 September of next year with owners
on every step, a training plan for that school year, and 12 werkgroep meetings ahead. Each page or export is
requested N times after a warm-up by the kartrekker; prints median and p95 in milliseconds, queries and size.

    .venv/bin/python scripts/bench_route.py
    .venv/bin/python scripts/bench_route.py --requests 20 --warmup 2
"""

from __future__ import annotations

import argparse
import datetime
import time

from benchlib import Client, header, in_throwaway_database, measure, reverse, table_header, table_row  # sets Django up

PAGES = [
    ("route page", "trajectory:overview"),
    ("team overview", "trajectory:summary"),
    ("calendar (.ics)", "trajectory:ics"),
    ("Word overview", "trajectory:docx"),
    ("PDF overview", "trajectory:pdf"),
]


def build_school(staff: int):
    from accounts.models import User
    from actionplans.models import Meeting
    from organisations.models import Board, EducationType, Membership, School
    from training import services as training_services
    from trajectory import services
    from trajectory.models import Step

    board = Board.objects.create(name="Bestuur Bench")
    school = School.objects.create(board=board, name="Basisschool De Brug", education_type=EducationType.REGULIER_BO)
    users = User.objects.bulk_create([User(email=f"collega{i}@bench.test", name=f"Collega {i}") for i in range(staff)])
    Membership.objects.bulk_create(
        [
            Membership(school=school, user=u, is_kartrekker=i == 0, is_werkgroeplid=0 < i <= 10, is_teamlid=True)
            for i, u in enumerate(users)
        ]
    )
    kartrekker = users[0]
    year = datetime.date.today().year + 1
    trajectory = services.do_start_trajectory(
        school=school, training_start=datetime.date(year, 9, 1), acting_user=kartrekker
    )
    for i, step in enumerate(Step.objects.filter(trajectory=trajectory)):
        step.owner = users[i % 11]
        step.save(update_fields=["owner"])
    training_services.do_create_plan(school=school, school_year=year, acting_user=kartrekker)
    today = datetime.date.today()
    for m in range(12):
        Meeting.objects.create(
            school=school,
            date=today + datetime.timedelta(days=30 * m + 7),
            start_time=datetime.time(15, 0),
            end_time=datetime.time(16, 30),
            location="Teamkamer",
            created_by=kartrekker,
        )
    return school, kartrekker


def run(staff: int, requests: int, warmup: int) -> None:
    started = time.perf_counter()
    school, kartrekker = build_school(staff)
    built_ms = (time.perf_counter() - started) * 1000
    client = Client()
    client.force_login(kartrekker, backend="accounts.backends.EmailBackend")
    print(header("Groeiwijzer TSO route benchmark"))
    print(f"{staff} staff, 16 steps, a training plan, 12 meetings; built in {built_ms:.0f} ms")
    print(f"{requests} requests each after {warmup} warm-up; server time via the test client\n")
    print(table_header("page", 18))
    for label, name in PAGES:
        r = measure(client, reverse(name, args=[school.pk]), requests=requests, warmup=warmup)
        print(table_row(label, r, 18))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--staff", type=int, default=120)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args()

    in_throwaway_database("bench_route", lambda: run(args.staff, args.requests, args.warmup))


if __name__ == "__main__":
    main()
