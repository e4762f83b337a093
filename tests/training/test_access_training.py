"""The access matrix for the team training (training app); see the docstring of tests/test_access.py."""

from __future__ import annotations

import pytest

from tests.test_access import LOGIN, MEMBERS_200, ORGANISERS_200, ORGANISERS_302, Case, check_case
from tests.training_fixtures import training, training_rows  # noqa: F401  (fixture)

TAKERS_200 = (200, 200, 403, 403, 200, 403, 404, LOGIN)  # organisers and trainers take attendance
TAKERS_302 = (302, 302, 403, 403, 302, 403, 404, LOGIN)
MEMBERS_302 = (302, 302, 302, 302, 302, 403, 404, LOGIN)
F = ("training",)


def foreign(c):
    t = c.training
    return {
        "plan_id": t.other_plan.pk,
        "session_id": t.other_session.pk,
        "group_id": t.other_group.pk,
        "topic_id": t.other_topic.pk,
    }


def kw(**items):
    """kwargs: kw(session_id="session") → the pk of cast.training.session."""
    return lambda c: {"school_id": c.school.pk, **{k: getattr(c.training, a).pk for k, a in items.items()}}


def session_form(location, version=lambda c: ""):
    return lambda c: {
        "kind": "overig",
        "title": "Extra werkmoment",
        "date": "2027-05-11",
        "start_time": "15:00",
        "end_time": "16:30",
        "location": location,
        "group": "",
        "version": version(c),
    }


def group_form(name, version=lambda c: ""):
    return lambda c: {"name": name, "members": [c.teamlid.pk], "trainers": [c.trainer.pk], "version": version(c)}


def attendance_form(c):
    return {f"p{c.teamlid.pk}": "aanwezig", f"p{c.werkgroeplid.pk}": "aanwezig"}


def row(id, name, kwargs, expect, **extra):
    return Case(id, name, kwargs, expect, fixtures=F, foreign=foreign, **extra)


def post(id, name, kwargs, expect, data):
    return row(id, name, kwargs, expect, method="post", data=data, state=training_rows)


CASES = [
    row("training-overview", "training:overview", kw(), MEMBERS_200),
    row("training-plan-new", "training:plan_new", kw(), ORGANISERS_200),
    post(
        "training-plan-new-post",
        "training:plan_new",
        kw(),
        ORGANISERS_302,
        lambda c: {"school_year": "2027", "module1_date": "", "combine_34": "on"},
    ),
    row("training-plan", "training:plan", kw(plan_id="plan"), MEMBERS_200),
    row("training-session-new", "training:session_new", kw(plan_id="plan"), ORGANISERS_200),
    post("training-session-new-post", "training:session_new", kw(plan_id="plan"), ORGANISERS_302, session_form("Aula")),
    row("training-group-new", "training:group_new", kw(plan_id="plan"), ORGANISERS_200),
    post("training-group-new-post", "training:group_new", kw(plan_id="plan"), ORGANISERS_302, group_form("Groep B")),
    row("training-missed", "training:missed", kw(plan_id="plan"), TAKERS_200),
    row("training-group-edit", "training:group_edit", kw(group_id="group"), ORGANISERS_200),
    post(
        "training-group-edit-post",
        "training:group_edit",
        kw(group_id="group"),
        ORGANISERS_302,
        group_form("Groep A2", version=lambda c: str(c.training.group.version)),
    ),
    row("training-group-delete", "training:group_delete", kw(group_id="group"), ORGANISERS_200),
    post(
        "training-group-delete-post",
        "training:group_delete",
        kw(group_id="group"),
        ORGANISERS_302,
        lambda c: {"move_to": "team"},
    ),
    row("training-session", "training:session", kw(session_id="werkmoment"), MEMBERS_200),
    row("training-session-edit", "training:session_edit", kw(session_id="session"), ORGANISERS_200),
    post(
        "training-session-edit-post",
        "training:session_edit",
        kw(session_id="session"),
        ORGANISERS_302,
        session_form("Gymzaal", version=lambda c: str(c.training.session.version)),
    ),
    row("training-session-delete", "training:session_delete", kw(session_id="session"), ORGANISERS_200),
    post(
        "training-session-delete-post",
        "training:session_delete",
        kw(session_id="session"),
        ORGANISERS_302,
        lambda c: {},
    ),
    row("training-attendance", "training:attendance", kw(session_id="session"), TAKERS_200),
    post("training-attendance-post", "training:attendance", kw(session_id="session"), TAKERS_302, attendance_form),
    post(
        "training-send-reflection",
        "training:send_reflection",
        kw(session_id="werkmoment"),
        ORGANISERS_302,
        lambda c: {},
    ),
    post(
        "training-topic-new",
        "training:topic_new",
        kw(session_id="werkmoment"),
        ORGANISERS_302,
        lambda c: {"title": "Dagelijkse check-in & check-out"},
    ),
    post(
        "training-topic-signup",
        "training:topic_signup",
        kw(topic_id="topic"),
        MEMBERS_302,
        lambda c: {"signed_up": "1"},
    ),
]

POST_ONLY = {"training:send_reflection", "training:topic_new", "training:topic_signup"}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access(case, cast, request):
    check_case(case, cast, request, POST_ONLY)
