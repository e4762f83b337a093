"""The access matrix for the Naslag (reference app): see tests/test_access.py for the rules.

The reference pages are not school data: every logged-in user reads them, board members and the
outsider too. "Wat betekent dit voor onze school" is for the school's members; only schoolleiding and
kartrekkers store the school's pupil count.
"""

from __future__ import annotations

import pytest

from organisations.models import School
from tests.test_access import LOGIN, Case, check_case, school

EVERY_USER_200 = (200, 200, 200, 200, 200, 200, 200, LOGIN)
MEMBERS_200 = (200, 200, 200, 200, 200, 403, 404, LOGIN)
ORGANISERS_302 = (302, 302, 403, 403, 403, 403, 404, LOGIN)
TOPICS = (
    "wat-tso-is",
    "kenniselementen",
    "prevalentie",
    "opbrengsten",
    "teamtraining-ontwikkelmodel",
    "piramidemodel",
    "screeningsinstrumenten",
    "inrichting",
    "verdiepend-materiaal",
)


def pupil_counts(c):
    return sorted(School.objects.values_list("pk", "pupil_count", "version"))


CASES = [
    Case("naslag", "reference:index", lambda c: {}, EVERY_USER_200),
    Case(
        "naslag-search-htmx",
        "reference:index",
        lambda c: {},
        (200, 200, 200, 200, 200, 200, 200, 401),
        htmx=True,
    ),
    *[
        Case(f"naslag-{slug}", "reference:topic", lambda c, slug=slug: {"slug": slug}, EVERY_USER_200)
        for slug in TOPICS
    ],
    Case("naslag-unknown-topic", "reference:topic", lambda c: {"slug": "bestaat-niet"}, (*[404] * 7, LOGIN)),
    Case("estimate", "reference:estimate", school, MEMBERS_200),
    Case(
        "estimate-save",
        "reference:estimate",
        school,
        ORGANISERS_302,
        method="post",
        data=lambda c: {"pupil_count": "250", "version": str(School.objects.get(pk=c.school.pk).version)},
        state=pupil_counts,
    ),
]

POST_ONLY: set[str] = set()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access(case, cast, request):
    check_case(case, cast, request, POST_ONLY)
