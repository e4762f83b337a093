"""Tampered and absurd input: never a 500, always a clear Dutch error (or a 404), and nothing stored changes.

Every test takes a snapshot of all rows a request could touch (and the audit log's size) before the
request and compares it afterwards.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from accounts.models import LoginCode, User
from actionplans.models import Action, ActionStep, ActionUpdate, Goal, Meeting, PlanChange
from assessments import services
from assessments.forms import RoundForm
from assessments.models import Answer, ConsensusItem, Participant, Priority, Round
from audit.models import AuditEvent
from core.errors import ServiceError
from ontwikkelmodel.models import ModelVersion
from organisations import services as org_services
from organisations.models import Invitation, Membership, Role

from .consensus_pages import consensus_in_full
from .factories import fill_completely, make_user

HTMX = {"HTTP_HX_REQUEST": "true"}
LONG = "x" * 10_000
SCRIPT = '<script>alert("xss")</script><b>vet</b>'


# Helpers ---------------------------------------------------------------------------------------------------


def stored_state() -> dict:
    """Every row a request in these tests could change, as plain values (last_login is not a change)."""

    def rows(model, *fields):
        return list(model.objects.order_by("pk").values(*fields))

    return {
        "users": rows(User, "pk", "email", "name", "password", "is_active"),
        "memberships": rows(Membership),
        "invitations": rows(Invitation),
        "rounds": rows(Round),
        "participants": rows(Participant),
        "answers": rows(Answer),
        "priorities": rows(Priority),
        "consensus_items": rows(ConsensusItem),
        "model_versions": rows(ModelVersion, "pk", "version"),
        "login_codes": rows(LoginCode),
        "audit_events": AuditEvent.objects.count(),
    }


def assert_unchanged(before: dict) -> None:
    after = stored_state()
    for key in before:
        assert after[key] == before[key], f"{key} changed"


def text(response) -> str:
    return response.content.decode()


def fill_url(round_, step):
    return reverse("assessments:fill_step", args=[round_.school_id, round_.pk, step])


def autosave_url(round_, step):
    return reverse("assessments:fill_autosave", args=[round_.school_id, round_.pk, step])


def consensus_item_url(round_, code):
    return reverse("assessments:consensus_item", args=[round_.school_id, round_.pk, code])


LAYER_1 = {
    "1.1": {"phase": 2, "strengths": "Rust in de klas", "goal": "Vaste overdracht"},
    "1.2": {"phase": 3, "strengths": "Goede lijnen", "goal": ""},
    "1.3": {"phase": 0, "strengths": "", "goal": "Meer uitleg"},
}
STORED_PRIORITIES = ["1.1", "1.2", "1.3", "2.1", "2.2"]


@pytest.fixture
def filler(cast, login):
    """The werkgroeplid, logged in, with layer 1 and accent 2.1 answered and five priorities, not submitted."""
    participant = Participant.objects.get(round=cast.open_round, user=cast.werkgroeplid)
    services.do_save_answers(
        participant=participant,
        answers={**LAYER_1, "2.1": {"phase": 3, "strengths": "Veilig", "goal": ""}},
        acting_user=cast.werkgroeplid,
    )
    services.do_save_priorities(participant=participant, accent_codes=STORED_PRIORITIES, acting_user=cast.werkgroeplid)
    return login(cast.werkgroeplid), participant


def layer_1_post(**overrides) -> dict:
    """The full layer-1 form as a browser sends it, with one real change (that must not land either)."""
    data = {"go": "2"}
    for code, fields in LAYER_1.items():
        data[f"phase-{code}"] = str(fields["phase"])
        data[f"strengths-{code}"] = fields["strengths"]
        data[f"goal-{code}"] = fields["goal"]
    data["strengths-1.2"] = "Een echte wijziging die niet mag landen"
    data.update(overrides)
    return data


# Filling in: answers -----------------------------------------------------------------------------------

BAD_ANSWER_FIELDS = [
    pytest.param("phase-1.1", "7", "Kies groeifase 1, 2, 3 of 4", id="phase-7"),
    pytest.param("phase-1.1", "-1", "Kies groeifase 1, 2, 3 of 4", id="phase-minus-1"),
    pytest.param("phase-1.1", "abc", "Kies groeifase 1, 2, 3 of 4", id="phase-abc"),
    pytest.param("phase-1.1", "99999999999999999999999", "Kies groeifase 1, 2, 3 of 4", id="phase-huge"),
    pytest.param("phase-2.1", "1", "niet bij deze groeilaag hoort", id="accent-of-other-layer"),
    pytest.param("goal-3A.2", "Doel", "niet bij deze groeilaag hoort", id="text-for-other-layer"),
    pytest.param("phase-9.9", "1", "niet bij deze groeilaag hoort", id="accent-does-not-exist"),
    pytest.param("strengths-1.1", LONG, "Gebruik maximaal 2000 tekens (nu 10000)", id="strengths-10000"),
    pytest.param("goal-1.3", LONG, "Gebruik maximaal 2000 tekens (nu 10000)", id="goal-10000"),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_ANSWER_FIELDS)
def test_fill_page_post_with_bad_answer_changes_nothing(cast, filler, field, value, message):
    client, _participant = filler
    before = stored_state()
    response = client.post(fill_url(cast.open_round, "1"), layer_1_post(**{field: value}))
    assert response.status_code == 400
    assert "Nog niet opgeslagen" in text(response)
    assert message in text(response)
    assert_unchanged(before)


@pytest.mark.parametrize(("field", "value", "message"), BAD_ANSWER_FIELDS)
def test_fill_page_post_with_only_the_bad_field_changes_nothing(cast, filler, field, value, message):
    client, _participant = filler
    before = stored_state()
    response = client.post(fill_url(cast.open_round, "1"), {field: value})
    assert response.status_code == 400
    assert message in text(response)
    assert_unchanged(before)


@pytest.mark.parametrize(("field", "value", "message"), BAD_ANSWER_FIELDS)
def test_autosave_with_bad_answer_changes_nothing(cast, filler, field, value, message):
    client, _participant = filler
    before = stored_state()
    response = client.post(
        autosave_url(cast.open_round, "1"), {"strengths-1.2": "Echte wijziging", field: value}, **HTMX
    )
    assert response.status_code == 400
    assert "Niet opgeslagen" in text(response)
    assert message in text(response)
    assert_unchanged(before)


@pytest.mark.parametrize("step", ["9", "prioriteiten-extra", "x" * 500, "..", "1.1"])
def test_unknown_fill_step_is_404(cast, filler, step):
    client, _participant = filler
    before = stored_state()
    assert client.get(fill_url(cast.open_round, step)).status_code == 404
    assert client.post(fill_url(cast.open_round, step), {"phase-1.1": "2"}).status_code == 404
    assert client.post(autosave_url(cast.open_round, step), {"phase-1.1": "2"}, **HTMX).status_code == 404
    assert_unchanged(before)


def test_html_in_answers_is_stored_as_text_and_always_shown_escaped(cast, filler, login):
    client, participant = filler
    response = client.post(autosave_url(cast.open_round, "1"), {"strengths-1.1": SCRIPT, "goal-1.1": SCRIPT}, **HTMX)
    assert response.status_code == 200
    assert Answer.objects.get(participant=participant, accent_code="1.1").strengths == SCRIPT

    escaped = "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;&lt;b&gt;vet&lt;/b&gt;"
    for page in (fill_url(cast.open_round, "1"), fill_url(cast.open_round, "indienen")):
        content = text(client.get(page))
        assert SCRIPT not in content
        assert "<b>vet</b>" not in content
        assert escaped in content

    # Three more people submit so the anonymous round shows the written answers.
    fill_completely(participant, strengths=SCRIPT, goal=SCRIPT)
    for user in (cast.schoolleider, cast.kartrekker, cast.teamlid):
        fill_completely(Participant.objects.get(round=cast.open_round, user=user))
    services.do_start_consensus(round_=cast.open_round, acting_user=cast.kartrekker)

    organiser = login(cast.kartrekker)
    # The view with every layer open and each accent's written answers as they load on demand.
    consensus = consensus_in_full(organiser, Round.objects.get(pk=cast.open_round.pk))
    assert SCRIPT not in consensus
    assert "<b>vet</b>" not in consensus
    assert escaped in consensus

    response = organiser.post(
        consensus_item_url(cast.open_round, "1.1"), {"phase": "2", "strengths": SCRIPT, "next_steps": SCRIPT}
    )
    assert response.status_code == 302
    services.do_close_round(round_=Round.objects.get(pk=cast.open_round.pk), acting_user=cast.kartrekker)
    for name in ("consensus", "result", "present"):
        page = organiser.get(reverse(f"assessments:{name}", args=[cast.school.pk, cast.open_round.pk]))
        assert page.status_code == 200, name
        assert SCRIPT not in text(page), name
        assert "<b>vet</b>" not in text(page), name
        if name != "present":  # the projector view shows no written text at all
            assert "&lt;script&gt;" in text(page), name


# Filling in: priorities -------------------------------------------------------------------------------

NEW_PRIORITIES = {"rank-1": "3A.1", "rank-2": "3A.2", "rank-3": "3B.1", "rank-4": "3B.2", "rank-5": "2.4"}
BAD_PRIORITIES = [
    pytest.param({"rank-2": "3A.1"}, "Kies elk accent maar één keer", id="duplicate"),
    pytest.param({"rank-2": "3A.1", "rank-3": "3A.1", "rank-4": "3A.1"}, "Kies elk accent maar één keer", id="triple"),
    pytest.param({"rank-3": "9.9"}, "Kies een accent uit de lijst", id="unknown-code"),
    pytest.param({"rank-3": "<script>"}, "Kies een accent uit de lijst", id="html-code"),
    pytest.param({"rank-6": "1.1"}, "Kies maximaal vijf prioriteiten", id="sixth"),
    pytest.param({"rank-6": "1.1", "rank-7": "1.2", "rank-99": "1.3"}, "Kies maximaal vijf prioriteiten", id="eight"),
]


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "autosave"])
@pytest.mark.parametrize(("overrides", "message"), BAD_PRIORITIES)
def test_bad_priorities_change_nothing(cast, filler, overrides, message, htmx):
    client, participant = filler
    before = stored_state()
    data = {**NEW_PRIORITIES, **overrides}
    if htmx:
        response = client.post(autosave_url(cast.open_round, "prioriteiten"), data, **HTMX)
        assert "Niet opgeslagen" in text(response)
    else:
        response = client.post(fill_url(cast.open_round, "prioriteiten"), data)
        assert "Nog niet opgeslagen" in text(response)
    assert response.status_code == 400
    assert message in text(response)
    assert_unchanged(before)
    assert list(participant.priorities.values_list("accent_code", flat=True)) == STORED_PRIORITIES


def test_service_refuses_more_than_five_priorities(cast):
    participant = Participant.objects.get(round=cast.open_round, user=cast.werkgroeplid)
    before = stored_state()
    with pytest.raises(ServiceError, match="maximaal vijf prioriteiten"):
        services.do_save_priorities(
            participant=participant, accent_codes=["1.1", "1.2", "1.3", "2.1", "2.2", "2.3"], acting_user=None
        )
    with pytest.raises(ServiceError, match="maar één keer"):
        services.do_save_priorities(participant=participant, accent_codes=["1.1", "1.1"], acting_user=None)
    with pytest.raises(ServiceError, match="Onbekend accent"):
        services.do_save_priorities(participant=participant, accent_codes=["9.9"], acting_user=None)
    assert_unchanged(before)


# Another school's objects --------------------------------------------------------------------------------


def round_urls(school_id, round_id):
    return [
        ("get", reverse("assessments:round", args=[school_id, round_id]), {}),
        ("get", reverse("assessments:fill", args=[school_id, round_id]), {}),
        ("get", reverse("assessments:fill_step", args=[school_id, round_id, "1"]), {}),
        ("post", reverse("assessments:fill_step", args=[school_id, round_id, "1"]), {"phase-1.1": "1"}),
        ("post", reverse("assessments:fill_step", args=[school_id, round_id, "indienen"]), {"action": "indienen"}),
        ("post", reverse("assessments:fill_autosave", args=[school_id, round_id, "1"]), {"phase-1.1": "1"}),
        ("get", reverse("assessments:consensus", args=[school_id, round_id]), {}),
        ("post", reverse("assessments:consensus_item", args=[school_id, round_id, "1.1"]), {"phase": "1"}),
        ("get", reverse("assessments:present", args=[school_id, round_id]), {}),
        ("get", reverse("assessments:result", args=[school_id, round_id]), {}),
        ("post", reverse("assessments:round_transition", args=[school_id, round_id, "consensus"]), {}),
        ("post", reverse("assessments:round_remind", args=[school_id, round_id]), {}),
        ("get", reverse("assessments:round_edit", args=[school_id, round_id]), {}),
    ]


def test_other_schools_round_with_our_school_id_is_404(cast, login):
    client = login(cast.kartrekker)
    before = stored_state()
    for method, url, data in round_urls(cast.school.pk, cast.other_round.pk):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, url
        assert "Deze pagina bestaat niet" in text(response), url
    assert_unchanged(before)


def test_our_round_with_other_schools_id_is_404(cast, login):
    client = login(cast.outsider)  # schoolleider of the other school
    before = stored_state()
    for method, url, data in round_urls(cast.other_school.pk, cast.open_round.pk):
        assert getattr(client, method)(url, data).status_code == 404, url
    # And a member of our school using the other school's id with our round.
    client = login(cast.kartrekker)
    for method, url, data in round_urls(cast.other_school.pk, cast.open_round.pk):
        assert getattr(client, method)(url, data).status_code == 404, url
    assert_unchanged(before)


@pytest.mark.parametrize("big", [2**63, 10**30])
def test_ids_beyond_any_database_column_are_404_not_500(cast, login, big):
    client = login(cast.kartrekker)
    before = stored_state()
    urls = [
        reverse("organisations:school", args=[big]),
        reverse("organisations:members", args=[big]),
        reverse("organisations:member_edit", args=[cast.school.pk, big]),
        reverse("organisations:board", args=[big]),
        *[url for _m, url, _d in round_urls(cast.school.pk, big)],
        *[url for _m, url, _d in round_urls(big, cast.open_round.pk)],
    ]
    for url in urls:
        assert client.get(url).status_code in (404, 405), url
    assert client.post(reverse("organisations:invitation_revoke", args=[cast.school.pk, big])).status_code == 404
    assert client.post(reverse("organisations:member_remove", args=[cast.school.pk, big])).status_code == 404
    assert_unchanged(before)


# Consensus items ---------------------------------------------------------------------------------------

BAD_CONSENSUS = [
    pytest.param({"phase": "7"}, "Kies groeifase 1, 2, 3 of 4.", id="phase-7"),
    pytest.param({"phase": "-1"}, "Kies groeifase 1, 2, 3 of 4.", id="phase-minus-1"),
    pytest.param({"phase": "0"}, "Kies groeifase 1, 2, 3 of 4.", id="phase-0"),
    pytest.param({"priority": "9"}, "Kies prioriteit 1 tot en met 5, of geen.", id="priority-9"),
    pytest.param({"priority": "0"}, "Kies prioriteit 1 tot en met 5, of geen.", id="priority-0"),
    pytest.param({"priority": "een"}, "Kies prioriteit 1 tot en met 5, of geen.", id="priority-text"),
    pytest.param({"strengths": LONG}, "Gebruik maximaal 2000 tekens (nu 10000)", id="strengths-10000"),
    pytest.param({"next_steps": LONG}, "Gebruik maximaal 2000 tekens (nu 10000)", id="next-steps-10000"),
]


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize(("overrides", "message"), BAD_CONSENSUS)
def test_bad_consensus_item_changes_nothing(cast, login, overrides, message, htmx):
    client = login(cast.kartrekker)
    before = stored_state()
    data = {"phase": "3", "strengths": "Samen gezien", "next_steps": "", "priority": "1", "version": ""}
    data.update(overrides)
    response = client.post(consensus_item_url(cast.consensus_round, "1.1"), data, **(HTMX if htmx else {}))
    assert response.status_code == 400
    assert message in text(response)
    assert_unchanged(before)


@pytest.mark.parametrize("code", ["9.9", "<script>", "1", "x" * 300])
def test_consensus_item_for_unknown_accent_is_404(cast, login, code):
    client = login(cast.kartrekker)
    before = stored_state()
    assert client.get(consensus_item_url(cast.consensus_round, code)).status_code == 404
    assert client.post(consensus_item_url(cast.consensus_round, code), {"phase": "2"}).status_code == 404
    assert_unchanged(before)


@pytest.mark.parametrize("code", ["9.9", "<script>", "1", "x" * 300])
def test_written_answers_of_an_unknown_accent_are_404(cast, login, code):
    client = login(cast.kartrekker)
    url = reverse("assessments:consensus_written", args=[cast.school.pk, cast.consensus_round.pk, code])
    for extra in ({}, HTMX):
        response = client.get(url, **extra)
        assert response.status_code == 404
        assert "<script>" not in text(response).split("<main", 1)[-1]


@pytest.mark.parametrize("layer", ["9", "<script>", "x" * 1000, "", "alle", "3a"])
def test_consensus_view_with_an_odd_layer(cast, login, layer):
    """?laag= opens a growth layer; anything else is the default view, never an error (htmx: 404, no layer)."""
    client = login(cast.kartrekker)
    url = reverse("assessments:consensus", args=[cast.school.pk, cast.consensus_round.pk])
    response = client.get(url, {"laag": layer})
    assert response.status_code == 200
    assert "<script>" not in text(response).split("<main", 1)[1]
    htmx = client.get(url, {"laag": layer}, **HTMX)
    assert htmx.status_code == (200 if layer in ("alle", "") else 404)


@pytest.mark.parametrize("round_name", ["open_round", "closed_round"])
def test_consensus_item_outside_the_consensus_meeting_is_refused(cast, login, round_name):
    round_ = getattr(cast, round_name)
    client = login(cast.kartrekker)
    before = stored_state()
    response = client.post(consensus_item_url(round_, "1.1"), {"phase": "2", "strengths": "Nu", "version": ""})
    assert response.status_code == 409
    assert "De consensus kan alleen worden vastgelegd tijdens het consensusgesprek." in text(response)
    with pytest.raises(ServiceError, match="alleen worden vastgelegd tijdens het consensusgesprek"):
        services.do_save_consensus_item(
            round_=round_,
            accent_code="1.1",
            phase=2,
            strengths="",
            next_steps="",
            priority=None,
            acting_user=cast.kartrekker,
        )
    assert_unchanged(before)


# Round form ----------------------------------------------------------------------------------------------


def round_post(cast, **overrides) -> dict:
    mine = Membership.objects.filter(school=cast.school, user__in=[cast.kartrekker, cast.werkgroeplid])
    data = {
        "title": "Nieuwe ronde",
        "deadline": "2026-10-01",
        "meeting_date": "2026-10-15",
        "anonymous": "on",
        "participants": [str(m.pk) for m in mine],
        "facilitator": "",
    }
    data.update(overrides)
    return data


def _membership(school, user):
    return Membership.objects.get(school=school, user=user)


BAD_ROUNDS = [
    pytest.param({"deadline": "99999-01-01"}, "Voer een geldige datum in.", id="year-99999"),
    pytest.param({"meeting_date": "2026-13-45"}, "Voer een geldige datum in.", id="month-13"),
    pytest.param({"deadline": "1900-01-01"}, "Kies een datum tussen 2000 en 2100.", id="year-1900"),
    pytest.param({"deadline": "9999-12-31"}, "Kies een datum tussen 2000 en 2100.", id="year-9999"),
    pytest.param(
        {"deadline": "2026-11-01", "meeting_date": "2026-10-01"}, "Het consensusgesprek is na de invuldatum", id="order"
    ),
    pytest.param({"title": ""}, "Dit veld is verplicht.", id="no-title"),
    pytest.param({"title": LONG}, "200 tekens", id="title-10000"),
    pytest.param({"participants": []}, "Kies minstens één deelnemer.", id="no-participants"),
    pytest.param({"participants": ["abc"]}, "geen geldige waarde", id="participant-abc"),
    pytest.param({"participants": [str(2**63)]}, "Selecteer een geldige keuze", id="participant-huge"),
]


@pytest.mark.parametrize(("overrides", "message"), BAD_ROUNDS)
def test_bad_new_round_changes_nothing(cast, login, overrides, message):
    client = login(cast.kartrekker)
    before = stored_state()
    response = client.post(reverse("assessments:round_new", args=[cast.school.pk]), round_post(cast, **overrides))
    assert response.status_code == 400
    assert "Nog niet opgeslagen" in text(response)
    assert message in text(response)
    assert_unchanged(before)


@pytest.mark.parametrize("view", ["round_new", "round_edit"])
def test_people_of_another_school_cannot_be_added_to_a_round(cast, login, view):
    """Participants and facilitator come from this school's memberships only."""
    outsider_membership = _membership(cast.other_school, cast.outsider)
    trainer_at_sister = _membership(cast.sister_school, cast.trainer)
    args = [cast.school.pk] if view == "round_new" else [cast.school.pk, cast.open_round.pk]
    client = login(cast.kartrekker)
    before = stored_state()
    cases = [
        {"participants": [str(outsider_membership.pk)]},
        {"participants": [str(_membership(cast.school, cast.kartrekker).pk), str(outsider_membership.pk)]},
        {"facilitator": str(trainer_at_sister.pk)},
        {"facilitator": str(outsider_membership.pk)},
        {"facilitator": str(_membership(cast.school, cast.teamlid).pk)},  # a member, but no trainer
    ]
    for overrides in cases:
        response = client.post(reverse(f"assessments:{view}", args=args), round_post(cast, **overrides))
        assert response.status_code == 400, overrides
        assert "Selecteer een geldige keuze" in text(response), overrides
    assert_unchanged(before)


def test_round_form_offers_only_this_schools_members(cast):
    form = RoundForm(school=cast.school)
    participants = set(form.fields["participants"].queryset)
    assert participants == set(Membership.objects.filter(school=cast.school))
    assert {m.school_id for m in participants} == {cast.school.pk}
    facilitators = list(form.fields["facilitator"].queryset)
    assert facilitators == [_membership(cast.school, cast.trainer)]
    html = str(form["participants"]) + str(form["facilitator"])
    assert "Olga Outsider" not in html
    assert "Hans Horizon" not in html


def test_service_ignores_participants_of_another_school(cast):
    """Even past the form, the service only takes members of the round's school."""
    before_rounds = Round.objects.count()
    with pytest.raises(ServiceError, match="Kies minstens één deelnemer"):
        services.do_create_round(
            school=cast.school,
            title="Alleen buitenstaanders",
            deadline=None,
            meeting_date=None,
            anonymous=True,
            participant_user_ids=[cast.outsider.pk],
            facilitator=None,
            acting_user=cast.kartrekker,
        )
    assert Round.objects.count() == before_rounds
    round_ = services.do_create_round(
        school=cast.school,
        title="Gemengd",
        deadline=None,
        meeting_date=None,
        anonymous=True,
        participant_user_ids=[cast.outsider.pk, cast.teamlid.pk],
        facilitator=None,
        acting_user=cast.kartrekker,
    )
    assert list(round_.participants.values_list("user_id", flat=True)) == [cast.teamlid.pk]


# Invitations and members -------------------------------------------------------------------------------

BAD_INVITES = [
    pytest.param({"emails": "geen-adres"}, "Deze adressen kloppen niet: geen-adres.", id="garbage"),
    pytest.param({"emails": "a@b@c, @@, jan@, <>"}, "Deze adressen kloppen niet", id="more-garbage"),
    pytest.param({"emails": "goed@school.nl, fout@@school.nl"}, "fout@@school.nl", id="one-bad-one-good"),
    pytest.param({"emails": "a" * 250 + "@school.nl"}, "Deze adressen kloppen niet", id="address-260-chars"),
    pytest.param({"emails": "<script>@school.nl"}, "Deze adressen kloppen niet", id="html"),
    pytest.param(
        {"emails": "\n".join(f"persoon{i}@school.nl" for i in range(201))},
        "Nodig maximaal 200 mensen tegelijk uit.",
        id="201-addresses",
    ),
    pytest.param({"emails": " ,;\n "}, "Vul minstens één e-mailadres in.", id="only-separators"),
    pytest.param({"emails": "   "}, "Dit veld is verplicht.", id="only-spaces"),
    pytest.param({"emails": "x@school.nl", "roles": ["koning"]}, "Selecteer een geldige keuze", id="unknown-role"),
    pytest.param({"emails": "x@school.nl", "roles": []}, "Kies minstens één rol.", id="no-role"),
]


@pytest.mark.parametrize(("data", "message"), BAD_INVITES)
def test_bad_invitations_change_nothing(cast, login, data, message):
    client = login(cast.kartrekker)
    before = stored_state()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("organisations:invite", args=[cast.school.pk]), {"roles": ["teamlid"], **data})
    assert response.status_code == 400
    assert message in text(response)
    assert_unchanged(before)
    assert mail.outbox == []


def test_200_addresses_is_the_limit(cast, login):
    """The other side of the 201 case: 200 addresses is allowed (and sent after commit)."""
    client = login(cast.kartrekker)
    emails = "\n".join(f"persoon{i}@school.nl" for i in range(200))
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("organisations:invite", args=[cast.school.pk]), {"emails": emails, "roles": ["teamlid"]}
        )
    assert response.status_code == 302
    assert Invitation.objects.filter(school=cast.school).count() == 200
    assert len(mail.outbox) == 200


@pytest.mark.parametrize(
    ("roles", "message"),
    [
        (["koning"], "Selecteer een geldige keuze. koning is geen beschikbare keuze."),
        (["teamlid", "beheerder"], "Selecteer een geldige keuze. beheerder is geen beschikbare keuze."),
        (["<b>x</b>"], "Selecteer een geldige keuze. &lt;b&gt;x&lt;/b&gt; is geen beschikbare keuze."),
        ([], "Kies minstens één rol."),
    ],
)
def test_unknown_role_code_changes_nothing(cast, login, roles, message):
    client = login(cast.kartrekker)
    membership = _membership(cast.school, cast.teamlid)
    before = stored_state()
    response = client.post(reverse("organisations:member_edit", args=[cast.school.pk, membership.pk]), {"roles": roles})
    assert response.status_code == 400
    assert message in text(response)
    assert_unchanged(before)


def test_unknown_role_code_is_refused_by_the_services(cast):
    membership = _membership(cast.school, cast.teamlid)
    before = stored_state()
    with pytest.raises(ValueError):
        org_services.do_change_roles(membership=membership, roles=["koning"], acting_user=cast.kartrekker)
    with pytest.raises(ValueError):
        org_services.do_invite_members(
            school=cast.school, emails=["x@school.nl"], roles=["koning"], acting_user=cast.kartrekker, base_url=""
        )
    assert_unchanged(before)


def test_the_last_schoolleiding_cannot_be_removed_or_demoted(cast, login):
    membership = _membership(cast.school, cast.schoolleider)
    before = stored_state()

    # A kartrekker may not touch the schoolleiding role at all.
    client = login(cast.kartrekker)
    response = client.post(reverse("organisations:member_remove", args=[cast.school.pk, membership.pk]))
    assert response.status_code == 400
    assert "Alleen de schoolleiding kan de rol schoolleiding geven, afnemen of verwijderen." in text(response)

    # The only schoolleider cannot demote or remove themselves.
    client = login(cast.schoolleider)
    response = client.post(
        reverse("organisations:member_edit", args=[cast.school.pk, membership.pk]), {"roles": ["teamlid"]}
    )
    assert response.status_code == 400
    assert "Een school heeft altijd minstens één lid van de schoolleiding nodig." in text(response)

    response = client.post(reverse("organisations:member_remove", args=[cast.school.pk, membership.pk]))
    assert response.status_code == 400
    assert "Je kunt het laatste lid van de schoolleiding niet verwijderen." in text(response)

    assert_unchanged(before)
    assert Membership.objects.get(pk=membership.pk).is_schoolleiding


def invite_and_get_token(cast, email="nieuw@regenboog.test", roles=(Role.TEAMLID,)) -> str:
    with TestCase.captureOnCommitCallbacks(execute=True):
        org_services.do_invite_members(
            school=cast.school, emails=[email], roles=list(roles), acting_user=cast.kartrekker, base_url="http://x"
        )
    match = re.search(r"/uitnodiging/([^/\s]+)/", mail.outbox[-1].body)
    assert match
    return match.group(1)


@pytest.mark.parametrize("state", ["used", "expired", "revoked", "unknown"])
def test_invitation_that_is_used_expired_revoked_or_unknown_changes_nothing(cast, client, state):
    from django.utils import timezone

    token = invite_and_get_token(cast)
    invitation = Invitation.objects.get(email="nieuw@regenboog.test")
    if state == "used":
        org_services.do_accept_invitation(token=token, name="Nieuw", password=None)
    elif state == "expired":
        invitation.expires_at = timezone.now() - timezone.timedelta(seconds=1)
        invitation.save()
    elif state == "revoked":
        org_services.do_revoke_invitation(invitation=invitation, acting_user=cast.kartrekker)
    else:
        token = token[:-4] + ("aaaa" if not token.endswith("aaaa") else "bbbb")
    before = stored_state()
    url = reverse("organisations:invitation", args=[token])
    for response in (
        client.get(url),
        client.post(url, {"name": "Indringer", "password": "een-lang-wachtwoord-42"}),
    ):
        assert response.status_code == (404 if state == "unknown" else 410)
        assert "Deze uitnodiging werkt niet (meer)" in text(response)
        assert "al gebruikt, is verlopen" in text(response)
    assert "_auth_user_id" not in client.session
    assert_unchanged(before)
    with pytest.raises(ServiceError):
        org_services.do_accept_invitation(token=token, name="Indringer", password=None)
    assert_unchanged(before)


@pytest.mark.parametrize("token", ["x" * 101, "x" * 5000, "%00", "..", "' OR 1=1 --"])
def test_absurd_invitation_tokens_are_404(client, db, token):
    response = client.get(reverse("organisations:invitation", args=[token]))
    assert response.status_code == 404
    assert "Deze uitnodiging werkt niet (meer)" in text(response)


# Login ------------------------------------------------------------------------------------------------------


def test_login_code_brute_force_is_capped(cast, client):
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("accounts:code_request"), {"email": cast.teamlid.email})
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    verify = reverse("accounts:code_verify")
    for _ in range(settings.LOGIN_CODE_MAX_ATTEMPTS):
        response = client.post(verify, {"code": wrong})
        assert response.status_code == 200
        assert "Deze code klopt niet of is verlopen." in text(response)
        assert "_auth_user_id" not in client.session
    login_code = LoginCode.objects.get(user=cast.teamlid)
    assert login_code.attempts == settings.LOGIN_CODE_MAX_ATTEMPTS
    before = stored_state()

    response = client.post(verify, {"code": code})  # the right code, too late
    assert "Deze code klopt niet of is verlopen." in text(response)
    assert "_auth_user_id" not in client.session
    login_code.refresh_from_db()
    assert login_code.used_at is None
    assert stored_state()["audit_events"] == before["audit_events"]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("abcdef", "Een inlogcode bestaat uit zes cijfers."),
        ("12345", "Een inlogcode bestaat uit zes cijfers."),
        ("1234567", "Een inlogcode bestaat uit zes cijfers."),
        ("１２３４５６", "Deze code klopt niet of is verlopen."),  # full-width digits pass \d, never match
        ("", "Dit veld is verplicht."),
        ("1" * 5000, "niet meer dan 20 tekens"),
    ],
)
def test_malformed_login_codes_are_refused_in_dutch(cast, client, code, message):
    client.post(reverse("accounts:code_request"), {"email": cast.teamlid.email})
    before = stored_state()
    response = client.post(reverse("accounts:code_verify"), {"code": code})
    assert response.status_code == 200
    content = text(response)
    assert message in content
    assert "_auth_user_id" not in client.session
    after = stored_state()
    compared = message == "Deze code klopt niet of is verlopen."  # a compared wrong code is a failed login: audited
    assert after["audit_events"] == before["audit_events"] + compared
    assert after["users"] == before["users"]


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("geen-adres", "Voer een geldig e-mailadres in."),
        ("a" * 300 + "@school.nl", "niet meer dan 254 tekens"),
        ("<script>@x.nl", "Voer een geldig e-mailadres in."),
        ("", "Dit veld is verplicht."),
    ],
)
def test_login_forms_with_absurd_email_show_a_dutch_error(db, client, email, message):
    before = stored_state()
    for name in ("login", "code_request"):
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post(reverse(f"accounts:{name}"), {"email": email, "password": "iets"})
        assert response.status_code == 200, name
        assert message in text(response), name
    assert_unchanged(before)
    assert mail.outbox == []


# CSRF ----------------------------------------------------------------------------------------------------


def test_csrf_is_enforced(cast):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.werkgroeplid, backend="accounts.backends.EmailBackend")
    before = stored_state()
    posts = [
        (autosave_url(cast.open_round, "1"), {"phase-1.1": "4"}, HTMX),
        (fill_url(cast.open_round, "1"), {"phase-1.1": "4", "go": "2"}, {}),
        (fill_url(cast.open_round, "indienen"), {"action": "indienen"}, {}),
    ]
    for url, data, extra in posts:
        response = strict.post(url, data, **extra)
        assert response.status_code == 403, url
    strict.force_login(cast.kartrekker, backend="accounts.backends.EmailBackend")
    for url, data in [
        (consensus_item_url(cast.consensus_round, "1.1"), {"phase": "4", "version": ""}),
        (reverse("organisations:invite", args=[cast.school.pk]), {"emails": "a@b.nl", "roles": ["teamlid"]}),
        (reverse("assessments:round_transition", args=[cast.school.pk, cast.open_round.pk, "consensus"]), {}),
        (reverse("accounts:logout"), {}),
    ]:
        assert strict.post(url, data).status_code == 403, url
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.post(reverse("accounts:login"), {"email": cast.teamlid.email, "password": "x"}).status_code == 403
    assert anonymous.post(reverse("accounts:code_request"), {"email": cast.teamlid.email}).status_code == 403
    assert_unchanged(before)
    assert mail.outbox == []

    # Control: the same autosave with the token from the cookie goes through.
    strict.force_login(cast.werkgroeplid, backend="accounts.backends.EmailBackend")
    strict.get(fill_url(cast.open_round, "1"))
    token = strict.cookies[settings.CSRF_COOKIE_NAME].value
    response = strict.post(autosave_url(cast.open_round, "1"), {"phase-1.1": "4"}, HTTP_X_CSRFTOKEN=token, **HTMX)
    assert response.status_code == 200
    assert Answer.objects.get(participant__user=cast.werkgroeplid, participant__round=cast.open_round).phase == 4


# Too late -------------------------------------------------------------------------------------------------


def test_submitting_after_the_round_moved_to_consensus_is_refused(cast, login):
    participant = Participant.objects.get(round=cast.open_round, user=cast.werkgroeplid)
    fill_completely(participant, submit=False)
    services.do_start_consensus(round_=cast.open_round, acting_user=cast.kartrekker)
    client = login(cast.werkgroeplid)
    before = stored_state()

    response = client.post(fill_url(cast.open_round, "indienen"), {"action": "indienen"})
    assert response.status_code == 400
    assert "Deze ronde staat niet meer open voor invullen." in text(response)

    response = client.post(autosave_url(cast.open_round, "1"), {"phase-1.1": "4"}, **HTMX)
    assert response.status_code == 409
    assert "Niet opgeslagen: je antwoorden zijn al ingediend of de ronde is dicht." in text(response)

    response = client.post(fill_url(cast.open_round, "1"), {"phase-1.1": "4"}, follow=True)
    assert "Je antwoorden kunnen niet meer worden gewijzigd." in text(response)
    response = client.post(fill_url(cast.open_round, "prioriteiten"), {"rank-1": "3B.4"}, follow=True)
    assert "Je antwoorden kunnen niet meer worden gewijzigd." in text(response)

    assert_unchanged(before)
    assert Participant.objects.get(pk=participant.pk).submitted_at is None


def test_withdrawing_after_the_consensus_started_is_refused(cast, login):
    client = login(cast.werkgroeplid)
    participant = Participant.objects.get(round=cast.consensus_round, user=cast.werkgroeplid)
    before = stored_state()
    response = client.post(fill_url(cast.consensus_round, "indienen"), {"action": "intrekken"})
    assert response.status_code == 400
    assert "Deze ronde staat niet meer open voor invullen." in text(response)
    assert_unchanged(before)
    assert Participant.objects.get(pk=participant.pk).submitted_at is not None


def test_a_submitted_participant_cannot_change_answers(cast, login):
    participant = Participant.objects.get(round=cast.open_round, user=cast.teamlid)
    fill_completely(participant)
    client = login(cast.teamlid)
    before = stored_state()
    response = client.post(autosave_url(cast.open_round, "1"), {"phase-1.1": "4"}, **HTMX)
    assert response.status_code == 409
    assert "Niet opgeslagen" in text(response)
    response = client.post(fill_url(cast.open_round, "1"), {"phase-1.1": "4"}, follow=True)
    assert "Je antwoorden kunnen niet meer worden gewijzigd." in text(response)
    assert_unchanged(before)


def test_a_non_participant_cannot_fill_in(cast, login):
    """A member who is not in the round gets a 403, not someone else's form."""
    newcomer = make_user("Nina Nieuw")
    Membership.objects.create(school=cast.school, user=newcomer, is_teamlid=True)
    client = login(newcomer)
    before = stored_state()
    assert client.get(fill_url(cast.open_round, "1")).status_code == 403
    assert client.post(autosave_url(cast.open_round, "1"), {"phase-1.1": "4"}, **HTMX).status_code == 403
    assert client.post(fill_url(cast.open_round, "indienen"), {"action": "indienen"}).status_code == 403
    assert_unchanged(before)


# More absurd input --------------------------------------------------------------------------------------


def test_reopen_with_an_absurd_reason_changes_nothing(cast, login):
    client = login(cast.schoolleider)
    url = reverse("assessments:round_transition", args=[cast.school.pk, cast.closed_round.pk, "heropenen"])
    before = stored_state()
    for reason, message in [
        ("", "Schrijf kort op waarom; dit wordt vastgelegd."),
        ("   ", "Schrijf kort op waarom; dit wordt vastgelegd."),
        (LONG, "niet meer dan 500 tekens"),
    ]:
        response = client.post(url, {"reason": reason}, follow=True)
        assert response.status_code == 200
        assert message in text(response), reason[:10]
    assert_unchanged(before)


@pytest.mark.parametrize("version", ["garbage", "2020-01-01T00:00:00+00:00", "x" * 5000])
def test_consensus_item_with_a_tampered_version_is_a_conflict(cast, login, version):
    client = login(cast.kartrekker)
    services.do_save_consensus_item(
        round_=cast.consensus_round,
        accent_code="1.1",
        phase=2,
        strengths="Eerst",
        next_steps="",
        priority=None,
        acting_user=cast.kartrekker,
    )
    before = stored_state()
    response = client.post(
        consensus_item_url(cast.consensus_round, "1.1"), {"phase": "4", "strengths": "Overschreven", "version": version}
    )
    assert response.status_code == 409
    assert "Iemand anders heeft dit accent intussen opgeslagen." in text(response)
    assert_unchanged(before)


@pytest.mark.parametrize("accent", ["<script>", "9.9", "x" * 1000, ""])
def test_projector_view_with_an_unknown_accent(cast, login, accent):
    client = login(cast.kartrekker)
    response = client.get(
        reverse("assessments:present", args=[cast.school.pk, cast.consensus_round.pk]), {"accent": accent}
    )
    if accent:
        assert response.status_code == 404
        assert "<script>" not in text(response).split("<main", 1)[1]
    else:  # empty: the first accent
        assert response.status_code == 200


def test_accepting_an_invitation_with_absurd_name_or_password(cast, client):
    token = invite_and_get_token(cast, email="absurd@regenboog.test")
    url = reverse("organisations:invitation", args=[token])
    before = stored_state()
    for data, message in [
        ({"name": LONG, "password": ""}, "niet meer dan 150 tekens"),
        ({"name": "", "password": ""}, "Dit veld is verplicht."),
        ({"name": "Absurd", "password": "1234567890123"}, "Dit wachtwoord bevat alleen cijfers."),
        ({"name": "Absurd", "password": "kort"}, "Dit wachtwoord is te kort."),
        ({"name": "Absurd", "password": "p" * 129}, "niet meer dan 128 tekens"),
    ]:
        response = client.post(url, data)
        assert response.status_code == 400, data
        assert message in text(response), data
    assert_unchanged(before)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "data",
    [{"go": "2"}, {}, {"phase-1.1": "2", "go": "2"}, {"strengths-1.1": LAYER_1["1.1"]["strengths"]}],
    ids=["only-go", "empty", "one-phase", "one-text"],
)
def test_truncated_fill_page_post_cannot_wipe_the_layer(cast, filler, data):
    """A browser always sends every textarea; a POST without them must not clear the stored answers."""
    client, _participant = filler
    before = stored_state()
    response = client.post(fill_url(cast.open_round, "1"), data)
    assert response.status_code == 302
    after = stored_state()
    assert after["answers"] == before["answers"]
    assert after["audit_events"] == before["audit_events"]


# The action plan ----------------------------------------------------------------------------------------

BIG = 2**70  # beyond any database column


def plan_state() -> dict:
    """Every row of the action plan (both schools) and the size of the audit log."""

    def rows(model):
        return list(model.objects.order_by("pk").values())

    return {
        "goals": rows(Goal),
        "actions": rows(Action),
        "steps": rows(ActionStep),
        "updates": rows(ActionUpdate),
        "meetings": rows(Meeting),
        "changes": rows(PlanChange),
        "audit_events": AuditEvent.objects.count(),
    }


def assert_plan_unchanged(before: dict) -> None:
    after = plan_state()
    for key in before:
        assert after[key] == before[key], f"{key} changed"


def plan_url(name, cast, *args):
    return reverse(f"actionplans:{name}", args=[cast.school.pk, *args])


def goal_post(**overrides) -> dict:
    data = {
        "title": "Elke klas een rustplek",
        "term": "kort",
        "layer_code": "3B",
        "accent_code": "3B.1",
        "monitoring": "Rondgang in maart",
        "monitored_by": "",
        "feedback": "In de teamvergadering",
        "version": "",
    }
    return data | overrides


def action_post(**overrides) -> dict:
    data = {
        "title": "Intervisie opzetten",
        "goal": "",
        "layer_code": "1",
        "steps": "Groepjes maken\nData plannen",
        "owner": "",
        "due_date": "2027-03-01",
        "monitoring": "Evaluatie in de werkgroep",
        "status": "gepland",
        "version": "",
    }
    return data | overrides


def meeting_post(**overrides) -> dict:
    data = {
        "date": "2027-01-15",
        "start_time": "15:00",
        "end_time": "16:30",
        "location": "Teamkamer",
        "chair": "",
        "timekeeper": "",
        "note_taker": "",
        "version": "",
    }
    return data | overrides


def person(cast, name):
    """A user by cast name; "horizon" is the schoolleider of the sister school (same board, not ours)."""
    if name == "horizon":
        return User.objects.get(name="Hans Horizon")
    return cast.user(name)


NOT_OURS = ["outsider", "horizon", "board_member"]
TOO_LONG_TITLE = "Gebruik maximaal 300 tekens (nu 10000)"
TOO_LONG_TEXT = "Gebruik maximaal 2000 tekens (nu 10000)"
NOT_A_VERSION = [
    pytest.param("abc", "Voer een geheel getal in.", id="version-abc"),
    pytest.param("-1", "Zorg ervoor dat deze waarde minstens 1 is.", id="version-minus-1"),
    pytest.param(str(BIG), "Zorg ervoor dat deze waarde hoogstens 2147483647 is.", id="version-huge"),
]


def goal_edit_or_new(cast, plan, view):
    return plan_url("goal_new", cast) if view == "new" else plan_url("goal_edit", cast, plan.goal.pk)


def action_edit_or_new(cast, plan, view):
    return plan_url("action_new", cast) if view == "new" else plan_url("action_edit", cast, plan.action.pk)


def meeting_edit_or_new(cast, plan, view):
    return plan_url("meeting_new", cast) if view == "new" else plan_url("meeting_edit", cast, plan.meeting.pk)


# People of another school (or nobody's school) are not a choice; the services refuse them too.


@pytest.mark.parametrize("view", ["new", "edit"])
@pytest.mark.parametrize("who", NOT_OURS)
def test_plan_forms_refuse_people_of_another_school(cast, plan, login, who, view):
    pk = str(person(cast, who).pk)
    client = login(cast.kartrekker)
    before = plan_state()
    posts = [
        (goal_edit_or_new(cast, plan, view), goal_post(monitored_by=pk)),
        (action_edit_or_new(cast, plan, view), action_post(owner=pk)),
        *[
            (meeting_edit_or_new(cast, plan, view), meeting_post(**{role: pk}))
            for role in ("chair", "timekeeper", "note_taker")
        ],
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code == 400, (url, data)
        assert "Nog niet opgeslagen" in text(response)
        assert "Kies iemand van deze school." in text(response), (url, data)
        assert person(cast, who).display_name not in text(response)  # not offered as a choice either
    assert_plan_unchanged(before)


def test_plan_services_refuse_people_of_another_school(cast, plan):
    from actionplans import services as plan_services

    before = plan_state()
    k, outsider = cast.kartrekker, cast.outsider
    with pytest.raises(ServiceError, match="Wie monitort moet iemand van deze school zijn."):
        plan_services.do_create_goal(
            school=cast.school, title="Doel", term="kort", layer_code="1", monitored_by=outsider, acting_user=k
        )
    with pytest.raises(ServiceError, match="Wie monitort moet iemand van deze school zijn."):
        plan_services.do_update_goal(
            goal=plan.goal,
            expected_version=plan.goal.version,
            acting_user=k,
            **{f: getattr(plan.goal, f) for f in plan_services.GOAL_FIELDS} | {"monitored_by": outsider},
        )
    with pytest.raises(ServiceError, match="Wie verantwoordelijk is moet iemand van deze school zijn."):
        plan_services.do_create_action(school=cast.school, title="Actie", layer_code="1", owner=outsider, acting_user=k)
    with pytest.raises(ServiceError, match="Wie verantwoordelijk is moet iemand van deze school zijn."):
        plan_services.do_update_action(
            action=plan.action,
            expected_version=plan.action.version,
            acting_user=k,
            steps=["Plek kiezen"],
            **{f: getattr(plan.action, f) for f in plan_services.ACTION_FIELDS} | {"owner": outsider},
        )
    with pytest.raises(ServiceError, match="Kies een doel van dit actieplan."):
        plan_services.do_create_action(school=cast.school, title="Actie", goal=plan.other_goal, acting_user=k)
    for role, label in (("chair", "De voorzitter"), ("timekeeper", "De tijdbewaker"), ("note_taker", "De notulist")):
        with pytest.raises(ServiceError, match=f"{label} moet iemand van deze school zijn."):
            plan_services.do_create_meeting(
                school=cast.school, date=plan.meeting.date, acting_user=k, **{role: outsider}
            )
        with pytest.raises(ServiceError, match=f"{label} moet iemand van deze school zijn."):
            plan_services.do_update_meeting(
                meeting=plan.meeting, expected_version=None, acting_user=k, date=plan.meeting.date, **{role: outsider}
            )
    with pytest.raises(ServiceError, match="Deze bijeenkomst hoort niet bij deze school."):
        plan_services.do_add_update(action=plan.action, text="Update", meeting=plan.other_meeting, acting_user=k)
    assert_plan_unchanged(before)


# Absurd values in the goal, action and meeting forms.

BAD_GOALS = [
    pytest.param({"title": LONG}, TOO_LONG_TITLE, id="title-10000"),
    pytest.param({"title": "   "}, "Vul dit in.", id="title-blank"),
    pytest.param({"monitoring": LONG}, TOO_LONG_TEXT, id="monitoring-10000"),
    pytest.param({"feedback": LONG}, TOO_LONG_TEXT, id="feedback-10000"),
    pytest.param(
        {"layer_code": "1", "accent_code": "3B.1"},
        "Dit accent hoort niet bij de gekozen groeilaag.",
        id="accent-not-in-layer",
    ),
    pytest.param({"accent_code": "9.9"}, "Selecteer een geldige keuze", id="accent-unknown"),
    pytest.param({"layer_code": "9"}, "Selecteer een geldige keuze", id="layer-unknown"),
    pytest.param({"term": "altijd"}, "Selecteer een geldige keuze", id="term-nonsense"),
    pytest.param({"monitored_by": str(BIG)}, "Kies iemand van deze school.", id="monitored-by-huge"),
    pytest.param({"monitored_by": "abc"}, "Kies iemand van deze school.", id="monitored-by-abc"),
    pytest.param({"monitored_by": "²"}, "Kies iemand van deze school.", id="monitored-by-superscript"),
    *[pytest.param({"version": p.values[0]}, p.values[1], id=p.id) for p in NOT_A_VERSION],
]


@pytest.mark.parametrize("view", ["new", "edit"])
@pytest.mark.parametrize(("overrides", "message"), BAD_GOALS)
def test_bad_goal_changes_nothing(cast, plan, login, overrides, message, view):
    client = login(cast.kartrekker)
    before = plan_state()
    response = client.post(goal_edit_or_new(cast, plan, view), goal_post(**overrides))
    assert response.status_code == 400
    assert "Nog niet opgeslagen" in text(response)
    assert message in text(response)
    assert_plan_unchanged(before)


BAD_ACTIONS = [
    pytest.param({"title": LONG}, TOO_LONG_TITLE, id="title-10000"),
    pytest.param({"monitoring": LONG}, TOO_LONG_TEXT, id="monitoring-10000"),
    pytest.param({"due_date": "99999-01-01"}, "Vul een geldige datum in, bijvoorbeeld 15-03-2027.", id="year-99999"),
    pytest.param({"due_date": "1900-01-01"}, "Kies een datum tussen 2000 en 2100.", id="year-1900"),
    pytest.param({"due_date": "2027-02-30"}, "Vul een geldige datum in", id="february-30"),
    pytest.param({"status": "nonsense"}, "Selecteer een geldige keuze", id="status-nonsense"),
    pytest.param({"layer_code": "", "goal": ""}, "Kies een groeilaag of een doel.", id="no-layer-no-goal"),
    pytest.param({"layer_code": "<script>"}, "Selecteer een geldige keuze", id="layer-html"),
    pytest.param({"goal": "other_goal"}, "Kies een doel van dit actieplan.", id="goal-of-another-school"),
    pytest.param({"goal": "deleted_goal"}, "Kies een doel van dit actieplan.", id="deleted-goal"),
    pytest.param({"goal": str(BIG)}, "Kies een doel van dit actieplan.", id="goal-huge"),
    pytest.param({"goal": "abc"}, "Kies een doel van dit actieplan.", id="goal-abc"),
    pytest.param({"owner": str(BIG)}, "Kies iemand van deze school.", id="owner-huge"),
    pytest.param({"owner": "¹²"}, "Kies iemand van deze school.", id="owner-superscript"),
    pytest.param({"goal": "²"}, "Kies een doel van dit actieplan.", id="goal-superscript"),
    pytest.param({"steps": "\n".join(f"Stap {i}" for i in range(31))}, "Gebruik maximaal 30 stappen.", id="31-steps"),
    pytest.param({"steps": "x" * 301}, "Houd elke stap korter dan 300 tekens.", id="step-301"),
    pytest.param({"steps": LONG * 2}, "Gebruik maximaal 9030 tekens", id="steps-20000"),
    *[pytest.param({"version": p.values[0]}, p.values[1], id=p.id) for p in NOT_A_VERSION],
]


def resolve(overrides, plan) -> dict:
    """Values naming a plan object ("other_goal") become its pk."""
    return {k: str(getattr(plan, v).pk) if v in ("other_goal", "deleted_goal") else v for k, v in overrides.items()}


@pytest.mark.parametrize("view", ["new", "edit"])
@pytest.mark.parametrize(("overrides", "message"), BAD_ACTIONS)
def test_bad_action_changes_nothing(cast, plan, login, overrides, message, view):
    client = login(cast.werkgroeplid)
    before = plan_state()
    response = client.post(action_edit_or_new(cast, plan, view), action_post(**resolve(overrides, plan)))
    assert response.status_code == 400
    assert "Nog niet opgeslagen" in text(response)
    assert message in text(response)
    assert_plan_unchanged(before)


BAD_MEETINGS = [
    pytest.param(
        {"start_time": "16:00", "end_time": "15:00"}, "De eindtijd moet na de begintijd liggen.", id="end-before-start"
    ),
    pytest.param(
        {"start_time": "15:00", "end_time": "15:00"}, "De eindtijd moet na de begintijd liggen.", id="end-is-start"
    ),
    pytest.param({"start_time": "25:00"}, "Voer een geldige tijd in.", id="hour-25"),
    pytest.param({"date": "99999-01-01"}, "Vul een geldige datum in, bijvoorbeeld 15-03-2027.", id="year-99999"),
    pytest.param({"date": "1900-01-01"}, "Kies een datum tussen 2000 en 2100.", id="year-1900"),
    pytest.param({"date": ""}, "Vul een datum in.", id="no-date"),
    pytest.param({"location": LONG}, "Gebruik maximaal 200 tekens (nu 10000)", id="location-10000"),
    pytest.param({"chair": str(BIG)}, "Kies iemand van deze school.", id="chair-huge"),
    pytest.param({"chair": "²"}, "Kies iemand van deze school.", id="chair-superscript"),
    *[pytest.param({"version": p.values[0]}, p.values[1], id=p.id) for p in NOT_A_VERSION],
]


@pytest.mark.parametrize("view", ["new", "edit"])
@pytest.mark.parametrize(("overrides", "message"), BAD_MEETINGS)
def test_bad_meeting_changes_nothing(cast, plan, login, overrides, message, view):
    client = login(cast.kartrekker)
    before = plan_state()
    response = client.post(meeting_edit_or_new(cast, plan, view), meeting_post(**overrides))
    assert response.status_code == 400
    assert "Nog niet opgeslagen" in text(response)
    assert message in text(response)
    assert_plan_unchanged(before)


def test_service_refuses_a_meeting_that_ends_before_it_starts(cast, plan):
    import datetime

    from actionplans import services as plan_services

    before = plan_state()
    times = {"start_time": datetime.time(16), "end_time": datetime.time(15)}
    with pytest.raises(ServiceError, match="De eindtijd moet na de begintijd liggen."):
        plan_services.do_create_meeting(
            school=cast.school, date=plan.meeting.date, acting_user=cast.kartrekker, **times
        )
    with pytest.raises(ServiceError, match="De eindtijd moet na de begintijd liggen."):
        plan_services.do_update_meeting(
            meeting=plan.meeting, expected_version=None, acting_user=cast.kartrekker, date=plan.meeting.date, **times
        )
    assert_plan_unchanged(before)


# Stale versions: a conflict (409), never an overwrite.


def test_stale_versions_are_a_conflict_and_change_nothing(cast, plan, login):
    from actionplans import services as plan_services

    k = cast.kartrekker
    plan_services.do_set_action_status(action=plan.action, status="bezig", acting_user=k)  # action now version 2
    plan_services.do_save_minutes(meeting=plan.meeting, minutes="Eerst", expected_version=1, acting_user=k)
    goal_fields = {f: getattr(plan.goal, f) for f in plan_services.GOAL_FIELDS}
    plan_services.do_update_goal(goal=plan.goal, expected_version=1, acting_user=k, **goal_fields | {"title": "Rust"})
    client = login(cast.werkgroeplid)
    before = plan_state()
    posts = [
        (plan_url("goal_edit", cast, plan.goal.pk), goal_post(version="1")),
        (plan_url("action_edit", cast, plan.action.pk), action_post(version="1")),
        (plan_url("meeting_minutes", cast, plan.meeting.pk), {"minutes": "Overschreven", "version": "1"}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code == 409, url
        assert "Iemand anders heeft" in text(response), url
    # The goal's conflict shows both versions side by side, and the form still holds the werkgroeplid's input.
    response = client.post(*posts[0])
    html = response.content.decode()
    assert "Zo heeft Karel Kartrekker het opgeslagen" in html
    assert "<td>Rust</td><td>Elke klas een rustplek</td>" in html.replace("\n", "")
    assert 'value="Elke klas een rustplek"' in html
    response = client.post(posts[2][0], posts[2][1], **HTMX)
    assert response.status_code == 409
    assert_plan_unchanged(before)


# Minutes and updates.


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param({"minutes": "x" * 20_001, "version": ""}, "Gebruik maximaal 20000 tekens (nu 20001)", id="20001"),
        *[pytest.param({"minutes": "Notulen", "version": p.values[0]}, p.values[1], id=p.id) for p in NOT_A_VERSION],
        pytest.param({"minutes": "Notulen", "force_version": "abc"}, "Voer een geheel getal in.", id="force-abc"),
    ],
)
def test_bad_minutes_change_nothing(cast, plan, login, data, message, htmx):
    client = login(cast.kartrekker)
    before = plan_state()
    response = client.post(plan_url("meeting_minutes", cast, plan.meeting.pk), data, **(HTMX if htmx else {}))
    assert response.status_code == 400
    assert message in text(response)
    assert_plan_unchanged(before)


def test_long_minutes_within_the_limit_are_kept_whole(cast, plan, login):
    """The minutes may hold 20,000 characters: 10,000 is saved as it is."""
    client = login(cast.kartrekker)
    response = client.post(plan_url("meeting_minutes", cast, plan.meeting.pk), {"minutes": LONG, "version": "1"})
    assert response.status_code == 302
    assert Meeting.objects.get(pk=plan.meeting.pk).minutes == LONG


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        pytest.param({"text": LONG}, 400, TOO_LONG_TEXT, id="text-10000"),
        pytest.param({"text": "   "}, 400, "Vul dit in.", id="text-blank"),
        pytest.param({"text": "Update", "bijeenkomst": "other_meeting"}, 404, "", id="meeting-of-another-school"),
        pytest.param({"text": "Update", "bijeenkomst": str(BIG)}, 404, "", id="meeting-huge"),
        pytest.param({"text": "Update", "bijeenkomst": "abc"}, 404, "", id="meeting-abc"),
    ],
)
def test_bad_update_changes_nothing(cast, plan, login, data, status, message):
    client = login(cast.teamlid)  # the action's owner
    if data.get("bijeenkomst") == "other_meeting":
        data = data | {"bijeenkomst": str(plan.other_meeting.pk)}
    before = plan_state()
    response = client.post(plan_url("action_update", cast, plan.action.pk), data)
    assert response.status_code == status
    assert message in text(response)
    assert_plan_unchanged(before)


@pytest.mark.parametrize("status", ["nonsense", "", "<script>", "x" * 5000, "GEVIERD"])
def test_unknown_action_status_changes_nothing(cast, plan, login, status):
    client = login(cast.teamlid)
    before = plan_state()
    response = client.post(plan_url("action_status", cast, plan.action.pk), {"status": status}, follow=True)
    assert response.redirect_chain[0][1] == 302  # a button on the page: back to it, with the message
    assert response.status_code == 200
    assert "Kies een bestaande status." in text(response)
    assert_plan_unchanged(before)


def test_step_of_another_action_is_404(cast, plan, login):
    from actionplans import services as plan_services

    other = plan_services.do_create_action(
        school=cast.school,
        title="Andere actie",
        layer_code="1",
        owner=cast.teamlid,
        steps=["Andere stap"],
        acting_user=cast.kartrekker,
    )
    foreign_step = ActionStep.objects.create(action=plan.other_action, text="Vreemde stap")
    client = login(cast.teamlid)
    before = plan_state()
    for step_id in (other.steps.get().pk, foreign_step.pk, BIG, 2**63, 0):
        for extra in ({}, HTMX):
            url = plan_url("action_step", cast, plan.action.pk, step_id)
            assert client.post(url, {"done": "on"}, **extra).status_code == 404, step_id
    assert_plan_unchanged(before)


@pytest.mark.parametrize("part", ["groeilaag-9", "groeilaag-", "te-laat-", "groeilaag-3a", "x" * 300, "1"])
def test_unknown_table_of_the_plan_is_404(cast, plan, login, part):
    client = login(cast.kartrekker)
    for extra in ({}, HTMX):
        assert client.get(plan_url("plan_part", cast, part), **extra).status_code == 404


@pytest.mark.parametrize("big", [BIG, 2**63])
def test_huge_ids_in_plan_urls_are_404_not_500(cast, plan, login, big):
    client = login(cast.kartrekker)
    before = plan_state()
    s = cast.school.pk
    gets = [
        reverse(f"actionplans:{name}", args=[big]) for name in ("plan", "my_actions", "trash", "goal_new", "action_new")
    ]
    gets += [reverse("actionplans:from_round", args=[s, big]), reverse("actionplans:from_round", args=[big, 1])]
    for name in ("goal", "goal_edit", "goal_delete"):
        gets += [
            reverse(f"actionplans:{name}", args=[s, big]),
            reverse(f"actionplans:{name}", args=[big, plan.goal.pk]),
        ]
    for name in ("action", "action_edit", "action_delete"):
        gets.append(reverse(f"actionplans:{name}", args=[s, big]))
    for name in ("meeting", "meeting_edit"):
        gets.append(reverse(f"actionplans:{name}", args=[s, big]))
    gets += [
        plan_url("action_new", cast) + f"?doel={big}",
        plan_url("action_new", cast) + f"?bijeenkomst={big}",
        plan_url("action_new", cast) + "?doel=abc",
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("actionplans:goal_restore", args=[s, big]),
        reverse("actionplans:action_restore", args=[s, big]),
        reverse("actionplans:action_status", args=[s, big]),
        reverse("actionplans:action_update", args=[s, big]),
        reverse("actionplans:action_step", args=[s, big, plan.step.pk]),
        reverse("actionplans:action_step", args=[s, plan.action.pk, big]),
        reverse("actionplans:meeting_minutes", args=[s, big]),
        reverse("actionplans:goal_edit", args=[s, big]),
        reverse("actionplans:goal_delete", args=[s, big]),
        reverse("actionplans:action_edit", args=[s, big]),
        reverse("actionplans:action_delete", args=[s, big]),
        reverse("actionplans:meeting_edit", args=[s, big]),
    ]
    for url in posts:
        assert client.post(url, {"status": "bezig", "done": "on", "text": "x", "minutes": "x"}).status_code == 404, url
    response = client.post(plan_url("action_new", cast), action_post() | {"bijeenkomst": str(big)})
    assert response.status_code == 404
    assert_plan_unchanged(before)


def test_restoring_what_is_not_deleted_or_not_ours_is_404(cast, plan, login):
    from actionplans import services as plan_services

    plan_services.do_delete_goal(goal=plan.other_goal, acting_user=cast.outsider)
    client = login(cast.kartrekker)
    before = plan_state()
    for url in (
        plan_url("goal_restore", cast, plan.goal.pk),  # alive
        plan_url("action_restore", cast, plan.action.pk),  # alive
        plan_url("goal_restore", cast, plan.other_goal.pk),  # deleted, another school
        plan_url("action_restore", cast, plan.other_action.pk),
    ):
        assert client.post(url).status_code == 404, url
    assert_plan_unchanged(before)


# Taking over a round's priorities.


def from_round_url(cast):
    return plan_url("from_round", cast, cast.closed_round.pk)


ALL_TERMS = {"term_3B_1": "kort", "term_1_1": "kort", "term_2_1": "lang"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(ALL_TERMS, "Kies minstens één prioriteit om over te nemen.", id="nothing-ticked"),
        pytest.param({}, "Kies minstens één prioriteit om over te nemen.", id="empty-post"),
        pytest.param(
            ALL_TERMS | {"take_9_9": "on", "title_9_9": "Bestaat niet"},
            "Kies minstens één prioriteit om over te nemen.",
            id="accent-unknown",
        ),
        pytest.param(
            ALL_TERMS | {"take_3A_1": "on", "title_3A_1": "Geen prioriteit"},
            "Kies minstens één prioriteit om over te nemen.",
            id="accent-not-a-priority",
        ),
        pytest.param(
            ALL_TERMS | {"take_3B.1": "on", "take_3B-1": "on", "take_<script>": "on"},
            "Kies minstens één prioriteit om over te nemen.",
            id="accent-key-mangled",
        ),
        pytest.param(
            ALL_TERMS | {"take_3B_1": "on", "title_3B_1": "  "}, "Schrijf het doel op, of vink het uit.", id="no-title"
        ),
        pytest.param(ALL_TERMS | {"take_3B_1": "on", "title_3B_1": LONG}, TOO_LONG_TITLE, id="title-10000"),
        pytest.param(
            ALL_TERMS | {"take_3B_1": "on", "title_3B_1": "Rust", "term_3B_1": "altijd"},
            "Selecteer een geldige keuze",
            id="term-nonsense",
        ),
    ],
)
def test_bad_from_round_changes_nothing(cast, plan, login, data, message):
    client = login(cast.kartrekker)
    before = plan_state()
    response = client.post(from_round_url(cast), data)
    assert response.status_code == 400
    assert "Nog niet opgeslagen" in text(response)
    assert message in text(response)
    assert_plan_unchanged(before)


def test_from_round_service_refuses_an_accent_without_priority(cast, plan):
    from actionplans import services as plan_services

    before = plan_state()
    for code in ("3A.1", "9.9"):
        with pytest.raises(ServiceError, match="Dit accent heeft geen prioriteit in deze ronde."):
            plan_services.do_create_goals_from_round(
                round_=cast.closed_round,
                choices=[
                    {"accent_code": "3B.1", "title": "Rust", "term": "kort"},
                    {"accent_code": code, "title": "X", "term": "kort"},
                ],
                acting_user=cast.kartrekker,
            )
    with pytest.raises(ServiceError, match="Doelen maak je van een afgesloten ronde."):
        plan_services.do_create_goals_from_round(
            round_=cast.consensus_round,
            choices=[{"accent_code": "1.1", "title": "X", "term": "kort"}],
            acting_user=cast.kartrekker,
        )
    assert_plan_unchanged(before)


# HTML is text.

ESCAPED = "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;&lt;b&gt;vet&lt;/b&gt;"


def test_html_in_the_plan_is_stored_as_text_and_shown_escaped(cast, plan, login):
    client = login(cast.kartrekker)
    response = client.post(plan_url("goal_new", cast), goal_post(title=SCRIPT, monitoring=SCRIPT, feedback=SCRIPT))
    assert response.status_code == 302
    goal = Goal.objects.get(title=SCRIPT)
    assert goal.monitoring == SCRIPT
    response = client.post(
        plan_url("action_new", cast),
        action_post(title=SCRIPT, goal=str(goal.pk), steps=SCRIPT, monitoring=SCRIPT, owner=str(cast.kartrekker.pk)),
    )
    assert response.status_code == 302
    action = Action.objects.get(title=SCRIPT)
    assert list(action.steps.values_list("text", flat=True)) == [SCRIPT]
    assert client.post(plan_url("action_update", cast, action.pk), {"text": SCRIPT}).status_code == 302
    assert ActionUpdate.objects.get(action=action).text == SCRIPT
    response = client.post(plan_url("meeting_minutes", cast, plan.meeting.pk), {"minutes": SCRIPT, "version": "1"})
    assert response.status_code == 302
    assert Meeting.objects.get(pk=plan.meeting.pk).minutes == SCRIPT
    # An edit, so the history shows the script as a before and an after value.
    response = client.post(
        plan_url("action_edit", cast, action.pk),
        action_post(
            title=SCRIPT + " (2)",
            goal=str(goal.pk),
            steps=SCRIPT,
            monitoring=SCRIPT,
            owner=str(cast.kartrekker.pk),
            version=str(Action.objects.get(pk=action.pk).version),
        ),
    )
    assert response.status_code == 302
    pages = [
        plan_url("plan", cast),
        plan_url("goal", cast, goal.pk),
        plan_url("action", cast, action.pk),
        plan_url("action_edit", cast, action.pk),
        plan_url("goal_edit", cast, goal.pk),
        plan_url("my_actions", cast),
        plan_url("meeting", cast, plan.meeting.pk),
        reverse("organisations:school", args=[cast.school.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert SCRIPT not in text(response), url
        assert "<b>vet</b>" not in text(response), url
        if url != pages[-1]:  # the dashboard shows counts, not titles
            assert "&lt;script&gt;" in text(response), url
    # Deleted, it shows escaped in the trash as well.
    client.post(plan_url("goal_delete", cast, goal.pk))
    response = client.get(plan_url("trash", cast))
    assert SCRIPT not in text(response) and ESCAPED in text(response)


@pytest.mark.parametrize(
    ("name", "obj", "data"),
    [
        ("goal_edit", "goal", {"title": "Zonder versie", "term": "kort", "layer_code": "3B", "accent_code": "3B.1"}),
        ("action_edit", "action", {"title": "Zonder versie", "layer_code": "3B", "status": "gepland"}),
        ("meeting_edit", "meeting", {"date": "2027-01-15", "location": "Zonder versie"}),
        ("meeting_minutes", "meeting", {"minutes": "Zonder versie"}),
    ],
)
@pytest.mark.parametrize("version", [None, ""], ids=["left-out", "empty"])
def test_an_edit_without_its_version_is_refused_and_changes_nothing(cast, plan, client, name, obj, data, version):
    """Without the version the form was loaded with, a save could overwrite someone else's change unseen."""
    if version is not None:
        data = data | {"version": version}
    client.force_login(cast.kartrekker)
    before = (
        list(Goal.objects.values_list("title", "version")),
        list(Action.objects.values_list("title", "version")),
        list(Meeting.objects.values_list("location", "minutes", "version")),
    )
    response = client.post(plan_url(name, cast, getattr(plan, obj).pk), data)
    assert response.status_code == 400
    assert "het versienummer ontbreekt" in response.content.decode()
    assert "Zonder versie" in response.content.decode()  # the typed text is still in the form
    after = (
        list(Goal.objects.values_list("title", "version")),
        list(Action.objects.values_list("title", "version")),
        list(Meeting.objects.values_list("location", "minutes", "version")),
    )
    assert after == before
