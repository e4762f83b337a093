#!/usr/bin/env python
"""Server time of the school page (kartrekker) and the board page: on the demo data and for boards of N schools.

A throwaway test database (scripts/benchlib.py: never the real one). First the demo (`manage.py demo`): the school
page of De Regenboog for its kartrekker, its schoolleider and a teamlid, and the demo board's page for its board
member. Then, per --schools value, a board of that many schools built fast (services for the route and the training
plan, bulk inserts for the rest): per school STAFF people (varying 10-60), a route started in one of the last three
school years, a training plan with attendance for the sessions held, two closed rounds of ten participants with
their agreements, goals, actions and werkgroep meetings; every tenth school has nothing yet. The board page is
requested by a board member; the query count must not grow with the number of schools.

    .venv/bin/python scripts/bench_board.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/groeiwijzer .venv/bin/python scripts/bench_board.py --schools 50 200

Options: --schools 5 50 (one board per value) --requests 20 --warmup 2.
"""

from __future__ import annotations

import argparse
import datetime
import time

from benchlib import (  # sets Django up
    Client,
    connection,
    header,
    in_throwaway_database,
    measure,
    reverse,
    table_header,
    table_row,
)

WIDTH = 34


def build_board(n_schools: int):
    """A board of n_schools schools with a realistic spread of data; returns (board, board member)."""
    from django.utils import timezone

    from accounts.models import User
    from actionplans.models import Action, ActionStatus, Goal, Meeting, Term
    from assessments.models import RoundStatus
    from core.dates import school_year_of
    from ontwikkelmodel.models import ModelVersion
    from organisations.models import Board, BoardMember, EducationType, Membership, School
    from tests.bulk import build_round
    from training import services as training_services
    from training.models import Attendance, AttendanceStatus, TrainingSession
    from trajectory import services as route_services

    today = timezone.localdate()
    year = school_year_of(today)
    version = ModelVersion.current()
    board = Board.objects.create(name=f"Bestuur met {n_schools} scholen")
    member = User.objects.create(email=f"bestuur{board.pk}@bench.test", name="Bea Bestuur")
    BoardMember.objects.create(board=board, user=member)
    statuses = list(ActionStatus)
    for i in range(n_schools):
        school = School.objects.create(
            board=board, name=f"Basisschool {i:03d} (bestuur {board.pk})", education_type=EducationType.REGULIER_BO
        )
        staff = 10 + (i * 7) % 51  # 10-60
        users = User.objects.bulk_create(
            [User(email=f"s{school.pk}.p{j}@bench.test", name=f"Collega {j}") for j in range(staff)]
        )
        Membership.objects.bulk_create(
            [
                Membership(
                    school=school,
                    user=u,
                    is_schoolleiding=j == 0,
                    is_kartrekker=j in (1, 2),
                    is_werkgroeplid=3 <= j < 7,
                    is_teamlid=j > 0,
                )
                for j, u in enumerate(users)
            ]
        )
        if i % 10 == 9:
            continue  # a school that has only just joined
        lead = users[0]
        start_year = year - i % 3
        route_services.do_start_trajectory(
            school=school, training_start=datetime.date(start_year, 9, 1), acting_user=lead
        )
        plan = training_services.do_create_plan(school=school, school_year=start_year, acting_user=lead)
        held = list(TrainingSession.objects.filter(plan=plan, date__lte=today))
        Attendance.objects.bulk_create(
            [
                Attendance(
                    session=s,
                    user=u,
                    status=AttendanceStatus.ABSENT if (j + k) % 9 == 0 else AttendanceStatus.PRESENT,
                )
                for k, s in enumerate(held)
                for j, u in enumerate(users[1:])
            ]
        )
        for _ in range(2):
            build_round(school, users[:10], version=version, status=RoundStatus.CLOSED, organiser=users[1])
        goals = Goal.objects.bulk_create(
            [
                Goal(
                    school=school,
                    layer_code=("1", "2", "3A", "3B")[g],
                    title=f"Doel {g}",
                    term=Term.SHORT if g % 2 == 0 else Term.LONG,
                    start_phase=2,
                    priority=g + 1,
                )
                for g in range(4)
            ]
        )
        Action.objects.bulk_create(
            [
                Action(
                    school=school,
                    goal=goals[a % 4],
                    layer_code=goals[a % 4].layer_code,
                    title=f"Actie {a}",
                    owner=users[a % staff],
                    due_date=today + datetime.timedelta(days=30 * (a % 5) - 40),
                    status=statuses[a % len(statuses)],
                )
                for a in range(12)
            ]
        )
        Meeting.objects.bulk_create(
            [
                Meeting(
                    school=school,
                    date=today - datetime.timedelta(days=20 * m + i % 30),
                    start_time=datetime.time(15, 0),
                    end_time=datetime.time(16, 30),
                    location="Teamkamer",
                )
                for m in range(5)
            ]
        )
    return board, member


def run(boards: list[int], requests: int, warmup: int) -> None:
    from django.core.management import call_command

    from accounts.models import User
    from organisations import demo
    from organisations.models import Board

    print(header("Groeiwijzer TSO school and board page benchmark"))
    print(f"{requests} requests per page after {warmup} warm-up requests; server time via the test client\n")
    print(table_header("page", WIDTH))

    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    regenboog = Board.objects.get(name=demo.BOARD_NAME).schools.get(name__icontains="Regenboog")
    for local, label in (("kartrekker", "kartrekker"), ("schoolleider", "schoolleider"), ("teamlid", "teamlid")):
        client = Client()
        client.force_login(User.objects.get(email=f"{local}@{demo.DOMAIN}"), backend="accounts.backends.EmailBackend")
        url = reverse("organisations:school", args=[regenboog.pk])
        print(table_row(f"school page, demo ({label})", measure(client, url, requests=requests, warmup=warmup), WIDTH))
    client = Client()
    client.force_login(User.objects.get(email=f"bestuur@{demo.DOMAIN}"), backend="accounts.backends.EmailBackend")
    url = reverse("organisations:board", args=[regenboog.board_id])
    print(table_row("board page, demo board", measure(client, url, requests=requests, warmup=warmup), WIDTH))

    built = []
    for n in boards:
        started = time.perf_counter()
        board, member = build_board(n)
        built.append(f"{n} schools in {time.perf_counter() - started:.0f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # planner statistics, as autovacuum keeps them on a real database
        client = Client()
        client.force_login(member, backend="accounts.backends.EmailBackend")
        url = reverse("organisations:board", args=[board.pk])
        result = measure(client, url, requests=requests, warmup=warmup)
        print(table_row(f"board page, {n} schools", result, WIDTH))
    print(f"\nboards built: {', '.join(built)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, nargs="+", default=[5, 50])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args()
    in_throwaway_database("bench_board", lambda: run(args.schools, args.requests, args.warmup))


if __name__ == "__main__":
    main()
