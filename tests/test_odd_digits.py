"""Digits that are not 0-9 ("²", "١٢") in every form of the access matrix: a Dutch error or a 404, never a 500.

Python's str.isdigit() says yes to them and int() then refuses them; a check that trusts isdigit() crashes. Each
POST row of the access matrix is sent again by a caller who may post it, with every plain number in its data
replaced.
"""

from dataclasses import replace

import pytest

from .intake_fixtures import build_intake
from .leadership_fixtures import leadership_fixture  # noqa: F401  (fixture)
from .test_access import all_cases, first_allowed, prepare_case, rolled_back
from .test_access import request as send
from .training_fixtures import training  # noqa: F401  (fixture)


@pytest.fixture
def intake(cast):
    return build_intake(cast)


ODD = ("²", "١٢", "٣")
POST_CASES = [c for c in all_cases() if c.method == "post" and c.data is not None]


def with_odd_digits(data: dict, odd: str) -> tuple[dict, int]:
    changed, out = 0, {}
    for key, value in data.items():
        if isinstance(value, str) and value.isascii() and value.isdigit():
            out[key], changed = odd, changed + 1
        elif isinstance(value, list | tuple):
            out[key] = [odd if str(v).isascii() and str(v).isdigit() else v for v in value]
            changed += sum(1 for v in value if str(v).isascii() and str(v).isdigit())
        else:
            out[key] = value
    return out, changed


@pytest.mark.parametrize("case", POST_CASES, ids=[c.id for c in POST_CASES])
def test_odd_digits_never_crash(case, cast, request: pytest.FixtureRequest):
    prepare_case(case, cast, request)
    who = first_allowed(case)
    if who is None:
        pytest.skip("nobody may post this row")
    data = case.data(cast)
    tried = 0
    for odd in ODD:
        odd_data, changed = with_odd_digits(data, odd)
        if not changed:
            continue
        tried += 1
        odd_case = replace(case, data=lambda c, d=odd_data: d)
        with rolled_back():
            url, response = send(odd_case, cast, who)
        assert response.status_code < 500, f"{case.id}: {who} posted {odd_data} to {url}: {response.status_code}"
    if not tried:
        pytest.skip("no numbers in this row's data")
