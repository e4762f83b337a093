"""Back-up and restore of the database of DATABASE_URL (`make backup`, `make restore FILE=...`; README "Back-ups").

    python scripts/backup.py dump [--output FILE]      # default: backups/groeiwijzer-<database>-<UTC time>.<ext>
    python scripts/backup.py restore FILE [--yes]      # replaces everything in the database; asks first

PostgreSQL: `pg_dump --format=custom` (compressed, restorable table by table) and `pg_restore --clean --if-exists
--no-owner` in one transaction, stopping at the first error (a restore that fails changes nothing). The client tools
must be of the server's major version or newer (Debian: postgresql-client-15 for a server 15). Restore as the role
that owns the tables (the one that runs the migrations): the privileges in the dump (e.g. those of the app's own
role) come back with them.
SQLite (development): a consistent copy through SQLite's online backup, the same as `sqlite3 db.sqlite3 ".backup
FILE"`; restore copies it back over the database.

The connection comes from DATABASE_URL as in groeiwijzer/settings.py (default: db.sqlite3 beside manage.py); a
password goes to pg_dump through the environment, never on its command line. Back-up files hold everyone's data:
they are created readable by their owner only (mode 600) and belong on encrypted storage.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import dj_database_url

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = f"sqlite:///{ROOT / 'db.sqlite3'}"
POSTGRES = "django.db.backends.postgresql"
SQLITE = "django.db.backends.sqlite3"
PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"
# OPTIONS of a DATABASE_URL (e.g. ?sslmode=require) that libpq also reads from the environment.
PG_OPTION_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
}


class BackupError(Exception):
    """A reason to stop, said in one line (exit status 1)."""


def database(url: str | None = None) -> dict:
    config = dj_database_url.parse(url or os.environ.get("DATABASE_URL") or DEFAULT_URL)
    if config["ENGINE"] not in (POSTGRES, SQLITE):
        raise BackupError(f"Back-ups support PostgreSQL and SQLite, not {config['ENGINE']}.")
    return config


def describe(db: dict) -> str:
    if db["ENGINE"] == SQLITE:
        return f"SQLite database {db['NAME']}"
    return f"PostgreSQL database {db['NAME']!r} on {db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"


def pg_environment(db: dict) -> dict[str, str]:
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[name] = str(db[key])
    env["PGDATABASE"] = db["NAME"]
    for option, name in PG_OPTION_ENV.items():
        if db.get("OPTIONS", {}).get(option) is not None:
            env[name] = str(db["OPTIONS"][option])
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} not found: install the PostgreSQL client tools (Debian: postgresql-client).")
    return path


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, check=False)  # noqa: S603 (our own fixed arguments)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} stopped with exit status {done.returncode} (see above).")


def default_output(db: dict) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    name = Path(db["NAME"]).stem if db["ENGINE"] == SQLITE else db["NAME"]
    return ROOT / "backups" / f"groeiwijzer-{name}-{stamp}.{'sqlite3' if db['ENGINE'] == SQLITE else 'dump'}"


def dump(db: dict, output: Path | None = None) -> Path:
    """Write a back-up of `db` to `output` (created with mode 600; a partial file is never left under that name)."""
    output = Path(output) if output else default_output(db)
    if output.exists():
        raise BackupError(f"{output} exists already; choose another file.")
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    old_umask = os.umask(0o077)
    try:
        if db["ENGINE"] == POSTGRES:
            _run([_tool("pg_dump"), "--format=custom", f"--file={partial}", db["NAME"]], pg_environment(db))
        else:
            source_path = Path(db["NAME"])
            if not source_path.is_file():
                raise BackupError(f"{source_path} does not exist.")
            with sqlite3.connect(f"file:{source_path}?mode=ro", uri=True) as source, sqlite3.connect(partial) as copy:
                source.backup(copy)
            copy.close()
            source.close()
        partial.replace(output)
    finally:
        os.umask(old_umask)
        partial.unlink(missing_ok=True)
    return output


def _check_file(db: dict, file: Path) -> None:
    if not file.is_file():
        raise BackupError(f"{file} does not exist.")
    with file.open("rb") as f:
        head = f.read(16)
    expected = PG_MAGIC if db["ENGINE"] == POSTGRES else SQLITE_MAGIC
    if not head.startswith(expected):
        kind = "a pg_dump custom-format file" if db["ENGINE"] == POSTGRES else "an SQLite database"
        raise BackupError(f"{file} is not {kind}: it cannot be restored into the {describe(db)}.")


def confirmed(db: dict, file: Path, *, ask=input) -> bool:
    if not sys.stdin.isatty() and ask is input:
        raise BackupError("Not asking without a terminal: add --yes (make restore FILE=... YES=1) to restore.")
    print(f"Restore {file} into the {describe(db)}?")
    print("Everything in that database is replaced by the back-up.")
    name = Path(db["NAME"]).name if db["ENGINE"] == SQLITE else db["NAME"]
    return ask(f"Type {name!r} to go on: ").strip() == name


def restore(db: dict, file: Path) -> None:
    """Replace the contents of `db` with the back-up in `file` (no questions: see `confirmed`)."""
    file = Path(file)
    _check_file(db, file)
    if db["ENGINE"] == POSTGRES:
        command = [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={db['NAME']}",
            str(file),
        ]
        _run(command, pg_environment(db))
    else:
        with sqlite3.connect(f"file:{file}?mode=ro", uri=True) as source, sqlite3.connect(db["NAME"]) as target:
            source.backup(target)
        target.close()
        source.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    dump_parser = commands.add_parser("dump", help="write a back-up of the database of DATABASE_URL")
    dump_parser.add_argument("--output", type=Path, help="the file to write (default: backups/...)")
    restore_parser = commands.add_parser("restore", help="replace the database of DATABASE_URL by a back-up")
    restore_parser.add_argument("file", nargs="?", type=Path, help="the back-up to restore")
    restore_parser.add_argument("--yes", action="store_true", help="do not ask before replacing the database")
    args = parser.parse_args(argv)
    try:
        db = database()
        if args.command == "dump":
            output = dump(db, args.output)
            print(f"Back-up of the {describe(db)} written to {output} ({output.stat().st_size:,} bytes).")
            return 0
        if args.file is None:
            raise BackupError("Say which back-up to restore: scripts/backup.py restore FILE (make restore FILE=...).")
        _check_file(db, args.file)
        if not args.yes and not confirmed(db, args.file):
            print("Nothing restored.")
            return 1
        restore(db, args.file)
        print(f"Restored {args.file} into the {describe(db)}.")
        return 0
    except BackupError as error:
        print(f"backup.py: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
