"""Access matrix rows for 'Zo begin je' (pages/onboarding.py, issue 14); see the docstring of tests/test_access.py.

The page is for the school's organisers (schoolleiding and kartrekkers, who do its steps); the rest of the school
(werkgroep, team, trainers) and the board (also its beheerder, tests/organisations) get a 403, another school 404.
"""

from __future__ import annotations

import pytest

from tests.test_access import LOGIN, Case, check_case

ORGANISERS_200 = (200, 200, 403, 403, 403, 403, 404, LOGIN)

CASES = [
    Case("onboarding", "organisations:onboarding", lambda c: {"school_id": c.school.pk}, ORGANISERS_200),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access(case: Case, cast, request):
    check_case(case, cast, request)
