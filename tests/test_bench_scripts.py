"""The benchmark scripts keep working: each runs on a tiny data set and prints a row per page or export.

Not a timing test (times are for people to read, on a quiet machine); this only catches a script that no longer
runs after a change to the views or the data it builds.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"

CASES = [
    ("bench_round.py", ["--participants", "3"], ["consensus view", "result page"]),
    ("bench_exports.py", ["--participants", "3"], ["PDF (rapport), kartrekker", "PDF (rapport), board member"]),
    ("bench_plan_exports.py", ["--actions", "4"], ["Word (Bijlage 7)", "Excel (tabellen)"]),
    ("bench_route.py", ["--staff", "12"], ["route page", "PDF overview"]),
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
