"""The action plan through its pages: priorities → goals → actions → meetings, history and undo."""

import datetime
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplans import services
from actionplans.models import Action, ActionStatus, ActionUpdate, Goal, Meeting, PlanChange
from actionplans.overview import plan_overview
from audit.models import AuditEvent
from core.errors import ConflictError, ServiceError

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"actionplans:{name}", args=args)


def action_post(**overrides):
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
    data.update(overrides)
    return data


def test_priorities_become_goals_with_one_action(cast, plan, client):
    client.force_login(cast.kartrekker)
    response = client.get(url("from_round", cast.school.pk, cast.closed_round.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'Prioriteit 1: <span lang="nl">3B.1' in body and 'Prioriteit 3: <span lang="nl">2.1' in body
    response = client.post(
        url("from_round", cast.school.pk, cast.closed_round.pk),
        {
            "take_3B_1": "on",
            "title_3B_1": "Elke klas een rustplek",
            "term_3B_1": "kort",
            "take_1_1": "on",
            "title_1_1": "Kennis delen",
            "term_1_1": "lang",
            "title_2_1": "Niet gekozen",
            "term_2_1": "kort",
        },
    )
    assert response.status_code == 302
    goals = Goal.objects.filter(source_round=cast.closed_round).order_by("priority")
    assert [(g.accent_code, g.layer_code, g.priority, g.start_phase, g.term) for g in goals] == [
        ("3B.1", "3B", 1, 2, "kort"),
        ("1.1", "1", 2, 2, "lang"),
    ]
    for goal in goals:
        assert goal.actions.count() == 1
        assert goal.actions.get().layer_code == goal.layer_code
    # Taking them over again creates nothing twice.
    response = client.post(
        url("from_round", cast.school.pk, cast.closed_round.pk),
        {"take_2_1": "on", "title_2_1": "Richting", "term_2_1": "kort"},
    )
    assert response.status_code == 302
    assert Goal.objects.filter(source_round=cast.closed_round).count() == 3
    assert (
        "Al overgenomen als doel"
        in client.get(url("from_round", cast.school.pk, cast.closed_round.pk)).content.decode()
    )


def test_from_open_round_goes_back_to_the_round(cast, client):
    client.force_login(cast.kartrekker)
    response = client.get(url("from_round", cast.school.pk, cast.open_round.pk))
    assert response.status_code == 302
    assert Goal.objects.count() == 0


def test_plan_overview_groups_by_layer_and_marks_overdue(cast, plan, client):
    late = services.do_create_action(
        school=cast.school,
        title="Meldcode bespreken",
        layer_code="3A",
        due_date=timezone.localdate() - timedelta(days=3),
        acting_user=cast.kartrekker,
    )
    client.force_login(cast.teamlid)
    body = client.get(url("plan", cast.school.pk)).content.decode()
    assert "Rust in de school" in body
    assert "Rustruimte inrichten" in body
    assert "Meldcode bespreken" in body
    assert "1 actiepunt is te laat" in body
    assert f'id="action-{late.pk}" class="gw-row--late"' in body
    assert "Weggegooide actie" not in body and "Weggegooid doel" not in body
    overview = plan_overview(cast.school)
    by_layer = {b.layer.code: [a.title for a in b.actions] for b in overview.layers}
    assert by_layer["3B"] == ["Rustruimte inrichten"]
    assert by_layer["3A"] == ["Meldcode bespreken"]
    # A teamlid reads but gets no edit buttons.
    assert url("goal_new", cast.school.pk) not in body


def test_warns_beyond_three_short_term_goals(cast, client):
    for i in range(4):
        services.do_create_goal(
            school=cast.school, title=f"Doel {i}", term="kort", layer_code="1", acting_user=cast.kartrekker
        )
    client.force_login(cast.kartrekker)
    body = client.get(url("plan", cast.school.pk)).content.decode()
    assert "Er staan 4 doelen op de korte termijn" in body


def test_add_action_from_a_suggestion(cast, client):
    client.force_login(cast.werkgroeplid)
    page = client.get(url("action_new", cast.school.pk) + "?suggestie=1.a")
    assert page.status_code == 200
    assert 'value="Opzetten van intervisie"' in page.content.decode()
    response = client.post(
        url("action_new", cast.school.pk),
        action_post(title="Opzetten van intervisie", suggestion="1.a", owner=str(cast.teamlid.pk)),
    )
    assert response.status_code == 302
    action = Action.objects.get(title="Opzetten van intervisie")
    assert action.suggestion_code == "1.a"
    assert action.owner == cast.teamlid
    assert list(action.steps.values_list("text", flat=True)) == ["Groepjes maken", "Data plannen"]
    assert action.changes.get().kind == "created"


def test_edit_action_keeps_ticks_and_records_history(cast, plan, client):
    client.force_login(cast.teamlid)  # the owner may tick
    response = client.post(url("action_step", cast.school.pk, plan.action.pk, plan.step.pk), {"done": "on"})
    assert response.status_code == 302
    plan.step.refresh_from_db()
    assert plan.step.is_done
    client.force_login(cast.kartrekker)
    response = client.post(
        url("action_edit", cast.school.pk, plan.action.pk),
        action_post(
            title="Rustruimte inrichten en gebruiken",
            goal=str(plan.goal.pk),
            steps="Plek kiezen\nAfspraken maken\nInrichten",
            version=str(Action.objects.get(pk=plan.action.pk).version),
            status="bezig",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    action = Action.objects.get(pk=plan.action.pk)
    steps = list(action.steps.all())
    assert [s.text for s in steps] == ["Plek kiezen", "Afspraken maken", "Inrichten"]
    assert [s.is_done for s in steps] == [True, False, False]
    change = action.changes.filter(kind="updated").get()
    assert change.changes["title"] == ["Rustruimte inrichten", "Rustruimte inrichten en gebruiken"]
    assert change.changes["status"] == ["Gepland", "Bezig"]
    assert "Afspraken maken" in change.changes["steps"][1]
    body = client.get(url("action", cast.school.pk, action.pk)).content.decode()
    assert "Geschiedenis" in body and "Rustruimte inrichten en gebruiken" in body


def test_concurrent_edit_is_refused_with_both_versions(cast, plan, client):
    loaded_version = plan.action.version
    services.do_update_action(
        action=plan.action,
        expected_version=loaded_version,
        acting_user=cast.werkgroeplid,
        steps=["Plek kiezen", "Inrichten"],
        title="Versie van Wim",
        goal=plan.goal,
        layer_code="3B",
        owner=cast.teamlid,
        due_date=None,
        monitoring="",
        status="gepland",
    )
    client.force_login(cast.kartrekker)
    before = PlanChange.objects.count()
    response = client.post(
        url("action_edit", cast.school.pk, plan.action.pk),
        action_post(
            title="Versie van Karel",
            goal=str(plan.goal.pk),
            owner=str(cast.teamlid.pk),
            steps="Plek kiezen\nInrichten",
            due_date="",
            monitoring="",
            version=str(loaded_version),
        ),
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Iemand anders heeft dit intussen opgeslagen" in body
    assert "Versie van Wim" in body and "Versie van Karel" in body
    assert Action.objects.get(pk=plan.action.pk).title == "Versie van Wim"
    assert PlanChange.objects.count() == before
    # The form now carries the saved version: saving again is a conscious overwrite.
    assert f'name="version" value="{loaded_version + 1}"' in body


def test_service_conflict_for_goal(cast, plan):
    fields = {
        "title": "A",
        "term": "kort",
        "layer_code": "3B",
        "accent_code": "",
        "monitoring": "",
        "monitored_by": None,
        "feedback": "",
    }
    services.do_update_goal(goal=plan.goal, expected_version=1, acting_user=cast.kartrekker, **fields)
    with pytest.raises(ConflictError):
        services.do_update_goal(
            goal=plan.goal, expected_version=1, acting_user=cast.werkgroeplid, **fields | {"title": "B"}
        )
    assert Goal.objects.get(pk=plan.goal.pk).title == "A"


def test_delete_goal_and_restore_within_30_days(cast, plan, client):
    client.force_login(cast.kartrekker)
    confirm = client.get(url("goal_delete", cast.school.pk, plan.goal.pk))
    assert confirm.status_code == 200 and "Het actiepunt bij dit doel wordt ook verwijderd." in confirm.content.decode()
    assert Goal.objects.alive().filter(pk=plan.goal.pk).exists()  # asking changed nothing
    assert client.post(url("goal_delete", cast.school.pk, plan.goal.pk)).status_code == 302
    assert not Goal.objects.alive().filter(pk=plan.goal.pk).exists()
    assert not Action.objects.alive().filter(pk=plan.action.pk).exists()
    trash = client.get(url("trash", cast.school.pk)).content.decode()
    assert "Rust in de school" in trash and "Weggegooide actie" in trash
    assert "Rustruimte inrichten" not in trash  # it comes back with its goal
    assert client.get(url("goal", cast.school.pk, plan.goal.pk)).status_code == 404
    assert client.post(url("goal_restore", cast.school.pk, plan.goal.pk)).status_code == 302
    assert Goal.objects.alive().filter(pk=plan.goal.pk).exists()
    assert Action.objects.alive().filter(pk=plan.action.pk).exists()
    assert list(plan.goal.changes.values_list("kind", flat=True)[:2]) == ["restored", "deleted"]


def test_restore_refused_after_30_days_and_purged(cast, plan):
    Goal.objects.filter(pk=plan.deleted_goal.pk).update(deleted_at=timezone.now() - timedelta(days=31))
    with pytest.raises(ServiceError):
        services.do_restore_goal(goal=Goal.objects.get(pk=plan.deleted_goal.pk), acting_user=cast.kartrekker)
    n_goals, n_actions, n_meetings = services.purge_deleted()
    assert (n_goals, n_meetings) == (1, 0)
    assert not Goal.objects.filter(pk=plan.deleted_goal.pk).exists()
    assert Action.objects.filter(pk=plan.deleted_action.pk).exists()  # deleted only a moment ago


def test_restore_action_whose_goal_is_still_deleted(cast, plan):
    services.do_delete_goal(goal=plan.goal, acting_user=cast.kartrekker)
    action = Action.objects.get(pk=plan.action.pk)
    services.do_restore_action(action=action, acting_user=cast.kartrekker)
    action.refresh_from_db()
    assert action.deleted_at is None and action.goal is None and action.layer_code == "3B"


def test_owner_works_on_own_action_but_not_on_others(cast, plan, client):
    other = services.do_create_action(
        school=cast.school, title="Van iemand anders", layer_code="1", acting_user=cast.kartrekker
    )
    client.force_login(cast.teamlid)
    assert client.post(url("action_status", cast.school.pk, plan.action.pk), {"status": "afgerond"}).status_code == 302
    assert Action.objects.get(pk=plan.action.pk).status == ActionStatus.DONE
    assert (
        client.post(url("action_update", cast.school.pk, plan.action.pk), {"text": "Plek gevonden"}).status_code == 302
    )
    assert ActionUpdate.objects.get(action=plan.action).author == cast.teamlid
    assert client.post(url("action_status", cast.school.pk, other.pk), {"status": "afgerond"}).status_code == 403
    assert client.get(url("action_edit", cast.school.pk, plan.action.pk)).status_code == 403
    assert Action.objects.get(pk=other.pk).status == ActionStatus.PLANNED


def test_my_actions_lists_only_mine(cast, plan, client):
    services.do_create_action(school=cast.school, title="Niet van Tina", layer_code="1", acting_user=cast.kartrekker)
    client.force_login(cast.teamlid)
    body = client.get(url("my_actions", cast.school.pk)).content.decode()
    assert "Rustruimte inrichten" in body and "Niet van Tina" not in body


def test_meeting_agenda_minutes_and_updates(cast, plan, client):
    late = services.do_create_action(
        school=cast.school,
        title="Te late actie",
        layer_code="2",
        due_date=timezone.localdate() - timedelta(days=1),
        acting_user=cast.kartrekker,
    )
    done = services.do_create_action(
        school=cast.school, title="Klaar om te vieren", layer_code="1", status="afgerond", acting_user=cast.kartrekker
    )
    client.force_login(cast.kartrekker)
    response = client.post(
        url("meeting_new", cast.school.pk),
        {
            "date": (timezone.localdate() + timedelta(days=1)).isoformat(),
            "start_time": "15:30",
            "end_time": "17:00",
            "location": "Teamkamer",
            "chair": str(cast.kartrekker.pk),
            "timekeeper": str(cast.werkgroeplid.pk),
            "note_taker": str(cast.schoolleider.pk),
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(school=cast.school, date=timezone.localdate() + timedelta(days=1))
    body = client.get(url("meeting", cast.school.pk, meeting.pk)).content.decode()
    agenda = body[body.index("Voorstel voor de agenda") :]
    assert agenda.index("Te late actie") < agenda.index("Klaar om te vieren")
    assert "Klaar: vieren? (1)" in agenda
    # Minutes autosave (htmx) and an update added in the meeting.
    response = client.post(
        url("meeting_minutes", cast.school.pk, meeting.pk),
        {"minutes": "Besproken: rustplekken.", "version": str(meeting.version)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and "Opgeslagen om" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == "Besproken: rustplekken." and meeting.version == 2
    response = client.post(
        url("action_update", cast.school.pk, late.pk), {"text": "Nieuwe datum gezocht", "bijeenkomst": str(meeting.pk)}
    )
    assert response.status_code == 302
    assert ActionUpdate.objects.get(action=late).meeting == meeting
    # A stale autosave never overwrites.
    response = client.post(
        url("meeting_minutes", cast.school.pk, meeting.pk),
        {"minutes": "Oude tekst", "version": "1"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    assert "Besproken: rustplekken." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == "Besproken: rustplekken."
    # ... until the person chooses "Mijn versie opslaan".
    response = client.post(
        url("meeting_minutes", cast.school.pk, meeting.pk),
        {"minutes": "Samengevoegd", "version": "1", "force_version": "2"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "Samengevoegd"
    # Celebrate from the agenda.
    client.post(url("action_status", cast.school.pk, done.pk), {"status": "gevierd"})
    assert Action.objects.get(pk=done.pk).status == ActionStatus.CELEBRATED


def test_new_action_from_a_meeting_returns_to_it(cast, plan, client):
    client.force_login(cast.werkgroeplid)
    response = client.post(
        url("action_new", cast.school.pk) + f"?bijeenkomst={plan.meeting.pk}",
        action_post(title="Uit de vergadering", bijeenkomst=str(plan.meeting.pk)),
    )
    assert response.status_code == 302
    assert response["Location"].startswith(url("meeting", cast.school.pk, plan.meeting.pk))


def test_meeting_reminder_after_six_weeks_for_the_kartrekker(cast, plan, client):
    Meeting.objects.filter(pk=plan.meeting.pk).update(date=timezone.localdate() - timedelta(days=50))
    client.force_login(cast.kartrekker)
    body = client.get(url("plan", cast.school.pk)).content.decode()
    assert "50 dagen geleden (meer dan zes weken)" in body
    assert (
        "meer dan zes weken geleden"
        in client.get(reverse("organisations:school", args=[cast.school.pk])).content.decode()
    )
    client.force_login(cast.werkgroeplid)
    assert "meer dan zes weken" not in client.get(url("plan", cast.school.pk)).content.decode()


def test_every_write_is_audited(cast, plan):
    before = AuditEvent.objects.count()
    services.do_set_action_status(action=plan.action, status="bezig", acting_user=cast.teamlid)
    services.do_set_step_done(step=plan.step, done=True, acting_user=cast.teamlid)
    services.do_add_update(action=plan.action, text="x", acting_user=cast.teamlid)
    services.do_save_minutes(meeting=plan.meeting, minutes="m", expected_version=1, acting_user=cast.kartrekker)
    assert AuditEvent.objects.count() == before + 4


def test_meeting_people_must_belong_to_the_school(cast):
    with pytest.raises(ServiceError):
        services.do_create_meeting(
            school=cast.school, date=datetime.date(2027, 1, 1), chair=cast.outsider, acting_user=cast.kartrekker
        )
    assert not Meeting.objects.exists()


def test_purge_command(cast, plan):
    from io import StringIO

    from django.core.management import call_command

    Action.objects.filter(pk=plan.deleted_action.pk).update(deleted_at=timezone.now() - timedelta(days=40))
    out = StringIO()
    call_command("purge_deleted_plan_items", stdout=out)
    assert "0 doelen, 1 actiepunten en 0 bijeenkomsten definitief verwijderd." in out.getvalue()
    assert not Action.objects.filter(pk=plan.deleted_action.pk).exists()
    assert Goal.objects.filter(pk=plan.deleted_goal.pk).exists()


@pytest.mark.parametrize(
    ("what", "days_ago", "expected"),
    [
        ("nothing", None, False),
        ("open action without a goal", None, True),
        ("open action without a goal", 10, False),
        ("open action without a goal", 43, True),
        ("long-term goal only", None, False),
        ("long-term goal only", 60, False),
        ("finished action only", None, False),
        ("short-term goal", None, True),
        ("short-term goal", 42, False),
        ("short-term goal", 43, True),
    ],
)
def test_the_plan_school_and_board_pages_agree_on_the_meeting_reminder(cast, client, what, days_ago, expected):
    """One rule on all three pages: a plan in use (short-term goals or open actions) without a meeting in six weeks."""
    from actionplans.overview import dashboard_summary
    from pages.board_overview import board_overview
    from tests.factories import make_action, make_goal, make_meeting

    k = cast.kartrekker
    if days_ago is not None:
        make_meeting(cast.school, k, timezone.localdate() - timedelta(days=days_ago))
    if what == "open action without a goal":
        make_action(cast.school, k, layer_code="2")
    elif what == "long-term goal only":
        make_goal(cast.school, k, term="lang")
    elif what == "finished action only":
        make_action(cast.school, k, status=ActionStatus.DONE)
    elif what == "short-term goal":
        make_goal(cast.school, k)
    [row] = [r for r in board_overview(cast.board) if r.school == cast.school]
    assert plan_overview(cast.school).meeting_overdue is expected
    assert dashboard_summary(cast.school, k).meeting_overdue is expected
    assert row.meeting_overdue is expected
    # And what the kartrekker reads on the plan and school pages.
    client.force_login(k)
    plan_page = client.get(url("plan", cast.school.pk)).content.decode()
    school_page = client.get(reverse("organisations:school", args=[cast.school.pk])).content.decode()
    reminders = (
        "zes weken" in plan_page or "nog geen bijeenkomst gehad" in plan_page,
        "zes weken geleden" in school_page or "nog niet in een bijeenkomst besproken" in school_page,
    )
    assert reminders == (expected, expected)


def test_meeting_reminder_names_the_next_meeting_instead_of_asking_for_one(cast, plan, client):
    from tests.factories import make_meeting

    today = timezone.localdate()
    Meeting.objects.filter(pk=plan.meeting.pk).update(date=today - timedelta(days=50))
    make_meeting(cast.school, cast.kartrekker, today + timedelta(days=2))
    client.force_login(cast.kartrekker)
    for page in (url("plan", cast.school.pk), reverse("organisations:school", args=[cast.school.pk])):
        body = client.get(page).content.decode()
        assert "zes weken" in body, page  # the gap still shows: the kartrekker sees it
        assert "Plan een bijeenkomst" not in body, page
    assert "De volgende bijeenkomst staat gepland op" in client.get(url("plan", cast.school.pk)).content.decode()


def test_a_meeting_planned_by_mistake_goes_to_the_trash_after_confirmation_and_can_come_back(cast, plan, client):
    services.do_add_update(action=plan.action, text="Besproken", meeting=plan.meeting, acting_user=cast.kartrekker)
    Meeting.objects.filter(pk=plan.meeting.pk).update(minutes="Korte notulen")
    client.force_login(cast.kartrekker)
    edit = client.get(url("meeting_edit", cast.school.pk, plan.meeting.pk)).content.decode()
    assert url("meeting_delete", cast.school.pk, plan.meeting.pk) in edit
    body = client.get(url("meeting_delete", cast.school.pk, plan.meeting.pk)).content.decode()
    assert "Bijeenkomst verwijderen?" in body
    assert "De notulen gaan mee naar de prullenbak." in body
    assert "Updates en actiepunten uit deze bijeenkomst blijven bij hun actiepunt staan." in body
    assert "30 dagen lang terugzetten" in body
    assert Meeting.objects.filter(pk=plan.meeting.pk).exists()  # asking changes nothing
    response = client.post(url("meeting_delete", cast.school.pk, plan.meeting.pk))
    assert response.status_code == 302 and response["Location"] == url("plan", cast.school.pk)
    # Gone from the plan, its page and the counts; kept in the trash with its minutes and its updates' link.
    assert not Meeting.objects.filter(pk=plan.meeting.pk).exists()
    assert client.get(url("meeting", cast.school.pk, plan.meeting.pk)).status_code == 404
    assert plan_overview(cast.school).last_meeting is None
    stored = Meeting.all_objects.get(pk=plan.meeting.pk)
    assert stored.minutes == "Korte notulen" and stored.deleted_by == cast.kartrekker
    event = AuditEvent.objects.get(action="meeting.deleted", object_id=str(plan.meeting.pk))
    assert event.actor == cast.kartrekker and event.data["minutes_length"] == len("Korte notulen")
    trash = client.get(url("trash", cast.school.pk)).content.decode()
    assert "Bijeenkomst van" in trash and url("meeting_restore", cast.school.pk, plan.meeting.pk) in trash
    # Back again: the meeting, its minutes and the update filed under it.
    response = client.post(url("meeting_restore", cast.school.pk, plan.meeting.pk))
    assert response["Location"] == url("meeting", cast.school.pk, plan.meeting.pk)
    body = client.get(response["Location"]).content.decode()
    assert "Korte notulen" in body and "Besproken" in body
    assert AuditEvent.objects.filter(action="meeting.restored").count() == 1


def test_a_meeting_in_the_trash_for_over_30_days_is_purged_and_cannot_come_back(cast, plan, client):
    services.do_delete_meeting(meeting=plan.meeting, acting_user=cast.kartrekker)
    Meeting.all_objects.filter(pk=plan.meeting.pk).update(deleted_at=timezone.now() - timedelta(days=31))
    client.force_login(cast.kartrekker)
    assert client.post(url("meeting_restore", cast.school.pk, plan.meeting.pk)).status_code == 404
    assert services.purge_deleted()[2] == 1
    assert not Meeting.all_objects.filter(pk=plan.meeting.pk).exists()


def test_saving_minutes_of_a_meeting_deleted_meanwhile_keeps_the_text_and_says_so(cast, plan, client):
    client.force_login(cast.kartrekker)
    seen = Meeting.objects.get(pk=plan.meeting.pk)
    services.do_delete_meeting(meeting=plan.meeting, acting_user=cast.schoolleider)
    with pytest.raises(ServiceError, match="intussen verwijderd"):
        services.do_save_minutes(meeting=seen, minutes="Mijn notulen", expected_version=1, acting_user=cast.kartrekker)
    with pytest.raises(ServiceError, match="intussen verwijderd"):
        services.do_update_meeting(meeting=seen, expected_version=1, acting_user=cast.kartrekker, date=seen.date)


def test_a_new_meeting_has_no_date_until_someone_picks_one(cast, plan, client):
    client.force_login(cast.kartrekker)
    response = client.get(url("meeting_new", cast.school.pk))
    assert response.context["form"]["date"].value() in (None, "")
    assert response.context["form"]["location"].value() == "Teamkamer"  # the rest comes from last time


def test_an_action_made_in_a_meeting_is_listed_on_that_meeting(cast, plan, client):
    client.force_login(cast.werkgroeplid)
    client.post(
        url("action_new", cast.school.pk),
        action_post(title="Uit de vergadering", bijeenkomst=str(plan.meeting.pk)),
    )
    action = Action.objects.get(title="Uit de vergadering")
    assert action.meeting == plan.meeting
    body = client.get(url("meeting", cast.school.pk, plan.meeting.pk)).content.decode()
    assert "Nieuwe actiepunten uit deze bijeenkomst" in body and "Uit de vergadering" in body
    # Another school's meeting number in the form is a 404 and stores nothing.
    response = client.post(
        url("action_new", cast.school.pk),
        action_post(title="Vreemd", bijeenkomst=str(plan.other_meeting.pk)),
    )
    assert response.status_code == 404 and not Action.objects.filter(title="Vreemd").exists()


@pytest.mark.parametrize("kind", ["goal", "action"])
def test_saving_something_deleted_meanwhile_keeps_the_input_and_says_where_to_restore(cast, plan, client, kind):
    item = getattr(plan, kind)
    if kind == "goal":
        data = {"title": "Mijn nieuwe titel", "term": "kort", "layer_code": "3B", "version": str(item.version)}
        services.do_delete_goal(goal=item, acting_user=cast.kartrekker)
    else:
        data = action_post(title="Mijn nieuwe titel", version=str(item.version))
        services.do_delete_action(action=item, acting_user=cast.kartrekker)
    client.force_login(cast.werkgroeplid)
    assert client.get(url(f"{kind}_edit", cast.school.pk, item.pk)).status_code == 404  # opening it: gone
    response = client.post(url(f"{kind}_edit", cast.school.pk, item.pk), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "is intussen verwijderd, dus er is niets opgeslagen" in body and "Verwijderd (terugzetten)" in body
    assert 'value="Mijn nieuwe titel"' in body
    item.refresh_from_db()
    assert item.title != "Mijn nieuwe titel" and item.deleted_at is not None


def test_moving_a_goal_to_another_accent_takes_that_accents_consensus(cast, plan, client):
    """A goal from a round keeps the start phase and priority of the accent it is about, also after a change."""
    from assessments.models import ConsensusItem

    ConsensusItem.objects.filter(round=cast.closed_round, accent_code="1.1").update(phase=3)
    goals = services.do_create_goals_from_round(
        round_=cast.closed_round,
        choices=[{"accent_code": "3B.1", "title": "Rustplekken", "term": "kort"}],
        acting_user=cast.kartrekker,
    )
    goal = goals[0]
    assert (goal.priority, goal.start_phase) == (1, 2)
    client.force_login(cast.kartrekker)
    data = {"title": "Kennis delen", "term": "kort", "layer_code": "1", "accent_code": "1.1", "start_phase": "2"}
    response = client.post(url("goal_edit", cast.school.pk, goal.pk), data | {"version": str(goal.version)})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.layer_code, goal.accent_code, goal.priority, goal.start_phase) == ("1", "1.1", 2, 3)
    change = goal.changes.latest("id").changes
    assert change["priority"] == ["1", "2"] and change["start_phase"] == ["2", "3"]
    history = client.get(url("goal", cast.school.pk, goal.pk)).content.decode()
    assert "Groeifase bij de start" in history and "Prioriteit" in history
    assert "start_phase" not in history and ">priority<" not in history
    # The round page offers 3B.1 again (it has no goal now) and shows 1.1 as taken.
    body = client.get(url("from_round", cast.school.pk, cast.closed_round.pk)).content.decode()
    assert body.count("Al overgenomen als doel") == 1
    # An accent without a priority in the round: no priority, and the phase someone sets now is kept.
    data |= {"layer_code": "2", "accent_code": "2.2", "start_phase": "4", "version": str(goal.version)}
    assert client.post(url("goal_edit", cast.school.pk, goal.pk), data).status_code == 302
    goal.refresh_from_db()
    assert (goal.accent_code, goal.priority, goal.start_phase) == ("2.2", None, 4)


def test_a_goal_added_by_hand_can_record_its_start_phase(cast, plan, client):
    client.force_login(cast.werkgroeplid)
    body = client.get(url("goal_new", cast.school.pk)).content.decode()
    assert "Groeifase bij de start" in body
    data = {"title": "Ouders betrekken", "term": "lang", "layer_code": "3A", "accent_code": "", "start_phase": "1"}
    assert client.post(url("goal_new", cast.school.pk), data).status_code == 302
    hand = Goal.objects.get(title="Ouders betrekken")
    assert hand.start_phase == 1
    # Another accent for a goal added by hand: the phase people gave it stays (nobody agreed on another one).
    moved = data | {"layer_code": "1", "accent_code": "1.1", "version": str(hand.version)}
    assert client.post(url("goal_edit", cast.school.pk, hand.pk), moved).status_code == 302
    hand.refresh_from_db()
    assert (hand.accent_code, hand.start_phase, hand.priority) == ("1.1", 1, None)
    response = client.post(url("goal_new", cast.school.pk), data | {"title": "Fout", "start_phase": "7"})
    assert response.status_code == 400 and "Kies groeifase 1, 2, 3 of 4." in response.content.decode()
    assert not Goal.objects.filter(title="Fout").exists()


def test_the_goal_form_and_the_round_page_warn_past_three_short_term_goals(cast, plan, client):
    from tests.factories import make_goal

    client.force_login(cast.kartrekker)
    assert "Let op:" not in client.get(url("goal_new", cast.school.pk)).content.decode()  # one short-term goal
    for title in ("Twee", "Drie"):
        make_goal(cast.school, cast.kartrekker, title, "1")
    body = client.get(url("goal_new", cast.school.pk)).content.decode()
    assert "Er staan al 3 andere doelen voor de korte termijn in het actieplan." in body
    # Editing one of the three counts the other two: no warning.
    assert "Let op:" not in client.get(url("goal_edit", cast.school.pk, plan.goal.pk)).content.decode()
    # The round page: three short-term goals already, so every priority starts as long term.
    response = client.get(url("from_round", cast.school.pk, cast.closed_round.pk))
    assert "Daarom staan de nieuwe doelen hieronder op de lange termijn" in response.content.decode()
    form = response.context["form"]
    assert {row["term"].value() for row in form.rows if not row["done"]} == {"lang"}
    # Taking one over as short term anyway is allowed, with a warning.
    response = client.post(
        url("from_round", cast.school.pk, cast.closed_round.pk),
        {"take_1_1": "on", "title_1_1": "Kennis delen", "term_1_1": "kort"},
        follow=True,
    )
    assert "Er staan nu 4 doelen op de korte termijn." in response.content.decode()


def test_the_round_page_gives_short_term_only_to_the_free_places(cast, plan, client):
    Goal.objects.filter(pk=plan.goal.pk).update(accent_code="", source_round=None)  # one short-term goal already
    client.force_login(cast.kartrekker)
    form = client.get(url("from_round", cast.school.pk, cast.closed_round.pk)).context["form"]
    terms = [(row["item"].priority, row["term"].value()) for row in form.rows]
    assert terms == [(1, "kort"), (2, "kort"), (3, "lang")]


def test_actions_that_follow_their_goal_to_another_layer_get_a_history_row_and_a_new_version(cast, plan):
    before = plan.action.version
    services.do_update_goal(
        goal=plan.goal,
        expected_version=plan.goal.version,
        acting_user=cast.werkgroeplid,
        **{f: getattr(plan.goal, f) for f in services.GOAL_FIELDS} | {"layer_code": "2", "accent_code": ""},
    )
    plan.action.refresh_from_db()
    assert plan.action.layer_code == "2" and plan.action.version == before + 1
    change = plan.action.changes.latest("id")
    assert change.actor == cast.werkgroeplid and change.changes == {"layer_code": ["3B", "2"]}


def test_picking_a_suggestion_keeps_the_goal_and_the_meeting(cast, plan, client):
    client.force_login(cast.werkgroeplid)
    start = url("action_new", cast.school.pk) + f"?doel={plan.goal.pk}&bijeenkomst={plan.meeting.pk}"
    body = client.get(start).content.decode()
    link = f"?suggestie=1.a&amp;doel={plan.goal.pk}&amp;bijeenkomst={plan.meeting.pk}"
    assert link in body
    page = client.get(url("action_new", cast.school.pk) + link.replace("&amp;", "&"))
    form = page.context["form"]
    assert form["title"].value() == "Opzetten van intervisie"
    assert form["goal"].value() == plan.goal.pk
    assert form["layer_code"].value() == plan.goal.layer_code  # the goal's layer, not the suggestion's
    assert page.context["meeting"] == plan.meeting


def test_a_failed_update_shows_the_whole_action_page_again(cast, client):
    action = services.do_create_action(
        school=cast.school, title="Intervisie", layer_code="1", suggestion_code="1.a", acting_user=cast.kartrekker
    )
    client.force_login(cast.kartrekker)
    full = client.get(url("action", cast.school.pk, action.pk)).content.decode()
    response = client.post(url("action_update", cast.school.pk, action.pk), {"text": "   "})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Voorbeeld uit het handboek" in full and "Voorbeeld uit het handboek" in body
    assert not ActionUpdate.objects.filter(action=action).exists()


def test_an_earlier_meeting_shows_no_agenda_of_today_but_points_to_the_current_one(cast, plan, client):
    from tests.factories import make_meeting

    today = timezone.localdate()
    old = make_meeting(cast.school, cast.kartrekker, today - timedelta(days=40))
    client.force_login(cast.kartrekker)
    body = client.get(url("meeting", cast.school.pk, old.pk)).content.decode()
    assert "Voorstel voor de agenda" not in body and "Update schrijven" not in body
    assert "Dit is een eerdere bijeenkomst." in body
    assert url("meeting", cast.school.pk, plan.meeting.pk) in body
    # The current meeting (last week) and a coming one do have the proposed agenda.
    coming = make_meeting(cast.school, cast.kartrekker, today + timedelta(days=20))
    for meeting in (plan.meeting, coming):
        body = client.get(url("meeting", cast.school.pk, meeting.pk)).content.decode()
        assert "Voorstel voor de agenda" in body and "Dit is een eerdere bijeenkomst." not in body


def test_the_plan_table_has_the_six_bijlage_7_columns_with_steps_and_the_newest_update(cast, plan, client):
    services.do_set_step_done(step=plan.step, done=True, acting_user=cast.teamlid)
    services.do_add_update(action=plan.action, text="Eerste notitie", acting_user=cast.teamlid)
    services.do_add_update(action=plan.action, text="Plek gevonden in de bibliotheek", acting_user=cast.kartrekker)
    client.force_login(cast.werkgroeplid)
    body = client.get(url("plan", cast.school.pk)).content.decode()
    row = body[body.index(f'id="action-{plan.action.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Notities/updates" in body
    assert "gedaan: </span>Plek kiezen" in row and "Inrichten" in row and "1 van 2 gedaan" in row
    assert "Plek gevonden in de bibliotheek" in row and "Eerste notitie" not in row
    assert "Karel Kartrekker" in row and "alle 2 updates" in row


def test_a_ticked_step_keeps_its_tick_while_its_text_stays_the_same(cast, plan):
    """A changed text is a new, open step: guessing "the same step, reworded" could show undone work as done
    (Nulmeting → Eindmeting)."""
    k = cast.kartrekker
    services.do_set_step_done(step=plan.step, done=True, acting_user=cast.teamlid)  # "Plek kiezen" ticked
    action = Action.objects.get(pk=plan.action.pk)
    fields = {f: getattr(action, f) for f in services.ACTION_FIELDS}

    def edit(lines):
        current = Action.objects.get(pk=plan.action.pk)
        services.do_update_action(
            action=current, expected_version=current.version, acting_user=k, steps=lines, **fields
        )
        return [(t, d is not None) for t, d in current.steps.order_by("position").values_list("text", "done_at")]

    assert edit(["Inrichten", "Plek kiezen"]) == [("Inrichten", False), ("Plek kiezen", True)]  # moved: still ticked
    assert edit(["Inrichten", "Plek kiezen (twee plekken)"]) == [
        ("Inrichten", False),
        ("Plek kiezen (twee plekken)", False),
    ]


def test_a_failed_update_from_an_earlier_meetings_tab_shows_the_form_with_its_error(cast, plan, client):
    """A tab opened when that meeting was current, posted after a newer one took its place."""
    from tests.factories import make_meeting

    old = make_meeting(cast.school, cast.kartrekker, timezone.localdate() - timedelta(days=40))
    client.force_login(cast.kartrekker)
    response = client.post(url("action_update", cast.school.pk, plan.action.pk), {"text": "", "bijeenkomst": old.pk})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nieuwe update" in body and "Vul dit in." in body
    assert response.templates[0].name == "actionplans/action_detail.html"


def test_deleting_a_meeting_twice_is_no_error(cast, plan):
    stale = Meeting.objects.get(pk=plan.meeting.pk)  # the second click's copy, fetched before the first delete
    services.do_delete_meeting(meeting=plan.meeting, acting_user=cast.kartrekker)
    services.do_delete_meeting(meeting=stale, acting_user=cast.kartrekker)
    assert not Meeting.objects.filter(pk=plan.meeting.pk).exists()
    assert Meeting.all_objects.filter(pk=plan.meeting.pk).exists()  # in the trash
    assert AuditEvent.objects.filter(action="meeting.deleted", object_id=str(plan.meeting.pk)).count() == 1
