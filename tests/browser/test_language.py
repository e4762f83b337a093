"""The English version in the browser (issue 16, part 2): the header's switch used with the keyboard only, on the login
page (before logging in) and on the home page; axe-core on the English pages; the preference stored."""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import expect

from accounts.models import User
from tests.factories import PASSWORD

from .helpers import check_a11y, login
from .test_keyboard import assert_focus_visible, press_until_focused

pytestmark = pytest.mark.browser


def english(text: str) -> str:
    with translation.override("en"):
        return translation.gettext(text)


def test_the_switch_by_keyboard_and_the_english_home_page(browser_cast, page):
    cast = browser_cast
    page.goto("/inloggen/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    press_until_focused(page, 'button[name="language"][value="en"]')
    assert_focus_visible(page, "de taalknop")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(english("Inloggen"))
    check_a11y(page, "the English login page")

    # Logging in: the person's own preference (Dutch) wins over the cookie; switched by keyboard, English stays.
    page.get_by_label(english("E-mailadres")).fill(cast.kartrekker.email)
    page.get_by_label(english("Wachtwoord")).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=english("Inloggen"), exact=True).click()
    assert "/inloggen/" not in page.url
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    press_until_focused(page, 'button[name="language"][value="en"]')
    with page.expect_navigation():
        page.keyboard.press("Space")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert User.objects.get(pk=cast.kartrekker.pk).language == "en"
    expect(
        page.get_by_role("navigation", name=english("Hoofdmenu")).get_by_role("link", name=english("Naslag"))
    ).to_be_visible()
    switch = page.locator('button[name="language"][value="nl"]')
    expect(switch).to_have_text("Nederlands")
    expect(switch).to_have_attribute("lang", "nl")
    check_a11y(page, "the English home page")
    page.reload()  # the preference, not only the page
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_the_english_reference_page_marks_the_handbooks_text_dutch(browser_cast, page):
    cast = browser_cast
    User.objects.filter(pk=cast.teamlid.pk).update(language="en")
    login(page, cast.teamlid)
    page.goto("/naslag/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("[data-handbook-note]")).to_have_count(1)
    check_a11y(page, "the English Naslag")
