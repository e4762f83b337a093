"""`make run`: the web server with the background worker (mail) and the scheduler (daily jobs) beside it.

Starts `manage.py db_worker` and `manage.py scheduler` in the background, then `manage.py runserver` in the
foreground; when the server stops (Ctrl+C), the other two are stopped as well. Extra arguments go to runserver.
In production these are three separate processes (see README.md, "Production").
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str) -> list[str]:
    return [sys.executable, str(ROOT / "manage.py"), *args]


def stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main(argv: list[str]) -> int:
    address = argv[0] if argv and not argv[0].startswith("-") else "127.0.0.1:8000"
    # Links in the mails the worker sends point at this server (settings.SITE_URL), unless SITE_URL is set.
    os.environ.setdefault("SITE_URL", f"http://{address}")
    # --no-reload: a worker that reloads on code changes would be killed mid-task when stopped; restart `make run`
    # after changing a task.
    background = [
        subprocess.Popen(manage("db_worker", "--no-reload", "--no-startup-delay"), cwd=ROOT),  # noqa: S603
        subprocess.Popen(manage("scheduler"), cwd=ROOT),  # noqa: S603
    ]
    server = None
    try:
        server = subprocess.Popen(manage("runserver", *(argv or ["127.0.0.1:8000"])), cwd=ROOT)  # noqa: S603
        # Ctrl+C reaches the server (and the others) itself; this process waits for the server to stop, then
        # stops the worker and the scheduler.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, lambda signum, frame: server.terminate() if server else None)
        return server.wait()
    finally:
        stop(background + ([server] if server else []))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
