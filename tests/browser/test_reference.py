"""Naslag in the browser: from the school page to the estimate (keyboard only), storing the pupil count,
live search, every topic page with axe-core, print view, and the search without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from organisations.models import School
from reference.content import TOPIC_SLUGS, load_topic

from .helpers import check_a11y, login

pytestmark = pytest.mark.browser


def test_estimate_for_our_school_with_the_keyboard(browser_cast, page):
    cast = browser_cast
    login(page, cast.kartrekker)
    page.goto(f"/scholen/{cast.school.pk}/")
    page.get_by_role("link", name="Wat betekent dit voor onze school?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wat betekent dit voor onze school?")
    expect(page.get_by_text("Dit is een schatting uit onderzoek, geen gegeven over jullie leerlingen.")).to_be_visible()
    expect(page.get_by_text("nog niet ingevuld")).to_be_visible()
    check_a11y(page, "schatting zonder aantal")

    # Try a number: keyboard only, Enter submits the GET form; nothing is stored.
    page.locator("#id_leerlingen").focus()
    page.keyboard.type("200")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Schatting voor 200 leerlingen"))).to_be_visible()
    expect(page.get_by_text("Naar schatting tussen 64 en 176 van de 200 leerlingen.")).to_be_visible()
    check_a11y(page, "schatting voor 200 leerlingen")
    assert School.objects.get(pk=cast.school.pk).pupil_count is None

    # A wrong number: a Dutch error, no estimate.
    page.locator("#id_leerlingen").fill("-3")
    page.locator("#id_leerlingen").press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Het aantal leerlingen is minstens 1.")
    expect(page.get_by_text("Naar schatting")).to_have_count(0)
    check_a11y(page, "fout aantal")

    # The kartrekker stores the number on the school (Tab to the button, Enter).
    page.locator("#id_pupil_count").fill("240")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Opslaan bij de school")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("Het aantal leerlingen is opgeslagen bij de school.")
    expect(page.get_by_text("Naar schatting tussen 76 en 212 van de 240 leerlingen.")).to_be_visible()
    assert School.objects.get(pk=cast.school.pk).pupil_count == 240
    check_a11y(page, "schatting na opslaan")


def test_a_teamlid_sees_the_estimate_but_cannot_store(browser_cast, page, server_paused):
    cast = browser_cast
    with server_paused():
        School.objects.filter(pk=cast.school.pk).update(education_type="vo", pupil_count=900)
    login(page, cast.teamlid)
    page.goto(f"/scholen/{cast.school.pk}/naslag/wat-betekent-dit/")
    expect(
        page.get_by_text("Het handboek en de artikelen hebben geen cijfers voor Voortgezet onderwijs.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Opslaan bij de school")).to_have_count(0)
    check_a11y(page, "schatting voortgezet onderwijs")


def test_naslag_search_topics_and_print(browser_cast, page):
    cast = browser_cast
    login(page, cast.teamlid)
    page.goto(f"/scholen/{cast.school.pk}/")
    page.get_by_role("link", name=re.compile("^Naslag:")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Naslag")
    check_a11y(page, "naslag")

    # Live results while typing (htmx), without pressing Enter; accents do not matter.
    page.get_by_role("searchbox", name="Zoeken in de naslag").press_sequentially("geindiceerd", delay=20)
    results = page.locator("#zoekresultaten")
    expect(results.get_by_role("heading")).to_contain_text("voor ‘geindiceerd’")
    expect(results.locator("mark").first).to_have_text("geïndiceerd")
    assert "q=geindiceerd" in page.url
    check_a11y(page, "zoekresultaten")
    results.get_by_role("link", name=re.compile("Piramidemodel")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Piramidemodel")
    assert page.url.endswith("#derdegraads")

    for slug in TOPIC_SLUGS:
        topic = load_topic(slug)
        page.goto(f"/naslag/{slug}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(topic.title)
        expect(page.get_by_role("complementary", name="Bron")).to_contain_text("versie 2")
        check_a11y(page, f"naslag {slug}")

    # Print: no navigation, no buttons, the citation stays.
    page.goto("/naslag/screeningsinstrumenten/")
    page.emulate_media(media="print")
    expect(page.locator(".gw-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Afdrukken")).to_be_hidden()
    expect(page.get_by_role("complementary", name="Bron")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Utrechtse Coping Lijst")
    page.emulate_media(media="screen")


def test_search_works_without_javascript(browser_cast, new_context):
    page = new_context(java_script_enabled=False).new_page()
    login(page, browser_cast.werkgroeplid)
    page.goto("/naslag/")
    page.get_by_role("searchbox", name="Zoeken in de naslag").fill("CREËREN")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator("#zoekresultaten mark").first).to_have_text(re.compile("^creëren$", re.IGNORECASE))
    expect(page.locator("#zoekresultaten")).to_contain_text("resultaten voor ‘CREËREN’")
    # No axe here: axe-core needs JavaScript. The same page is checked with it in the test above.
