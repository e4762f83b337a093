"""Finding the team training's plans, sessions, groups and topics, under the access policy (organisations.access)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from organisations.access import (
    BoardAccess,
    SchoolAccess,
    board_access,
    can_manage_board_training,
    follows_board,
    one_or_404,
    parse_id,
    school_object,
)

from .models import (
    BoardTraining,
    BoardTrainingGroup,
    BoardTrainingSession,
    Topic,
    TrainingGroup,
    TrainingPlan,
    TrainingSession,
)


def get_training_plan(access: SchoolAccess, plan_id):
    """A training plan of this school, or 404."""
    return school_object(access, TrainingPlan.objects.select_related("school"), plan_id)


def get_training_session(access: SchoolAccess, session_id):
    """A training session of this school, or 404."""
    sessions = TrainingSession.objects.select_related("plan", "group", "school", "reflection_sent_by")
    return school_object(access, sessions, session_id)


def get_training_group(access: SchoolAccess, group_id):
    """A training group of this school, or 404."""
    return school_object(access, TrainingGroup.objects.select_related("plan"), group_id)


def get_training_topic(access: SchoolAccess, topic_id):
    """A werkmoment topic of this school, or 404."""
    return school_object(access, Topic.objects.select_related("session", "school"), topic_id)


# A board's training for new staff (issue 14): the board's beheerder finds them under the board
# (organisations.access.board_access(..., "can_manage_board_training")); a session's trainers register attendance.


def get_board_training(acc: BoardAccess, training_id) -> BoardTraining:
    """A training for new staff of this board, or 404."""
    return one_or_404(BoardTraining.objects.filter(board=acc.board), training_id)


def get_board_group(acc: BoardAccess, group_id) -> BoardTrainingGroup:
    """A group of a training for new staff of this board, or 404."""
    return one_or_404(BoardTrainingGroup.objects.select_related("training").filter(training__board=acc.board), group_id)


def get_board_session(acc: BoardAccess, session_id) -> BoardTrainingSession:
    """A session of a training for new staff of this board, or 404."""
    sessions = BoardTrainingSession.objects.select_related("training", "group")
    return one_or_404(sessions.filter(training__board=acc.board), session_id)


def get_board_session_to_register(user, board_id, session_id) -> tuple[BoardTrainingSession, bool]:
    """A session whose attendance ``user`` registers, and whether they plan the board's training (else they are one
    of its trainers). Someone who follows the board without planning gets a 403; anyone else a 404."""
    board_id, session_id = parse_id(board_id), parse_id(session_id)
    session = (
        BoardTrainingSession.objects.select_related("training", "training__board", "group")
        .filter(pk=session_id, training__board_id=board_id)
        .first()
    )
    if session is not None and can_manage_board_training(user, session.training.board):
        return session, True
    if session is not None and session.trainers.filter(pk=user.pk).exists():
        return session, False
    if follows_board(user, board_id):
        if session is None and board_access(user, board_id).can_manage_board_training:
            raise Http404
        raise PermissionDenied
    raise Http404
