"""Two MT members (or two tabs) saving at the same moment on the leadership checklist: one wins, the other
is told; nothing is lost and nothing crashes. PostgreSQL only (real row locks across connections)."""

import pytest
from django.db import connection

from leadership import services
from leadership.models import Answer, ChecklistRound, ConversationNote
from organisations.models import Role
from tests.factories import make_board, make_member, make_school, make_user
from tests.test_concurrency import ROUNDS, race

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row-lock test needs PostgreSQL")


def mt():
    school = make_school(make_board())
    sara, mila = make_user("Sara"), make_user("Mila")
    make_member(school, sara, Role.SCHOOLLEIDING)
    make_member(school, mila, Role.SCHOOLLEIDING)
    return school, sara, mila


@pytest.mark.django_db(transaction=True)
def test_two_mt_members_typing_the_same_question_never_overwrite_each_other():
    school, sara, mila = mt()
    round_ = services.do_start_round(school=school, title="Ronde", acting_user=sara)
    for k in range(ROUNDS):
        note = ConversationNote.objects.filter(round=round_, question_code="2b").first()
        version = note.version if note else 0

        def save(user, text, version=version):
            return lambda: services.do_save_note(
                round_=round_, question_code="2b", text=text, expected_version=version, acting_user=user
            )

        outcomes = race({f"sara {k}": save(sara, f"Sara {k}"), f"mila {k}": save(mila, f"Mila {k}")})
        assert sorted(outcomes.values()) == ["conflict", "saved"], outcomes
        winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
        stored = ConversationNote.objects.get(round=round_, question_code="2b")
        assert stored.text == winner.capitalize()
        assert stored.version == version + 1


@pytest.mark.django_db(transaction=True)
def test_two_tabs_saving_the_same_answer_both_succeed():
    school, sara, _mila = mt()
    round_ = services.do_start_round(school=school, title="Ronde", acting_user=sara)
    for k in range(ROUNDS):
        Answer.objects.filter(round=round_).delete()
        outcomes = race(
            {
                f"tab 1 {k}": lambda: services.do_save_answers(round_=round_, answers={"hb1": 2}, acting_user=sara),
                f"tab 2 {k}": lambda: services.do_save_answers(round_=round_, answers={"hb1": 5}, acting_user=sara),
            }
        )
        assert sorted(outcomes.values()) == ["saved", "saved"], outcomes
        assert Answer.objects.filter(round=round_, user=sara, item_key="hb1").count() == 1


@pytest.mark.django_db(transaction=True)
def test_starting_the_same_round_twice_at_once_gives_one_round_and_a_dutch_error():
    school, sara, mila = mt()
    for k in range(ROUNDS):
        title = f"Schooljaar {2030 + k}"

        def start(user, title=title):
            return lambda: services.do_start_round(school=school, title=title, acting_user=user)

        outcomes = race({"sara": start(sara), "mila": start(mila)})
        assert sorted(outcomes.values())[1] == "saved", outcomes
        assert "Er is al een ronde met deze naam" in sorted(outcomes.values())[0], outcomes
        assert ChecklistRound.objects.filter(school=school, title=title).count() == 1
