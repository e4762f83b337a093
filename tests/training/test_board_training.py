"""A board's training for new staff across schools (issue 14, part 4; handbook 4.3.4).

Attendance there counts at each participant's own school ("nog te trainen" goes down there only); the picker lists
who still needs the training per school; names stay within what each person may see; every form refuses bad input
in Dutch with nothing stored; the board training page takes the same number of queries for 1 and 5 schools.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from core.errors import ServiceError
from organisations.models import Membership, Role
from tests.factories import make_member, make_school, make_user
from tests.training.board_fixtures import board_training_rows, make_beheerder
from tests.training_fixtures import make_training
from training import board_services
from training import services as plan_services
from training.models import BoardAttendance, BoardTraining, BoardTrainingParticipant, BoardTrainingSession
from training.overview import build_overview

LONG = "x" * 10_000


@pytest.fixture
def plan(cast):
    """De Regenboog's team training plan 2026 (tests/training_fixtures.py)."""
    return make_training(cast)


def aware(d: datetime.date):
    return timezone.make_aware(datetime.datetime.combine(d, datetime.time(9, 0)))


def still(plan, today):
    return {row.user for row in build_overview(plan, today=today).still_to_train}


# "Nog te trainen" at the participant's own school ---------------------------------------------------------------


def test_attendance_at_the_board_training_counts_at_each_participants_own_school(cast, plan, board_training):
    b = board_training
    Membership.objects.filter(pk__in=[b.nina_membership.pk, b.henk_membership.pk]).update(
        joined_at=aware(datetime.date(2026, 10, 1))  # after module 1 of the team training (8 September 2026)
    )
    hans = Membership.objects.get(school=cast.sister_school, user__name="Hans Horizon").user
    horizon_plan = plan_services.do_create_plan(school=cast.sister_school, school_year=2026, acting_user=hans)
    module34 = board_services.do_create_board_session(
        training=b.training,
        kind="module34",
        title="Module 3 en 4",
        date=datetime.date(2027, 1, 26),
        start_time=None,
        end_time=None,
        location="",
        group=None,
        acting_user=cast.board_member,
    )
    after = datetime.date(2027, 2, 10)  # module 1, 2 and 3+4 held at both schools and at the board
    assert b.nina in still(plan.plan, after) and b.henk in still(horizon_plan, after)
    before_regenboog, before_horizon = len(still(plan.plan, after)), len(still(horizon_plan, after))

    ids = dict(b.training.participants.values_list("membership_id", "pk"))
    nina, henk = ids[b.nina_membership.pk], ids[b.henk_membership.pk]
    by = cast.board_member
    board_services.do_save_board_attendance(
        session=b.module1, marks={nina: "aanwezig", henk: "aanwezig"}, acting_user=by
    )
    # One module of three: both still need the training, Nina at De Regenboog, Henk at De Horizon.
    rows = {r.user: r for r in build_overview(plan.plan, today=after).people}
    assert rows[b.nina].missing_modules == ["2", "3", "4"] and rows[b.nina].board_units == {"1"}
    assert b.nina in still(plan.plan, after) and b.henk in still(horizon_plan, after)

    for session in (b.module2, module34):
        board_services.do_save_board_attendance(session=session, marks={nina: "aanwezig"}, acting_user=by)
    board_services.do_save_board_attendance(session=b.module2, marks={henk: "afwezig"}, acting_user=by)
    board_services.do_save_board_attendance(session=module34, marks={henk: "aanwezig"}, acting_user=by)

    # Nina followed every module at the board: no longer "nog te trainen" at De Regenboog, one fewer there.
    assert b.nina not in still(plan.plan, after)
    assert len(still(plan.plan, after)) == before_regenboog - 1
    # Henk missed module 2 (afwezig does not count): still to train at De Horizon, missing module 2 only.
    horizon_rows = {r.user: r for r in build_overview(horizon_plan, today=after).people}
    assert horizon_rows[b.henk].missing_modules == ["2"]
    assert len(still(horizon_plan, after)) == before_horizon
    # Each school only ever counts its own people.
    assert b.henk not in {r.user for r in build_overview(plan.plan, today=after).people}
    assert b.nina not in {r.user for r in build_overview(horizon_plan, today=after).people}
    # A session that has not happened yet by "today" does not count.
    assert b.nina in still(plan.plan, datetime.date(2027, 1, 20))


def test_a_board_training_of_an_earlier_school_year_does_not_count_for_a_later_plan(cast, board_training):
    b = board_training
    participant = b.training.participants.get(membership=b.nina_membership)
    board_services.do_save_board_attendance(
        session=b.module1, marks={participant.pk: "aanwezig"}, acting_user=cast.board_member
    )
    later = plan_services.do_create_plan(school=cast.school, school_year=2027, acting_user=cast.kartrekker)
    rows = {r.user: r for r in build_overview(later, today=datetime.date(2028, 7, 1)).people}
    assert rows[b.nina].board_units == set()


def test_the_missed_page_shows_who_is_trained_via_the_board(cast, plan, board_training, login):
    b = board_training
    Membership.objects.filter(pk=b.nina_membership.pk).update(joined_at=aware(datetime.date(2026, 10, 1)))
    participant = b.training.participants.get(membership=b.nina_membership)
    board_services.do_save_board_attendance(
        session=b.module1, marks={participant.pk: "aanwezig"}, acting_user=cast.board_member
    )
    url = reverse("training:missed", args=[cast.school.pk, plan.plan.pk])
    to_train = login(cast.kartrekker).get(url).content.decode().split('id="h-totrain"')[1]
    assert "Nina Nieuw" in to_train and "Via het bestuur gevolgd: Module 1" in to_train


# Who the beheerder may pick ---------------------------------------------------------------------------------------


def test_the_picker_lists_new_staff_per_school(cast, plan, board_training):
    rows = {
        school: (found, people)
        for school, found, people in board_services.candidates_by_school(board_training.training)
    }
    found, people = rows[cast.school]
    assert found == plan.plan
    users = {m.user for m in people}
    assert board_training.nina in users and cast.trainer not in users  # the external trainer is not staff
    found, people = rows[cast.sister_school]
    assert found is None  # no plan yet: the whole team, still without the external trainer
    assert {m.user.name for m in people} == {"Hans Horizon", "Henk Nieuw"}


def test_group_page_lists_schools_of_the_training_only(cast, board_training, login):
    make_beheerder(cast)
    url = reverse("training:board_group_new", args=[cast.board.pk, board_training.training.pk])
    body = login(cast.board_member).get(url).content.decode()
    assert "De Regenboog" in body and "De Horizon" in body
    assert "De Vreemde" not in body and "Olga Outsider" not in body
    # Nina and Henk are in Groep 1 already: not offered for a second group.
    assert "Nina Nieuw" not in body and "Henk Nieuw" not in body


def test_someone_in_two_schools_takes_part_once(cast, board_training):
    b = board_training
    second = make_member(cast.sister_school, b.nina, Role.TEAMLID)
    with pytest.raises(ServiceError, match="doet al mee voor een andere school"):
        board_services.do_save_board_group(
            training=b.training, name="Groep 2", memberships=[second], acting_user=cast.board_member
        )
    with pytest.raises(ServiceError, match="maar één keer"):
        board_services.do_save_board_group(
            training=b.training,
            group=b.group,
            name="Groep 1",
            memberships=[b.nina_membership, second],
            acting_user=cast.board_member,
        )


def test_who_has_attendance_stays_in_the_group(cast, board_training):
    b = board_training
    participant = b.training.participants.get(membership=b.nina_membership)
    board_services.do_save_board_attendance(
        session=b.module1, marks={participant.pk: "aanwezig"}, acting_user=cast.board_member
    )
    before = board_training_rows()
    with pytest.raises(ServiceError, match="blijft in de groep"):
        board_services.do_save_board_group(
            training=b.training,
            group=b.group,
            name="Groep 1",
            memberships=[b.henk_membership],
            acting_user=cast.board_member,
        )
    assert board_training_rows() == before


# Bad input on every form: Dutch, nothing stored, never a 500 ------------------------------------------------------


def _post_refused(client, url, data, message):
    before = (board_training_rows(), AuditEvent.objects.count())
    response = client.post(url, data)
    assert response.status_code == 400, (url, data, response.status_code)
    assert message in response.content.decode(), (message, data)
    assert (board_training_rows(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"schools": "SCHOOL_OF_OTHER_BOARD"}, "Kies alleen scholen van dit bestuur."),
        ({"schools": []}, "Kies minstens één school."),
        ({"schools": ["99999999999999999999999"]}, "Kies alleen scholen van dit bestuur."),
        ({"title": LONG}, "Gebruik maximaal 200 tekens"),
        ({"title": ""}, "Vul dit in."),
        ({"school_year": "99999"}, "Kies een schooljaar tot en met 2099."),
        ({"school_year": "twintig"}, "Vul een jaartal in"),
    ],
)
def test_new_training_bad_input(cast, board_training, login, change, message):
    make_beheerder(cast)
    data = {"title": "Instroom", "school_year": "2027", "schools": [cast.school.pk]} | change
    if data["schools"] == "SCHOOL_OF_OTHER_BOARD":
        data["schools"] = [cast.school.pk, cast.other_school.pk]
    _post_refused(login(cast.board_member), reverse("training:board_training_new", args=[cast.board.pk]), data, message)


def test_edit_training_bad_input(cast, board_training, login):
    make_beheerder(cast)
    b = board_training
    client = login(cast.board_member)
    url = reverse("training:board_training_edit", args=[cast.board.pk, b.training.pk])
    base = {"title": "Andere titel", "schools": [cast.school.pk, cast.sister_school.pk], "version": b.training.version}
    _post_refused(client, url, base | {"schools": [cast.school.pk, cast.other_school.pk]}, "Kies alleen scholen")
    _post_refused(client, url, base | {"title": LONG}, "Gebruik maximaal 200 tekens")
    # De Horizon still has Henk in the training: it cannot be left out.
    _post_refused(client, url, base | {"schools": [cast.school.pk]}, "De Horizon heeft nog deelnemers")


def test_group_bad_input(cast, board_training, login):
    make_beheerder(cast)
    b = board_training
    client = login(cast.board_member)
    url = reverse("training:board_group_edit", args=[cast.board.pk, b.group.pk])
    base = {"name": "Groep 1", "members": [b.nina_membership.pk, b.henk_membership.pk]}
    message = "Kies alleen nieuwe medewerkers van de scholen van deze training."
    _post_refused(client, url, base | {"members": [b.nina_membership.pk, b.other_membership.pk]}, message)
    external = Membership.objects.get(school=cast.school, user=cast.trainer)
    _post_refused(client, url, base | {"members": [external.pk]}, message)
    _post_refused(client, url, base | {"members": ["99999999999999999999999"]}, message)
    _post_refused(client, url, base | {"members": ["abc"]}, message)
    _post_refused(client, url, base | {"name": LONG}, "Gebruik maximaal 200 tekens")
    new_url = reverse("training:board_group_new", args=[cast.board.pk, b.training.pk])
    _post_refused(client, new_url, {"name": "", "members": []}, "Vul dit in.")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"date": "9999-01-01"}, "Kies een datum tussen 2000 en 2100."),
        ({"date": "31-02-2027"}, "Vul een geldige datum in"),
        ({"date": "2030-03-16"}, "Kies een datum in schooljaar 2026-2027"),
        ({"date": ""}, "Vul een datum in."),
        ({"end_time": "12:00"}, "De eindtijd moet na de begintijd liggen."),
        ({"start_time": "25:99"}, "Vul een geldige tijd in"),
        ({"location": LONG}, "Gebruik maximaal 200 tekens"),
        ({"title": LONG}, "Gebruik maximaal 200 tekens"),
        ({"kind": "module9"}, "Kies een soort sessie uit de lijst."),
        ({"group": "OTHER_GROUP"}, "Kies een groep van deze training."),
        ({"group": "99999999999999999999999"}, "Kies een groep van deze training."),
        ({"trainers": "TEAMLID"}, "Kies als trainer iemand met de rol trainer op een school van deze training."),
    ],
)
def test_session_bad_input(cast, board_training, login, change, message):
    make_beheerder(cast)
    b = board_training
    data = {
        "kind": "module3",
        "title": "Module 3",
        "date": "2027-03-16",
        "start_time": "13:30",
        "end_time": "16:30",
        "location": "Bestuursbureau",
        "group": "",
        "trainers": [cast.trainer.pk],
    } | change
    data["group"] = b.other_group.pk if data["group"] == "OTHER_GROUP" else data["group"]
    data["trainers"] = [cast.teamlid.pk] if data["trainers"] == "TEAMLID" else data["trainers"]
    client = login(cast.board_member)
    _post_refused(client, reverse("training:board_session_new", args=[cast.board.pk, b.training.pk]), data, message)
    if "kind" not in change:
        url = reverse("training:board_session_edit", args=[cast.board.pk, b.module2.pk])
        _post_refused(client, url, data | {"version": b.module2.version}, message)


def test_attendance_bad_input(cast, board_training, login):
    b = board_training
    participant = b.training.participants.get(membership=b.nina_membership)
    client = login(cast.trainer)
    url = reverse("training:board_attendance", args=[cast.board.pk, b.module1.pk])
    _post_refused(client, url, {f"p{participant.pk}": "misschien"}, "Kies aanwezig, afwezig of afgemeld.")
    _post_refused(client, url, {f"p{participant.pk}": LONG}, "Kies aanwezig, afwezig of afgemeld.")
    # Someone of another board's training is not on this list: nothing is stored for them.
    other = b.other_training.participants.get()
    before = board_training_rows()
    assert client.post(url, {f"p{other.pk}": "aanwezig"}).status_code == 302
    assert board_training_rows() == before
    with pytest.raises(ServiceError, match="horen niet bij deze sessie"):
        board_services.do_save_board_attendance(
            session=b.module1, marks={other.pk: "aanwezig"}, acting_user=cast.trainer
        )


def test_the_trainer_and_the_beheerder_register_attendance(cast, board_training, login):
    b = board_training
    ids = dict(b.training.participants.values_list("membership_id", "pk"))
    url = reverse("training:board_attendance", args=[cast.board.pk, b.module1.pk])
    page = login(cast.trainer).get(url).content.decode()
    assert "Nina Nieuw" in page and "Henk Nieuw" in page and "De Horizon" in page
    response = login(cast.trainer).post(url, {f"p{ids[b.nina_membership.pk]}": "aanwezig"})
    assert response.status_code == 302
    make_beheerder(cast)
    login(cast.board_member).post(url, {f"p{ids[b.henk_membership.pk]}": "afgemeld"})
    marks = dict(BoardAttendance.objects.filter(session=b.module1).values_list("participant_id", "status"))
    assert marks == {ids[b.nina_membership.pk]: "aanwezig", ids[b.henk_membership.pk]: "afgemeld"}
    events = AuditEvent.objects.filter(action="training.board.attendance_save").order_by("pk")
    assert [e.actor for e in events] == [cast.trainer, cast.board_member]
    assert all(e.board_id == cast.board.pk and e.school_id is None for e in events)
    assert "Nina" not in str([e.data for e in events])


def test_every_write_is_audited_on_the_board_log_without_names(cast, board_training):
    events = AuditEvent.objects.filter(action__startswith="training.board.")
    actions = set(events.values_list("action", flat=True))
    assert {"training.board.create", "training.board.group_update", "training.board.session_create"} <= actions
    assert set(events.values_list("board_id", flat=True)) == {cast.board.pk, cast.other_school.board_id}
    text = str(list(events.values_list("data", flat=True)))
    assert "Nina" not in text and "Henk" not in text and "@" not in text


# Who sees whose names ------------------------------------------------------------------------------------------------


def test_each_school_sees_only_its_own_people_via_the_board(cast, board_training, login):
    url = reverse("training:overview", args=[cast.school.pk])
    body = login(cast.kartrekker).get(url).content.decode()
    assert "Via het bestuur" in body and "Nina Nieuw" in body and "Module 1" in body
    assert "Henk Nieuw" not in body
    hans = Membership.objects.get(school=cast.sister_school, user__name="Hans Horizon").user
    body = login(hans).get(reverse("training:overview", args=[cast.sister_school.pk])).content.decode()
    assert "Henk Nieuw" in body and "Nina Nieuw" not in body
    # A teamlid who does not take part sees nothing of it; Nina sees her own sessions.
    assert "Via het bestuur" not in login(cast.teamlid).get(url).content.decode()
    body = login(board_training.nina).get(url).content.decode()
    assert "Via het bestuur" in body and "Module 2" in body
    # The session's trainer gets the link to the register.
    body = login(cast.trainer).get(url).content.decode()
    assert reverse("training:board_attendance", args=[cast.board.pk, board_training.module1.pk]) in body


def test_the_read_only_board_member_sees_no_names(cast, board_training, login):
    client = login(cast.board_member)
    for url in (
        reverse("training:board_trainings", args=[cast.board.pk]),
        reverse("training:board_training", args=[cast.board.pk, board_training.training.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "Nina Nieuw" not in response.content.decode()


def test_the_beheerder_sees_new_staff_by_school(cast, board_training, login):
    make_beheerder(cast)
    url = reverse("training:board_training", args=[cast.board.pk, board_training.training.pk])
    body = login(cast.board_member).get(url).content.decode()
    horizon, regenboog = body.index(">De Horizon<"), body.index(">De Regenboog<")
    assert horizon < body.index("Henk Nieuw", horizon) < regenboog < body.index("Nina Nieuw", regenboog)
    assert "Olga Outsider" not in body and "Vreemde" not in body


def test_the_whole_flow_in_pages(cast, login):
    """Plan, pick, schedule, register: the beheerder from the empty list to a present mark."""
    make_beheerder(cast)
    nieuw = make_user("Nora Nieuw")
    make_member(cast.sister_school, nieuw, Role.TEAMLID)
    client = login(cast.board_member)
    response = client.post(
        reverse("training:board_training_new", args=[cast.board.pk]),
        {"title": "Instroom 2026", "school_year": "2026", "schools": [cast.school.pk, cast.sister_school.pk]},
    )
    training = BoardTraining.objects.get(title="Instroom 2026")
    assert response["Location"] == reverse("training:board_training", args=[cast.board.pk, training.pk])
    group = training.groups.get()
    membership = Membership.objects.get(user=nieuw)
    url = reverse("training:board_group_edit", args=[cast.board.pk, group.pk])
    assert "Nora Nieuw" in client.get(url).content.decode()
    assert client.post(url, {"name": "Middaggroep", "members": [membership.pk]}).status_code == 302
    response = client.post(
        reverse("training:board_session_new", args=[cast.board.pk, training.pk]),
        {"kind": "module1", "title": "Module 1", "date": "2026-10-06", "start_time": "13:30", "end_time": "16:30"},
    )
    assert response.status_code == 302
    session = BoardTrainingSession.objects.get(training=training)
    participant = BoardTrainingParticipant.objects.get(training=training)
    url = reverse("training:board_attendance", args=[cast.board.pk, session.pk])
    assert client.post(url, {f"p{participant.pk}": "aanwezig"}).status_code == 302
    page = client.get(reverse("training:board_training", args=[cast.board.pk, training.pk])).content.decode()
    assert "1 aanwezig, 1 van 1 ingevuld" in page
    response = client.post(reverse("training:board_session_delete", args=[cast.board.pk, session.pk]))
    assert response.status_code == 302 and not BoardAttendance.objects.exists()


# The board training page: the same queries for 1 and 5 schools -----------------------------------------------------


def _training_with(cast, n_schools: int):
    schools = [cast.school] + [make_school(cast.board, f"School {i}") for i in range(n_schools - 1)]
    by = cast.board_member
    training = board_services.do_create_board_training(
        board=cast.board, title=f"Met {n_schools}", school_year=2026, schools=schools, acting_user=by
    )
    memberships = []
    for i, school in enumerate(schools):
        for j in range(2):
            memberships.append(make_member(school, make_user(f"Nieuw {n_schools}-{i}-{j}"), Role.TEAMLID))
        trainer = make_user(f"Trainer {n_schools}-{i}")
        make_member(school, trainer, Role.TRAINER_EXTERN)
        group = board_services.do_save_board_group(
            training=training, name=f"Groep {i}", memberships=memberships[-2:], acting_user=by
        )
        session = board_services.do_create_board_session(
            training=training,
            kind="module1",
            title=f"Module 1 {i}",
            date=datetime.date(2026, 10, 6 + i),
            start_time=None,
            end_time=None,
            location="",
            group=group,
            trainers=[trainer],
            acting_user=by,
        )
        marks = {p.pk: "aanwezig" for p in group.participants.all()}
        board_services.do_save_board_attendance(session=session, marks=marks, acting_user=by)
    return training


def test_board_training_page_queries_do_not_grow_with_schools(cast, login):
    make_beheerder(cast)
    client = login(cast.board_member)
    counts = []
    for n in (1, 5):
        training = _training_with(cast, n)
        url = reverse("training:board_training", args=[cast.board.pk, training.pk])
        client.get(url)  # warm up (session, content)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count("aanwezig, 2 van 2 ingevuld") == n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
