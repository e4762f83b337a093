"""The access matrix for sending invitations again (section "mail never loses work"); see tests/test_access.py."""

from __future__ import annotations

import pytest

from organisations.models import Invitation
from tests.test_access import ORGANISERS_302, Case, check_case, with_invitation

CASES = [
    Case(
        "invitation-resend",
        "organisations:invitation_resend",
        lambda c: {"school_id": c.school.pk, "invitation_id": c.invitation.pk},
        ORGANISERS_302,
        method="post",
        setup=with_invitation,
        state=lambda c: Invitation.objects.get(pk=c.invitation.pk).token_hash,
    ),
]

POST_ONLY = {"organisations:invitation_resend"}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access(case, cast, request):
    check_case(case, cast, request, POST_ONLY)
