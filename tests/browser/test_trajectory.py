"""Planning the implementation route in the browser, as the kartrekker does it: set the start of the team
training, assign a step with the keyboard only, tick one off, and take the route to the calendar and to paper."""

from __future__ import annotations

import datetime
import re

import icalendar
import pytest
from playwright.sync_api import expect

from trajectory.models import Step, StepStatus, Trajectory

from .helpers import check_a11y, login

pytestmark = pytest.mark.browser


def test_plan_the_route_and_take_it_to_the_calendar(browser_cast, new_context):
    cast = browser_cast
    school = cast.school
    page = new_context(accept_downloads=True).new_page()
    login(page, cast.kartrekker)

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Traject").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Traject TSO")
    check_a11y(page, "traject nog niet gepland")
    page.get_by_label(re.compile("Wanneer start de teamtraining")).fill("2099-13-01")
    page.get_by_role("button", name="Traject maken").click()
    expect(page.get_by_role("alert")).to_contain_text("Nog niet opgeslagen")
    assert not Trajectory.objects.filter(school=school).exists()
    start = datetime.date.today().replace(day=1) + datetime.timedelta(days=200)
    page.get_by_label(re.compile("Wanneer start de teamtraining")).fill(start.isoformat())
    page.get_by_role("button", name="Traject maken").click()
    expect(page.get_by_role("status").first).to_contain_text("Het traject staat klaar")
    expect(page.get_by_role("heading", name=re.compile("Fase 1: Verkennen"))).to_be_visible()
    check_a11y(page, "traject")
    trajectory = Trajectory.objects.get(school=school)
    assert trajectory.steps.count() == 16

    # The werkgroep is formed three months before the training: give it to Wim, keyboard only ----------------
    page.get_by_role("link", name="Samenstellen werkgroep TSO").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Samenstellen werkgroep TSO")
    expect(page.get_by_text("Werving gemotiveerde leden werkgroep TSO binnen het schoolteam")).to_be_visible()
    check_a11y(page, "stap")
    page.get_by_label("Wie pakt dit op?").focus()
    page.keyboard.type("Wim")  # select by typing, as keyboard users do
    page.keyboard.press("Tab")
    page.get_by_role("textbox", name="Notitie").fill("Wim werft in de teamvergadering")
    page.get_by_role("textbox", name="Notitie").press("Tab")
    page.keyboard.press("Enter")  # the Opslaan button
    expect(page.get_by_role("status").first).to_contain_text("De stap is opgeslagen")
    step = Step.objects.get(trajectory=trajectory, code="werkgroep-samenstellen")
    assert step.owner == cast.werkgroeplid and step.note == "Wim werft in de teamvergadering"

    # The voorgesprek happened: tick it off ---------------------------------------------------------------------
    page.get_by_role("link", name="Het verkennende voorgesprek").first.click()
    page.get_by_label("Gedaan").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status").first).to_contain_text("De stap is opgeslagen")
    assert Step.objects.get(trajectory=trajectory, code="verkennend-voorgesprek").status == StepStatus.DONE

    # The overview for the team, and the calendar file ---------------------------------------------------------
    page.get_by_role("link", name="Overzicht voor het team").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ons traject Traumasensitief Onderwijs")
    check_a11y(page, "overzicht voor het team")
    page.get_by_role("link", name="Terug naar het traject").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="In je agenda (.ics)").click()
    with open(info.value.path(), "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    summaries = {str(e["SUMMARY"]) for e in cal.walk("VEVENT")}
    assert "TSO: Samenstellen werkgroep TSO" in summaries
    assert "TSO: Het verkennende voorgesprek" not in summaries  # done: no longer in the calendar
    with page.expect_download() as info:
        page.get_by_role("link", name="Overzicht (PDF)").click()
    with open(info.value.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"


def test_a_teamlid_ticks_off_their_own_step(browser_cast, new_context, server_paused):
    cast = browser_cast
    with server_paused():
        from trajectory import services

        trajectory = services.do_start_trajectory(
            school=cast.school, training_start=datetime.date(2027, 3, 1), acting_user=cast.kartrekker
        )
        Step.objects.filter(trajectory=trajectory, code="introductiepresentatie").update(owner=cast.teamlid)
    page = new_context().new_page()
    login(page, cast.teamlid)
    page.goto(f"/scholen/{cast.school.pk}/")
    page.get_by_role("link", name="Naar het traject").click()
    page.get_by_role("link", name="Introductiepresentatie voor het schoolteam").first.click()
    expect(page.get_by_role("heading", name="Afvinken of een notitie toevoegen")).to_be_visible()
    expect(page.get_by_label("Wie pakt dit op?")).to_have_count(0)
    check_a11y(page, "eigen stap")
    page.get_by_label("Gedaan").check()
    page.get_by_role("textbox", name="Notitie").fill("Gegeven op de studiedag")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status").first).to_contain_text("De stap is opgeslagen")
    step = Step.objects.get(trajectory=trajectory, code="introductiepresentatie")
    assert step.status == StepStatus.DONE and step.finished_by == cast.teamlid
