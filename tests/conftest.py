"""The fixed cast every test uses.

Board "Bestuur Noord" has "De Regenboog" (our school) and "De Horizon" (a sister school).
Board "Bestuur Zuid" has "De Vreemde" (an outsider's school).

- schoolleider, kartrekker, werkgroeplid, teamlid: members of De Regenboog with that role
- trainer: external trainer at De Regenboog and De Horizon
- board_member: follows Bestuur Noord (read-only, consensus only)
- outsider: schoolleider of De Vreemde (another board)
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from organisations.models import Role

from .factories import PASSWORD, fill_completely, make_board, make_member, make_round, make_school, make_user
from .outcomes.fixtures import outcomes_fixture  # noqa: F401  (the `outcomes` fixture, for every matrix over all rows)
from .training.board_fixtures import board_training  # noqa: F401  (for every matrix over all rows)

# Fixtures of the other apps, in their own modules.
pytest_plugins = ["tests.trajectory_fixtures", "tests.oidc_fixtures"]


@dataclass
class Cast:
    board: object
    school: object
    sister_school: object
    other_school: object
    schoolleider: object
    kartrekker: object
    werkgroeplid: object
    teamlid: object
    trainer: object
    board_member: object
    outsider: object
    open_round: object
    consensus_round: object
    closed_round: object
    other_round: object  # a round of the outsider's school

    def user(self, name):
        return getattr(self, name)


CAST_NAMES = ["schoolleider", "kartrekker", "werkgroeplid", "teamlid", "trainer", "board_member", "outsider"]


@pytest.fixture
def cast(db) -> Cast:
    return build_cast()


def build_cast() -> Cast:
    """Build the cast in the current database (also used by the browser tests' browser_cast)."""
    from tests.factories import move_to

    board = make_board("Bestuur Noord")
    school = make_school(board, "De Regenboog")
    sister = make_school(board, "De Horizon")
    other_board = make_board("Bestuur Zuid")
    other_school = make_school(other_board, "De Vreemde")

    schoolleider = make_user("Sara Schoolleider", "schoolleider@regenboog.test")
    kartrekker = make_user("Karel Kartrekker", "kartrekker@regenboog.test")
    werkgroeplid = make_user("Wim Werkgroep", "werkgroep@regenboog.test")
    teamlid = make_user("Tina Teamlid", "teamlid@regenboog.test")
    trainer = make_user("Tom Trainer", "trainer@extern.test")
    board_member = make_user("Bert Bestuur", "bestuur@noord.test")
    outsider = make_user("Olga Outsider", "olga@vreemde.test")

    make_member(school, schoolleider, Role.SCHOOLLEIDING)
    make_member(school, kartrekker, Role.KARTREKKER, Role.TEAMLID)
    make_member(school, werkgroeplid, Role.WERKGROEPLID, Role.TEAMLID)
    make_member(school, teamlid, Role.TEAMLID)
    make_member(school, trainer, Role.TRAINER_EXTERN)
    make_member(sister, trainer, Role.TRAINER_EXTERN)
    make_member(sister, make_user("Hans Horizon"), Role.SCHOOLLEIDING)
    make_member(other_school, outsider, Role.SCHOOLLEIDING)
    board.members.add(board_member)

    everyone = [schoolleider, kartrekker, werkgroeplid, teamlid, trainer]
    open_round = make_round(school, everyone, by=kartrekker, title="Open ronde")
    consensus_round = make_round(school, everyone, by=kartrekker, title="Consensusronde")
    for p in consensus_round.participants.all():
        fill_completely(p, phase_for=lambda code: 1 if code.startswith("1") else 3)
    consensus_round = move_to(consensus_round, "consensus", kartrekker)
    closed_round = make_round(school, everyone, by=kartrekker, title="Afgesloten ronde")
    for p in closed_round.participants.all():
        fill_completely(p)
    closed_round = move_to(closed_round, "closed", kartrekker)
    other_round = make_round(other_school, [outsider], by=outsider, title="Vreemde ronde")

    return Cast(
        board=board,
        school=school,
        sister_school=sister,
        other_school=other_school,
        schoolleider=schoolleider,
        kartrekker=kartrekker,
        werkgroeplid=werkgroeplid,
        teamlid=teamlid,
        trainer=trainer,
        board_member=board_member,
        outsider=outsider,
        open_round=open_round,
        consensus_round=consensus_round,
        closed_round=closed_round,
        other_round=other_round,
    )


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues():
    """The English .mo, compiled from the committed .po when missing or stale (README "Languages")."""
    from .i18n_helpers import compile_stale_catalogues

    compile_stale_catalogues()


@pytest.fixture(autouse=True)
def _dutch_after_each_test():
    """A request in English leaves English active in the thread; the next test starts in Dutch again."""
    yield
    from django.utils import translation

    translation.activate("nl")


@pytest.fixture(autouse=True)
def _fresh_cache_after_each_test():
    """Every test starts with an empty process cache: a counter one test left behind (the API's rate limit per token
    id, a test database reusing ids) must not answer for the next test in the same process. Only the in-process
    cache is emptied, never a shared Valkey/Redis someone points CACHE_URL at."""
    yield
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    for cache in caches.all(initialized_only=True):
        if isinstance(cache, LocMemCache):
            cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many users; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_login_code_padding(settings):
    """A code request waits LOGIN_CODE_MIN_SECONDS so its timing tells nothing; tests do not wait (one test does)."""
    settings.LOGIN_CODE_MIN_SECONDS = 0


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Background tasks (mail) run in-process when queued on commit; tests/core/test_mail.py uses the database queue."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def login(client):
    """login(user) logs the test client in and returns it."""

    def _login(user):
        client.force_login(user, backend="accounts.backends.EmailBackend")
        return client

    return _login


@pytest.fixture
def password():
    return PASSWORD


@dataclass
class Plan:
    goal: object
    action: object  # owned by the teamlid, with two steps
    step: object
    meeting: object
    deleted_goal: object
    deleted_action: object
    deleted_meeting: object  # in the trash
    other_goal: object  # the outsider's school
    other_action: object
    other_meeting: object


@pytest.fixture
def plan(cast) -> Plan:
    """An action plan for De Regenboog (and a little one for De Vreemde)."""
    import datetime

    from actionplans import services as plan_services

    from .factories import agree_priorities, make_action, make_goal, make_meeting

    k = cast.kartrekker
    agree_priorities(cast.closed_round, {"3B.1": 1, "1.1": 2, "2.1": 3})
    goal = make_goal(cast.school, k, "Rust in de school", "3B", accent_code="3B.1")
    action = make_action(
        cast.school, k, "Rustruimte inrichten", goal=goal, owner=cast.teamlid, steps=["Plek kiezen", "Inrichten"]
    )
    meeting = make_meeting(cast.school, k, datetime.date.today() - datetime.timedelta(days=7), location="Teamkamer")
    deleted_goal = make_goal(cast.school, k, "Weggegooid doel", "1")
    plan_services.do_delete_goal(goal=deleted_goal, acting_user=k)
    deleted_action = make_action(cast.school, k, "Weggegooide actie", layer_code="2")
    plan_services.do_delete_action(action=deleted_action, acting_user=k)
    deleted_meeting = make_meeting(cast.school, k, datetime.date.today() - datetime.timedelta(days=100))
    plan_services.do_delete_meeting(meeting=deleted_meeting, acting_user=k)
    o = cast.outsider
    other_goal = make_goal(cast.other_school, o, "Vreemd doel", "2")
    other_action = make_action(cast.other_school, o, "Vreemde actie", goal=other_goal)
    other_meeting = make_meeting(cast.other_school, o, datetime.date.today())
    return Plan(
        goal=goal,
        action=action,
        step=action.steps.first(),
        meeting=meeting,
        deleted_goal=deleted_goal,
        deleted_action=deleted_action,
        deleted_meeting=deleted_meeting,
        other_goal=other_goal,
        other_action=other_action,
        other_meeting=other_meeting,
    )


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (the emails) of the requests inside the block, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
