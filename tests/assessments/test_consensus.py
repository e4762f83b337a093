"""The summary behind the consensus and result pages: counts, spread and conversation material, the distribution
only from three submissions in an anonymous round, names only in named rounds, what a board member sees of a
closed round, the handbook's guidance on goals and priorities (also in the htmx answer)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Round
from assessments.summary import summarise
from tests.consensus_pages import consensus_in_full
from tests.factories import fill_completely, make_round, move_to
from tests.helpers import participant, text


def answer_round(cast, round_, phases_by_user: dict, **kwargs):
    """Fill in and submit for each user; phases_by_user maps user → {accent: phase} (default 2)."""
    for user, phases in phases_by_user.items():
        fill_completely(participant(round_, user), phase_for=lambda code, phases=phases: phases.get(code, 2), **kwargs)


def test_summary_counts_spread_and_conversation_material(cast):
    round_ = cast.open_round
    answer_round(
        cast,
        round_,
        {
            cast.schoolleider: {"1.1": 1, "1.3": 2},
            cast.kartrekker: {"1.1": 3, "1.3": 3},
            cast.werkgroeplid: {"1.1": 2, "1.3": 0},
            cast.teamlid: {"1.1": 3, "1.3": 3},
        },
    )
    # An anonymous round shows the submissions frozen when the consensus started (tests/assessments/test_anonymity.py).
    round_ = move_to(round_, "consensus", cast.kartrekker)
    summary = summarise(round_, include_individual=True)
    assert summary.n_participants == 5 and summary.n_submitted == 4
    assert summary.show_distribution and not summary.show_names
    by_code = {a.accent.code: a for a in summary.accents}
    assert len(by_code) == 15

    a11 = by_code["1.1"]
    assert a11.counts == {1: 1, 2: 1, 3: 2, 4: 0}
    assert (a11.min_phase, a11.max_phase, a11.spread, a11.median) == (1, 3, 2, 2.5)
    assert a11.is_conversation_material
    assert a11.bars == [(1, 1, 25), (2, 1, 25), (3, 2, 50), (4, 0, 0)]

    a12 = by_code["1.2"]
    assert a12.counts == {1: 0, 2: 4, 3: 0, 4: 0}
    assert a12.spread == 0 and not a12.is_conversation_material

    a13 = by_code["1.3"]
    assert a13.counts == {1: 0, 2: 1, 3: 2, 4: 0} and a13.dont_know == 1
    assert a13.spread == 1 and not a13.is_conversation_material  # "weet ik niet" is no phase

    # Priorities: everyone ranked the first five accents in order (rank 1 = 5 points).
    assert (a11.priority_votes, a11.priority_points) == (4, 20)
    assert (by_code["2.2"].priority_votes, by_code["2.2"].priority_points) == (4, 4)
    assert by_code["3B.4"].priority_votes == 0
    assert len(a11.strengths) == 4 and all(w.author is None for w in a11.strengths)

    page = summarise(Round.objects.get(pk=round_.pk), include_individual=True)
    assert [a.accent.code for a in page.accents if a.is_conversation_material] == ["1.1"]


def test_conversation_material_is_flagged_on_the_consensus_page(cast, login):
    round_ = cast.open_round
    answer_round(cast, round_, {cast.schoolleider: {"2.1": 1}, cast.kartrekker: {"2.1": 4}, cast.teamlid: {}})
    move_to(round_, "consensus", cast.kartrekker)
    page = consensus_in_full(login(cast.kartrekker), round_)  # every layer open (2.1 is in layer 2)
    assert page.count("Gespreksstof: de antwoorden liggen twee of meer fases uit elkaar.") == 1
    assert "Spreiding: fase 1 tot 4" in page


def test_anonymous_round_shows_the_distribution_from_three_submissions(cast, login):
    round_ = cast.open_round
    client = login(cast.kartrekker)
    url = reverse("assessments:consensus", args=[cast.school.pk, round_.pk])
    answer_round(cast, round_, {cast.schoolleider: {"1.1": 1}, cast.werkgroeplid: {"1.1": 4}})

    summary = summarise(round_, include_individual=True)
    assert (summary.n_submitted, summary.n_waiting) == (0, 2) and not summary.show_distribution  # nothing shown yet
    assert all(a.total == 0 and not a.strengths and not a.goals for a in summary.accents)
    assert all(a.priority_votes == 0 for a in summary.accents)
    # The page itself is only open once filling in has closed (anonymous round).
    assert client.get(url).status_code == 403
    round_ = services.do_start_consensus(round_=round_, acting_user=cast.kartrekker)
    page = text(client.get(url))
    assert "De verdeling verschijnt zodra minstens 3 deelnemers hebben ingediend" in page
    assert "Groeifase 1: 1" not in page and "Sterk" not in page

    # Through the services (they freeze what is shown when the consensus starts; tests/assessments/test_anonymity.py).
    round_ = services.do_reopen_filling(round_=round_, acting_user=cast.kartrekker)
    answer_round(cast, round_, {cast.teamlid: {"1.1": 2}})
    round_ = services.do_start_consensus(round_=round_, acting_user=cast.kartrekker)
    summary = summarise(round_, include_individual=True)
    assert summary.n_submitted == 3 and summary.show_distribution
    assert {a.accent.code: a.counts for a in summary.accents}["1.1"] == {1: 1, 2: 1, 3: 0, 4: 1}
    page = text(client.get(url))
    assert "De verdeling verschijnt zodra" not in page
    assert "Groeifase 1: 1, groeifase 2: 1, groeifase 3: 0, groeifase 4: 1" in page


OTHERS = ("Sara Schoolleider", "Wim Werkgroep", "Tina Teamlid", "Tom Trainer")


@pytest.mark.parametrize("anonymous", [True, False], ids=["anonymous", "named"])
def test_names_on_the_consensus_page_only_in_named_rounds(cast, login, anonymous):
    everyone = [cast.schoolleider, cast.kartrekker, cast.werkgroeplid, cast.teamlid, cast.trainer]
    round_ = make_round(cast.school, everyone, by=cast.kartrekker, title="Namen of niet", anonymous=anonymous)
    answer_round(
        cast,
        round_,
        {u: {"1.1": i % 4 + 1} for i, u in enumerate(everyone)},
        strengths="Geschreven sterk punt",
        goal="Geschreven doel",
    )
    move_to(round_, "consensus", cast.kartrekker)
    client = login(cast.kartrekker)  # the viewer's own name is in the page header
    page = consensus_in_full(client, round_)  # with what participants wrote, which the page loads on demand
    assert "Geschreven sterk punt" in page and "Geschreven doel" in page
    for name in OTHERS:
        assert (name in page) is not anonymous, name
    projector = text(client.get(reverse("assessments:present", args=[cast.school.pk, round_.pk])))
    for name in OTHERS:
        assert name not in projector, name
    summary = summarise(round_, include_individual=True)
    a11 = next(a for a in summary.accents if a.accent.code == "1.1")
    if anonymous:
        assert a11.names_by_phase == {} and all(w.author is None for w in a11.strengths)
    else:
        assert a11.names_by_phase[1] == ["Sara Schoolleider", "Tom Trainer"]
        assert {w.author for w in a11.strengths} == {"Karel Kartrekker", *OTHERS}


def test_board_member_sees_consensus_results_only(cast, login):
    round_ = cast.open_round
    answer_round(
        cast,
        round_,
        {u: {"1.1": 1 if u == cast.teamlid else 3} for u in (cast.schoolleider, cast.kartrekker, cast.teamlid)},
        strengths="Individueel-sterk-punt",
        goal="Individueel-doel",
    )
    move_to(round_, "consensus", cast.kartrekker)
    services.do_save_consensus_item(
        round_=round_,
        accent_code="1.1",
        phase=3,
        strengths="Gedeeld sterk punt",
        next_steps="Gezamenlijke stap",
        priority=1,
        acting_user=cast.kartrekker,
    )
    move_to(Round.objects.get(pk=round_.pk), "closed", cast.kartrekker)
    url = reverse("assessments:result", args=[cast.school.pk, round_.pk])

    board = text(login(cast.board_member).get(url))
    assert "Gedeeld sterk punt" in board and "Gezamenlijke stap" in board
    assert "Individuele verdeling" not in board
    assert "Groeifase 1: " not in board and "Spreiding" not in board and "Gespreksstof" not in board
    assert "Individueel-sterk-punt" not in board and "Individueel-doel" not in board
    for name in OTHERS:
        assert name not in board
    assert not summarise(Round.objects.get(pk=round_.pk), include_individual=False).show_distribution

    member = text(login(cast.kartrekker).get(url))
    assert "Individuele verdeling" in member and "Spreiding: fase 1 tot 3" in member
    assert "Individueel-sterk-punt" not in member  # the result page has no written individual answers

    for name in ("consensus", "present"):
        response = login(cast.board_member).get(reverse(f"assessments:{name}", args=[cast.school.pk, round_.pk]))
        assert response.status_code in (403, 404), name


def test_summary_warns_about_too_many_goals_and_double_priorities(cast, login):
    round_ = cast.consensus_round

    def agree(code, **fields):
        defaults = {"phase": 2, "strengths": "", "next_steps": "", "priority": None}
        services.do_save_consensus_item(
            round_=round_, accent_code=code, acting_user=cast.kartrekker, **(defaults | fields)
        )

    agree("1.1", next_steps="Stap een", priority=1)
    agree("1.2", next_steps="Stap twee", priority=2)
    summary = summarise(round_, include_individual=True)
    assert summary.warnings == []

    agree("1.3", next_steps="Stap drie", priority=2)
    summary = summarise(round_, include_individual=True)
    assert summary.layers[0].goal_count == 3 and summary.layers[0].too_many_goals
    assert len(summary.warnings) == 2
    assert "Groeilaag 1 Kennisontwikkeling heeft 3 ontwikkeldoelen." in summary.warnings[0]
    assert "maximaal 1 à 2 doelen per groeilaag" in summary.warnings[0]
    assert summary.warnings[1].startswith("Prioriteit 2 is aan meer dan één accent gegeven.")
    assert [(rank, a.accent.code) for rank, a in summary.priorities] == [(1, "1.1"), (2, "1.2"), (2, "1.3")]

    page = text(login(cast.kartrekker).get(reverse("assessments:consensus", args=[cast.school.pk, round_.pk])))
    assert "Let op, volgens de richtlijnen van het handboek:" in page
    assert "Prioriteit 2 is aan meer dan één accent gegeven." in page
    assert "meer dan het handboek adviseert" in page


def test_htmx_consensus_save_updates_the_guidance_warnings(cast, login):
    """After a third goal in one layer, the htmx answer carries the updated warning (out of band)."""
    client = login(cast.kartrekker)
    round_ = cast.consensus_round
    for code in ("1.1", "1.2", "1.3"):
        response = client.post(
            reverse("assessments:consensus_item", args=[cast.school.pk, round_.pk, code]),
            {"phase": "2", "strengths": "", "next_steps": f"Doel {code}", "priority": "", "version": ""},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
    page = text(response)
    assert 'id="consensus-warnings" data-hx-swap-oob="true"' in page
    assert "heeft 3 ontwikkeldoelen" in page
    assert "maximaal 1 à 2 doelen per groeilaag" in page
