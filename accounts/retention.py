"""How long login traces and unanswered invitations are kept (AVG: no longer than needed). Run daily through
``manage.py purge_expired_logins``.

- one-time login codes: a day after they were made (they are valid for 15 minutes);
- the throttle's counters of password logins (keyed hashes, no addresses): once their window has ended
  (accounts.throttle);
- invitations nobody accepted: 30 days after they expired or were revoked; they hold the email address of
  someone who never joined. Accepted invitations stay: they say who joined when, on whose invitation.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from organisations.models import Invitation

from .models import LoginCode, LoginFailure

LOGIN_CODE_KEEP = timedelta(days=1)
UNANSWERED_INVITATION_KEEP = timedelta(days=30)


@transaction.atomic
def purge_expired(*, now=None) -> dict[str, int]:
    now = now or timezone.now()
    codes, _ = LoginCode.objects.filter(created_at__lt=now - LOGIN_CODE_KEEP).delete()
    failures, _ = LoginFailure.objects.filter(
        created_at__lt=now - timedelta(minutes=settings.LOGIN_PASSWORD_LOCK_MINUTES)
    ).delete()
    cutoff = now - UNANSWERED_INVITATION_KEEP
    invitations, _ = (
        Invitation.objects.filter(accepted_at=None).filter(Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff)).delete()
    )
    return {"codes": codes, "failures": failures, "invitations": invitations}
