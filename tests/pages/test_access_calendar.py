"""The access matrix for the calendar feeds (issue 14); see the docstring of tests/test_access.py.

- the trainer's calendar (all their sessions): a trainer (intern or extern) in at least one school gets it; members
  who are a trainer nowhere, the board member and the outsider get a 403 (a role too low: no school object is
  named), anonymous visitors the login page;
- managing one's own subscription in Mijn gegevens: every logged-in person;
- the feed itself (``accounts:calendar_feed``) is public (its secret token is the key): tests/test_access.py PUBLIC,
  with tests/pages/test_calendar_feed.py.
"""

from __future__ import annotations

import pytest

from accounts.models import CalendarFeed
from tests.test_access import LOGIN, Case, check_case

EVERYONE_200 = (200, 200, 200, 200, 200, 200, 200, LOGIN)
TRAINER_200 = (403, 403, 403, 403, 200, 403, 403, LOGIN)


def feeds(c):
    return sorted(CalendarFeed.objects.values_list("user_id", "revoked_at"))


def nothing(c):
    return {}


CASES = [
    Case("trainer-calendar", "organisations:trainer_calendar", nothing, TRAINER_200),
    Case("calendar-feed-manage", "accounts:calendar_feed_manage", nothing, EVERYONE_200),
    Case(
        "calendar-feed-create",
        "accounts:calendar_feed_manage",
        nothing,
        EVERYONE_200,
        method="post",
        data=lambda c: {"actie": "maken"},
        state=feeds,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access(case, cast, request):
    check_case(case, cast, request)
