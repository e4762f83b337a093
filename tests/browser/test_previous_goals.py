"""The plan's goals since the round before, beside "Vorige keer" (issue 13): on the meeting screen and in the
consensus view, axe clean, the link opens the goal in the plan."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import agree_priorities, make_action, make_goal

from .helpers import check_a11y, login

pytestmark = pytest.mark.browser


def test_goals_since_last_time_on_the_meeting_screen_and_the_consensus_view(browser_cast, page, page_log):
    cast = browser_cast
    round_ = cast.consensus_round
    agree_priorities(cast.closed_round, {"1.1": 1})
    goal = make_goal(cast.school, cast.kartrekker, "Elke ochtend een rustig begin", "1", accent_code="1.1")
    make_action(cast.school, cast.kartrekker, "Ochtendritueel", goal=goal, layer_code="1", status="afgerond")
    make_action(cast.school, cast.kartrekker, "Rustige inloop", goal=goal, layer_code="1")
    login(page, cast.kartrekker)

    page.goto(f"/scholen/{cast.school.pk}/rondes/{round_.pk}/presentatie/?accent=1.1")
    expect(page.get_by_text("Doelen in het actieplan sinds de vorige ronde:")).to_be_visible()
    expect(page.get_by_text("(1 van 2 acties afgerond)")).to_be_visible()
    check_a11y(page, "het vergaderscherm met de doelen van vorige keer")

    page.goto(f"/scholen/{cast.school.pk}/rondes/{round_.pk}/consensus/?laag=1")
    section = page.locator("#accent-1\\.1")
    expect(section.get_by_text("Vorige keer (Afgesloten ronde):")).to_be_visible()
    check_a11y(page, "het consensusgesprek met de doelen van vorige keer")
    section.get_by_role("link", name="Elke ochtend een rustig begin").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Elke ochtend een rustig begin")
    page_log.assert_clean()
