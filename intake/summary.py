"""Small read functions other parts of the app (the trajectory, the dashboard) use."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, Max

from .content import load_profile
from .models import Conversation


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


def latest_conversation(school):
    return (
        Conversation.objects.filter(school=school)
        .annotate(last_date=Max("dates__date"))
        .order_by(F("last_date").desc(nulls_last=True), "-created_at", "-id")
        .first()
    )


def latest_decision(school) -> LatestDecision | None:
    """The latest conversation's decision, date and follow-up date, or None when there is none."""
    conversation = latest_conversation(school)
    if conversation is None:
        return None
    return LatestDecision(
        conversation_id=conversation.pk,
        kind=conversation.kind,
        kind_label=conversation.get_kind_display(),
        decision=conversation.decision,
        decision_label=conversation.get_decision_display(),
        date=conversation.last_date,
        decided_at=conversation.decided_at,
        follow_up_date=conversation.follow_up_date,
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
