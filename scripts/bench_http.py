#!/usr/bin/env python
"""Throughput of the key pages over HTTP, against a bare Django view on the same stack (`make bench-http`).

What it does, in order:

1. (Re)creates a PostgreSQL database of its own (default `groeiwijzer_bench_http` on 127.0.0.1:5432, `--database-url`),
   runs `migrate` and seeds the data set of scripts/bench_http_data.py: a round of 60 participants, an action plan of
   200 actions, the route of a school of 120 staff, a board of 50 schools, the demo school. The database is dropped
   at the end (`--keep-database` keeps it).
2. Starts gunicorn with 2 sync workers on a free loopback port, with the PRODUCTION settings
   (groeiwijzer.settings_production through scripts/bench_site/settings.py, which adds only the floor view
   `__floor__/` in front of the project's URLs and a query count a request can ask for) and static files collected
   into a directory of the run.
3. Logs in through the real login form (email + password, CSRF token, `X-Forwarded-Proto: https` as behind the TLS
   proxy) as the right person per page, once per client thread, each thread with its own cookies.
4. Measures, interleaved (floor, page 1, ..., page n) and repeated (3 rounds): THREADS client threads (4) send
   requests to one page for SECONDS (5) as fast as the answers come (a closed loop over http.client; gunicorn's sync
   workers close the connection after each answer, as they do in production). Per page it prints the medians over
   the rounds of req/s (with the spread: lowest-highest round), p50 and p95 latency, the answer's size, the number
   of database queries (counted in the server for one request, `X-Bench-Queries`), and the ratio of its req/s to
   the floor's in the same round. Any answer but 200 counts as an error, is printed, and makes the exit status 1.

    make bench-http
    .venv/bin/python scripts/bench_http.py --threads 4 --seconds 5 --rounds 3
    .venv/bin/python scripts/bench_http.py --quick                      # tiny data set, short: does it run?

Before and after in one go: `--app DIR` serves another checkout's code (e.g. a `git worktree` of an older commit);
the schema and the data are still made by this checkout (a superset of the older schema), and the query count comes
from the served code. Given more than once, each checkout gets a server of its own (started side by side, loaded one
at a time) and every page is measured on each in turn within the same rounds, so that a busy machine's changing load
falls on both alike; each ratio is to its own floor:

    git worktree add /tmp/bench-before 2bff269
    .venv/bin/python scripts/bench_http.py --app /tmp/bench-before --app .
    git worktree remove /tmp/bench-before

The numbers depend on the machine and on what else runs on it: the header prints the cores, the load average before
and after and a calibration (a fixed Python workload, scripts/benchlib.py); compare runs made side by side.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

SCRIPTS = Path(__file__).resolve().parent
BASE_DIR = SCRIPTS.parent
BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/groeiwijzer_bench_http"
FLOOR_PATH = "/__floor__/"
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


# --- the database -------------------------------------------------------------------------------------------------


def _database_name(url: str) -> str:
    name = urlsplit(url).path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name or ""):
        raise SystemExit(f"--database-url needs a plain database name (letters, digits, _), not {name!r}")
    return name


def _maintenance(url: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


def recreate_database(url: str) -> None:
    """Drop the database of the run (if there) and create it empty."""
    name = _database_name(url)
    with _maintenance(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    name = _database_name(url)
    with _maintenance(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _django_env(database_url: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "groeiwijzer.settings"}
    env.pop("PYTHONPATH", None)
    return env


def migrate_and_seed(database_url: str, *, tiny: bool, sizes: dict[str, int] | None = None) -> dict:
    """`migrate` and scripts/bench_http_data.py with this checkout; returns the seed's JSON (pages, people, paths)."""
    with tempfile.TemporaryDirectory(prefix="bench_http_seed_") as tmp:
        out = Path(tmp) / "seed.json"
        args = [sys.executable, str(SCRIPTS / "bench_http_data.py"), "--migrate", "--out", str(out)]
        if tiny:
            args.append("--tiny")
        for key, value in (sizes or {}).items():
            args += [f"--{key.replace('_', '-')}", str(value)]
        subprocess.run(args, cwd=BASE_DIR, env=_django_env(database_url), check=True)  # noqa: S603 (our own script)
        return json.loads(out.read_text(encoding="utf-8"))


# --- the server ---------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _git_describe(path: Path) -> str:
    try:
        commit = subprocess.run(  # noqa: S603
            ["git", "-C", str(path), "rev-parse", "--short", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(  # noqa: S603
            ["git", "-C", str(path), "status", "--porcelain", "--untracked-files=no"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return commit + (" with uncommitted changes" if dirty else "")


def rss_kib(pid: int) -> int | None:
    """Resident memory of a process (VmRSS from /proc/<pid>/status), KiB; None when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


@dataclass
class Server:
    """gunicorn with the production settings (scripts/bench_site) serving APP_DIR's code on a free loopback port."""

    database_url: str
    app_dir: Path = BASE_DIR
    workers: int = 2
    port: int = 0
    process: subprocess.Popen | None = None
    workdir: Path | None = None
    _tmp: tempfile.TemporaryDirectory | None = None
    _collect: subprocess.Popen | None = None

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _env(self) -> dict[str, str]:
        assert self.workdir is not None
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench_site.settings",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": self.database_url,
            "SECURE_SSL_REDIRECT": "0",
            "BENCH_STATIC_ROOT": str(self.workdir / "static"),
            "PYTHONPATH": str(SCRIPTS),  # bench_site only; the app's code comes from APP_DIR (cwd / --chdir)
        }
        env.setdefault("LOG_LEVEL", "WARNING")
        return env

    def prepare(self) -> None:
        """Collect the served checkout's static files (in the background: the seeding may run meanwhile)."""
        self._tmp = tempfile.TemporaryDirectory(prefix="bench_http_server_")
        self.workdir = Path(self._tmp.name)
        self._collect = subprocess.Popen(  # noqa: S603 (the served checkout's manage.py)
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=self.app_dir, env=self._env()
        )

    def start(self, timeout: float = 120) -> None:
        if self._collect is None:
            self.prepare()
        assert self._collect is not None
        if self._collect.wait() != 0:
            raise RuntimeError("collectstatic failed")
        env = self._env()
        self.port = free_port()
        log = open(self.workdir / "gunicorn.log", "wb")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(  # noqa: S603 (gunicorn from this venv)
            [
                str(BIN / "gunicorn"),
                "groeiwijzer.wsgi:application",
                "--chdir",
                str(self.app_dir),
                "--pythonpath",
                str(SCRIPTS),
                "--bind",
                self.host,
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--no-control-socket",  # gunicorn's default socket in ~/.gunicorn is shared by every server started
            ],
            cwd=self.app_dir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start:\n{self.log_tail()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", FLOOR_PATH, headers={"Host": self.host, "X-Forwarded-Proto": "https"})
                if conn.getresponse().status == 200 and len(self.worker_pids()) == self.workers:
                    conn.close()
                    return
                conn.close()
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return sorted(int(pid) for pid in children.read_text().split())
        except OSError:
            return []

    def log_tail(self, chars: int = 4000) -> str:
        if self.workdir is None or not (self.workdir / "gunicorn.log").exists():
            return ""
        return (self.workdir / "gunicorn.log").read_text(errors="replace")[-chars:]

    def stop(self) -> None:
        if self._collect is not None and self._collect.poll() is None:
            self._collect.kill()
            self._collect.wait()
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> Server:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


# --- the client ---------------------------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int  # 0: no answer (the connection failed)
    size: int
    seconds: float
    body: bytes = b""
    error: str = ""
    queries: int | None = None
    location: str = ""


_local = threading.local()


class Browser:
    """One person's cookies against the server. Requests go over the calling thread's own connection (kept open
    where the server keeps it; gunicorn's sync workers close it after each answer and http.client reconnects)."""

    def __init__(self, host: str) -> None:
        self.host = host
        self.cookies: dict[str, str] = {}
        self._lock = threading.Lock()

    def _connection(self) -> http.client.HTTPConnection:
        conns = getattr(_local, "conns", None)
        if conns is None:
            conns = _local.conns = {}
        conn = conns.get(self.host)
        if conn is None:
            hostname, port = self.host.split(":")
            conn = conns[self.host] = http.client.HTTPConnection(hostname, int(port), timeout=120)
        return conn

    def _drop_connection(self) -> None:
        conn = getattr(_local, "conns", {}).pop(self.host, None)
        if conn is not None:
            conn.close()

    def request(
        self, method: str, path: str, data: dict | None = None, headers: dict | None = None, keep_body: bool = False
    ) -> Reply:
        send = {"Host": self.host, "X-Forwarded-Proto": "https", "User-Agent": "groeiwijzer-bench-http"}
        with self._lock:
            if self.cookies:
                send["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            csrf = self.cookies.get("csrftoken", "")
        body = None
        if method == "POST":
            body = urlencode(data or {}).encode()
            send |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://{self.host}",
                "Referer": f"https://{self.host}{path}",
                "X-CSRFToken": csrf,
            }
        send |= headers or {}
        started = time.perf_counter()
        conn = self._connection()
        try:
            conn.request(method, path, body=body, headers=send)
            response = conn.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self._drop_connection()
            return Reply(0, 0, time.perf_counter() - started, error=f"{type(exc).__name__}: {exc}")
        seconds = time.perf_counter() - started
        if response.will_close:
            self._drop_connection()
        cookies = SimpleCookie()
        for value in response.headers.get_all("Set-Cookie") or []:
            cookies.load(value)
        if cookies:
            with self._lock:
                for name, morsel in cookies.items():
                    if morsel["max-age"] == "0" or morsel.value == "":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
        queries = response.headers.get("X-Bench-Queries")
        return Reply(
            response.status,
            len(content),
            seconds,
            body=content if keep_body else b"",
            queries=int(queries) if queries else None,
            location=response.headers.get("Location", ""),
        )

    def get(self, path: str, **kwargs) -> Reply:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict, **kwargs) -> Reply:
        return self.request("POST", path, data=data, **kwargs)

    def login(self, login_path: str, email: str, password: str) -> None:
        """Through the login form, as a person does: the form (and its CSRF cookie), then email and password."""
        form = self.get(login_path, keep_body=True)
        match = CSRF_INPUT.search(form.body)
        if form.status != 200 or match is None:
            raise RuntimeError(f"login form {login_path}: status {form.status} {form.error}")
        done = self.post(
            login_path,
            {"csrfmiddlewaretoken": match.group(1).decode(), "email": email, "password": password, "next": ""},
            keep_body=True,
        )
        if done.status != 302 or "sessionid" not in self.cookies:
            kept = Path(tempfile.gettempdir()) / "bench_http_login_failed.html"
            kept.write_bytes(done.body)
            said = b" ".join(re.findall(rb'class="[^"]*(?:error|alert)[^"]*"[^>]*>\s*([^<]{1,300})', done.body))
            raise RuntimeError(
                f"login as {email} failed: status {done.status} {done.error} {said[:600]!r} (the page: {kept})"
            )


# --- measuring ----------------------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


@dataclass
class Measurement:
    requests: int
    seconds: float
    latencies: list[float]
    sizes: list[int]
    errors: Counter = field(default_factory=Counter)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0

    @property
    def p50_ms(self) -> float:
        return percentile(self.latencies, 0.50) * 1000

    @property
    def p95_ms(self) -> float:
        return percentile(self.latencies, 0.95) * 1000


def hammer(browsers: list[Browser], path: str, seconds: float) -> Measurement:
    """One thread per browser sends GET `path` back to back for `seconds`; answers in flight at the end still count."""
    results: list[list[tuple[float, float, int, int, str]]] = [[] for _ in browsers]
    start = time.perf_counter() + 0.05 * len(browsers)  # every thread is waiting before the clock starts

    def work(i: int) -> None:
        browser, out = browsers[i], results[i]
        time.sleep(max(0.0, start - time.perf_counter()))
        while time.perf_counter() < start + seconds:
            reply = browser.get(path)
            out.append((time.perf_counter(), reply.seconds, reply.status, reply.size, reply.error))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(browsers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    samples = [s for per_thread in results for s in per_thread]
    end = max((s[0] for s in samples), default=start + seconds)
    errors: Counter = Counter()
    for _, _, status, _, error in samples:
        if status != 200:
            errors[error or str(status)] += 1
    return Measurement(
        requests=len(samples),
        seconds=end - start,
        latencies=[s[1] for s in samples if s[2] == 200],
        sizes=[s[3] for s in samples if s[2] == 200],
        errors=errors,
    )


def log_in_all(
    host: str, login_path: str, password: str, users: list[str], copies: int, parallel: int = 4
) -> dict[str, list[Browser]]:
    """`copies` browsers per person, each logged in through the form, by `parallel` threads at a time."""
    browsers = {user: [Browser(host) for _ in range(copies)] for user in users}
    todo = [(user, i) for i in range(copies) for user in users]
    failures: list[BaseException] = []

    def work(mine: list[tuple[str, int]]) -> None:
        try:
            for user, i in mine:
                browsers[user][i].login(login_path, user, password)
        except BaseException as exc:  # noqa: BLE001 (raised below)
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(todo[k::parallel],)) for k in range(parallel)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise failures[0]
    return browsers


def machine_line() -> str:
    from benchlib import calibration_ms  # the same calibration as the other benchmarks

    load = Path("/proc/loadavg").read_text().split()[:3]
    return (
        f"machine: {os.cpu_count()} cores, load average {' '.join(load)}, calibration {calibration_ms():.0f} ms "
        f"(a fixed Python workload; lower is faster)"
    )


def _code_labels(apps: list[Path]) -> list[str]:
    """A short name per served checkout: its commit (+ when it has uncommitted changes), else its directory."""
    labels = []
    for app in apps:
        described = _git_describe(app)
        commit = described.split()[0]
        labels.append(commit + ("+" if "uncommitted" in described else "") if " checkout" not in described else "")
    if len(set(labels)) < len(labels) or "" in labels:
        labels = [app.name or str(app) for app in apps]
    return labels


def run_benchmark(args: argparse.Namespace) -> int:
    apps = [Path(app).resolve() for app in (args.app or [str(BASE_DIR)])]
    for app in apps:
        if not (app / "manage.py").exists():
            raise SystemExit(f"--app {app}: no manage.py there")
    started = time.perf_counter()
    recreate_database(args.database_url)
    servers = [Server(database_url=args.database_url, app_dir=app, workers=args.workers) for app in apps]
    try:
        for server in servers:
            server.prepare()
        seed = migrate_and_seed(args.database_url, tiny=args.quick)
        if args.keep_database:  # who logs in where, for a profile or a second look at the kept database
            kept = Path(tempfile.gettempdir()) / "bench_http_seed.json"
            kept.write_text(json.dumps(seed, indent=1), encoding="utf-8")
            print(f"kept database {_database_name(args.database_url)}; its seed (pages, people, password): {kept}")
        seeded_s = time.perf_counter() - started
        for server in servers:
            server.start()
        return measure_pages(args, servers, seed, seeded_s)
    finally:
        for server in servers:
            server.stop()
        if not args.keep_database:
            drop_database(args.database_url)


def measure_pages(args: argparse.Namespace, servers: list[Server], seed: dict, seeded_s: float) -> int:
    import django

    pages = [{"label": "floor (bare Django view)", "path": FLOOR_PATH, "user": None}, *seed["pages"]]
    users = sorted({p["user"] for p in pages if p["user"]})
    codes = _code_labels([server.app_dir for server in servers])
    started = time.perf_counter()
    browsers = []  # per server: per person (None: nobody, for the floor), one browser per client thread
    for server in servers:
        mine: dict = log_in_all(server.host, seed["login"], seed["password"], users, args.threads)
        mine[None] = [Browser(server.host) for _ in range(args.threads)]
        browsers.append(mine)
    login_s = time.perf_counter() - started

    print(f"Groeiwijzer TSO HTTP benchmark: PostgreSQL, gunicorn {args.workers} sync workers, production settings")
    for code, server in zip(codes, servers, strict=True):
        print(f"served code {code}: {server.app_dir} ({_git_describe(server.app_dir)})")
    print(f"schema and data: {BASE_DIR} ({_git_describe(BASE_DIR)})")
    print(f"Python {sys.version.split()[0]}, Django {django.__version__}; {machine_line()}")
    sizes = seed["sizes"]
    print(
        f"data: a round of {sizes['participants']}, a plan of {sizes['actions']} actions, a school of "
        f"{sizes['staff']} staff, a board of {sizes['board_schools']} schools × {sizes['board_years']} rounds"
        f"{', the demo school' if sizes['demo'] else ''}; migrated and seeded in {seeded_s:.0f} s, "
        f"{len(users) * args.threads * len(servers)} logins in {login_s:.0f} s"
    )
    print(
        f"{args.threads} client threads on loopback, {args.seconds:g} s per page per round, {args.rounds} rounds "
        f"interleaved{' (each page on each served code in turn)' if len(servers) > 1 else ''}; medians over the "
        f"rounds (spread: lowest-highest round); ratio: to the floor of the same code in the same round\n"
    )

    queries: dict[tuple[int, str], int | None] = {}
    for page in pages:
        for k in range(len(servers)):
            reply = browsers[k][page["user"]][0].get(page["path"], headers={"X-Bench-Queries": "1"})
            queries[k, page["path"]] = reply.queries
            for _ in range(args.warmup):  # every worker loads its templates and caches before the clock runs
                hammer(browsers[k][page["user"]], page["path"], 0.5)

    rounds: dict[tuple[int, str], list[Measurement]] = {(k, p["path"]): [] for k in range(len(servers)) for p in pages}
    for _ in range(args.rounds):
        for page in pages:
            for k in range(len(servers)):
                rounds[k, page["path"]].append(hammer(browsers[k][page["user"]], page["path"], args.seconds))

    width = max(len(p["label"]) for p in pages)
    code_width = max(4, *(len(c) for c in codes))
    head = (
        f"{'page':<{width}} {'code':<{code_width}} {'req/s':>7} {'spread':>11} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'KB':>6} {'queries':>7} {'ratio':>6} {'errors':>6}"
    )
    print(head)
    print("-" * len(head))
    failed = 0
    for page in pages:
        for k, code in enumerate(codes):
            ms = rounds[k, page["path"]]
            floor = rounds[k, FLOOR_PATH]
            rps = [m.rps for m in ms]
            ratios = [m.rps / f.rps if f.rps else 0.0 for m, f in zip(ms, floor, strict=True)]
            sizes_ok = [s for m in ms for s in m.sizes]
            errors = sum((m.errors for m in ms), Counter())
            n_errors = sum(errors.values())
            failed += n_errors
            q = queries[k, page["path"]]
            spread = f"{min(rps):.0f}-{max(rps):.0f}"
            label = page["label"] if k == 0 else ""
            print(
                f"{label:<{width}} {code:<{code_width}} {statistics.median(rps):>7.1f} {spread:>11} "
                f"{statistics.median(m.p50_ms for m in ms):>7.1f} {statistics.median(m.p95_ms for m in ms):>7.1f} "
                f"{(statistics.median(sizes_ok) / 1000 if sizes_ok else 0):>6.1f} {'?' if q is None else q:>7} "
                f"{statistics.median(ratios):>6.3f} {n_errors:>6}"
            )
            for what, count in errors.most_common():
                print(f"    error: {count} × {what}")
    print("\nKB: size of the answer (1000 bytes); queries: database queries of one request, counted in the server")
    print(f"after the run: load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    if failed:
        for code, server in zip(codes, servers, strict=True):
            print(f"{failed} requests did not get a 200; gunicorn's log ({code}) ends with:\n{server.log_tail(2000)}")
    return 1 if failed else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="dropped and created again each run")
    parser.add_argument(
        "--app",
        action="append",
        help="serve the code of this checkout (default: this one); twice or more: each in turn, side by side",
    )
    parser.add_argument("--threads", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--seconds", type=float, default=5.0, help="per page per round (default 5)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over all pages (default 3)")
    parser.add_argument("--warmup", type=int, default=2, help="half-second warm-ups per page (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--keep-database", action="store_true", help="do not drop the database at the end")
    parser.add_argument("--quick", action="store_true", help="tiny data set, 1 thread, 0.5 s, 1 round: does it run?")
    args = parser.parse_args()
    if args.quick:
        args.threads, args.seconds, args.rounds, args.warmup = 1, 0.5, 1, 0
    sys.exit(run_benchmark(args))


if __name__ == "__main__":
    main()
