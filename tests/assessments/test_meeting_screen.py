"""The projector view as a meeting screen (issue 13, part 2): no site menu, the accent's four phase texts with the
agreed phase or range marked in text, the distribution, what participants wrote (only when the distribution is
shown; anonymous: sorted by text, never by author or time, and no names), what the round before agreed, and the
links and data attributes static/js/app.js uses for the keys (the keys themselves: tests/browser/test_presentation.py).
"""

from __future__ import annotations

import html as html_lib
import re

from django.urls import reverse

from assessments import services
from assessments.models import ConsensusItem, Participant
from tests.factories import agree_priorities, fill_completely, make_round, move_to


def url(round_, query=""):
    return reverse("assessments:present", args=[round_.school_id, round_.pk]) + query


def page_of(client, round_, query=""):
    response = client.get(url(round_, query))
    assert response.status_code == 200
    return response.content.decode()


def test_the_meeting_screen_shows_the_accent_in_full(cast, login):
    round_ = cast.consensus_round
    accent = round_.model.accent("1.2")
    services.do_save_consensus_item(
        round_=round_,
        accent_code="1.2",
        phase=2,
        phase_to=3,
        differences="De onderbouw zag het anders dan de bovenbouw.",
        strengths="",
        next_steps="",
        priority=None,
        acting_user=cast.kartrekker,
    )
    agree_priorities(cast.closed_round, {"1.2": 2}, phase=1, next_steps="Vorig jaar afgesproken")
    page = page_of(login(cast.kartrekker), round_, "?accent=1.2")

    # Full screen, without the site menu and footer; the skip link and the main landmark stay.
    assert "Hoofdmenu" not in page and 'class="gw-header"' not in page and "gw-footer" not in page
    assert 'href="#main"' in page and '<main id="main"' in page
    assert "data-fullscreen" in page and "Volledig scherm" in page and "data-back" in page

    # The four phase texts, the agreed range marked in words (not colour only).
    for number, phase_text in accent.phase_items():
        assert html_lib.escape(phase_text) in page, number
    marked = re.findall(r"Fase (\d) <span class=\"gw-badge gw-badge--ok\">✓ afgesproken</span>", page)
    assert marked == ["2", "3"]
    assert "Afgesproken: groeifase 2-3" in page
    assert "De onderbouw zag het anders dan de bovenbouw." in page

    # The distribution, what was written, what was agreed last time.
    assert "Groeifase 1:" in page and "Wat deelnemers schreven" in page and "Sterk" in page
    assert "Vorige keer (Afgesloten ronde):" in page and "Vorig jaar afgesproken 1.2" in page

    # Navigation: the keys follow these links; Escape goes back to the consensus page at this accent.
    assert 'data-prev href="?accent=1.1"' in page and 'data-next href="?accent=1.3"' in page
    consensus = reverse("assessments:consensus", args=[cast.school.pk, round_.pk])
    assert f'data-back href="{consensus}?laag=1#accent-1.2"' in page  # its layer open (issue 15)


def test_no_previous_agreement_says_so(cast, login):
    page = page_of(login(cast.kartrekker), cast.consensus_round, "?accent=1.1")
    assert "Geen eerdere afspraak over dit accent." in page


def test_written_answers_only_when_the_distribution_is_shown(cast, login):
    """An anonymous round with two shown submissions: no distribution, so nothing written either."""
    round_ = make_round(cast.school, [cast.schoolleider, cast.teamlid, cast.trainer], by=cast.kartrekker, title="Klein")
    for user in (cast.schoolleider, cast.teamlid):
        fill_completely(Participant.objects.get(round=round_, user=user), strengths=f"Geheim van {user.name}")
    round_ = move_to(round_, "consensus", cast.kartrekker)
    client = login(cast.kartrekker)
    page = page_of(client, round_, "?accent=1.1")
    assert "Geheim van" not in page and "Wat deelnemers schreven" not in page
    assert "De verdeling verschijnt zodra minstens 3 deelnemers hebben ingediend." in page
    # Nor on the consensus view's written answers, loaded on demand or as their own page.
    written = reverse("assessments:consensus_written", args=[cast.school.pk, round_.pk, "1.1"])
    for response in (client.get(written), client.get(written, HTTP_HX_REQUEST="true")):
        assert response.status_code == 200
        assert "Geheim van" not in response.content.decode() and "Sterke punten" not in response.content.decode()
        assert "De verdeling verschijnt zodra minstens 3 deelnemers" in response.content.decode()
    assert "gw-by-group" not in page_of(client, round_, "?accent=1.1&rolgroepen=1")


def test_anonymous_written_answers_are_sorted_by_text_without_names(cast, login):
    round_ = cast.open_round
    texts = {cast.schoolleider: "zeker", cast.kartrekker: "Aandacht", cast.teamlid: "midden", cast.trainer: "Begin"}
    for user, written in texts.items():  # submitted in this order: not the order shown
        fill_completely(Participant.objects.get(round=round_, user=user), strengths=written)
    round_ = move_to(round_, "consensus", cast.kartrekker)
    page = page_of(login(cast.werkgroeplid), round_, "?accent=1.1")
    section = page[page.index('id="present-written"') :]
    strengths = re.findall(r"<li>([^<]+)</li>", section.split("Ontwikkeldoelen")[0])
    assert strengths == ["Aandacht", "Begin", "midden", "zeker"]
    for user in texts:
        assert user.name not in page


def test_board_members_and_outsiders_are_refused(cast, login):
    round_ = cast.consensus_round
    assert login(cast.board_member).get(url(round_, "?accent=1.1")).status_code == 403
    assert login(cast.outsider).get(url(round_)).status_code == 404
    # An unknown accent is a 404, not a 500.
    assert login(cast.kartrekker).get(url(round_, "?accent=9.9")).status_code == 404


def test_the_agreement_is_not_marked_when_there_is_none(cast, login):
    ConsensusItem.objects.filter(round=cast.consensus_round).delete()
    page = page_of(login(cast.kartrekker), cast.consensus_round, "?accent=1.1")
    assert "✓ afgesproken" not in page and "Afgesproken: groeifase" not in page
