"""The access matrix: every view, every member of the cast, one expected answer each.

Rules (organisations/access.py):
- the right role gets the page (200) or its redirect (302);
- a role that is too low gets 403;
- another school's object, or one that does not exist, is a 404 (the same answer for both);
- board members see the schools of their board read-only: the board page and results of closed rounds;
  anything else in such a school is a 403 (they may know the school exists), another board's page a 404;
- anonymous visitors are sent to the login page (302 to /inloggen/?next=<path>); htmx requests get a 401
  instead, so the page can keep unsaved input.

``CASES`` holds one row per URL name, plus variants where the round's status or a facilitator changes the
answer. Each row gives the URL name, its kwargs built from the cast (tests/conftest.py), the method (POST for
POST-only endpoints and for form submissions, with minimal valid data) and the expected status for each
caller, in the column order of ``WHO``. ``LOGIN`` means "302 to the login page with ?next=". Rows for
``actionplans:*`` URLs also get the ``plan`` fixture, as ``cast.plan`` (see ``in_plan``).

``test_access`` runs one row (the cast is built once per test, so a test per caller would be slow) and reports
every wrong answer at once, as "<who> on <url>: expected 403, got 200". Every request runs in a savepoint that
is rolled back, so each caller sees the same data and a granted write cannot hide a denied one. It checks:
- each caller gets the expected status; for rows that write (``state``), denied callers change nothing (that
  snapshot and the number of audit rows stay equal) and allowed callers do change it (so the snapshot works);
- tampering: an id of another school, an id that does not exist, and a mixed URL (a school of your own with
  our round after it) give 404 — for a role too low at that school, the same 403 as for an id that does not
  exist;
- POST-only endpoints answer a GET with 405.

``test_every_url_name_has_a_case`` fails for a URL name without a row; the public views are accepted only
through ``PUBLIC`` and have tests of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import LoginCode, User
from actionplans.models import Action, ActionStep, ActionUpdate, Goal, Meeting, PlanChange
from assessments.models import Answer, ConsensusItem, Participant, Round
from audit.models import AuditEvent
from organisations.models import Invitation, Membership, Role, hash_token

from .conftest import CAST_NAMES
from .factories import fill_completely, make_board, make_member, make_round, make_school, make_user

LOGIN = "login"
# Column order of every expectation row.
WHO = ("schoolleider", "kartrekker", "werkgroeplid", "teamlid", "trainer", "board_member", "outsider", "anonymous")
MISSING_ID = 987_654_321

# The read API for boards (issue 16): its URL names under api:v1 (the endpoints, the OpenAPI document, the root).
API_NAMES = (
    "openapi-json",
    "api-root",
    "boards",
    "board",
    "schools",
    "school",
    "route",
    "rounds",
    "round",
    "goals",
    "actions",
    "training",
    "growth",
    "outcomes",
)
# Views anyone may open without logging in, with the tests that cover them (see the end of this file).
PUBLIC = {
    "accounts:login": "test_login_pages_are_public",
    "accounts:code_request": "test_login_pages_are_public",
    "accounts:code_verify": "test_code_verify_without_a_requested_code_goes_back_to_the_request",
    "organisations:invitation": "test_invitation_page_is_public",
    "accounts:logout": "test_logout_is_post_only_and_works_without_a_session",
    # The header's language switch works before logging in too (tests/accounts/test_language.py for the rest).
    "accounts:language": "test_language_switch_is_public",
    # A calendar client fetches it without a session: its secret token is the key (tests/pages/test_calendar_feed.py).
    "accounts:calendar_feed": "test_calendar_feed_is_public_with_its_token_only",
    # For load balancers: no login, no session, no data (core/health.py; tests/core/test_health.py).
    "health_live": "test_health_endpoints_are_public",
    "health_ready": "test_health_endpoints_are_public",
    # Single sign-on (accounts/sso_views.py): the login with a school account starts and comes back before anyone is
    # logged in; the flow and its refusals are in tests/accounts/test_sso.py and test_sso_flow.py.
    "openid_connect_login": "test_sso_pages_are_public",
    "openid_connect_callback": "test_sso_pages_are_public",
    # The read API for boards (issue 16): a board's token instead of a session; a call without one is a 401, another
    # board's ids a 404. Its own matrix: tests/api/test_api_access.py (every endpoint, every kind of token).
    **{f"api:v1:{name}": "test_the_api_answers_by_its_token_not_by_a_session" for name in API_NAMES},
}


# The table --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    name: str
    kwargs: Callable
    expect: tuple  # one status per WHO, or LOGIN
    method: str = "get"
    data: Callable | None = None
    htmx: bool = False
    setup: Callable | None = None  # runs once on the cast before the callers
    state: Callable | None = None  # snapshot of what a POST changes
    fixtures: tuple[str, ...] = ()  # pytest fixtures set on the cast by name before the row runs (cast.<name>)
    foreign: Callable | None = None  # extra ids of the outsider's school for this row's own *_id kwargs

    def __post_init__(self):
        assert len(self.expect) == len(WHO), f"{self.id}: expected {len(WHO)} statuses, got {len(self.expect)}"

    @property
    def expected(self) -> dict:
        return dict(zip(WHO, self.expect, strict=True))


def school(c):
    return {"school_id": c.school.pk}


def in_round(attr, **extra):
    return lambda c: {"school_id": c.school.pk, "round_id": getattr(c, attr).pk, **extra}


def membership_of(attr):
    def kwargs(c):
        membership = Membership.objects.get(school=c.school, user=c.user(attr))
        return {"school_id": c.school.pk, "membership_id": membership.pk}

    return kwargs


def round_status(attr):
    return lambda c: Round.objects.get(pk=getattr(c, attr).pk).status


def answers_in(attr):
    return lambda c: sorted(
        Answer.objects.filter(participant__round=getattr(c, attr)).values_list(
            "participant_id", "accent_code", "phase", "strengths", "goal"
        )
    )


def participants_of(attr, field):
    return lambda c: sorted(Participant.objects.filter(round=getattr(c, attr)).values_list("pk", field))


def make_invitation(school, email="nieuw@regenboog.test", token=None, **extra):
    token = token or f"token-{email}"
    return Invitation.objects.create(
        school=school,
        email=email,
        roles=[Role.TEAMLID],
        token_hash=hash_token(token),
        expires_at=timezone.now() + timedelta(days=7),
        **extra,
    )


def with_invitation(c):
    c.invitation = make_invitation(c.school)


def trainer_facilitates(attr):
    def setup(c):
        Round.objects.filter(pk=getattr(c, attr).pk).update(facilitator=c.trainer)

    return setup


def named_round(attr):
    def setup(c):
        Round.objects.filter(pk=getattr(c, attr).pk).update(anonymous=False)

    return setup


def teamlid_not_participating(c):
    Participant.objects.filter(round=c.open_round, user=c.teamlid).delete()


def everyone_filled_in(c):
    for p in Participant.objects.filter(round=c.open_round):
        fill_completely(p, submit=False)


def round_form(title):
    def data(c):
        members = Membership.objects.filter(school=c.school).values_list("pk", flat=True)
        return {"title": title, "participants": list(members), "anonymous": "on"}

    return data


# The action plan: rows for actionplans:* URLs get the `plan` fixture (tests/conftest.py) as ``cast.plan``.
def in_plan(**items):
    """kwargs for a plan URL: in_plan(action_id="action", step_id="step") → the pks of cast.plan.action/.step."""
    return lambda c: {"school_id": c.school.pk, **{key: getattr(c.plan, attr).pk for key, attr in items.items()}}


def goal_form(title, version=""):
    return lambda c: {"title": title, "term": "kort", "layer_code": "3B", "accent_code": "3B.1", "version": version}


def action_form(title, version=""):
    return lambda c: {
        "title": title,
        "layer_code": "1",
        "steps": "Eerste stap",
        "due_date": "2027-03-01",
        "status": "gepland",
        "version": version,
    }


def meeting_form(location, version=""):
    return lambda c: {
        "date": "2027-01-15",
        "start_time": "15:00",
        "end_time": "16:00",
        "location": location,
        "version": version,
    }


def plan_rows(c):
    """Everything in both schools' plans a POST could change, plus the history rows."""
    return (
        sorted(Goal.objects.values_list("pk", "title", "accent_code", "deleted_at")),
        sorted(Action.objects.values_list("pk", "title", "layer_code", "status", "owner_id", "deleted_at")),
        sorted(ActionStep.objects.values_list("pk", "action_id", "text", "done_at")),
        sorted(ActionUpdate.objects.values_list("pk", "action_id", "text")),
        sorted(Meeting.objects.values_list("pk", "date", "location", "minutes")),
        PlanChange.objects.count(),
    )


# Shorthand rows. Columns as WHO: schoolleider, kartrekker, werkgroeplid, teamlid, trainer, board_member, outsider,
# anonymous.
ORGANISERS_200 = (200, 200, 403, 403, 403, 403, 404, LOGIN)
ORGANISERS_302 = (302, 302, 403, 403, 403, 403, 404, LOGIN)
MEMBERS_200 = (200, 200, 200, 200, 200, 403, 404, LOGIN)
PARTICIPANTS_200 = MEMBERS_200  # all five members take part in the cast's rounds
PARTICIPANTS_302 = (302, 302, 302, 302, 302, 403, 404, LOGIN)
NOBODY_IN_SCHOOL = (403, 403, 403, 403, 403, 403, 404, LOGIN)
CONSENSUS_VIEWERS = (200, 200, 200, 403, 200, 403, 404, LOGIN)  # not teamlid, not the board
ORGANISERS_OR_FACILITATOR_200 = (200, 200, 403, 403, 200, 403, 404, LOGIN)
PLAN_READERS_200 = (200, 200, 200, 200, 200, 200, 404, LOGIN)  # every member and the board
PLAN_EDITORS_200 = (200, 200, 200, 403, 403, 403, 404, LOGIN)  # schoolleiding, kartrekker, werkgroeplid
PLAN_EDITORS_302 = (302, 302, 302, 403, 403, 403, 404, LOGIN)
ACTION_WORKERS_302 = (302, 302, 302, 302, 403, 403, 404, LOGIN)  # the editors and the owner (teamlid)

CASES = [
    # Start, account, Ontwikkelmodel ----------------------------------------------------------------------
    #    one school → its dashboard (302); trainer (two schools) and board member choose (200)
    Case("home", "home", lambda c: {}, (302, 302, 302, 302, 200, 200, 302, LOGIN)),
    Case("account", "accounts:account", lambda c: {}, (200, 200, 200, 200, 200, 200, 200, LOGIN)),
    Case(
        "account-name-post",
        "accounts:account",
        lambda c: {},
        (302, 302, 302, 302, 302, 302, 302, LOGIN),
        method="post",
        data=lambda c: {"form": "naam", "name": "Nieuwe Naam"},
        state=lambda c: sorted(User.objects.values_list("pk", "name")),
    ),
    Case("model", "ontwikkelmodel:model", lambda c: {}, (200, 200, 200, 200, 200, 200, 200, LOGIN)),
    # School and team ---------------------------------------------------------------------------------------
    #    the board member is sent on to the board page
    Case("school", "organisations:school", school, (200, 200, 200, 200, 200, 302, 404, LOGIN)),
    Case("members", "organisations:members", school, MEMBERS_200),
    Case("invite", "organisations:invite", school, ORGANISERS_200),
    Case(
        "invite-post",
        "organisations:invite",
        school,
        ORGANISERS_302,
        method="post",
        data=lambda c: {"emails": "nieuw@regenboog.test", "roles": [Role.TEAMLID]},
        state=lambda c: sorted(Invitation.objects.filter(school=c.school).values_list("email", flat=True)),
    ),
    Case(
        "invitation-revoke",
        "organisations:invitation_revoke",
        lambda c: {"school_id": c.school.pk, "invitation_id": c.invitation.pk},
        ORGANISERS_302,
        method="post",
        setup=with_invitation,
        state=lambda c: Invitation.objects.get(pk=c.invitation.pk).revoked_at,
    ),
    Case("member-edit", "organisations:member_edit", membership_of("teamlid"), ORGANISERS_200),
    Case(
        "member-edit-post",
        "organisations:member_edit",
        membership_of("teamlid"),
        ORGANISERS_302,
        method="post",
        data=lambda c: {"roles": [Role.TEAMLID, Role.WERKGROEPLID]},
        state=lambda c: Membership.objects.get(school=c.school, user=c.teamlid).roles,
    ),
    Case("member-remove", "organisations:member_remove", membership_of("teamlid"), ORGANISERS_200),
    Case(
        "member-remove-post",
        "organisations:member_remove",
        membership_of("teamlid"),
        ORGANISERS_302,
        method="post",
        state=lambda c: Membership.objects.filter(school=c.school, user=c.teamlid).exists(),
    ),
    Case(
        "board",
        "organisations:board",
        lambda c: {"board_id": c.board.pk},
        (404, 404, 404, 404, 404, 200, 404, LOGIN),
    ),
    Case(
        "board-not-followed",
        "organisations:board",
        lambda c: {"board_id": c.other_school.board_id},
        (404, 404, 404, 404, 404, 404, 404, LOGIN),
    ),
    # Organising rounds --------------------------------------------------------------------------------------
    Case("round-new", "assessments:round_new", school, ORGANISERS_200),
    Case(
        "round-new-post",
        "assessments:round_new",
        school,
        ORGANISERS_302,
        method="post",
        data=round_form("Nieuwe ronde"),
        state=lambda c: Round.objects.filter(school=c.school).count(),
    ),
    Case("round-open", "assessments:round", in_round("open_round"), ORGANISERS_200),
    Case(
        "round-facilitated",
        "assessments:round",
        in_round("consensus_round"),
        ORGANISERS_OR_FACILITATOR_200,
        setup=trainer_facilitates("consensus_round"),
    ),
    Case("round-edit-open", "assessments:round_edit", in_round("open_round"), ORGANISERS_200),
    #    a closed round cannot be edited: 404 for those who may edit, 403 for the rest
    Case(
        "round-edit-closed",
        "assessments:round_edit",
        in_round("closed_round"),
        (404, 404, 403, 403, 403, 403, 404, LOGIN),
    ),
    Case(
        "round-edit-post",
        "assessments:round_edit",
        in_round("open_round"),
        ORGANISERS_302,
        method="post",
        data=round_form("Andere titel"),
        state=lambda c: Round.objects.get(pk=c.open_round.pk).title,
    ),
    Case(
        "round-remind",
        "assessments:round_remind",
        in_round("open_round"),
        ORGANISERS_302,
        method="post",
        state=participants_of("open_round", "reminded_at"),
    ),
    Case(
        "start-consensus",
        "assessments:round_transition",
        in_round("open_round", action="consensus"),
        ORGANISERS_302,
        method="post",
        data=lambda c: {"bevestigd": "1"},  # moving on although something is missing: confirmed
        state=round_status("open_round"),
    ),
    Case(
        "reopen-filling",
        "assessments:round_transition",
        in_round("consensus_round", action="heropen-invullen"),
        ORGANISERS_302,
        method="post",
        state=round_status("consensus_round"),
    ),
    Case(
        "close",
        "assessments:round_transition",
        in_round("consensus_round", action="afsluiten"),
        ORGANISERS_302,
        method="post",
        data=lambda c: {"bevestigd": "1"},  # moving on although something is missing: confirmed
        state=round_status("consensus_round"),
    ),
    Case(
        "close-facilitated",
        "assessments:round_transition",
        in_round("consensus_round", action="afsluiten"),
        (302, 302, 403, 403, 302, 403, 404, LOGIN),
        method="post",
        data=lambda c: {"bevestigd": "1"},  # moving on although something is missing: confirmed
        setup=trainer_facilitates("consensus_round"),
        state=round_status("consensus_round"),
    ),
    #    reopening a closed round: schoolleiding only
    Case(
        "reopen-closed",
        "assessments:round_transition",
        in_round("closed_round", action="heropenen"),
        (302, 403, 403, 403, 403, 403, 404, LOGIN),
        method="post",
        data=lambda c: {"reason": "De prioriteiten waren nog niet besproken."},
        state=round_status("closed_round"),
    ),
    #    deleting a round nobody filled in (issue 14): organisers only, a page that asks and then the POST
    Case("round-delete-page", "assessments:round_delete", in_round("open_round"), ORGANISERS_200),
    Case(
        "round-delete",
        "assessments:round_delete",
        in_round("open_round"),
        ORGANISERS_302,
        method="post",
        state=lambda c: Round.objects.filter(pk=c.open_round.pk).exists(),
    ),
    Case(
        "unknown-step",
        "assessments:round_transition",
        in_round("open_round", action="weggooien"),
        (404, 404, 404, 404, 404, 404, 404, LOGIN),
        method="post",
        state=round_status("open_round"),
    ),
    # Filling in -------------------------------------------------------------------------------------------------
    Case("fill", "assessments:fill", in_round("open_round"), PARTICIPANTS_302),
    Case(
        "fill-not-participating",
        "assessments:fill",
        in_round("open_round"),
        (302, 302, 302, 403, 302, 403, 404, LOGIN),
        setup=teamlid_not_participating,
    ),
    Case("fill-layer", "assessments:fill_step", in_round("open_round", step="1"), PARTICIPANTS_200),
    Case("fill-priorities", "assessments:fill_step", in_round("open_round", step="prioriteiten"), PARTICIPANTS_200),
    Case("fill-submit", "assessments:fill_step", in_round("open_round", step="indienen"), PARTICIPANTS_200),
    Case(
        "fill-layer-post",
        "assessments:fill_step",
        in_round("open_round", step="1"),
        PARTICIPANTS_302,
        method="post",
        data=lambda c: {"phase-1.1": "4", "strengths-1.1": "Rustige start van de dag"},
        state=answers_in("open_round"),
    ),
    Case(
        "fill-submit-post",
        "assessments:fill_step",
        in_round("open_round", step="indienen"),
        PARTICIPANTS_302,
        method="post",
        setup=everyone_filled_in,
        state=participants_of("open_round", "submitted_at"),
    ),
    Case(
        "fill-autosave",
        "assessments:fill_autosave",
        in_round("open_round", step="1"),
        (200, 200, 200, 200, 200, 403, 404, 401),
        method="post",
        htmx=True,
        data=lambda c: {"phase-1.1": "3"},
        state=answers_in("open_round"),
    ),
    # Consensus, presentation, result -----------------------------------------------------------------------------
    #    while participants still fill in: nobody in an anonymous round (watching submissions arrive would
    #    reveal answers); in a round with names, only the organisers look ahead
    Case("consensus-open", "assessments:consensus", in_round("open_round"), NOBODY_IN_SCHOOL),
    Case(
        "consensus-open-named",
        "assessments:consensus",
        in_round("open_round"),
        ORGANISERS_200,
        setup=named_round("open_round"),
    ),
    Case("consensus", "assessments:consensus", in_round("consensus_round"), CONSENSUS_VIEWERS),
    Case("consensus-closed", "assessments:consensus", in_round("closed_round"), CONSENSUS_VIEWERS),
    #    what participants wrote on one accent, which the consensus view loads on demand: the same people
    Case(
        "consensus-written-open",
        "assessments:consensus_written",
        in_round("open_round", accent_code="1.1"),
        NOBODY_IN_SCHOOL,
    ),
    Case(
        "consensus-written",
        "assessments:consensus_written",
        in_round("consensus_round", accent_code="1.1"),
        CONSENSUS_VIEWERS,
    ),
    Case(
        "consensus-written-htmx",
        "assessments:consensus_written",
        in_round("consensus_round", accent_code="2.3"),
        (*CONSENSUS_VIEWERS[:-1], 401),  # htmx: a 401 instead of the login page
        htmx=True,
    ),
    Case(
        "consensus-written-closed",
        "assessments:consensus_written",
        in_round("closed_round", accent_code="3B.1"),
        CONSENSUS_VIEWERS,
    ),
    Case(
        "consensus-item",
        "assessments:consensus_item",
        in_round("consensus_round", accent_code="1.1"),
        ORGANISERS_200,
    ),
    Case(
        "consensus-item-facilitated",
        "assessments:consensus_item",
        in_round("consensus_round", accent_code="1.1"),
        ORGANISERS_OR_FACILITATOR_200,
        setup=trainer_facilitates("consensus_round"),
    ),
    Case(
        "consensus-item-post",
        "assessments:consensus_item",
        in_round("consensus_round", accent_code="1.1"),
        (200, 200, 403, 403, 403, 403, 404, 401),
        method="post",
        htmx=True,
        data=lambda c: {"phase": "2", "strengths": "Vaste rituelen", "next_steps": "Rustplek", "version": ""},
        state=lambda c: sorted(
            ConsensusItem.objects.filter(round=c.consensus_round).values_list("accent_code", "phase", "strengths")
        ),
    ),
    Case("present-open", "assessments:present", in_round("open_round"), NOBODY_IN_SCHOOL),
    Case(
        "present-open-named",
        "assessments:present",
        in_round("open_round"),
        ORGANISERS_200,
        setup=named_round("open_round"),
    ),
    Case("present", "assessments:present", in_round("consensus_round"), CONSENSUS_VIEWERS),
    #    members see "not yet"; the board sees results of closed rounds only
    Case("result-open", "assessments:result", in_round("open_round"), MEMBERS_200),
    Case("result-consensus", "assessments:result", in_round("consensus_round"), MEMBERS_200),
    Case("result-closed", "assessments:result", in_round("closed_round"), (200, 200, 200, 200, 200, 200, 404, LOGIN)),
    #    exports of a closed round: whoever sees its result page; a round that is not closed has none (404)
    Case(
        "result-docx", "assessments:result_docx", in_round("closed_round"), (200, 200, 200, 200, 200, 200, 404, LOGIN)
    ),
    Case(
        "result-xlsx", "assessments:result_xlsx", in_round("closed_round"), (200, 200, 200, 200, 200, 200, 404, LOGIN)
    ),
    Case("result-pdf", "assessments:result_pdf", in_round("closed_round"), (200, 200, 200, 200, 200, 200, 404, LOGIN)),
    #    growth over the years: every member and the board (agreed phases; distributions for members only)
    Case("growth", "assessments:growth", school, PLAN_READERS_200),
    Case("result-pdf-consensus", "assessments:result_pdf", in_round("consensus_round"), (*[404] * 7, LOGIN)),
    # Action plan exports: whoever may read the plan (members and the board), like the plan page ------------------
    Case("plan-docx", "actionplans:plan_docx", school, (200, 200, 200, 200, 200, 200, 404, LOGIN)),
    Case("plan-xlsx", "actionplans:plan_xlsx", school, (200, 200, 200, 200, 200, 200, 404, LOGIN)),
    # The action plan (cast.plan) --------------------------------------------------------------------------------
    #    everyone in the school and the board reads the plan, its goals and actions; meetings and "my actions"
    #    are for members; the werkgroep, kartrekker and schoolleiding change it; the owner of an action (the
    #    teamlid) works on it. The external trainer reads but does not edit and owns nothing.
    Case("plan", "actionplans:plan", in_plan(), PLAN_READERS_200),
    #    one table of the plan page (a long one is folded there and opened on demand): the plan's readers
    Case(
        "plan-part-layer",
        "actionplans:plan_part",
        lambda c: {"school_id": c.school.pk, "part": "groeilaag-3B"},
        PLAN_READERS_200,
    ),
    Case(
        "plan-part-late-htmx",
        "actionplans:plan_part",
        lambda c: {"school_id": c.school.pk, "part": "te-laat"},
        (*PLAN_READERS_200[:-1], 401),
        htmx=True,
    ),
    Case("plan-my-actions", "actionplans:my_actions", in_plan(), MEMBERS_200),
    Case("plan-trash", "actionplans:trash", in_plan(), PLAN_EDITORS_200),
    Case("plan-from-round", "actionplans:from_round", in_round("closed_round"), PLAN_EDITORS_200),
    #    a round that is not closed yet: back to the round page
    Case("plan-from-open-round", "actionplans:from_round", in_round("open_round"), PLAN_EDITORS_302),
    Case(
        "plan-from-round-post",
        "actionplans:from_round",
        in_round("closed_round"),
        PLAN_EDITORS_302,
        method="post",
        data=lambda c: (
            {"take_3B_1": "on", "title_3B_1": "Rustplek", "term_3B_1": "kort", "term_1_1": "kort"}
            | {"term_2_1": "kort"}
        ),
        state=plan_rows,
    ),
    #    carrying goals of earlier years over to the round (the same page's second form)
    Case(
        "plan-carry-over-post",
        "actionplans:from_round",
        in_round("closed_round"),
        PLAN_EDITORS_302,
        method="post",
        data=lambda c: {"form": "meenemen", "goals": [c.plan.goal.pk]},
        state=plan_rows,
    ),
    Case("goal-new", "actionplans:goal_new", in_plan(), PLAN_EDITORS_200),
    Case(
        "goal-new-post",
        "actionplans:goal_new",
        in_plan(),
        PLAN_EDITORS_302,
        method="post",
        data=goal_form("Nieuw doel"),
        state=plan_rows,
    ),
    Case("goal", "actionplans:goal", in_plan(goal_id="goal"), PLAN_READERS_200),
    Case("goal-edit", "actionplans:goal_edit", in_plan(goal_id="goal"), PLAN_EDITORS_200),
    Case(
        "goal-edit-post",
        "actionplans:goal_edit",
        in_plan(goal_id="goal"),
        PLAN_EDITORS_302,
        method="post",
        data=goal_form("Andere titel", version="1"),
        state=plan_rows,
    ),
    Case("goal-delete", "actionplans:goal_delete", in_plan(goal_id="goal"), PLAN_EDITORS_200),
    Case(
        "goal-delete-post",
        "actionplans:goal_delete",
        in_plan(goal_id="goal"),
        PLAN_EDITORS_302,
        method="post",
        state=plan_rows,
    ),
    Case(
        "goal-restore",
        "actionplans:goal_restore",
        in_plan(goal_id="deleted_goal"),
        PLAN_EDITORS_302,
        method="post",
        state=plan_rows,
    ),
    Case("action-new", "actionplans:action_new", in_plan(), PLAN_EDITORS_200),
    Case(
        "action-new-post",
        "actionplans:action_new",
        in_plan(),
        PLAN_EDITORS_302,
        method="post",
        data=action_form("Nieuw actiepunt"),
        state=plan_rows,
    ),
    Case("action", "actionplans:action", in_plan(action_id="action"), PLAN_READERS_200),
    Case("action-edit", "actionplans:action_edit", in_plan(action_id="action"), PLAN_EDITORS_200),
    Case(
        "action-edit-post",
        "actionplans:action_edit",
        in_plan(action_id="action"),
        PLAN_EDITORS_302,
        method="post",
        data=action_form("Andere titel", version="1"),
        state=plan_rows,
    ),
    Case("action-delete", "actionplans:action_delete", in_plan(action_id="action"), PLAN_EDITORS_200),
    Case(
        "action-delete-post",
        "actionplans:action_delete",
        in_plan(action_id="action"),
        PLAN_EDITORS_302,
        method="post",
        state=plan_rows,
    ),
    Case(
        "action-restore",
        "actionplans:action_restore",
        in_plan(action_id="deleted_action"),
        PLAN_EDITORS_302,
        method="post",
        state=plan_rows,
    ),
    Case(
        "action-status",
        "actionplans:action_status",
        in_plan(action_id="action"),
        ACTION_WORKERS_302,
        method="post",
        data=lambda c: {"status": "bezig"},
        state=plan_rows,
    ),
    Case(
        "action-step",
        "actionplans:action_step",
        in_plan(action_id="action", step_id="step"),
        ACTION_WORKERS_302,
        method="post",
        data=lambda c: {"done": "on"},
        state=plan_rows,
    ),
    Case(
        "action-step-htmx",
        "actionplans:action_step",
        in_plan(action_id="action", step_id="step"),
        (200, 200, 200, 200, 403, 403, 404, 401),
        method="post",
        htmx=True,
        data=lambda c: {"done": "on"},
        state=plan_rows,
    ),
    Case(
        "action-update",
        "actionplans:action_update",
        in_plan(action_id="action"),
        ACTION_WORKERS_302,
        method="post",
        data=lambda c: {"text": "Plek gekozen: de oude bibliotheek."},
        state=plan_rows,
    ),
    Case("meeting-new", "actionplans:meeting_new", in_plan(), PLAN_EDITORS_200),
    Case(
        "meeting-new-post",
        "actionplans:meeting_new",
        in_plan(),
        PLAN_EDITORS_302,
        method="post",
        data=meeting_form("Aula"),
        state=plan_rows,
    ),
    Case("meeting-delete", "actionplans:meeting_delete", in_plan(meeting_id="meeting"), PLAN_EDITORS_200),
    Case(
        "meeting-delete-post",
        "actionplans:meeting_delete",
        in_plan(meeting_id="meeting"),
        PLAN_EDITORS_302,
        method="post",
        state=plan_rows,
    ),
    Case(
        "meeting-restore",
        "actionplans:meeting_restore",
        in_plan(meeting_id="deleted_meeting"),
        PLAN_EDITORS_302,
        method="post",
        state=plan_rows,
    ),
    #    the werkgroep's meetings: members only, the board gets a 403
    Case("meeting", "actionplans:meeting", in_plan(meeting_id="meeting"), MEMBERS_200),
    Case("meeting-edit", "actionplans:meeting_edit", in_plan(meeting_id="meeting"), PLAN_EDITORS_200),
    Case(
        "meeting-edit-post",
        "actionplans:meeting_edit",
        in_plan(meeting_id="meeting"),
        PLAN_EDITORS_302,
        method="post",
        data=meeting_form("Aula", version="1"),
        state=plan_rows,
    ),
    Case(
        "meeting-minutes",
        "actionplans:meeting_minutes",
        in_plan(meeting_id="meeting"),
        PLAN_EDITORS_302,
        method="post",
        data=lambda c: {"minutes": "Besproken: de rustruimte.", "version": "1"},
        state=plan_rows,
    ),
    Case(
        "meeting-minutes-htmx",
        "actionplans:meeting_minutes",
        in_plan(meeting_id="meeting"),
        (200, 200, 200, 403, 403, 403, 404, 401),
        method="post",
        htmx=True,
        data=lambda c: {"minutes": "Besproken: de rustruimte.", "version": "1"},
        state=plan_rows,
    ),
]

POST_ONLY = {
    "accounts:logout",
    "organisations:invitation_revoke",
    "assessments:round_remind",
    "assessments:round_transition",
    "assessments:fill_autosave",
    "actionplans:goal_restore",
    "actionplans:action_restore",
    "actionplans:action_status",
    "actionplans:action_step",
    "actionplans:action_update",
    "actionplans:meeting_minutes",
    "actionplans:meeting_restore",
}


# Running a request ------------------------------------------------------------------------------------


@contextmanager
def rolled_back():
    """Whatever happens inside is undone, so the next caller sees the cast as it was."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def request(case: Case, cast, who: str, kwargs: dict | None = None):
    client = Client()
    if who != "anonymous":
        client.force_login(cast.user(who), backend="accounts.backends.EmailBackend")
    url = reverse(case.name, kwargs=case.kwargs(cast) if kwargs is None else kwargs)
    headers = {"HX-Request": "true"} if case.htmx else {}
    if case.method == "post":
        data = case.data(cast) if case.data else {}
        return url, client.post(url, data, headers=headers)
    return url, client.get(url, headers=headers)


def mismatch(who: str, url: str, expected, response) -> str | None:
    """None if the response is what was expected, otherwise a one-line explanation."""
    status = response.status_code
    location = response.get("Location", "")
    if expected == LOGIN:
        parts = urlsplit(location)
        if status == 302 and parts.path == reverse("accounts:login") and parse_qs(parts.query).get("next") == [url]:
            return None
        return f"{who} on {url}: expected 302 to the login page, got {status} {location}".rstrip()
    if status != expected:
        return f"{who} on {url}: expected {expected}, got {status} {location}".rstrip()
    parts = urlsplit(location)
    if status == 302 and parts.path == reverse("accounts:login") and "next" in parse_qs(parts.query):
        return f"{who} on {url}: a logged-in caller was sent to log in"
    return None


def snapshot(case: Case, cast):
    return (case.state(cast) if case.state else None, AuditEvent.objects.count())


def round_titles(cast) -> list[str]:
    return [r.title for r in (cast.open_round, cast.consensus_round, cast.closed_round, cast.other_round)]


def check_denied_response(who, url, response, cast) -> list[str]:
    """A 403/404 tells nothing about the object: no round titles in the page."""
    body = response.content.decode()
    return [f"{who} on {url}: {response.status_code} page shows {t!r}" for t in round_titles(cast) if t in body]


# The matrix ------------------------------------------------------------------------------------------------


def role_problems(case: Case, cast) -> list[str]:
    """Each caller in WHO gets the expected status; denied callers write nothing, allowed ones do."""
    problems = []
    for who, expected in case.expected.items():
        with rolled_back():
            before = snapshot(case, cast)
            url, response = request(case, cast, who)
            after = snapshot(case, cast)
        problem = mismatch(who, url, expected, response)
        if problem:
            problems.append(problem)
            continue
        if response.status_code in (401, 403, 404, 405) or expected == LOGIN:
            problems += check_denied_response(who, url, response, cast)
            if case.method == "post" and before != after:
                problems.append(f"{who} on {url}: denied ({response.status_code}) but changed {before} → {after}")
        elif case.state and before[0] == after[0]:
            problems.append(f"{who} on {url}: allowed ({response.status_code}) but nothing changed: {before[0]}")
    return problems


# Tampering: ids that are not ours, or not there, are a 404. Every ``*_id`` kwarg of a row is tampered with;
# ``foreign_ids`` (plus the row's own ``foreign``) must know an object of the outsider's school for each.
def id_keys(kwargs: dict) -> list[str]:
    return [k for k in kwargs if k.endswith("_id")]


def foreign_ids(cast, case: Case | None = None) -> dict:
    """For each kind of id, an object of the outsider's school (or board)."""
    ids = {
        "school_id": cast.other_school.pk,
        "round_id": cast.other_round.pk,
        "membership_id": Membership.objects.get(school=cast.other_school, user=cast.outsider).pk,
        "invitation_id": make_invitation(cast.other_school, "iemand@vreemde.test").pk,
        "board_id": cast.other_school.board_id,
    }
    plan = getattr(cast, "plan", None)
    if plan is not None:
        ids |= {
            "goal_id": plan.other_goal.pk,
            "action_id": plan.other_action.pk,
            "step_id": ActionStep.objects.create(action=plan.other_action, text="Vreemde stap").pk,
            "meeting_id": plan.other_meeting.pk,
        }
    if case is not None and case.foreign is not None:
        ids |= case.foreign(cast)
    return ids


def first_allowed(case: Case) -> str | None:
    return next((who for who, status in case.expected.items() if status in (200, 302)), None)


def tampered_requests(case: Case, cast):
    """(who, kwargs, label, expected): ids of another school or ids that do not exist.

    Expected is 404, or for a mixed URL (a school of your own, our object after it) the same answer as for an
    object that does not exist: a role too low at that school is a 403 either way, and tells nothing.
    """
    kwargs = case.kwargs(cast)
    ids = id_keys(kwargs)
    who = first_allowed(case)
    if who is None:  # nobody gets this page (an unknown step): nothing to tamper with
        return
    foreign = foreign_ids(cast, case)
    for key in ids:
        yield who, {**kwargs, key: MISSING_ID}, f"{key} that does not exist", 404
        yield who, {**kwargs, key: foreign[key]}, f"{key} of another school", 404
    own_objects = [k for k in ids if k not in ("school_id", "board_id")]
    if "school_id" not in kwargs or not own_objects:
        return
    # The outsider is schoolleider of their own school: past every role check, so a plain 404.
    yield "outsider", {**kwargs, "school_id": cast.other_school.pk}, "outsider's own school, our object", 404
    mixed = [
        ("trainer", cast.sister_school, "trainer's other school, our object"),
        ("board_member", cast.sister_school, "sister school of the board, our object"),
    ]
    for who, other_school, label in mixed:
        tampered = {**kwargs, "school_id": other_school.pk}
        yield who, tampered, label, {**tampered, **dict.fromkeys(own_objects, MISSING_ID)}


def tampering_problems(case: Case, cast) -> list[str]:
    problems = []
    for who, kwargs, label, expected in tampered_requests(case, cast):
        if isinstance(expected, dict):  # the answer for the same URL with ids that do not exist
            with rolled_back():
                expected = request(case, cast, who, kwargs=expected)[1].status_code
            if expected not in (403, 404):
                problems.append(f"{who} ({label}): a missing object gave {expected}")
        with rolled_back():
            before = snapshot(case, cast)
            url, response = request(case, cast, who, kwargs=kwargs)
            after = snapshot(case, cast)
        if response.status_code != expected:
            problems.append(f"{who} on {url} ({label}): expected {expected}, got {response.status_code}")
            continue
        problems += check_denied_response(who, url, response, cast)
        if before != after:
            problems.append(f"{who} on {url} ({label}): {expected} but changed {before} → {after}")
    return problems


def post_only_problems(case: Case, cast, post_only=frozenset()) -> list[str]:
    """POST-only endpoints answer a GET with 405, even for a caller who may POST."""
    who = first_allowed(case)
    if case.name not in (post_only or POST_ONLY) or who is None:
        return []
    with rolled_back():
        url, response = request(replace(case, method="get"), cast, who)
    return [] if response.status_code == 405 else [f"{who} GET {url}: expected 405, got {response.status_code}"]


def prepare_case(case: Case, cast, request) -> None:
    """Put the row's fixtures on the cast (the plan for every plan URL) and run its setup."""
    fixtures = ("plan", *case.fixtures) if case.name.startswith("actionplans:") else case.fixtures
    for name in fixtures:
        setattr(cast, name, request.getfixturevalue(name))
    if case.setup:
        case.setup(cast)


def check_case(case: Case, cast, request, post_only=frozenset()) -> None:
    """One row: every caller, then tampered ids, then (POST-only) a GET. All problems are reported at once.

    Other apps keep their rows in tests/<app>/test_access_<app>.py (``CASES`` and ``POST_ONLY`` there) and call this.
    """
    prepare_case(case, cast, request)
    problems = role_problems(case, cast) + tampering_problems(case, cast) + post_only_problems(case, cast, post_only)
    assert not problems, f"{case.id}:\n" + "\n".join(problems)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access(case: Case, cast, request):
    check_case(case, cast, request)


def matrix_modules():
    """This file and every tests/<app>/test_access_<app>.py: each has its own CASES (and POST_ONLY)."""
    import importlib
    import sys
    from pathlib import Path

    here = Path(__file__).parent
    files = sorted([*here.glob("test_access_*.py"), *here.glob("*/test_access_*.py")])
    others = [importlib.import_module(".".join(("tests", *p.relative_to(here).with_suffix("").parts))) for p in files]
    return [sys.modules[__name__], *others]


def all_cases() -> list[Case]:
    return [case for module in matrix_modules() for case in module.CASES]


def all_post_only() -> set[str]:
    return set().union(*(getattr(module, "POST_ONLY", set()) for module in matrix_modules()))


def test_missing_and_foreign_round_give_the_same_page(cast, login):
    client = login(cast.schoolleider)
    missing = client.get(reverse("assessments:round", args=[cast.school.pk, MISSING_ID]))
    foreign = client.get(reverse("assessments:round", args=[cast.school.pk, cast.other_round.pk]))
    assert missing.status_code == foreign.status_code == 404
    assert missing.templates[0].name == foreign.templates[0].name == "404.html"
    assert "Deze pagina bestaat niet" in foreign.content.decode()


def plan_item_urls(school_id, goal, action, step, meeting):
    """(method, url) for every plan page that takes a goal, action, step or meeting."""
    g, a, m = [school_id, goal.pk], [school_id, action.pk], [school_id, meeting.pk]
    return [
        *[("get", reverse(f"actionplans:{n}", args=g)) for n in ("goal", "goal_edit", "goal_delete")],
        *[("post", reverse(f"actionplans:{n}", args=g)) for n in ("goal_edit", "goal_delete", "goal_restore")],
        *[("get", reverse(f"actionplans:{n}", args=a)) for n in ("action", "action_edit", "action_delete")],
        *[
            ("post", reverse(f"actionplans:{n}", args=a))
            for n in ("action_edit", "action_delete", "action_restore", "action_status", "action_update")
        ],
        ("post", reverse("actionplans:action_step", args=[*a, step.pk])),
        ("get", reverse("actionplans:action_new", args=[school_id]) + f"?doel={goal.pk}"),
        *[("get", reverse(f"actionplans:{n}", args=m)) for n in ("meeting", "meeting_edit")],
        *[("post", reverse(f"actionplans:{n}", args=m)) for n in ("meeting_edit", "meeting_minutes")],
    ]


PLAN_WORK = {"status": "bezig", "done": "on", "text": "Gedaan", "minutes": "Notulen", "title": "Overgenomen"}


def test_another_schools_plan_items_are_404(cast, plan, login):
    """De Vreemde's goal, action, step and meeting under De Regenboog's URL; and ours for the outsider."""
    before = (plan_rows(cast), AuditEvent.objects.count())
    other_step = ActionStep.objects.create(action=plan.other_action, text="Vreemde stap")
    client = login(cast.kartrekker)
    theirs = plan_item_urls(cast.school.pk, plan.other_goal, plan.other_action, other_step, plan.other_meeting)
    for method, url in theirs:
        response = client.post(url, PLAN_WORK) if method == "post" else client.get(url)
        assert response.status_code == 404, f"kartrekker {method} {url}"
        assert "Vreemde" not in response.content.decode(), url
    # A step of another action of our own school is a 404 as well.
    own_other = Action.objects.create(school=cast.school, layer_code="1", title="Andere actie")
    url = reverse("actionplans:action_step", args=[cast.school.pk, own_other.pk, plan.step.pk])
    assert client.post(url, {"done": "on"}).status_code == 404
    own_other.delete()
    # The outsider: our objects under our school (not theirs) and under their own school.
    client = login(cast.outsider)
    for school_id in (cast.school.pk, cast.other_school.pk):
        for method, url in plan_item_urls(school_id, plan.goal, plan.action, plan.step, plan.meeting):
            response = client.post(url, PLAN_WORK) if method == "post" else client.get(url)
            assert response.status_code == 404, f"outsider {method} {url}"
            assert "Rust in de school" not in response.content.decode(), url
    other_step.delete()
    assert (plan_rows(cast), AuditEvent.objects.count()) == before


def test_board_member_is_sent_from_the_school_to_the_board(cast, login):
    response = login(cast.board_member).get(reverse("organisations:school", args=[cast.school.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:board", args=[cast.board.pk])


def test_board_member_sees_results_without_individual_answers(cast, login):
    """Read-only and consensus only: the closed round's result, no one's individual answers."""
    response = login(cast.board_member).get(reverse("assessments:result", args=[cast.school.pk, cast.closed_round.pk]))
    assert response.status_code == 200
    assert response.context["summary"] is not None
    assert response.context["acc"].is_board_viewer
    assert not response.context["acc"].can_see_individual_answers(cast.closed_round)


def test_member_of_two_schools_only_gets_the_school_in_the_url(cast, login):
    """The trainer is in both schools of the board; the other school's round stays a 404 under either id."""
    sister_round_owner = make_user("Sanne Zus")
    make_member(cast.sister_school, sister_round_owner, Role.SCHOOLLEIDING)
    sister_round = make_round(cast.sister_school, [cast.trainer], by=sister_round_owner, title="Zusronde")
    client = login(cast.trainer)
    assert client.get(reverse("assessments:fill", args=[cast.sister_school.pk, sister_round.pk])).status_code == 302
    assert client.get(reverse("assessments:fill", args=[cast.school.pk, sister_round.pk])).status_code == 404


def test_board_member_of_a_new_board_does_not_see_old_schools(cast, login):
    new_board = make_board("Bestuur Oost")
    make_school(new_board, "De Nieuwe")
    new_board.members.add(cast.outsider)
    client = login(cast.outsider)
    assert client.get(reverse("organisations:board", args=[new_board.pk])).status_code == 200
    assert client.get(reverse("organisations:board", args=[cast.board.pk])).status_code == 404
    url = reverse("assessments:result", args=[cast.school.pk, cast.closed_round.pk])
    assert client.get(url).status_code == 404


# Public views ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["accounts:login", "accounts:code_request"])
def test_login_pages_are_public(name, client, db):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response.context["form"] is not None


def test_code_verify_without_a_requested_code_goes_back_to_the_request(client, db):
    response = client.get(reverse("accounts:code_verify"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:code_request")


def test_code_verify_after_requesting_a_code_is_public(client, cast):
    client.post(reverse("accounts:code_request"), {"email": cast.teamlid.email})
    assert LoginCode.objects.filter(user=cast.teamlid).exists()
    response = client.get(reverse("accounts:code_verify"))
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_invitation_page_is_public(client, cast):
    make_invitation(cast.school, "nieuw@regenboog.test", token="geldige-token")
    response = client.get(reverse("organisations:invitation", args=["geldige-token"]))
    assert response.status_code == 200
    assert cast.school.name in response.content.decode()


def test_unknown_invitation_token_is_a_dutch_404(client, db):
    response = client.get(reverse("organisations:invitation", args=["bestaat-niet"]))
    assert response.status_code == 404
    assert "Deze uitnodiging werkt niet (meer)" in response.content.decode()


def test_revoked_invitation_is_gone(client, cast):
    make_invitation(cast.school, "oud@regenboog.test", token="ingetrokken", revoked_at=timezone.now())
    response = client.get(reverse("organisations:invitation", args=["ingetrokken"]))
    assert response.status_code == 410
    assert "Deze uitnodiging werkt niet (meer)" in response.content.decode()
    assert cast.school.name not in response.content.decode()


# Meta: the matrix mirrors every URL ------------------------------------------------------------------------


def url_patterns(resolver=None, namespace=""):
    """(namespace, name, pattern) for every URL pattern, through all includes."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry, ":".join(n for n in (namespace, entry.namespace) if n))
        elif isinstance(entry, URLPattern):
            yield namespace, entry.name, entry


def our_url_patterns():
    """{full name or None: pattern} for everything but the Django admin."""
    return [
        (f"{ns}:{name}" if ns and name else name, p) for ns, name, p in url_patterns() if ns.split(":")[0] != "admin"
    ]


def test_calendar_feed_is_public_with_its_token_only(client, cast):
    """No login needed, for no one: the right token opens the person's calendar, any other token is a 404, also for
    logged-in people (their session opens nothing)."""
    from accounts.calendar_feeds import do_create_calendar_feed

    _feed, token = do_create_calendar_feed(user=cast.teamlid, acting_user=cast.teamlid)
    response = client.get(reverse("accounts:calendar_feed", args=[token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "private"
    assert client.get(reverse("accounts:calendar_feed", args=["B" * 43])).status_code == 404
    client.force_login(cast.teamlid, backend="accounts.backends.EmailBackend")
    assert client.get(reverse("accounts:calendar_feed", args=["B" * 43])).status_code == 404


def test_sso_pages_are_public(client, cast, settings):
    """The start page of a configured provider for everyone; a callback without a login in progress is refused in
    Dutch (no state in the session) and logs no one in; an unknown provider is a 404."""
    from tests.sso_helpers import PROVIDER_ID, configure

    configure(settings, "https://entree.test/openid")
    assert client.get(reverse("openid_connect_login", args=[PROVIDER_ID])).status_code == 200
    response = client.get(reverse("openid_connect_callback", args=[PROVIDER_ID]) + "?code=x&state=y")
    assert response.status_code == 400
    assert "Deze inlogpoging is al gebruikt of verlopen" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("openid_connect_login", args=["onbekend"])).status_code == 404


def test_the_api_answers_by_its_token_not_by_a_session(client, cast):
    """The read API for boards (issue 16) never sends anyone to the login page: without a board's token every endpoint
    is a 401 in JSON, for a logged-in person too (a session opens nothing); the OpenAPI document is public, the root a
    404. Every endpoint with every kind of token: tests/api/test_api_access.py."""
    ids = {"board_id": cast.board.pk, "school_id": cast.school.pk, "round_id": cast.closed_round.pk}
    api_names = {name for name, _ in our_url_patterns() if (name or "").startswith("api:v1:")}
    assert {name.removeprefix("api:v1:") for name in api_names} == set(API_NAMES)
    for name, pattern in our_url_patterns():
        if name not in api_names:
            continue
        url = reverse(name, kwargs={k: v for k, v in ids.items() if k in pattern.pattern.converters})
        expected = {"api:v1:openapi-json": 200, "api:v1:api-root": 404}.get(name, 401)
        for who in ("anonymous", "board_member"):
            if who == "board_member":
                client.force_login(cast.board_member, backend="accounts.backends.EmailBackend")
            response = client.get(url)
            assert response.status_code == expected, (who, url, response.status_code)
            if expected == 401:
                assert response.json()["detail"].startswith("Authentication required"), url
        client.logout()


@pytest.mark.parametrize("name", ["health_live", "health_ready"])
def test_health_endpoints_are_public(name, client, cast):
    """The same answer for everyone, logged in or not, and nothing of the school in it."""
    anonymous = client.get(reverse(name))
    assert anonymous.status_code == 200
    client.force_login(cast.outsider, backend="accounts.backends.EmailBackend")
    logged_in = client.get(reverse(name))
    assert logged_in.status_code == 200 and logged_in.content == anonymous.content
    assert cast.school.name not in anonymous.content.decode()


def test_every_url_name_has_a_case():
    patterns = our_url_patterns()
    unnamed = [str(p.pattern) for name, p in patterns if not name]
    assert not unnamed, f"URL patterns without a name cannot be in the access matrix: {unnamed}"
    names = {name for name, _ in patterns}
    in_matrix = {c.name for c in all_cases()}
    missing = sorted(names - in_matrix - set(PUBLIC))
    assert not missing, (
        "These URL names have no row in CASES (tests/test_access.py or tests/<app>/test_access_<app>.py); add one with "
        "the expected status for "
        f"every cast member, or, if the view is public, add it to PUBLIC with a test: {missing}"
    )
    stale = sorted((in_matrix | set(PUBLIC)) - names)
    assert not stale, f"Rows for URL names that no longer exist: {stale}"
    both = sorted(in_matrix & set(PUBLIC))
    assert not both, f"Public views belong in PUBLIC only, not in CASES: {both}"


def test_public_set_matches_the_views():
    """A view is reachable without login exactly when it is listed in PUBLIC."""
    not_required = {name for name, p in our_url_patterns() if getattr(p.callback, "login_required", True) is False}
    assert not_required == set(PUBLIC), (
        f"@login_not_required but not in PUBLIC: {sorted(not_required - set(PUBLIC))}; "
        f"in PUBLIC but login required: {sorted(set(PUBLIC) - not_required)}"
    )
    tests = {name for name in globals() if name.startswith("test_")}
    assert set(PUBLIC.values()) <= tests, f"PUBLIC names a test that does not exist: {set(PUBLIC.values()) - tests}"


def test_matrix_columns_are_the_cast():
    assert (*CAST_NAMES, "anonymous") == WHO, "A new cast member needs a column in every row of CASES"
    cases = all_cases()
    ids = [c.id for c in cases]
    assert len(ids) == len(set(ids)), "Case ids must be unique"
    post_only = all_post_only()
    for c in cases:
        if c.name in post_only:
            assert c.method == "post", f"{c.id}: {c.name} only accepts POST"
        if c.method == "post" and c.name not in {"accounts:logout"}:
            assert c.state is not None, f"{c.id}: a POST row needs a state snapshot (did a denied caller write?)"


def test_language_switch_is_public(cast, client):
    """Anyone may switch the language (a cookie); POST only; a logged-in person's own preference only."""
    assert client.get(reverse("accounts:language")).status_code == 405
    response = client.post(reverse("accounts:language"), {"language": "en", "next": reverse("accounts:login")})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert response.cookies["django_language"].value == "en"
    client.force_login(cast.teamlid, backend="accounts.backends.EmailBackend")
    client.post(reverse("accounts:language"), {"language": "en"})
    assert {u.pk for u in User.objects.filter(language="en")} == {cast.teamlid.pk}


def test_logout_is_post_only_and_works_without_a_session(cast, client):
    """Logging out twice (an expired session) lands on the login page, never on a 405 after login."""
    client.force_login(cast.teamlid, backend="accounts.backends.EmailBackend")
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("accounts:logout"))  # already logged out
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
