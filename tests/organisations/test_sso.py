"""Requiring single sign-on for a school or a board (organisations/sso.py): who may switch it, what it needs first,
the audit rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from core.errors import ServiceError
from organisations import sso
from organisations.models import Board, BoardMember, School
from tests.sso_helpers import configure, link

pytestmark = pytest.mark.django_db


@pytest.fixture
def entree(settings):
    return configure(settings, "https://entree.test/openid")


def test_schoolleiding_requires_sso_after_linking_their_own_account(cast, entree):
    with pytest.raises(ServiceError, match="Log eerst zelf één keer in met je schoolaccount"):
        sso.do_set_school_sso(school=cast.school, sso_required=True, code_fallback=True, acting_user=cast.schoolleider)
    link(cast.schoolleider, "sara-sub")
    sso.do_set_school_sso(school=cast.school, sso_required=True, code_fallback=False, acting_user=cast.schoolleider)
    school = School.objects.get(pk=cast.school.pk)
    assert (school.sso_required, school.sso_code_fallback) == (True, False)
    event = AuditEvent.objects.get(action="school.sso_changed")
    assert event.school_id == cast.school.pk and event.data == {"sso_required": True, "code_fallback": False}


def test_nobody_else_switches_it(cast, entree):
    for user in (cast.kartrekker, cast.teamlid, cast.board_member, cast.outsider):
        link(user, f"sub-{user.pk}")
        with pytest.raises(ServiceError):
            sso.do_set_school_sso(school=cast.school, sso_required=True, code_fallback=True, acting_user=user)
    assert not School.objects.filter(sso_required=True).exists()


def test_requiring_needs_a_configured_provider(cast):
    link(cast.schoolleider, "sara-sub")
    with pytest.raises(ServiceError, match="nog geen inlogdienst"):
        sso.do_set_school_sso(school=cast.school, sso_required=True, code_fallback=True, acting_user=cast.schoolleider)


def test_the_board_beheerder_requires_it_for_every_school(cast, entree):
    with pytest.raises(ServiceError):
        sso.do_set_board_sso(board=cast.board, sso_required=True, acting_user=cast.board_member)
    BoardMember.objects.filter(board=cast.board, user=cast.board_member).update(is_beheerder=True)
    link(cast.board_member, "bert-sub")
    sso.do_set_board_sso(board=cast.board, sso_required=True, acting_user=cast.board_member)
    assert Board.objects.get(pk=cast.board.pk).sso_required
    assert AuditEvent.objects.filter(action="board.sso_changed", board=cast.board).count() == 1
    assert sso.login_policy_for(cast.teamlid).sso_required  # a school of the board
    assert not sso.login_policy_for(cast.outsider).sso_required  # another board's


def test_the_school_page_switches_it(cast, entree, login):
    link(cast.schoolleider, "sara-sub")
    client = login(cast.schoolleider)
    url = reverse("organisations:school_sso", args=[cast.school.pk])
    assert "Entree Federatie" in client.get(url).content.decode()
    response = client.post(url, {"sso_required": "1", "code_fallback": "1"})
    assert response.status_code == 302
    assert School.objects.get(pk=cast.school.pk).sso_required


def test_the_school_page_says_why_not(cast, entree, login):
    client = login(cast.schoolleider)
    response = client.post(reverse("organisations:school_sso", args=[cast.school.pk]), {"sso_required": "1"})
    assert response.status_code == 400
    assert "Log eerst zelf één keer in met je schoolaccount" in response.content.decode()
    assert not School.objects.get(pk=cast.school.pk).sso_required
