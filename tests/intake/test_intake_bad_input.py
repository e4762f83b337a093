"""Bad and tampered input on the intake forms: a clear Dutch error, nothing stored, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.intake_fixtures import build_intake, intake_rows


@pytest.fixture
def intake(cast):
    return build_intake(cast)


HTMX = {"headers": {"HX-Request": "true"}}
SCRIPT = '<script>alert("xss")</script><b>vet</b>'
ESCAPED = "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;&lt;b&gt;vet&lt;/b&gt;"
HUGE_ID = str(2**63)


def state():
    return intake_rows(), AuditEvent.objects.count()


def post(client, name, cast, intake, data, *, htmx=False, **kw):
    kwargs = {"school_id": cast.school.pk}
    if name != "conversation_new":
        kwargs["conversation_id"] = intake.conversation.pk
    kwargs |= kw
    return client.post(reverse(f"intake:{name}", kwargs=kwargs), data, **(HTMX if htmx else {}))


def errors_in(body: str) -> list[str]:
    """The error messages shown, for a readable failure."""
    import re

    return re.findall(r'class="(?:errorlist|utrecht-alert[^"]*)"[^>]*>(.*?)</(?:ul|div)>', body, re.S)[:5]


def assert_refused(response, message, before, status=400):
    body = response.content.decode()
    assert response.status_code == status, response.status_code
    assert message in body, errors_in(body)
    assert state() == before


def good_conversation(cast):
    return {"kind": "verkennend", "dates": ["2026-11-02"], "participants": [cast.kartrekker.pk], "version": "1"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param({"dates": ["99999-01-01"]}, "Vul een geldige datum in", id="year-99999"),
        pytest.param({"dates": ["1999-12-31"]}, "Kies een datum tussen 2000 en 2100.", id="year-1999"),
        pytest.param({"dates": ["2026-02-30"]}, "Vul een geldige datum in", id="30-february"),
        pytest.param({"dates": ["2026-11-02", "<script>"]}, "Vul een geldige datum in", id="date-html"),
        pytest.param({"dates": ["", ""]}, "Vul minstens één gespreksdatum in.", id="no-date"),
        pytest.param(
            {"dates": [f"2026-11-{d:02d}" for d in range(1, 12)]}, "maximaal 10 gespreksdatums", id="11-dates"
        ),
        pytest.param({"dates": ["x" * 10_000]}, "Vul een geldige datum in", id="date-10000"),
        pytest.param({"kind": "<script>"}, "Kies een soort gesprek uit de lijst.", id="kind-html"),
        pytest.param({"kind": "x" * 10_000}, "Kies een soort gesprek uit de lijst.", id="kind-10000"),
        pytest.param({"participants": ["OTHER"]}, "Kies alleen mensen van deze school.", id="other-schools-person"),
        pytest.param({"participants": [HUGE_ID]}, "Kies alleen mensen van deze school.", id="id-2-63"),
        pytest.param({"participants": ["-1"]}, "Kies alleen mensen van deze school.", id="negative-id"),
        pytest.param({"participants": ["<script>"]}, "Kies alleen mensen van deze school.", id="participant-html"),
        pytest.param({"version": "-5"}, "Versie van het formulier", id="negative-version"),
    ],
)
@pytest.mark.parametrize("name", ["conversation_new", "conversation_edit"])
def test_conversation_form(cast, intake, login, name, change, message):
    if change.get("participants") == ["OTHER"]:
        change = {"participants": [cast.outsider.pk]}
    before = state()
    response = post(login(cast.kartrekker), name, cast, intake, good_conversation(cast) | change)
    assert_refused(response, message, before)
    assert "Nog niet opgeslagen. Verbeter het volgende:" in response.content.decode()


def test_conversation_form_keeps_all_input_after_an_error(cast, intake, login):
    data = good_conversation(cast) | {"dates": ["2026-11-02", "99999-01-01"], "kind": "praktisch"}
    response = post(login(cast.kartrekker), "conversation_new", cast, intake, data)
    html = response.content.decode()
    assert 'value="2026-11-02"' in html and 'value="99999-01-01"' in html
    form = response.context["form"]
    assert form["kind"].value() == "praktisch"
    assert form["participants"].value() == [str(cast.kartrekker.pk)]
    assert f'value="{cast.kartrekker.pk}"' in html.split("checked")[0][-300:] or "checked" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param({"text": "x" * 10_000}, "Gebruik maximaal 5000 tekens (nu 10000).", id="10000-chars"),
        pytest.param({"question": "<script>"}, "Deze vraag staat niet op de gespreksagenda.", id="question-html"),
        pytest.param({"question": "9.onzin.z"}, "Deze vraag staat niet op de gespreksagenda.", id="question-unknown"),
        pytest.param({"question": ""}, "Deze vraag staat niet op de gespreksagenda.", id="question-empty"),
        pytest.param({"question": "x" * 10_000}, "Deze vraag staat niet op de gespreksagenda.", id="question-10000"),
        pytest.param({"version": "-1"}, "De versie van dit formulier klopt niet.", id="negative-version"),
        pytest.param({"version": "9" * 30}, "De versie van dit formulier klopt niet.", id="huge-version"),
        pytest.param({"version": "<script>"}, "De versie van dit formulier klopt niet.", id="html-version"),
        pytest.param({"text": "nul\x00teken"}, "Null-tekens zijn niet toegestaan.", id="null-character"),
    ],
)
@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_note(cast, intake, login, data, message, htmx):
    before = state()
    full = {"question": "1.schoolpopulatie.a", "text": "Tekst", "version": "0"} | data
    response = post(login(cast.trainer), "note", cast, intake, full, htmx=htmx)
    assert_refused(response, message, before)


def test_html_in_notes_and_agreements_is_stored_as_text_and_shown_escaped(cast, intake, login):
    client = login(cast.kartrekker)
    post(client, "note", cast, intake, {"question": "2.training.a", "text": SCRIPT, "version": "0"}, htmx=True)
    post(client, "agreement_new", cast, intake, {"what": SCRIPT, "owner_text": SCRIPT, "support": SCRIPT})
    page = client.get(reverse("intake:conversation", args=[cast.school.pk, intake.conversation.pk]))
    html = page.content.decode()
    assert SCRIPT not in html and "<b>vet</b>" not in html
    assert ESCAPED in html
    from intake.models import Agreement, Note

    assert Note.objects.get(conversation=intake.conversation, question_code="2.training.a").text == SCRIPT
    assert Agreement.objects.filter(what=SCRIPT).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param({"decision": "<script>"}, "Kies Go, Twijfel of Nog open.", id="decision-html"),
        pytest.param({"decision": "GO"}, "Kies Go, Twijfel of Nog open.", id="decision-case"),
        pytest.param({"decision": ""}, "Kies Go, Twijfel of Nog open.", id="decision-empty"),
        pytest.param({"decision": "x" * 10_000}, "Kies Go, Twijfel of Nog open.", id="decision-10000"),
        pytest.param({"follow_up_date": "99999-03-01"}, "Vul een geldige datum in", id="year-99999"),
        pytest.param({"follow_up_date": "2101-01-01"}, "Kies een datum tussen 2000 en 2100.", id="year-2101"),
        pytest.param({"follow_up_date": ""}, "Bij twijfel hoort een datum voor de vervolgafspraak.", id="no-date"),
        pytest.param({"small_steps": ["<script>"]}, "Kies alleen kleine stappen uit de lijst.", id="step-html"),
        pytest.param({"small_steps": ["x" * 10_000]}, "Kies alleen kleine stappen uit de lijst.", id="step-10000"),
        pytest.param({"version": "-3"}, "Versie van het formulier", id="negative-version"),
    ],
)
def test_decision(cast, intake, login, data, message):
    before = state()
    full = {"decision": "twijfel", "follow_up_date": "2027-03-01", "version": "1"} | data
    response = post(login(cast.schoolleider), "decision", cast, intake, full)
    assert_refused(response, message, before)
    html = response.content.decode()
    if "follow_up_date" in data and data["follow_up_date"]:
        assert f'value="{data["follow_up_date"]}"' in html  # the input is kept


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param({"what": "x" * 10_000}, "Gebruik maximaal 1000 tekens (nu 10000).", id="what-10000"),
        pytest.param({"what": "   "}, "Vul dit in.", id="what-blank"),
        pytest.param({"support": "x" * 10_000}, "Gebruik maximaal 1000 tekens (nu 10000).", id="support-10000"),
        pytest.param({"owner_text": "x" * 10_000}, "Gebruik maximaal 200 tekens (nu 10000).", id="owner-text-10000"),
        pytest.param({"owner": "OTHER"}, "Kies iemand van deze school.", id="other-schools-person"),
        pytest.param({"owner": HUGE_ID}, "Kies iemand van deze school.", id="id-2-63"),
        pytest.param({"owner": "-7"}, "Kies iemand van deze school.", id="negative-id"),
        pytest.param({"owner": "<script>"}, "Kies iemand van deze school.", id="owner-html"),
        pytest.param({"owner": "", "owner_text": ""}, "Kies wie dit doet, of vul een naam of groep in.", id="no-one"),
        pytest.param({"due_date": "99999-12-31"}, "Vul een geldige datum in", id="year-99999"),
        pytest.param({"due_date": "-2026-01-01"}, "Vul een geldige datum in", id="negative-year"),
    ],
)
@pytest.mark.parametrize("name", ["agreement_new", "agreement_edit"])
def test_agreement(cast, intake, login, data, message, name):
    if data.get("owner") == "OTHER":
        data = data | {"owner": cast.outsider.pk}
    before = state()
    full = {"what": "Trainers werven", "owner": cast.schoolleider.pk, "version": "1"} | data
    kw = {"agreement_id": intake.agreement.pk} if name == "agreement_edit" else {}
    response = post(login(cast.kartrekker), name, cast, intake, full, **kw)
    assert_refused(response, message, before)


@pytest.mark.parametrize("conversation_id", [2**63, 2**64, 10**30])
def test_ids_beyond_64_bits_are_a_404(cast, login, conversation_id):
    client = login(cast.schoolleider)
    before = state()
    for name in ("conversation", "decision", "agreement_new"):
        response = client.get(
            f"/scholen/{cast.school.pk}/voorgesprekken/{conversation_id}/"
            + {"conversation": "", "decision": "besluit/", "agreement_new": "afspraken/nieuw/"}[name]
        )
        assert response.status_code == 404, name
    response = client.post(f"/scholen/{cast.school.pk}/voorgesprekken/{conversation_id}/aantekeningen/", {"text": "x"})
    assert response.status_code == 404
    response = client.post(f"/scholen/{cast.school.pk}/kartrekkers/{conversation_id}/rol/", {"benoemen": "1"})
    assert response.status_code == 404
    assert state() == before
