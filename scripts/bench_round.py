#!/usr/bin/env python
"""Server time of the busiest pages for a round of 60 participants (`make bench`).

Builds a throwaway test database (Django's test-runner utilities: never the real database), a school
whose rounds have 60 participants who all answered all 15 accents and submitted, then requests each
page N times after a warm-up with the test client and prints the median and p95 in milliseconds and
the number of queries per request.

    .venv/bin/python scripts/bench_round.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/groeiwijzer .venv/bin/python scripts/bench_round.py

Options: --participants 60 --requests 30 --warmup 3.
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

from django.db import connection  # noqa: E402
from django.template import Template  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def measure(client: Client, method: str, url: str, data: dict, *, requests: int, warmup: int) -> dict:
    send = getattr(client, method)
    extra = {"HTTP_HX_REQUEST": "true"} if method == "post" else {}
    for _ in range(warmup):
        assert send(url, data, **extra).status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        assert send(url, data, **extra).status_code == 200, url
    n_queries = len(queries.captured_queries)  # now: the next request start resets the query log
    times = []
    for i in range(requests):
        payload = {key: f"{value} {i}" for key, value in data.items()}  # a real change for every autosave
        start = time.perf_counter()
        response = send(url, payload, **extra)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    return {"median": statistics.median(times), "p95": p95(times), "queries": n_queries}


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

    vendor = connection.vendor
    version = ".".join(str(v) for v in connection.Database.sqlite_version_info) if vendor == "sqlite" else ""
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
    python = platform.python_version()
    print(f"Groeiwijzer TSO benchmark: {vendor} {version}, Python {python}, Django {django.__version__}")
    print(f"{participants} participants (all submitted, 15 answers + 5 priorities each); built in {built_ms:.0f} ms")
    print(f"{requests} requests per page after {warmup} warm-up requests; times are server time via the test client\n")
    print(f"{'page':<32} {'median ms':>10} {'p95 ms':>10} {'queries':>8}")
    for name, method, url, data in pages:
        result = measure(client, method, url, data, requests=requests, warmup=warmup)
        print(f"{name:<32} {result['median']:>10.1f} {result['p95']:>10.1f} {result['queries']:>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=60)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()

    original_render = Template._render
    setup_test_environment(debug=False)
    # Render templates as the server does: without the test client's per-template context capture.
    Template._render = original_render
    if connection.vendor != "sqlite":
        # Our own name: never the real database, and not the test database a parallel pytest run may use.
        connection.settings_dict.setdefault("TEST", {})
        connection.settings_dict["TEST"]["NAME"] = f"test_{connection.settings_dict['NAME']}_bench"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        run(args.participants, args.requests, args.warmup)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
