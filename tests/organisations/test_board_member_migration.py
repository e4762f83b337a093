"""Migration organisations 0004 (issue 14): Board.members keeps its table and its rows; everyone who followed a
board before stays a read-only member (is_beheerder false); back and forth works."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("organisations", "0003_school_benchmark_opt_in")]


@pytest.mark.django_db(transaction=True)
def test_existing_board_members_stay_read_only_members():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User, Board = old.get_model("accounts", "User"), old.get_model("organisations", "Board")
    user = User.objects.create(email="bea@bestuur.test", name="Bea")
    board = Board.objects.create(name="Stichting Oud")
    board.members.add(user)

    executor = MigrationExecutor(connection)
    executor.migrate(leaves)
    new = executor.loader.project_state(leaves).apps
    BoardMember = new.get_model("organisations", "BoardMember")
    assert list(BoardMember.objects.values_list("board_id", "user_id", "is_beheerder")) == [(board.pk, user.pk, False)]
