#!/usr/bin/env python
"""Server time of the two biggest pages: the consensus view (60 participants) and the action plan (200 actions).

A throwaway test database (scripts/benchlib.py): a school whose rounds have 60 participants who all answered
all 15 accents and submitted (tests/bulk.py), and a school whose plan has 200 actions with 3 steps and 3 updates
each (scripts/bench_plan_exports.py). Each page is requested N times after a warm-up by the kartrekker; prints
median, p95 and fastest time in milliseconds, the number of queries per request and the size of the page, also for
the parts these pages load on demand (a growth layer of the consensus, what participants wrote on one accent, one
table of the plan), and of both pages with everything open.

    .venv/bin/python scripts/bench_big_pages.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/groeiwijzer .venv/bin/python scripts/bench_big_pages.py

Options: --participants 60 --actions 200 --requests 30 --warmup 3.
"""

from __future__ import annotations

import argparse
import time

from benchlib import Client, header, in_throwaway_database, measure, reverse, table_header, table_row  # sets Django up

WIDTH = 44


def run(participants: int, n_actions: int, requests: int, warmup: int) -> None:
    from bench_plan_exports import build_plan

    from tests.bulk import build_school

    started = time.perf_counter()
    big = build_school(participants)
    plan_school, kartrekker = build_plan(n_actions)
    built_ms = (time.perf_counter() - started) * 1000
    s, r = big.school, big.consensus_round
    consensus = reverse("assessments:consensus", args=[s.pk, r.pk])
    written = reverse("assessments:consensus_written", args=[s.pk, r.pk, "2.3"])
    plan = reverse("actionplans:plan", args=[plan_school.pk])

    def part(key):
        return reverse("actionplans:plan_part", args=[plan_school.pk, key])

    # (label, address, as htmx): the pages, then what they load on demand
    round_pages = [
        ("consensus view", consensus, False),
        ("consensus view, per rolgroep", consensus + "?rolgroepen=1", False),
        ("consensus: one more layer (htmx)", consensus + "?laag=2", True),
        ("consensus: written, one accent (htmx)", written, True),
        ("consensus view, every layer", consensus + "?laag=alle", False),
        ("presentation (one accent)", reverse("assessments:present", args=[s.pk, r.pk]) + "?accent=2.3", False),
    ]
    plan_pages = [
        ("action plan", plan, False),
        ("plan: one layer's actions (htmx)", part("groeilaag-2"), True),
        ("plan: late actions (htmx)", part("te-laat"), True),
        ("action plan, every table (print)", plan + "?alles=1", False),
    ]

    print(header("Groeiwijzer TSO big pages benchmark"))
    print(
        f"{participants} participants (all submitted, 15 answers + 5 priorities each); {n_actions} actions "
        f"(3 steps, 3 updates each); built in {built_ms:.0f} ms"
    )
    print(f"{requests} requests per page after {warmup} warm-up requests; times are server time via the test client\n")
    print(table_header("page", WIDTH))
    for pages, user in ((round_pages, big.organiser), (plan_pages, kartrekker)):
        for label, url, htmx in pages:
            client = Client(**({"HTTP_HX_REQUEST": "true"} if htmx else {}))
            client.force_login(user, backend="accounts.backends.EmailBackend")
            print(table_row(label, measure(client, url, requests=requests, warmup=warmup), WIDTH))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=60)
    parser.add_argument("--actions", type=int, default=200)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    in_throwaway_database("bench_big_pages", lambda: run(args.participants, args.actions, args.requests, args.warmup))


if __name__ == "__main__":
    main()
