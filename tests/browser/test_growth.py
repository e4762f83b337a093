"""The growth page in the browser: from the school page to the Ontwikkelmodel over three rounds, by keyboard, then
the board's view of it; axe-core on each."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from assessments.models import ConsensusItem, Round
from tests.pages.test_growth import closed_round

from .helpers import check_a11y, login

pytestmark = pytest.mark.browser


def test_growth_over_three_rounds(browser_cast, page):
    cast = browser_cast
    first = cast.closed_round
    for code in first.model.accent_codes:
        ConsensusItem.objects.update_or_create(round=first, accent_code=code, defaults={"phase": 1})
    Round.objects.filter(pk=first.pk).update(meeting_date=datetime.date(2024, 10, 1))
    closed_round(cast, "Ronde 2025", 2, when=datetime.date(2025, 10, 1))
    closed_round(cast, "Ronde 2026", lambda code: 3 if code == "3A.2" else 2, when=datetime.date(2026, 10, 1))

    login(page, cast.werkgroeplid)
    page.goto(f"/scholen/{cast.school.pk}/")
    link = page.get_by_role("link", name="Groei door de jaren: waar het team per accent uitkwam, ronde na ronde")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Groei door de jaren")
    table = page.get_by_role("table", name="Groeilaag 3A: in welke groeifase elke ronde uitkwam.", exact=False)
    expect(table.get_by_role("row", name="3A.2", exact=False)).to_contain_text("1 → 2 → 3")
    expect(page.get_by_text("Van fase 1 naar fase 3.")).to_be_visible()
    check_a11y(page, "groei (werkgroeplid)")

    page.get_by_role("link", name="Ronde 2025").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ronde 2025")
    expect(page.get_by_role("link", name="Groei door de jaren")).to_be_visible()


def test_the_board_follows_growth(browser_cast, page):
    cast = browser_cast
    for code in cast.closed_round.model.accent_codes:
        ConsensusItem.objects.update_or_create(round=cast.closed_round, accent_code=code, defaults={"phase": 2})
    Round.objects.filter(pk=cast.closed_round.pk).update(meeting_date=datetime.date(2025, 10, 1))
    closed_round(cast, "Ronde 2026", 3, when=datetime.date(2026, 10, 1))
    login(page, cast.board_member)
    page.goto(f"/besturen/{cast.board.pk}/")
    expect(page.get_by_text("15 accenten gegroeid")).to_be_visible()
    check_a11y(page, "bestuurspagina met groei")
    page.get_by_role("link", name="Groei door de jaren").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Groei door de jaren")
    expect(page.get_by_text("Individuele verdeling")).to_have_count(0)
    check_a11y(page, "groei (bestuur)")
