"""The access matrix for a board's training for new staff (issue 14, part 4); see the docstring of tests/test_access.py.

The board's beheerder plans (200/302); the cast's board member is read-only unless a row makes them beheerder
(``make_beheerder``): read-only they get a 403, as a role too low. School members who do not follow the board and
the outsider get a 404, like for a board they do not follow. A session's trainer (the cast's external trainer at
module 1) registers its attendance, nothing else.
"""

from __future__ import annotations

import pytest

from tests.test_access import LOGIN, Case, check_case
from tests.training.board_fixtures import board_training_rows, make_beheerder

BEHEERDER_200 = (404, 404, 404, 404, 404, 200, 404, LOGIN)
BEHEERDER_302 = (404, 404, 404, 404, 404, 302, 404, LOGIN)
READ_ONLY = (404, 404, 404, 404, 404, 403, 404, LOGIN)  # the same page for a board member who is not beheerder
TRAINER_OR_BEHEERDER_200 = (404, 404, 404, 404, 200, 200, 404, LOGIN)
TRAINER_OR_BEHEERDER_302 = (404, 404, 404, 404, 302, 302, 404, LOGIN)
TRAINER_200_READ_ONLY = (404, 404, 404, 404, 200, 403, 404, LOGIN)
F = ("board_training",)


def foreign(c):
    b = c.board_training
    return {
        "training_id": b.other_training.pk,
        "board_group_id": b.other_group.pk,
        "board_session_id": b.other_session.pk,
    }


def kw(**items):
    """kwargs: kw(training_id="training") → the pk of cast.board_training.training."""
    return lambda c: {"board_id": c.board.pk, **{k: getattr(c.board_training, a).pk for k, a in items.items()}}


def row(id, name, kwargs, expect, *, beheerder=True, **extra):
    return Case(
        id, name, kwargs, expect, fixtures=F, foreign=foreign, setup=make_beheerder if beheerder else None, **extra
    )


def post(id, name, kwargs, expect, data, **extra):
    return row(id, name, kwargs, expect, method="post", data=data, state=board_training_rows, **extra)


def training_form(title, version=lambda c: ""):
    return lambda c: {
        "title": title,
        "school_year": "2027",
        "schools": [c.school.pk, c.sister_school.pk],
        "version": version(c),
    }


def session_form(location, version=lambda c: ""):
    return lambda c: {
        "kind": "module3",
        "title": "Module 3",
        "date": "2027-03-16",
        "start_time": "13:30",
        "end_time": "16:30",
        "location": location,
        "group": "",
        "trainers": [c.trainer.pk],
        "version": version(c),
    }


def group_form(name):
    return lambda c: {"name": name, "members": [c.board_training.nina_membership.pk]}


def attendance_form(c):
    b = c.board_training
    ids = dict(b.training.participants.values_list("membership_id", "pk"))
    return {f"p{ids[b.nina_membership.pk]}": "aanwezig", f"p{ids[b.henk_membership.pk]}": "afwezig"}


def version_of(attr):
    return lambda c: str(getattr(c.board_training, attr).version)


CASES = [
    row("board-trainings", "training:board_trainings", kw(), BEHEERDER_200),
    row("board-trainings-read-only", "training:board_trainings", kw(), READ_ONLY, beheerder=False),
    row("board-training-new", "training:board_training_new", kw(), BEHEERDER_200),
    row("board-training-new-read-only", "training:board_training_new", kw(), READ_ONLY, beheerder=False),
    post("board-training-new-post", "training:board_training_new", kw(), BEHEERDER_302, training_form("Instroom")),
    post(
        "board-training-new-post-read-only",
        "training:board_training_new",
        kw(),
        READ_ONLY,
        training_form("Instroom"),
        beheerder=False,
    ),
    row("board-training", "training:board_training", kw(training_id="training"), BEHEERDER_200),
    row("board-training-read-only", "training:board_training", kw(training_id="training"), READ_ONLY, beheerder=False),
    row("board-training-edit", "training:board_training_edit", kw(training_id="training"), BEHEERDER_200),
    post(
        "board-training-edit-post",
        "training:board_training_edit",
        kw(training_id="training"),
        BEHEERDER_302,
        training_form("Andere titel", version_of("training")),
    ),
    post(
        "board-training-edit-post-read-only",
        "training:board_training_edit",
        kw(training_id="training"),
        READ_ONLY,
        training_form("Andere titel", version_of("training")),
        beheerder=False,
    ),
    row("board-group-new", "training:board_group_new", kw(training_id="training"), BEHEERDER_200),
    post(
        "board-group-new-post",
        "training:board_group_new",
        kw(training_id="training"),
        BEHEERDER_302,
        lambda c: {"name": "Groep 2", "members": []},
    ),
    row("board-group-edit", "training:board_group_edit", kw(board_group_id="group"), BEHEERDER_200),
    row(
        "board-group-edit-read-only",
        "training:board_group_edit",
        kw(board_group_id="group"),
        READ_ONLY,
        beheerder=False,
    ),
    post(
        "board-group-edit-post",
        "training:board_group_edit",
        kw(board_group_id="group"),
        BEHEERDER_302,
        group_form("Middaggroep"),
    ),
    row("board-session-new", "training:board_session_new", kw(training_id="training"), BEHEERDER_200),
    post(
        "board-session-new-post",
        "training:board_session_new",
        kw(training_id="training"),
        BEHEERDER_302,
        session_form("Bestuursbureau"),
    ),
    row("board-session-edit", "training:board_session_edit", kw(board_session_id="module2"), BEHEERDER_200),
    post(
        "board-session-edit-post",
        "training:board_session_edit",
        kw(board_session_id="module2"),
        BEHEERDER_302,
        session_form("Aula De Horizon", version_of("module2")),
    ),
    row("board-session-delete", "training:board_session_delete", kw(board_session_id="module2"), BEHEERDER_200),
    post(
        "board-session-delete-post",
        "training:board_session_delete",
        kw(board_session_id="module2"),
        BEHEERDER_302,
        lambda c: {},
    ),
    post(
        "board-session-delete-post-read-only",
        "training:board_session_delete",
        kw(board_session_id="module2"),
        READ_ONLY,
        lambda c: {},
        beheerder=False,
    ),
    #    attendance: the beheerder and the session's trainer (module 1); module 2 has no trainer
    row("board-attendance", "training:board_attendance", kw(board_session_id="module1"), TRAINER_OR_BEHEERDER_200),
    row(
        "board-attendance-read-only",
        "training:board_attendance",
        kw(board_session_id="module1"),
        TRAINER_200_READ_ONLY,
        beheerder=False,
    ),
    row("board-attendance-no-trainer", "training:board_attendance", kw(board_session_id="module2"), BEHEERDER_200),
    post(
        "board-attendance-post",
        "training:board_attendance",
        kw(board_session_id="module1"),
        TRAINER_OR_BEHEERDER_302,
        attendance_form,
    ),
    post(
        "board-attendance-post-read-only",
        "training:board_attendance",
        kw(board_session_id="module1"),
        (404, 404, 404, 404, 302, 403, 404, LOGIN),
        attendance_form,
        beheerder=False,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access(case: Case, cast, request):
    check_case(case, cast, request)
