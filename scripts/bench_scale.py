#!/usr/bin/env python
"""Server time and queries of the key pages on the demo data and on the national data set (issue 15, part 3).

Runs against a database that `manage.py seed_scale` filled (DATABASE_URL; it is not seeded again) and against a
throwaway database of its own with only `manage.py demo` in it. Two comparisons, each page measured in turn on both
databases (ROUNDS times, interleaved, so load on the machine falls on both alike; the median of the medians):

1. The same school, alone and inside the country: the demo is also added to the national database (`manage.py demo`,
   once; it adds only the demo's boards and people), and the demo school's pages are measured in both databases.
   The page, the school and the people are the same; only the data around them grow. Target: time ratio <= 1.3 and
   equal query counts.
2. A national school: the seeded kartrekker's school (of the biggest board, staff nearest to 30) against the demo
   school, and the board page of a board of 2 schools (the demo board's size), of 50 and of the biggest board (~200)
   against the demo board. These schools differ in size (see the sizes printed), so a time ratio here also holds the
   school's own size; the query counts should still be equal.

Then EXPLAIN (ANALYZE, BUFFERS) of every query of the board page of the biggest board at national scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/groeiwijzer_scale .venv/bin/python scripts/bench_scale.py

Options: --requests 10 --warmup 2 --rounds 3, --keep-demo (keep the demo database for the next run), --no-explain.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
from dataclasses import dataclass
from typing import Any

from benchlib import Client, connection, header, measure, reverse  # sets Django up
from django.core.cache import caches
from django.core.management import call_command
from django.db.models import Count
from django.template import Template
from django.test.utils import CaptureQueriesContext, setup_test_environment

RATIO_TARGET = 1.3


@dataclass
class Site:
    """The people and objects of one school (and a board) in one database, found by query."""

    school: Any
    kartrekker: Any
    participant: Any  # of the open round, nothing filled in yet
    open_round: Any
    closed_round: Any  # the newest closed one
    board: Any
    board_member: Any


def use(database: str) -> None:
    """Point the default connection at another database (same server, same user)."""
    if connection.settings_dict["NAME"] != database:
        connection.close()
        connection.settings_dict["NAME"] = database
    for cache in caches.all():  # a per-process cache must not carry one database's fragments into the other
        if cache.__class__.__name__ == "LocMemCache":
            cache.clear()


def demo_site() -> Site:
    from accounts.models import User
    from assessments.models import Round, RoundStatus
    from organisations.demo import BOARD_NAME, DOMAIN
    from organisations.models import Board, School

    school = School.objects.get(board__name=BOARD_NAME, name="OBS De Regenboog")
    board = Board.objects.get(name=BOARD_NAME)
    return Site(
        school=school,
        kartrekker=User.objects.get(email=f"kartrekker@{DOMAIN}"),
        participant=User.objects.get(email=f"teamlid@{DOMAIN}"),  # left empty by the demo, to try filling in
        open_round=Round.objects.get(school=school, status=RoundStatus.OPEN),
        closed_round=Round.objects.filter(school=school, status=RoundStatus.CLOSED).order_by("-closed_at").first(),
        board=board,
        board_member=User.objects.get(email=f"bestuur@{DOMAIN}"),
    )


def national_boards():
    from organisations.models import Board
    from pages.seed_scale import DOMAIN

    return (
        Board.objects.filter(members__email__endswith="@" + DOMAIN)
        .distinct()
        .annotate(n=Count("schools", distinct=True))
        .order_by("pk")
    )


def board_member(board):
    from organisations.models import BoardMember

    return BoardMember.objects.filter(board=board).order_by("-is_beheerder", "pk").first().user


def national_site() -> Site:
    """The seed's printed people: the biggest board's school with staff nearest to 30, its first kartrekker, the last
    participant of its open round who has not filled in anything."""
    from assessments.models import Participant, Round, RoundStatus
    from organisations.models import Membership

    boards = list(national_boards())
    if not boards:
        sys.exit("Geen landelijke gegevens in deze database: vul haar eerst met manage.py seed_scale.")
    big = max(boards, key=lambda b: (b.n, -b.pk))
    school = min(big.schools.all(), key=lambda s: (abs((s.staff_count or 0) - 30), s.pk))
    kartrekker = Membership.objects.filter(school=school, is_kartrekker=True).order_by("user_id").first().user
    open_round = Round.objects.get(school=school, status=RoundStatus.OPEN)
    participant = (
        Participant.objects.filter(round=open_round, submitted_at=None, answers=None)
        .select_related("user")
        .order_by("-pk")
        .first()
        .user
    )
    return Site(
        school=school,
        kartrekker=kartrekker,
        participant=participant,
        open_round=open_round,
        closed_round=Round.objects.filter(school=school, status=RoundStatus.CLOSED).order_by("-closed_at").first(),
        board=big,
        board_member=board_member(big),
    )


def school_pages(site: Site) -> list[tuple[str, Any, str]]:
    s = site.school.pk
    return [
        ("fill-in, layer 1", site.participant, reverse("assessments:fill_step", args=[s, site.open_round.pk, "1"])),
        ("consensus view", site.kartrekker, reverse("assessments:consensus", args=[s, site.closed_round.pk])),
        ("action plan", site.kartrekker, reverse("actionplans:plan", args=[s])),
        ("school home", site.kartrekker, reverse("organisations:school", args=[s])),
        ("route page", site.kartrekker, reverse("trajectory:overview", args=[s])),
        ("growth page", site.kartrekker, reverse("assessments:growth", args=[s])),
    ]


def size_of(site: Site) -> str:
    from actionplans.models import Action, Goal
    from organisations.models import Membership

    staff = Membership.objects.filter(school=site.school).count()
    participants = site.closed_round.participants.count()
    goals = Goal.objects.alive().filter(school=site.school).count()
    actions = Action.objects.alive().filter(school=site.school).count()
    rounds = site.school.rounds.count()
    return (
        f"{site.school.name}: {staff} members, {rounds} rounds, {participants} in the newest closed one, "
        f"{goals} goals, {actions} actions; board of {site.board.schools.count()} schools"
    )


class Bench:
    def __init__(self, requests: int, warmup: int, rounds: int):
        self.requests, self.warmup, self.rounds = requests, warmup, rounds
        self.clients: dict = {}

    def client(self, database: str, user) -> Client:
        key = (database, user.pk)
        if key not in self.clients:
            use(database)
            client = Client()
            client.force_login(user, backend="accounts.backends.EmailBackend")
            self.clients[key] = client
        return self.clients[key]

    def compare(self, a: tuple[str, Any, str], b: tuple[str, Any, str]) -> tuple[dict, dict]:
        """Measure page a (database, user, url) and page b in turn, ROUNDS times: the median of the medians."""
        results: tuple[list, list] = ([], [])
        for _ in range(self.rounds):
            for (database, user, url), out in zip((a, b), results, strict=True):
                client = self.client(database, user)
                use(database)
                out.append(measure(client, url, requests=self.requests, warmup=self.warmup))
        return tuple(  # type: ignore[return-value]
            {
                "median": statistics.median(r["median"] for r in rs),
                "queries": rs[-1]["queries"],
                "kb": rs[-1]["kb"],
            }
            for rs in results
        )


def table_header(title: str) -> str:
    return (
        f"\n{title}\n"
        f"{'page':<34} {'demo ms':>8} {'q':>4} {'KiB':>6}   {'scale ms':>8} {'q':>4} {'KiB':>6}   {'ratio':>5}  queries"
    )


def table_row(label: str, a: dict, b: dict, *, target: bool = True) -> str:
    ratio = b["median"] / a["median"]
    flag = "" if not target else (" ok" if ratio <= RATIO_TARGET else " > 1.3")
    same = "equal" if a["queries"] == b["queries"] else f"{b['queries'] - a['queries']:+d}"
    return (
        f"{label:<34} {a['median']:>8.1f} {a['queries']:>4} {a['kb']:>6.1f}   "
        f"{b['median']:>8.1f} {b['queries']:>4} {b['kb']:>6.1f}   {ratio:>5.2f}{flag:<6} {same}"
    )


def queries_of(bench: Bench, database: str, user, url: str) -> list[dict]:
    """The queries of one request (after a warm one), in the order they ran."""
    client = bench.client(database, user)
    use(database)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return captured.captured_queries


def explain(sql: str) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of a captured query (on the current database); only reads (SELECT, WITH ... SELECT
    without a data-modifying clause) are run."""
    head = sql.lstrip().upper()
    reads = head.startswith("SELECT") or (
        head.startswith("WITH") and not any(f" {verb} " in f" {head} " for verb in ("INSERT", "UPDATE", "DELETE"))
    )
    if not reads:
        return ["(not a read: not explained)"]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return [line for (line,) in cursor.fetchall()]


def ms(query: dict) -> float:
    return float(query["time"]) * 1000


def explain_board(database: str, bench: Bench, board, member) -> None:
    """Every query of one request of the board page, with EXPLAIN (ANALYZE, BUFFERS)."""
    url = reverse("organisations:board", args=[board.pk])
    captured = queries_of(bench, database, member, url)
    print(f"\nEXPLAIN (ANALYZE, BUFFERS) of the board page's queries: {board.name} ({board.n} schools), {url}")
    total = sum(ms(q) for q in captured)
    print(f"{len(captured)} queries, {total:.0f} ms of SQL in the request (Django's clock, 1 ms steps)")
    for i, query in enumerate(captured, start=1):
        print(f"\n-- query {i} ({ms(query):.0f} ms in the request): {query['sql'][:600]}")
        for line in explain(query["sql"]):
            print("   " + line)


def what_grows(bench: Bench, label: str, a: tuple[str, Any, str], b: tuple[str, Any, str]) -> None:
    """For a page that is not flat: its queries side by side, the one that grew most explained at scale."""
    first, second = queries_of(bench, *a), queries_of(bench, *b)
    print(
        f"\n{label}: {len(first)} queries on the demo ({sum(ms(q) for q in first):.0f} ms of SQL), "
        f"{len(second)} at scale ({sum(ms(q) for q in second):.0f} ms of SQL)"
    )
    if len(first) != len(second):
        for side, queries in (("demo", first), ("scale", second)):
            print(f"  {side}:")
            for q in queries:
                print(f"    {ms(q):>6.0f} ms  {q['sql'][:160]}")
        return
    pairs = sorted(zip(first, second, strict=True), key=lambda p: ms(p[1]) - ms(p[0]), reverse=True)
    for q_demo, q_scale in pairs[:1]:
        print(f"  grew most: {ms(q_demo):.0f} ms -> {ms(q_scale):.0f} ms: {q_scale['sql'][:600]}")
        for line in explain(q_scale["sql"]):
            print("     " + line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved repeats per page (median of medians)")
    parser.add_argument("--keep-demo", action="store_true", help="keep the demo database (and reuse it next time)")
    parser.add_argument("--no-explain", action="store_true")
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        sys.exit("Meet op PostgreSQL: DATABASE_URL=postgres://…/<de database van seed_scale>.")
    original_render = Template._render
    setup_test_environment(debug=False)
    Template._render = original_render  # render as the server does, without the test client's context capture
    scale = connection.settings_dict["NAME"]
    print(header("Groeiwijzer TSO at national scale"))

    # The national database: its own people, and the demo added once (for the same-school comparison).
    national = national_site()
    from organisations.demo import exists as demo_exists

    if not demo_exists():
        call_command("demo", stdout=io.StringIO())
        print(f"(the demo was added to {scale})")
    demo_in_scale = demo_site()
    boards = list(national_boards())
    by_size = {}
    for wanted in (2, 50):
        by_size[wanted] = min(boards, key=lambda b, wanted=wanted: (abs(b.n - wanted), b.pk))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM assessments_answer")
        answers = cursor.fetchone()[0]
    national_size = size_of(national)

    # The demo alone, in a database of its own.
    connection.settings_dict.setdefault("TEST", {})
    connection.settings_dict["TEST"]["NAME"] = f"test_{scale}_bench_scale_demo"
    demo_db = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=args.keep_demo)
    demo_db = connection.settings_dict["NAME"]
    try:
        if not demo_exists():
            call_command("demo", stdout=io.StringIO())
        demo = demo_site()
        print(f"national: {scale} ({size}, {answers:,} answers); demo: {demo_db}".replace(",", "."))
        print(f"demo school     {size_of(demo)}")
        print(f"national school {national_size}")
        print(
            f"{args.requests} requests after {args.warmup} warm-up, {args.rounds} rounds interleaved; "
            "server time via the test client, median of the medians"
        )
        bench = Bench(args.requests, args.warmup, args.rounds)

        print(table_header("1. The same school (the demo's), alone and inside the national data set"))
        not_flat = []
        for (label, user, url), (_l, user2, url2) in zip(school_pages(demo), school_pages(demo_in_scale), strict=True):
            a, b = bench.compare((demo_db, user, url), (scale, user2, url2))
            print(table_row(label, a, b))
            if b["median"] > RATIO_TARGET * a["median"] or a["queries"] != b["queries"]:
                not_flat.append((label, (demo_db, user, url), (scale, user2, url2)))
        a, b = bench.compare(
            (demo_db, demo.board_member, reverse("organisations:board", args=[demo.board.pk])),
            (scale, demo_in_scale.board_member, reverse("organisations:board", args=[demo_in_scale.board.pk])),
        )
        print(table_row("board page (the demo board)", a, b))

        print(table_header("2. A national school and national boards, against the demo's"))
        for (label, user, url), (_l, user2, url2) in zip(school_pages(demo), school_pages(national), strict=True):
            a, b = bench.compare((demo_db, user, url), (scale, user2, url2))
            print(table_row(label, a, b))
        demo_board = (demo_db, demo.board_member, reverse("organisations:board", args=[demo.board.pk]))
        for board in (by_size[2], by_size[50], national.board):
            use(scale)
            member = board_member(board)
            a, b = bench.compare(demo_board, (scale, member, reverse("organisations:board", args=[board.pk])))
            print(table_row(f"board page ({board.n} schools)", a, b, target=board.n <= 2))
        print(
            "\n(ratio: scale ms / demo ms, target <= 1.3 where the page and its school are alike; the boards of 50 "
            "and ~200 schools are measured against the demo board of 2, so their ratio holds the board's size: "
            "the target there is under 150 ms for ~200 schools)"
        )
        for label, a_page, b_page in not_flat:
            what_grows(bench, label, a_page, b_page)
        if not args.no_explain:
            explain_board(scale, bench, national.board, national.board_member)
    finally:
        use(demo_db)
        connection.creation.destroy_test_db(scale, verbosity=0, keepdb=args.keep_demo)


if __name__ == "__main__":
    main()
