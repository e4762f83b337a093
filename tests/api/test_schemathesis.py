"""Schemathesis against the API's own OpenAPI document (issue 16): for every operation, generated requests through
the WSGI application with the token of a seeded board: never a 500, every status documented, every body and content
type as the document says. The generated ids are steered half of the time to the seeded board's real schools and
rounds, so the 200s are checked too, not only the 404s."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import make_action, make_goal

from .helpers import make_tokens

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 25  # per operation; 12 operations in about 20-40 s


@pytest.fixture
def wsgi_in_the_test_transaction():
    """The WSGI handler, unlike Django's test client, closes 'old' connections at the start and end of each request,
    which inside the test's transaction marks it for rollback: switched off while the test runs, as the client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(cast, route, outcomes, settings):
    settings.API_RATE_LIMIT = 100_000  # the test itself would hit the limit
    cache.clear()
    make_goal(cast.school, cast.kartrekker)
    make_action(cast.school, cast.kartrekker, due_date=None)
    return cast, make_tokens(cast)


def test_every_operation_keeps_to_its_schema(seeded, wsgi_in_the_test_transaction):
    cast, tokens = seeded
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_in_the_test_transaction)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 12
    real = {
        "board_id": [cast.board.pk],
        "school_id": [cast.school.pk, cast.sister_school.pk, cast.other_school.pk],
        "round_id": [cast.closed_round.pk, cast.open_round.pk, cast.other_round.pk],
        "school": [cast.school.pk, cast.sister_school.pk],
    }
    headers = {"Authorization": f"Bearer {tokens.own}"}
    statuses: dict[str, set[int]] = {}

    for operation in operations:

        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(), steer=st.integers(min_value=0, max_value=5))
        def run(case, steer):
            for location in (case.path_parameters, case.query):
                if not location:
                    continue
                for name, ids in real.items():
                    if name in location and steer < 3:
                        location[name] = ids[steer % len(ids)]
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS, headers=headers)
            statuses.setdefault(operation.label, set()).add(response.status_code)

        run()
    # Each operation answered with its data at least once (not only errors)
    assert all(200 in codes for codes in statuses.values()), statuses
