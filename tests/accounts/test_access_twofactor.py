"""The access matrix for the second factor (accounts/twofactor_views.py); see the docstring of tests/test_access.py.

Everyone who is logged in manages their own second factor only (there is no id in these URLs). The cast has no
authenticator app, so the code page just sends them on; in the rows with ``with_apps`` every cast member has an
app (the same test secret) but has not entered a code yet: the set-up page then sends them to the code page, and
posting a current code passes the second step.
"""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator

from tests.conftest import CAST_NAMES
from tests.test_access import LOGIN, Case, check_case
from tests.twofactor_helpers import KEY, code_for, make_device, signed

ALL_200 = (200, 200, 200, 200, 200, 200, 200, LOGIN)
ALL_302 = (302, 302, 302, 302, 302, 302, 302, LOGIN)


def no_kwargs(c):
    return {}


def devices(c):
    """Who has which authenticator, when last used, and the time step of the last app code (a code works once)."""
    from accounts.models import SecondFactorThrottle

    rows = sorted(Authenticator.objects.values_list("user_id", "type", "last_used_at"))
    return rows, sorted(SecondFactorThrottle.objects.values_list("user_id", "last_totp_step"))


def with_apps(c):
    for name in CAST_NAMES:
        make_device(c.user(name))


CASES = [
    Case("twofactor", "accounts:twofactor", no_kwargs, ALL_200),
    Case(
        "twofactor-enable",
        "accounts:twofactor",
        no_kwargs,
        ALL_200,  # the page with the recovery codes
        method="post",
        data=lambda c: {"form": "aanzetten", "key": signed(KEY), "code": code_for(KEY)},
        state=devices,
    ),
    Case("twofactor-with-app-unverified", "accounts:twofactor", no_kwargs, ALL_302, setup=with_apps),
    Case("twofactor-verify", "accounts:twofactor_verify", no_kwargs, ALL_302),  # no app: nothing to verify
    Case("twofactor-verify-with-app", "accounts:twofactor_verify", no_kwargs, ALL_200, setup=with_apps),
    Case(
        "twofactor-verify-post",
        "accounts:twofactor_verify",
        no_kwargs,
        ALL_302,
        method="post",
        data=lambda c: {"code": code_for(KEY)},
        setup=with_apps,
        state=devices,  # last_totp_step moves on: the code cannot be used twice
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access(case, cast, request):
    check_case(case, cast, request)
