#!/usr/bin/env python
"""Five people download the round's PDF report at once while someone else uses the site: does the site stall?

The round's PDF report (a round of 60 participants with the goals and actions that followed, as scripts/
bench_exports.py) takes about a second to make on a quiet machine and several under load. Made inside a sync web
worker, five downloads at once take both workers of a two-worker server, and everybody else waits. Since issue 15
the heavy exports are made by the background worker and kept per content version (core/generated.py); the web
worker only queues the file, answers the waiting page's polls and sends the stored file.

This script runs the same code twice, side by side, with gunicorn (2 sync workers, the production settings, through
scripts/bench_site as scripts/bench_http.py) on PostgreSQL:

- "in the web worker": tasks run at once (``TASKS_BACKEND=...ImmediateBackend``), so the download request itself
  makes the PDF: how the exports worked before;
- "by the tasks worker": the database queue and one ``manage.py db_worker --interval 1`` beside gunicorn, as in
  production: the download request queues the file, the client polls the waiting page every 2 s as htmx does
  (``?wacht=1`` with ``HX-Request``), then fetches the file.

In each mode, first one client requests a small page (Mijn gegevens) alone for SECONDS, a short pause between
requests, as a person clicks; then the same while five other clients (five kartrekkers of five schools, each
downloading the PDF of their own closed round) download over and over, each download a newly made report (the
client removes the stored file before it clicks: the worst case, every report changed since the last download).
Printed per mode: the small page's p50/p95/max without and during the downloads, the downloads completed, the time
from click to file, and the longest single request the downloaders made (how long a web worker was held).

    .venv/bin/python scripts/bench_exports_load.py
    .venv/bin/python scripts/bench_exports_load.py --seconds 30 --participants 60
    .venv/bin/python scripts/bench_exports_load.py --quick     # tiny data set, short: does it run?

The database (default `groeiwijzer_bench_exports_load` on 127.0.0.1:5432) is dropped and created again each run, and
dropped at the end. The numbers depend on the machine and what else runs on it (the header prints the cores, the load
average and a calibration); the worker shares the machine's cores with gunicorn.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench_http import (
    BIN,
    Browser,
    Server,
    drop_database,
    machine_line,
    percentile,
    recreate_database,
)

SCRIPTS = Path(__file__).resolve().parent
BASE_DIR = SCRIPTS.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/groeiwijzer_bench_exports_load"
IMMEDIATE = "django.tasks.backends.immediate.ImmediateBackend"
DATABASE_QUEUE = "django_tasks_db.DatabaseBackend"
POLL_SECONDS = 2.0  # as the waiting page (core.generated.POLL_SECONDS)
MODES = [("in the web worker", IMMEDIATE), ("by the tasks worker", DATABASE_QUEUE)]


# --- the data (run in a process of its own, with DATABASE_URL set) -------------------------------------------------


def seed(out: Path, schools: int, participants: int) -> None:
    """`migrate`, then SCHOOLS schools each with a closed round of PARTICIPANTS and its follow-up; write the JSON."""
    from benchlib import reverse  # sets Django up
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from bench_exports import add_followup

    from tests.bulk import PASSWORD, build_school

    downloads = []
    small = None
    for i in range(schools):
        big = build_school(participants, name=f"Basisschool {i + 1}")
        add_followup(big)
        downloads.append(
            {
                "user": big.organiser.email,
                "round_id": big.closed_round.pk,
                "path": reverse("assessments:result_pdf", args=[big.school.pk, big.closed_round.pk]),
            }
        )
        if small is None:
            small = {"user": big.users[-1].email, "path": reverse("accounts:account")}
    out.write_text(
        json.dumps(
            {"password": PASSWORD, "login": reverse("accounts:login"), "downloads": downloads, "small": small},
            indent=1,
        ),
        encoding="utf-8",
    )


def migrate_and_seed(database_url: str, schools: int, participants: int) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "groeiwijzer.settings"}
    env.pop("PYTHONPATH", None)
    with tempfile.TemporaryDirectory(prefix="bench_exports_load_") as tmp:
        out = Path(tmp) / "seed.json"
        args = [sys.executable, __file__, "--seed-out", str(out), "--schools", str(schools)]
        subprocess.run([*args, "--participants", str(participants)], cwd=BASE_DIR, env=env, check=True)  # noqa: S603
        return json.loads(out.read_text(encoding="utf-8"))


# --- the server and the worker -------------------------------------------------------------------------------------


@dataclass
class LoadServer(Server):
    """bench_http's gunicorn with one more environment variable: which task backend (at once, or the queue)."""

    tasks_backend: str = IMMEDIATE

    def _env(self) -> dict[str, str]:
        return {**super()._env(), "TASKS_BACKEND": self.tasks_backend}

    def start_worker(self) -> subprocess.Popen:
        assert self.workdir is not None
        log = open(self.workdir / "worker.log", "wb")  # noqa: SIM115 (the process owns it)
        return subprocess.Popen(  # noqa: S603 (this venv's python, the served checkout's manage.py)
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "1", "--no-startup-delay"],
            cwd=self.app_dir,
            env=self._env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def stop_process(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- the clients ---------------------------------------------------------------------------------------------------


@dataclass
class Downloads:
    done: int = 0
    to_file: list[float] = field(default_factory=list)  # seconds from click to file
    requests: list[float] = field(default_factory=list)  # each single HTTP request of the downloaders
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def forget_file(database_url: str, round_id: int) -> None:
    """The stored report of this round goes: the next click needs a new one (as after a change of the round)."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("DELETE FROM core_generatedfile WHERE kind = 'round.pdf' AND object_id = %s", [round_id])


def download_once(browser: Browser, path: str, out: Downloads, deadline: float) -> None:
    """Click the link; while the waiting page shows, poll as htmx does; then fetch the file."""
    started = time.perf_counter()
    reply = browser.get(path)
    times = [reply.seconds]
    while reply.status == 202 and time.perf_counter() < deadline + 120:
        time.sleep(POLL_SECONDS)
        poll = browser.get(path + "?wacht=1", headers={"HX-Request": "true"})
        times.append(poll.seconds)
        if poll.status == 200:  # ready (or failed): the waiting page offers the file
            reply = browser.get(path)
            times.append(reply.seconds)
        elif poll.status != 204:
            reply = poll
            break
    with out.lock:
        out.requests += times
        if reply.status == 200 and reply.size > 1000:
            out.done += 1
            out.to_file.append(time.perf_counter() - started)
        else:
            out.errors.append(f"{path}: {reply.status} {reply.error}")


def small_page_client(browser: Browser, path: str, until: float, pause: float, out: list[float], errors: list[str]):
    while time.perf_counter() < until:
        reply = browser.get(path)
        if reply.status == 200:
            out.append(reply.seconds)
        else:
            errors.append(f"{path}: {reply.status} {reply.error}")
        time.sleep(pause)


def run_mode(label: str, backend: str, args, seed: dict) -> dict:
    server = LoadServer(database_url=args.database_url, workers=2, tasks_backend=backend)
    worker = None
    try:
        server.start()
        if backend == DATABASE_QUEUE:
            worker = server.start_worker()
        small_browser = Browser(server.host)
        small_browser.login(seed["login"], seed["small"]["user"], seed["password"])
        downloaders = []
        for d in seed["downloads"][: args.downloaders]:
            browser = Browser(server.host)
            browser.login(seed["login"], d["user"], seed["password"])
            downloaders.append((browser, d))
        # Warm up: every worker imports WeasyPrint and parses the stylesheets once; the small page's templates load.
        warm = Downloads()
        threads = [
            threading.Thread(target=download_once, args=(b, d["path"], warm, time.perf_counter() + 60))
            for b, d in downloaders
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if warm.errors:
            raise RuntimeError(f"warm-up downloads failed: {warm.errors[:3]}\n{server.log_tail(2000)}")
        quiet: list[float] = []
        errors: list[str] = []
        small_page_client(small_browser, seed["small"]["path"], time.perf_counter() + 2, args.pause, [], errors)

        # 1. The small page alone.
        small_page_client(
            small_browser, seed["small"]["path"], time.perf_counter() + args.seconds, args.pause, quiet, errors
        )

        # 2. The same while five people download the report, over and over.
        loaded: list[float] = []
        downloads = Downloads()
        until = time.perf_counter() + args.seconds

        def downloader(browser: Browser, d: dict) -> None:
            while time.perf_counter() < until:
                forget_file(args.database_url, d["round_id"])
                download_once(browser, d["path"], downloads, until)

        threads = [threading.Thread(target=downloader, args=(b, d)) for b, d in downloaders]
        for t in threads:
            t.start()
        time.sleep(0.5)  # the downloads are under way
        small_page_client(small_browser, seed["small"]["path"], until, args.pause, loaded, errors)
        for t in threads:
            t.join()
        return {
            "label": label,
            "quiet": quiet,
            "loaded": loaded,
            "downloads": downloads,
            "errors": errors + downloads.errors,
            "log": server.log_tail(1500),
        }
    finally:
        stop_process(worker)
        server.stop()


def ms(values: list[float], q: float) -> str:
    return f"{percentile(values, q) * 1000:.0f}" if values else "-"


def report(results: list[dict], args) -> int:
    print(
        f"\n{'mode: the PDF is made':<24} {'small page':<15} {'n':>5} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}   "
        f"{'downloads':>9} {'click→file s (median)':>21} {'longest request s':>17}"
    )
    failed = 0
    for r in results:
        d = r["downloads"]
        for phase, values in (("alone", r["quiet"]), (f"{args.downloaders} downloading", r["loaded"])):
            extra = ""
            if phase != "alone":
                median_file = f"{statistics.median(d.to_file):.1f}" if d.to_file else "-"
                longest = f"{max(d.requests):.2f}" if d.requests else "-"
                extra = f"   {d.done:>9} {median_file:>21} {longest:>17}"
            print(
                f"{r['label'] if phase == 'alone' else '':<24} {phase:<15} {len(values):>5} {ms(values, 0.5):>7} "
                f"{ms(values, 0.95):>7} {(max(values) * 1000 if values else 0):>7.0f}{extra}"
            )
        if r["errors"]:
            failed += len(r["errors"])
            print(f"    {len(r['errors'])} errors, e.g. {r['errors'][:3]}\n{r['log']}")
    print(
        "\nsmall page: Mijn gegevens, one client, a pause of "
        f"{args.pause:g} s between requests; downloads: {args.downloaders} clients, each report made anew per download"
    )
    print(f"after the run: load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    return 1 if failed else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="dropped and created again each run")
    parser.add_argument("--seconds", type=float, default=30.0, help="per phase (default 30)")
    parser.add_argument("--participants", type=int, default=60, help="per round (default 60)")
    parser.add_argument("--downloaders", type=int, default=5, help="clients downloading at once (default 5)")
    parser.add_argument("--pause", type=float, default=0.2, help="the small page client's pause, s (default 0.2)")
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--quick", action="store_true", help="tiny data set, short phases: does it run?")
    parser.add_argument("--seed-out", help=argparse.SUPPRESS)
    parser.add_argument("--schools", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_out:
        seed(Path(args.seed_out), args.schools, args.participants)
        return
    if args.quick:
        args.seconds, args.participants, args.downloaders = 3.0, 3, 2
    if not (BIN / "gunicorn").exists():
        raise SystemExit("gunicorn is not installed in this venv")
    started = time.perf_counter()
    recreate_database(args.database_url)
    try:
        data = migrate_and_seed(args.database_url, args.downloaders, args.participants)
        import django

        print(
            f"Groeiwijzer TSO: {args.downloaders} downloads of the round's PDF report at once, and a small page "
            "meanwhile"
        )
        print(f"PostgreSQL, gunicorn 2 sync workers, production settings; Python {sys.version.split()[0]}, ", end="")
        print(f"Django {django.__version__}; {machine_line()}")
        print(
            f"data: {args.downloaders} schools, each a closed round of {args.participants} participants with its "
            f"follow-up; seeded in {time.perf_counter() - started:.0f} s; {args.seconds:g} s per phase"
        )
        results = [run_mode(label, backend, args, data) for label, backend in MODES]
        code = report(results, args)
    finally:
        if not args.keep_database:
            drop_database(args.database_url)
    sys.exit(code)


if __name__ == "__main__":
    main()
