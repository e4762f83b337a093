"""Access matrix rows for the board's API token page (issue 16); see the docstring of tests/test_access.py.

/besturen/<id>/api-sleutels/…: the board's beheerder only. The cast's board member follows Bestuur Noord read-only:
403; with ``beheerder`` (the row's setup) the same person is its beheerder: 200/302. Everyone in the schools and the
outsider: 404, as for a board they do not follow; another board (the outsider's) and another board's token: 404 for
the beheerder too (tampering). The API's endpoints themselves have their own matrix: tests/api/test_api_access.py.
"""

from __future__ import annotations

import pytest

from api.models import ApiToken
from api.tokens import do_create_api_token
from organisations.models import Board, BoardMember
from tests.test_access import LOGIN, Case, check_case

READ_ONLY = (404, 404, 404, 404, 404, 403, 404, LOGIN)
BEHEERDER_200 = (404, 404, 404, 404, 404, 200, 404, LOGIN)
BEHEERDER_302 = (404, 404, 404, 404, 404, 302, 404, LOGIN)

POST_ONLY = {"api:token_revoke"}


def beheerder(c):
    BoardMember.objects.filter(board=c.board, user=c.board_member).update(is_beheerder=True)


def with_token(c):
    c.api_token, _token = do_create_api_token(board=c.board, name="Dashboard", acting_user=c.board_member)


def beheerder_with_token(c):
    beheerder(c)
    with_token(c)


def foreign_token(c):
    other_board = Board.objects.get(pk=c.other_school.board_id)
    row, _token = do_create_api_token(board=other_board, name="Zuid", acting_user=c.outsider)
    return {"token_id": row.pk}


def board(c):
    return {"board_id": c.board.pk}


def token(c):
    return {"board_id": c.board.pk, "token_id": c.api_token.pk}


def tokens_state(c):
    return sorted(ApiToken.objects.values_list("pk", "board_id", "name", "revoked_at"))


NEW_TOKEN = {"name": "Kwaliteitsdashboard", "expires_on": ""}

CASES = [
    Case("api-tokens", "api:tokens", board, READ_ONLY),
    Case("api-tokens-beheerder", "api:tokens", board, BEHEERDER_200, setup=beheerder),
    Case(
        "api-tokens-post",
        "api:tokens",
        board,
        READ_ONLY,
        method="post",
        data=lambda c: NEW_TOKEN,
        state=tokens_state,
    ),
    Case(
        "api-tokens-post-beheerder",
        "api:tokens",
        board,
        BEHEERDER_200,
        method="post",
        data=lambda c: NEW_TOKEN,
        setup=beheerder,
        state=tokens_state,
    ),
    Case(
        "api-token-revoke",
        "api:token_revoke",
        token,
        READ_ONLY,
        method="post",
        setup=with_token,
        state=tokens_state,
        foreign=foreign_token,
    ),
    Case(
        "api-token-revoke-beheerder",
        "api:token_revoke",
        token,
        BEHEERDER_302,
        method="post",
        setup=beheerder_with_token,
        state=tokens_state,
        foreign=foreign_token,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access(case: Case, cast, request):
    check_case(case, cast, request, POST_ONLY)
