"""The implementation route: content faithful to the handbook, dates, services, pages, exports and bad input."""

from __future__ import annotations

import datetime
import io
import json
import re
from pathlib import Path

import icalendar
import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from actionplans.models import Meeting
from audit.models import AuditEvent
from core.dates import add_months
from core.errors import ConflictError, ServiceError
from organisations.models import Role
from tests.factories import make_meeting, make_member, make_user
from tests.trajectory_fixtures import start_route
from trajectory import services
from trajectory.content import CONTENT_FILE, ContentError, load_route, parse
from trajectory.models import Step, StepStatus, Trajectory
from trajectory.overview import route_overview

_SEED_NAME = "002_737681bd825e55d2.txt"
SEED = next(
    (
        p
        for p in (
            Path(__file__).resolve().parents[3] / "shared" / "seeds" / _SEED_NAME,  # shared/ beside the clone (CI)
            Path("/work/shared/seeds") / _SEED_NAME,
        )
        if p.exists()
    ),
    Path("/work/shared/seeds") / _SEED_NAME,
)
START = datetime.date(2027, 3, 1)


# Content --------------------------------------------------------------------------------------------------


def _normalise(text: str) -> str:
    """Whitespace folded, footnote numbers dropped ("school13." → "school."), words broken over lines joined."""
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"(?<=[a-zé\)])\d{1,2}(?: \d{1,2})*(?=[\s.,;:])", "", text)
    text = re.sub(r"(?<=[a-z])- (?=[a-z])", "-", text)
    return text.replace(" ’s", "’s")


def _handbook_texts(data: dict) -> list[str]:
    texts = [p["goal"] for p in data["phases"]]
    texts += [data["drivers"]["intro"], data["drivers"]["outro"], *(d["text"] for d in data["drivers"]["items"])]
    texts += [g["text"] for r in data["role_hours"] for g in r["guidelines"]]
    for s in data["steps"]:
        texts += [*s["goals"], *s["actions"], *s["time"], *s["people"], s["when"], s.get("text", ""), s["tool"]]
    return [t for t in texts if t]


@pytest.mark.skipif(not SEED.exists(), reason="the handbook text is in ../shared/seeds")
def test_every_handbook_text_of_the_route_is_verbatim():
    seed = _normalise(SEED.read_text(encoding="utf-8"))
    data = json.loads(CONTENT_FILE.read_text(encoding="utf-8"))
    texts = _handbook_texts(data)
    assert len(texts) > 60
    missing = [t for t in texts if _normalise(t) not in seed]
    assert not missing, f"Not found verbatim in the handbook: {missing}"


def test_the_route_has_the_handbooks_phases_and_steps():
    route_ = load_route()
    assert [(p.number, p.name, p.duration) for p in route_.phases] == [
        (1, "Verkennen", "3-6 maanden"),
        (2, "Voorbereiden", "6 maanden"),
        (3, "Uitvoeren", "12-24 maanden"),
        (4, "Borgen", "voortdurend"),
    ]
    assert [d.code for d in route_.drivers] == ["competentie", "organisatie", "leiderschap"]
    voorgesprek = route_.step("verkennend-voorgesprek")
    assert voorgesprek.when == "6 tot 9 maanden voor de teamtraining TSO"
    assert (voorgesprek.start_month, voorgesprek.due_month) == (-9, -6)
    assert voorgesprek.tool.startswith("Bijlage 1")
    assert route_.step("introductiepresentatie").start_month == -3
    assert route_.step("werkgroep-samenstellen").start_month == -3
    assert route_.step("praktisch-voorgesprek").start_month == -2
    assert route_.step("training-kartrekker").start_month == -6
    assert [g.text for g in route_.role_hours["kartrekker"]] == ["Kartrekker 30 uur", "Richtlijn: 4 uur per week"]
    assert [g.text for g in route_.role_hours["werkgroeplid"]] == [
        "Werkgroep lid 20 uur",
        "Richtlijn: uren 25 uur per werkgroeplid",
    ]
    assert "Offerman" in route_.citation and "2023" in route_.citation


def test_broken_content_is_refused():
    data = json.loads(CONTENT_FILE.read_text(encoding="utf-8"))
    data["steps"][0]["phase"] = "dromen"
    with pytest.raises(ContentError, match="unknown phase"):
        parse(data)
    data = json.loads(CONTENT_FILE.read_text(encoding="utf-8"))
    data["steps"][1]["code"] = data["steps"][0]["code"]
    with pytest.raises(ContentError, match="unique"):
        parse(data)
    data = json.loads(CONTENT_FILE.read_text(encoding="utf-8"))
    data["steps"][0]["due_month"] = -12
    with pytest.raises(ContentError, match="due_month"):
        parse(data)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2027, 3, 1), -9, datetime.date(2026, 6, 1)),
        (datetime.date(2027, 3, 31), -1, datetime.date(2027, 2, 28)),
        (datetime.date(2028, 3, 31), -1, datetime.date(2028, 2, 29)),
        (datetime.date(2027, 1, 15), 12, datetime.date(2028, 1, 15)),
        (datetime.date(2027, 1, 15), 0, datetime.date(2027, 1, 15)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


# Services -------------------------------------------------------------------------------------------------


def test_starting_dates_every_step_from_the_training_start(cast):
    before = AuditEvent.objects.count()
    trajectory = start_route(cast.school, cast.kartrekker, START)
    steps = {s.code: s for s in trajectory.steps.all()}
    assert len(steps) == len(load_route().steps)
    assert steps["verkennend-voorgesprek"].start_date == datetime.date(2026, 6, 1)
    assert steps["verkennend-voorgesprek"].due_date == datetime.date(2026, 9, 1)
    assert steps["introductiepresentatie"].start_date == datetime.date(2026, 12, 1)
    assert steps["praktisch-voorgesprek"].start_date == datetime.date(2027, 1, 1)
    assert steps["teamtraining"].start_date == START
    assert all(s.status == StepStatus.OPEN and s.owner is None for s in steps.values())
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert event.action == "trajectory.started" and event.data["steps"] == len(steps)
    with pytest.raises(ServiceError, match="al een traject"):
        start_route(cast.school, cast.kartrekker, START)
    assert Trajectory.objects.filter(school=cast.school).count() == 1


def _update(step, by, **changes):
    fields = {f: getattr(step, f) for f in ("start_date", "due_date", "owner", "status", "note")}
    fields |= changes
    return services.do_update_step(step=step, expected_version=step.version, acting_user=by, **fields)


def test_moving_the_start_moves_open_steps_but_not_finished_or_hand_set_ones(cast):
    trajectory = start_route(cast.school, cast.kartrekker, START)
    done = trajectory.steps.get(code="verkennend-voorgesprek")
    _update(done, cast.kartrekker, status=StepStatus.DONE)
    moved = trajectory.steps.get(code="praktisch-voorgesprek")
    _update(moved, cast.kartrekker, start_date=datetime.date(2027, 1, 20), due_date=datetime.date(2027, 1, 27))
    services.do_move_training_start(
        trajectory=trajectory,
        training_start=datetime.date(2027, 9, 1),
        expected_version=trajectory.version,
        acting_user=cast.schoolleider,
    )
    steps = {s.code: s for s in Step.objects.filter(trajectory=trajectory)}
    assert steps["verkennend-voorgesprek"].start_date == datetime.date(2026, 6, 1)  # done: stays
    assert steps["praktisch-voorgesprek"].start_date == datetime.date(2027, 1, 20)  # set by hand: stays
    assert steps["introductiepresentatie"].start_date == datetime.date(2027, 6, 1)  # open: moved along
    assert steps["teamtraining"].start_date == datetime.date(2027, 9, 1)
    trajectory.refresh_from_db()
    assert trajectory.training_start == datetime.date(2027, 9, 1) and trajectory.version == 2
    event = AuditEvent.objects.filter(action="trajectory.start_moved").get()
    assert event.data["from"] == "2027-03-01" and event.data["to"] == "2027-09-01"
    with pytest.raises(ConflictError):
        services.do_move_training_start(
            trajectory=trajectory, training_start=START, expected_version=1, acting_user=cast.kartrekker
        )
    trajectory.refresh_from_db()
    assert trajectory.training_start == datetime.date(2027, 9, 1)


def test_a_step_owner_must_be_of_the_school_and_dates_must_make_sense(cast):
    trajectory = start_route(cast.school, cast.kartrekker, START)
    step = trajectory.steps.get(code="werkgroep-samenstellen")
    with pytest.raises(ServiceError, match="iemand van deze school"):
        _update(step, cast.kartrekker, owner=cast.outsider)
    with pytest.raises(ServiceError, match="einddatum"):
        _update(step, cast.kartrekker, due_date=step.start_date - datetime.timedelta(days=1))
    with pytest.raises(ServiceError, match="2100"):
        _update(step, cast.kartrekker, due_date=datetime.date(9999, 1, 1))
    step.refresh_from_db()
    assert step.owner is None and step.version == 1 and not step.dates_moved


def test_finishing_a_step_records_who_and_a_stale_form_is_refused(cast):
    trajectory = start_route(cast.school, cast.kartrekker, START)
    step = trajectory.steps.get(code="werkgroep-samenstellen")
    stale_version = step.version
    _update(step, cast.kartrekker, status=StepStatus.NOT_APPLICABLE, note="Werkgroep bestond al")
    step.refresh_from_db()
    assert step.status == StepStatus.NOT_APPLICABLE and step.finished_by == cast.kartrekker
    assert step.finished_at is not None and step.version == 2
    with pytest.raises(ConflictError):
        services.do_update_step(
            step=step,
            start_date=step.start_date,
            due_date=step.due_date,
            owner=None,
            status=StepStatus.OPEN,
            note="",
            expected_version=stale_version,
            acting_user=cast.schoolleider,
        )
    step.refresh_from_db()
    assert step.status == StepStatus.NOT_APPLICABLE and step.note == "Werkgroep bestond al"
    _update(step, cast.schoolleider, status=StepStatus.OPEN)
    step.refresh_from_db()
    assert step.finished_at is None and step.finished_by is None


def test_a_yearly_step_comes_back_a_year_later_once(cast):
    trajectory = start_route(cast.school, cast.kartrekker, START)
    step = trajectory.steps.get(code="nieuwe-medewerkers")
    _update(step, cast.kartrekker, owner=cast.werkgroeplid, status=StepStatus.DONE)
    nxt = trajectory.steps.get(code="nieuwe-medewerkers", occurrence=2)
    assert nxt.start_date == add_months(step.start_date, 12) and nxt.due_date == add_months(step.due_date, 12)
    assert nxt.owner == cast.werkgroeplid and nxt.status == StepStatus.OPEN
    step.refresh_from_db()
    _update(step, cast.kartrekker, status=StepStatus.OPEN)
    step.refresh_from_db()
    _update(step, cast.kartrekker, status=StepStatus.DONE)
    assert trajectory.steps.filter(code="nieuwe-medewerkers").count() == 2
    # A step that happens once does not come back.
    once = trajectory.steps.get(code="werkgroep-samenstellen")
    _update(once, cast.kartrekker, status=StepStatus.DONE)
    assert trajectory.steps.filter(code="werkgroep-samenstellen").count() == 1


# The overview ---------------------------------------------------------------------------------------------


def test_current_phase_next_and_late_steps(cast):
    trajectory = start_route(cast.school, cast.kartrekker, START)
    before_anything = route_overview(trajectory, today=datetime.date(2026, 1, 1))
    assert before_anything.current_phase.code == "verkennen" and not before_anything.late
    assert [s.code for s in before_anything.next_steps][:2] == ["verkennend-voorgesprek", "werving-kartrekker"]
    winter = route_overview(trajectory, today=datetime.date(2026, 12, 15))
    assert winter.current_phase.code == "voorbereiden"
    early = {"verkennend-voorgesprek", "werving-kartrekker", "training-kartrekker"}  # due by 1 December 2026
    assert {s.code for s in winter.late} == early
    for step in Step.objects.filter(trajectory=trajectory, code__in=early):
        _update(step, cast.kartrekker, status=StepStatus.DONE)
    winter = route_overview(trajectory, today=datetime.date(2026, 12, 15))
    assert not winter.late and winter.done_count == 3
    spring = route_overview(trajectory, today=datetime.date(2027, 4, 1))
    assert spring.current_phase.code == "uitvoeren"
    assert route_overview(trajectory, today=datetime.date(2029, 1, 1)).current_phase.code == "borgen"


def test_time_guidelines_stand_next_to_the_people_with_that_role(cast):
    trajectory = start_route(cast.school, cast.kartrekker, START)
    hours = {r.role: r for r in route_overview(trajectory).role_hours}
    assert hours[Role.KARTREKKER].people == [cast.kartrekker]
    assert hours[Role.WERKGROEPLID].people == [cast.werkgroeplid]
    assert hours[Role.KARTREKKER].guidelines[0].text == "Kartrekker 30 uur"


def test_the_overview_page_shows_phase_steps_people_and_hours(cast, route, client):
    client.force_login(cast.teamlid, backend="accounts.backends.EmailBackend")
    body = client.get(reverse("trajectory:overview", args=[cast.school.pk])).content.decode()
    assert "Fase 1: Verkennen (3-6 maanden)" in body
    assert "Het verkennende voorgesprek" in body
    assert "Kartrekker 30 uur" in body and "Richtlijn: uren 25 uur per werkgroeplid" in body
    assert cast.teamlid.display_name in body  # the owner of the introductiepresentatie
    assert "Startdatum verschuiven" not in body  # the teamlid does not plan the route


def test_the_dashboard_shows_the_route_and_my_steps(cast, route, client):
    client.force_login(cast.teamlid, backend="accounts.backends.EmailBackend")
    body = client.get(reverse("organisations:school", args=[cast.school.pk])).content.decode()
    assert "Voor jou: Introductiepresentatie voor het schoolteam" in body


# Pages: starting, editing a step, the owner's form ---------------------------------------------------------


def _login(client, user):
    client.force_login(user, backend="accounts.backends.EmailBackend")
    return client


def test_the_kartrekker_starts_the_route_from_the_page(cast, client):
    _login(client, cast.kartrekker)
    response = client.get(reverse("trajectory:overview", args=[cast.school.pk]))
    assert "Traject maken" in response.content.decode()
    response = client.post(reverse("trajectory:start", args=[cast.school.pk]), {"training_start": "2027-03-01"})
    assert response.status_code == 302
    assert Trajectory.objects.get(school=cast.school).training_start == START


def test_the_owner_may_only_tick_off_and_write_a_note(cast, route, client):
    _login(client, cast.teamlid)
    url = reverse("trajectory:step", args=[cast.school.pk, route.step.pk])
    form = client.get(url).context["form"]
    assert set(form.fields) == {"status", "note", "version"}
    response = client.post(
        url,
        {
            "status": "gedaan",
            "note": "Gegeven op 3 december",
            "owner": cast.kartrekker.pk,
            "start_date": "2030-01-01",
            "due_date": "2030-02-01",
            "version": route.step.version,
        },
    )
    assert response.status_code == 302
    step = Step.objects.get(pk=route.step.pk)
    assert step.status == StepStatus.DONE and step.note == "Gegeven op 3 december"
    assert step.owner == cast.teamlid and step.start_date == route.step.start_date  # the rest is not theirs


def test_two_editors_on_one_step_see_both_versions(cast, route, client):
    url = reverse("trajectory:step", args=[cast.school.pk, route.step.pk])
    data = {"status": "open", "start_date": "2026-12-01", "due_date": "2027-01-01", "version": route.step.version}
    assert _login(client, cast.kartrekker).post(url, {**data, "note": "Eerst"}).status_code == 302
    response = _login(client, cast.schoolleider).post(url, {**data, "note": "Tweede, oude versie"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Iemand anders heeft deze stap intussen opgeslagen" in body
    assert "Eerst" in body and "Tweede, oude versie" in body  # saved version and the input both visible
    assert Step.objects.get(pk=route.step.pk).note == "Eerst"


# Bad input --------------------------------------------------------------------------------------------------


def _state():
    return (
        sorted(Trajectory.objects.values_list("pk", "training_start", "version")),
        sorted(Step.objects.values_list("pk", "start_date", "due_date", "owner_id", "status", "note", "version")),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("99999-01-01", "geldige datum"),
        ("1899-01-01", "tussen 2000 en 2100"),
        ("morgen", "geldige datum"),
        ("", "Vul de geplande start"),
        ("<script>alert(1)</script>", "geldige datum"),
    ],
)
def test_bad_start_dates_are_refused_in_dutch(cast, client, value, message):
    before = _state()
    response = _login(client, cast.kartrekker).post(
        reverse("trajectory:start", args=[cast.school.pk]), {"training_start": value}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert _state() == before


BAD_STEP_INPUT = [
    ({"owner": "OUTSIDER"}, "Kies iemand van deze school"),
    ({"owner": str(2**70)}, "Kies iemand van deze school"),
    ({"owner": "abc"}, "Kies iemand van deze school"),
    ({"status": "verwijderd"}, "Selecteer een geldige keuze"),
    ({"start_date": "99999-12-01"}, "geldige datum"),
    ({"due_date": "2026-11-01"}, "ligt voor"),
    ({"note": "x" * 10_000}, "maximaal 2000 tekens"),
    ({"version": "-5"}, "Versie"),
]


@pytest.mark.parametrize(("change", "message"), BAD_STEP_INPUT)
def test_bad_step_input_is_refused_and_keeps_the_input(cast, route, client, change, message):
    if change.get("owner") == "OUTSIDER":
        change = {"owner": str(cast.outsider.pk)}
    data = {
        "status": "gedaan",
        "note": "Mijn notitie <b>vet</b>",
        "start_date": "2026-12-01",
        "due_date": "2027-01-01",
        "owner": str(cast.werkgroeplid.pk),
        "version": route.step.version,
    } | change
    before = _state()
    response = _login(client, cast.kartrekker).post(
        reverse("trajectory:step", args=[cast.school.pk, route.step.pk]), data
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "Nog niet opgeslagen" in body
    if "note" not in change:
        assert "Mijn notitie &lt;b&gt;vet&lt;/b&gt;" in body  # the input is kept, and escaped
    assert _state() == before


def test_html_in_a_note_is_shown_as_text(cast, route, client):
    _login(client, cast.kartrekker)
    url = reverse("trajectory:step", args=[cast.school.pk, route.step.pk])
    data = {
        "status": "open",
        "note": '<script>alert("x")</script>',
        "start_date": "2026-12-01",
        "due_date": "2027-01-01",
        "version": route.step.version,
    }
    assert client.post(url, data).status_code == 302
    body = client.get(reverse("trajectory:overview", args=[cast.school.pk])).content.decode()
    assert '<script>alert("x")</script>' not in body
    assert "&lt;script&gt;" in body


# Exports ----------------------------------------------------------------------------------------------------


def test_ics_parses_back_with_stable_uids_and_amsterdam_time(cast, route, client):
    meeting = make_meeting(
        cast.school,
        cast.kartrekker,
        datetime.date.today() + datetime.timedelta(days=10),
        start_time=datetime.time(15, 30),
        end_time=datetime.time(17, 0),
        location="Teamkamer, 1e verdieping; achter",
    )
    make_meeting(cast.school, cast.kartrekker, datetime.date.today() - datetime.timedelta(days=30))  # past: left out
    _login(client, cast.teamlid)
    url = reverse("trajectory:ics", args=[cast.school.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    raw = response.content
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cal = icalendar.Calendar.from_ical(raw)
    assert cal["VERSION"] == "2.0" and cal["X-WR-TIMEZONE"] == "Europe/Amsterdam"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    events = cal.walk("VEVENT")
    open_steps = Step.objects.filter(trajectory=route.trajectory, status=StepStatus.OPEN).count()
    assert len(events) == open_steps + 1
    by_uid = {str(e["UID"]): e for e in events}
    intro = by_uid[f"traject-{cast.school.pk}-introductiepresentatie-1@groeiwijzer-tso"]
    assert intro.decoded("DTSTART") == route.step.start_date  # an all-day date value
    assert intro.decoded("DTEND") == route.step.start_date + datetime.timedelta(days=1)
    assert str(intro["SUMMARY"]) == "TSO: Introductiepresentatie voor het schoolteam"
    assert "Trainer" in str(intro["DESCRIPTION"]) or "Wie:" in str(intro["DESCRIPTION"])
    assert "Offerman" in str(intro["DESCRIPTION"])
    werkgroep = by_uid[f"werkgroep-{meeting.pk}@groeiwijzer-tso"]
    start = werkgroep.decoded("DTSTART")
    assert start.tzinfo is not None and str(start.tzinfo) == "Europe/Amsterdam"
    assert (start.hour, start.minute) == (15, 30)
    assert str(werkgroep["LOCATION"]) == "Teamkamer, 1e verdieping; achter"
    # Importing again updates rather than doubles: the same UIDs.
    again = icalendar.Calendar.from_ical(client.get(url).content)
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == set(by_uid)
    # A finished step drops out of the calendar.
    _update(route.step, cast.kartrekker, status=StepStatus.DONE)
    after = icalendar.Calendar.from_ical(client.get(url).content)
    assert f"traject-{cast.school.pk}-introductiepresentatie-1@groeiwijzer-tso" not in {
        str(e["UID"]) for e in after.walk("VEVENT")
    }
    assert Meeting.objects.filter(school=cast.school).count() == 2


def test_ics_has_the_team_training_sessions(cast, route, client):
    from training import services as training_services
    from training.models import TrainingSession

    today = datetime.date.today()
    year = today.year if today.month >= 8 else today.year - 1
    training_services.do_create_plan(school=cast.school, school_year=year + 1, acting_user=cast.kartrekker)
    sessions = list(TrainingSession.objects.filter(school=cast.school))
    assert sessions
    cal = icalendar.Calendar.from_ical(
        _login(client, cast.teamlid).get(reverse("trajectory:ics", args=[cast.school.pk])).content
    )
    by_uid = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    for session in sessions:
        event = by_uid[f"training-session-{session.pk}@groeiwijzer"]
        assert str(event["SUMMARY"]) == session.title
        start = event.decoded("DTSTART")
        if session.start_time:
            assert str(start.tzinfo) == "Europe/Amsterdam"
            assert (start.date(), start.time()) == (session.date, session.start_time)
        else:
            assert start == session.date and event.decoded("DTEND") == session.date + datetime.timedelta(days=1)


def test_a_step_links_to_where_its_work_is_done(cast, route, client):
    step = route.trajectory.steps.get(code="teamtraining")
    body = _login(client, cast.teamlid).get(reverse("trajectory:step", args=[cast.school.pk, step.pk])).content
    assert reverse("training:overview", args=[cast.school.pk]) in body.decode()


def test_voorgesprek_step_shows_the_latest_decision_to_those_who_lead_it(cast, route, client):
    from intake import services as intake_services

    conversation = intake_services.do_create_conversation(
        school=cast.school,
        kind="verkennend",
        dates=[datetime.date(2026, 6, 10)],
        participants=[cast.schoolleider, cast.trainer],
        acting_user=cast.schoolleider,
    )
    intake_services.do_decide(
        conversation=conversation,
        decision="twijfel",
        follow_up_date=datetime.date(2026, 9, 1),
        small_steps=[],
        expected_version=conversation.version,
        acting_user=cast.schoolleider,
    )
    step = route.trajectory.steps.get(code="verkennend-voorgesprek")
    url = reverse("trajectory:step", args=[cast.school.pk, step.pk])
    body = _login(client, cast.trainer).get(url).content.decode()
    assert "Besluit: Twijfel" in body and "Vervolgafspraak: 1 september 2026" in body
    assert reverse("intake:conversations", args=[cast.school.pk]) in body
    body = _login(client, cast.teamlid).get(url).content.decode()  # voorgesprekken are not for the team
    assert "Besluit:" not in body and reverse("intake:conversations", args=[cast.school.pk]) not in body
    intro = route.trajectory.steps.get(code="introductiepresentatie")
    body = client.get(reverse("trajectory:step", args=[cast.school.pk, intro.pk])).content.decode()
    assert reverse("reference:estimate", args=[cast.school.pk]) in body
    kartrekker_step = route.trajectory.steps.get(code="werving-kartrekker")
    body = client.get(reverse("trajectory:step", args=[cast.school.pk, kartrekker_step.pk])).content.decode()
    assert reverse("intake:kartrekkers", args=[cast.school.pk]) in body


def test_word_overview_lists_every_step_on_one_landscape_page(cast, route, client):
    response = _login(client, cast.board_member).get(reverse("trajectory:docx", args=[cast.school.pk]))
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    assert doc.sections[0].page_width > doc.sections[0].page_height
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Fase", "Stap", "Wanneer (handboek)", "Gepland", "Wie", "Status"]
    assert len(table.rows) == 1 + Step.objects.filter(trajectory=route.trajectory).count()
    texts = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert texts[0][:2] == ["1. Verkennen", "Het verkennende voorgesprek"]
    intro = next(row for row in texts if row[1] == "Introductiepresentatie voor het schoolteam")
    assert intro[4] == cast.teamlid.display_name and intro[5] == "Open"
    assert "Ons traject Traumasensitief Onderwijs – De Regenboog" in doc.paragraphs[0].text


def test_pdf_overview_is_one_tagged_page_with_every_step(cast, route, client):
    response = _login(client, cast.teamlid).get(reverse("trajectory:pdf", args=[cast.school.pk]))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    assert "De Regenboog" in text
    for title in ("Het verkennende voorgesprek", "Successen vieren", "Teamtraining: modules 1 t/m 4"):
        assert title in text
    assert "/StructTreeRoot" in reader.trailer["/Root"]


# Queries ----------------------------------------------------------------------------------------------------


def _add_staff(school, n):
    for i in range(n):
        make_member(school, make_user(f"Collega {i}"), Role.TEAMLID, *([Role.WERKGROEPLID] if i % 10 == 0 else []))


@pytest.mark.parametrize("name", ["trajectory:overview", "trajectory:summary", "organisations:school"])
def test_route_pages_use_the_same_number_of_queries_for_a_school_of_120(cast, route, client, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _login(client, cast.kartrekker)
    url = reverse(name, args=[cast.school.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _add_staff(cast.school, 115)
    for step in Step.objects.filter(trajectory=route.trajectory)[:8]:
        step.owner = step.trajectory.school.memberships.order_by("-id").first().user
        step.save(update_fields=["owner"])
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
    assert len(large) <= 20


def test_demo_route_starts_with_the_training_plans_first_module(db):
    import io

    from django.core.management import call_command

    from training.models import TrainingSession

    call_command("demo", stdout=io.StringIO())
    trajectory = Trajectory.objects.get(school__name="OBS De Regenboog")
    module1 = TrainingSession.objects.get(school=trajectory.school, kind="module1")
    assert trajectory.training_start == module1.date
    overview = route_overview(trajectory)
    assert overview.done_count > 0 and overview.late  # a route under way, with something to pick up
