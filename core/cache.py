"""One way to cache a fragment that changes rarely: `get_or_build(key, build)`.

The cache is shared by all app servers when CACHE_URL points at Valkey/Redis (settings.py), else per process. A cache
that is down or slow never breaks a page: the value is then built as if nothing were cached (and the failure logged
once per request at WARNING). Keys carry a version the caller derives from what the value depends on (a content
file's version, a row's `version`, ...), so a change is visible at once without deleting anything.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.cache import cache

log = logging.getLogger(__name__)
_MISSING = object()


def get_or_build[T](key: str, build: Callable[[], T], *, timeout: int | None = 3600) -> T:
    """The cached value under `key`, or `build()` stored under it."""
    try:
        value = cache.get(key, _MISSING)
    except Exception:  # noqa: BLE001 — any cache failure: build without the cache
        log.warning("cache unavailable, building %s without it", key.split(":", 1)[0], exc_info=True)
        return build()
    if value is not _MISSING:
        return value
    value = build()
    try:
        cache.set(key, value, timeout)
    except Exception:  # noqa: BLE001
        log.warning("cache unavailable, not storing %s", key.split(":", 1)[0], exc_info=True)
    return value
