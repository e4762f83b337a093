"""Access matrix for the research app (issue 13, part 4); the rules are in organisations/access.py.

The school's page "Vergelijken en onderzoek" and its three POSTs: schoolleiding only (can_manage_research); the
rest of the school and board members 403, another school 404. The research export: verified platform admins only
(require_platform_admin), so every member of the cast gets a 403; the admin itself is in tests/research/test_export.py.
"""

from __future__ import annotations

import pytest

from organisations.models import School
from research.content import consent_text
from research.models import ResearchConsent
from research.services import do_give_consent
from tests.test_access import LOGIN, Case, check_case

SL_200 = (200, 403, 403, 403, 403, 403, 404, LOGIN)
SL_302 = (302, 403, 403, 403, 403, 403, 404, LOGIN)
ADMIN_ONLY = (403, 403, 403, 403, 403, 403, 403, LOGIN)


def school(c):
    return {"school_id": c.school.pk}


def research_state(c):
    return (
        School.objects.get(pk=c.school.pk).benchmark_opt_in,
        sorted(ResearchConsent.objects.filter(school=c.school).values_list("pk", "withdrawn_at")),
    )


def with_consent(c):
    do_give_consent(school=c.school, text_version=consent_text().version, acting_user=c.schoolleider)


def row(id, name, kwargs, expect, **extra):
    return Case(id, f"research:{name}", kwargs, expect, **extra)


CASES = [
    row("research-school", "school", school, SL_200),
    row(
        "research-benchmark-on",
        "benchmark_set",
        school,
        SL_302,
        method="post",
        data=lambda c: {"on": "1"},
        state=research_state,
    ),
    row(
        "research-consent-give",
        "consent_give",
        school,
        SL_302,
        method="post",
        data=lambda c: {"text_version": consent_text().version, "agree": "on"},
        state=research_state,
    ),
    row(
        "research-consent-withdraw",
        "consent_withdraw",
        school,
        SL_302,
        method="post",
        setup=with_consent,
        state=research_state,
    ),
    row("research-admin-export", "admin_export", lambda c: {}, ADMIN_ONLY),
    row("research-admin-download", "admin_download", lambda c: {}, ADMIN_ONLY),
]

POST_ONLY = {"research:benchmark_set", "research:consent_give", "research:consent_withdraw"}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access(case, cast, request):
    check_case(case, cast, request, POST_ONLY)
