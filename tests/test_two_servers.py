"""More than one app server (issue 15, part 4): `scripts/two_servers.py` in the suite.

The script starts its own Valkey (or Redis), a fresh PostgreSQL database of its own and two gunicorn servers with the
production settings, then alternates one person's work between them: log in on A, fill in on B, submit on A, the
organiser closes the round on B; the login throttle counts wrong passwords on both servers together; a value cached
through A is read through B. It stops everything and drops its database at the end, also when it fails.

It needs PostgreSQL even in the SQLite run of the suite (the database is its own, with a unique name, so parallel
xdist workers and the PostgreSQL run never meet it): the test skips only when PostgreSQL is not reachable. Without
valkey-server or redis-server it fails and says what to install (CI installs redis-server when neither is there).
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "two_servers.py"
NO_POSTGRESQL = 2  # the script's exit code when PostgreSQL is not reachable


def test_one_flow_alternating_between_two_servers():
    proc = subprocess.Popen(  # noqa: S603 (our own script, fixed arguments)
        [sys.executable, str(SCRIPT)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONPATH": ""},
    )
    try:
        out, _ = proc.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGTERM)  # the script then stops its servers and drops its database
        out, _ = proc.communicate(timeout=60)
        pytest.fail(f"scripts/two_servers.py took more than 300 s:\n{out[-6000:]}")
    if proc.returncode == NO_POSTGRESQL:
        pytest.skip(out.strip().splitlines()[-1])
    assert proc.returncode == 0, out[-8000:]
    assert "two servers: OK" in out
