"""From the consensus priorities to a living action plan, as the werkgroep does it in the browser:
goals → actions (from a handbook suggestion) → steps ticked → a werkgroep meeting with minutes → exports of the
plan and of the round (whose report now shows the goals and actions that followed). The consensus meeting itself is
in test_cycle, which ends by turning its priorities into goals."""

from __future__ import annotations

import datetime
import io
import re

import docx
import openpyxl
import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from actionplans.models import Action, ActionUpdate, Goal, Meeting
from tests.factories import agree_priorities

from .helpers import check_a11y, login

pytestmark = pytest.mark.browser


def test_from_priorities_to_meeting_and_export(browser_cast, new_context, server_paused):
    cast = browser_cast
    school = cast.school
    with server_paused():
        agree_priorities(cast.closed_round, {"3B.2": 1, "1.1": 2, "2.3": 3})

    page = new_context(accept_downloads=True).new_page()
    login(page, cast.kartrekker)

    # The round's result leads to the plan; the priorities become goals ------------------------------------
    page.goto(f"/scholen/{school.pk}/rondes/{cast.closed_round.pk}/resultaat/")
    page.get_by_role("link", name=re.compile("Doelen maken")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Van prioriteiten naar doelen")
    check_a11y(page, "van prioriteiten naar doelen")
    third = page.get_by_role("group", name=re.compile("Prioriteit 3"))
    third.get_by_role("checkbox", name="Overnemen als doel").uncheck()
    first = page.get_by_role("group", name=re.compile("Prioriteit 1"))
    first.get_by_label("Ontwikkeldoel").fill("Elke klas heeft een rustige plek")
    page.get_by_role("button", name="Doelen toevoegen aan het actieplan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Actieplan TSO")
    expect(page.get_by_role("status").first).to_contain_text("2 doelen toegevoegd")
    check_a11y(page, "actieplan")
    assert Goal.objects.filter(school=school).count() == 2

    # A goal, then an action from the handbook's suggestions -------------------------------------------------
    page.get_by_role("link", name="Elke klas heeft een rustige plek", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Elke klas heeft een rustige plek")
    check_a11y(page, "doel")
    with page.expect_navigation():
        page.get_by_role("link", name="Actiepunt toevoegen").click()
    check_a11y(page, "actiepunt toevoegen")
    # Coming from the goal, its layer's suggestions are open; picking one keeps the goal.
    page.get_by_role("link", name="Inrichten van rustruimtes in de school").click()
    expect(page.get_by_label("Actiepunt")).to_have_value("Inrichten van rustruimtes in de school")
    goal = Goal.objects.get(title="Elke klas heeft een rustige plek")
    expect(page.get_by_label("Bij welk doel?")).to_have_value(str(goal.pk))
    page.get_by_label("Welke stappen zijn er?").fill("Plek kiezen\nKussens kopen\nAfspraken met de klas")
    page.get_by_label("Wie is verantwoordelijk?").select_option(label="Tina Teamlid")
    page.get_by_label("Wanneer afgerond?").fill("2027-02-01")
    page.get_by_label("Hoe wordt uitvoering gemonitord?").fill("Rondgang in de werkgroep")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inrichten van rustruimtes in de school")
    check_a11y(page, "actiepunt")
    action = Action.objects.get(title="Inrichten van rustruimtes in de school")
    assert action.suggestion_code and action.goal == goal and action.owner == cast.teamlid

    # Tick a step (htmx) with the keyboard, and write an update ------------------------------------------------
    step = page.get_by_role("button", name=re.compile("Plek kiezen"))
    step.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name=re.compile("Plek kiezen"))).to_have_attribute("aria-pressed", "true")
    assert action.steps.get(text="Plek kiezen").is_done
    page.get_by_label("Nieuwe update").fill("Twee plekken gevonden.")
    page.get_by_role("button", name="Update toevoegen").click()
    expect(page.get_by_text("Twee plekken gevonden.")).to_be_visible()
    expect(page.get_by_role("heading", name="Geschiedenis")).to_be_visible()

    # A werkgroep meeting: agenda from the plan, minutes saved as they are typed -----------------------------
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Actieplan").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Bijeenkomst plannen").click()
    check_a11y(page, "bijeenkomst plannen")
    today = datetime.date.today()
    page.get_by_label("Datum").fill(today.isoformat())
    page.get_by_label("Begintijd").fill("15:30")
    page.get_by_label("Eindtijd").fill("17:00")
    page.get_by_label("Locatie").fill("Teamkamer")
    page.get_by_label("Voorzitter").select_option(label="Karel Kartrekker")
    page.get_by_label("Notulist").select_option(label="Wim Werkgroep")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bijeenkomst werkgroep TSO")
    expect(page.get_by_role("heading", name=re.compile("Loopt|Veranderd"))).not_to_have_count(0)
    check_a11y(page, "bijeenkomst")
    page.get_by_role("textbox", name="Notulen").fill("Rustplekken besproken. Tina regelt kussens.")
    expect(page.locator("#minutes-status-text")).to_contain_text("Opgeslagen om")
    meeting = Meeting.objects.get(school=school)
    assert meeting.minutes == "Rustplekken besproken. Tina regelt kussens."
    item = page.locator(f"#action-{action.pk}")
    item.get_by_text("Update schrijven").click()
    item.get_by_label("Nieuwe update").fill("Besproken in de werkgroep.")
    item.get_by_role("button", name=re.compile("Update toevoegen")).click()
    expect(page.get_by_role("heading", name="Updates uit deze bijeenkomst")).to_be_visible()
    assert ActionUpdate.objects.filter(action=action, meeting=meeting).count() == 1

    # The plan shows the meeting as current; exports open with the reading libraries -------------------------
    page.get_by_role("link", name="Terug naar het actieplan").click()
    expect(page.get_by_role("row", name=re.compile("Huidige bijeenkomst"))).to_contain_text("Teamkamer")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Actieplan (Word)").click()
    document = docx.Document(io.BytesIO(download_info.value.path().read_bytes()))
    text = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "Inrichten van rustruimtes in de school" in text
    assert "Tina Teamlid" in text and "Teamkamer" in text
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Actieplan (Excel)").click()
    workbook = openpyxl.load_workbook(io.BytesIO(download_info.value.path().read_bytes()))
    titles = [c.value for row in workbook.worksheets[0].iter_rows() for c in row]
    assert "Inrichten van rustruimtes in de school" in titles

    # The round's own exports now carry what followed: the goals and their actions ---------------------------
    page.goto(f"/scholen/{school.pk}/rondes/{cast.closed_round.pk}/resultaat/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Resultaat")
    check_a11y(page, "resultaat met vervolg")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Rapport (PDF)").click()
    pdf = PdfReader(io.BytesIO(download_info.value.path().read_bytes()))
    pdf_text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pdf.pages))
    assert "Elke klas heeft een rustige plek" in pdf_text and "Inrichten van rustruimtes in de school" in pdf_text
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Gespreksformulier (Word)").click()
    form = docx.Document(io.BytesIO(download_info.value.path().read_bytes()))
    form_text = "\n".join(cell.text for table in form.tables for row in table.rows for cell in row.cells)
    assert "3B.2" in form_text
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Overzicht (Excel)").click()
    overview = openpyxl.load_workbook(io.BytesIO(download_info.value.path().read_bytes()))
    assert "Consensus" in overview.sheetnames

    # The other plan pages pass axe too ---------------------------------------------------------------------
    for path, label in [
        (f"/scholen/{school.pk}/actieplan/mijn-acties/", "mijn actiepunten"),
        (f"/scholen/{school.pk}/actieplan/prullenbak/", "prullenbak"),
        (f"/scholen/{school.pk}/actieplan/doelen/{goal.pk}/wijzigen/", "doel wijzigen"),
        (f"/scholen/{school.pk}/actieplan/acties/{action.pk}/wijzigen/", "actiepunt wijzigen"),
        (f"/scholen/{school.pk}/actieplan/acties/{action.pk}/verwijderen/", "actiepunt verwijderen"),
        (f"/scholen/{school.pk}/actieplan/bijeenkomsten/{meeting.pk}/wijzigen/", "bijeenkomst wijzigen"),
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        check_a11y(page, label)


def test_two_editors_same_action_see_both_versions(browser_cast, new_context, server_paused):
    """Two werkgroep members edit the same action: the later save is refused and shows both versions."""
    from tests.factories import make_action

    cast = browser_cast
    with server_paused():
        action = make_action(cast.school, cast.kartrekker, "Meldcode bespreken", layer_code="3A")
    edit = f"/scholen/{cast.school.pk}/actieplan/acties/{action.pk}/wijzigen/"
    karel = new_context().new_page()
    login(karel, cast.kartrekker)
    karel.goto(edit)
    wim = new_context().new_page()
    login(wim, cast.werkgroeplid)
    wim.goto(edit)
    wim.get_by_label("Actiepunt").fill("Meldcode bespreken in maart")
    wim.get_by_role("button", name="Opslaan").click()
    expect(wim.get_by_role("heading", level=1)).to_have_text("Meldcode bespreken in maart")
    karel.get_by_label("Actiepunt").fill("Meldcode en aandachtsfunctionaris")
    karel.get_by_role("button", name="Opslaan").click()
    expect(karel.get_by_role("alert").first).to_contain_text("Iemand anders heeft dit intussen opgeslagen")
    table = karel.get_by_role("table", name="Verschillen tussen de opgeslagen versie en jouw invoer")
    expect(table).to_contain_text("Meldcode bespreken in maart")
    expect(table).to_contain_text("Meldcode en aandachtsfunctionaris")
    expect(karel.get_by_label("Actiepunt")).to_have_value("Meldcode en aandachtsfunctionaris")
    check_a11y(karel, "bewerkconflict")
    assert Action.objects.get(pk=action.pk).title == "Meldcode bespreken in maart"
    karel.get_by_role("button", name="Opslaan").click()  # knowingly: now it counts
    expect(karel.get_by_role("heading", level=1)).to_have_text("Meldcode en aandachtsfunctionaris")


def test_unsaved_action_form_comes_back_after_a_reload(browser_cast, new_context):
    """Nothing lost: what someone typed in a plan form stays in the browser until it is saved."""
    cast = browser_cast
    page = new_context().new_page()
    login(page, cast.werkgroeplid)
    page.goto(f"/scholen/{cast.school.pk}/actieplan/acties/nieuw/")
    page.get_by_label("Actiepunt").fill("Psycho-educatie voor ouders")
    page.get_by_label("Welke stappen zijn er?").fill("Avond plannen\nSpreker vragen")
    page.reload()
    expect(page.get_by_label("Actiepunt")).to_have_value("Psycho-educatie voor ouders")
    expect(page.get_by_label("Welke stappen zijn er?")).to_have_value("Avond plannen\nSpreker vragen")
    expect(page.get_by_role("status").filter(has_text="teruggezet")).to_be_visible()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Psycho-educatie voor ouders")
    page.goto(f"/scholen/{cast.school.pk}/actieplan/acties/nieuw/")
    expect(page.get_by_label("Actiepunt")).to_have_value("")  # saved: the browser's copy is gone
