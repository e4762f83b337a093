"""The content version of the plan's generated exports (actionplans/export_files.py, core/generated.py): every change
the Word and Excel files would show makes a new version, in a fixed number of queries. The version of a round's
follow-up (its PDF report) likewise."""

from __future__ import annotations

import datetime

import pytest

from actionplans import services
from actionplans.export_files import followup_version, plan_spec, plan_version
from actionplans.models import Action, ActionStatus, Goal
from tests.factories import make_action, make_goal

TODAY = datetime.date(2027, 3, 1)


def version(cast):
    return plan_version(cast.school, TODAY)


def fields(obj, names, **changes):
    return {name: getattr(obj, name) for name in names} | changes


CHANGES = {
    "action edited": lambda c, p: services.do_update_action(
        action=p.action,
        expected_version=p.action.version,
        acting_user=c.kartrekker,
        steps="Plek kiezen\nInrichten",
        **fields(p.action, services.ACTION_FIELDS, title="Stilteplek inrichten"),
    ),
    "action status": lambda c, p: services.do_set_action_status(
        action=p.action, status=ActionStatus.DONE, acting_user=c.kartrekker
    ),
    "step ticked": lambda c, p: services.do_set_step_done(step=p.step, done=True, acting_user=c.teamlid),
    "update added": lambda c, p: services.do_add_update(action=p.action, text="Gestart", acting_user=c.teamlid),
    "action deleted": lambda c, p: services.do_delete_action(action=p.action, acting_user=c.kartrekker),
    "deleted action restored": lambda c, p: services.do_restore_action(
        action=p.deleted_action, acting_user=c.kartrekker
    ),
    "action added": lambda c, p: make_action(c.school, c.kartrekker, "Nog een actie"),
    "goal edited": lambda c, p: services.do_update_goal(
        goal=p.goal,
        expected_version=p.goal.version,
        acting_user=c.kartrekker,
        **fields(p.goal, services.GOAL_FIELDS, title="Rust en veiligheid"),
    ),
    "goal added": lambda c, p: make_goal(c.school, c.kartrekker, "Nieuw doel", "1"),
    "meeting edited": lambda c, p: services.do_update_meeting(
        meeting=p.meeting,
        expected_version=p.meeting.version,
        acting_user=c.kartrekker,
        **fields(p.meeting, services.MEETING_FIELDS, location="Aula"),
    ),
    "meeting deleted": lambda c, p: services.do_delete_meeting(meeting=p.meeting, acting_user=c.kartrekker),
    "owner renamed": lambda c, p: type(c.teamlid).objects.filter(pk=c.teamlid.pk).update(name="Tina de Vries"),
    "school renamed": lambda c, p: type(c.school).objects.filter(pk=c.school.pk).update(name="De Regenboog Noord"),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_every_change_the_files_show_makes_a_new_version(cast, plan, change):
    before = version(cast)
    CHANGES[change](cast, plan)
    cast.school.refresh_from_db()
    assert version(cast) != before


def test_a_renamed_chair_makes_a_new_version(cast, plan):
    services.do_update_meeting(
        meeting=plan.meeting,
        expected_version=plan.meeting.version,
        acting_user=cast.kartrekker,
        **fields(plan.meeting, services.MEETING_FIELDS, chair=cast.werkgroeplid),
    )
    before = version(cast)
    type(cast.werkgroeplid).objects.filter(pk=cast.werkgroeplid.pk).update(name="Willem Werkgroep")
    assert version(cast) != before


def test_nothing_changed_is_the_same_version_and_another_day_another(cast, plan):
    assert version(cast) == version(cast)
    assert plan_version(cast.school, TODAY + datetime.timedelta(days=1)) != version(
        cast
    )  # late actions, "Datum export"


def test_another_schools_plan_does_not_change_ours(cast, plan):
    before = version(cast)
    make_action(cast.other_school, cast.outsider, "Vreemde actie 2")
    services.do_add_update(action=plan.other_action, text="Elders", acting_user=cast.outsider)
    assert version(cast) == before


def test_the_version_takes_six_queries_whatever_the_plan_size(cast, plan, django_assert_num_queries):
    for i in range(30):
        make_action(cast.school, cast.kartrekker, f"Actie {i}", owner=cast.werkgroeplid, steps=["a", "b"])
    with django_assert_num_queries(6):
        plan_version(cast.school, TODAY)


def test_the_spec_is_the_same_for_everyone_and_names_the_file(cast, plan):
    spec = plan_spec(cast.school, extension="docx")
    assert spec.variant == "" and spec.kind == "plan.docx" and spec.object_id == cast.school.pk
    assert spec.filename.startswith("actieplan-de-regenboog-") and spec.filename.endswith(".docx")
    assert spec.params["school_id"] == cast.school.pk


def test_the_follow_up_version_of_a_rounds_report(cast, plan):
    """The goals that came from the round and their actions, as the PDF report shows them."""
    round_ = cast.closed_round
    Goal.objects.filter(pk=plan.goal.pk).update(source_round=round_)
    before = followup_version(round_)
    services.do_add_update(action=plan.action, text="Gestart", acting_user=cast.teamlid)
    after_update = followup_version(round_)
    assert after_update != before
    type(cast.teamlid).objects.filter(pk=cast.teamlid.pk).update(name="Tina de Vries")  # the owner
    assert followup_version(round_) != after_update
    unrelated = followup_version(round_)
    Action.objects.filter(pk=plan.other_action.pk).update(title="Elders anders")
    assert followup_version(round_) == unrelated
