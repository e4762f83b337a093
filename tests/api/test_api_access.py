"""The API's access matrix (issue 16): every endpoint with the board's own token (200), without a token (401), with a
malformed, unknown, revoked or expired token (401, saying which), and with another board's token on this board's ids,
and this board's token on another board's ids and on ids that do not exist (404, the same answer). Every URL name of
the API is listed in PUBLIC of tests/test_access.py (no session: the token is the key) and must have a row here."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplans.models import Action, Goal
from api.models import ApiToken
from audit.models import AuditEvent
from tests.factories import make_action, make_goal
from tests.test_access import MISSING_ID, our_url_patterns

from .helpers import call, tokens  # noqa: F401  (fixture)


@dataclass(frozen=True)
class Endpoint:
    name: str
    kwargs: Callable  # the cast's ids → the URL's kwargs
    foreign: Callable  # the same kwargs with ids of the other board (each must be a 404)
    query: str = ""


def board(c):
    return {"board_id": c.board.pk}


def school(c):
    return {"board_id": c.board.pk, "school_id": c.school.pk}


def round_(c):
    return {"board_id": c.board.pk, "round_id": c.closed_round.pk}


def other_board(c):
    return [{"board_id": c.other_school.board_id}, {"board_id": MISSING_ID}]


def other_school(c):
    return [
        {"board_id": c.other_school.board_id, "school_id": c.school.pk},
        {"board_id": c.board.pk, "school_id": c.other_school.pk},
        {"board_id": c.board.pk, "school_id": MISSING_ID},
    ]


def other_round(c):
    return [
        {"board_id": c.other_school.board_id, "round_id": c.closed_round.pk},
        {"board_id": c.board.pk, "round_id": c.other_round.pk},
        {"board_id": c.board.pk, "round_id": c.open_round.pk},  # not closed: the board does not see it
        {"board_id": c.board.pk, "round_id": MISSING_ID},
    ]


ENDPOINTS = [
    Endpoint("boards", lambda c: {}, lambda c: []),
    Endpoint("board", board, other_board),
    Endpoint("schools", board, other_board),
    Endpoint("school", school, other_school),
    Endpoint("route", school, other_school),
    Endpoint("rounds", board, other_board),
    Endpoint("round", round_, other_round),
    Endpoint("goals", board, other_board),
    Endpoint("actions", board, other_board),
    Endpoint("training", board, other_board),
    Endpoint("growth", school, other_school),
    Endpoint("outcomes", board, other_board),
]
FILTERED = ["rounds", "goals", "actions", "training", "outcomes"]  # the endpoints with ?school=


def url(name, kwargs, query=""):
    return reverse(f"api:v1:{name}", kwargs=kwargs) + (f"?{query}" if query else "")


@pytest.fixture
def data(cast, tokens, route):  # noqa: F811
    make_goal(cast.school, cast.kartrekker)
    make_action(cast.school, cast.kartrekker)
    make_goal(cast.other_school, cast.outsider, title="Vreemd doel")
    return cast


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_endpoint(endpoint, data, tokens):  # noqa: F811
    c = data
    own = url(endpoint.name, endpoint.kwargs(c))
    problems = []

    def expect(status, target, token=None, **kw):
        response = call(target, token, **kw)
        if response.status_code != status:
            problems.append(
                f"{target} ({kw or 'token' if token else 'no token'}): {status} expected, got "
                f"{response.status_code} {response.content[:200]!r}"
            )
        return response

    response = expect(200, own, tokens.own)
    assert response["Content-Type"].startswith("application/json")
    assert "Vreemd" not in response.content.decode(), "another board's data in the answer"
    # No token, or not one that opens anything: 401 with a message that says why
    for header, message in [
        (None, "Authentication required"),
        ("Basic dXNlcjpwdw==", "Malformed Authorization header"),
        ("Bearer", "Malformed Authorization header"),
        ("Bearer not-a-token", "Malformed token"),
        ("Bearer gw_" + "A" * 43, "Unknown token"),
    ]:
        response = expect(401, own, header=header) if header else expect(401, own)
        assert message in response.json()["detail"], response.json()
        assert response["WWW-Authenticate"].startswith("Bearer")
    # Another board's token on this board's ids: 404, as for ids that do not exist
    if endpoint.name != "boards":
        expect(404, own, tokens.other)
    for kwargs in endpoint.foreign(c):
        response = expect(404, url(endpoint.name, kwargs), tokens.own)
        assert response.json() == {"detail": "Not found."}
    if endpoint.name in FILTERED:
        expect(200, url(endpoint.name, endpoint.kwargs(c), f"school={c.school.pk}"), tokens.own)
        expect(404, url(endpoint.name, endpoint.kwargs(c), f"school={c.other_school.pk}"), tokens.own)
        expect(404, url(endpoint.name, endpoint.kwargs(c), f"school={MISSING_ID}"), tokens.own)
    assert not problems, "\n".join(problems)


def test_revoked_and_expired_tokens_are_refused_with_a_clear_message(data, tokens):  # noqa: F811
    own = url("board", board(data))
    assert call(own, tokens.own).status_code == 200
    ApiToken.objects.filter(pk=tokens.own_row.pk).update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    response = call(own, tokens.own)
    assert response.status_code == 401 and "expired" in response.json()["detail"]
    ApiToken.objects.filter(pk=tokens.own_row.pk).update(expires_on=timezone.localdate())  # the last day still works
    assert call(own, tokens.own).status_code == 200
    ApiToken.objects.filter(pk=tokens.own_row.pk).update(revoked_at=timezone.now())
    response = call(own, tokens.own)
    assert response.status_code == 401 and response.json()["detail"] == "This token has been revoked."


def test_every_api_url_name_has_a_row():
    names = {name.removeprefix("api:v1:") for name, _ in our_url_patterns() if name and name.startswith("api:v1:")}
    assert names - {"openapi-json", "api-root"} == {e.name for e in ENDPOINTS}


def test_the_openapi_document_is_public(client, db):
    response = client.get(reverse("api:v1:openapi-json"))
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["BoardToken"] == {"type": "http", "scheme": "bearer"}
    assert "/api/v1/boards/{board_id}/schools" in document["paths"]
    assert reverse("api:v1:openapi-json") == "/api/v1/openapi.json"


def test_the_api_root_is_a_404(client, db):
    """No docs page (it would load Swagger UI from a CDN): the root is a 404, for everyone."""
    assert client.get(reverse("api:v1:api-root")).status_code == 404


def test_every_call_is_audited_with_the_token_and_the_endpoint(data, tokens):  # noqa: F811
    before = AuditEvent.objects.count()
    assert call(url("schools", board(data)), tokens.own).status_code == 200
    assert call(url("school", {"board_id": data.board.pk, "school_id": MISSING_ID}), tokens.own).status_code == 404
    assert call(url("schools", board(data))).status_code == 401  # no token: nothing to audit
    rows = list(AuditEvent.objects.order_by("id")[before:])
    assert [(r.action, r.board_id, r.school_id, r.actor_id, r.object_id) for r in rows] == [
        ("api.called", data.board.pk, None, None, str(tokens.own_row.pk)),
        ("api.called", data.board.pk, None, None, str(tokens.own_row.pk)),
    ]
    assert rows[0].object_type == "api.apitoken"
    assert rows[0].data == {"method": "GET", "endpoint": "api:v1:schools"}
    assert rows[1].data == {"method": "GET", "endpoint": "api:v1:school"}


def test_the_rate_limit_answers_429_with_retry_after(data, tokens, settings):  # noqa: F811
    settings.API_RATE_LIMIT = 3
    target = url("board", board(data))
    assert [call(target, tokens.own).status_code for _ in range(3)] == [200, 200, 200]
    response = call(target, tokens.own)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Rate limit" in response.json()["detail"]
    # Per token: the other board's token still gets its answers
    assert call(url("board", {"board_id": data.other_school.board_id}), tokens.other).status_code == 200


def test_the_rate_limit_window_moves_on():
    from unittest import mock

    from django.core.cache import cache

    from api.auth import count_call

    cache.clear()
    with mock.patch("api.auth.rate_limit", return_value=2):
        assert count_call(42, now=120.0) is None
        assert count_call(42, now=121.0) is None
        assert count_call(42, now=150.5) == 30  # the window of 120-180 s: 29.5 s to go, rounded up
        assert count_call(42, now=180.0) is None  # a new window
        assert count_call(43, now=150.0) is None  # another token counts apart


def test_goals_and_actions_of_the_board_only(data, tokens):  # noqa: F811
    goals = call(url("goals", board(data)), tokens.own).json()
    assert {g["school_id"] for g in goals["items"]} == {data.school.pk}
    assert goals["count"] == Goal.objects.filter(school__board=data.board).count()
    actions = call(url("actions", board(data), "status=gepland"), tokens.own).json()
    assert actions["count"] == Action.objects.filter(school__board=data.board, status="gepland").count() == 1
    assert call(url("actions", board(data), "status=weg"), tokens.own).status_code == 422
