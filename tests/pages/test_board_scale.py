"""The board page counted in the database (issue 15, part 3) gives what the apps' own per-school functions give.

A random board of schools with every kind of data the page counts (routes begun or not, steps late or done, goals
and actions deleted or not, meetings, closed rounds with agreed phases and ranges, training plans of several years
with groups, attendance, people who joined late, a board's training for new staff, external trainers) is compared,
school by school, with the yardsticks: trajectory.overview's current phase and late steps, actionplans' counts,
assessments.growth's closed rounds in time order with their agreed phases, and training.overview.build_overview.
"""

from __future__ import annotations

import datetime
import random
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from actionplans.models import OPEN_STATUSES, Action, ActionStatus, Goal, Meeting, Term
from actionplans.overview import meeting_is_overdue
from assessments.growth import closed_rounds
from assessments.models import ConsensusItem, Participant, Round, RoundStatus
from core.dates import school_year_of
from ontwikkelmodel.models import ModelVersion
from organisations.models import Board, BoardMember, EducationType, Membership, School
from pages.board_overview import board_overview
from training import services as training_services
from training.models import (
    Attendance,
    BoardAttendance,
    BoardTraining,
    BoardTrainingGroup,
    BoardTrainingParticipant,
    BoardTrainingSession,
    TrainingGroup,
    TrainingPlan,
    TrainingSession,
)
from training.overview import build_overview
from trajectory import services as route_services
from trajectory.models import Step, StepStatus, Trajectory
from trajectory.overview import route_overview

STATUSES = ["aanwezig", "aanwezig", "aanwezig", "afwezig", "afgemeld"]


def build_random_board(rng: random.Random, n_schools: int, today: datetime.date):
    board = Board.objects.create(name=f"Bestuur {rng.random()}")
    viewer = User.objects.create(email=f"bestuur{board.pk}@test.nl", name="Bestuur")
    BoardMember.objects.create(board=board, user=viewer)
    version = ModelVersion.current()
    codes = version.model.accent_codes
    year = school_year_of(today)
    board_training = BoardTraining.objects.create(
        board=board, title="Nieuwe collega's", school_year=year - 1, content_version="x"
    )
    board_group = BoardTrainingGroup.objects.create(training=board_training, name="Groep")
    board_sessions = [
        BoardTrainingSession.objects.create(
            training=board_training, kind=kind, title=kind, date=today - datetime.timedelta(days=days)
        )
        for kind, days in (("module1", 40), ("module34", 10), ("module2", -5), ("overig", 20))
    ]
    for i in range(n_schools):
        school = School.objects.create(board=board, name=f"School {i:02d}", education_type=EducationType.REGULIER_BO)
        staff = []
        for j in range(rng.randint(3, 9)):
            user = User.objects.create(email=f"s{school.pk}p{j}@test.nl", name=f"P{j}")
            membership = Membership.objects.create(
                school=school,
                user=user,
                is_schoolleiding=j == 0,
                is_kartrekker=j == 1,
                is_trainer_extern=rng.random() < 0.15,
                is_teamlid=j > 1 and rng.random() < 0.9,
            )
            late = rng.random() < 0.25
            Membership.objects.filter(pk=membership.pk).update(
                joined_at=timezone.now() - datetime.timedelta(days=rng.randint(1, 30) if late else 800)
            )
            staff.append(user)
        lead = staff[0]
        if rng.random() < 0.8:
            start = datetime.date(year - rng.randint(0, 2), rng.choice([1, 9]), 1)
            trajectory = route_services.do_start_trajectory(school=school, training_start=start, acting_user=lead)
            for step in Step.objects.filter(trajectory=trajectory):
                roll = rng.random()
                if roll < 0.3:
                    Step.objects.filter(pk=step.pk).update(status=StepStatus.DONE)
                elif roll < 0.35:
                    Step.objects.filter(pk=step.pk).update(code=f"vervallen-{step.pk}")  # not in the content any more
        for g in range(rng.randint(0, 4)):
            goal = Goal.objects.create(
                school=school,
                layer_code="1",
                title=f"Doel {g}",
                term=rng.choice([Term.SHORT, Term.LONG]),
                start_phase=1,
                priority=1,
                deleted_at=timezone.now() if rng.random() < 0.2 else None,
            )
            for a in range(rng.randint(0, 4)):
                Action.objects.create(
                    school=school,
                    goal=goal,
                    layer_code="1",
                    title=f"Actie {a}",
                    status=rng.choice(list(ActionStatus)),
                    due_date=today + datetime.timedelta(days=rng.randint(-60, 60)) if rng.random() < 0.8 else None,
                    deleted_at=timezone.now() if rng.random() < 0.1 else None,
                )
        for _m in range(rng.randint(0, 3)):
            Meeting.objects.create(
                school=school,
                date=today + datetime.timedelta(days=rng.randint(-90, 30)),
                deleted_at=timezone.now() if rng.random() < 0.1 else None,
            )
        for r in range(rng.randint(0, 4)):
            closed_at = timezone.now() - datetime.timedelta(days=rng.choice([400, 300, 30, 30]) + r)
            round_ = Round.objects.create(
                school=school,
                model_version=version,
                title=f"Ronde {r}",
                status=rng.choice([RoundStatus.CLOSED, RoundStatus.CLOSED, RoundStatus.CONSENSUS]),
                closed_at=closed_at,
                meeting_date=closed_at.date() - datetime.timedelta(days=1) if rng.random() < 0.5 else None,
                created_by=lead,
            )
            for code in rng.sample(codes, rng.randint(0, len(codes))):
                phase = rng.choice([None, 1, 2, 3, 4])
                ConsensusItem.objects.create(
                    round=round_,
                    accent_code=code,
                    phase=phase,
                    phase_to=phase + 1 if phase and phase < 4 and rng.random() < 0.2 else None,
                )
        for plan_year in rng.sample([year - 1, year, year + 1], rng.randint(0, 3)):
            plan = training_services.do_create_plan(school=school, school_year=plan_year, acting_user=lead)
            team = [m.user for m in training_services.team_memberships(school)]
            group = None
            if team and rng.random() < 0.5:
                group = TrainingGroup.objects.create(school=school, plan=plan, name="Groep")
                group.members.set(rng.sample(team, rng.randint(1, len(team))))
            for session in TrainingSession.objects.filter(plan=plan):
                shift = rng.randint(-200, 200)
                TrainingSession.objects.filter(pk=session.pk).update(
                    date=today + datetime.timedelta(days=shift),
                    group=group if group and rng.random() < 0.4 else None,
                )
                Attendance.objects.bulk_create(
                    [
                        Attendance(session=session, user=u, status=rng.choice(STATUSES))
                        for u in staff
                        if rng.random() < 0.8
                    ]
                )
        for membership in Membership.objects.filter(school=school):
            if rng.random() < 0.3:
                participant = BoardTrainingParticipant.objects.create(
                    training=board_training, group=board_group, membership=membership
                )
                for session in board_sessions:
                    if rng.random() < 0.6:
                        BoardAttendance.objects.create(
                            session=session, participant=participant, status=rng.choice(STATUSES)
                        )
    return board, viewer


def expected_row(school, today):
    """The yardstick: each app's own read functions, one school at a time."""
    out = {}
    trajectory = Trajectory.objects.filter(school=school).first()
    if trajectory:
        overview = route_overview(trajectory, today=today)
        out["phase"], out["late_steps"] = overview.current_phase, len(overview.late)
    else:
        out["phase"], out["late_steps"] = None, 0
    goals = Goal.objects.alive().filter(school=school)
    out["short_goals"] = goals.filter(term=Term.SHORT).count()
    out["long_goals"] = goals.filter(term=Term.LONG).count()
    actions = list(Action.objects.alive().filter(school=school))
    out["actions"] = {s: n for s in ActionStatus.values if (n := sum(1 for a in actions if a.status == s))}
    out["overdue"] = sum(1 for a in actions if a.status in OPEN_STATUSES and a.due_date and a.due_date < today)
    last = Meeting.objects.filter(school=school, date__lte=today).order_by("-date").first()
    out["last_meeting"] = last.date if last else None
    days = (today - last.date).days if last else None
    open_actions = sum(1 for a in actions if a.status in OPEN_STATUSES)
    out["meeting_overdue"] = meeting_is_overdue(days, short_goals=out["short_goals"], open_actions=open_actions)
    rounds = closed_rounds(school)
    grown = lowered = same = 0
    if len(rounds) >= 2:
        agreed = {
            r.pk: {i.accent_code: i.phase for i in ConsensusItem.objects.filter(round=r, phase__isnull=False)}
            for r in (rounds[0], rounds[-1])
        }
        first, last_agreed = agreed[rounds[0].pk], agreed[rounds[-1].pk]
        for code in first.keys() & last_agreed.keys():
            change = last_agreed[code] - first[code]
            grown, lowered, same = grown + (change > 0), lowered + (change < 0), same + (change == 0)
    out["growth"] = (grown, lowered, same)
    out["rounds"] = [
        r.pk for r in Round.objects.filter(school=school, status=RoundStatus.CLOSED).order_by("-closed_at", "-id")
    ]
    plan = (
        TrainingPlan.objects.filter(school=school, school_year__lte=school_year_of(today))
        .order_by("-school_year")
        .first()
    )
    if plan:
        o = build_overview(plan, today=today)
        begun = any(s.date <= today and s.content_kind and s.content_kind.training for s in o.sessions)
        out["training"] = (plan.school_year_label, len(o.people), len(o.still_to_train), begun)
    else:
        out["training"] = None
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_board_page_counts_what_the_apps_count(db, seed):
    rng = random.Random(seed)
    today = timezone.localdate()
    board, _viewer = build_random_board(rng, 12, today)
    rows = board_overview(board, today=today)
    assert [r.school.name for r in rows] == sorted(s.name for s in board.schools.all())
    for row in rows:
        school = School.objects.get(pk=row.school.pk)
        expected = expected_row(school, today)
        got = {
            "phase": row.phase,
            "late_steps": row.late_steps,
            "short_goals": row.short_goals,
            "long_goals": row.long_goals,
            "actions": row.actions,
            "overdue": row.overdue,
            "last_meeting": row.last_meeting,
            "meeting_overdue": row.meeting_overdue,
            "growth": (row.grown, row.lowered, row.same),
            "rounds": [r.pk for r in row.rounds],
            "training": row.training
            and (row.training.school_year_label, row.training.team, row.training.still_to_train, row.training.begun),
        }
        assert got == expected, school.name


def test_queries_do_not_grow_with_the_schools(db, client):
    """A board of 3 schools and one of 20, both with everything: the same number of queries."""
    rng = random.Random(7)
    today = timezone.localdate()
    counts = []
    for n in (3, 20):
        board, viewer = build_random_board(rng, n, today)
        client.force_login(viewer, backend="accounts.backends.EmailBackend")
        url = reverse("organisations:board", args=[board.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        assert page.status_code == 200 and page.content.decode().count('<th scope="row">') == n
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1] <= 8, counts


# A board of 50 schools × 5 closed rounds (issue 13's quality bar) --------------------------------------------------


def expected_growth(i: int, n_codes: int) -> tuple[int, int, int]:
    """School i of build_growth_board: the newest round agreed i % 8 accents higher and i % 3 lower than the first."""
    return i % 8, i % 3, n_codes - i % 8 - i % 3


def build_growth_board(n_schools: int, *, years: int = 5):
    """A board of n schools, each with one schoolleider and ``years`` closed rounds (one submitted participant each)
    with every accent agreed; made with bulk_create (a few queries per school). The rounds are created newest first,
    so the ids run against time: the growth must follow the rounds' dates. The first round agrees phase 2
    everywhere; the middle ones 3 with a range 3-4 and one accent not agreed; the newest one grows expected_growth."""
    version = ModelVersion.current()
    codes = version.model.accent_codes
    board = Board.objects.create(name=f"Bestuur van {n_schools}")
    viewer = User.objects.create(email=f"bestuur{board.pk}@groei.test", name="Bestuurslid")
    BoardMember.objects.create(board=board, user=viewer)
    schools = School.objects.bulk_create(
        [
            School(board=board, name=f"School {i:02d}", education_type=EducationType.REGULIER_BO)
            for i in range(n_schools)
        ]
    )
    leaders = User.objects.bulk_create(
        [User(email=f"leider{s.pk}@groei.test", name=f"Leider {i}") for i, s in enumerate(schools)]
    )
    Membership.objects.bulk_create(
        [Membership(school=s, user=u, is_schoolleiding=True) for s, u in zip(schools, leaders, strict=True)]
    )
    first_year = timezone.localdate().year - years
    rounds = Round.objects.bulk_create(
        [
            Round(
                school=school,
                model_version=version,
                title=f"Ronde {first_year + y}",
                status=RoundStatus.CLOSED,
                meeting_date=datetime.date(first_year + y, 10, 1),
                closed_at=timezone.make_aware(datetime.datetime(first_year + y, 10, 2, 12)),
                created_by=leader,
            )
            for school, leader in zip(schools, leaders, strict=True)
            for y in reversed(range(years))
        ]
    )
    Participant.objects.bulk_create(
        [Participant(round=r, user_id=r.created_by_id, submitted_at=r.closed_at, shown_at=r.closed_at) for r in rounds]
    )
    items = []
    for i, _school in enumerate(schools):
        grown, lowered, _same = expected_growth(i, len(codes))
        for r in rounds[i * years : (i + 1) * years]:
            y = int(r.title.split()[-1]) - first_year
            for j, code in enumerate(codes):
                if y == 0:
                    phase, phase_to = 2, None
                elif y == years - 1:
                    phase, phase_to = (3 if j < grown else 1 if j >= len(codes) - lowered else 2), None
                elif j == 0:
                    continue  # not agreed in the middle rounds
                else:
                    phase, phase_to = 3, 4
                items.append(ConsensusItem(round=r, accent_code=code, phase=phase, phase_to=phase_to))
    ConsensusItem.objects.bulk_create(items)
    return board, viewer, schools


def _board_page(client, viewer, board):
    client.force_login(viewer, backend="accounts.backends.EmailBackend")
    url = reverse("organisations:board", args=[board.pk])
    client.get(url)  # warm-up (session, caches)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200
    return page.content.decode(), len(queries.captured_queries)


def test_board_page_with_growth_of_50_schools_over_5_years_takes_as_many_queries_as_one_school(db, client):
    codes = ModelVersion.current().model.accent_codes
    small, small_viewer, _ = build_growth_board(1)
    big, big_viewer, schools = build_growth_board(50)
    items = ConsensusItem.objects.filter(round__school__board=big)
    assert items.count() == 50 * (2 * len(codes) + 3 * (len(codes) - 1))

    _, one_school = _board_page(client, small_viewer, small)
    html, fifty_schools = _board_page(client, big_viewer, big)
    assert fifty_schools == one_school, (one_school, fifty_schools)

    # And the page shows what was built: every school's five rounds, newest first, and its own growth.
    body = html[html.index("<tbody") : html.index("</tbody>")]
    rows = body.split('<tr><th scope="row">')[1:]
    assert len(rows) == 50
    for i, (school, row) in enumerate(zip(schools, rows, strict=True)):
        assert row.startswith(school.name)
        titles = re.findall(r'href="[^"]*/rondes/\d+/resultaat/"[^>]*>([^<]+)</a>', row)
        year = timezone.localdate().year
        assert titles == [f"Ronde {year - k}" for k in range(1, 6)], school.name
        grown, lowered, same = expected_growth(i, len(codes))
        words = [f"{grown} accent gegroeid" if grown == 1 else f"{grown} accenten gegroeid"]
        if lowered:
            words.append(f"{lowered} lager")
        words.append(f"{same} gelijk")
        assert ", ".join(words) in row, (school.name, row)
