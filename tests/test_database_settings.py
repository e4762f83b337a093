"""PostgreSQL binds parameters on the server and prepares repeated queries (groeiwijzer/settings.py, issue 15), unless
DATABASE_SERVER_SIDE_BINDING=0 (a pooler that cannot keep prepared statements); SQLite is left as it is."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
PRINT_OPTIONS = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
)


def options(database_url: str, **env) -> dict:
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_SERVER_SIDE_BINDING"}
    environ.update(DJANGO_SETTINGS_MODULE="groeiwijzer.settings", DATABASE_URL=database_url, **env)
    done = subprocess.run(  # noqa: S603 (our own interpreter and settings)
        [sys.executable, "-c", PRINT_OPTIONS], cwd=BASE_DIR, env=environ, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


PG = "postgres://postgres@127.0.0.1:5432/groeiwijzer_settings_check"


@pytest.mark.parametrize(
    ("url", "env", "expected"),
    [
        (PG, {}, {"server_side_binding": True, "prepare_threshold": 2}),
        (PG, {"DATABASE_SERVER_SIDE_BINDING": "0"}, {}),
        ("sqlite:///:memory:", {}, {}),
    ],
)
def test_server_side_binding_on_postgresql_only_and_switchable(url, env, expected):
    got = options(url, **env)
    assert {k: got[k] for k in ("server_side_binding", "prepare_threshold") if k in got} == expected
