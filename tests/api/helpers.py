"""What the API tests share: tokens for the cast's two boards and a client call with a bearer token."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client

from api.tokens import do_create_api_token
from organisations.models import Board, BoardMember


@dataclass
class Tokens:
    own: str  # Bestuur Noord (the cast's board: De Regenboog and De Horizon)
    own_row: object
    other: str  # Bestuur Zuid (the outsider's board: De Vreemde)
    other_row: object


def make_tokens(cast) -> Tokens:
    BoardMember.objects.filter(board=cast.board, user=cast.board_member).update(is_beheerder=True)
    own_row, own = do_create_api_token(board=cast.board, name="Dashboard Noord", acting_user=cast.board_member)
    other_board = Board.objects.get(pk=cast.other_school.board_id)
    other_row, other = do_create_api_token(board=other_board, name="Dashboard Zuid", acting_user=cast.outsider)
    return Tokens(own=own, own_row=own_row, other=other, other_row=other_row)


@pytest.fixture
def tokens(cast) -> Tokens:
    cache.clear()  # the rate limit's counters start at zero
    return make_tokens(cast)


def call(url, token=None, *, header=None, **headers):
    """GET ``url`` with ``Authorization: Bearer <token>`` (or the raw ``header``), a client without a session."""
    if header is None and token is not None:
        header = f"Bearer {token}"
    if header is not None:
        headers["Authorization"] = header
    return Client().get(url, headers=headers)
