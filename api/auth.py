"""Who calls the API: a board's token in ``Authorization: Bearer <token>`` (api/tokens.py). Every accepted call is
counted per token in the shared cache (a fixed window, an atomic increment: every app server counts in the same
place) and audited (audit.models.record: the token and the endpoint, at the token's board; nothing else).

- no header, another scheme, a malformed, unknown, revoked or expired token: 401 with a message saying which;
- more than API_RATE_LIMIT calls within API_RATE_WINDOW seconds for one token: 429 with Retry-After (not audited:
  a client that hammers the API does not fill the log).
"""

from __future__ import annotations

import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from ninja.security import HttpBearer

from audit.models import record

from .tokens import lookup

logger = logging.getLogger(__name__)


def rate_limit() -> int:
    return int(getattr(settings, "API_RATE_LIMIT", 120))


def rate_window() -> int:
    return int(getattr(settings, "API_RATE_WINDOW", 60))


class NotAuthenticated(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(f"Rate limit exceeded: retry after {retry_after} seconds.")
        self.retry_after = retry_after


def count_call(token_id: int, *, now: float | None = None) -> int | None:
    """Count one call of the token in the current window; the seconds until the next window when over the limit,
    else None. A cache that is down lets the call through (logged): the API stays up with the rest of the site."""
    window = rate_window()
    now = time.time() if now is None else now
    slot = int(now // window)
    key = f"api:rate:{token_id}:{slot}"
    try:
        cache.add(key, 0, timeout=window + 5)
        try:
            calls = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window + 5)
            calls = 1
    except Exception:  # noqa: BLE001 (any cache failure: count nothing, serve)
        logger.warning("api rate limit: cache unavailable, call not counted", exc_info=True)
        return None
    if calls > rate_limit():
        return max(1, math.ceil((slot + 1) * window - now))
    return None


class BoardToken(HttpBearer):
    """The bearer token of one board; ``request.auth`` becomes its ApiToken (with its board)."""

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if not header.strip():
            raise NotAuthenticated("Authentication required: send the header 'Authorization: Bearer <token>'.")
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated("Malformed Authorization header: expected 'Bearer <token>'.")
        return self.authenticate(request, token.strip())

    def authenticate(self, request, token):
        found = lookup(token)
        if found.token is None:
            raise NotAuthenticated(found.problem)
        retry_after = count_call(found.token.pk)
        if retry_after is not None:
            raise RateLimited(retry_after)
        match = request.resolver_match
        record(
            action="api.called",
            board=found.token.board,
            target=found.token,
            data={"method": request.method, "endpoint": match.view_name if match else request.path},
        )
        return found.token
