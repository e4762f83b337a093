"""The team training app: content (verbatim from the handbook), default planning, services, pages,
session_events, and constant query counts for a school of 120 staff."""

from __future__ import annotations

import datetime
import json
import os
import re
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from core.errors import ConflictError, ServiceError
from organisations.models import Membership, Role
from tests.factories import make_board, make_member, make_school, make_user
from tests.training_fixtures import make_training
from training import services
from training.calendar import session_events
from training.content import CONTENT_FILE, ContentError, load_content, parse
from training.models import Attendance, Topic, TrainingGroup, TrainingPlan, TrainingSession
from training.overview import build_overview


@pytest.fixture
def training(cast):
    return make_training(cast)


HANDBOOK = Path(os.environ.get("TSO_HANDBOOK_TEXT", "/work/shared/seeds/002_737681bd825e55d2.txt"))


# Content ---------------------------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Whitespace collapsed, PDF line-break hyphens joined ("Introductie- presentatie"), "thema ’s" joined."""
    text = " ".join(text.split())
    text = re.sub(r"(\w)- (\w)", r"\1\2", text)
    return text.replace(" ’", "’")


@pytest.fixture(scope="module")
def handbook() -> str:
    if not HANDBOOK.exists():
        pytest.skip(f"handbook text not available at {HANDBOOK} (set TSO_HANDBOOK_TEXT)")
    return normalise(HANDBOOK.read_text(encoding="utf-8"))


def verbatim_texts(raw: dict) -> list[str]:
    wm = raw["werkmoment"]
    texts = [
        raw["table"]["title"],
        " ".join(raw["table"]["months"]),
        raw["werkbijeenkomst_heading"],
        raw["werkbijeenkomst_intro"],
        *raw["werkbijeenkomst_items"],
        *[v for k, v in raw["planning"].items() if k != "section"],
        raw["planning"]["section"],
        raw["groups"]["text"],
        raw["groups"]["missed_text"],
        raw["new_staff"]["text"],
        raw["new_staff"]["section"],
        *[s["table_text"] for s in raw["sessions"]],
        *[s["label"] for s in raw["sessions"]],
        *[i["text"] for i in raw["time_guidelines"]["items"]],
        *[i["when"] for i in raw["time_guidelines"]["items"]],
        wm["section"],
        wm["preparation_heading"],
        wm["send_text"],
        *wm["reflection_questions"],
        wm["topics_text"],
        *[t["text"] for t in wm["topic_examples"]],
        *[i for t in wm["topic_examples"] for i in t["items"]],
        wm["participants_heading"],
        wm["participants_text"],
        wm["management_heading"],
        wm["management_text"],
        wm["further_heading"],
        wm["further_text"],
        wm["structure_heading"],
        *[f"{p['text']} {p['duration_text']}" for p in wm["structure"]],
    ]
    return texts


def test_every_handbook_text_is_verbatim(handbook):
    raw = json.loads(CONTENT_FILE.read_text(encoding="utf-8"))
    missing = [t for t in verbatim_texts(raw) if normalise(t) not in handbook]
    assert not missing, f"not found in the handbook text: {missing}"


def test_group_size_guideline_is_cited_from_bijlage_1(handbook):
    content = load_content()
    assert content.max_group_size == 20 and content.trainers_per_group == 2
    assert "richtlijn max. 20 per groep, met 2 trainers" in content["groups"]["text"]
    assert "Bijlage 1" in content["groups"]["section"]


def test_durations_follow_the_handbook_text():
    content = load_content()
    by_code = {k.code: k for k in content.all_kinds}
    assert "(3.15 uur)" in by_code["module1"].table_text and by_code["module1"].duration_minutes == 3 * 60 + 15
    assert "(1.5 uur)" in by_code["werkmoment1"].table_text and by_code["werkmoment1"].duration_minutes == 90
    assert "(1 uur)" in by_code["intro"].table_text and by_code["intro"].duration_minutes == 60
    assert by_code["module34"].duration_minutes == 2 * by_code["module1"].duration_minutes
    assert [p.minutes for p in content.structure] == [30, 45, 15]
    assert [p.duration_text for p in content.structure] == ["(30 min)", "(45 min)", "(15 min)"]
    assert content.werkmoment_minutes == by_code["werkmoment1"].duration_minutes


def test_citation_and_version():
    content = load_content()
    assert content.version == "2023.1"
    for part in ("Offerman", "Asselman", "versie 2", "november 2023", "consortium TSO", "Tabel 4.1", "Bijlage 12"):
        assert part in content.citation
    assert "Sept module 1" in content["table"]["reading_note"]


def test_parse_rejects_broken_content():
    raw = json.loads(CONTENT_FILE.read_text(encoding="utf-8"))
    broken = json.loads(json.dumps(raw))
    broken["sessions"][1]["code"] = broken["sessions"][0]["code"]
    with pytest.raises(ContentError):
        parse(broken)
    broken = json.loads(json.dumps(raw))
    broken["werkmoment"]["structure"][0]["minutes"] = 40
    with pytest.raises(ContentError):
        parse(broken)
    broken = json.loads(json.dumps(raw))
    del broken["werkmoment"]
    with pytest.raises(ContentError):
        parse(broken)


# Default planning (Tabel 4.1) -------------------------------------------------------------------------------


def test_default_sessions_fall_in_the_months_of_tabel_4_1():
    rows = services.default_sessions(2026)
    months = [(r["kind"], r["date"].year, r["date"].month) for r in rows]
    assert months == [
        ("intro", 2026, 8),
        ("module1", 2026, 9),
        ("werkmoment1", 2026, 10),
        ("module2", 2026, 11),
        ("werkmoment2", 2026, 12),
        ("module34", 2027, 1),
        ("werkmoment3", 2027, 2),
        ("ontwikkelmodel", 2027, 3),
        ("presentatie", 2027, 4),
    ]
    assert all(r["date"].weekday() == 1 for r in rows), "all on a Tuesday"
    by_kind = {r["kind"]: r for r in rows}
    assert by_kind["module1"]["start_time"] == datetime.time(9, 0)
    assert by_kind["module1"]["end_time"] == datetime.time(12, 15)
    assert by_kind["werkmoment1"]["end_time"] == datetime.time(16, 30)
    assert by_kind["module34"]["end_time"] == datetime.time(15, 0)
    assert by_kind["ontwikkelmodel"]["start_time"] is None


def test_modules_3_and_4_on_separate_days():
    rows = services.default_sessions(2026, combine_34=False)
    kinds = [r["kind"] for r in rows]
    assert "module34" not in kinds
    assert kinds.index("module3") < kinds.index("module4") < kinds.index("werkmoment3")
    by_kind = {r["kind"]: r for r in rows}
    assert by_kind["module4"]["date"] - by_kind["module3"]["date"] == datetime.timedelta(weeks=2)
    assert by_kind["module3"]["end_time"] == datetime.time(12, 15)


def test_date_of_module_1_moves_the_plan():
    m1 = datetime.date(2026, 10, 7)  # first Wednesday of October
    rows = {r["kind"]: r["date"] for r in services.default_sessions(2026, module1_date=m1)}
    assert rows["module1"] == m1
    assert rows["intro"] == datetime.date(2026, 9, 2)  # first Wednesday, a month before
    assert rows["werkmoment1"] == datetime.date(2026, 11, 4)
    assert rows["presentatie"] == datetime.date(2027, 5, 5)
    with pytest.raises(ServiceError, match="buiten het schooljaar"):
        services.default_sessions(2026, module1_date=datetime.date(2027, 3, 2))


# Services ----------------------------------------------------------------------------------------------------


def test_create_plan_writes_sessions_and_an_audit_row(cast):
    before = AuditEvent.objects.count()
    plan = services.do_create_plan(school=cast.school, school_year=2027, acting_user=cast.kartrekker)
    assert plan.sessions.count() == 9
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("pk")
    assert event.action == "training.plan.create" and event.data["sessions"] == 9
    with pytest.raises(ServiceError, match="al een trainingsplan"):
        services.do_create_plan(school=cast.school, school_year=2027, acting_user=cast.kartrekker)
    assert TrainingPlan.objects.filter(school=cast.school).count() == 1


def test_group_people_must_be_of_this_school(cast, training):
    with pytest.raises(ServiceError, match="alleen mensen van het team"):
        services.do_save_group(
            plan=training.plan, name="X", members=[cast.outsider], trainers=[], acting_user=cast.kartrekker
        )
    with pytest.raises(ServiceError, match="rol trainer"):
        services.do_save_group(
            plan=training.plan, name="X", members=[], trainers=[cast.teamlid], acting_user=cast.kartrekker
        )
    assert not TrainingGroup.objects.filter(name="X").exists()


def test_group_warnings_for_size_and_trainers():
    assert services.group_warnings(20, 2) == []
    warnings = services.group_warnings(21, 1)
    assert len(warnings) == 2
    assert "21 mensen" in warnings[0] and "hoogstens 20" in warnings[0]
    assert "2 trainers" in warnings[1]


def test_group_version_conflict(cast, training):
    with pytest.raises(ConflictError):
        services.do_save_group(
            plan=training.plan,
            group=training.group,
            name="Nieuw",
            members=[],
            trainers=[],
            expected_version=training.group.version + 5,
            acting_user=cast.kartrekker,
        )
    assert TrainingGroup.objects.get(pk=training.group.pk).name == "Groep A"


def test_attendance_only_for_people_on_the_roster(cast, training):
    before = sorted(Attendance.objects.values_list("user_id", "status"))
    with pytest.raises(ServiceError, match="horen niet bij deze sessie"):
        services.do_save_attendance(
            session=training.session, marks={cast.outsider.pk: "aanwezig"}, acting_user=cast.kartrekker
        )
    with pytest.raises(ServiceError, match="horen niet bij deze sessie"):
        services.do_save_attendance(
            session=training.session, marks={cast.schoolleider.pk: "aanwezig"}, acting_user=cast.kartrekker
        )
    assert sorted(Attendance.objects.values_list("user_id", "status")) == before


def test_attendance_changes_and_clears(cast, training):
    n_audit = AuditEvent.objects.count()
    n = services.do_save_attendance(
        session=training.session,
        marks={cast.teamlid.pk: "aanwezig", cast.werkgroeplid.pk: "", cast.kartrekker.pk: "aanwezig"},
        acting_user=cast.trainer,
    )
    assert n == 2  # teamlid changed, werkgroeplid cleared, kartrekker unchanged
    marks = dict(Attendance.objects.filter(session=training.session).values_list("user_id", "status"))
    assert marks == {cast.teamlid.pk: "aanwezig", cast.kartrekker.pk: "aanwezig"}
    assert AuditEvent.objects.count() == n_audit + 1
    assert services.do_save_attendance(session=training.session, marks={}, acting_user=cast.trainer) == 0
    assert AuditEvent.objects.count() == n_audit + 1


def test_whole_team_roster_leaves_out_external_trainers(cast, training):
    intro = training.plan.sessions.get(kind="intro")
    people = services.roster(intro)
    assert cast.trainer not in people
    assert {cast.schoolleider, cast.kartrekker, cast.werkgroeplid, cast.teamlid} == set(people)


def test_reflection_is_mailed_on_commit_once(cast, training, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        n = services.do_send_reflection(session=training.werkmoment, acting_user=cast.kartrekker)
    assert n == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        u.email for u in (cast.kartrekker, cast.werkgroeplid, cast.teamlid)
    )
    assert "Wat is je vooral bijgebleven van de studiedag TSO?" in mail.outbox[0].body
    session = TrainingSession.objects.get(pk=training.werkmoment.pk)
    assert session.reflection_sent_by == cast.kartrekker and session.reflection_sent_at is not None
    assert AuditEvent.objects.filter(action="training.reflection.send").count() == 1
    with pytest.raises(ServiceError, match="al verstuurd"):
        services.do_send_reflection(session=session, acting_user=cast.kartrekker)
    assert len(mail.outbox) == 3
    with django_capture_on_commit_callbacks(execute=True):
        services.do_send_reflection(session=session, acting_user=cast.schoolleider, again=True)
    assert len(mail.outbox) == 6


def test_reflection_only_for_a_werkmoment(cast, training):
    with pytest.raises(ServiceError, match="werkmoment"):
        services.do_send_reflection(session=training.session, acting_user=cast.kartrekker)
    with pytest.raises(ServiceError, match="werkmoment"):
        services.do_add_topic(session=training.session, title="Iets", acting_user=cast.kartrekker)


def test_sign_up_and_off(cast, training):
    services.do_sign_up(topic=training.topic, user=cast.teamlid, signed_up=True)
    services.do_sign_up(topic=training.topic, user=cast.teamlid, signed_up=True)  # twice: still once
    assert list(training.topic.signups.all()) == [cast.teamlid]
    assert AuditEvent.objects.filter(action="training.topic.signup").count() == 1
    services.do_sign_up(topic=training.topic, user=cast.teamlid, signed_up=False)
    assert not training.topic.signups.exists()
    with pytest.raises(ServiceError):
        services.do_sign_up(topic=training.topic, user=cast.outsider, signed_up=True)
    with pytest.raises(ServiceError, match="staat er al"):
        services.do_add_topic(session=training.werkmoment, title="time-in", acting_user=cast.kartrekker)


def test_delete_session_removes_its_attendance(cast, training):
    services.do_delete_session(session=training.session, acting_user=cast.kartrekker)
    assert not TrainingSession.objects.filter(pk=training.session.pk).exists()
    assert not Attendance.objects.filter(session_id=training.session.pk).exists()
    assert AuditEvent.objects.filter(action="training.session.delete").exists()


def group_delete_url(cast, group):
    return reverse("training:group_delete", args=[cast.school.pk, group.pk])


def test_deleting_a_group_moves_its_sessions_to_the_whole_team_and_keeps_attendance(cast, training, login):
    client = login(cast.kartrekker)
    page = client.get(group_delete_url(cast, training.group)).content.decode()
    assert "Trainingsgroep Groep A verwijderen?" in page
    assert "Deze 2 sessies zijn voor deze groep:" in page and training.session.title in page
    assert "Naar het hele team" in page
    marks_before = sorted(Attendance.objects.values_list("session_id", "user_id", "status"))

    response = client.post(group_delete_url(cast, training.group), {"move_to": "team"})
    assert response.status_code == 302
    assert response["Location"] == reverse("training:plan", args=[cast.school.pk, training.plan.pk]) + "#groepen"
    assert not TrainingGroup.objects.filter(pk=training.group.pk).exists()
    assert set(
        TrainingSession.objects.filter(pk__in=[training.session.pk, training.werkmoment.pk]).values_list(
            "group_id", flat=True
        )
    ) == {None}
    assert sorted(Attendance.objects.values_list("session_id", "user_id", "status")) == marks_before
    event = AuditEvent.objects.get(action="training.group.delete")
    assert event.data == {"name": "Groep A", "sessions_moved": 2, "sessions_to": None}
    page = client.get(response["Location"]).content.decode()
    assert "Trainingsgroep Groep A is verwijderd." in page and "2 sessies zijn nu voor het hele team." in page


def test_deleting_a_group_can_move_its_sessions_to_another_group(cast, training, login):
    other = services.do_save_group(
        plan=training.plan, name="Groep B", members=[cast.teamlid], trainers=[], acting_user=cast.kartrekker
    )
    client = login(cast.kartrekker)
    assert "Naar groep Groep B" in client.get(group_delete_url(cast, training.group)).content.decode()
    response = client.post(group_delete_url(cast, training.group), {"move_to": str(other.pk)})
    assert response.status_code == 302
    assert TrainingSession.objects.filter(group=other).count() == 2
    # A group without sessions: no question, it simply goes (a POST without a destination is fine).
    empty = services.do_save_group(
        plan=training.plan, name="Groep C", members=[], trainers=[], acting_user=cast.kartrekker
    )
    page = client.get(group_delete_url(cast, empty)).content.decode()
    assert "Er zijn geen sessies voor deze groep." in page and "Naar het hele team" not in page
    assert client.post(group_delete_url(cast, empty), {}).status_code == 302
    assert not TrainingGroup.objects.filter(pk=empty.pk).exists()


@pytest.mark.parametrize("move_to", ["", "foreign", "itself", "abc", "99999999999999999999999"])
def test_deleting_a_group_with_a_bad_destination_changes_nothing(cast, training, login, move_to):
    from tests.training_fixtures import training_rows

    value = {"foreign": str(training.other_group.pk), "itself": str(training.group.pk)}.get(move_to, move_to)
    before = (training_rows(), AuditEvent.objects.count())
    response = login(cast.kartrekker).post(group_delete_url(cast, training.group), {"move_to": value})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nog niet opgeslagen" in page
    assert "Kies waar de sessies naartoe gaan." in page or "Kies een andere groep van dit trainingsplan" in page
    assert (training_rows(), AuditEvent.objects.count()) == before


def test_delete_group_service_refuses_a_group_of_another_plan(cast, training):
    with pytest.raises(ServiceError):
        services.do_delete_group(
            group=training.group, move_sessions_to=training.other_group, acting_user=cast.kartrekker
        )
    assert TrainingGroup.objects.filter(pk=training.group.pk).exists()


# Who missed what ---------------------------------------------------------------------------------------------


def test_overview_missed_catch_up_and_still_to_train(cast, training):
    Membership.objects.filter(school=cast.school).update(joined_at=timezone.make_aware(datetime.datetime(2026, 1, 5)))
    late = make_user("Nina Nieuw")
    m = make_member(cast.school, late, Role.TEAMLID)
    Membership.objects.filter(pk=m.pk).update(joined_at=timezone.make_aware(datetime.datetime(2026, 11, 1)))
    data = build_overview(training.plan, today=datetime.date(2026, 11, 30))
    missed = {row.user: [(x.session.kind, x.status) for x in row.missed] for row in data.with_missed}
    assert missed == {cast.werkgroeplid: [("module1", "afgemeld")], cast.teamlid: [("module1", "afwezig")]}
    assert [u for u, _ in data.catch_up[training.session.pk]] == [cast.teamlid, cast.werkgroeplid]
    to_train = {row.user: (row.joined_late, row.missing_modules) for row in data.still_to_train}
    # module 1 and 2 have been; only the kartrekker was at module 1 and nobody registered at module 2
    assert to_train[late] == (True, ["1", "2"])
    assert to_train[cast.teamlid] == (False, ["1", "2"])
    assert cast.trainer not in to_train


# Pages ------------------------------------------------------------------------------------------------------


def test_create_plan_through_the_form(cast, login):
    client = login(cast.kartrekker)
    url = reverse("training:plan_new", args=[cast.school.pk])
    assert "Tabel 4.1" in client.get(url).content.decode()
    response = client.post(url, {"school_year": "2027", "module1_date": "2027-09-14", "combine_34": ""})
    plan = TrainingPlan.objects.get(school=cast.school, school_year=2027)
    assert response.status_code == 302 and response["Location"] == reverse(
        "training:plan", args=[cast.school.pk, plan.pk]
    )
    assert plan.sessions.get(kind="module1").date == datetime.date(2027, 9, 14)
    assert plan.sessions.filter(kind__in=["module3", "module4"]).count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "Module 3" in page and "Module 4" in page
    assert "Offerman" in page  # the citation


def test_session_page_shows_the_werkmoment_agenda(cast, training, login):
    page = login(cast.teamlid).get(reverse("training:session", args=[cast.school.pk, training.werkmoment.pk]))
    html = page.content.decode()
    assert "Verdieping op basis van input (45 min)" in html
    assert "Wat is je vooral bijgebleven van de studiedag TSO?" in html
    assert "Intekenen op Time-in" in html
    assert "Reflectievragen mailen" not in html  # teamlid cannot send
    assert "De trainingsdag hiervoor: Module 3 + 4 op dinsdag 12 januari 2027." in html


def test_attendance_page_registers_and_keeps_unsent_rows(cast, training, login):
    client = login(cast.trainer)
    url = reverse("training:attendance", args=[cast.school.pk, training.session.pk])
    html = client.get(url).content.decode()
    assert html.count('type="radio"') == 3 * 4
    response = client.post(url, {f"p{cast.teamlid.pk}": "aanwezig"})
    assert response.status_code == 302
    marks = dict(Attendance.objects.filter(session=training.session).values_list("user_id", "status"))
    assert marks == {cast.teamlid.pk: "aanwezig", cast.kartrekker.pk: "aanwezig", cast.werkgroeplid.pk: "afgemeld"}


def test_dashboard_shows_next_session_and_what_i_missed(cast, training, login):
    html = login(cast.teamlid).get(reverse("organisations:school", args=[cast.school.pk])).content.decode()
    assert "Teamtraining" in html
    assert "Module 1" in html and "Afwezig" in html
    nxt = TrainingSession.objects.filter(school=cast.school, date__gte=timezone.localdate()).order_by("date").first()
    assert nxt.title in html


def test_send_reflection_button_twice_does_not_send_twice(cast, training, login, django_capture_on_commit_callbacks):
    client = login(cast.kartrekker)
    url = reverse("training:send_reflection", args=[cast.school.pk, training.werkmoment.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert len(mail.outbox) == 3
    assert "al verstuurd" in response.content.decode()


# Calendar ---------------------------------------------------------------------------------------------------


def test_session_events(cast, training):
    events = session_events(cast.school)
    assert len(events) == training.plan.sessions.count()
    by_uid = {e["uid"]: e for e in events}
    module1 = by_uid[f"training-session-{training.session.pk}@groeiwijzer"]
    assert module1["summary"] == "Module 1"
    assert module1["start"].tzinfo is not None and module1["start"].date() == training.session.date
    assert (module1["end"] - module1["start"]) == datetime.timedelta(hours=3, minutes=15)
    assert "Groep A" in module1["description"] and "2026-2027" in module1["description"]
    om = next(e for e in events if e["summary"].startswith("Ontwikkelmodel"))
    assert type(om["start"]) is datetime.date and om["end"] == om["start"] + datetime.timedelta(days=1)
    assert all(e["uid"].startswith("training-session-") for e in events)
    assert not any(e["uid"] == f"training-session-{training.other_session.pk}@groeiwijzer" for e in events)


# Query counts: a school of 12 and one of 120 staff ----------------------------------------------------------------


def build_staff_school(n: int, name: str):
    from django.contrib.auth.hashers import make_password

    from accounts.models import User

    board = make_board(f"Bestuur {name}")
    school = make_school(board, name)
    lead = make_user(f"Leider {name}")
    make_member(school, lead, Role.KARTREKKER, Role.TEAMLID)
    pw = make_password("x")
    users = User.objects.bulk_create(
        [User(email=f"p{i}@{n}.test", name=f"Persoon {i:03d}", password=pw) for i in range(n - 1)]
    )
    Membership.objects.bulk_create([Membership(school=school, user=u, is_teamlid=True) for u in users])
    plan = services.do_create_plan(school=school, school_year=2026, acting_user=lead)
    everyone = [lead, *users]
    past = list(plan.sessions.filter(date__lte=datetime.date(2026, 11, 30)))
    cycle = ["aanwezig", "aanwezig", "afwezig", "afgemeld"]
    Attendance.objects.bulk_create(
        [Attendance(session=s, user=u, status=cycle[i % 4]) for s in past for i, u in enumerate(everyone)]
    )
    group = services.do_save_group(plan=plan, name="Iedereen", members=everyone, trainers=[], acting_user=lead)
    werkmoment = plan.sessions.get(kind="werkmoment3")
    topic = Topic.objects.create(school=school, session=werkmoment, title="Time-in")
    topic.signups.set(everyone)
    return {"school": school, "lead": lead, "plan": plan, "session": past[0], "group": group, "werkmoment": werkmoment}


TRAINING_PAGES = {
    "attendance": lambda s: reverse("training:attendance", args=[s["school"].pk, s["session"].pk]),
    "missed": lambda s: reverse("training:missed", args=[s["school"].pk, s["plan"].pk]),
    "plan": lambda s: reverse("training:plan", args=[s["school"].pk, s["plan"].pk]),
    "session": lambda s: reverse("training:session", args=[s["school"].pk, s["werkmoment"].pk]),
    "group-edit": lambda s: reverse("training:group_edit", args=[s["school"].pk, s["group"].pk]),
}


@pytest.fixture
def staff_schools(db):
    return {12: build_staff_school(12, "Klein"), 120: build_staff_school(120, "Groot")}


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize("page", TRAINING_PAGES)
def test_training_pages_have_constant_queries(staff_schools, client, page):
    counts = {}
    for n, s in staff_schools.items():
        client.force_login(s["lead"], backend="accounts.backends.EmailBackend")
        counts[n], html = _count(client, TRAINING_PAGES[page](s))
    assert counts[12] == counts[120], counts
    assert counts[120] <= 15


def test_big_attendance_pages_really_show_120_people(staff_schools, client):
    s = staff_schools[120]
    client.force_login(s["lead"], backend="accounts.backends.EmailBackend")
    html = client.get(TRAINING_PAGES["attendance"](s)).content.decode()
    assert html.count('<th scope="row" id="name-') == 120
    missed = client.get(TRAINING_PAGES["missed"](s)).content.decode()
    assert "Persoon 118" in missed


def test_saving_attendance_for_120_has_constant_queries(staff_schools, client):
    counts = {}
    for n, s in staff_schools.items():
        client.force_login(s["lead"], backend="accounts.backends.EmailBackend")
        people = services.roster(s["session"])
        data = {f"p{u.pk}": "aanwezig" for u in people}
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(TRAINING_PAGES["attendance"](s), data)
        assert response.status_code == 302
        counts[n] = len(ctx.captured_queries)
        assert Attendance.objects.filter(session=s["session"], status="aanwezig").count() == n
    assert counts[12] == counts[120], counts
