"""Opbrengsten in the browser: the kartrekker opens the questionnaire, a teamlid fills it in with the keyboard only
(the draft kept in this browser and put back after a reload, gone after sending), the kartrekker closes it and reads
the results (chart and table). axe-core runs on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from outcomes.models import Respondent, Survey, Tally, respondent_key
from tests.outcomes.fixtures import add_team, fill_groups, submit_all

from .helpers import check_a11y, login

pytestmark = pytest.mark.browser

FIRST = "Ik kan mijn aanpak afstemmen op wat een leerling op dat moment nodig heeft."


def tab_until(page, predicate_js: str, limit: int = 200):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(predicate_js):
            return
    raise AssertionError(f"not reached with Tab: {predicate_js}")


def test_questionnaire_by_keyboard_then_results(browser_cast, new_context):
    cast = browser_cast
    school = cast.school
    fill_groups(school)  # every role group has 5 members: the survey counts per group, so a breakdown can show
    organiser = new_context().new_page()
    login(organiser, cast.kartrekker)

    # Open a questionnaire from the school page ------------------------------------------------------------
    organiser.goto(f"/scholen/{school.pk}/")
    organiser.get_by_role("link", name=re.compile("Competentie, klasklimaat en welzijn van het team")).click()
    expect(organiser.get_by_role("heading", level=1)).to_have_text("Opbrengsten: competentie, klasklimaat en welzijn")
    check_a11y(organiser, "opbrengsten")
    organiser.get_by_label("Nulmeting (voor de teamtraining)").check()
    organiser.get_by_label("Schooljaar").fill("2026-2027")
    organiser.get_by_role("button", name="Vragenlijst openen").click()
    expect(organiser.get_by_role("status").first).to_contain_text("staat open")
    survey = Survey.objects.get(school=school)
    submit_all(survey, add_team(school, 4), value="3")  # four colleagues filled it in already

    # A teamlid fills it in with the keyboard only ------------------------------------------------------------
    page = new_context().new_page()
    login(page, cast.teamlid)
    page.goto(f"/scholen/{school.pk}/opbrengsten/vragenlijsten/{survey.pk}/invullen/")
    expect(page.get_by_text("alleen in deze browser bewaard")).to_be_visible()
    check_a11y(page, "vragenlijst invullen")
    tab_until(page, "document.activeElement && document.activeElement.type === 'radio'")
    page.keyboard.press("Space")  # 1 helemaal oneens
    for _ in range(3):
        page.keyboard.press("ArrowRight")  # … to 4 eens
    first = page.get_by_role("group", name=FIRST)
    expect(first.get_by_label("4 eens", exact=True)).to_be_checked()
    page.keyboard.press("Tab")  # the next question
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")  # 2 oneens
    # the draft is in this browser only: a reload puts it back
    page.reload()
    expect(page.locator("#survey-draft-status")).to_contain_text("teruggezet")
    expect(first.get_by_label("4 eens", exact=True)).to_be_checked()
    assert not Respondent.objects.filter(survey=survey, key=respondent_key(survey.pk, cast.teamlid.pk)).exists()
    tab_until(
        page,
        "document.activeElement && document.activeElement.type === 'submit' && "
        "document.activeElement.textContent.trim() === 'Versturen'",
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("meegeteld")
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('gw-survey:')).length") == 0
    team = Tally.objects.get(survey=survey, group="team")
    assert team.n_respondents == 5 and team.counts["c1"] == {"3": 4, "4": 1} and team.counts["c2"] == {"3": 4, "2": 1}

    # Closed: the results, chart and table ----------------------------------------------------------------------
    organiser.goto(f"/scholen/{school.pk}/opbrengsten/")
    organiser.once("dialog", lambda dialog: dialog.accept())
    organiser.get_by_role("button", name=re.compile("^Sluiten")).click()
    expect(organiser.get_by_role("status").first).to_contain_text("is gesloten")
    organiser.get_by_role("link", name="Naar de resultaten").click()
    expect(organiser.get_by_role("heading", level=1)).to_have_text("Opbrengsten: resultaten")
    expect(organiser.get_by_text("Een eigen meting van het team, geen effectonderzoek.")).to_be_visible()
    check_a11y(organiser, "resultaten opbrengsten")
    expect(organiser.get_by_role("img", name=re.compile("Afstemmen op wat een leerling nodig heeft"))).to_be_visible()
    row = organiser.get_by_role("row", name=re.compile("^Afstemmen op wat een leerling nodig heeft"))
    expect(row.first).to_contain_text("3,0")  # (4*3 + 3 + 4*3 + 2) / 10 answers
    # everyone who took part is in the team group, which reaches the minimum: its breakdown shows
    expect(organiser.get_by_role("columnheader", name="Team (5)")).to_be_visible()


def test_logging_out_from_any_page_removes_the_drafts(browser_cast, page):
    """The draft lives in this browser only; on a shared computer logging out (from any page) leaves nothing."""
    from outcomes import services

    cast = browser_cast
    survey = services.do_open_survey(
        school=cast.school, kind="nulmeting", school_year="2026-2027", acting_user=cast.kartrekker
    )
    login(page, cast.teamlid)
    page.goto(f"/scholen/{cast.school.pk}/opbrengsten/vragenlijsten/{survey.pk}/invullen/")
    page.get_by_role("group", name=FIRST).get_by_label("4 eens", exact=True).check()
    drafts = "Object.keys(localStorage).filter(k => k.startsWith('gw-survey:')).length"
    assert page.evaluate(drafts) == 1
    page.goto(f"/scholen/{cast.school.pk}/")  # another page: its logout button clears them too
    with page.expect_navigation():
        page.get_by_role("button", name="Uitloggen").click()
    assert page.evaluate(drafts) == 0


def test_the_board_reads_the_schools_averages(browser_cast, page):
    """The board's Opbrengsten page: De Regenboog reached its minimum and shows its averages; De Horizon had four
    respondents and shows none; the board total counts the shown school only."""
    from outcomes import services

    cast = browser_cast
    shown = services.do_open_survey(
        school=cast.school, kind="jaarlijks", school_year="2026-2027", acting_user=cast.kartrekker
    )
    submit_all(shown, add_team(cast.school, 5), value="4")
    services.do_close_survey(survey=shown, acting_user=cast.kartrekker)
    hidden = services.do_open_survey(
        school=cast.sister_school, kind="jaarlijks", school_year="2026-2027", acting_user=cast.kartrekker
    )
    submit_all(hidden, add_team(cast.sister_school, 4, prefix="horizon"), value="1")
    services.do_close_survey(survey=hidden, acting_user=cast.kartrekker)

    login(page, cast.board_member)
    page.goto(f"/besturen/{cast.board.pk}/")
    page.get_by_role("link", name=re.compile("^Opbrengsten: competentie, klasklimaat en welzijn van de teams")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Opbrengsten van de scholen")
    expect(page.get_by_text("Eigen metingen van de teams, geen effectonderzoek.")).to_be_visible()
    expect(page.get_by_role("heading", level=2)).to_have_text("Schooljaar 2026-2027")
    table = page.get_by_role("table", name="Gemiddelde van 1 (helemaal oneens) tot 5 (helemaal eens)")
    expect(table.get_by_role("row", name=re.compile("^De Horizon"))).to_contain_text(
        "te weinig deelnemers: geen resultaten"
    )
    expect(table.get_by_role("row", name=re.compile("^De Regenboog")).get_by_role("cell").first).to_have_text("4,0")
    expect(
        table.get_by_role("row", name=re.compile(r"^Bestuur \(getoonde scholen\)")).get_by_role("cell").first
    ).to_have_text("4,0")
    check_a11y(page, "opbrengsten van het bestuur")
    page.get_by_role("link", name="De Regenboog").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Opbrengsten: resultaten")


def test_own_questions_added_and_retired_by_keyboard(browser_cast, page):
    """The kartrekker adds an own question and retires it with the keyboard only (Tab, typing, Space, arrow keys,
    Enter; the confirmation is the browser's own dialog)."""
    from outcomes.models import OwnItem

    cast = browser_cast
    text = "Ik weet bij wie ik terecht kan als een leerling vastloopt."
    login(page, cast.kartrekker)
    page.goto(f"/scholen/{cast.school.pk}/opbrengsten/")
    focused = "document.activeElement && document.activeElement"
    tab_until(page, f"{focused}.textContent.trim() === 'Eigen vragen van de school (0 op de lijst)'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Eigen vragen van de school")
    expect(page.get_by_text("Nog geen eigen vragen.")).to_be_visible()
    check_a11y(page, "eigen vragen, leeg")

    # Sent empty first: the Dutch errors, announced.
    tab_until(page, f"{focused}.type === 'submit' && {focused}.textContent.trim() === 'Toevoegen'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Schrijf de vraag op.")
    expect(page.get_by_role("alert")).to_contain_text("Kies een onderdeel.")
    check_a11y(page, "eigen vragen met fouten")

    tab_until(page, f"{focused}.name === 'text'")
    page.keyboard.type(text)
    page.keyboard.press("Tab")  # into the radio group: its first option
    expect(page.get_by_label("Competentie", exact=True)).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.get_by_label("Werkbalans en welzijn", exact=True)).to_be_checked()
    tab_until(page, f"{focused}.type === 'submit' && {focused}.textContent.trim() === 'Toevoegen'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("De vraag staat op de lijst")
    on_list = page.get_by_role("region", name="Op de lijst")
    expect(on_list.get_by_role("listitem")).to_have_text(re.compile(re.escape(text) + r" \(Werkbalans en welzijn\)"))
    item = OwnItem.objects.get(school=cast.school)
    assert (item.text, item.group, item.retired_at) == (text, "welzijn", None)
    check_a11y(page, "eigen vragen, een op de lijst")

    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    tab_until(page, f"{focused}.type === 'submit' && {focused}.textContent.trim().startsWith('Intrekken')")
    # the button's name says which question (a visually hidden part; Chromium puts a space before its colon)
    expect(page.get_by_role("button", name=re.compile(r"^Intrekken ?: " + re.escape(text)))).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert dialogs == ["Deze vraag van de lijst halen?"]
    expect(page.get_by_role("status").first).to_contain_text("De vraag is ingetrokken.")
    expect(page.get_by_role("heading", level=3, name="Ingetrokken")).to_be_visible()
    expect(page.get_by_text("Nog geen eigen vragen.")).to_be_visible()
    item.refresh_from_db()
    assert item.retired_at is not None
    check_a11y(page, "eigen vragen, ingetrokken")
