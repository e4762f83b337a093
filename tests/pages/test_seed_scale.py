"""`manage.py seed_scale` (issue 15, part 3): a tiny country, and the key pages of a seeded school open for the people
it prints (SQLite and PostgreSQL: COPY there, executemany here)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from assessments.models import Answer, ConsensusItem, Participant, Round, RoundStatus
from organisations.models import Board, Membership, School
from pages.seed_scale import PASSWORD
from trajectory.models import Trajectory


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_scale", "--no-vacuum", *args, stdout=out)
    return out.getvalue()


def printed(output: str, label: str) -> User:
    line = next(line for line in output.splitlines() if line.strip().startswith(label))
    return User.objects.get(email=re.search(r"\S+@\S+", line).group())


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend="accounts.backends.EmailBackend")
    return client


def test_a_tiny_country_and_its_pages(db):
    output = seed("--schools", "3", "--years", "2", "--seed", "7")
    assert School.objects.count() == 3 and Trajectory.objects.count() == 3
    assert Round.objects.filter(status=RoundStatus.CLOSED).count() == 3  # last school year's, per school
    assert Round.objects.filter(status=RoundStatus.OPEN).count() == 3  # this school year's
    assert ConsensusItem.objects.count() == 3 * 15 and Answer.objects.exists()

    kartrekker = printed(output, "kartrekker")
    participant = printed(output, "deelnemer van een open ronde")
    board_member = printed(output, "bestuurder van het grootste bestuur")
    assert kartrekker.check_password(PASSWORD)
    school = Membership.objects.get(user=kartrekker).school
    assert Membership.objects.get(user=kartrekker, school=school).is_kartrekker
    open_round = Round.objects.get(school=school, status=RoundStatus.OPEN)
    closed_round = Round.objects.get(school=school, status=RoundStatus.CLOSED)
    mine = Participant.objects.get(round=open_round, user=participant)
    assert mine.submitted_at is None and not mine.answers.exists()
    board = Board.objects.get(members=board_member)
    assert school.board == board

    s = school.pk
    pages = [
        (kartrekker, reverse("organisations:school", args=[s])),
        (participant, reverse("assessments:fill_step", args=[s, open_round.pk, "1"])),
        (kartrekker, reverse("assessments:consensus", args=[s, closed_round.pk])),
        (kartrekker, reverse("assessments:result", args=[s, closed_round.pk])),
        (kartrekker, reverse("actionplans:plan", args=[s])),
        (kartrekker, reverse("trajectory:overview", args=[s])),
        (kartrekker, reverse("assessments:growth", args=[s])),
        (board_member, reverse("organisations:board", args=[board.pk])),
    ]
    for user, url in pages:
        assert client_for(user).get(url).status_code == 200, url


def test_it_refuses_a_database_with_data_unless_forced(db):
    seed("--schools", "1", "--years", "1")
    schools, users = School.objects.count(), User.objects.count()
    with pytest.raises(CommandError, match="al scholen of personen"):
        seed("--schools", "1", "--years", "1")
    assert (School.objects.count(), User.objects.count()) == (schools, users)
    seed("--schools", "1", "--years", "1", "--force")  # added beside it: new ids, new addresses
    assert School.objects.count() == schools + 1


def test_the_same_seed_gives_the_same_country(db):
    seed("--schools", "2", "--years", "2", "--seed", "3", "--today", "2026-12-07")
    first = list(School.objects.order_by("pk").values_list("name", "staff_count", "education_type"))
    answers = list(Answer.objects.order_by("pk").values_list("accent_code", "phase", "strengths")[:200])
    Answer.objects.all().delete()
    seed("--schools", "2", "--years", "2", "--seed", "3", "--today", "2026-12-07", "--force")
    again = list(School.objects.order_by("pk").values_list("name", "staff_count", "education_type"))[2:]
    assert again == first
    assert list(Answer.objects.order_by("pk").values_list("accent_code", "phase", "strengths")[:200]) == answers
