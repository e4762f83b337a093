"""The access matrix for Mijn gegevens → E-mails die je krijgt (notifications/views.py); see tests/test_access.py.

Everyone who is logged in chooses their own mails (no id in the URL, so nothing of anyone else to reach)."""

from __future__ import annotations

import pytest

from notifications.models import NotificationPreference
from tests.test_access import LOGIN, Case, check_case

ALL_200 = (200, 200, 200, 200, 200, 200, 200, LOGIN)
ALL_302 = (302, 302, 302, 302, 302, 302, 302, LOGIN)


def no_kwargs(c):
    return {}


def preferences(c):
    return sorted(NotificationPreference.objects.values_list("user_id", "kind", "enabled"))


CASES = [
    Case("notification-preferences", "notifications:preferences", no_kwargs, ALL_200),
    Case(
        "notification-preferences-post",
        "notifications:preferences",
        no_kwargs,
        ALL_302,
        method="post",
        data=lambda c: {"enabled": ["round_opened", "meeting"]},
        state=preferences,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access(case, cast, request):
    check_case(case, cast, request)
