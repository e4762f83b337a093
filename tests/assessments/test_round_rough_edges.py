"""Rough edges of rounds found when tried as a new user would (issue 14, part 5).

- Moving on (start the consensus, close the round) with something missing asks first and says what: not submitted
  (x of y), accents without agreement, no priorities. Without JavaScript: a page with a checkbox.
- Another round that is still open is mentioned when opening a new one; a round nobody put anything into can be
  deleted (asked first, audited), one with a draft answer or a submission cannot.
- "Het hele team" ticks everyone; members who joined later are pointed out on the edit page; a colleague who does
  not take part is told so on the fill page, and who can add them.
- The consensus of an anonymous round while filling in is open: the 403 names the real reason (the phase).
"""

from __future__ import annotations

import re

from django.urls import reverse

from assessments import services
from assessments.models import Participant, Round, RoundStatus
from audit.models import AuditEvent
from organisations.models import Membership, Role
from tests.factories import agree_priorities, fill_completely, make_member, make_round, make_user


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def transition(cast, round_, action):
    return reverse("assessments:round_transition", args=[cast.school.pk, round_.pk, action])


def status(round_) -> str:
    return Round.objects.get(pk=round_.pk).status


# 1. Moving on warns and asks ---------------------------------------------------------------------------------------


def test_starting_the_consensus_with_missing_submissions_asks_first(cast, login):
    round_ = cast.open_round
    fill_completely(Participant.objects.get(round=round_, user=cast.teamlid))
    client = login(cast.kartrekker)
    detail = text(client.get(reverse("assessments:round", args=[cast.school.pk, round_.pk])))
    assert "4 van de 5 deelnemers hebben nog niet ingediend (1 van 5 wel)." in detail
    assert "data-confirm" not in detail.split("Naar het consensusgesprek</button>")[0].rsplit("<form", 1)[1]

    page = client.post(transition(cast, round_, "consensus"))
    assert page.status_code == 200
    body = text(page)
    assert "Naar het consensusgesprek?" in body and "Dit ontbreekt nog" in body
    assert "4 van de 5 deelnemers hebben nog niet ingediend (1 van 5 wel)." in body
    assert "In deze anonieme ronde verschijnt de verdeling pas vanaf 3 inzendingen." in body
    assert 'name="bevestigd"' in body and "Toch naar het consensusgesprek" in body
    assert status(round_) == RoundStatus.OPEN
    assert not AuditEvent.objects.filter(action="round.consensus_started", object_id=str(round_.pk)).exists()

    unticked = client.post(transition(cast, round_, "consensus"), {"bevestigen": "1"})
    assert unticked.status_code == 400
    assert "Vink het vakje aan om toch door te gaan, of ga terug." in text(unticked)
    assert status(round_) == RoundStatus.OPEN

    done = client.post(transition(cast, round_, "consensus"), {"bevestigen": "1", "bevestigd": "1"})
    assert done.status_code == 302
    assert status(round_) == RoundStatus.CONSENSUS


def test_nothing_missing_moves_on_without_the_extra_page(cast, login):
    round_ = cast.open_round
    for p in round_.participants.all():
        fill_completely(p)
    assert services.transition_warnings(round_, "consensus") == []
    client = login(cast.kartrekker)
    detail = text(client.get(reverse("assessments:round", args=[cast.school.pk, round_.pk])))
    assert "Voordat je naar het consensusgesprek gaat" not in detail
    assert "data-confirm" in detail  # the browser's own question stays, as before
    response = client.post(transition(cast, round_, "consensus"))
    assert response.status_code == 302 and status(round_) == RoundStatus.CONSENSUS


def test_closing_with_nothing_agreed_warns_about_accents_and_priorities(cast, login):
    round_ = cast.consensus_round
    warnings = services.transition_warnings(round_, "afsluiten")
    n_accents = len(round_.model.accents)
    assert any(
        w.startswith(f"Bij {n_accents} van de {n_accents} accenten is geen groeifase afgesproken") for w in warnings
    )
    assert "Er zijn geen prioriteiten vastgelegd." in warnings
    client = login(cast.kartrekker)
    page = client.post(transition(cast, round_, "afsluiten"))
    assert page.status_code == 200
    body = text(page)
    assert "Ronde afsluiten?" in body and "Toch afsluiten" in body and "Er zijn geen prioriteiten vastgelegd." in body
    assert status(round_) == RoundStatus.CONSENSUS
    response = client.post(transition(cast, round_, "afsluiten"), {"bevestigen": "1", "bevestigd": "1"})
    assert response.url == reverse("assessments:result", args=[cast.school.pk, round_.pk])
    assert status(round_) == RoundStatus.CLOSED


def test_closing_names_only_what_is_still_missing(cast):
    round_ = cast.consensus_round
    agree_priorities(round_, {"1.1": 1, "2.1": 2})
    warnings = services.transition_warnings(round_, "afsluiten")
    assert "Er zijn geen prioriteiten vastgelegd." not in warnings
    missing = [w for w in warnings if "geen groeifase afgesproken" in w]
    assert len(missing) == 1 and "1.1," not in missing[0] and "2.1," not in missing[0]
    everything = {a.code: (i % 5) + 1 for i, a in enumerate(round_.model.accents)}
    agree_priorities(round_, everything)
    assert services.transition_warnings(round_, "afsluiten") == []  # the cast's consensus round: all submitted


def test_a_step_that_does_not_fit_the_phase_is_refused_without_the_confirm_page(cast, login):
    client = login(cast.kartrekker)
    response = client.post(transition(cast, cast.closed_round, "afsluiten"))
    assert response.status_code == 302
    assert "Deze stap kan niet in de huidige fase van de ronde." in text(client.get(response.url))


def test_the_confirm_page_is_for_organisers_only(cast, login):
    for user in (cast.werkgroeplid, cast.teamlid):
        assert login(user).post(transition(cast, cast.open_round, "consensus")).status_code == 403
    assert status(cast.open_round) == RoundStatus.OPEN


# 2. Other open rounds and deleting an empty round ------------------------------------------------------------------


def test_opening_a_new_round_mentions_the_rounds_still_open(cast, login):
    client = login(cast.kartrekker)
    body = text(client.get(reverse("assessments:round_new", args=[cast.school.pk])))
    assert "Let op: er staat al een ronde open." in body
    assert (
        "Open ronde" in body
        and "Consensusronde" in body
        and "Afgesloten ronde" not in body.split("andere-rondes")[1].split("</p>")[0]
    )
    detail = text(client.get(reverse("assessments:round", args=[cast.school.pk, cast.open_round.pk])))
    assert "Let op: er staat nog een andere ronde open:" in detail and "Consensusronde" in detail


def test_no_warning_when_no_other_round_is_open(cast, login):
    Round.objects.filter(school=cast.school).exclude(pk=cast.closed_round.pk).delete()
    body = text(login(cast.kartrekker).get(reverse("assessments:round_new", args=[cast.school.pk])))
    assert "Let op: er staat al een ronde open." not in body


def test_an_empty_round_can_be_deleted_after_asking_and_it_is_audited(cast, login):
    round_ = cast.open_round
    client = login(cast.kartrekker)
    url = reverse("assessments:round_delete", args=[cast.school.pk, round_.pk])
    detail = text(client.get(reverse("assessments:round", args=[cast.school.pk, round_.pk])))
    assert "Ronde verwijderen" in detail
    page = text(client.get(url))
    assert "Ronde verwijderen?" in page and "Ja, ronde verwijderen" in page
    assert Round.objects.filter(pk=round_.pk).exists()  # asking deletes nothing
    response = client.post(url)
    assert response.url == reverse("organisations:school", args=[cast.school.pk])
    assert not Round.objects.filter(pk=round_.pk).exists()
    event = AuditEvent.objects.get(action="round.deleted")
    assert event.actor_id == cast.kartrekker.pk and event.data["title"] == "Open ronde"
    assert event.data["participants"] == 5


def test_a_round_with_a_draft_answer_cannot_be_deleted(cast, login):
    round_ = cast.open_round
    participant = Participant.objects.get(round=round_, user=cast.teamlid)
    services.do_save_answers(participant=participant, answers={"1.1": {"phase": 2}}, acting_user=cast.teamlid)
    client = login(cast.kartrekker)
    url = reverse("assessments:round_delete", args=[cast.school.pk, round_.pk])
    page = text(client.get(url))
    assert "kan niet worden verwijderd" in page and "Ja, ronde verwijderen" not in page
    response = client.post(url, follow=True)
    assert "kan niet worden verwijderd" in text(response)
    assert Round.objects.filter(pk=round_.pk).exists()
    assert not AuditEvent.objects.filter(action="round.deleted").exists()


def test_a_named_round_with_only_priorities_or_a_past_submission_cannot_be_deleted(cast, login):
    round_ = make_round(cast.school, [cast.teamlid, cast.werkgroeplid], by=cast.kartrekker, anonymous=False)
    assert services.deletable(round_)
    participant = Participant.objects.get(round=round_, user=cast.teamlid)
    services.do_save_priorities(participant=participant, accent_codes=["1.1"], acting_user=cast.teamlid)
    assert not services.deletable(Round.objects.get(pk=round_.pk))
    other = make_round(cast.school, [cast.teamlid], by=cast.kartrekker, anonymous=False)
    Round.objects.filter(pk=other.pk).update(first_submitted_at="2026-01-05T10:00:00Z")  # submitted, then withdrawn
    assert not services.deletable(Round.objects.get(pk=other.pk))
    for r in (cast.consensus_round, cast.closed_round):
        assert not services.deletable(r)
        assert (
            login(cast.kartrekker).post(reverse("assessments:round_delete", args=[cast.school.pk, r.pk])).status_code
            == 302
        )
        assert Round.objects.filter(pk=r.pk).exists()


# 3. The whole team, people who joined later, and a colleague who is not in the round --------------------------------


def test_het_hele_team_ticks_every_member(cast, login):
    client = login(cast.kartrekker)
    form = text(client.get(reverse("assessments:round_new", args=[cast.school.pk])))
    assert "Het hele team: alle teamleden van de school doen mee" in form
    response = client.post(
        reverse("assessments:round_new", args=[cast.school.pk]),
        {"title": "Na module 1", "anonymous": "on", "whole_team": "on"},
    )
    assert response.status_code == 302
    round_ = Round.objects.get(title="Na module 1")
    members = set(Membership.objects.filter(school=cast.school).values_list("user_id", flat=True))
    assert set(round_.participants.values_list("user_id", flat=True)) == members


def test_neither_the_whole_team_nor_anyone_ticked_is_a_dutch_error(cast, login):
    before = Round.objects.count()
    response = login(cast.kartrekker).post(
        reverse("assessments:round_new", args=[cast.school.pk]), {"title": "Leeg", "anonymous": "on"}
    )
    assert response.status_code == 400 and "Kies minstens één deelnemer." in text(response)
    assert Round.objects.count() == before


def test_a_member_who_joined_later_is_pointed_out_and_can_be_added(cast, login):
    newcomer = make_user("Nina Nieuw", "nina@regenboog.test")
    make_member(cast.school, newcomer, Role.TEAMLID)
    client = login(cast.kartrekker)
    detail = text(client.get(reverse("assessments:round", args=[cast.school.pk, cast.open_round.pk])))
    assert "Nieuwe teamleden toevoegen" in detail
    edit = text(client.get(reverse("assessments:round_edit", args=[cast.school.pk, cast.open_round.pk])))
    assert "Nog niet in deze ronde: 1 lid van de school." in edit and "Nina Nieuw" in edit
    data = {"title": "Open ronde", "anonymous": "on", "whole_team": "on"}
    response = client.post(reverse("assessments:round_edit", args=[cast.school.pk, cast.open_round.pk]), data)
    assert response.status_code == 302
    assert Participant.objects.filter(round=cast.open_round, user=newcomer).exists()


def test_a_colleague_who_is_not_a_participant_is_told_why_and_who_can_add_them(cast, login):
    newcomer = make_user("Nina Nieuw", "nina@regenboog.test")
    make_member(cast.school, newcomer, Role.TEAMLID)
    response = login(newcomer).get(reverse("assessments:fill", args=[cast.school.pk, cast.open_round.pk]))
    assert response.status_code == 403
    body = text(response)
    assert "Je doet niet mee aan deze ronde: je staat niet op de lijst met deelnemers." in body
    assert "Karel Kartrekker" in body and "Sara Schoolleider" in body and "Ronde wijzigen" in body
    assert "Je rol in deze school geeft geen toegang" not in body


# 6. The real reason on the consensus of an anonymous round while filling in is open --------------------------------


def test_consensus_of_an_open_anonymous_round_names_the_phase_not_the_role(cast, login):
    for user in (cast.kartrekker, cast.schoolleider):
        for name in ("consensus", "present"):
            response = login(user).get(reverse(f"assessments:{name}", args=[cast.school.pk, cast.open_round.pk]))
            assert response.status_code == 403
            body = text(response)
            assert "Deze ronde is anoniem en het invullen staat nog open." in body
            assert "Je rol in deze school geeft geen toegang" not in body
    # Whose role really gives no access still hears that.
    response = login(cast.teamlid).get(reverse("assessments:consensus", args=[cast.school.pk, cast.consensus_round.pk]))
    assert response.status_code == 403 and "Je rol in deze school geeft geen toegang" in text(response)


def test_closing_from_the_consensus_asks_once(cast, login):
    """With something missing the close goes to the confirm page that names it: no browser question before it."""
    from django.urls import reverse as url_for

    client = login(cast.kartrekker)
    page = url_for("assessments:consensus", args=[cast.school.pk, cast.consensus_round.pk])
    html = client.get(page).content.decode()  # nothing agreed yet
    close = html[html.index("/afsluiten/") - 200 : html.index("/afsluiten/") + 300]
    assert "data-confirm" not in close
