"""Access matrix rows for the log pages (audit app); see the docstring of tests/test_access.py.

The school's log: schoolleiding only (kartrekkers and everyone else in the school 403, the board 403, another
school 404). The board's log: members of that board only (404 for anyone else, also for another board).
"""

from __future__ import annotations

import pytest

from audit.models import record
from tests.test_access import LOGIN, Case, check_case

SCHOOLLEIDING_200 = (200, 403, 403, 403, 403, 403, 404, LOGIN)
BOARD_200 = (404, 404, 404, 404, 404, 200, 404, LOGIN)


def some_events(c):
    record(action="round.created", acting_user=c.kartrekker, school=c.school, target=c.open_round)
    record(action="school.deleted", acting_user=c.board_member, board=c.board, data={"school": "De Oude"})


CASES = [
    Case(
        "audit-school-log",
        "audit:school_log",
        lambda c: {"school_id": c.school.pk},
        SCHOOLLEIDING_200,
        setup=some_events,
    ),
    Case("audit-board-log", "audit:board_log", lambda c: {"board_id": c.board.pk}, BOARD_200, setup=some_events),
    Case(
        "audit-board-log-other-board",
        "audit:board_log",
        lambda c: {"board_id": c.other_school.board_id},
        (404, 404, 404, 404, 404, 404, 404, LOGIN),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access(case: Case, cast, request):
    check_case(case, cast, request)
