"""Access matrix rows for a board's school management (issue 14); see the docstring of tests/test_access.py.

/besturen/<id>/scholen/…: the board's beheerder only. The cast's board member follows Bestuur Noord read-only: 403;
with ``beheerder`` (the row's setup) the same person is the board's beheerder: 200/302. Everyone in the schools
(schoolleider, kartrekker, … of De Regenboog, which is in that board) and the outsider: 404, as for a board they do
not follow; another board (the outsider's) and another board's school: 404 for the beheerder too (tampering).
"""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from organisations.models import BoardMember, EducationType, Invitation, School
from tests.factories import make_school
from tests.test_access import LOGIN, Case, check_case

READ_ONLY = (404, 404, 404, 404, 404, 403, 404, LOGIN)
BEHEERDER_200 = (404, 404, 404, 404, 404, 200, 404, LOGIN)
BEHEERDER_302 = (404, 404, 404, 404, 404, 302, 404, LOGIN)


def beheerder(c):
    BoardMember.objects.filter(board=c.board, user=c.board_member).update(is_beheerder=True)


def with_new_school(c):
    """A school of the board without a schoolleiding (for the invitation)."""
    c.new_school = make_school(c.board, "De Nieuwe Start")


def beheerder_with_new_school(c):
    beheerder(c)
    with_new_school(c)


def board(c):
    return {"board_id": c.board.pk}


def sister(c):
    return {"board_id": c.board.pk, "school_id": c.sister_school.pk}


def new_school(c):
    return {"board_id": c.board.pk, "school_id": c.new_school.pk}


def schools_state(c):
    return sorted(School.objects.values_list("pk", "board_id", "name", "education_type", "cluster", "brin"))


def invitations_state(c):
    return sorted(Invitation.objects.values_list("school_id", "email"))


SCHOOL_FORM = {"name": "De Nieuwe Brug", "education_type": EducationType.SO, "cluster": "4", "brin": "12AB"}

CASES = [
    Case("board-schools", "organisations:board_schools", board, READ_ONLY),
    Case("board-schools-beheerder", "organisations:board_schools", board, BEHEERDER_200, setup=beheerder),
    Case("board-school-new", "organisations:board_school_new", board, READ_ONLY),
    Case("board-school-new-beheerder", "organisations:board_school_new", board, BEHEERDER_200, setup=beheerder),
    Case(
        "board-school-new-post",
        "organisations:board_school_new",
        board,
        READ_ONLY,
        method="post",
        data=lambda c: SCHOOL_FORM,
        state=schools_state,
    ),
    Case(
        "board-school-new-post-beheerder",
        "organisations:board_school_new",
        board,
        BEHEERDER_302,
        method="post",
        data=lambda c: SCHOOL_FORM,
        setup=beheerder,
        state=schools_state,
    ),
    Case("board-school-edit", "organisations:board_school_edit", sister, READ_ONLY),
    Case("board-school-edit-beheerder", "organisations:board_school_edit", sister, BEHEERDER_200, setup=beheerder),
    Case(
        "board-school-edit-post",
        "organisations:board_school_edit",
        sister,
        READ_ONLY,
        method="post",
        data=lambda c: {"name": "De Horizon (nieuw)", "education_type": EducationType.SBO},
        state=schools_state,
    ),
    Case(
        "board-school-edit-post-beheerder",
        "organisations:board_school_edit",
        sister,
        BEHEERDER_302,
        method="post",
        data=lambda c: {"name": "De Horizon (nieuw)", "education_type": EducationType.SBO},
        setup=beheerder,
        state=schools_state,
    ),
    Case("board-school-invite", "organisations:board_school_invite", new_school, READ_ONLY, setup=with_new_school),
    Case(
        "board-school-invite-beheerder",
        "organisations:board_school_invite",
        new_school,
        BEHEERDER_200,
        setup=beheerder_with_new_school,
    ),
    Case(
        "board-school-invite-post",
        "organisations:board_school_invite",
        new_school,
        READ_ONLY,
        method="post",
        data=lambda c: {"emails": "directeur@nieuwestart.test"},
        setup=with_new_school,
        state=invitations_state,
    ),
    Case(
        "board-school-invite-post-beheerder",
        "organisations:board_school_invite",
        new_school,
        BEHEERDER_302,
        method="post",
        data=lambda c: {"emails": "directeur@nieuwestart.test"},
        setup=beheerder_with_new_school,
        state=invitations_state,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access(case: Case, cast, request):
    check_case(case, cast, request)


def test_the_board_page_links_to_management_for_the_beheerder_only(cast, login):
    from django.urls import reverse

    url = reverse("organisations:board", args=[cast.board.pk])
    manage = reverse("organisations:board_schools", args=[cast.board.pk])
    assert manage not in login(cast.board_member).get(url).content.decode()
    beheerder(cast)
    assert manage in login(cast.board_member).get(url).content.decode()


def test_a_beheerder_is_a_board_viewer_inside_a_school(cast, login):
    """Managing the board's schools gives no more inside a school than following the board: the dashboard sends
    the beheerder on to the board page, the team page is a 403, no audit row is written by looking."""
    from django.urls import reverse

    beheerder(cast)
    client = login(cast.board_member)
    before = AuditEvent.objects.count()
    assert client.get(reverse("organisations:school", args=[cast.school.pk])).status_code == 302
    assert client.get(reverse("organisations:members", args=[cast.school.pk])).status_code == 403
    assert client.get(reverse("organisations:onboarding", args=[cast.school.pk])).status_code == 403
    assert AuditEvent.objects.count() == before
