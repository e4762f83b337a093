"""The access matrix for Mijn gegevens (download, erasure) and a school that leaves (export, deletion); see the
docstring of tests/test_access.py."""

from __future__ import annotations

import pytest

from organisations.models import Membership, School
from tests.test_access import LOGIN, Case, check_case

EVERYONE_200 = (200, 200, 200, 200, 200, 200, 200, LOGIN)  # one's own data: every logged-in person
SCHOOLLEIDING_200 = (200, 403, 403, 403, 403, 403, 404, LOGIN)  # the board member too: 403
SCHOOLLEIDING_302 = (302, 403, 403, 403, 403, 403, 404, LOGIN)


def school(c):
    return {"school_id": c.school.pk}


def school_rows(c):
    return (
        sorted(School.objects.values_list("pk", "name")),
        Membership.objects.count(),
    )


CASES = [
    Case("my-data-json", "accounts:my_data_json", lambda c: {}, EVERYONE_200),
    Case("my-data-page", "accounts:my_data_page", lambda c: {}, EVERYONE_200),
    Case("erase", "accounts:erase", lambda c: {}, EVERYONE_200),
    # The erasure POST (one's own address, per caller) is in tests/pages/test_privacy.py: a row here has the same
    # data for every caller, and a wrong address is a 400 that changes nothing, which the matrix cannot tell from a
    # refusal.
    Case("school-export", "organisations:school_export", school, SCHOOLLEIDING_200),
    Case("school-delete", "organisations:school_delete", school, SCHOOLLEIDING_200),
    Case(
        "school-delete-post",
        "organisations:school_delete",
        school,
        SCHOOLLEIDING_302,
        method="post",
        data=lambda c: {"name": "De Regenboog"},
        state=school_rows,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access(case, cast, request):
    check_case(case, cast, request)
