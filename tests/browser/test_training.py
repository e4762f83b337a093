"""The team training in the browser: the kartrekker makes the plan from Tabel 4.1, forms a group,
registers attendance with the keyboard, sees who missed what, prepares a werkmoment; a teamlid
signs up for a topic. axe-core runs on every page of the app."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from training.models import Attendance, TrainingGroup, TrainingPlan, TrainingSession

from .helpers import check_a11y, login

pytestmark = pytest.mark.browser


def test_training_plan_attendance_and_werkmoment(browser_cast, new_context):
    cast = browser_cast
    school = cast.school
    page = new_context().new_page()
    login(page, cast.kartrekker)

    # A plan for 2026-2027 from Tabel 4.1 ----------------------------------------------------------------------
    page.goto(f"/scholen/{school.pk}/")
    check_a11y(page, "school met teamtraining")
    page.get_by_role("link", name="Naar de teamtraining").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Teamtraining TSO")
    check_a11y(page, "teamtraining")
    with page.expect_navigation():
        page.get_by_role("link", name="Nieuw trainingsplan maken").click()
    check_a11y(page, "nieuw trainingsplan")
    page.get_by_label("Schooljaar (beginjaar)").fill("99999")
    page.get_by_role("button", name="Trainingsplan maken").click()
    expect(page.get_by_role("alert")).to_contain_text("Kies een schooljaar tot en met 2099.")
    check_a11y(page, "trainingsplan met fout")
    page.get_by_label("Schooljaar (beginjaar)").fill("2026")
    page.get_by_role("button", name="Trainingsplan maken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("schooljaar 2026-2027")
    check_a11y(page, "trainingsplan")
    plan = TrainingPlan.objects.get(school=school, school_year=2026)
    assert plan.sessions.count() == 9
    expect(page.get_by_role("link", name="Werkmoment 1")).to_be_visible()

    # A training group with one trainer: a warning ----------------------------------------------------------
    with page.expect_navigation():
        page.get_by_role("link", name="Trainingsgroep toevoegen").click()
    check_a11y(page, "trainingsgroep")
    page.get_by_label("Naam van de groep").fill("Onderbouw")
    page.get_by_role("group", name="Trainers").get_by_label("Tom Trainer").check()
    members = page.get_by_role("group", name="Deelnemers")
    for name in ("Tina Teamlid", "Wim Werkgroep", "Karel Kartrekker"):
        members.get_by_label(name).check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("het handboek adviseert 2 trainers per groep").first).to_be_visible()
    group = TrainingGroup.objects.get(plan=plan)
    assert group.members.count() == 3 and list(group.trainers.all()) == [cast.trainer]

    # Attendance for module 1 (the whole team), with the keyboard -------------------------------------------------
    with page.expect_navigation():
        page.get_by_role("link", name="Module 1", exact=True).click()
    check_a11y(page, "sessie module 1")
    page.get_by_role("link", name="Aanwezigheid registreren").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aanwezigheid: Module 1")
    check_a11y(page, "aanwezigheid")
    first = page.get_by_role("group", name="Karel Kartrekker").get_by_label("Nog niet ingevuld")
    first.focus()
    page.keyboard.press("ArrowRight")  # Karel: aanwezig
    page.keyboard.press("Tab")  # Sara's group
    page.keyboard.press("ArrowRight")  # aanwezig
    page.keyboard.press("Tab")  # Tina
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # afwezig
    page.keyboard.press("Tab")  # Wim
    page.keyboard.press("ArrowLeft")  # wraps to afgemeld
    expect(page.get_by_role("group", name="Tina Teamlid").get_by_label("Afwezig")).to_be_checked()
    page.get_by_role("button", name="Aanwezigheid opslaan").click()
    expect(page.get_by_role("status").first).to_contain_text("De aanwezigheid is opgeslagen.")
    module1 = plan.sessions.get(kind="module1")
    marks = dict(Attendance.objects.filter(session=module1).values_list("user__name", "status"))
    assert marks == {
        "Karel Kartrekker": "aanwezig",
        "Sara Schoolleider": "aanwezig",
        "Tina Teamlid": "afwezig",
        "Wim Werkgroep": "afgemeld",
    }
    expect(page.get_by_text("2 aanwezig, 1 afwezig, 1 afgemeld (van 4)")).to_be_visible()

    # Who missed what -------------------------------------------------------------------------------------------
    page.goto(f"/scholen/{school.pk}/teamtraining/{plan.pk}/gemist/")
    check_a11y(page, "gemist en inhalen")
    missed = page.get_by_role("table", name="Gemiste sessies per persoon")
    expect(missed.get_by_role("row", name=re.compile("Tina Teamlid"))).to_contain_text("Afwezig")
    expect(missed.get_by_role("row", name=re.compile("Wim Werkgroep"))).to_contain_text("Afgemeld")

    # A werkmoment: agenda, topics and the reflection questions -----------------------------------------------------
    werkmoment = plan.sessions.get(kind="werkmoment3")
    page.goto(f"/scholen/{school.pk}/teamtraining/sessies/{werkmoment.pk}/")
    expect(page.get_by_text("Verdieping op basis van input (45 min)")).to_be_visible()
    page.get_by_label("Nieuw onderwerp").fill("Time-in")
    page.get_by_role("button", name="Onderwerp toevoegen").click()
    expect(page.get_by_text("Het onderwerp is toegevoegd.")).to_be_visible()
    page.get_by_role("button", name="Reflectievragen mailen naar het hele team").click()
    expect(page.get_by_text("De reflectievragen gaan naar 4 mensen", exact=False)).to_be_visible()
    expect(page.get_by_text(re.compile("door Karel Kartrekker, naar 4 mensen"))).to_be_visible()
    check_a11y(page, "werkmoment")
    assert TrainingSession.objects.get(pk=werkmoment.pk).reflection_sent_by == cast.kartrekker

    # Edit a session --------------------------------------------------------------------------------------------------
    with page.expect_navigation():
        page.get_by_role("link", name="Sessie wijzigen").click()
    check_a11y(page, "sessie wijzigen")
    page.get_by_label("Locatie").fill("Teamkamer")
    page.get_by_label("Trainingsgroep").select_option(label="Onderbouw")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De sessie is bijgewerkt.")).to_be_visible()
    werkmoment.refresh_from_db()
    assert werkmoment.location == "Teamkamer" and werkmoment.group == group

    # A teamlid signs up for the topic ---------------------------------------------------------------------------------
    other = new_context().new_page()
    login(other, cast.teamlid)
    other.goto(f"/scholen/{school.pk}/teamtraining/sessies/{werkmoment.pk}/")
    other.get_by_role("button", name="Intekenen op Time-in").click()
    expect(other.get_by_text("jij doet mee")).to_be_visible()
    check_a11y(other, "werkmoment als teamlid")
    other.goto(f"/scholen/{school.pk}/")
    expect(other.get_by_text(re.compile("Module 1 .*Afwezig"))).to_be_visible()
    assert werkmoment.topics.get().signups.filter(pk=cast.teamlid.pk).exists()

    # Add a session, then remove one with confirmation ----------------------------------------------------------------
    page.goto(f"/scholen/{school.pk}/teamtraining/{plan.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Sessie toevoegen").click()
    check_a11y(page, "sessie toevoegen")
    page.get_by_label("Titel").fill("Inhaalmiddag module 1")
    page.get_by_label("Datum").fill("2026-12-15")
    page.get_by_label("Begintijd").fill("13:00")
    page.get_by_label("Eindtijd").fill("12:00")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("De eindtijd moet na de begintijd liggen.")
    expect(page.get_by_label("Titel")).to_have_value("Inhaalmiddag module 1")
    page.get_by_label("Eindtijd").fill("16:15")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inhaalmiddag module 1")
    page.get_by_role("link", name="Sessie wijzigen").click()
    page.get_by_role("link", name="Deze sessie verwijderen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sessie verwijderen?")
    check_a11y(page, "sessie verwijderen")
    page.get_by_role("button", name="Ja, verwijderen").click()
    expect(page.get_by_text("De sessie is verwijderd.")).to_be_visible()
    assert not TrainingSession.objects.filter(title="Inhaalmiddag module 1").exists()
    assert plan.sessions.count() == 9

    # Remove the group: its werkmoment goes to the whole team -------------------------------------------------------
    page.goto(f"/scholen/{school.pk}/teamtraining/{plan.pk}/")
    page.get_by_role("link", name="Groep Onderbouw verwijderen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trainingsgroep Onderbouw verwijderen?")
    expect(page.get_by_role("radio", name="Naar het hele team")).to_be_checked()
    check_a11y(page, "trainingsgroep verwijderen")
    page.get_by_role("button", name="Ja, verwijderen").click()
    expect(page.get_by_text("Trainingsgroep Onderbouw is verwijderd.")).to_be_visible()
    expect(page.get_by_text("1 sessie is nu voor het hele team.")).to_be_visible()
    werkmoment.refresh_from_db()
    assert werkmoment.group is None and not TrainingGroup.objects.filter(plan=plan).exists()
