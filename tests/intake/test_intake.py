"""The intake pages: the agenda with autosaved notes, the decision, agreements, kartrekkers, the dashboard."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from core.errors import ServiceError
from intake import services
from intake.content import load_agenda, load_profile
from intake.models import Conversation, Note
from organisations.models import Membership
from tests.intake_fixtures import build_intake, intake_rows


@pytest.fixture
def intake(cast):
    return build_intake(cast)


HTMX = {"headers": {"HX-Request": "true"}}


def url(name, c, **kw):
    return reverse(f"intake:{name}", kwargs={"school_id": c.school.pk, **kw})


def conv_url(name, cast, intake, **kw):
    return url(name, cast, conversation_id=intake.conversation.pk, **kw)


def test_the_agenda_shows_every_question_and_the_citation(cast, intake, login):
    response = login(cast.trainer).get(conv_url("conversation", cast, intake))
    assert response.status_code == 200
    html = response.content.decode()
    agenda = load_agenda()
    for question in agenda.questions:
        assert f'id="note-{question.anchor}"' in html
    assert html.count('name="question"') == 29
    assert "Sara, Karel en Tom aan tafel." in html
    assert agenda.parts[0].heading in html and agenda.parts[1].heading in html
    assert "Offerman, E. &amp; Asselman, M." in html
    assert "Besluit: Nog open" in html
    assert "Introductiepresentatie plannen" in html


def test_autosave_creates_then_updates_a_note(cast, intake, login):
    client = login(cast.kartrekker)
    target = conv_url("note", cast, intake)
    response = client.post(target, {"question": "1.schoolpopulatie.b", "text": "Hoog", "version": "0"}, **HTMX)
    assert response.status_code == 200
    assert 'name="version" value="1"' in response.content.decode()
    assert "Opgeslagen om" in response.content.decode()
    response = client.post(
        target, {"question": "1.schoolpopulatie.b", "text": "Hoog, vooral in groep 3", "version": "1"}, **HTMX
    )
    assert 'name="version" value="2"' in response.content.decode()
    assert Note.objects.get(conversation=intake.conversation, question_code="1.schoolpopulatie.b").text == (
        "Hoog, vooral in groep 3"
    )


def test_two_note_takers_see_both_versions_on_conflict(cast, intake, login):
    """Karel and Tom both loaded version 1 of the first question; Tom saves first."""
    target = conv_url("note", cast, intake)
    tom = {"question": "1.introductie.a", "text": "Toms versie", "version": "1"}
    assert login(cast.trainer).post(target, tom, **HTMX).status_code == 200
    karel = {"question": "1.introductie.a", "text": "Karels versie", "version": "1"}
    response = login(cast.kartrekker).post(target, karel, **HTMX)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Toms versie" in html  # the saved version is shown
    assert "Tom Trainer heeft deze aantekeningen intussen gewijzigd" in html
    assert 'name="force_version" value="2"' in html
    assert 'name="version" value="1"' in html  # later autosaves keep conflicting until Karel decides
    assert Note.objects.get(pk=intake.note.pk).text == "Toms versie"
    # Karel chooses his version knowingly.
    response = login(cast.kartrekker).post(target, karel | {"force_version": "2"}, **HTMX)
    assert response.status_code == 200
    assert Note.objects.get(pk=intake.note.pk).text == "Karels versie"


def test_plain_post_of_a_note_redirects_to_the_question(cast, intake, login):
    target = conv_url("note", cast, intake)
    response = login(cast.schoolleider).post(
        target, {"question": "2.training.c", "text": "Studiedag 12 maart", "version": "0"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#vraag-2-training-c")


def test_conflict_without_htmx_keeps_the_text_in_the_page(cast, intake, login):
    target = conv_url("note", cast, intake)
    response = login(cast.schoolleider).post(
        target, {"question": "1.introductie.a", "text": "Mijn tekst", "version": "0"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Mijn tekst" in html and "Sara, Karel en Tom aan tafel." in html
    assert 'name="force_version" value="1"' in html


def test_decision_go_flow(cast, intake, login):
    client = login(cast.schoolleider)
    response = client.get(conv_url("decision", cast, intake))
    html = response.content.decode()
    assert load_agenda().decision.go in html
    assert load_agenda().small_steps[0].text in html
    response = client.post(conv_url("decision", cast, intake), {"decision": "go", "version": "1"})
    assert response.status_code == 302
    c = Conversation.objects.get(pk=intake.conversation.pk)
    assert c.decision == "go" and c.decided_by == cast.schoolleider
    html = client.get(conv_url("conversation", cast, intake)).content.decode()
    assert "Besluit: Go" in html
    assert "Vervolggesprek plannen" not in html


def test_twijfel_shows_the_small_steps_and_offers_a_follow_up(cast, intake, login):
    client = login(cast.trainer)
    data = {"decision": "twijfel", "follow_up_date": "2027-03-01", "small_steps": ["werkgroep-werven"], "version": "1"}
    assert client.post(conv_url("decision", cast, intake), data).status_code == 302
    html = client.get(conv_url("conversation", cast, intake)).content.decode()
    assert "Besluit: Twijfel" in html
    assert "Werving gemotiveerde leden werkgroep TSO binnen het schoolteam" in html
    assert load_agenda().small_steps_intro in html
    follow = url("conversation_new", cast) + f"?na={intake.conversation.pk}"
    assert follow.replace("&", "&amp;") in html
    response = client.get(follow)
    form = response.context["form"]
    assert form.initial["kind"] == "vervolg"
    assert form.initial["dates"] == [datetime.date(2027, 3, 1)]
    assert 'value="2027-03-01"' in response.content.decode()
    # Another school's conversation as ?na= is a 404.
    assert client.get(url("conversation_new", cast) + f"?na={intake.other_conversation.pk}").status_code == 404


def test_decision_conflict_shows_both_versions_as_people_read_them(cast, intake, login):
    """Saved Twijfel with a date versus my Go: the choices' labels and a Dutch date, not 'twijfel' or 2027-03-01."""
    services.do_decide(
        conversation=intake.conversation,
        decision="twijfel",
        follow_up_date=datetime.date(2027, 3, 1),
        small_steps=[],
        expected_version=1,
        acting_user=cast.trainer,
    )
    response = login(cast.schoolleider).post(conv_url("decision", cast, intake), {"decision": "go", "version": "1"})
    assert response.status_code == 409
    html = response.content.decode()
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th><td>(.*?)</td><td>(.*?)</td></tr>", html)
    assert ("Twijfel", "Go") in [(saved, mine) for _label, saved, mine in rows]
    assert ("1 maart 2027", "–") in [(saved, mine) for _label, saved, mine in rows]
    assert Conversation.objects.get(pk=intake.conversation.pk).decision == "twijfel"
    assert 'name="version" value="2"' in html  # saving again overwrites knowingly


def test_follow_up_conversation_is_linked_both_ways(cast, intake, login):
    client = login(cast.kartrekker)
    data = {"decision": "twijfel", "follow_up_date": "2027-03-01", "version": "1"}
    assert client.post(conv_url("decision", cast, intake), data).status_code == 302
    plan_url = url("conversation_new", cast) + f"?na={intake.conversation.pk}"
    page = client.get(plan_url).content.decode()
    assert "Dit wordt het vervolg op:" in page and "Verkennend voorgesprek van 1 oktober 2026" in page

    response = client.post(
        plan_url,
        {"kind": "vervolg", "dates": ["2027-03-01"], "participants": [cast.kartrekker.pk, cast.schoolleider.pk]},
    )
    assert response.status_code == 302
    follow_up = Conversation.objects.get(school=cast.school, kind="vervolg")
    assert follow_up.follows == intake.conversation
    event = AuditEvent.objects.filter(action="intake.conversation_created").latest("pk")
    assert event.data["follows"] == intake.conversation.pk

    page = client.get(response["Location"]).content.decode()
    assert "Vervolg op" in page and conv_url("conversation", cast, intake) in page
    page = client.get(conv_url("conversation", cast, intake)).content.decode()
    assert "Vervolggesprek na twijfel van 1 maart 2027" in page
    assert reverse("intake:conversation", args=[cast.school.pk, follow_up.pk]) in page
    assert "Vervolggesprek plannen" not in page  # planned already: the link goes to it instead


def test_follow_up_of_another_schools_conversation_is_refused(cast, intake):
    with pytest.raises(ServiceError):
        services.do_create_conversation(
            school=cast.school,
            kind="vervolg",
            dates=[datetime.date(2027, 3, 1)],
            participants=[],
            follows=intake.other_conversation,
            acting_user=cast.kartrekker,
        )
    assert not Conversation.objects.filter(school=cast.school, kind="vervolg").exists()


def test_conversation_as_word_document(cast, intake, login):
    """Bijlage 1 filled in: the handbook's questions with the notes, the decision and the agreements."""
    import io

    from docx import Document

    services.do_decide(
        conversation=intake.conversation,
        decision="twijfel",
        follow_up_date=datetime.date(2027, 3, 1),
        small_steps=["werkgroep-werven"],
        expected_version=1,
        acting_user=cast.schoolleider,
    )
    response = login(cast.trainer).get(conv_url("conversation_docx", cast, intake))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="verkennend-voorgesprek-2026-10-01.docx"'
    assert "no-cache" in response["Cache-Control"]
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    agenda = load_agenda()
    assert doc.paragraphs[0].text == "Verkennend voorgesprek"
    assert "School: De Regenboog" in text and "Datums: 1 oktober 2026" in text
    assert "Aan tafel: Karel Kartrekker, Sara Schoolleider, Tom Trainer" in text
    assert "Besluit: Twijfel · vervolgafspraak 1 maart 2027" in text
    for q in agenda.questions:
        assert q.text in text
    assert "Sara, Karel en Tom aan tafel." in text  # the note of question 1.introductie.a
    assert "Werving gemotiveerde leden werkgroep TSO binnen het schoolteam" in text  # the chosen small step
    assert agenda.citation in text
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "Wie doet wat",
        "Wanneer",
        "Welke ondersteuning is nodig",
        "Welke terugkoppeling vindt er plaats",
    ]
    assert table.rows[1].cells[0].text == "Karel Kartrekker: Introductiepresentatie plannen"
    assert doc.core_properties.language == "nl-NL"


def test_conversation_word_document_is_not_for_the_team(cast, intake, login):
    for who in ("werkgroeplid", "teamlid", "board_member"):
        assert login(cast.user(who)).get(conv_url("conversation_docx", cast, intake)).status_code == 403, who
    assert login(cast.outsider).get(conv_url("conversation_docx", cast, intake)).status_code == 404


def test_twijfel_without_a_date_is_explained_in_dutch(cast, intake, login):
    before = (intake_rows(), AuditEvent.objects.count())
    response = login(cast.kartrekker).post(conv_url("decision", cast, intake), {"decision": "twijfel"})
    assert response.status_code == 400
    assert "Bij twijfel hoort een datum voor de vervolgafspraak." in response.content.decode()
    assert (intake_rows(), AuditEvent.objects.count()) == before


def test_new_conversation_with_several_dates(cast, login):
    data = {"kind": "praktisch", "dates": ["2027-01-10", "", "2026-12-01"], "participants": [cast.kartrekker.pk]}
    response = login(cast.kartrekker).post(url("conversation_new", cast), data)
    assert response.status_code == 302
    c = Conversation.objects.get(school=cast.school)
    assert [d.date.isoformat() for d in c.dates.all()] == ["2026-12-01", "2027-01-10"]
    assert c.kind == "praktisch"
    html = login(cast.kartrekker).get(url("conversation_edit", cast, conversation_id=c.pk)).content.decode()
    assert 'value="2026-12-01"' in html and 'value="2027-01-10"' in html


def test_agreement_rows_use_the_handbook_wording(cast, intake, login):
    client = login(cast.schoolleider)
    data = {
        "what": "Boeken bestellen",
        "owner_text": "de administratie",
        "due_date": "2026-11-30",
        "support": "Budget van het bestuur",
        "feedback": "In de teamvergadering",
    }
    assert client.post(conv_url("agreement_new", cast, intake), data).status_code == 302
    html = client.get(conv_url("conversation", cast, intake)).content.decode()
    wording = load_agenda().agreements
    for text in (wording.who, wording.when, wording.support, wording.feedback):
        assert text.capitalize() in html
    assert "de administratie: Boeken bestellen" in html
    assert "30 november 2026" in html and "Budget van het bestuur" in html


def test_agreement_edit_conflict_shows_both_versions(cast, intake, login):
    a = intake.agreement
    services.do_update_agreement(
        agreement=a,
        values={"what": "Presentatie op 5 maart", "owner": cast.kartrekker},
        expected_version=1,
        acting_user=cast.trainer,
    )
    data = {"what": "Presentatie op 12 maart", "owner": cast.kartrekker.pk, "version": "1"}
    response = login(cast.schoolleider).post(conv_url("agreement_edit", cast, intake, agreement_id=a.pk), data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Presentatie op 5 maart" in html and "Presentatie op 12 maart" in html
    a.refresh_from_db()
    assert a.what == "Presentatie op 5 maart"


def test_kartrekkers_page_shows_the_profile_and_warns_below_two(cast, login):
    html = login(cast.teamlid).get(url("kartrekkers", cast)).content.decode()
    profile = load_profile()
    for section in profile.sections:
        assert section.heading in html
        for item in section.items:
            assert item in html
    assert "Karel Kartrekker" in html
    assert "De school heeft 1 kartrekker; benoem er minstens 2." in html
    assert "Benoem tot kartrekker" not in html  # only schoolleiding appoints
    assert "p. 96" in html


def test_schoolleiding_appoints_a_second_kartrekker(cast, login):
    client = login(cast.schoolleider)
    assert "Benoem tot kartrekker" in client.get(url("kartrekkers", cast)).content.decode()
    teamlid = Membership.objects.get(school=cast.school, user=cast.teamlid)
    response = client.post(url("kartrekker_role", cast, membership_id=teamlid.pk), {"benoemen": "1"}, follow=True)
    html = response.content.decode()
    assert "Tina Teamlid is nu kartrekker." in html
    assert "benoem er minstens" not in html
    assert "2 kartrekkers" in html
    teamlid.refresh_from_db()
    assert teamlid.is_kartrekker


@pytest.mark.parametrize("value", ["", "2", "<script>", "1" * 5000])
def test_kartrekker_role_with_nonsense_changes_nothing(cast, login, value):
    teamlid = Membership.objects.get(school=cast.school, user=cast.teamlid)
    before = AuditEvent.objects.count()
    response = login(cast.schoolleider).post(
        url("kartrekker_role", cast, membership_id=teamlid.pk), {"benoemen": value}, follow=True
    )
    assert "Kies of je iemand benoemt of de rol afneemt." in response.content.decode()
    teamlid.refresh_from_db()
    assert not teamlid.is_kartrekker
    assert AuditEvent.objects.count() == before


def test_dashboard_section_for_leaders_only(cast, intake, login):
    services.do_decide(
        conversation=intake.conversation,
        decision="twijfel",
        follow_up_date=datetime.date(2027, 3, 1),
        small_steps=[],
        expected_version=None,
        acting_user=cast.schoolleider,
    )
    school = reverse("organisations:school", args=[cast.school.pk])
    html = login(cast.kartrekker).get(school).content.decode()
    assert "Voorgesprekken en kartrekkers" in html
    assert "Besluit: Twijfel" in html
    assert "Vervolgafspraak: maandag 1 maart 2027" in html
    assert "Let op: benoem er minstens 2" in html
    html = login(cast.werkgroeplid).get(school).content.decode()
    assert "Voorgesprekken en kartrekkers" not in html
    assert "Besluit: Twijfel" not in html
    assert url("kartrekkers", cast) in html


def test_demo_follow_up_conversation_is_linked_to_the_twijfel(db):
    import io

    from django.core.management import call_command

    call_command("demo", stdout=io.StringIO())
    follow_up = Conversation.objects.get(school__name="SO De Horizon", kind="vervolg")
    assert follow_up.follows.decision == "twijfel"
    assert follow_up.dates.get().date == follow_up.follows.follow_up_date
