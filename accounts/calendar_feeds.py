"""Personal calendar subscriptions (issue 14): a secret URL per person that a calendar client fetches without
logging in. The token is shown once; the database keeps a keyed hash of it (``CalendarFeed.token_hash``, like the
login codes). A person has at most one active feed: making a new one revokes the old one; revoking ends it. An
unknown, revoked or malformed token, or the token of an account that is no longer active, finds nothing (the feed
view answers 404 for all of them alike)."""

from __future__ import annotations

import re
import secrets

from django.db import transaction
from django.utils import timezone

from audit.models import record

from .models import CalendarFeed, calendar_feed_hash

TOKEN_BYTES = 32  # 43 characters of URL-safe base64
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")


def active_feed(user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def _revoke_active(user, now) -> int:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)


@transaction.atomic
def do_create_calendar_feed(*, user, acting_user) -> tuple[CalendarFeed, str]:
    """A new feed for ``user`` (the old one, if any, stops working). Returns the feed and its token (shown once)."""
    now = timezone.now()
    replaced = _revoke_active(user, now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    feed = CalendarFeed.objects.create(user=user, token_hash=calendar_feed_hash(token), created_at=now)
    record(action="account.calendar_feed_created", acting_user=acting_user, target=feed, data={"replaced": replaced})
    return feed, token


@transaction.atomic
def do_revoke_calendar_feed(*, user, acting_user) -> bool:
    """Stop the person's active feed; False when there was none (nothing changes, no audit row)."""
    feed = CalendarFeed.objects.select_for_update().filter(user=user, revoked_at__isnull=True).first()
    if feed is None:
        return False
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    record(action="account.calendar_feed_revoked", acting_user=acting_user, target=feed)
    return True


def feed_for_token(token) -> CalendarFeed | None:
    """The active feed of an active account for this token, or None (unknown, revoked, malformed alike)."""
    if not isinstance(token, str) or not TOKEN_PATTERN.match(token):
        return None
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=calendar_feed_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
