"""Every edit form in the access matrix, sent without the version it was loaded with: refused, nothing changed.

Without that version a save could overwrite someone else's change unseen (core.fields.EditVersionMixin and
require_a_version). The rows come from the access matrix: each POST row whose data carries a version.
"""

from dataclasses import replace

import pytest

from .intake_fixtures import build_intake
from .leadership_fixtures import leadership_fixture  # noqa: F401  (fixture)
from .test_access import all_cases, first_allowed, prepare_case, rolled_back, snapshot
from .test_access import request as send
from .training_fixtures import training  # noqa: F401  (fixture)

MISSING_VERSION = "het versienummer ontbreekt"


@pytest.fixture
def intake(cast):
    return build_intake(cast)


POST_CASES = [c for c in all_cases() if c.method == "post" and c.data is not None and not c.htmx]


@pytest.mark.parametrize("case", POST_CASES, ids=[c.id for c in POST_CASES])
@pytest.mark.parametrize("how", ["left-out", "empty"])
def test_an_edit_without_its_version_changes_nothing(case, how, cast, request: pytest.FixtureRequest):
    prepare_case(case, cast, request)
    who = first_allowed(case)
    data = case.data(cast)
    if who is None or not str(data.get("version", "")).strip():
        pytest.skip("not an edit with a version")
    data = {k: v for k, v in data.items() if k != "version"} | ({"version": ""} if how == "empty" else {})
    versionless = replace(case, data=lambda c: data)
    with rolled_back():
        before = snapshot(case, cast)
        url, response = send(versionless, cast, who)
        after = snapshot(case, cast)
    assert response.status_code == 400, f"{case.id}: {url} gave {response.status_code}"
    assert MISSING_VERSION in response.content.decode(), case.id
    assert after == before, case.id
