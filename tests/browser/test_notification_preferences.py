"""Mijn gegevens → E-mails die je krijgt in the browser: from Mijn gegevens to the page, one kind switched off and
saved; axe-core on the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from notifications.services import preferences

from .helpers import check_a11y, login

pytestmark = pytest.mark.browser


def test_switch_off_the_weekly_digest(browser_cast, page):
    cast = browser_cast
    login(page, cast.teamlid)
    page.get_by_role("link", name="Tina Teamlid (mijn gegevens)").click()
    page.get_by_role("link", name="Kies welke e-mails je krijgt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("E-mails die je krijgt")
    check_a11y(page, "e-mails die je krijgt")
    digest = page.get_by_label("Elke maandag", exact=False)
    expect(digest).to_be_checked()
    digest.uncheck()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Je keuze van e-mails is opgeslagen.")).to_be_visible()
    expect(page.get_by_label("Elke maandag", exact=False)).not_to_be_checked()
    check_a11y(page, "e-mails die je krijgt, opgeslagen")
    chosen = preferences(cast.teamlid)
    assert chosen["action_digest"] is False and all(v for k, v in chosen.items() if k != "action_digest")
