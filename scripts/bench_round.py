#!/usr/bin/env python
"""Server time of the busiest pages for a round of 60 participants (`make bench`).

Builds a throwaway test database (scripts/benchlib.py: never the real database), a school
whose rounds have 60 participants who all answered all 15 accents and submitted, then requests each
page N times after a warm-up with the test client and prints median, p95 and fastest time in milliseconds
and the number of queries per request.

    .venv/bin/python scripts/bench_round.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/groeiwijzer .venv/bin/python scripts/bench_round.py

Options: --participants 60 --requests 30 --warmup 3.
"""

from __future__ import annotations

import argparse
import time

from benchlib import Client, header, in_throwaway_database, measure, reverse, table_header, table_row  # sets Django up


def run(participants: int, requests: int, warmup: int) -> None:
    from tests.bulk import build_school

    started = time.perf_counter()
    big = build_school(participants)
    built_ms = (time.perf_counter() - started) * 1000
    s = big.school

    def url(name, round_, *rest):
        return reverse(f"assessments:{name}", args=[s.pk, round_.pk, *rest])

    pages = [
        ("fill-in, layer 1 (editable)", "get", url("fill_step", big.open_round, "1"), {}),
        ("fill-in, check and submit", "get", url("fill_step", big.open_round, "indienen"), {}),
        ("fill-in autosave (htmx POST)", "post", url("fill_autosave", big.open_round, "1"), {"strengths-1.1": "Nu"}),
        ("round detail (participants)", "get", url("round", big.open_round), {}),
        ("consensus view", "get", url("consensus", big.consensus_round), {}),
        ("result page", "get", url("result", big.closed_round), {}),
    ]
    client = Client()
    client.force_login(big.organiser, backend="accounts.backends.EmailBackend")

    print(header("Groeiwijzer TSO benchmark"))
    print(f"{participants} participants (all submitted, 15 answers + 5 priorities each); built in {built_ms:.0f} ms")
    print(f"{requests} requests per page after {warmup} warm-up requests; times are server time via the test client\n")
    print(table_header("page", 32))
    for name, method, url, data in pages:
        result = measure(client, url, method=method, data=data, requests=requests, warmup=warmup)
        print(table_row(name, result, 32))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=60)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    in_throwaway_database("bench", lambda: run(args.participants, args.requests, args.warmup))


if __name__ == "__main__":
    main()
