"""Fixtures for a board's training for new staff (issue 14, part 4).

Bestuur Noord plans "Nieuwe medewerkers" for De Regenboog and De Horizon: Nina Nieuw (De Regenboog, came in after
the team training started) and Henk Nieuw (De Horizon) are in Groep 1; module 1 is past (trainer: the cast's
external trainer), module 2 is in the future. Bestuur Zuid has a training of its own for De Vreemde (the foreign
ids of the access matrix). The cast's board member is read-only; ``make_beheerder`` makes them the board's
beheerder.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from organisations.models import Board, Membership, Role
from tests.factories import make_member, make_user
from training import board_services as services
from training.models import (
    BoardAttendance,
    BoardTraining,
    BoardTrainingGroup,
    BoardTrainingParticipant,
    BoardTrainingSession,
)


@dataclass
class BoardTrainingFixture:
    training: object
    group: object
    module1: object  # past, trainer: cast.trainer
    module2: object  # future
    nina: object  # user, De Regenboog
    henk: object  # user, De Horizon
    nina_membership: object
    henk_membership: object
    other_training: object  # Bestuur Zuid
    other_group: object
    other_session: object
    other_membership: object  # the outsider at De Vreemde


def make_beheerder(c, user=None) -> None:
    """The cast's board member (or ``user``) becomes beheerder of Bestuur Noord."""
    Board.members.through.objects.filter(board=c.board, user=user or c.board_member).update(is_beheerder=True)


def make_board_training(cast) -> BoardTrainingFixture:
    by = cast.board_member
    nina = make_user("Nina Nieuw", "nina@regenboog.test")
    henk = make_user("Henk Nieuw", "henk@horizon.test")
    nina_m = make_member(cast.school, nina, Role.TEAMLID)
    henk_m = make_member(cast.sister_school, henk, Role.TEAMLID)
    training = services.do_create_board_training(
        board=cast.board,
        title="Nieuwe medewerkers",
        school_year=2026,
        schools=[cast.school, cast.sister_school],
        acting_user=by,
    )
    group = training.groups.get()
    services.do_save_board_group(
        training=training, group=group, name="Groep 1", memberships=[nina_m, henk_m], acting_user=by
    )
    module1 = services.do_create_board_session(
        training=training,
        kind="module1",
        title="Module 1",
        date=datetime.date(2026, 11, 24),
        start_time=datetime.time(13, 30),
        end_time=datetime.time(16, 30),
        location="Bestuursbureau",
        group=None,
        trainers=[cast.trainer],
        acting_user=by,
    )
    module2 = services.do_create_board_session(
        training=training,
        kind="module2",
        title="Module 2",
        date=datetime.date(2027, 2, 9),
        start_time=None,
        end_time=None,
        location="",
        group=group,
        acting_user=by,
    )
    o = cast.outsider
    other_training = services.do_create_board_training(
        board=cast.other_school.board,
        title="Vreemde training",
        school_year=2026,
        schools=[cast.other_school],
        acting_user=o,
    )
    other_group = other_training.groups.get()
    other_m = Membership.objects.get(school=cast.other_school, user=o)
    services.do_save_board_group(
        training=other_training, group=other_group, name="Vreemd", memberships=[other_m], acting_user=o
    )
    other_session = services.do_create_board_session(
        training=other_training,
        kind="module1",
        title="Vreemde module",
        date=datetime.date(2026, 11, 3),
        start_time=None,
        end_time=None,
        location="",
        group=None,
        acting_user=o,
    )
    return BoardTrainingFixture(
        training,
        group,
        module1,
        module2,
        nina,
        henk,
        nina_m,
        henk_m,
        other_training,
        other_group,
        other_session,
        other_m,
    )


@pytest.fixture
def board_training(cast) -> BoardTrainingFixture:
    return make_board_training(cast)


def board_training_rows(c=None):
    """Everything of every board's training for new staff a POST could change."""
    return (
        sorted(BoardTraining.objects.values_list("pk", "title", "school_year", "version")),
        sorted(BoardTraining.schools.through.objects.values_list("boardtraining_id", "school_id")),
        sorted(BoardTrainingGroup.objects.values_list("pk", "training_id", "name")),
        sorted(BoardTrainingParticipant.objects.values_list("training_id", "group_id", "membership_id")),
        sorted(
            BoardTrainingSession.objects.values_list(
                "pk", "kind", "title", "date", "start_time", "end_time", "location", "group_id", "version"
            )
        ),
        sorted(BoardTrainingSession.trainers.through.objects.values_list("boardtrainingsession_id", "user_id")),
        sorted(BoardAttendance.objects.values_list("session_id", "participant_id", "status")),
    )


__all__ = ["BoardTrainingFixture", "board_training", "board_training_rows", "make_beheerder", "make_board_training"]
