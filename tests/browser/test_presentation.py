"""The projector view of the consensus meeting: arrow keys (and Page Up/Down) move between accents."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .helpers import login

pytestmark = pytest.mark.browser


def test_arrow_keys_move_between_accents(browser_cast, page, page_log):
    cast = browser_cast
    round_ = cast.consensus_round
    accents = round_.model.accents
    login(page, cast.werkgroeplid)
    page.goto(f"/scholen/{cast.school.pk}/rondes/{round_.pk}/presentatie/")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(f"{accents[0].code} {accents[0].name}")
    expect(page.get_by_text(f"accent 1 van {len(accents)}")).to_be_visible()

    def press(key, expected_index):
        a = accents[expected_index]
        with page.expect_navigation(url=re.compile(rf"\?accent={re.escape(a.code)}$")):
            page.keyboard.press(key)
        expect(heading).to_have_text(f"{a.code} {a.name}")
        expect(page.get_by_text(f"accent {expected_index + 1} van {len(accents)}")).to_be_visible()

    press("ArrowRight", 1)
    press("ArrowRight", 2)
    press("ArrowLeft", 1)
    press("PageDown", 2)
    press("ArrowRight", 3)  # across the border between growth layer 1 and 2
    press("PageUp", 2)

    # At the last accent there is no next one: the right arrow stays put.
    last = accents[-1]
    page.goto(f"/scholen/{cast.school.pk}/rondes/{round_.pk}/presentatie/?accent={last.code}")
    expect(heading).to_have_text(f"{last.code} {last.name}")
    page.evaluate("() => { window.__stayed = true; }")
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__stayed === true")
    press("ArrowLeft", len(accents) - 2)
    page_log.assert_clean()


def test_meeting_screen_keyboard_fullscreen_and_axe(browser_cast, page, page_log):
    """The meeting screen: no site menu, axe clean, ArrowRight to the next accent, Escape back to the consensus
    page; in full screen the next accent is swapped in (a page load would end full screen)."""
    from .helpers import check_a11y

    cast = browser_cast
    round_ = cast.consensus_round
    accents = round_.model.accents
    login(page, cast.kartrekker)
    base = f"/scholen/{cast.school.pk}/rondes/{round_.pk}/presentatie/"
    page.goto(base)
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(f"{accents[0].code} {accents[0].name}")
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_have_count(0)
    expect(page.get_by_role("heading", name="Fase 1", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Wat deelnemers schreven")).to_be_visible()
    check_a11y(page, "het vergaderscherm")

    # The per-group toggle (this cast's groups are too small: the page says why, nothing else).
    page.get_by_role("link", name="Verdeling per rolgroep tonen").click()
    expect(page.get_by_text("De verdeling per rolgroep wordt niet getoond")).to_be_visible()
    check_a11y(page, "het vergaderscherm met de rolgroep-keuze")
    page.get_by_role("link", name="Verdeling per rolgroep verbergen").click()
    # Wait until that page has loaded (its link reads "tonen" again), or the key below lands on the old page.
    expect(page.get_by_role("link", name="Verdeling per rolgroep tonen")).to_be_visible()
    page.wait_for_load_state("load")

    # Keyboard: next accent, then Escape back to the consensus page at that accent.
    with page.expect_navigation(url=re.compile(rf"\?accent={re.escape(accents[1].code)}$")):
        page.keyboard.press("ArrowRight")
    expect(heading).to_have_text(f"{accents[1].code} {accents[1].name}")
    # (with the accent's growth layer open: the others are folded, issue 15)
    back = rf"/consensus/\?laag={re.escape(accents[1].layer_code)}#accent-{re.escape(accents[1].code)}$"
    with page.expect_navigation(url=re.compile(back)):
        page.keyboard.press("Escape")
    expect(page.get_by_role("heading", level=1)).to_have_text("Consensusgesprek")

    # Full screen: the button (our own JS, Fullscreen API) and paging without leaving full screen.
    page.goto(base)
    button = page.get_by_role("button", name="Volledig scherm")
    expect(button).to_be_visible()
    button.click()
    page.wait_for_function("() => document.fullscreenElement !== null")
    expect(page.get_by_role("button", name="Volledig scherm verlaten")).to_be_visible()
    page.keyboard.press("ArrowRight")
    expect(heading).to_have_text(f"{accents[1].code} {accents[1].name}")
    page.wait_for_url(re.compile(rf"\?accent={re.escape(accents[1].code)}$"))
    assert page.evaluate("() => document.fullscreenElement !== null")  # still full screen after paging
    page.get_by_role("button", name="Volledig scherm verlaten").click()
    page.wait_for_function("() => document.fullscreenElement === null")
    page_log.assert_clean()
