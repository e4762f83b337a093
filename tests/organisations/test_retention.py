"""Login traces and unanswered invitations are not kept longer than needed (accounts/retention.py,
organisations/retention.py)."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from accounts.models import LoginCode, LoginFailure
from accounts.retention import purge_expired
from organisations.models import Invitation
from organisations.retention import purge_unanswered_invitations


def invitation(cast, email, **fields):
    now = timezone.now()
    defaults = {"roles": ["teamlid"], "token_hash": email, "expires_at": now + timedelta(days=7)}
    return Invitation.objects.create(school=cast.school, email=email, **(defaults | fields))


def test_purge_removes_only_what_is_no_longer_needed(cast):
    now = timezone.now()
    old_code, _ = LoginCode.issue(cast.teamlid)
    LoginCode.objects.filter(pk=old_code.pk).update(created_at=now - timedelta(days=2))
    fresh_code, _ = LoginCode.issue(cast.teamlid)
    LoginFailure.objects.create(key="a" * 64, created_at=now - timedelta(hours=1))
    recent_failure = LoginFailure.objects.create(key="b" * 64, created_at=now - timedelta(minutes=5))
    expired_long_ago = invitation(cast, "weg@regenboog.test", expires_at=now - timedelta(days=31))
    revoked_long_ago = invitation(cast, "ingetrokken@regenboog.test", revoked_at=now - timedelta(days=40))
    expired_recently = invitation(cast, "nog-even@regenboog.test", expires_at=now - timedelta(days=3))
    open_invitation = invitation(cast, "open@regenboog.test")
    accepted = invitation(
        cast,
        "lid@regenboog.test",
        expires_at=now - timedelta(days=90),
        accepted_at=now - timedelta(days=95),
        accepted_by=cast.teamlid,
    )

    assert purge_expired(now=now) == {"codes": 1, "failures": 1}
    assert purge_unanswered_invitations(now=now) == 2
    assert list(LoginCode.objects.values_list("pk", flat=True)) == [fresh_code.pk]
    assert list(LoginFailure.objects.values_list("pk", flat=True)) == [recent_failure.pk]
    kept = set(Invitation.objects.values_list("pk", flat=True))
    assert kept >= {expired_recently.pk, open_invitation.pk, accepted.pk}
    assert not kept & {expired_long_ago.pk, revoked_long_ago.pk}


def test_command_says_what_it_removed_in_dutch(cast):
    out = io.StringIO()
    call_command("purge_expired_logins", stdout=out)
    assert "inlogcodes" in out.getvalue() and "onbeantwoorde uitnodigingen verwijderd" in out.getvalue()
