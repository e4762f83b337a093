"""Small helpers that tests of several apps use: a response's text, who a test client is logged in as, the audit
rows of one action, a round's participant and a school's membership of a user."""

from __future__ import annotations

from assessments.models import Participant
from audit.models import AuditEvent
from organisations.models import Membership


def text(response) -> str:
    return response.content.decode()


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def audit(action, **filters) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, **filters).order_by("pk"))


def participant(round_, user) -> Participant:
    return Participant.objects.get(round=round_, user=user)


def membership(school, user) -> Membership:
    return Membership.objects.get(school=school, user=user)
