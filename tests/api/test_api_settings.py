"""The API's rate limit from the environment (groeiwijzer/settings.py): API_RATE_LIMIT calls per API_RATE_WINDOW
seconds, whole numbers in range; anything else refuses to start with the variable's name, never a limit of 0 or a
crash at the first call."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from api.auth import rate_limit, rate_window

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PRINT_LIMITS = (
    "import django; from django.conf import settings; django.setup(); "
    "print(settings.API_RATE_LIMIT, settings.API_RATE_WINDOW)"
)


def start(**env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ("API_RATE_LIMIT", "API_RATE_WINDOW")}
    environ.update(DJANGO_SETTINGS_MODULE="groeiwijzer.settings", DATABASE_URL="sqlite:///:memory:", **env)
    return subprocess.run(  # noqa: S603 (our own interpreter and settings)
        [sys.executable, "-c", PRINT_LIMITS], cwd=BASE_DIR, env=environ, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "120 60"),
        ({"API_RATE_LIMIT": "600", "API_RATE_WINDOW": "300"}, "600 300"),
        ({"API_RATE_LIMIT": " 30 ", "API_RATE_WINDOW": ""}, "30 60"),  # empty: the default, as compose passes it
    ],
)
def test_the_rate_limit_comes_from_the_environment(env, expected):
    done = start(**env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == expected


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"API_RATE_LIMIT": "lots"}, "API_RATE_LIMIT must be a whole number, not 'lots'."),
        ({"API_RATE_LIMIT": "0"}, "API_RATE_LIMIT must be between 1 and 1000000, not 0."),
        ({"API_RATE_WINDOW": "1.5"}, "API_RATE_WINDOW must be a whole number, not '1.5'."),
        ({"API_RATE_WINDOW": "-60"}, "API_RATE_WINDOW must be between 1 and 86400, not -60."),
    ],
)
def test_a_wrong_rate_limit_refuses_to_start(env, message):
    done = start(**env)
    assert done.returncode != 0
    assert f"ImproperlyConfigured: {message}" in done.stderr, done.stderr


def test_the_api_reads_the_settings(settings):
    settings.API_RATE_LIMIT, settings.API_RATE_WINDOW = 7, 30
    assert (rate_limit(), rate_window()) == (7, 30)
