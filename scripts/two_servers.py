"""Two app servers, one PostgreSQL, one Valkey: one person's work alternates between them and nothing is lost.

    python scripts/two_servers.py [--pg postgres://postgres@127.0.0.1:5432/postgres] [--verbose]

What it does (issue 15, part 4), all on 127.0.0.1 and all of it removed again at the end, also on failure:

1. starts a private Valkey (`valkey-server`, else `redis-server`) on a free port, without persistence;
2. creates a fresh PostgreSQL database with a unique name and a role for the app that owns nothing (it may read and
   write rows; README "Deploying on more servers"), migrates it as the owner and collects the static files (the
   production storage, with its manifest) into a temporary folder, then seeds one school with an open round;
3. starts two gunicorn servers A and B with the production settings (`groeiwijzer.settings_production`, only
   STATIC_ROOT moved to the temporary folder), logged in to PostgreSQL as the app's role, with CACHE_URL pointing at
   the private Valkey. The client plays the load balancer's part: every request carries the one public host name and
   `X-Forwarded-Proto: https`;
4. plays, with one cookie jar per person as a browser would keep it:
   - a teacher logs in on A (the real login form, its CSRF token), sees the start page on B, fills in the round's
     layers and priorities alternating B, A, B, ... with the forms' own POSTs, and submits on A;
   - the organiser logs in on B, starts the consensus meeting, records one agreement and closes the round,
     each step on the other server than the one before, through the confirm pages a real browser gets;
   - the login throttle: wrong passwords for one address alternating A/B are refused as wrong exactly
     LOGIN_PASSWORD_MAX_FAILURES times in total, then the address is locked on both servers, for the right
     password too;
   - the cache: a value stored through A's process is read through B's process (a small probe in front of the WSGI
     application, only in this script's own temporary module, never in the product), and it is in Valkey;
5. checks the outcome in the database (the submission, the closed round), that the app's role can neither disable the
   audit log's triggers nor truncate it, and exits 0 (`two servers: OK`) or 1.

Needs PostgreSQL (a role that may create databases and roles; exit code 2 when it is not reachable) and valkey-server or
redis-server (exit code 3 when neither is installed). Takes 20-40 seconds, most of it migrating the new database.
`tests/test_two_servers.py` runs it in the suite.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "gw.test"  # the one public name both servers answer to, as behind a load balancer
PASSWORD = "twee-servers-wachtwoord-7"  # noqa: S105 (a throwaway database of this script)
WRONG = "niet-het-goede-wachtwoord"  # noqa: S105
NO_POSTGRESQL = 2  # exit code: PostgreSQL is not reachable (the test skips)
NO_CACHE_SERVER = 3  # exit code: neither valkey-server nor redis-server is installed (the test fails)

# Dutch texts of the pages this flow checks for (accounts/forms.py, assessments/views.py).
WRONG_PASSWORD_TEXT = "Dit e-mailadres en wachtwoord horen niet bij elkaar"  # noqa: S105 (a message)
LOCKED_TEXT = "Er is te vaak een verkeerd wachtwoord gebruikt voor dit e-mailadres"
SUBMITTED_TEXT = "Je antwoorden zijn ingediend"
CLOSED_TEXT = "De ronde is afgesloten"

PROBE_MODULE = '''"""two_servers.py's probe: GET/PUT /__two_servers/cache/<key> use Django's cache in this process."""
import os

from django.core.cache import caches

from groeiwijzer.wsgi import application as django_application

PREFIX = "/__two_servers/cache/"


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    if not path.startswith(PREFIX):
        return django_application(environ, start_response)
    cache = caches["default"]
    key = "two_servers:" + path[len(PREFIX):]
    if environ["REQUEST_METHOD"] == "PUT":
        size = int(environ.get("CONTENT_LENGTH") or 0)
        cache.set(key, environ["wsgi.input"].read(size).decode(), 300)
        value = "stored"
    else:
        value = cache.get(key, "(missing)")
    body = f"{type(cache).__name__} pid={os.getpid()} {value}".encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
'''

SETTINGS_MODULE = """from groeiwijzer.settings_production import *  # noqa: F403

STATIC_ROOT = {static_root!r}  # the only change: collected static files in this run's temporary folder
"""


class Failed(Exception):
    pass


_STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"{time.monotonic() - _STARTED:5.1f}s {message}", flush=True)


# Services ----------------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, what: str, timeout: float, proc: subprocess.Popen | None = None):
    end = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < end:
        if proc is not None and proc.poll() is not None:
            raise Failed(f"{what}: the process stopped (exit code {proc.returncode})")
        try:
            result = check()
            if result:
                return result
        except Exception as exc:  # noqa: BLE001 — not up yet
            last = exc
        time.sleep(0.1)
    raise Failed(f"{what}: not ready after {timeout:.0f} s ({last})")


def cache_server_binary() -> str | None:
    return shutil.which("valkey-server") or shutil.which("redis-server")


def maintenance_url(pg: str | None) -> str:
    """The URL of the PostgreSQL server's maintenance database: --pg, else DATABASE_URL's server, else localhost."""
    if pg:
        return pg
    env = os.environ.get("DATABASE_URL", "")
    if env.startswith(("postgres://", "postgresql://")):
        return urllib.parse.urlunsplit(urllib.parse.urlsplit(env)._replace(path="/postgres"))
    return "postgres://postgres@127.0.0.1:5432/postgres"


def with_database(url: str, name: str) -> str:
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path=f"/{name}"))


def pg_reachable(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def pg_execute(url: str, query, params: tuple = ()) -> list[tuple]:
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn, conn.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchall() if cur.description else []


def table_sql(template: str, *names: str):
    """A statement with quoted identifiers (a table's or a database's name) in the place of each {}."""
    from psycopg import sql

    return sql.SQL(template).format(*(sql.Identifier(name) for name in names))


class Stack:
    """Everything this run starts, so that all of it goes again whatever happens."""

    def __init__(self, pg: str, verbose: bool) -> None:
        self.pg = pg
        self.verbose = verbose
        self.tmp = Path(tempfile.mkdtemp(prefix="gw-two-servers-"))
        suffix = f"{os.getpid()}_{secrets.token_hex(3)}"
        self.db_name = f"gw_two_servers_{suffix}"
        self.db_created = False
        # The servers log in as a role that owns nothing (README "Audit log"); migrations run as the owner.
        self.app_role = f"gw_two_servers_app_{suffix}"
        self.app_password = secrets.token_hex(16)
        self.role_created = False
        self.procs: list[tuple[str, subprocess.Popen, Path]] = []
        self.cache_port = 0
        self.env: dict[str, str] = {}

    # processes

    def start(self, name: str, cmd: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
        logfile = self.tmp / f"{name}.log"
        with logfile.open("wb") as out:
            proc = subprocess.Popen(  # noqa: S603 (fixed commands of this script)
                cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.procs.append((name, proc, logfile))
        return proc

    def run(self, name: str, cmd: list[str], timeout: float = 120, env: dict[str, str] | None = None) -> str:
        done = subprocess.run(  # noqa: S603
            cmd, cwd=ROOT, env=env or self.env, capture_output=True, text=True, timeout=timeout, check=False
        )
        if done.returncode != 0:
            raise Failed(f"{name} failed (exit code {done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-4000:]}")
        return done.stdout

    def tail(self, lines: int = 40) -> str:
        out = []
        for name, _proc, logfile in self.procs:
            text = logfile.read_text(errors="replace").splitlines() if logfile.exists() else []
            out.append(f"--- {name} (last {lines} lines of {len(text)}) ---")
            out.extend(text[-lines:])
        return "\n".join(out)

    def stop_all(self) -> None:
        for _name, proc, _log in reversed(self.procs):
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGINT)  # gunicorn: quick shutdown (SIGTERM waits for the workers)
        deadline = time.monotonic() + 10
        for name, proc, _log in reversed(self.procs):
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log(f"{name} did not stop within 10 s: killed")
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def close(self) -> None:
        try:
            self.stop_all()
            log("servers and cache stopped")
        finally:
            try:
                if self.db_created:
                    pg_execute(self.pg, table_sql("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.db_name))
                if self.role_created:
                    pg_execute(self.pg, table_sql("DROP ROLE IF EXISTS {}", self.app_role))
                log("database and role dropped")
            finally:
                shutil.rmtree(self.tmp, ignore_errors=True)

    # the pieces

    def start_cache(self) -> None:
        binary = cache_server_binary()
        assert binary is not None
        for _attempt in range(5):
            port = free_port()
            proc = self.start(
                f"cache-{port}",
                [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--dir", str(self.tmp)],
            )  # fmt: skip
            try:
                wait_for(lambda p=port: _redis_ping(p), f"{Path(binary).name} on port {port}", 10, proc)
            except Failed:
                if proc.poll() is None:
                    raise
                continue  # the port was taken meanwhile: another one
            self.cache_port = port
            log(f"cache: {Path(binary).name} on 127.0.0.1:{port}")
            return
        raise Failed("could not start the cache server")

    def create_database(self) -> None:
        """A new database, and the app's role: it may read and write the rows of the tables the owner (the role that
        migrates) creates, and nothing else: no DDL, no TRUNCATE, not the owner of the audit log's triggers."""
        from psycopg import sql

        pg_execute(self.pg, table_sql("CREATE DATABASE {}", self.db_name))
        self.db_created = True
        role = sql.Identifier(self.app_role)
        pg_execute(self.pg, sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(role, sql.Literal(self.app_password)))
        self.role_created = True
        owner = sql.Identifier(pg_execute(self.pg, "SELECT current_user")[0][0])
        in_db = with_database(self.pg, self.db_name)
        for statement in (
            "GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {role}",
            "GRANT USAGE ON SCHEMA public TO {role}",
            "ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public "
            "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
            "ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}",
        ):
            query = sql.SQL(statement).format(db=sql.Identifier(self.db_name), role=role, owner=owner)
            pg_execute(in_db, query)
        log(f"database: {self.db_name}, the servers log in as {self.app_role}")

    def prepare_environment(self) -> None:
        static_root = self.tmp / "static"
        (self.tmp / "two_servers_settings.py").write_text(SETTINGS_MODULE.format(static_root=str(static_root)))
        (self.tmp / "two_servers_probe.py").write_text(PROBE_MODULE)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "two_servers_settings",
                "PYTHONPATH": os.pathsep.join([str(self.tmp), str(ROOT)]),
                "SECRET_KEY": secrets.token_urlsafe(40),  # the same on both servers, as in any deployment
                "ALLOWED_HOSTS": f"{HOST},127.0.0.1",
                "DATABASE_URL": self.app_database_url(),
                "CACHE_URL": f"redis://127.0.0.1:{self.cache_port}/0",
                "CACHE_KEY_PREFIX": "gw-two-servers",
                "SECURE_SSL_REDIRECT": "0",
                "SECURE_HSTS_SECONDS": "0",
                "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
                "SITE_URL": f"https://{HOST}",
                "LOG_LEVEL": "WARNING",
                "PYTHONDONTWRITEBYTECODE": "1",
            }
        )
        self.env = env

    def app_database_url(self) -> str:
        parts = urllib.parse.urlsplit(with_database(self.pg, self.db_name))
        host = parts.netloc.rsplit("@", 1)[-1]
        return urllib.parse.urlunsplit(parts._replace(netloc=f"{self.app_role}:{self.app_password}@{host}"))

    def prepare(self) -> dict:
        """Migrate and seed (one child process), and collect the static files beside it (no database needed)."""
        collect = subprocess.Popen(  # noqa: S603
            [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--no-input", "-v0"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            owner_env = {**self.env, "DATABASE_URL": with_database(self.pg, self.db_name)}  # migrations: the owner
            out = self.run(
                "migrate and seed", [sys.executable, str(Path(__file__).resolve()), "--prepare"], 300, env=owner_env
            )
        finally:
            collected, _ = collect.communicate(timeout=300)
        if collect.returncode != 0:
            raise Failed(f"collectstatic failed:\n{collected[-4000:]}")
        return json.loads(out.strip().splitlines()[-1])

    def start_servers(self, *labels: str) -> dict[str, int]:
        """Start a gunicorn per label at once, then wait until each serves the login page."""
        launched = {label: self._launch(label) for label in labels}
        ports = {}
        for label, (port, proc) in launched.items():
            for _attempt in range(5):
                try:
                    wait_for(lambda p=port: _http_up(p), f"server {label} on port {port}", 60, proc)
                except Failed:
                    if proc.poll() is None or "in use" not in self.procs[-1][2].read_text(errors="replace"):
                        raise
                    port, proc = self._launch(label)  # the port was taken meanwhile: another one
                    continue
                log(f"server {label}: gunicorn on 127.0.0.1:{port} (pid {proc.pid})")
                ports[label] = port
                break
            else:
                raise Failed(f"could not start server {label}")
        return ports

    def _launch(self, label: str) -> tuple[int, subprocess.Popen]:
        port = free_port()
        proc = self.start(
            f"server-{label}-{port}",
            [sys.executable, "-m", "gunicorn", "two_servers_probe:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--threads", "2", "--timeout", "60", "--access-logfile", "-",
             "--no-control-socket"],  # gunicorn's control socket is one path per user: two servers collide
            env=self.env,
        )  # fmt: skip
        return port, proc


def _redis_ping(port: int) -> bool:
    import redis

    return bool(redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1).ping())


def _http_up(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/inloggen/", headers={"Host": HOST, "X-Forwarded-Proto": "https"})
        return conn.getresponse().status == 200
    finally:
        conn.close()


# The browser: cookies, forms -----------------------------------------------------------------------------------------


class Response:
    def __init__(self, server: str, method: str, path: str, status: int, headers, body: bytes) -> None:
        self.server, self.method, self.path, self.status, self.headers = server, method, path, status, headers
        self.text = body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        return urllib.parse.urlsplit(self.headers.get("Location", "")).path

    def __str__(self) -> str:
        return f"{self.method} {self.path} on {self.server} -> {self.status}"


class Browser:
    """One person's browser: one cookie jar for the site, whichever server the load balancer picks."""

    def __init__(self, who: str, servers: dict[str, int], verbose: bool) -> None:
        self.who, self.servers, self.verbose = who, servers, verbose
        self.cookies: dict[str, str] = {}
        self.cookie_flags: dict[str, str] = {}

    def request(self, server: str, method: str, path: str, data: list[tuple[str, str]] | None = None) -> Response:
        headers = {"Host": HOST, "X-Forwarded-Proto": "https", "User-Agent": "two-servers"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method == "POST":
            body = urllib.parse.urlencode(data or []).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{HOST}"
            headers["Referer"] = f"https://{HOST}{path}"
        conn = http.client.HTTPConnection("127.0.0.1", self.servers[server], timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            raw = conn.getresponse()
            response = Response(server, method, path, raw.status, raw.headers, raw.read())
        finally:
            conn.close()
        for header in raw.headers.get_all("Set-Cookie") or []:
            self._store(header)
        if self.verbose:
            log(f"  {self.who}: {response}")
        return response

    def _store(self, header: str) -> None:
        jar: SimpleCookie = SimpleCookie()
        jar.load(header)
        for name, morsel in jar.items():
            if morsel["max-age"] == "0" or (not morsel.value and "1970" in morsel["expires"]):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value
                self.cookie_flags[name] = header

    def get(self, server: str, path: str, expect: int = 200) -> Response:
        return check(self.request(server, "GET", path), expect)

    def post(self, server: str, path: str, data: list[tuple[str, str]], expect: int | None = None) -> Response:
        response = self.request(server, "POST", path, data)
        return response if expect is None else check(response, expect)


def check(response: Response, expect: int, contains: str | None = None) -> Response:
    if response.status != expect:
        raise Failed(f"{response}, expected {expect}{_error_excerpt(response)}")
    if contains is not None and contains not in response.text:
        raise Failed(f"{response}: the page does not say {contains!r}{_error_excerpt(response)}")
    return response


def _error_excerpt(response: Response) -> str:
    if response.status in (301, 302, 303):
        return f" (redirect to {response.headers.get('Location')})"
    errors = re.findall(r'class="[^"]*(?:error|alert)[^"]*"[^>]*>(.*?)</', response.text, flags=re.S)
    text = " | ".join(re.sub(r"\s+", " ", e).strip() for e in errors if e.strip())[:600]
    return f" ({text})" if text else ""


class Form:
    def __init__(self, action: str, method: str) -> None:
        self.action, self.method = action, method
        self.fields: list[dict] = []  # input, textarea, select in document order
        self.buttons: list[tuple[str, str]] = []

    def data(self, **changes: str) -> list[tuple[str, str]]:
        """What a browser sends: successful controls, with `changes` (name=value) applied, radios chosen."""
        pairs: list[tuple[str, str]] = []
        done: set[str] = set()
        for field in self.fields:
            name = field["name"]
            if name in changes:
                if name not in done:
                    pairs.append((name, changes[name]))
                    done.add(name)
                continue
            kind = field["type"]
            if kind in ("radio", "checkbox") and not field["checked"]:
                continue
            if kind in ("submit", "button", "image", "reset", "file"):
                continue
            pairs.append((name, field["value"]))
        return pairs

    def names(self, prefix: str) -> list[str]:
        seen: list[str] = []
        for field in self.fields:
            if field["name"].startswith(prefix) and field["name"] not in seen:
                seen.append(field["name"])
        return seen

    def options(self, name: str) -> list[str]:
        return next(f["options"] for f in self.fields if f["name"] == name)


class FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.textarea: dict | None = None
        self.select: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.form = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind == "submit":
                self.form.buttons.append((a["name"], a.get("value", "")))
            else:
                value = a.get("value", "on" if kind in ("radio", "checkbox") else "")
                self.form.fields.append({"name": a["name"], "type": kind, "value": value, "checked": "checked" in a})
        elif tag == "button" and a.get("name"):
            self.form.buttons.append((a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self.textarea = {"name": a["name"], "type": "textarea", "value": "", "checked": False}
            self.form.fields.append(self.textarea)
        elif tag == "select" and a.get("name"):
            self.select = {"name": a["name"], "type": "select", "value": None, "checked": False, "options": []}
            self.form.fields.append(self.select)
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            self.select["options"].append(value)
            if self.select["value"] is None or "selected" in a:
                self.select["value"] = value

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            if self.select is not None and self.select["value"] is None:
                self.select["value"] = ""
            self.select = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea["value"] += data


def forms(response: Response) -> list[Form]:
    parser = FormParser()
    parser.feed(response.text)
    return [f for f in parser.forms if f.method == "post"]


def form_with(response: Response, *, action_contains: str | None = None, field: str | None = None) -> Form:
    for form in forms(response):
        if action_contains is not None and action_contains not in (form.action or response.path):
            continue
        if field is not None and not any(f["name"] == field for f in form.fields):
            continue
        return form
    raise Failed(f"{response}: no form with action {action_contains!r} / field {field!r}")


def other(server: str) -> str:
    return "B" if server == "A" else "A"


# The flows -----------------------------------------------------------------------------------------------------------


def log_in(browser: Browser, server: str, email: str, password: str) -> Response:
    page = browser.get(server, "/inloggen/")
    form = form_with(page, field="password")
    return browser.post(server, "/inloggen/", form.data(email=email, password=password))


def teacher_flow(servers: dict[str, int], seed: dict, verbose: bool) -> None:
    teacher = Browser("teacher", servers, verbose)
    check(log_in(teacher, "A", seed["teacher"], PASSWORD), 302)
    session_cookie = teacher.cookie_flags.get("sessionid", "")
    if "secure" not in session_cookie.lower() or "httponly" not in session_cookie.lower():
        raise Failed(f"the session cookie is not Secure and HttpOnly (production settings?): {session_cookie!r}")
    log("teacher: logged in on A")
    home = check(teacher.request("B", "GET", "/"), 302)  # the start page sends one school's member to that school
    check(teacher.get("A", home.location), 200, contains=seed["teacher_name"])
    log("teacher: B sent the start page on to the school, A shows it with the name (the session is in the database)")

    round_path = f"/scholen/{seed['school_id']}/rondes/{seed['round_id']}/"
    step_path = check(teacher.request("B", "GET", round_path + "invullen/"), 302).location
    server = "B"
    layers = 0
    while "/prioriteiten/" not in step_path:
        page = teacher.get(server, step_path)
        form = form_with(page, field="save_page")
        changes = dict.fromkeys(form.names("phase-"), "2")
        changes.update(dict.fromkeys(form.names("strengths-"), f"Rust in de klas ({server})"))
        changes.update(dict.fromkeys(form.names("goal-"), "Samen oefenen"))
        go = [value for name, value in form.buttons if name == "go"][-1]  # 'Opslaan en verder'
        saved = check(teacher.post(server, step_path, [*form.data(**changes), ("go", go)]), 302)
        log(f"teacher: layer {step_path.rstrip('/').rsplit('/', 1)[-1]} saved on {server} ({len(changes)} fields)")
        step_path = saved.location
        server = other(server)
        layers += 1
    if layers != seed["layers"]:
        raise Failed(f"filled {layers} layers, the round has {seed['layers']}")

    page = teacher.get(server, step_path)
    form = form_with(page, field="rank-1")
    codes = [c for c in form.options("rank-1") if c][:5]
    ranks = {f"rank-{i}": code for i, code in enumerate(codes, start=1)}
    saved = check(teacher.post(server, step_path, [*form.data(**ranks), ("go", "indienen")]), 302)
    log(f"teacher: priorities saved on {server}")

    submit_path = saved.location
    page = teacher.get("A", submit_path)
    form = next((f for f in forms(page) if ("action", "indienen") in f.data()), None)
    if form is None:
        raise Failed(f"{page}: no 'Antwoorden indienen' form{_error_excerpt(page)}")
    check(teacher.post("A", submit_path, form.data()), 302)
    check(teacher.get("B", submit_path), 200, contains=SUBMITTED_TEXT)  # the message travels in the cookie jar
    log("teacher: submitted on A, B shows the confirmation")

    submitted = pg_execute(
        seed["database_url"],
        table_sql(
            "SELECT submitted_at IS NOT NULL FROM {} WHERE round_id = %s AND user_id = %s", seed["participant_table"]
        ),
        (seed["round_id"], seed["teacher_id"]),
    )
    if submitted != [(True,)]:
        raise Failed(f"the database does not hold the submission: {submitted}")


def organiser_flow(servers: dict[str, int], seed: dict, verbose: bool) -> None:
    organiser = Browser("organiser", servers, verbose)
    check(log_in(organiser, "B", seed["organiser"], PASSWORD), 302)
    log("organiser: logged in on B")
    round_path = f"/scholen/{seed['school_id']}/rondes/{seed['round_id']}/"

    page = organiser.get("A", round_path)
    consensus_path = round_path + "consensus/"
    result = transition(organiser, page, "consensus", first="B")
    if result.location != consensus_path:
        raise Failed(f"{result}: expected the consensus page, got {result.location}")
    log("organiser: consensus meeting started (B, confirmed on A)")

    page = organiser.get("B", consensus_path)
    form = form_with(page, field="next_steps")
    agreed = check(
        organiser.post("A", form.action, form.data(phase="2", next_steps="Samen verder met rust in de klas")), 302
    )
    log(f"organiser: an agreement saved on A ({form.action.rstrip('/').rsplit('/', 1)[-1]})")

    page = organiser.get("B", agreed.location)
    result = transition(organiser, page, "afsluiten", first="A")
    check(organiser.get("A", result.location), 200, contains=CLOSED_TEXT)
    log("organiser: round closed (A, confirmed on B), the result page on A")

    status = pg_execute(
        seed["database_url"], table_sql("SELECT status FROM {} WHERE id = %s", seed["round_table"]), (seed["round_id"],)
    )
    if status != [("closed",)]:
        raise Failed(f"the round is not closed in the database: {status}")


def transition(browser: Browser, page: Response, action: str, *, first: str) -> Response:
    """Press the button of a round's step; with something missing, tick 'Toch …' on the confirm page (other server)."""
    form = form_with(page, action_contains=f"/stap/{action}/")
    response = browser.post(first, form.action, form.data())
    if response.status == 200:  # the confirm page: what is missing, and a checkbox
        confirm = form_with(response, action_contains=f"/stap/{action}/")
        response = browser.post(other(first), confirm.action, confirm.data(bevestigd="1"))
    return check(response, 302)


def throttle_flow(servers: dict[str, int], seed: dict, verbose: bool) -> None:
    limit = seed["max_failures"]
    guesser = Browser("guesser", servers, verbose)
    for attempt in range(1, limit + 1):
        server = "A" if attempt % 2 else "B"
        check(log_in(guesser, server, seed["locked"], WRONG), 200, contains=WRONG_PASSWORD_TEXT)
    log(f"throttle: {limit} wrong passwords refused as wrong, alternating A and B")
    server = "A" if (limit + 1) % 2 else "B"
    check(log_in(guesser, server, seed["locked"], WRONG), 200, contains=LOCKED_TEXT)
    for server in ("A", "B"):
        check(log_in(guesser, server, seed["locked"], PASSWORD), 200, contains=LOCKED_TEXT)
    if "sessionid" in guesser.cookies:
        raise Failed("the locked address got a session")
    log(f"throttle: attempt {limit + 1} is locked, and the right password is refused on A and on B")


def cache_flow(servers: dict[str, int], cache_port: int, verbose: bool) -> None:
    import redis

    token = secrets.token_hex(8)
    conn = http.client.HTTPConnection("127.0.0.1", servers["A"], timeout=10)
    conn.request("PUT", "/__two_servers/cache/shared", body=token.encode(), headers={"Host": HOST})
    stored = conn.getresponse().read().decode()
    conn.close()
    conn = http.client.HTTPConnection("127.0.0.1", servers["B"], timeout=10)
    conn.request("GET", "/__two_servers/cache/shared", headers={"Host": HOST})
    seen = conn.getresponse().read().decode()
    conn.close()
    if verbose:
        log(f"  A: {stored}\n  B: {seen}")
    if not seen.startswith("RedisCache") or not seen.endswith(token):
        raise Failed(f"B does not see what A stored in the cache: A said {stored!r}, B says {seen!r}")
    if stored.split()[1] == seen.split()[1]:
        raise Failed(f"A and B are one process? {stored!r} / {seen!r}")
    keys = [k.decode() for k in redis.Redis(host="127.0.0.1", port=cache_port).keys("*")]
    if not any(k.endswith("two_servers:shared") for k in keys):
        raise Failed(f"the value is not in the private Valkey: keys {keys}")
    log(f"cache: stored through A ({stored.split()[1]}), read through B ({seen.split()[1]}); Valkey holds {keys}")


def guard_check(app_database_url: str) -> None:
    """The app's role cannot switch off the audit log's guard, nor empty the log (README "Audit log")."""
    import psycopg

    for statement in ("ALTER TABLE audit_auditevent DISABLE TRIGGER ALL", "TRUNCATE audit_auditevent"):
        try:
            pg_execute(app_database_url, statement)
        except psycopg.errors.InsufficientPrivilege:
            continue
        raise Failed(f"the servers' database role may run {statement!r}")
    log("database role: the servers' role may not disable the audit log's triggers or truncate it")


# Migrating and seeding (a child process with the production settings) -------------------------------------------------


def prepare() -> None:
    """Migrate the new database and seed it; prints what the flows need as one line of JSON."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)

    from assessments.models import Participant, Round
    from organisations.models import Role
    from tests.factories import make_board, make_member, make_round, make_school, make_user

    board = make_board("Bestuur Twee Servers")
    school = make_school(board, "De Twee Servers")
    organiser = make_user("Olga Organisator", "organisator@twee-servers.test")
    teacher = make_user("Tijn Teamlid", "teamlid@twee-servers.test")
    colleague = make_user("Cato Collega", "collega@twee-servers.test")
    locked = make_user("Lotte Geraden", "geraden@twee-servers.test")
    for user in (organiser, teacher, colleague, locked):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    make_member(school, organiser, Role.SCHOOLLEIDING)
    for user in (teacher, colleague, locked):
        make_member(school, user, Role.TEAMLID)
    round_ = make_round(school, [teacher, colleague], by=organiser, title="Jaarlijkse meting (twee servers)")
    print(
        json.dumps(
            {
                "school_id": school.pk,
                "round_id": round_.pk,
                "layers": len(round_.model.layers),
                "organiser": organiser.email,
                "teacher": teacher.email,
                "teacher_id": teacher.pk,
                "teacher_name": teacher.name,
                "locked": locked.email,
                "max_failures": settings.LOGIN_PASSWORD_MAX_FAILURES,
                "participant_table": Participant._meta.db_table,
                "round_table": Round._meta.db_table,
            }
        )
    )


# Main ----------------------------------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", help="maintenance database URL of the PostgreSQL server (default: DATABASE_URL's)")
    parser.add_argument("--verbose", action="store_true", help="print every request")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)  # the child: migrate and seed
    args = parser.parse_args(argv)
    if args.prepare:
        prepare()
        return 0

    started = time.monotonic()
    # Stopped from outside (a test's timeout, Ctrl+C): still stop the servers and drop the database.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    pg = maintenance_url(args.pg)
    if not pg_reachable(pg):
        log(f"two servers: PostgreSQL is not reachable at {urllib.parse.urlsplit(pg).netloc}")
        return NO_POSTGRESQL
    if cache_server_binary() is None:
        log(
            "two servers: neither valkey-server nor redis-server is installed "
            "(apt-get install -y valkey-server, or redis-server)"
        )
        return NO_CACHE_SERVER

    stack = Stack(pg, args.verbose)
    try:
        stack.start_cache()
        stack.create_database()
        stack.prepare_environment()
        data = stack.prepare()
        data["database_url"] = stack.env["DATABASE_URL"]
        log(f"migrated, static files collected and seeded in {time.monotonic() - started:.1f} s")
        servers = stack.start_servers("A", "B")
        teacher_flow(servers, data, args.verbose)
        organiser_flow(servers, data, args.verbose)
        throttle_flow(servers, data, args.verbose)
        cache_flow(servers, stack.cache_port, args.verbose)
        guard_check(stack.env["DATABASE_URL"])
        for name, proc, _log in stack.procs:
            if proc.poll() is not None:
                raise Failed(f"{name} stopped during the run (exit code {proc.returncode})")
    except (Failed, subprocess.TimeoutExpired) as exc:
        log(f"two servers: FAILED: {exc}\n{stack.tail()}")
        return 1
    finally:
        stack.close()
    log(f"two servers: OK in {time.monotonic() - started:.1f} s (database {stack.db_name} dropped, servers stopped)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
