"""A small event hub: a domain service says what happened, the apps above it decide what follows (issue 14).

The domain apps (assessments, actionplans, training, ...) sit below the apps that react to them (notifications), so
they may not import them. Instead a service calls ``publish("round.opened", round_id=...)`` and an app above
registers a subscriber at startup, in its ``AppConfig.ready()``: ``subscribe("round.opened", handler)``. Imports
keep pointing down: the service knows only this module, the subscriber knows the service's models.

This is not business logic in model signals: nothing fires on a save; only a service that decides that something
happened publishes it, by name, with plain values (ids, never model instances, which may be stale after commit).
Subscribers run after the transaction commits (``transaction.on_commit``), so nothing follows work that rolls back,
and ``robust``: a subscriber that fails is logged and never breaks the page that already committed. Each subscriber
runs in its own transaction.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

Subscriber = Callable[..., Any]

_subscribers: dict[str, list[Subscriber]] = defaultdict(list)


def subscribe(name: str, subscriber: Subscriber) -> None:
    """Call ``subscriber(**data)`` after every committed ``publish(name, **data)``. Registering twice is once."""
    if subscriber not in _subscribers[name]:
        _subscribers[name].append(subscriber)


def subscribers(name: str) -> list[Subscriber]:
    return list(_subscribers.get(name, ()))


def publish(name: str, **data: Any) -> None:
    """Tell the subscribers of ``name`` once the current transaction has committed (at once outside one)."""
    for subscriber in subscribers(name):
        transaction.on_commit(partial(_deliver, name, subscriber, data), robust=True)


def _deliver(name: str, subscriber: Subscriber, data: dict[str, Any]) -> None:
    try:
        with transaction.atomic():
            subscriber(**data)
    except Exception:
        logger.exception("Subscriber %r of event %s failed", subscriber, name)
