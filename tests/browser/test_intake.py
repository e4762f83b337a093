"""The verkennend voorgesprek in the browser, as the schoolleider and trainer do it: a new conversation,
notes typed per question (autosaved), the decision Go, an agreement; then the kartrekkers page, where the
schoolleider appoints a second kartrekker. axe-core runs on every intake page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from intake.models import Agreement, Conversation, Note
from organisations.models import Membership

from .helpers import check_a11y, login

pytestmark = pytest.mark.browser


def test_the_intake_form_to_a_go_decision(browser_cast, new_context, page_log):
    cast = browser_cast
    school = cast.school
    page = new_context().new_page()
    note_answers = []
    page.on("response", lambda r: note_answers.append(r.status) if "/aantekeningen/" in r.url else None)
    login(page, cast.schoolleider)

    # From the dashboard to a new conversation ---------------------------------------------------------------
    page.goto(f"/scholen/{school.pk}/")
    expect(page.get_by_text("Nog geen voorgesprek vastgelegd.")).to_be_visible()
    expect(page.get_by_text("Let op: benoem er minstens 2")).to_be_visible()
    page.get_by_role("link", name="Naar de voorgesprekken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Voorgesprekken")
    check_a11y(page, "voorgesprekken")
    with page.expect_navigation():
        page.get_by_role("link", name="Nieuw gesprek").click()
    check_a11y(page, "nieuw gesprek")
    page.get_by_label("Verkennend voorgesprek").check()
    page.get_by_label("Afspraak 1").fill("2026-10-05")
    page.get_by_label("Afspraak 2").fill("2026-10-19")
    # Participants with the keyboard: focus a checkbox and press space.
    for name in ("Sara Schoolleider", "Karel Kartrekker", "Tom Trainer"):
        page.get_by_label(name, exact=True).focus()
        page.keyboard.press("Space")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verkennend voorgesprek")
    check_a11y(page, "gespreksagenda")
    conversation = Conversation.objects.get(school=school)
    assert [d.date.isoformat() for d in conversation.dates.all()] == ["2026-10-05", "2026-10-19"]
    assert set(conversation.participants.values_list("name", flat=True)) == {
        "Sara Schoolleider",
        "Karel Kartrekker",
        "Tom Trainer",
    }

    # Notes, saved as they are typed -------------------------------------------------------------------------
    first = page.get_by_label("Maak kennis: wie zitten er aan tafel?", exact=False)
    first.fill("Sara, Karel en Tom. Karel volgde de training al.")
    expect(page.locator("#note-status-text-1-introductie-a")).to_contain_text("Opgeslagen om")
    team = page.get_by_label("Wat is de aard van het team:")
    team.click()
    page.keyboard.type("Stabiel team, veel ervaring.")
    expect(page.locator("#note-status-text-1-teaminformatie-b")).to_contain_text("Opgeslagen om")
    assert Note.objects.get(conversation=conversation, question_code="1.introductie.a").text.startswith("Sara")
    assert Note.objects.get(conversation=conversation, question_code="1.teaminformatie.b").text == (
        "Stabiel team, veel ervaring."
    )
    page.reload()
    expect(page.get_by_label("Wat is de aard van het team:")).to_have_value("Stabiel team, veel ervaring.")
    # The server has both notes: no browser copies are left, so the reload saved nothing again.
    drafts = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('gw-draft:intake-'))")
    assert drafts == []
    assert note_answers and set(note_answers) == {200}

    # The decision: Go ------------------------------------------------------------------------------------------
    page.get_by_role("link", name="Besluit vastleggen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Besluit: Go of Twijfel")
    expect(page.get_by_text("Go - voorwaarden zijn voldoende ingevuld.")).to_be_visible()
    check_a11y(page, "besluit")
    page.get_by_label("Go", exact=True).focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Besluit opslaan").click()
    expect(page.get_by_role("status").first).to_contain_text("Het besluit is opgeslagen.")
    expect(page.locator("#besluit")).to_contain_text("Besluit: Go")
    conversation.refresh_from_db()
    assert conversation.decision == "go" and conversation.decided_by == cast.schoolleider

    # An agreement: who does what, when, what support, what feedback -------------------------------------------
    with page.expect_navigation():
        page.get_by_role("link", name="Afspraak toevoegen").click()
    check_a11y(page, "afspraak toevoegen")
    page.get_by_label("Wat wordt er gedaan?").fill("Introductiepresentatie voor het team plannen")
    page.get_by_label("Wie doet het?").select_option(label="Karel Kartrekker")
    page.get_by_label("Wanneer?").fill("2026-12-01")
    page.get_by_label("Welke ondersteuning is nodig?").fill("Een studiemiddag")
    page.get_by_label("Welke terugkoppeling vindt er plaats?").fill("In het MT-overleg")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#afspraken")).to_contain_text("Karel Kartrekker: Introductiepresentatie voor het team plannen")
    check_a11y(page, "gesprek met besluit en afspraak")
    agreement = Agreement.objects.get(conversation=conversation)
    assert (agreement.owner, agreement.support) == (cast.kartrekker, "Een studiemiddag")

    # The dashboard shows the decision --------------------------------------------------------------------------
    page.goto(f"/scholen/{school.pk}/")
    expect(page.get_by_text(re.compile("Laatste gesprek: Verkennend voorgesprek"))).to_be_visible()
    expect(page.get_by_text("Besluit: Go")).to_be_visible()

    # Kartrekkers: the profile, and a second kartrekker --------------------------------------------------------
    page.get_by_role("link", name="Naar de kartrekkers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kartrekkers TSO")
    expect(page.get_by_text("De school heeft 1 kartrekker; benoem er minstens 2.")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Functie-eisen")).to_be_visible()
    check_a11y(page, "kartrekkers")
    page.get_by_role("button", name=re.compile(r"Benoem tot kartrekker\s*:\s*Tina Teamlid")).click()
    expect(page.get_by_role("status").first).to_contain_text("Tina Teamlid is nu kartrekker.")
    expect(page.get_by_text("benoem er minstens 2")).to_have_count(0)
    check_a11y(page, "kartrekkers na benoemen")
    assert Membership.objects.get(school=school, user=cast.teamlid).is_kartrekker
    page_log.assert_clean()


def test_two_note_takers_and_a_twijfel(browser_cast, new_context, server_paused, page_log):
    """Karel and Tom take notes on the same question: Karel sees Tom's version and keeps his own knowingly.
    Then Karel records Twijfel with a follow-up date and the small steps the school will take."""
    cast = browser_cast
    with server_paused():
        from tests.intake_fixtures import make_conversation

        conversation = make_conversation(cast.school, cast.schoolleider, participants=[cast.kartrekker, cast.trainer])
    url = f"/scholen/{cast.school.pk}/voorgesprekken/{conversation.pk}/"
    karel = new_context().new_page()
    login(karel, cast.kartrekker)
    karel.goto(url)
    tom = new_context().new_page()
    login(tom, cast.trainer)
    tom.goto(url)

    question = "Hoe groot is het team (i.v.m. de grootte van de groep(en) bij de teamtraining)?"
    tom.get_by_label(question).fill("Ongeveer 45 mensen")
    expect(tom.locator("#note-status-text-1-teaminformatie-a")).to_contain_text("Opgeslagen om")
    karel.get_by_label(question).fill("Twee groepen van 20")
    alert = karel.locator("#note-status-1-teaminformatie-a").get_by_role("alert")
    expect(alert).to_contain_text("Tom Trainer heeft deze aantekeningen intussen gewijzigd")
    expect(alert).to_contain_text("Ongeveer 45 mensen")
    check_a11y(karel, "conflict bij aantekeningen")
    note = Note.objects.get(conversation=conversation, question_code="1.teaminformatie.a")
    assert note.text == "Ongeveer 45 mensen"
    # Karel merges both texts; autosave keeps refusing until he chooses "Mijn versie opslaan".
    with karel.expect_response(lambda r: "/aantekeningen/" in r.url) as refused:
        karel.get_by_label(question).fill("Ongeveer 45 mensen: twee groepen van 20")
    assert refused.value.status == 409
    with karel.expect_response(lambda r: "/aantekeningen/" in r.url) as saved:
        alert.get_by_role("button", name="Mijn versie opslaan").click()
    assert saved.value.status == 200 and "force_version=1" in saved.value.request.post_data
    expect(karel.locator("#note-status-text-1-teaminformatie-a")).to_contain_text("Opgeslagen om")
    note.refresh_from_db()
    assert note.text == "Ongeveer 45 mensen: twee groepen van 20"

    # Twijfel: a follow-up date and small steps, by keyboard ------------------------------------------------
    karel.get_by_role("link", name="Besluit vastleggen", exact=True).click()
    karel.get_by_label("Twijfel", exact=True).check()
    karel.get_by_role("button", name="Besluit opslaan").click()
    expect(karel.get_by_role("alert").first).to_contain_text("Bij twijfel hoort een datum voor de vervolgafspraak.")
    check_a11y(karel, "besluit met fout")
    karel.get_by_label("Datum vervolgafspraak").fill("2027-03-01")
    step = karel.get_by_label("Het geven van een introductie presentatie over TSO aan het schoolteam")
    step.focus()
    karel.keyboard.press("Space")
    expect(step).to_be_checked()
    karel.get_by_role("button", name="Besluit opslaan").click()
    besluit = karel.locator("#besluit")
    expect(besluit).to_contain_text("Besluit: Twijfel")
    expect(besluit).to_contain_text("Vervolgafspraak: maandag 1 maart 2027.")
    expect(besluit).to_contain_text("Het geven van een introductie presentatie over TSO aan het schoolteam")
    check_a11y(karel, "gesprek na twijfel")
    karel.get_by_role("link", name="Vervolggesprek plannen").click()
    expect(karel.get_by_label("Vervolggesprek na twijfel")).to_be_checked()
    expect(karel.get_by_label("Afspraak 1")).to_have_value("2027-03-01")
    conversation.refresh_from_db()
    assert (conversation.decision, conversation.small_steps) == ("twijfel", ["introductiepresentatie"])
    page_log.assert_clean()
