"""Tampered and absurd input on the team training forms: a clear Dutch error (or a 404), never a 500,
and nothing stored changes (all training rows and the audit log's size are compared)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.training_fixtures import make_training, training_rows
from training.models import TrainingSession

LONG = "x" * 10_000
SCRIPT = '<script>alert("xss")</script><b>vet</b>'
HUGE = str(2**64)


@pytest.fixture
def training(cast):
    return make_training(cast)


def state():
    return training_rows(), AuditEvent.objects.count()


def session_data(**extra):
    return {
        "title": "Module 1",
        "date": "2026-09-08",
        "start_time": "09:00",
        "end_time": "12:15",
        "location": "Aula",
        "group": "",
        "version": "",
    } | extra


def check(client, url, data, *messages, status=400):
    before = state()
    response = client.post(url, data)
    assert response.status_code == status, (response.status_code, response.content.decode()[:500])
    html = response.content.decode()
    for message in messages:
        assert message in html, f"{message!r} not shown"
    assert state() == before, "a refused request changed something"
    return html


PLAN_CASES = [
    ({"school_year": "99999"}, "Kies een schooljaar tot en met 2099."),
    ({"school_year": "-5"}, "Kies een schooljaar vanaf 2000."),
    ({"school_year": "twintig"}, "Vul een jaartal in, bijvoorbeeld 2026."),
    ({"school_year": ""}, "Vul het beginjaar van het schooljaar in."),
    ({"school_year": "2027", "module1_date": "99999-09-01"}, "Vul een geldige datum in"),
    ({"school_year": "2027", "module1_date": "2027-13-45"}, "Vul een geldige datum in"),
    ({"school_year": "2027", "module1_date": "2029-09-01"}, "Kies een datum in schooljaar 2027-2028"),
    ({"school_year": "2027", "module1_date": "2028-04-04"}, "valt een deel van de planning buiten het schooljaar"),
    ({"school_year": "2026"}, "Voor dit schooljaar is er al een trainingsplan."),
]


@pytest.mark.parametrize(("data", "message"), PLAN_CASES, ids=[str(d) for d, _ in PLAN_CASES])
def test_plan_form(cast, training, login, data, message):
    check(login(cast.kartrekker), reverse("training:plan_new", args=[cast.school.pk]), data, message)


def session_cases(c, t):
    return [
        ({"date": "99999-01-01"}, "Vul een geldige datum in"),
        ({"date": "1850-01-01"}, "Kies een datum tussen 2000 en 2100."),
        ({"date": ""}, "Vul een datum in."),
        ({"start_time": "15:00", "end_time": "14:00"}, "De eindtijd moet na de begintijd liggen."),
        ({"start_time": "15:00", "end_time": "15:00"}, "De eindtijd moet na de begintijd liggen."),
        ({"start_time": "-3:00"}, "Vul een geldige tijd in"),
        ({"start_time": "25:99"}, "Vul een geldige tijd in"),
        ({"start_time": "15:00", "end_time": ""}, "Vul begin- en eindtijd allebei in"),
        ({"title": LONG}, "Gebruik maximaal 200 tekens (nu 10000)."),
        ({"title": ""}, "Vul dit in."),
        ({"location": LONG}, "Gebruik maximaal 200 tekens (nu 10000)."),
        ({"group": str(t.other_group.pk)}, "Kies een trainingsgroep van dit trainingsplan."),
        ({"group": HUGE}, "Kies een trainingsgroep van dit trainingsplan."),
        ({"group": "-1"}, "Kies een trainingsgroep van dit trainingsplan."),
        ({"trainers": [str(c.outsider.pk)]}, "Kies als trainer iemand met de rol trainer in deze school."),
        ({"trainers": [str(c.teamlid.pk)]}, "Kies als trainer iemand met de rol trainer in deze school."),
        ({"trainers": [HUGE]}, "Kies als trainer iemand met de rol trainer in deze school."),
        ({"version": "-4"}, "Versie van het formulier"),
    ]


@pytest.mark.parametrize("i", range(18))
def test_session_edit_form(cast, training, login, i):
    data, message = session_cases(cast, training)[i]
    url = reverse("training:session_edit", args=[cast.school.pk, training.session.pk])
    html = check(login(cast.kartrekker), url, session_data(**data), message, "Nog niet opgeslagen")
    if "location" not in data:
        assert 'value="Aula"' in html, "the rest of the input is kept"


@pytest.mark.parametrize("i", [0, 3, 8, 11, 14])
def test_session_new_form(cast, training, login, i):
    data, message = session_cases(cast, training)[i]
    url = reverse("training:session_new", args=[cast.school.pk, training.plan.pk])
    check(login(cast.kartrekker), url, session_data(kind="overig", **data), message)


def test_session_new_with_an_unknown_kind(cast, training, login):
    url = reverse("training:session_new", args=[cast.school.pk, training.plan.pk])
    check(login(cast.kartrekker), url, session_data(kind="module99"), "Kies een soort sessie uit de lijst.")


def test_session_edit_conflict_keeps_input(cast, training, login):
    url = reverse("training:session_edit", args=[cast.school.pk, training.session.pk])
    html = check(
        login(cast.kartrekker), url, session_data(location="Gymzaal", version="99"), "Iemand anders", status=409
    )
    assert 'value="Gymzaal"' in html


def test_html_is_stored_as_text_and_escaped(cast, training, login):
    client = login(cast.kartrekker)
    url = reverse("training:session_edit", args=[cast.school.pk, training.session.pk])
    version = str(training.session.version)
    assert client.post(url, session_data(title=SCRIPT, version=version)).status_code == 302
    assert TrainingSession.objects.get(pk=training.session.pk).title == SCRIPT
    html = client.get(reverse("training:session", args=[cast.school.pk, training.session.pk])).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def group_cases(c, t):
    return [
        ({"members": [str(c.outsider.pk)]}, "Kies als deelnemers alleen mensen van het team van deze school."),
        ({"members": [str(c.trainer.pk)]}, "Kies als deelnemers alleen mensen van het team van deze school."),
        ({"members": [HUGE]}, "Kies als deelnemers alleen mensen van het team van deze school."),
        ({"members": ["abc"]}, "Kies als deelnemers alleen mensen van het team van deze school."),
        ({"trainers": [str(c.outsider.pk)]}, "Kies als trainer iemand met de rol trainer in deze school."),
        ({"trainers": [str(c.teamlid.pk)]}, "Kies als trainer iemand met de rol trainer in deze school."),
        ({"name": LONG}, "Gebruik maximaal 200 tekens (nu 10000)."),
        ({"name": ""}, "Vul dit in."),
    ]


@pytest.mark.parametrize("i", range(8))
def test_group_forms(cast, training, login, i):
    data, message = group_cases(cast, training)[i]
    client = login(cast.kartrekker)
    base = {"name": "Groep Z", "members": [str(cast.teamlid.pk)], "trainers": [str(cast.trainer.pk)], "version": ""}
    for url in (
        reverse("training:group_new", args=[cast.school.pk, training.plan.pk]),
        reverse("training:group_edit", args=[cast.school.pk, training.group.pk]),
    ):
        check(client, url, base | data, message)


def test_attendance_with_a_bogus_status(cast, training, login):
    url = reverse("training:attendance", args=[cast.school.pk, training.session.pk])
    check(
        login(cast.trainer),
        url,
        {f"p{cast.teamlid.pk}": "aanwezig", f"p{cast.werkgroeplid.pk}": "<b>ziek</b>"},
        "Kies aanwezig, afwezig of afgemeld.",
    )


def test_attendance_for_someone_of_another_school_is_ignored(cast, training, login):
    url = reverse("training:attendance", args=[cast.school.pk, training.session.pk])
    before = state()
    response = login(cast.trainer).post(url, {f"p{cast.outsider.pk}": "aanwezig", f"p{HUGE}": "aanwezig"})
    assert response.status_code == 302
    assert state() == before


def test_topic_too_long_or_empty(cast, training, login):
    client = login(cast.kartrekker)
    url = reverse("training:topic_new", args=[cast.school.pk, training.werkmoment.pk])
    for title, message in ((LONG, "Gebruik maximaal 300 tekens"), ("", "Vul dit in."), ("Time-in", "staat er al")):
        before = state()
        response = client.post(url, {"title": title}, follow=True)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert state() == before


def test_topic_on_a_module_is_refused(cast, training, login):
    url = reverse("training:topic_new", args=[cast.school.pk, training.session.pk])
    before = state()
    response = login(cast.kartrekker).post(url, {"title": "Iets"}, follow=True)
    assert "Onderwerpen horen bij een werkmoment." in response.content.decode()
    assert state() == before


def test_signup_with_a_bogus_value(cast, training, login):
    url = reverse("training:topic_signup", args=[cast.school.pk, training.topic.pk])
    before = state()
    response = login(cast.teamlid).post(url, {"signed_up": "ja graag"}, follow=True)
    assert "Kies intekenen of uitschrijven." in response.content.decode()
    assert state() == before


@pytest.mark.parametrize(
    "name,key",
    [
        ("training:session", "session_id"),
        ("training:attendance", "session_id"),
        ("training:plan", "plan_id"),
        ("training:group_edit", "group_id"),
    ],
)
def test_ids_beyond_64_bits_are_404(cast, training, login, name, key):
    url = reverse(name, kwargs={"school_id": cast.school.pk, key: 2**64})
    assert login(cast.kartrekker).get(url).status_code == 404
    assert login(cast.kartrekker).post(url, {}).status_code == 404


def test_a_session_conflict_shows_both_versions_and_the_next_save_goes_through(cast, training, login):
    """Before, the 409 page kept the stale version: saving again gave another 409, and again."""
    from training import services

    seen = training.session.version
    fields = {f: getattr(training.session, f) for f in services.SESSION_FIELDS} | {"location": "Aula (verbouwd)"}
    services.do_update_session(session=training.session, expected_version=seen, acting_user=cast.schoolleider, **fields)
    client = login(cast.kartrekker)
    url = reverse("training:session_edit", args=[cast.school.pk, training.session.pk])
    response = client.post(url, session_data(location="Gymzaal", version=str(seen)))
    html = response.content.decode()
    assert response.status_code == 409
    assert "<td>Aula (verbouwd)</td><td>Gymzaal</td>" in html.replace("\n", "")
    assert f'name="version" value="{seen + 1}"' in html
    assert client.post(url, session_data(location="Gymzaal", version=str(seen + 1))).status_code == 302
    assert TrainingSession.objects.get(pk=training.session.pk).location == "Gymzaal"


def test_a_group_conflict_shows_both_versions_and_the_next_save_goes_through(cast, training, login):
    from training import services

    group = training.group
    seen = group.version
    services.do_save_group(
        plan=training.plan,
        group=group,
        name="Bovenbouw",
        members=list(group.members.all()),
        trainers=list(group.trainers.all()),
        expected_version=seen,
        acting_user=cast.schoolleider,
    )
    client = login(cast.kartrekker)
    url = reverse("training:group_edit", args=[cast.school.pk, group.pk])
    data = {"name": "Groep Z", "members": [str(cast.teamlid.pk)], "trainers": [str(cast.trainer.pk)]}
    response = client.post(url, data | {"version": str(seen)})
    html = response.content.decode()
    assert response.status_code == 409
    assert "<td>Bovenbouw</td><td>Groep Z</td>" in html.replace("\n", "")
    assert client.post(url, data | {"version": str(seen + 1)}).status_code == 302
    group.refresh_from_db()
    assert group.name == "Groep Z"
