"""The access matrix for the ways into a generated export besides the download itself (core/generated.py); see the
docstring of tests/test_access.py. The plain downloads (GET) have their rows there.

The same URLs answer an htmx request (the waiting page asking whether the file is ready: the status part, here
ready at once because the tests' tasks run immediately; anonymous: 401) and a POST ("Opnieuw proberen": the file is
asked for again, then a redirect to the waiting page). Both with exactly the access of the download: whoever sees the
round's result (members and the board) or reads the plan; the outsider's 404, another school's ids 404.
"""

from __future__ import annotations

import pytest

from core.models import GeneratedFile
from tests.test_access import LOGIN, Case, check_case, in_round, school

READERS_200 = (200, 200, 200, 200, 200, 200, 404, 401)
READERS_302 = (302, 302, 302, 302, 302, 302, 404, LOGIN)


def files(c):
    return sorted(GeneratedFile.objects.values_list("kind", "object_id", "variant", "status"))


ROUND_EXPORTS = ("result_docx", "result_xlsx", "result_pdf")
PLAN_EXPORTS = ("plan_docx", "plan_xlsx")

CASES = [
    *[
        Case(f"{name}-status", f"assessments:{name}", in_round("closed_round"), READERS_200, htmx=True)
        for name in ROUND_EXPORTS
    ],
    *[
        Case(f"{name}-retry", f"assessments:{name}", in_round("closed_round"), READERS_302, method="post", state=files)
        for name in ROUND_EXPORTS
    ],
    #    a round that is not closed has no exports: also no asking again
    Case(
        "result_pdf-retry-consensus",
        "assessments:result_pdf",
        in_round("consensus_round"),
        (*[404] * 7, LOGIN),
        method="post",
        state=files,
    ),
    *[Case(f"{name}-status", f"actionplans:{name}", school, READERS_200, htmx=True) for name in PLAN_EXPORTS],
    *[
        Case(f"{name}-retry", f"actionplans:{name}", school, READERS_302, method="post", state=files)
        for name in PLAN_EXPORTS
    ],
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access(case, cast, request):
    check_case(case, cast, request)
