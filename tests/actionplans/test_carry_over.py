"""Turning a new round's priorities into goals offers the unfinished goals of earlier years to carry over
(actionplans.overview.carry_over_candidates, services.do_carry_over_goals)."""

from __future__ import annotations

from django.urls import reverse

from actionplans.models import Action, ActionStatus, Goal, PlanChange
from actionplans.overview import carry_over_candidates
from assessments.models import ConsensusItem
from audit.models import AuditEvent
from tests.factories import agree_priorities, make_action, make_goal


def page(cast):
    return reverse("actionplans:from_round", args=[cast.school.pk, cast.closed_round.pk])


def earlier_goals(cast):
    k = cast.kartrekker
    long_term = make_goal(cast.school, k, "Ouders betrekken", "3A", accent_code="3A.3", term="lang")
    open_goal = make_goal(cast.school, k, "Rust in de klas", "3B", accent_code="3B.1")
    make_action(cast.school, k, "Rustplek", goal=open_goal, layer_code="3B")
    finished = make_goal(cast.school, k, "Gedeelde taal", "1", accent_code="1.3")
    done = make_action(cast.school, k, "Woordenlijst", goal=finished, layer_code="1")
    Action.objects.filter(pk=done.pk).update(status=ActionStatus.CELEBRATED)
    this_round = make_goal(cast.school, k, "Van deze ronde", "1", accent_code="1.1", source_round=cast.closed_round)
    return long_term, open_goal, finished, this_round


def test_the_unfinished_goals_of_earlier_years_are_offered(cast, login):
    long_term, open_goal, finished, this_round = earlier_goals(cast)
    assert [g.pk for g in carry_over_candidates(cast.closed_round)] == [long_term.pk, open_goal.pk]
    html = login(cast.werkgroeplid).get(page(cast)).content.decode()
    assert "Doelen uit eerdere jaren meenemen" in html
    assert "Ouders betrekken" in html and "Rust in de klas" in html
    assert "0 van 1 actie afgerond" in html
    assert "Gedeelde taal" not in html  # finished: nothing to carry over
    assert html.count('name="goals"') == 2


def test_carrying_over_keeps_the_goal_and_follows_the_new_round(cast, login):
    long_term, open_goal, _, _ = earlier_goals(cast)
    agree_priorities(cast.closed_round, {"3B.1": 2})
    response = login(cast.kartrekker).post(page(cast), {"form": "meenemen", "goals": [open_goal.pk]})
    assert response.status_code == 302
    goal = Goal.objects.get(pk=open_goal.pk)
    assert goal.source_round_id == cast.closed_round.pk
    assert goal.priority == 2 and goal.version == open_goal.version + 1
    assert goal.actions.count() == 1  # its actions go with it
    change = PlanChange.objects.filter(goal=goal, kind="carried_over").get()
    assert change.changes == {"source_round": ["", cast.closed_round.title]}
    assert AuditEvent.objects.filter(action="goal.carried_over", object_id=str(goal.pk)).exists()
    assert Goal.objects.get(pk=long_term.pk).source_round_id is None  # not chosen: unchanged
    assert [g.pk for g in carry_over_candidates(cast.closed_round)] == [long_term.pk]
    history = login(cast.kartrekker).get(reverse("actionplans:goal", args=[cast.school.pk, goal.pk]))
    assert "meegenomen naar een nieuwe ronde" in history.content.decode()


def test_tampered_or_foreign_goals_change_nothing(cast, login):
    long_term, _, finished, this_round = earlier_goals(cast)
    foreign = make_goal(cast.other_school, cast.outsider, "Vreemd", "2")
    client = login(cast.kartrekker)
    before = sorted(Goal.objects.values_list("pk", "source_round_id", "version"))
    for goals in ([foreign.pk], [finished.pk], [this_round.pk], [long_term.pk, foreign.pk], ["x"], [10**20], []):
        response = client.post(page(cast), {"form": "meenemen", "goals": goals})
        assert response.status_code == 400, goals
        html = response.content.decode()
        assert "Nog niet opgeslagen" in html
    assert sorted(Goal.objects.values_list("pk", "source_round_id", "version")) == before
    assert not PlanChange.objects.filter(kind="carried_over").exists()


def test_the_service_refuses_a_goal_that_went_meanwhile(cast):
    import pytest

    from actionplans import services
    from core.errors import ServiceError

    long_term, open_goal, _, _ = earlier_goals(cast)
    services.do_delete_goal(goal=open_goal, acting_user=cast.kartrekker)
    with pytest.raises(ServiceError):
        services.do_carry_over_goals(
            round_=cast.closed_round, goal_ids=[long_term.pk, open_goal.pk], acting_user=cast.kartrekker
        )
    assert Goal.objects.get(pk=long_term.pk).source_round_id is None


def test_the_priorities_form_still_works_beside_it(cast, login):
    earlier_goals(cast)
    ConsensusItem.objects.filter(round=cast.closed_round).delete()
    agree_priorities(cast.closed_round, {"2.1": 1})
    response = login(cast.kartrekker).post(page(cast), {"take_2_1": "on", "title_2_1": "Welzijn", "term_2_1": "kort"})
    assert response.status_code == 302
    assert Goal.objects.filter(title="Welzijn", source_round=cast.closed_round).exists()
