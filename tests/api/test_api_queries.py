"""Every endpoint asks a fixed number of queries, whatever the number of schools of the board: a board of 3 schools
and one of 20, both with everything (tests/pages/test_board_scale.py's random boards), the same number per endpoint."""

from __future__ import annotations

import random

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from api.tokens import do_create_api_token
from assessments.models import Round, RoundStatus
from core.dates import school_year_of
from organisations.models import School
from tests.pages.test_board_scale import build_random_board

from .helpers import call

CEILING = 9  # the token and its board, the audit row, and what the endpoint reads


def requests_for(board, school, round_, year):
    b = {"board_id": board.pk}
    s = {"board_id": board.pk, "school_id": school.pk}
    this_year = f"?school_year={year}-{year + 1}"
    return {
        "boards": reverse("api:v1:boards"),
        "board": reverse("api:v1:board", kwargs=b),
        "schools": reverse("api:v1:schools", kwargs=b),
        "school": reverse("api:v1:school", kwargs=s),
        "route": reverse("api:v1:route", kwargs=s),
        "rounds": reverse("api:v1:rounds", kwargs=b) + "?school_year=2026-2027",
        "round": reverse("api:v1:round", kwargs={**b, "round_id": round_.pk}),
        "goals": reverse("api:v1:goals", kwargs=b),
        "goals of a year": reverse("api:v1:goals", kwargs=b) + this_year,
        "actions": reverse("api:v1:actions", kwargs=b) + "?status=bezig",
        "actions of a year": reverse("api:v1:actions", kwargs=b) + this_year,
        "training": reverse("api:v1:training", kwargs=b),
        "training of a year": reverse("api:v1:training", kwargs=b) + f"?school_year={year - 1}-{year}",
        "growth": reverse("api:v1:growth", kwargs=s),
        "outcomes": reverse("api:v1:outcomes", kwargs=b),
    }


def test_queries_do_not_grow_with_the_schools(db):
    rng = random.Random(16)
    today = timezone.localdate()
    counts = []
    for n in (3, 20):
        cache.clear()
        board, viewer = build_random_board(rng, n, today)
        _row, token = do_create_api_token(board=board, name="Dashboard", acting_user=viewer)
        round_ = Round.objects.filter(school__board=board, status=RoundStatus.CLOSED).order_by("id").first()
        school = School.objects.get(pk=round_.school_id)
        per_endpoint = {}
        for name, url in requests_for(board, school, round_, school_year_of(today)).items():
            with CaptureQueriesContext(connection) as queries:
                response = call(url, token)
            assert response.status_code == 200, (name, response.content[:300])
            per_endpoint[name] = len(queries.captured_queries)
        counts.append(per_endpoint)
    assert counts[0] == counts[1], counts
    assert max(counts[1].values()) <= CEILING, counts[1]
