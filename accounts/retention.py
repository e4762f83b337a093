"""How long login traces are kept (AVG: no longer than needed). Run daily through ``manage.py purge_expired_logins``
(organisations/management: it also removes unanswered invitations, organisations/retention.py).

- one-time login codes: a day after they were made (they are valid for 15 minutes);
- the throttle's counters of password logins (keyed hashes, no addresses): once their window has ended
  (accounts.throttle);
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import LoginCode, LoginFailure

LOGIN_CODE_KEEP = timedelta(days=1)


@transaction.atomic
def purge_expired(*, now=None) -> dict[str, int]:
    now = now or timezone.now()
    codes, _ = LoginCode.objects.filter(created_at__lt=now - LOGIN_CODE_KEEP).delete()
    failures, _ = LoginFailure.objects.filter(
        created_at__lt=now - timedelta(minutes=settings.LOGIN_PASSWORD_LOCK_MINUTES)
    ).delete()
    return {"codes": codes, "failures": failures}
