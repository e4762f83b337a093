"""Access matrix rows for how a school's team logs in (organisations/sso_views.py); see tests/test_access.py.

/scholen/<id>/inloggen/: the schoolleiding only (everyone else in the school and the board member looking on: 403,
another school: 404). /besturen/<id>/inloggen/: the board's beheerder (the row's setup makes the cast's board member
one); a board member without that role 403, everyone else 404.
"""

from __future__ import annotations

import pytest

from organisations.models import Board, BoardMember, School
from tests.test_access import LOGIN, Case, check_case

SCHOOLLEIDING_200 = (200, 403, 403, 403, 403, 403, 404, LOGIN)
SCHOOLLEIDING_302 = (302, 403, 403, 403, 403, 403, 404, LOGIN)
BEHEERDER_200 = (404, 404, 404, 404, 404, 200, 404, LOGIN)
BEHEERDER_302 = (404, 404, 404, 404, 404, 302, 404, LOGIN)
READ_ONLY = (404, 404, 404, 404, 404, 403, 404, LOGIN)


def school(c):
    return {"school_id": c.school.pk}


def board(c):
    return {"board_id": c.board.pk}


def school_settings(c):
    return list(School.objects.filter(pk=c.school.pk).values_list("sso_required", "sso_code_fallback"))


def board_settings(c):
    return list(Board.objects.filter(pk=c.board.pk).values_list("sso_required", flat=True))


def beheerder(c):
    BoardMember.objects.filter(board=c.board, user=c.board_member).update(is_beheerder=True)


def beheerder_of_a_board_that_requires_sso(c):
    beheerder(c)
    Board.objects.filter(pk=c.board.pk).update(sso_required=True)


CASES = [
    Case("school-sso", "organisations:school_sso", school, SCHOOLLEIDING_200),
    Case(
        "school-sso-code-off",
        "organisations:school_sso",
        school,
        SCHOOLLEIDING_302,
        method="post",
        data=lambda c: {},  # both boxes unticked: the code fallback off (single sign-on stays off)
        state=school_settings,
    ),
    Case("board-sso-read-only", "organisations:board_sso", board, READ_ONLY),
    Case("board-sso", "organisations:board_sso", board, BEHEERDER_200, setup=beheerder),
    Case(
        "board-sso-off",
        "organisations:board_sso",
        board,
        BEHEERDER_302,
        method="post",
        data=lambda c: {},
        setup=beheerder_of_a_board_that_requires_sso,
        state=board_settings,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access(case, cast, request):
    check_case(case, cast, request)
