"""What the benchmark scripts share: Django set up, a throwaway database, timing, and the machine's speed.

Every script builds its data in a test database of its own (never the real one), requests its pages through
the test client with templates rendered as the server does, and prints median, p95 and fastest time with the
number of queries. The header line carries a calibration: the time of a fixed pure-Python workload, so that
numbers measured on different machines (ours differ up to three times in speed) can be compared.
"""

from __future__ import annotations

import math
import os
import platform
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "groeiwijzer.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.template import Template  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

__all__ = [
    "Client",
    "connection",
    "django",
    "header",
    "in_throwaway_database",
    "measure",
    "p95",
    "reverse",
    "table_header",
    "table_row",
]


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def measure(
    client: Client, url: str, *, requests: int, warmup: int, method: str = "get", data: dict | None = None
) -> dict:
    """Time `requests` requests after `warmup` ones; for a POST every request sends a changed copy of data."""
    send = getattr(client, method)
    extra = {"HTTP_HX_REQUEST": "true"} if method == "post" else {}

    def payload(i: int) -> dict:
        return {key: f"{value} {i}" for key, value in (data or {}).items()} if method == "post" else (data or {})

    for i in range(warmup):
        assert send(url, payload(-1 - i), **extra).status_code == 200, url
    reset_queries()  # the warm-up's queries are still in the log: count only this request's
    with CaptureQueriesContext(connection) as queries:
        response = send(url, payload(-1000), **extra)
        assert response.status_code == 200, url
    n_queries = len(queries.captured_queries)  # now: the next request's start empties the query log
    times = []
    for i in range(requests):
        body = payload(i)
        start = time.perf_counter()
        assert send(url, body, **extra).status_code == 200, url
        times.append((time.perf_counter() - start) * 1000)
    return {
        "median": statistics.median(times),
        "p95": p95(times),
        "min": min(times),
        "queries": n_queries,
        "kb": len(response.content) / 1024,
    }


def calibration_ms(repeat: int = 5) -> float:
    """Fastest of `repeat` runs of a fixed pure-Python workload: this machine's speed, to compare runs by."""
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        total = 0
        for i in range(1_000_000):
            total += i * i % 7
        words = sorted(str(i) for i in range(100_000))
        best = min(best, (time.perf_counter() - start) * 1000)
    assert total and words
    return best


def header(title: str) -> str:
    """'<title>: <database> <version>, Python, Django; machine: N cores, calibration X ms'."""
    vendor = connection.vendor
    if vendor == "sqlite":
        version = ".".join(str(v) for v in connection.Database.sqlite_version_info)
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
    return (
        f"{title}: {vendor} {version}, Python {platform.python_version()}, Django {django.__version__}\n"
        f"machine: {os.cpu_count()} cores, calibration {calibration_ms():.0f} ms (a fixed Python workload; "
        f"lower is faster)"
    )


def table_header(first: str, width: int) -> str:
    return f"{first:<{width}} {'median ms':>10} {'p95 ms':>8} {'min ms':>8} {'queries':>8} {'KiB':>7}"


def table_row(label: str, r: dict, width: int) -> str:
    kb = f"{r['kb']:>7.1f}" if "kb" in r else ""
    return f"{label:<{width}} {r['median']:>10.1f} {r['p95']:>8.1f} {r['min']:>8.1f} {r['queries']:>8} {kb}".rstrip()


def in_throwaway_database(suffix: str, fn) -> None:
    """Run fn in a test database of its own (never the real one), rendering templates as the server does."""
    original_render = Template._render
    setup_test_environment(debug=False)
    Template._render = original_render  # render as the server does, without the test client's context capture
    if connection.vendor != "sqlite":
        # Our own name: never the real database, and not the test database a parallel pytest run may use.
        connection.settings_dict.setdefault("TEST", {})
        connection.settings_dict["TEST"]["NAME"] = f"test_{connection.settings_dict['NAME']}_{suffix}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        fn()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
