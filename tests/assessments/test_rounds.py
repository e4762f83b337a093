"""A round from start to close: creating it (defaults, anonymity), filling in (autosave changes only what it sends,
a whole layer, priorities in rank order), submitting (every accent and five priorities) and withdrawing, reminders,
the status steps (audited; reopening for schoolleiding only, with a reason), a closed round read-only, and a round
keeping the model version it started with."""

from __future__ import annotations

import copy

import pytest
from django.core import mail
from django.urls import reverse

from assessments import services
from assessments.models import Answer, ConsensusItem, Round, RoundStatus
from audit.models import AuditEvent
from core.errors import ServiceError
from ontwikkelmodel.content import load_file
from ontwikkelmodel.models import ModelVersion
from organisations.models import Membership
from tests.factories import fill_completely, make_round, move_to
from tests.helpers import audit, membership, participant, text


def fill_url(round_, step):
    return reverse("assessments:fill_step", args=[round_.school_id, round_.pk, step])


def autosave(client, round_, step, data):
    return client.post(
        reverse("assessments:fill_autosave", args=[round_.school_id, round_.pk, step]), data, HTTP_HX_REQUEST="true"
    )


def test_new_round_defaults_and_creation(cast, login):
    client = login(cast.kartrekker)
    url = reverse("assessments:round_new", args=[cast.school.pk])
    form = client.get(url).context["form"]
    core = {cast.schoolleider, cast.kartrekker, cast.werkgroeplid, cast.trainer}
    assert {m.user for m in Membership.objects.filter(pk__in=form.initial["participants"])} == core
    assert form.initial["anonymous"] is True

    chosen = [membership(cast.school, u).pk for u in (cast.kartrekker, cast.teamlid, cast.werkgroeplid)]
    response = client.post(
        url,
        {
            "title": "Na module 4",
            "deadline": "2026-10-01",
            "meeting_date": "2026-10-15",
            "anonymous": "on",
            "participants": chosen,
            "facilitator": membership(cast.school, cast.trainer).pk,
        },
    )
    assert response.status_code == 302
    round_ = Round.objects.get(title="Na module 4")
    assert response.url == reverse("assessments:round", args=[cast.school.pk, round_.pk])
    assert round_.status == RoundStatus.OPEN
    assert round_.anonymous is True
    assert round_.facilitator == cast.trainer
    assert round_.created_by == cast.kartrekker
    assert round_.model_version.version == load_file().version
    assert round_.model_version == ModelVersion.current()
    assert set(round_.participants.values_list("user__email", flat=True)) == {
        cast.kartrekker.email,
        cast.teamlid.email,
        cast.werkgroeplid.email,
    }
    assert not round_.participants.exclude(submitted_at=None).exists()
    (event,) = audit("round.created", object_id=str(round_.pk))
    assert event.data == {"title": "Na module 4", "participants": 3, "anonymous": True, "show_previous": False}


def test_unchecked_anonymous_box_makes_a_named_round(cast, login):
    client = login(cast.kartrekker)
    client.post(
        reverse("assessments:round_new", args=[cast.school.pk]),
        {"title": "Met namen", "participants": [membership(cast.school, cast.kartrekker).pk]},
    )
    assert Round.objects.get(title="Met namen").anonymous is False


def test_autosave_changes_only_the_fields_it_sends(cast, login):
    p = participant(cast.open_round, cast.werkgroeplid)
    services.do_save_answers(
        participant=p,
        answers={"1.1": {"phase": 2, "strengths": "Rust", "goal": "Overdracht"}},
        acting_user=cast.werkgroeplid,
    )
    client = login(cast.werkgroeplid)

    response = autosave(client, cast.open_round, "1", {"strengths-1.1": "  Rust en ritme  "})
    assert response.status_code == 200
    assert "Concept opgeslagen" in text(response)
    a = Answer.objects.get(participant=p, accent_code="1.1")
    assert (a.phase, a.strengths, a.goal) == (2, "Rust en ritme", "Overdracht")

    autosave(client, cast.open_round, "1", {"phase-1.2": "0"})
    assert Answer.objects.get(participant=p, accent_code="1.2").dont_know
    a.refresh_from_db()
    assert (a.phase, a.strengths, a.goal) == (2, "Rust en ritme", "Overdracht")
    assert Answer.objects.filter(participant=p).count() == 2

    autosave(client, cast.open_round, "1", {"phase-1.1": ""})  # unset the phase
    a.refresh_from_db()
    assert (a.phase, a.strengths, a.goal) == (None, "Rust en ritme", "Overdracht")
    p.refresh_from_db()
    assert p.updated_at is not None and p.submitted_at is None
    assert not audit("participant.submitted", object_id=str(cast.open_round.pk))  # drafts are not audited


def test_full_page_post_saves_the_layer_and_moves_on(cast, login):
    client = login(cast.werkgroeplid)
    data = {"go": "2"}
    for code in ("1.1", "1.2", "1.3"):
        data.update({f"phase-{code}": "3", f"strengths-{code}": f"Sterk {code}", f"goal-{code}": ""})
    response = client.post(fill_url(cast.open_round, "1"), data)
    assert response.status_code == 302
    assert response.url == fill_url(cast.open_round, "2")
    p = participant(cast.open_round, cast.werkgroeplid)
    assert dict(p.answers.values_list("accent_code", "phase")) == {"1.1": 3, "1.2": 3, "1.3": 3}
    assert "Sterk 1.2" in text(client.get(fill_url(cast.open_round, "1")))


def test_priorities_are_saved_in_rank_order(cast, login):
    client = login(cast.werkgroeplid)
    codes = ["3B.4", "1.1", "2.3", "3A.1", "1.3"]
    response = client.post(fill_url(cast.open_round, "prioriteiten"), {f"rank-{i + 1}": c for i, c in enumerate(codes)})
    assert response.status_code == 302
    p = participant(cast.open_round, cast.werkgroeplid)
    assert list(p.priorities.values_list("rank", "accent_code")) == list(enumerate(codes, start=1))
    response = autosave(client, cast.open_round, "prioriteiten", {"rank-1": "2.2", "rank-2": "", "rank-3": "1.1"})
    assert response.status_code == 200
    assert list(p.priorities.values_list("rank", "accent_code")) == [(1, "2.2"), (3, "1.1")]


def test_submit_needs_all_fifteen_accents_and_five_priorities(cast, login):
    model = cast.open_round.model
    p = participant(cast.open_round, cast.werkgroeplid)
    client = login(cast.werkgroeplid)
    submit = fill_url(cast.open_round, "indienen")

    # Fourteen accents answered, one missing; five priorities.
    services.do_save_answers(
        participant=p, answers={a.code: {"phase": 2} for a in model.accents[:-1]}, acting_user=cast.werkgroeplid
    )
    services.do_save_priorities(participant=p, accent_codes=model.accent_codes[:5], acting_user=cast.werkgroeplid)
    last = model.accents[-1]
    response = client.post(submit, {"action": "indienen"})
    assert response.status_code == 400
    assert "Kies een groeifase (of ‘weet ik niet’) bij:" in text(response)
    assert f"{last.code} {last.name}" in text(response)
    assert participant(cast.open_round, cast.werkgroeplid).submitted_at is None

    # All fifteen (the last one "weet ik niet") but four priorities.
    services.do_save_answers(participant=p, answers={last.code: {"phase": 0}}, acting_user=cast.werkgroeplid)
    services.do_save_priorities(participant=p, accent_codes=model.accent_codes[:4], acting_user=cast.werkgroeplid)
    response = client.post(submit, {"action": "indienen"})
    assert response.status_code == 400
    assert "Kies vijf prioriteiten" in text(response)
    assert "Kies een groeifase" not in text(response)
    assert not audit("participant.submitted", actor=cast.werkgroeplid, object_id=str(cast.open_round.pk))

    services.do_save_priorities(participant=p, accent_codes=model.accent_codes[:5], acting_user=cast.werkgroeplid)
    response = client.post(submit, {"action": "indienen"})
    assert response.status_code == 302
    assert participant(cast.open_round, cast.werkgroeplid).is_submitted
    assert len(audit("participant.submitted", actor=cast.werkgroeplid, object_id=str(cast.open_round.pk))) == 1
    assert "Dank je wel! Je antwoorden zijn ingediend." in text(client.get(submit))


def test_a_phase_left_empty_counts_as_not_answered(cast):
    model = cast.open_round.model
    p = participant(cast.open_round, cast.werkgroeplid)
    services.do_save_answers(
        participant=p, answers={a.code: {"phase": 3} for a in model.accents}, acting_user=cast.werkgroeplid
    )
    services.do_save_answers(participant=p, answers={"2.2": {"phase": None}}, acting_user=cast.werkgroeplid)
    services.do_save_priorities(participant=p, accent_codes=model.accent_codes[:5], acting_user=cast.werkgroeplid)
    assert any("2.2" in problem for problem in services.missing_for_submit(p))
    with pytest.raises(ServiceError, match="2.2"):
        services.do_submit(participant=p, acting_user=cast.werkgroeplid)


def test_withdraw_is_allowed_until_the_consensus(cast, login):
    p = participant(cast.open_round, cast.werkgroeplid)
    fill_completely(p)
    client = login(cast.werkgroeplid)
    submit = fill_url(cast.open_round, "indienen")

    response = client.post(submit, {"action": "intrekken"})
    assert response.status_code == 302
    assert participant(cast.open_round, cast.werkgroeplid).submitted_at is None
    assert len(audit("participant.withdrawn")) == 1
    # Editable again.
    assert autosave(client, cast.open_round, "1", {"strengths-1.1": "Aangepast"}).status_code == 200

    client.post(submit, {"action": "indienen"})
    assert participant(cast.open_round, cast.werkgroeplid).is_submitted
    services.do_start_consensus(round_=cast.open_round, acting_user=cast.kartrekker)
    response = client.post(submit, {"action": "intrekken"})
    assert response.status_code == 400
    assert "Deze ronde staat niet meer open voor invullen." in text(response)
    assert participant(cast.open_round, cast.werkgroeplid).is_submitted
    assert len(audit("participant.withdrawn")) == 1


def test_reminders_go_only_to_those_who_have_not_submitted(cast, login, on_commit):
    for user in (cast.schoolleider, cast.trainer):
        fill_completely(participant(cast.open_round, user))
    client = login(cast.kartrekker)
    with on_commit():
        response = client.post(reverse("assessments:round_remind", args=[cast.school.pk, cast.open_round.pk]))
    assert response.status_code == 302
    assert "Herinnering klaargezet voor 3 deelnemer(s): de e-mail staat in de wachtrij" in text(
        client.get(response.url)
    )
    pending = {cast.kartrekker.email, cast.werkgroeplid.email, cast.teamlid.email}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(pending)
    assert all("Open ronde" in m.subject for m in mail.outbox)
    link = reverse("assessments:fill", args=[cast.school.pk, cast.open_round.pk])
    assert all(link in m.body for m in mail.outbox)
    reminded = dict(cast.open_round.participants.values_list("user__email", "reminded_at"))
    assert {email for email, at in reminded.items() if at is not None} == pending
    (event,) = audit("round.reminders_sent")
    assert event.data == {"count": 3}

    # Not any more once the consensus started.
    mail.outbox.clear()
    with on_commit():
        response = client.post(
            reverse("assessments:round_remind", args=[cast.school.pk, cast.consensus_round.pk]), follow=True
        )
    assert "Herinneren kan alleen zolang de ronde openstaat." in text(response)
    assert mail.outbox == []


def test_status_transitions_are_audited(cast, login):
    round_ = cast.open_round
    for p in round_.participants.all():
        fill_completely(p)
    organiser = login(cast.kartrekker)

    def step(client, action):
        # confirmed: moving on with something missing asks first (tests/assessments/test_round_rough_edges.py)
        return client.post(
            reverse("assessments:round_transition", args=[cast.school.pk, round_.pk, action]), {"bevestigd": "1"}
        )

    assert step(organiser, "consensus").url == reverse("assessments:consensus", args=[cast.school.pk, round_.pk])
    assert Round.objects.get(pk=round_.pk).status == RoundStatus.CONSENSUS
    step(organiser, "heropen-invullen")
    assert Round.objects.get(pk=round_.pk).status == RoundStatus.OPEN
    step(organiser, "consensus")
    response = step(organiser, "afsluiten")
    assert response.url == reverse("assessments:result", args=[cast.school.pk, round_.pk])
    closed = Round.objects.get(pk=round_.pk)
    assert closed.status == RoundStatus.CLOSED and closed.closed_at is not None

    # A step that does not fit the current status is refused in Dutch.
    response = step(organiser, "consensus")
    assert "Deze stap kan niet in de huidige fase van de ronde." in text(organiser.get(response.url))
    assert step(organiser, "bestaat-niet").status_code == 404

    # Reopening: schoolleiding only, with a reason.
    assert step(organiser, "heropenen").status_code == 403
    leader = login(cast.schoolleider)
    response = leader.post(reverse("assessments:round_transition", args=[cast.school.pk, round_.pk, "heropenen"]))
    assert "Schrijf kort op waarom; dit wordt vastgelegd." in text(leader.get(response.url))
    assert Round.objects.get(pk=round_.pk).status == RoundStatus.CLOSED
    response = leader.post(
        reverse("assessments:round_transition", args=[cast.school.pk, round_.pk, "heropenen"]),
        {"reason": "Prioriteit 3 was verkeerd overgenomen."},
    )
    reopened = Round.objects.get(pk=round_.pk)
    assert reopened.status == RoundStatus.CONSENSUS and reopened.closed_at is None

    events = AuditEvent.objects.filter(object_type="assessments.round", object_id=str(round_.pk)).order_by("pk")
    actions = [e.action for e in events if e.action.startswith("round.")]
    assert actions == [
        "round.created",
        "round.consensus_started",
        "round.filling_reopened",
        "round.consensus_started",
        "round.closed",
        "round.reopened",
    ]
    reopen = events.get(action="round.reopened")
    assert reopen.actor == cast.schoolleider
    assert reopen.data == {"from": "closed", "to": "consensus", "reason": "Prioriteit 3 was verkeerd overgenomen."}
    assert events.get(action="round.closed").actor == cast.kartrekker


def test_closed_round_is_read_only(cast, login):
    round_ = cast.closed_round
    client = login(cast.kartrekker)
    response = client.post(
        reverse("assessments:consensus_item", args=[cast.school.pk, round_.pk, "1.1"]), {"phase": "4", "version": ""}
    )
    assert response.status_code == 409
    assert "De consensus kan alleen worden vastgelegd tijdens het consensusgesprek." in text(response)
    assert not ConsensusItem.objects.filter(round=round_).exists()
    page = text(client.get(reverse("assessments:consensus", args=[cast.school.pk, round_.pk])))
    # No form to record with (the written answers' address starts with the item's: .../consensus/1.1/geschreven/)
    assert f'action="{reverse("assessments:consensus_item", args=[cast.school.pk, round_.pk, "1.1"])}"' not in page
    assert "data-hx-post" not in page
    assert "afsluiten" not in page
    assert client.get(reverse("assessments:round_edit", args=[cast.school.pk, round_.pk])).status_code == 404
    with pytest.raises(ServiceError, match="afgesloten"):
        services.do_update_round(
            round_=round_,
            title="Anders",
            deadline=None,
            meeting_date=None,
            anonymous=True,
            participant_user_ids=[cast.kartrekker.pk],
            facilitator=None,
            acting_user=cast.kartrekker,
        )
    assert Round.objects.get(pk=round_.pk).title == "Afgesloten ronde"


def test_reopen_is_for_schoolleiding_only(cast, login):
    round_ = cast.closed_round
    url = reverse("assessments:round_transition", args=[cast.school.pk, round_.pk, "heropenen"])
    for user in (cast.kartrekker, cast.werkgroeplid, cast.trainer):
        assert login(user).post(url, {"reason": "Mag dit?"}).status_code == 403
    assert Round.objects.get(pk=round_.pk).status == RoundStatus.CLOSED
    assert not audit("round.reopened")
    page = text(login(cast.kartrekker).get(reverse("assessments:round", args=[cast.school.pk, round_.pk])))
    assert "Ronde heropenen" not in page
    page = text(login(cast.schoolleider).get(reverse("assessments:round", args=[cast.school.pk, round_.pk])))
    assert "Ronde heropenen (alleen schoolleiding)" in page


def test_a_round_keeps_its_model_version(cast, login):
    """Content edits after a round was opened never change that round: it reads its stored copy."""
    data = copy.deepcopy(load_file().to_dict())
    data["version"] = "2021.0-test"
    accent = data["layers"][0]["accents"][0]
    accent["name"] = "Oude naam voor dit accent"
    accent["phases"]["1"] = "Oude omschrijving van groeifase 1"
    old = ModelVersion.objects.create(version="2021.0-test", data=data)
    current_name = load_file().accents[0].name

    round_ = make_round(cast.school, [cast.kartrekker, cast.werkgroeplid, cast.teamlid], by=cast.kartrekker)
    Round.objects.filter(pk=round_.pk).update(model_version=old)
    round_ = Round.objects.get(pk=round_.pk)
    assert ModelVersion.current() != old
    assert round_.model.accents[0].name == "Oude naam voor dit accent"

    client = login(cast.werkgroeplid)
    page = text(client.get(fill_url(round_, "1")))
    assert "Oude naam voor dit accent" in page
    assert "Oude omschrijving van groeifase 1" in page
    assert current_name not in page

    for p in round_.participants.all():
        fill_completely(p)
    move_to(round_, "consensus", cast.kartrekker)
    organiser = login(cast.kartrekker)
    for name in ("consensus", "present"):
        page = text(organiser.get(reverse(f"assessments:{name}", args=[cast.school.pk, round_.pk])))
        assert "Oude naam voor dit accent" in page, name
        assert current_name not in page, name
    move_to(Round.objects.get(pk=round_.pk), "closed", cast.kartrekker)
    page = text(organiser.get(reverse("assessments:result", args=[cast.school.pk, round_.pk])))
    assert "Oude naam voor dit accent" in page
    assert "Ontwikkelmodel versie 2021.0-test" in page
    assert current_name not in page

    # The stored copy itself never changed, and new rounds get the current file.
    old.refresh_from_db()
    assert old.data == data
    assert make_round(cast.school, [cast.kartrekker], by=cast.kartrekker).model_version == ModelVersion.current()
