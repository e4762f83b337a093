"""The leadership checklist in the browser, as a member of the MT does it: start a round, add an own item,
fill in the checklist (partly with the keyboard, saved as you go), read your own results, write down the
MT conversation's agreements. axe-core runs on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from leadership.models import Answer, ChecklistRound, ConversationNote, ExtraItem

from .helpers import check_a11y, login

pytestmark = pytest.mark.browser

FIRST = "Ik wacht niet tot medewerkers mij benaderen met een probleem."
THIRD = "Ik zoek bij crisis en hoge werkdruk naar manieren om het team te helpen."


def test_checklist_from_round_to_agreements(browser_cast, new_context):
    cast = browser_cast
    school = cast.school
    page = new_context().new_page()
    login(page, cast.schoolleider)

    # From the school dashboard to the checklist; start a round ------------------------------------------------
    page.goto(f"/scholen/{school.pk}/")
    expect(page.get_by_text("Er is nog geen ronde van de checklist gestart.")).to_be_visible()
    page.get_by_role("link", name="Naar de checklist leidinggevenden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Checklist leidinggevenden")
    check_a11y(page, "checklist leidinggevenden")
    page.get_by_label("Naam van de ronde").fill("Schooljaar 2026-2027")
    page.get_by_role("button", name="Ronde starten").click()
    expect(page.get_by_role("status").first).to_contain_text("is gestart")
    round_ = ChecklistRound.objects.get(school=school)

    # An own item for the school ---------------------------------------------------------------------------------
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("Eigen uitspraken van de school beheren")).click()
    check_a11y(page, "eigen uitspraken")
    page.get_by_role("textbox", name=re.compile("^Uitspraak")).fill("Ik vier successen met het team.")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_role("status").first).to_contain_text("staat nu op de checklist")
    item = ExtraItem.objects.get(school=school)
    page.get_by_role("link", name="Terug naar de checklist leidinggevenden").click()

    # Fill in: a click, and the keyboard; every change is saved -------------------------------------------------------
    page.get_by_role("link", name="Checklist invullen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Checklist bijdrage van leidinggevenden invullen")
    check_a11y(page, "checklist invullen")
    first = page.get_by_role("group", name=re.compile(re.escape(FIRST)))
    first.get_by_label("4 Eens").check()
    expect(page.locator("#save-status")).to_contain_text("Opgeslagen om")
    # keyboard only: into the third item's group, arrow to "1 Helemaal oneens" (from "Nog geen antwoord" it wraps)
    third = page.get_by_role("group", name=re.compile(re.escape(THIRD)))
    third.get_by_label("Nog geen antwoord").focus()
    page.keyboard.press("ArrowRight")
    expect(third.get_by_label("1 Helemaal oneens")).to_be_checked()
    page.keyboard.press("ArrowRight")
    expect(third.get_by_label("2 Oneens")).to_be_checked()
    own = page.get_by_role("group", name=re.compile("Ik vier successen met het team"))
    own.get_by_label("5 Helemaal mee eens").check()
    expect(page.locator("#save-status")).to_contain_text("Opgeslagen om")
    page.wait_for_timeout(300)
    mine = dict(Answer.objects.filter(round=round_, user=cast.schoolleider).values_list("item_key", "value"))
    assert mine == {"hb1": 4, "hb3": 2, item.key: 5}

    # Own results: numbers and words, not only colour --------------------------------------------------------------
    page.get_by_role("button", name="Opslaan en mijn resultaten bekijken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mijn resultaten")
    check_a11y(page, "mijn resultaten")
    table = page.get_by_role("table")
    expect(table.get_by_role("row", name=re.compile(re.escape(FIRST)))).to_contain_text("4 – Eens")
    expect(table.get_by_role("row", name=re.compile(re.escape(THIRD)))).to_contain_text("2 – Oneens")
    expect(page.get_by_text("Je hebt 3 van 4 uitspraken ingevuld.")).to_be_visible()

    # The MT conversation: outcomes per question, saved as they are typed -------------------------------------------
    page.get_by_role("link", name="Naar het gesprek van het MT").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gesprek van het MT over de checklist")
    check_a11y(page, "gesprek van het MT")
    expect(page.get_by_role("heading", name="Stap 1: in tweetallen")).to_be_visible()
    question = page.get_by_role("textbox", name=re.compile("Over welke onderdelen ben jij tevreden"))
    question.fill("Niet wachten tot iemand komt: dat lukt goed.")
    expect(page.locator("#note-status-text-1a")).to_contain_text("Opgeslagen om")
    priority = page.get_by_role("textbox", name=re.compile("waar ligt jullie prioriteit"))
    priority.fill("Personeelsbeleid: werkbalans in elk functioneringsgesprek.")
    expect(page.locator("#note-status-text-2d")).to_contain_text("Opgeslagen om")
    notes = dict(ConversationNote.objects.filter(round=round_).values_list("question_code", "text"))
    assert notes == {
        "1a": "Niet wachten tot iemand komt: dat lukt goed.",
        "2d": "Personeelsbeleid: werkbalans in elk functioneringsgesprek.",
    }
    link = page.get_by_role("link", name=re.compile("Groeilaag 2: .* in het Ontwikkelmodel TSO"))
    expect(link).to_have_attribute("href", "/ontwikkelmodel/#laag-2")
    page.get_by_role("link", name=re.compile("Een actiepunt toevoegen aan het actieplan")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Actiepunt toevoegen")
    expect(page.get_by_label("Groeilaag")).to_have_value("2")

    # The dashboard shows the progress ----------------------------------------------------------------------------
    page.goto(f"/scholen/{school.pk}/")
    expect(page.get_by_text("Schooljaar 2026-2027: jij hebt 3 van 4 items ingevuld.")).to_be_visible()


def test_kartrekker_reads_the_agreements(browser_cast, new_context, server_paused):
    cast = browser_cast
    from leadership import services

    with server_paused():
        round_ = services.do_start_round(school=cast.school, title="Ronde 1", acting_user=cast.schoolleider)
        services.do_save_answers(round_=round_, answers={"hb1": 2}, acting_user=cast.schoolleider)
        services.do_save_note(
            round_=round_,
            question_code="2b",
            text="Elk MT-overleg: groeilaag 2.",
            expected_version=0,
            acting_user=cast.schoolleider,
        )
    page = new_context().new_page()
    login(page, cast.kartrekker)
    page.goto(f"/scholen/{cast.school.pk}/leidinggevenden/")
    check_a11y(page, "checklist leidinggevenden (kartrekker)")
    expect(page.get_by_role("link", name="Checklist invullen")).to_have_count(0)
    with page.expect_navigation():
        page.get_by_role("link", name="Gesprek van het MT").click()
    check_a11y(page, "gesprek van het MT (kartrekker)")
    expect(page.get_by_text("Elk MT-overleg: groeilaag 2.")).to_be_visible()
    expect(page.get_by_role("textbox")).to_have_count(0)
