#!/usr/bin/env python
"""Server time of the exports of a closed round with 60 participants: Word, Excel and the PDF report.

Like scripts/bench_round.py: a throwaway test database (never the real one), a school whose closed round has
60 participants who all answered all 15 accents and submitted, then each export is requested N times after a
warm-up, by the kartrekker (with the distribution) and by a board member (consensus only). Prints the median
and p95 in milliseconds, the number of queries and the size of the file.

    .venv/bin/python scripts/bench_exports.py
    .venv/bin/python scripts/bench_exports.py --participants 60 --requests 10 --warmup 1
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
    ("Word (gespreksformulier)", "result_docx"),
    ("Excel (overzicht)", "result_xlsx"),
    ("PDF (rapport)", "result_pdf"),
]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def measure(client: Client, url: str, *, requests: int, warmup: int) -> dict:
    for _ in range(warmup):
        assert client.get(url).status_code == 200, url
    reset_queries()  # the warm-up's queries are still in the log: count only this request's
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, url
    n_queries = len(queries.captured_queries)  # now: the next request resets the query log
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


def run(participants: int, requests: int, warmup: int) -> None:
    from accounts.models import User
    from tests.bulk import build_school

    started = time.perf_counter()
    big = build_school(participants)
    built_ms = (time.perf_counter() - started) * 1000
    board_member = User.objects.create_user("bestuur@bench.test", name="Bestuurder", password=None)
    big.school.board.members.add(board_member)

    callers = [("kartrekker", big.organiser), ("board member", board_member)]
    vendor = connection.vendor
    print(
        f"Groeiwijzer TSO export benchmark: {vendor}, Python {platform.python_version()}, Django {django.__version__}"
    )
    print(f"closed round, {participants} participants (all submitted); built in {built_ms:.0f} ms")
    print(f"{requests} requests per export after {warmup} warm-up; server time via the test client\n")
    print(f"{'export':<26} {'caller':<13} {'median ms':>10} {'p95 ms':>10} {'queries':>8} {'KiB':>7}")
    for label, name in EXPORTS:
        url = reverse(f"assessments:{name}", args=[big.school.pk, big.closed_round.pk])
        for who, user in callers:
            client = Client()
            client.force_login(user, backend="accounts.backends.EmailBackend")
            r = measure(client, url, requests=requests, warmup=warmup)
            print(f"{label:<26} {who:<13} {r['median']:>10.1f} {r['p95']:>10.1f} {r['queries']:>8} {r['kb']:>7.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=60)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=1)
    args = parser.parse_args()

    original_render = Template._render
    setup_test_environment(debug=False)
    Template._render = original_render  # render as the server does, without the test client's context capture
    if connection.vendor != "sqlite":
        connection.settings_dict.setdefault("TEST", {})
        connection.settings_dict["TEST"]["NAME"] = f"test_{connection.settings_dict['NAME']}_bench_exports"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        run(args.participants, args.requests, args.warmup)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
