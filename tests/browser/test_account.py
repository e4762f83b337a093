"""Mijn gegevens in the browser: from the name in the header to the page, a wrong name kept with a Dutch error,
the name saved; axe-core on each state."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import User

from .helpers import check_a11y, login

pytestmark = pytest.mark.browser


def test_change_my_name(browser_cast, page):
    cast = browser_cast
    login(page, cast.teamlid)
    page.get_by_role("link", name="Tina Teamlid (mijn gegevens)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn gegevens")
    check_a11y(page, "mijn gegevens")
    page.get_by_label("Je naam").fill("   ")
    page.get_by_role("button", name="Naam opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Vul je naam in.")
    check_a11y(page, "mijn gegevens met fout")
    page.get_by_label("Je naam").fill("Tina de Vries")
    page.get_by_role("button", name="Naam opslaan").click()
    expect(page.get_by_text("Je naam is opgeslagen.")).to_be_visible()
    expect(page.get_by_role("link", name="Tina de Vries (mijn gegevens)")).to_be_visible()
    assert User.objects.get(pk=cast.teamlid.pk).name == "Tina de Vries"
