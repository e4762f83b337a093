"""The consensus item (htmx, or the page without JavaScript) sent without the version it was loaded with.

tests/test_missing_version.py leaves htmx rows out. The item's version is the time of its last save, "" for an
accent without an agreement yet (assessments.services.item_version): so a left-out or empty version on an accent
that has an agreement is a save over a version the facilitator never saw. It is refused as a conflict (409): the
saved agreement is shown, nothing changes, and the form then carries the saved version.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import ConsensusItem
from audit.models import AuditEvent

HTMX = {"HTTP_HX_REQUEST": "true"}


def item_url(round_, code):
    return reverse("assessments:consensus_item", args=[round_.school_id, round_.pk, code])


def stored(round_):
    rows = ConsensusItem.objects.filter(round=round_).order_by("accent_code")
    return list(rows.values_list("accent_code", "phase", "strengths", "updated_at")), AuditEvent.objects.count()


@pytest.mark.parametrize("how", ["left-out", "empty"])
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_an_agreement_without_its_version_is_not_overwritten(cast, login, how, htmx):
    round_ = cast.consensus_round
    item = services.do_save_consensus_item(
        round_=round_,
        accent_code="1.1",
        phase=2,
        strengths="Eerst vastgelegd",
        next_steps="",
        priority=None,
        acting_user=cast.schoolleider,
    )
    before = stored(round_)
    data = {"phase": "4", "strengths": "Overschreven", "next_steps": "", "priority": ""}
    data |= {"version": ""} if how == "empty" else {}
    response = login(cast.kartrekker).post(item_url(round_, "1.1"), data, **(HTMX if htmx else {}))
    assert response.status_code == 409
    body = response.content.decode()
    assert "Iemand anders heeft dit accent intussen opgeslagen." in body
    assert "De opgeslagen versie van de ander:" in body and "Eerst vastgelegd" in body
    assert "Overschreven" in body  # the facilitator's input stays in the form
    assert f'value="{services.item_version(item)}"' in body  # the next save overwrites knowingly
    assert stored(round_) == before
