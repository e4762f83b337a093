"""scripts/bench_exports_load.py keeps working: --quick runs both modes on a tiny data set without an error.

Not a timing test (the figures are for people to read, on a quiet machine). It needs PostgreSQL and gunicorn and
takes a few minutes, so it runs in the PostgreSQL run of the suite only (DATABASE_URL names a PostgreSQL server),
in a database of its own, dropped afterwards.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "bench_exports_load.py"


def test_bench_exports_load_runs():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("runs in the PostgreSQL run of the suite only")
    server = url.rsplit("/", 1)[0]
    name = f"groeiwijzer_bench_exports_load_test_{os.getpid()}_{secrets.token_hex(3)}"
    done = subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        [sys.executable, str(SCRIPT), "--quick", "--database-url", f"{server}/{name}"],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONPATH": ""},
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    lines = done.stdout.splitlines()
    for mode in ("in the web worker", "by the tasks worker"):
        row = next((line for line in lines if line.startswith(mode)), None)
        assert row is not None, done.stdout
        assert int(row.split()[-4]) > 0, row  # small page requests answered
    loaded = [line for line in lines if "downloading" in line]
    assert len(loaded) == 2 and all(int(line.split()[-3]) > 0 for line in loaded), done.stdout  # downloads done
