"""Access matrix rows for one's linked school accounts (accounts/sso_views.py unlink); see tests/test_access.py.

Everyone who is logged in removes their own link only (the provider is posted, there is no id of a person in the URL);
in the row every cast member has a school account of Entree Federatie linked."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount

from tests.conftest import CAST_NAMES
from tests.sso_helpers import PROVIDER_ID, link
from tests.test_access import LOGIN, Case, check_case

POST_ONLY = {"accounts:sso_unlink"}


def no_kwargs(c):
    return {}


def everyone_linked(c):
    for name in CAST_NAMES:
        link(c.user(name), f"sub-{name}")


def links(c):
    return sorted(SocialAccount.objects.values_list("user_id", "provider", "uid"))


CASES = [
    Case(
        "sso-unlink",
        "accounts:sso_unlink",
        no_kwargs,
        (302, 302, 302, 302, 302, 302, 302, LOGIN),
        method="post",
        data=lambda c: {"provider": PROVIDER_ID},
        setup=everyone_linked,
        state=links,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access(case, cast, request):
    check_case(case, cast, request, POST_ONLY)
