"""Finding voorgesprekken and their agreements, under the access policy (organisations.access)."""

from __future__ import annotations

from organisations.access import SchoolAccess, one_or_404, require, school_object

from .models import Agreement, Conversation


def get_conversation(access: SchoolAccess, conversation_id):
    """A voorgesprek of this school, or 404 (403 first for those who may not see voorgesprekken)."""
    require(access.can_lead_intake)
    return school_object(access, Conversation.objects.all(), conversation_id)


def get_agreement(conversation, agreement_id):
    """An agreement of a conversation found with get_conversation, or 404."""
    return one_or_404(Agreement.objects.select_related("owner").filter(conversation=conversation), agreement_id)
