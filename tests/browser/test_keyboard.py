"""Filling in with the keyboard only: Tab, Shift+Tab, arrow keys, Space, typing and Enter."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Answer

from .helpers import login

pytestmark = pytest.mark.browser


def focused_matches(page, selector: str) -> bool:
    return page.evaluate("sel => !!document.activeElement && document.activeElement.matches(sel)", selector)


def press_until_focused(page, selector: str, key: str = "Tab", limit: int = 80):
    """Press `key` until the focused element matches `selector` (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press(key)
        if focused_matches(page, selector):
            return
    described = page.evaluate("() => document.activeElement && document.activeElement.outerHTML.slice(0, 120)")
    pytest.fail(f"{key} x{limit} bereikte {selector} niet; focus staat op {described}")


def assert_focus_visible(page, what: str):
    """The focused element shows a focus ring (an outline that is not 'none' and not zero wide)."""
    style = page.evaluate(
        """() => {
            const el = document.activeElement, s = getComputedStyle(el);
            return {style: s.outlineStyle, width: s.outlineWidth, match: el.matches(':focus-visible')};
        }"""
    )
    assert style["match"], f"{what}: :focus-visible geldt niet"
    assert style["style"] != "none" and style["width"] not in ("0px", ""), f"{what}: geen zichtbare focus ({style})"


def checked_value(page, name: str):
    return page.evaluate(f"() => document.querySelector('input[name=\"{name}\"]:checked')?.value ?? null")


def test_fill_in_a_layer_with_the_keyboard_only(browser_cast, page, page_log):
    cast = browser_cast
    round_ = cast.open_round
    login(page, cast.kartrekker)
    page.goto(f"/scholen/{cast.school.pk}/rondes/{round_.pk}/invullen/1/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Groeilaag 1:"))

    # The first Tab reaches the skip link, which shows itself and jumps to the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Direct naar de inhoud")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # 1.1: Tab into the phase choices; Space picks phase 1, two arrow presses move on to phase 3.
    press_until_focused(page, 'input[name="phase-1.1"]')
    assert_focus_visible(page, "groeifase-keuze")
    expect(page.locator('input[name="phase-1.1"]:focus')).to_have_value("1")
    page.keyboard.press("Space")
    assert checked_value(page, "phase-1.1") == "1"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    assert checked_value(page, "phase-1.1") == "3"
    page.keyboard.press("Tab")
    assert focused_matches(page, 'textarea[name="strengths-1.1"]')
    assert_focus_visible(page, "tekstveld")
    page.keyboard.type("Rust in de school")
    # Shift+Tab goes back to the chosen phase (one tab stop per group), Tab twice to the goal.
    page.keyboard.press("Shift+Tab")
    assert focused_matches(page, 'input[name="phase-1.1"][value="3"]')
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused_matches(page, 'textarea[name="goal-1.1"]')
    page.keyboard.type("Meer scholing")

    # 1.2: from the first phase the left arrow wraps around to "weet ik niet".
    page.keyboard.press("Tab")
    assert focused_matches(page, 'input[name="phase-1.2"][value="1"]')
    page.keyboard.press("ArrowLeft")
    assert checked_value(page, "phase-1.2") == "0"
    page.keyboard.press("Tab")
    page.keyboard.type("Nog onbekend")

    # 1.3: Space, then down.
    press_until_focused(page, 'input[name="phase-1.3"]')
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    assert checked_value(page, "phase-1.3") == "2"

    # Enter on "Opslaan en verder" submits.
    press_until_focused(page, 'button[name="go"][value="2"]')
    expect(page.locator(":focus")).to_have_text("Opslaan en verder")
    assert_focus_visible(page, "knop Opslaan en verder")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Groeilaag 2:"))
    expect(page.get_by_role("status").first).to_contain_text("Je antwoorden zijn opgeslagen.")

    participant = round_.participants.get(user=cast.kartrekker)
    stored = {a.accent_code: (a.phase, a.strengths, a.goal) for a in Answer.objects.filter(participant=participant)}
    assert stored == {
        "1.1": (3, "Rust in de school", "Meer scholing"),
        "1.2": (0, "Nog onbekend", ""),
        "1.3": (2, "", ""),
    }

    # Layer 2: Space on the button submits too.
    press_until_focused(page, 'input[name="phase-2.1"]')
    page.keyboard.press("Space")
    press_until_focused(page, 'button[name="go"][value="3A"]')
    with page.expect_navigation():
        page.keyboard.press("Space")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Groeilaag 3A:"))
    assert Answer.objects.get(participant=participant, accent_code="2.1").phase == 1

    page_log.assert_clean()
