"""Access matrix rows for the intake app (voorgesprekken, kartrekkers); see tests/test_access.py.

Voorgesprekken: schoolleiding, kartrekkers and trainers lead and edit them; werkgroepleden and teamleden may
not see them (they discuss the team's draagkracht), the board neither. The kartrekker page: every member
reads it; only schoolleiding appoints or removes kartrekkers.
"""

from __future__ import annotations

import pytest

from organisations.models import Membership
from tests.intake_fixtures import build_intake, intake_rows, kartrekker_rows
from tests.test_access import LOGIN, Case, check_case


@pytest.fixture
def intake(cast):
    return build_intake(cast)


LEADERS_200 = (200, 200, 403, 403, 200, 403, 404, LOGIN)
LEADERS_302 = (302, 302, 403, 403, 302, 403, 404, LOGIN)
MEMBERS_200 = (200, 200, 200, 200, 200, 403, 404, LOGIN)
SCHOOLLEIDING_302 = (302, 403, 403, 403, 403, 403, 404, LOGIN)
F = ("intake",)


def school(c):
    return {"school_id": c.school.pk}


def conv(c):
    return {"school_id": c.school.pk, "conversation_id": c.intake.conversation.pk}


def agreement(c):
    return conv(c) | {"agreement_id": c.intake.agreement.pk}


def foreign(c):
    return {
        "conversation_id": c.intake.other_conversation.pk,
        "agreement_id": c.intake.other_agreement.pk,
    }


def conversation_form(c):
    return {
        "kind": "verkennend",
        "dates": ["2026-11-02", "2026-11-16"],
        "participants": [c.schoolleider.pk, c.trainer.pk],
    }


def agreement_form(c):
    return {"what": "Trainers werven", "owner": c.schoolleider.pk, "due_date": "2026-12-01", "support": "Budget"}


def membership_of(name):
    def kwargs(c):
        return {
            "school_id": c.school.pk,
            "membership_id": Membership.objects.get(school=c.school, user=c.user(name)).pk,
        }

    return kwargs


CASES = [
    Case("intake-list", "intake:conversations", school, LEADERS_200, fixtures=F),
    Case("intake-new", "intake:conversation_new", school, LEADERS_200, fixtures=F),
    Case(
        "intake-new-post",
        "intake:conversation_new",
        school,
        LEADERS_302,
        method="post",
        data=conversation_form,
        state=intake_rows,
        fixtures=F,
    ),
    Case("intake-detail", "intake:conversation", conv, LEADERS_200, fixtures=F, foreign=foreign),
    Case("intake-docx", "intake:conversation_docx", conv, LEADERS_200, fixtures=F, foreign=foreign),
    Case("intake-edit", "intake:conversation_edit", conv, LEADERS_200, fixtures=F, foreign=foreign),
    Case(
        "intake-edit-post",
        "intake:conversation_edit",
        conv,
        LEADERS_302,
        method="post",
        data=lambda c: conversation_form(c) | {"version": str(c.intake.conversation.version)},
        state=intake_rows,
        fixtures=F,
        foreign=foreign,
    ),
    Case(
        "intake-note",
        "intake:note",
        conv,
        LEADERS_302,
        method="post",
        data=lambda c: {"question": "1.schoolpopulatie.a", "text": "Veel nieuwkomers.", "version": "0"},
        state=intake_rows,
        fixtures=F,
        foreign=foreign,
    ),
    Case(
        "intake-note-htmx",
        "intake:note",
        conv,
        (200, 200, 403, 403, 200, 403, 404, 401),
        method="post",
        htmx=True,
        data=lambda c: {"question": "1.schoolpopulatie.a", "text": "Veel nieuwkomers.", "version": "0"},
        state=intake_rows,
        fixtures=F,
        foreign=foreign,
    ),
    Case("intake-decision", "intake:decision", conv, LEADERS_200, fixtures=F, foreign=foreign),
    Case(
        "intake-decision-post",
        "intake:decision",
        conv,
        LEADERS_302,
        method="post",
        data=lambda c: {"decision": "go", "version": str(c.intake.conversation.version)},
        state=intake_rows,
        fixtures=F,
        foreign=foreign,
    ),
    Case("intake-agreement-new", "intake:agreement_new", conv, LEADERS_200, fixtures=F, foreign=foreign),
    Case(
        "intake-agreement-new-post",
        "intake:agreement_new",
        conv,
        LEADERS_302,
        method="post",
        data=agreement_form,
        state=intake_rows,
        fixtures=F,
        foreign=foreign,
    ),
    Case("intake-agreement-edit", "intake:agreement_edit", agreement, LEADERS_200, fixtures=F, foreign=foreign),
    Case(
        "intake-agreement-edit-post",
        "intake:agreement_edit",
        agreement,
        LEADERS_302,
        method="post",
        data=lambda c: agreement_form(c) | {"version": str(c.intake.agreement.version)},
        state=intake_rows,
        fixtures=F,
        foreign=foreign,
    ),
    Case("intake-agreement-delete", "intake:agreement_delete", agreement, LEADERS_200, fixtures=F, foreign=foreign),
    Case(
        "intake-agreement-delete-post",
        "intake:agreement_delete",
        agreement,
        LEADERS_302,
        method="post",
        state=intake_rows,
        fixtures=F,
        foreign=foreign,
    ),
    Case("kartrekkers", "intake:kartrekkers", school, MEMBERS_200),
    Case(
        "kartrekker-appoint",
        "intake:kartrekker_role",
        membership_of("teamlid"),
        SCHOOLLEIDING_302,
        method="post",
        data=lambda c: {"benoemen": "1"},
        state=kartrekker_rows,
    ),
    Case(
        "kartrekker-remove",
        "intake:kartrekker_role",
        membership_of("kartrekker"),
        SCHOOLLEIDING_302,
        method="post",
        data=lambda c: {"benoemen": "0"},
        state=kartrekker_rows,
    ),
]

POST_ONLY = {"intake:note", "intake:kartrekker_role"}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access(case, cast, request):
    check_case(case, cast, request, POST_ONLY)
