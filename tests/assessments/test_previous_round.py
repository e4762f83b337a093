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


# The plan's goals on each accent since the round before (issue 13): beside "Vorige keer", in the consensus view,
# its folded layers and the meeting screen; never in the fill-in form; one query for all accents.


def _goal_on(cast, accent_code, title, *, done=0, open_=0, school=None, by=None, **extra):
    from actionplans.models import ActionStatus
    from tests.factories import make_action, make_goal

    school = school or cast.school
    by = by or cast.kartrekker
    layer = accent_code.split(".")[0]
    goal = make_goal(school, by, title, layer, accent_code=accent_code, **extra)
    for i in range(done):
        make_action(school, by, f"{title} klaar {i}", goal=goal, layer_code=layer, status=ActionStatus.DONE)
    for i in range(open_):
        make_action(school, by, f"{title} open {i}", goal=goal, layer_code=layer)
    return goal


def _consensus(client, cast, round_=None, **params):
    from urllib.parse import urlencode

    round_ = round_ or cast.consensus_round
    query = urlencode({"laag": "alle"} | params)
    response = client.get(reverse("assessments:consensus", args=[cast.school.pk, round_.pk]) + "?" + query)
    assert response.status_code == 200
    return response.content.decode()


def _block(html, code, next_code):
    return html[html.index(f'id="accent-{code}"') : html.index(f'id="accent-{next_code}"')]


def test_the_consensus_shows_the_goals_set_since_last_time_with_actions_done_and_a_link(cast, login):
    goal = _goal_on(cast, "1.1", "Elke ochtend een rustig begin", done=2, open_=1, source_round=cast.closed_round)
    _goal_on(cast, "1.1", "Een rustplek per gang")  # added by hand since: no actions yet
    html = _consensus(login(cast.kartrekker), cast)
    block = _block(html, "1.1", "1.2")
    assert "Doelen in het actieplan sinds de vorige ronde:" in block
    link = reverse("actionplans:goal", args=[cast.school.pk, goal.pk])
    assert f'<a class="utrecht-link" href="{link}">Elke ochtend een rustig begin</a>' in block
    assert "(2 van 3 acties afgerond)" in block
    assert "Een rustplek per gang</a>" in block and "(nog geen acties)" in block
    assert "Doelen in het actieplan" not in _block(html, "1.2", "1.3")  # only on the goal's own accent
    assert html.count("Doelen in het actieplan sinds de vorige ronde:") == 1


def test_a_celebrated_action_counts_as_done_and_a_deleted_one_not_at_all(cast, login):
    from actionplans import services as plan_services
    from actionplans.models import ActionStatus
    from tests.factories import make_action

    goal = _goal_on(cast, "2.1", "Samen vieren", done=1)
    make_action(cast.school, cast.kartrekker, "Feest", goal=goal, layer_code="2", status=ActionStatus.CELEBRATED)
    gone = make_action(cast.school, cast.kartrekker, "Weg", goal=goal, layer_code="2", status=ActionStatus.DONE)
    plan_services.do_delete_action(action=gone, acting_user=cast.kartrekker)
    assert "(2 van 2 acties afgerond)" in _block(_consensus(login(cast.kartrekker), cast), "2.1", "2.2")


def test_the_link_follows_the_access_rules(cast, login):
    """Everyone with access to the school may read the plan (organisations/access.py can_view_plan), so a teamlid
    who leads the conversation gets the link too, and it opens; the page hides it from whoever may not."""
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    from assessments.growth import PlanGoal
    from organisations.access import get_school_access

    goal = _goal_on(cast, "1.1", "Elke ochtend een rustig begin", done=1)
    Round.objects.filter(pk=cast.consensus_round.pk).update(facilitator=cast.teamlid)
    client = login(cast.teamlid)
    assert get_school_access(cast.teamlid, cast.school.pk).can_view_plan
    link = reverse("actionplans:goal", args=[cast.school.pk, goal.pk])
    assert f'href="{link}"' in _block(_consensus(client, cast), "1.1", "1.2")
    assert client.get(link).status_code == 200

    shown = [PlanGoal(title="Rust", actions_done=1, actions_total=2, url="/doel/")]
    for may, expected in ((True, True), (False, False)):
        html = render_to_string(
            "assessments/_previous_goals.html", {"acc": SimpleNamespace(can_view_plan=may), "plan_goals": shown}
        )
        assert "Rust" in html and "1 van 2 acties afgerond" in html
        assert ('href="/doel/"' in html) is expected


def test_goals_of_another_school_deleted_goals_and_goals_from_before_are_not_shown(cast, login):
    import datetime

    from django.utils import timezone

    from actionplans import services as plan_services
    from actionplans.models import Goal
    from tests.factories import make_goal

    _goal_on(cast, "1.1", "Vreemd doel", school=cast.other_school, by=cast.outsider)
    deleted = _goal_on(cast, "1.1", "Verwijderd doel", source_round=cast.closed_round)
    plan_services.do_delete_goal(goal=deleted, acting_user=cast.kartrekker)
    old = _goal_on(cast, "1.1", "Doel van vroeger")
    carried = _goal_on(cast, "1.1", "Meegenomen doel", source_round=cast.closed_round)
    long_ago = timezone.now() - datetime.timedelta(days=400)
    Goal.objects.filter(pk__in=[old.pk, carried.pk]).update(created_at=long_ago)  # set before the round before
    make_goal(cast.school, cast.kartrekker, "Doel zonder accent", "1")  # on the layer, no accent
    html = _consensus(login(cast.kartrekker), cast)
    assert "Vreemd doel" not in html
    assert "Verwijderd doel" not in html
    assert "Doel van vroeger" not in html
    assert "Doel zonder accent" not in html
    assert "Meegenomen doel" in _block(html, "1.1", "1.2")  # it follows the round before: set from it


def test_a_first_round_shows_no_goals(cast, login):
    _goal_on(cast, "1.1", "Elke ochtend een rustig begin")
    Round.objects.filter(pk=cast.closed_round.pk).delete()
    assert "Doelen in het actieplan" not in _consensus(login(cast.kartrekker), cast)


def test_a_closed_round_shows_the_goals_set_between_the_round_before_and_itself(cast, login):
    """Looking back at a closed round: the goals made from it afterwards are not "since last time"."""
    from tests.factories import make_round, move_to

    _goal_on(cast, "1.1", "Tussendoor gesteld")
    later = make_round(cast.school, [cast.kartrekker], by=cast.kartrekker, title="Latere ronde")
    later = move_to(later, "closed", cast.kartrekker)
    _goal_on(cast, "1.1", "Na de latere ronde", source_round=later)
    html = _consensus(login(cast.kartrekker), cast, round_=later)
    block = _block(html, "1.1", "1.2")
    assert "Tussendoor gesteld" in block
    assert "Na de latere ronde" not in html


def test_the_folded_layer_the_saved_accent_and_the_meeting_screen_show_them(cast, login):
    _agree_last_time(cast)
    _goal_on(cast, "1.1", "Elke ochtend een rustig begin", done=1, open_=1)
    client = login(cast.kartrekker)
    url = reverse("assessments:consensus", args=[cast.school.pk, cast.consensus_round.pk])
    layer = client.get(url + "?laag=1", HTTP_HX_REQUEST="true").content.decode()
    assert "Elke ochtend een rustig begin" in layer and "(1 van 2 acties afgerond)" in layer
    saved = client.post(
        reverse("assessments:consensus_item", args=[cast.school.pk, cast.consensus_round.pk, "1.1"]),
        {"phase": "3", "strengths": "", "next_steps": "", "priority": "", "version": ""},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Elke ochtend een rustig begin" in saved
    present = client.get(
        reverse("assessments:present", args=[cast.school.pk, cast.consensus_round.pk]) + "?accent=1.1"
    ).content.decode()
    section = present[present.index('id="present-previous"') :]
    assert "Vorige keer (Afgesloten ronde):" in section
    assert "Elke ochtend een rustig begin" in section and "(1 van 2 acties afgerond)" in section
    other = client.get(
        reverse("assessments:present", args=[cast.school.pk, cast.consensus_round.pk]) + "?accent=1.2"
    ).content.decode()
    assert "Elke ochtend een rustig begin" not in other


def test_filling_in_never_shows_the_goals(cast, login):
    _agree_last_time(cast)
    _goal_on(cast, "1.1", "Elke ochtend een rustig begin")
    Round.objects.filter(pk=cast.open_round.pk).update(show_previous=True)
    url = reverse("assessments:fill_step", args=[cast.school.pk, cast.open_round.pk, "1"])
    html = login(cast.werkgroeplid).get(url).content.decode()
    assert "Vorige keer (Afgesloten ronde):" in html
    assert "Elke ochtend een rustig begin" not in html


def test_the_queries_do_not_grow_with_the_goals_and_accents(cast, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(cast.kartrekker)
    pages = {
        "consensus": reverse("assessments:consensus", args=[cast.school.pk, cast.consensus_round.pk]) + "?laag=alle",
        "present": reverse("assessments:present", args=[cast.school.pk, cast.consensus_round.pk]) + "?accent=1.1",
    }

    def counts():
        out = {}
        for name, url in pages.items():
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            out[name] = len(queries)
        return out

    _goal_on(cast, "1.1", "Doel 0", done=1)
    one = counts()
    for i, code in enumerate(("1.1", "1.2", "2.1", "3A.2"), start=1):  # five goals on four accents, more actions
        _goal_on(cast, code, f"Doel {i}", done=2, open_=1)
    five = counts()
    html = client.get(pages["consensus"]).content.decode()
    assert html.count("Doelen in het actieplan sinds de vorige ronde:") == 4
    assert all(f"Doel {i}</a>" in html for i in range(5))
    assert five == one
