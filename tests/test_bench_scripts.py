"""The benchmark scripts keep working: each runs on a tiny data set and prints a row per page or export.

Not a timing test (times are for people to read, on a quiet machine); this only catches a script that no longer
runs after a change to the views or the data it builds.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"

CASES = [
    ("bench_round.py", ["--participants", "3"], ["consensus view", "result page"]),
    ("bench_exports.py", ["--participants", "3"], ["PDF (rapport), kartrekker", "PDF (rapport), board member"]),
    ("bench_plan_exports.py", ["--actions", "4"], ["Word (Bijlage 7)", "Excel (tabellen)"]),
    (
        "bench_big_pages.py",
        ["--participants", "3", "--actions", "4"],
        ["consensus view", "consensus: written, one accent (htmx)", "action plan", "plan: one layer's actions (htmx)"],
    ),
    ("bench_route.py", ["--staff", "12"], ["route page", "PDF overview"]),
    (
        "bench_board.py",
        ["--schools", "2"],
        ["school page, demo (kartrekker)", "board page, demo board", "board page, 2 schools"],
    ),
    (
        "bench_growth.py",
        ["--schools", "2", "--years", "2", "--participants", "3"],
        ["growth page, member", "growth page, board", "board page"],
    ),
]


@pytest.mark.parametrize(("script", "args", "rows"), CASES, ids=[case[0] for case in CASES])
def test_benchmark_script_runs(script, args, rows):
    env = {**os.environ, "PYTHONPATH": ""}
    done = subprocess.run(  # noqa: S603 (our own scripts, fixed arguments)
        [sys.executable, str(SCRIPTS / script), *args, "--requests", "1", "--warmup", "1"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "calibration" in done.stdout
    for row in rows:
        line = next((line for line in done.stdout.splitlines() if line.startswith(row)), None)
        assert line is not None, f"no row {row!r} in:\n{done.stdout}"
        median = float(line[len(row) :].split()[0])
        assert median > 0


def _postgres_server() -> str:
    """The PostgreSQL server of the run (DATABASE_URL when it is one), else the local one CI starts."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url.rsplit("/", 1)[0]
    return "postgres://postgres@127.0.0.1:5432"


def test_bench_http_runs():
    """scripts/bench_http.py --quick: gunicorn with the production settings on PostgreSQL, every page a row, no errors.

    In a database of this test process's own (xdist workers and the SQLite and PostgreSQL runs may overlap), dropped
    afterwards. Needs PostgreSQL also on the SQLite run (CI has it at 127.0.0.1:5432); skipped when none answers."""
    import psycopg

    server = _postgres_server()
    try:
        psycopg.connect(server + "/postgres", connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL at {server}: {exc}")
    name = f"groeiwijzer_bench_http_test_{os.getpid()}_{secrets.token_hex(3)}"
    env = {**os.environ, "PYTHONPATH": ""}
    try:
        done = subprocess.run(  # noqa: S603 (our own script, fixed arguments)
            [sys.executable, str(SCRIPTS / "bench_http.py"), "--quick", "--database-url", f"{server}/{name}"],
            capture_output=True,
            text=True,
            timeout=240,
            env=env,
            check=False,
        )
    finally:
        with psycopg.connect(server + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "production settings" in done.stdout
    labels = ["floor", "fill-in", "consensus view", "action plan", "board page", "school home", "route page"]
    for label in labels:
        line = next((line for line in done.stdout.splitlines() if line.startswith(label)), None)
        assert line is not None, f"no row {label!r} in:\n{done.stdout}"
        columns = line.split()
        assert float(columns[-8]) > 0, line  # req/s
        assert columns[-1] == "0", line  # errors
