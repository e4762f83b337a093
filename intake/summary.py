"""Small read functions other parts of the app (the trajectory, the dashboard) use."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, Max

from .content import load_profile
from .models import Conversation, Decision, Kind


@dataclass(frozen=True)
class LatestDecision:
    conversation_id: int
    kind: str
    kind_label: str
    decision: str  # "open", "go" or "twijfel"
    decision_label: str
    date: datetime.date | None  # the conversation's last meeting date
    decided_at: datetime.datetime | None
    follow_up_date: datetime.date | None  # only after a Twijfel


_KIND_LABELS = dict(Kind.choices)
_DECISION_LABELS = dict(Decision.choices)


def newest_first(conversations):
    """Conversations with their last meeting date (``last_date``), the latest first: by that date (none last), then
    the newest. Also as a subquery on the school (pages/dashboard.py)."""
    return conversations.annotate(last_date=Max("dates__date")).order_by(
        F("last_date").desc(nulls_last=True), "-created_at", "-id"
    )


def latest_conversation(school):
    return newest_first(Conversation.objects.filter(school=school)).first()


def latest_decision(school) -> LatestDecision | None:
    """The latest conversation's decision, date and follow-up date, or None when there is none."""
    conversation = latest_conversation(school)
    if conversation is None:
        return None
    return decision_of(
        conversation_id=conversation.pk,
        kind=conversation.kind,
        decision=conversation.decision,
        date=conversation.last_date,
        decided_at=conversation.decided_at,
        follow_up_date=conversation.follow_up_date,
    )


def decision_of(*, conversation_id, kind, decision, date, decided_at, follow_up_date) -> LatestDecision:
    return LatestDecision(
        conversation_id=conversation_id,
        kind=kind,
        kind_label=_KIND_LABELS.get(kind, kind),  # as get_kind_display()
        decision=decision,
        decision_label=_DECISION_LABELS.get(decision, decision),
        date=date,
        decided_at=decided_at,
        follow_up_date=follow_up_date,
    )


@dataclass(frozen=True)
class KartrekkerCount:
    count: int
    minimum: int

    @property
    def too_few(self) -> bool:
        return self.count < self.minimum


def kartrekker_count(school) -> KartrekkerCount:
    return KartrekkerCount(
        count=school.memberships.filter(is_kartrekker=True).count(), minimum=load_profile().minimum_count
    )
