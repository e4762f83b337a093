"""`manage.py demo` (issue 14, part 5, bullet 9): it prints the address the server really runs on, and --reset starts
over, deleting only the demo's own boards, schools and people."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from assessments.models import Round
from organisations.models import Board, School
from tests.factories import make_board, make_member, make_school, make_user


def demo(*args) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_the_demo_prints_the_port_it_is_given(db):
    assert "Open http://127.0.0.1:8000/ en log in als:" in demo()
    out = demo("--port", "8101")
    assert "Demodata bestaan al." in out and "Open http://127.0.0.1:8101/ en log in als:" in out
    assert "8000" not in out


def test_reset_starts_over_and_leaves_everything_else_alone(db, settings):
    settings.DEBUG = True
    demo()
    real_board = make_board("Stichting Echt")
    real_school = make_school(real_board, "OBS Echt")
    real_user = make_user("Echte Juf", "juf@echt.nl")
    make_member(real_school, real_user)
    demo_schools = set(School.objects.filter(board__name__endswith="(demo)").values_list("name", flat=True))
    first_ids = set(School.objects.filter(name__in=demo_schools).values_list("pk", flat=True))
    rounds_before = Round.objects.filter(school__name="OBS De Regenboog").count()

    out = demo("--reset")
    assert "Demodata verwijderd:" in out and "Demodata aangemaakt." in out
    assert Board.objects.filter(pk=real_board.pk).exists() and School.objects.filter(pk=real_school.pk).exists()
    assert User.objects.filter(pk=real_user.pk).exists()
    # Created again: the same schools and rounds, new rows.
    assert set(School.objects.filter(board__name__endswith="(demo)").values_list("name", flat=True)) == demo_schools
    assert not first_ids & set(School.objects.filter(name__in=demo_schools).values_list("pk", flat=True))
    assert Round.objects.filter(school__name="OBS De Regenboog").count() == rounds_before
    assert Board.objects.filter(name="Stichting De Brug (demo)").count() == 1


def test_reset_deletes_nothing_when_a_demo_person_is_also_in_a_real_school(db, settings):
    settings.DEBUG = True
    demo()
    real_school = make_school(make_board("Stichting Echt"), "OBS Echt")
    make_member(real_school, User.objects.get(email="kartrekker@demo.groeiwijzer.nl"))
    schools, users = School.objects.count(), User.objects.count()
    with pytest.raises(CommandError, match="kartrekker@demo.groeiwijzer.nl"):
        demo("--reset")
    assert (School.objects.count(), User.objects.count()) == (schools, users)


def test_reset_is_refused_outside_development(db, settings):
    settings.DEBUG = False
    demo()
    schools = School.objects.count()
    with pytest.raises(CommandError, match="alleen in een ontwikkelomgeving"):
        demo("--reset")
    assert School.objects.count() == schools
