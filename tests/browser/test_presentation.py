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
