"""Nuance in the consensus meeting in the browser (issue 13): the organiser records an accent's agreement as a phase
range ("fase 2-3") with what the team saw differently, by keyboard only, next to what the round before agreed
("Vorige keer"); then, turning a closed round's priorities into goals, carries a goal of an earlier year over.
axe-core on each state."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from actionplans.models import Goal, PlanChange
from assessments.models import ConsensusItem
from tests.factories import agree_priorities, make_action, make_goal

from .helpers import by_id, check_a11y, login

pytestmark = pytest.mark.browser

DIFFERENCES = "De onderbouw ziet al fase 3, de bovenbouw nog fase 2."


def tab_to(page, selector: str, limit: int = 120):
    """Press Tab until the element matching ``selector`` has the focus (keyboard only, no clicks)."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    pytest.fail(f"{selector} is niet met Tab te bereiken op {page.url}", pytrace=False)


def test_a_phase_range_and_the_differences_by_keyboard(browser_cast, page):
    cast = browser_cast
    agree_priorities(cast.closed_round, {"1.1": 1}, phase=2, next_steps="Samen verder")  # last time, on 1.1
    round_ = cast.consensus_round
    login(page, cast.kartrekker)
    page.goto(f"/scholen/{cast.school.pk}/rondes/{round_.pk}/consensus/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Consensusgesprek")
    block = page.locator(by_id("accent-1.1"))  # layer 1 is open: no accent in it has an agreed phase yet
    previous = block.locator(".gw-previous")
    expect(previous).to_contain_text("Vorige keer (Afgesloten ronde):")
    expect(previous).to_contain_text("fase 2, prioriteit 1.")
    expect(previous).to_contain_text("Afgesproken volgende stap: Samen verder 1.1")
    expect(page.locator(".gw-previous")).to_have_count(1)  # only where the last round agreed something
    check_a11y(page, "consensusgesprek met vorige keer")

    # Tab into the phase group: the checked option ("Nog niet bepaald") has the focus; arrows move and choose.
    tab_to(page, '[id="accent-1.1"] input[name="phase"]:checked')
    page.keyboard.press("ArrowRight")  # round to Fase 1
    page.keyboard.press("ArrowRight")  # Fase 2
    expect(block.get_by_role("radio", name="Fase 2")).to_be_checked()
    expect(block.get_by_role("radio", name="Fase 2")).to_be_focused()
    page.keyboard.press("Tab")
    phase_to = block.get_by_label("Lopen fases door elkaar? Tot en met groeifase")
    expect(phase_to).to_be_focused()
    page.keyboard.press("ArrowDown")  # "Nee, één fase" → 2
    page.keyboard.press("ArrowDown")  # → 3
    expect(phase_to).to_have_value("3")
    page.keyboard.press("Tab")
    differences = block.get_by_label("Wat we verschillend zagen")
    expect(differences).to_be_focused()
    page.keyboard.type(DIFFERENCES)
    tab_to(page, '[id="accent-1.1"] button[type="submit"]')
    with page.expect_response(re.compile(r"/consensus/1\.1/$")) as response:
        page.keyboard.press("Enter")
    assert response.value.status == 200
    # htmx swapped the block in place: saved, the range in its heading, the context still there.
    block = page.locator(by_id("accent-1.1"))
    expect(block.get_by_role("status")).to_have_text("✓ Vastgelegd.")
    expect(block.get_by_role("heading", level=3)).to_contain_text("afgesproken: fase 2-3")
    expect(block.get_by_label("Wat we verschillend zagen")).to_have_value(DIFFERENCES)
    expect(block.get_by_label("Lopen fases door elkaar? Tot en met groeifase")).to_have_value("3")
    expect(block.locator(".gw-previous")).to_contain_text("Vorige keer (Afgesloten ronde):")
    assert page.url.endswith("/consensus/")  # no page navigation
    item = ConsensusItem.objects.get(round=round_, accent_code="1.1")
    assert (item.phase, item.phase_to, item.differences, item.phase_label) == (2, 3, DIFFERENCES, "2-3")
    check_a11y(page, "consensusgesprek na vastleggen van fase 2-3")

    # A reload shows the same: the range and the differences are stored, not only on the page.
    page.reload()
    block = page.locator(by_id("accent-1.1"))  # layer 1 still open: its other accents have no phase yet
    expect(block.get_by_role("heading", level=3)).to_contain_text("afgesproken: fase 2-3")
    expect(block.get_by_label("Wat we verschillend zagen")).to_have_value(DIFFERENCES)


def test_a_goal_of_an_earlier_year_carried_over(browser_cast, page):
    cast = browser_cast
    k = cast.kartrekker
    agree_priorities(cast.closed_round, {"3B.1": 1})
    earlier = make_goal(cast.school, k, "Rust in de klas", "3B", accent_code="3B.1")
    make_action(cast.school, k, "Rustplek", goal=earlier, layer_code="3B")  # an open action: not finished
    kept = make_goal(cast.school, k, "Ouders betrekken", "3A", accent_code="3A.3", term="lang")

    login(page, k)
    page.goto(f"/scholen/{cast.school.pk}/actieplan/uit-ronde/{cast.closed_round.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Van prioriteiten naar doelen: Afgesloten ronde")
    carry = page.get_by_role("region", name="Doelen uit eerdere jaren meenemen")
    expect(carry.get_by_role("checkbox")).to_have_count(2)
    expect(carry).to_contain_text("0 van 1 actie afgerond")
    check_a11y(page, "van prioriteiten naar doelen, met doelen uit eerdere jaren")

    # Sent without a choice: the Dutch error at the group, nothing changes.
    tab_to(page, 'button:text-is("Gekozen doelen meenemen")')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(carry.get_by_role("alert").last).to_contain_text("Kies minstens één doel om mee te nemen.")
    assert Goal.objects.get(pk=earlier.pk).source_round_id is None
    check_a11y(page, "doelen meenemen zonder keuze")

    tab_to(page, f'input[name="goals"][value="{earlier.pk}"]')
    page.keyboard.press("Space")
    expect(carry.get_by_role("checkbox", name="Rust in de klas")).to_be_checked()
    tab_to(page, 'button:text-is("Gekozen doelen meenemen")')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("1 doelen meegenomen naar deze ronde.")
    check_a11y(page, "actieplan na meenemen")
    goal = Goal.objects.get(pk=earlier.pk)
    assert goal.source_round_id == cast.closed_round.pk and goal.priority == 1
    assert PlanChange.objects.filter(goal=goal, kind="carried_over").exists()
    assert Goal.objects.get(pk=kept.pk).source_round_id is None  # not ticked: unchanged
