"""Back-ups (scripts/backup.py, `make backup` / `make restore`): a dump restored into a fresh database gives the same
exports — the round's Word and Excel and the plan's Excel — as the database it came from.

On PostgreSQL with pg_dump/pg_restore (the CI's client 15 against server 15) into a new database of its own, dropped
afterwards; on SQLite (the test database lives in memory) through a file copy of it and SQLite's online backup.
The test builds a school with a closed round and an action plan (the cast and its plan, tests/conftest.py) and an
audit row older than the append-only guard lets anyone insert (a real back-up holds such rows).
"""

from __future__ import annotations

import datetime
import importlib.util
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone

from audit.models import AuditEvent

from .backup_exports import export_contents

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "backup.py"
TODAY = datetime.date(2027, 1, 20)
COUNTED = ["audit_auditevent", "assessments_answer", "assessments_consensusitem", "actionplans_action"]
POSTGRES = connection.vendor == "postgresql"


def run_script(*args: str, url: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": ""}
    return subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        [sys.executable, str(SCRIPT), *args], env=env, input=stdin, capture_output=True, text=True, timeout=300
    )


def contents_in(url: str, round_id: int, school_id: int) -> dict:
    """The exports as the app makes them from the database at `url` (another process, with that DATABASE_URL)."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "groeiwijzer.settings"}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tests.backup_exports", str(round_id), str(school_id), TODAY.isoformat()],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def pg_url(name: str) -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="") + (":" + quote(s["PASSWORD"], safe="") if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{quote(name, safe='')}"


def counts(url: str) -> dict[str, int]:
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            return {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in COUNTED}  # noqa: S608
    import psycopg

    with psycopg.connect(url) as db:
        return {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in COUNTED}  # noqa: S608


@pytest.fixture
def databases(tmp_path):
    """(a function giving the URL of a database with the data of the test so far, a function that makes a fresh
    empty database and gives its URL). PostgreSQL: the test database itself, fresh ones dropped afterwards; SQLite:
    a file copy of the in-memory test database, fresh files in tmp_path."""
    made: list[str] = []
    if POSTGRES:
        if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
            pytest.fail("pg_dump/pg_restore not found: install the PostgreSQL client of the server's version")

        def fresh() -> str:
            name = f"gw_restore_{uuid.uuid4().hex[:12]}"
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
            made.append(name)
            return pg_url(name)

        yield (lambda: pg_url(connection.settings_dict["NAME"])), fresh
        with connection.cursor() as cursor:
            for name in made:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:

        def source() -> str:
            live = tmp_path / f"live-{uuid.uuid4().hex[:8]}.sqlite3"
            connection.ensure_connection()
            copy = sqlite3.connect(live)
            connection.connection.backup(copy)
            copy.close()
            return f"sqlite:///{live}"

        def fresh() -> str:
            return f"sqlite:///{tmp_path / f'restored-{uuid.uuid4().hex[:8]}.sqlite3'}"

        yield source, fresh


def add_old_audit_row(school) -> AuditEvent:
    """An audit row of a year ago: the append-only guard (PostgreSQL) refuses to insert it now, so it goes in with
    the triggers off for this one statement, as if it had been written a year ago."""
    created = timezone.now() - datetime.timedelta(days=400)
    if not POSTGRES:
        return AuditEvent.objects.create(action="round.created", school=school, created_at=created)
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            event = AuditEvent.objects.create(action="round.created", school=school, created_at=created)
        finally:
            cursor.execute("SET session_replication_role = origin")
    return event


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_gives_the_same_exports(cast, plan, databases, tmp_path):
    source_of, fresh = databases
    old = add_old_audit_row(cast.school)
    source = source_of()
    before = export_contents(cast.closed_round.pk, cast.school.pk, TODAY)
    assert any("Afgesloten ronde" in line for line in before["round.docx"])
    assert any("Rustruimte inrichten" in str(row) for rows in before["plan.xlsx"].values() for row in rows)
    counted = counts(source)
    assert counted["audit_auditevent"] > 1 and counted["assessments_answer"] > 0 and counted["actionplans_action"] > 0

    backup = tmp_path / "backups" / "groeiwijzer.dump"
    done = run_script("dump", "--output", str(backup), url=source)
    assert done.returncode == 0, done.stderr
    assert backup.is_file() and "written to" in done.stdout
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600  # everyone's data: for its owner only
    assert not list(backup.parent.glob("*.partial"))

    target = fresh()
    for _ in range(2):  # into the empty database, then again over what is there now (--clean)
        done = run_script("restore", str(backup), "--yes", url=target)
        assert done.returncode == 0, done.stderr
        assert "Restored" in done.stdout

    assert counts(target) == counted
    assert contents_in(target, cast.closed_round.pk, cast.school.pk) == json.loads(json.dumps(before))
    if POSTGRES:
        import psycopg

        with psycopg.connect(target) as db:
            row = db.execute("SELECT created_at FROM audit_auditevent WHERE id = %s", [old.pk]).fetchone()
            assert row is not None and row[0] == old.created_at
            # The guard came back with the restore: the restored log is append-only again.
            with pytest.raises(psycopg.Error, match="append-only"):
                db.execute("DELETE FROM audit_auditevent WHERE id = %s", [old.pk])


# The script's refusals (no database needed) --------------------------------------------------------------------


def load_script():
    spec = importlib.util.spec_from_file_location("backup_script", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_restore_needs_a_file(tmp_path):
    done = run_script("restore", url=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert done.returncode == 1 and "Say which back-up to restore" in done.stderr


def test_restore_asks_first_and_refuses_without_a_terminal(tmp_path):
    target = tmp_path / "db.sqlite3"
    with sqlite3.connect(target) as db:
        db.execute("CREATE TABLE t (x)")
        db.execute("INSERT INTO t VALUES (1)")
    db.close()
    backup = tmp_path / "backup.sqlite3"
    with sqlite3.connect(backup) as db:
        db.execute("CREATE TABLE other (y)")
    db.close()
    done = run_script("restore", str(backup), url=f"sqlite:///{target}", stdin="db.sqlite3\n")
    assert done.returncode == 1 and "add --yes" in done.stderr
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT x FROM t").fetchall() == [(1,)]  # untouched
    db.close()

    script = load_script()
    db_config = script.database(f"sqlite:///{target}")
    assert script.confirmed(db_config, backup, ask=lambda prompt: "ja") is False
    assert script.confirmed(db_config, backup, ask=lambda prompt: "db.sqlite3") is True


def test_restore_refuses_a_file_of_another_kind(tmp_path):
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("geen back-up")
    done = run_script("restore", str(not_a_backup), "--yes", url=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert done.returncode == 1 and "is not an SQLite database" in done.stderr
    done = run_script("restore", str(tmp_path / "missing.dump"), "--yes", url="postgres://u@127.0.0.1:1/x")
    assert done.returncode == 1 and "does not exist" in done.stderr


def test_dump_never_overwrites(tmp_path):
    source = tmp_path / "db.sqlite3"
    with sqlite3.connect(source) as db:
        db.execute("CREATE TABLE t (x)")
    db.close()
    existing = tmp_path / "backup.sqlite3"
    existing.write_text("older back-up")
    done = run_script("dump", "--output", str(existing), url=f"sqlite:///{source}")
    assert done.returncode == 1 and "exists already" in done.stderr
    assert existing.read_text() == "older back-up"


def test_the_password_goes_through_the_environment():
    script = load_script()
    env = script.pg_environment(script.database("postgres://app:geheim%21@db.example:6432/groeiwijzer?sslmode=require"))
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGPASSWORD"]) == ("db.example", "6432", "app", "geheim!")
    assert env["PGDATABASE"] == "groeiwijzer" and env["PGSSLMODE"] == "require"
