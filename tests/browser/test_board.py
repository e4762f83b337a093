"""A board member in the browser: from 'Mijn scholen' to the board's table of schools, then a school's route and
action plan, read-only; axe-core on every page."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from tests.pages.test_board import give_school_a_plan

from .helpers import check_a11y, login

pytestmark = pytest.mark.browser


def test_board_member_follows_the_schools(browser_cast, page):
    cast = browser_cast
    give_school_a_plan(cast.school, cast.kartrekker, today=datetime.date.today())
    login(page, cast.board_member)
    page.goto("/")
    check_a11y(page, "mijn scholen (bestuur)")
    page.get_by_role("link", name=cast.board.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(cast.board.name)
    table = page.get_by_role("table", name=f"De scholen van {cast.board.name}")
    expect(table.get_by_role("rowheader", name="De Regenboog")).to_be_visible()
    expect(table.get_by_text("1 actiepunt te laat")).to_be_visible()
    expect(table.get_by_text("Nog geen traject gepland")).to_be_visible()  # De Horizon
    check_a11y(page, "bestuurspagina")

    table.get_by_role("link", name="Fase 3: Uitvoeren").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Traject TSO")
    expect(page.get_by_text("Startdatum verschuiven")).to_have_count(0)  # read-only
    check_a11y(page, "traject (bestuur)")
    page.go_back()
    page.get_by_role("link", name="2 doelen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Actieplan")
    expect(page.get_by_role("link", name="Doel toevoegen")).to_have_count(0)  # read-only
    check_a11y(page, "actieplan (bestuur)")
