"""How long unanswered invitations are kept (AVG: no longer than needed). Run daily through
``manage.py purge_expired_logins``, with the login traces (accounts/retention.py).

Invitations nobody accepted go 30 days after they expired or were revoked: they hold the email address of someone
who never joined. Accepted invitations stay: they say who joined when, on whose invitation.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from .models import Invitation

UNANSWERED_INVITATION_KEEP = timedelta(days=30)


def purge_unanswered_invitations(*, now=None) -> int:
    """Delete the invitations nobody accepted whose end is 30 days past; the number deleted."""
    cutoff = (now or timezone.now()) - UNANSWERED_INVITATION_KEEP
    expired = Invitation.objects.filter(accepted_at=None).filter(Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff))
    deleted, _ = expired.delete()
    return deleted
