"""Query counts stay constant: the same number of queries for a round of 6 and of 60 participants.

Both schools are built with bulk_create (tests/bulk.py): everyone answered all 15 accents, wrote
strengths and goals, ranked five priorities and submitted. Each page is measured once for 6
participants and then asserted with django_assert_num_queries for 60, and against a fixed ceiling.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .bulk import build_school

CEILING = 15  # a sane upper bound for any page (today: 5 to 11 queries)
WRITE_CEILING = 25  # a save: lock, check, write, audit, then render (today: 12 and 17)


@pytest.fixture
def schools(db):
    return {6: build_school(6, name="De Kleine Brug"), 60: build_school(60, name="De Grote Brug")}


PAGES = {
    "consensus": lambda s: reverse("assessments:consensus", args=[s.school.pk, s.consensus_round.pk]),
    "consensus-closed": lambda s: reverse("assessments:consensus", args=[s.school.pk, s.closed_round.pk]),
    # Issue 15: every layer open, and one accent's written answers (which the consensus view loads on demand)
    "consensus-all-layers": lambda s: (
        reverse("assessments:consensus", args=[s.school.pk, s.consensus_round.pk]) + "?laag=alle"
    ),
    "consensus-written": lambda s: reverse(
        "assessments:consensus_written", args=[s.school.pk, s.consensus_round.pk, "2.3"]
    ),
    "present": lambda s: reverse("assessments:present", args=[s.school.pk, s.consensus_round.pk]) + "?accent=2.3",
    # With the distribution per role group (issue 13): no query more in an anonymous round (the frozen groups)
    "consensus-by-group": lambda s: (
        reverse("assessments:consensus", args=[s.school.pk, s.consensus_round.pk]) + "?rolgroepen=1"
    ),
    "present-by-group": lambda s: (
        reverse("assessments:present", args=[s.school.pk, s.consensus_round.pk]) + "?accent=2.3&rolgroepen=1"
    ),
    "result": lambda s: reverse("assessments:result", args=[s.school.pk, s.closed_round.pk]),
    "growth": lambda s: reverse("assessments:growth", args=[s.school.pk]),
    "round-detail-open": lambda s: reverse("assessments:round", args=[s.school.pk, s.open_round.pk]),
    "round-detail-closed": lambda s: reverse("assessments:round", args=[s.school.pk, s.closed_round.pk]),
    "school-dashboard": lambda s: reverse("organisations:school", args=[s.school.pk]),
    "members": lambda s: reverse("organisations:members", args=[s.school.pk]),
    "fill-layer-1": lambda s: reverse("assessments:fill_step", args=[s.school.pk, s.open_round.pk, "1"]),
    "fill-layer-3B": lambda s: reverse("assessments:fill_step", args=[s.school.pk, s.open_round.pk, "3B"]),
    "fill-priorities": lambda s: reverse("assessments:fill_step", args=[s.school.pk, s.open_round.pk, "prioriteiten"]),
    "fill-submit": lambda s: reverse("assessments:fill_step", args=[s.school.pk, s.open_round.pk, "indienen"]),
    "fill-submitted-readonly": lambda s: reverse(
        "assessments:fill_step", args=[s.school.pk, s.consensus_round.pk, "1"]
    ),
}


def count_queries(client, url) -> int:
    client.get(url)  # warm-up: sessions, caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", PAGES)
def test_page_queries_do_not_grow_with_participants(schools, client, page, django_assert_num_queries):
    small, big = schools[6], schools[60]
    client.force_login(small.organiser, backend="accounts.backends.EmailBackend")
    n_small = count_queries(client, PAGES[page](small))
    assert n_small <= CEILING

    client.force_login(big.organiser, backend="accounts.backends.EmailBackend")
    url = PAGES[page](big)
    client.get(url)  # the same warm-up as for the small school
    with django_assert_num_queries(n_small):
        response = client.get(url)
    assert response.status_code == 200


def test_big_pages_really_show_sixty_people(schools, client, django_assert_max_num_queries):
    """The counts above are meaningful only if the pages render all the data."""
    big = schools[60]
    client.force_login(big.organiser, backend="accounts.backends.EmailBackend")
    with django_assert_max_num_queries(CEILING):
        detail = client.get(PAGES["round-detail-open"](big)).content.decode()
    assert "Deelnemers: 59 van 60 ingediend" in detail
    assert detail.count('<th scope="row">Deelnemer 0') == 60
    with django_assert_max_num_queries(CEILING):
        consensus = client.get(PAGES["consensus"](big)).content.decode()
    assert "60 van 60 deelnemers hebben ingediend." in consensus
    assert "Gespreksstof" in consensus
    assert "Deelnemer 0" not in consensus.replace("Deelnemer 000", "")  # anonymous: only the viewer's own name
    written = client.get(PAGES["consensus-written"](big), HTTP_HX_REQUEST="true").content.decode()
    assert written.count("<li>") >= 80 and "Deelnemer 0" not in written  # sixty people's texts, no names
    with django_assert_max_num_queries(CEILING):
        result = client.get(PAGES["result"](big)).content.decode()
    assert "60 van 60 deelnemers dienden in" in result
    with django_assert_max_num_queries(CEILING):
        dashboard = client.get(PAGES["school-dashboard"](big)).content.decode()
    assert dashboard.count("60 / 60") == 2 and "59 / 60" in dashboard


def test_named_round_by_group_queries_do_not_grow(db, client, django_assert_num_queries):
    """A named round's distribution per role group reads the members' roles now: one query, for 6 or 60."""
    small = build_school(6, name="De Kleine Naambrug", anonymous=False)
    big = build_school(60, name="De Grote Naambrug", anonymous=False)
    urls = [
        lambda s: reverse("assessments:consensus", args=[s.school.pk, s.consensus_round.pk]) + "?rolgroepen=1",
        lambda s: reverse("assessments:present", args=[s.school.pk, s.consensus_round.pk]) + "?accent=2.3&rolgroepen=1",
    ]
    for url in urls:
        client.force_login(small.organiser, backend="accounts.backends.EmailBackend")
        n_small = count_queries(client, url(small))
        assert n_small <= CEILING
        client.force_login(big.organiser, backend="accounts.backends.EmailBackend")
        client.get(url(big))
        with django_assert_num_queries(n_small):
            body = client.get(url(big)).content.decode()
        assert "Verdeling per rolgroep" in body and "Schoolleiding" in body


def test_autosave_and_consensus_save_queries_do_not_grow(schools, client, django_assert_num_queries):
    """The two writes people do most: a draft autosave and recording one consensus item."""
    counts = {}
    for n, s in schools.items():
        client.force_login(s.organiser, backend="accounts.backends.EmailBackend")
        autosave = reverse("assessments:fill_autosave", args=[s.school.pk, s.open_round.pk, "1"])
        item = reverse("assessments:consensus_item", args=[s.school.pk, s.consensus_round.pk, "1.2"])
        client.post(autosave, {"strengths-1.1": "warm-up"}, HTTP_HX_REQUEST="true")
        if n == 6:
            with CaptureQueriesContext(connection) as a:
                assert client.post(autosave, {"strengths-1.1": f"n={n}"}, HTTP_HX_REQUEST="true").status_code == 200
            with CaptureQueriesContext(connection) as c:
                response = client.post(item, {"phase": "3", "version": ""}, HTTP_HX_REQUEST="true")
                assert response.status_code == 200
            counts = {"autosave": len(a.captured_queries), "item": len(c.captured_queries)}
            assert max(counts.values()) <= WRITE_CEILING
        else:
            with django_assert_num_queries(counts["autosave"]):
                assert client.post(autosave, {"strengths-1.1": f"n={n}"}, HTTP_HX_REQUEST="true").status_code == 200
            with django_assert_num_queries(counts["item"]):
                response = client.post(item, {"phase": "3", "version": ""}, HTTP_HX_REQUEST="true")
                assert response.status_code == 200


# The action plan: the same number of queries for 20 and for 200 actions ------------------------------------

PLAN_LAYERS = ("1", "2", "3A", "3B")


def build_plan(s, n_actions: int):
    """A plan for a bulk-built school: n/10 goals over the four layers (the first holds a third of the
    actions and a long history), n actions over goals and layers with owners, steps, updates and some
    overdue, three meetings (the last one with half the updates), and a few deleted items in the trash.

    Returns (first goal, an action of the kartrekker with many updates, the last meeting).
    """
    import datetime

    from django.utils import timezone

    from actionplans.models import Action, ActionStatus, ActionStep, ActionUpdate, Goal, Meeting, PlanChange, Term

    users, k = s.users, s.organiser
    now, today = timezone.now(), timezone.localdate()

    def who(i):
        return users[i % len(users)]

    meetings = [
        Meeting.objects.create(
            school=s.school,
            date=today + datetime.timedelta(days=days),
            start_time=datetime.time(15, 0),
            end_time=datetime.time(16, 30),
            location="Teamkamer",
            chair=who(days + 1),
            timekeeper=who(days + 2),
            note_taker=who(days + 3),
            minutes="Notulen van de bijeenkomst.",
            created_by=k,
        )
        for days in (-50, -10, 20)
    ]
    n_goals = n_actions // 10
    goals = Goal.objects.bulk_create(
        [
            Goal(
                school=s.school,
                source_round=s.closed_round,
                layer_code=PLAN_LAYERS[i % 4],
                accent_code={"1": "1.1", "2": "2.1", "3A": "3A.1", "3B": "3B.1"}[PLAN_LAYERS[i % 4]],
                title=f"Ontwikkeldoel {i}",
                term=Term.SHORT if i % 3 == 0 else Term.LONG,
                priority=i % 5 + 1,
                start_phase=i % 4 + 1,
                monitoring="Rondgang elke maand",
                monitored_by=who(i + 1),
                created_by=who(i),
                updated_by=who(i + 2),
            )
            for i in range(n_goals)
        ]
    )
    statuses = list(ActionStatus)
    actions = []
    for i in range(n_actions):
        goal = goals[0] if i % 3 == 0 else goals[i % n_goals] if i % 3 == 1 else None
        actions.append(
            Action(
                school=s.school,
                goal=goal,
                layer_code=goal.layer_code if goal else PLAN_LAYERS[i % 4],
                title=f"Actiepunt {i}",
                owner=k if i % 4 == 0 else (None if i % 4 == 1 else who(i)),
                due_date=today + datetime.timedelta(days=(i % 9 - 4) * 10) if i % 5 else None,  # some overdue
                monitoring="Terugkoppeling in de werkgroep",
                status=statuses[i % 4],
                created_by=who(i),
                updated_by=who(i + 1),
                updated_at=now - datetime.timedelta(days=i % 30),
                deleted_at=now - datetime.timedelta(days=1) if i % 10 == 9 else None,
                deleted_by=who(i + 3) if i % 10 == 9 else None,
            )
        )
    actions = Action.objects.bulk_create(actions)
    ActionStep.objects.bulk_create(
        [
            ActionStep(action=a, position=p, text=f"Stap {p}", done_at=now if p == 0 else None, done_by=who(j + p))
            for j, a in enumerate(actions)
            for p in range(3)
        ]
    )
    busy = actions[0]  # the kartrekker's, with many updates
    ActionUpdate.objects.bulk_create(
        [
            ActionUpdate(
                action=a,
                author=who(j + u),
                meeting=meetings[1] if j % 2 == 0 else None,
                text=f"Update {u}",
                created_at=now - datetime.timedelta(days=u),
            )
            for j, a in enumerate(actions)
            for u in range(2)
        ]
        + [ActionUpdate(action=busy, author=who(u), text=f"Nog een update {u}") for u in range(n_actions // 2)]
    )
    PlanChange.objects.bulk_create(
        [
            PlanChange(school=s.school, goal=goals[0], actor=who(j), kind="updated", changes={"title": ["a", "b"]})
            for j in range(n_actions // 2)
        ]
        + [
            PlanChange(school=s.school, action=busy, actor=who(j), kind="updated", changes={"title": ["a", "b"]})
            for j in range(n_actions // 2)
        ]
        + [PlanChange(school=s.school, action=a, actor=who(j), kind="created") for j, a in enumerate(actions)]
    )
    return goals[0], busy, meetings[1]


@pytest.fixture
def plans(db):
    result = {}
    for n_actions, n_people in ((20, 6), (200, 60)):
        s = build_school(n_people, name=f"De Brug {n_actions}")
        s.goal, s.action, s.meeting = build_plan(s, n_actions)
        result[n_actions] = s
    return result


PLAN_PAGES = {
    "plan": lambda s: reverse("actionplans:plan", args=[s.school.pk]),
    # A table of the plan page on its own (issue 15: a long one is folded and opened on demand)
    "plan-layer": lambda s: reverse("actionplans:plan_part", args=[s.school.pk, "groeilaag-1"]),
    "plan-late": lambda s: reverse("actionplans:plan_part", args=[s.school.pk, "te-laat"]),
    "my-actions": lambda s: reverse("actionplans:my_actions", args=[s.school.pk]),
    "meeting": lambda s: reverse("actionplans:meeting", args=[s.school.pk, s.meeting.pk]),
    "goal": lambda s: reverse("actionplans:goal", args=[s.school.pk, s.goal.pk]),
    "action": lambda s: reverse("actionplans:action", args=[s.school.pk, s.action.pk]),
    "trash": lambda s: reverse("actionplans:trash", args=[s.school.pk]),
    "school-dashboard": lambda s: reverse("organisations:school", args=[s.school.pk]),
}


@pytest.mark.parametrize("page", PLAN_PAGES)
def test_plan_page_queries_do_not_grow_with_actions(
    plans, client, page, django_assert_num_queries, django_assert_max_num_queries
):
    small, big = plans[20], plans[200]
    client.force_login(small.organiser, backend="accounts.backends.EmailBackend")
    n_small = count_queries(client, PLAN_PAGES[page](small))
    assert n_small <= CEILING

    client.force_login(big.organiser, backend="accounts.backends.EmailBackend")
    url = PLAN_PAGES[page](big)
    client.get(url)
    # The plan page loads steps and updates only for the tables it shows in full: the small plan's (three queries),
    # not the big one's folded tables. At most as many as for the small plan, then.
    assert_queries = django_assert_max_num_queries if page == "plan" else django_assert_num_queries
    with assert_queries(n_small):
        response = client.get(url)
    assert response.status_code == 200


def test_plan_page_queries_with_every_table_in_full(plans, client, django_assert_num_queries):
    """?alles=1 (to print the whole plan) shows every table in full: the same number for 20 and for 200 actions."""
    small, big = plans[20], plans[200]
    client.force_login(small.organiser, backend="accounts.backends.EmailBackend")
    n_small = count_queries(client, PLAN_PAGES["plan"](small) + "?alles=1")
    assert n_small <= CEILING
    client.force_login(big.organiser, backend="accounts.backends.EmailBackend")
    url = PLAN_PAGES["plan"](big) + "?alles=1"
    client.get(url)
    with django_assert_num_queries(n_small):
        body = client.get(url).content.decode()
    assert body.count('<tr id="action-') >= 180


def test_big_plan_pages_really_show_two_hundred_actions(plans, client):
    """The counts above mean something only if the pages render all of it."""
    big = plans[200]
    client.force_login(big.organiser, backend="accounts.backends.EmailBackend")
    body = client.get(PLAN_PAGES["plan"](big)).content.decode()
    assert '<tr id="action-' not in body  # every table folded: more than FOLD_ABOVE actions each
    assert body.count('<details class="gw-fold"') == 5  # the late ones and the four layers
    assert "180 actiepunten" in body and "Ontwikkeldoel 19" in body
    rows = 0
    for code in ("1", "2", "3A", "3B"):
        part = reverse("actionplans:plan_part", args=[big.school.pk, f"groeilaag-{code}"])
        rows += client.get(part, HTTP_HX_REQUEST="true").content.decode().count('<tr id="action-')
    assert rows == 180  # every live action, in its layer
    late = client.get(PLAN_PAGES["plan-late"](big), HTTP_HX_REQUEST="true").content.decode()
    assert late.count('<tr id="te-laat-action-') >= 20
    mine = client.get(PLAN_PAGES["my-actions"](big)).content.decode()
    assert mine.count("Actiepunt ") >= 40
    meeting = client.get(PLAN_PAGES["meeting"](big)).content.decode()
    assert meeting.count('class="gw-card') >= 120  # the agenda: every open or finished (not yet celebrated) action
    goal = client.get(PLAN_PAGES["goal"](big)).content.decode()
    assert goal.count('<tr id="action-') >= 60


def test_minutes_autosave_and_step_tick_queries_do_not_grow(plans, client, django_assert_num_queries):
    """The plan's writes people do most during a meeting: the minutes autosave and ticking a step."""
    counts = {}
    for n, s in plans.items():
        client.force_login(s.organiser, backend="accounts.backends.EmailBackend")
        minutes = reverse("actionplans:meeting_minutes", args=[s.school.pk, s.meeting.pk])
        step = s.action.steps.order_by("position").last()
        tick = reverse("actionplans:action_step", args=[s.school.pk, s.action.pk, step.pk])
        client.post(minutes, {"minutes": "warm-up", "version": "1"}, HTTP_HX_REQUEST="true")
        writes = {
            "minutes": lambda: client.post(minutes, {"minutes": f"n={n}", "version": "2"}, HTTP_HX_REQUEST="true"),
            "tick": lambda: client.post(tick, {"done": "on"}, HTTP_HX_REQUEST="true"),
        }
        for name, write in writes.items():
            if n == 20:
                with CaptureQueriesContext(connection) as ctx:
                    assert write().status_code == 200
                counts[name] = len(ctx.captured_queries)
                assert counts[name] <= WRITE_CEILING
            else:
                with django_assert_num_queries(counts[name]):
                    assert write().status_code == 200
