"""A new round's conversation starts from what the team agreed last time (assessments/growth.py previous_agreements):
always in the consensus meeting, while filling in only when the organiser chose so on the round form (anchoring)."""

from __future__ import annotations

from django.urls import reverse

from assessments import services
from assessments.models import ConsensusItem, Round
from audit.models import AuditEvent
from organisations.models import Membership
from tests.factories import agree_priorities


def _agree_last_time(cast):
    agree_priorities(cast.closed_round, {"1.1": 1, "3A.2": 4}, phase=2, next_steps="Samen verder")
    ConsensusItem.objects.filter(round=cast.closed_round, accent_code="3A.2").update(phase=3)


def test_the_consensus_shows_what_was_agreed_last_time(cast, login):
    _agree_last_time(cast)
    html = (
        login(cast.kartrekker)
        .get(reverse("assessments:consensus", args=[cast.school.pk, cast.consensus_round.pk]) + "?laag=alle")
        .content.decode()
    )
    block = html[html.index('id="accent-1.1"') : html.index('id="accent-1.2"')]
    assert "Vorige keer (Afgesloten ronde):" in block
    assert "fase 2, prioriteit 1." in block and "Samen verder 1.1" in block
    other = html[html.index('id="accent-3A.2"') : html.index('id="accent-3A.3"')]
    assert "fase 3, prioriteit 4." in other
    assert html.count("Vorige keer (") == 2  # only accents the last round agreed on


def test_saving_an_accent_keeps_the_context(cast, login):
    _agree_last_time(cast)
    response = login(cast.kartrekker).post(
        reverse("assessments:consensus_item", args=[cast.school.pk, cast.consensus_round.pk, "1.1"]),
        {"phase": "3", "strengths": "", "next_steps": "", "priority": "", "version": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Vorige keer (Afgesloten ronde):" in response.content.decode()


def test_a_first_round_has_no_context(cast, login):
    Round.objects.filter(pk=cast.closed_round.pk).delete()
    html = (
        login(cast.kartrekker)
        .get(reverse("assessments:consensus", args=[cast.school.pk, cast.consensus_round.pk]))
        .content.decode()
    )
    assert "Vorige keer" not in html


def test_filling_in_shows_it_only_when_the_organiser_chose_so(cast, login):
    _agree_last_time(cast)
    url = reverse("assessments:fill_step", args=[cast.school.pk, cast.open_round.pk, "1"])
    client = login(cast.werkgroeplid)
    assert "Vorige keer" not in client.get(url).content.decode()  # off by default: no anchoring

    Round.objects.filter(pk=cast.open_round.pk).update(show_previous=True)
    html = client.get(url).content.decode()
    assert "Vorige keer (Afgesloten ronde):" in html and "fase 2, prioriteit 1." in html


def test_the_round_form_sets_and_audits_the_choice(cast, login):
    client = login(cast.kartrekker)
    form_page = client.get(reverse("assessments:round_edit", args=[cast.school.pk, cast.open_round.pk]))
    assert "verankering" in form_page.content.decode()
    assert form_page.context["form"].initial["show_previous"] is False
    members = Membership.objects.filter(school=cast.school, user__in=cast.open_round.participants.values("user"))
    response = client.post(
        reverse("assessments:round_edit", args=[cast.school.pk, cast.open_round.pk]),
        {
            "title": cast.open_round.title,
            "anonymous": "on",
            "show_previous": "on",
            "participants": [m.pk for m in members],
        },
    )
    assert response.status_code == 302
    assert Round.objects.get(pk=cast.open_round.pk).show_previous is True
    event = AuditEvent.objects.filter(action="round.updated", object_id=str(cast.open_round.pk)).latest("id")
    assert event.data["changes"]["show_previous"] == {"before": False, "after": True}


def test_an_update_without_the_choice_leaves_it(cast):
    Round.objects.filter(pk=cast.open_round.pk).update(show_previous=True)
    round_ = Round.objects.get(pk=cast.open_round.pk)
    services.do_update_round(
        round_=round_,
        title="Nieuwe titel",
        deadline=None,
        meeting_date=None,
        anonymous=True,
        participant_user_ids=list(round_.participants.values_list("user_id", flat=True)),
        facilitator=None,
        acting_user=cast.kartrekker,
    )
    assert Round.objects.get(pk=round_.pk).show_previous is True
