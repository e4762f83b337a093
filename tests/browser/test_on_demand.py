"""What the two biggest pages load on demand (issue 15): by keyboard with htmx, and without JavaScript through links.

The consensus view: what participants wrote on an accent opens in its "Wat deelnemers schreven", and the growth
layers not under discussion are folded. The action plan: a table of more than 15 actions is folded. Each opens with
Enter or Space on its summary (htmx fills it), passes axe, and the forms inside work; without JavaScript the
summary opens and its link leads to a page with the same content.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from .helpers import by_id, check_a11y, login

pytestmark = pytest.mark.browser


def consensus_url(cast) -> str:
    return f"/scholen/{cast.school.pk}/rondes/{cast.consensus_round.pk}/consensus/"


def test_consensus_opens_written_answers_and_layers_by_keyboard(browser_cast, page):
    cast = browser_cast
    login(page, cast.kartrekker)
    page.goto(consensus_url(cast))
    expect(page.get_by_role("heading", level=1)).to_have_text("Consensusgesprek")

    # Layer 1 is open (nothing agreed yet); what participants wrote on 1.1 opens from the keyboard.
    block = page.locator(by_id("accent-1.1"))
    written = block.locator("summary", has_text="Wat deelnemers schreven")
    expect(written).to_contain_text("5 sterke punten, 5 doelen")
    expect(block.get_by_role("heading", name="Sterke punten")).to_have_count(0)  # not loaded yet
    written.focus()
    with page.expect_response(re.compile(r"/consensus/1\.1/geschreven/$")):
        page.keyboard.press("Enter")
    expect(block.get_by_role("heading", name="Sterke punten", level=4)).to_be_visible()
    expect(block.get_by_role("list").first).to_contain_text("Sterk")
    check_a11y(page, "consensusgesprek met wat deelnemers schreven")

    # Layer 2 is folded: Space on its summary loads its accents, whose form records with htmx.
    layer = page.locator(by_id("laag-2"))
    expect(layer.locator(by_id("accent-2.1"))).to_have_count(0)
    summary = layer.locator("summary")
    expect(summary).to_contain_text("0 afgesproken")
    summary.focus()
    page.keyboard.press("Space")
    accent = page.locator(by_id("accent-2.1"))
    expect(accent).to_be_visible()
    check_a11y(page, "consensusgesprek met groeilaag 2")
    accent.get_by_role("radio", name="Fase 3").check()
    accent.get_by_role("button", name=re.compile("^Vastleggen voor")).focus()
    with page.expect_response(re.compile(r"/consensus/2\.1/$")):
        page.keyboard.press("Enter")
    accent = page.locator(by_id("accent-2.1"))
    expect(accent.get_by_role("status")).to_have_text("✓ Vastgelegd.")
    expect(accent.get_by_role("heading", level=3)).to_contain_text("afgesproken: fase 3")
    assert page.url.endswith("/consensus/")  # no page load

    # The page that shows the same without JavaScript (axe needs JavaScript: checked here).
    page.goto(consensus_url(cast) + "1.1/geschreven/")
    expect(page.get_by_role("heading", name="Sterke punten", level=2)).to_be_visible()
    check_a11y(page, "wat deelnemers schreven (pagina)")


def test_consensus_without_javascript(browser_cast, new_context):
    cast = browser_cast
    page = new_context(java_script_enabled=False).new_page()
    login(page, cast.kartrekker)
    page.goto(consensus_url(cast))

    page.locator(by_id("accent-1.1")).locator("summary", has_text="Wat deelnemers schreven").click()
    page.get_by_role("link", name="Lees wat deelnemers schreven bij 1.1 (aparte pagina)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wat deelnemers schreven bij 1.1")
    expect(page.get_by_role("heading", name="Sterke punten", level=2)).to_be_visible()
    expect(page.get_by_role("list").filter(has_text="Sterk").first).to_be_visible()
    page.get_by_role("link", name="Terug naar het consensusgesprek").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consensusgesprek")

    page.locator(by_id("laag-2")).locator("summary").click()
    page.get_by_role("link", name="Groeilaag 2 openen").click()
    assert "?laag=2" in page.url
    expect(page.locator(by_id("accent-2.1"))).to_be_visible()
    # Record without JavaScript: back on the page with the layer still open.
    accent = page.locator(by_id("accent-2.2"))
    accent.get_by_role("radio", name="Fase 2").check()
    accent.get_by_role("button", name=re.compile("^Vastleggen voor")).click()
    expect(page.get_by_role("status").first).to_contain_text("Vastgelegd voor")
    assert re.search(r"\?laag=2#accent-2\.2$", page.url), page.url
    expect(page.locator(by_id("accent-2.2")).get_by_role("heading", level=3)).to_contain_text("afgesproken: fase 2")
    # No axe without JavaScript (axe-core needs it): the same pages are checked in the test above.


@pytest.fixture
def long_plan(browser_cast, server_paused):
    """Twenty actions in growth layer 1 (a folded table), three of them late, each with a step and an update."""
    from actionplans import services

    cast = browser_cast
    today = datetime.date.today()
    with server_paused():
        for i in range(20):
            action = services.do_create_action(
                school=cast.school,
                title=f"Actiepunt {i:02d}",
                layer_code="1",
                due_date=today + datetime.timedelta(days=(-5 if i < 3 else 30)),
                steps=[f"Stap van actiepunt {i:02d}"],
                acting_user=cast.kartrekker,
            )
            services.do_add_update(action=action, text=f"Update bij {i:02d}", acting_user=cast.kartrekker)
    return cast


def test_plan_opens_a_long_table_by_keyboard_and_without_javascript(long_plan, new_context):
    cast = long_plan
    page = new_context().new_page()
    login(page, cast.werkgroeplid)
    page.goto(f"/scholen/{cast.school.pk}/actieplan/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Actieplan TSO")

    # The three late ones: a short table, in full. Layer 1's twenty: folded, with the counts.
    late = page.locator("#te-laat")
    expect(late.get_by_role("row")).to_have_count(4)  # the header and three actions
    layer = page.locator(by_id("h-layer-1")).locator("xpath=..")
    summary = layer.locator("summary")
    expect(summary).to_have_text("20 actiepunten tonen (20 gepland)")
    expect(layer.get_by_role("row")).to_have_count(0)
    check_a11y(page, "actieplan met een ingeklapte tabel")
    summary.focus()
    with page.expect_response(re.compile(r"/actiepunten/groeilaag-1/$")):
        page.keyboard.press("Enter")
    table = layer.get_by_role("table", name="Actiepunten Kennisontwikkeling")
    expect(table.get_by_role("row")).to_have_count(21)
    expect(table.get_by_role("row", name=re.compile("Actiepunt 07"))).to_contain_text("Update bij 07")
    check_a11y(page, "actieplan met de tabel van groeilaag 1")
    table.get_by_role("link", name="Actiepunt 07").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Actiepunt 07")
    page.goto(f"/scholen/{cast.school.pk}/actieplan/actiepunten/groeilaag-1/")  # the page for no JavaScript
    expect(page.get_by_role("row")).to_have_count(21)
    check_a11y(page, "actiepunten van groeilaag 1 (pagina)")

    # Without JavaScript: the summary opens, its link shows the table as a page of its own.
    page = new_context(java_script_enabled=False).new_page()
    login(page, cast.werkgroeplid)
    page.goto(f"/scholen/{cast.school.pk}/actieplan/")
    page.locator(by_id("h-layer-1")).locator("xpath=..").locator("summary").click()
    page.get_by_role("link", name=re.compile(r"\(aparte pagina\)")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Actiepunten 1\. "))
    expect(page.get_by_role("row")).to_have_count(21)
    page.get_by_role("link", name="Terug naar het actieplan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Actieplan TSO")
    # Everything unfolded, to print the whole plan.
    page.get_by_role("link", name=re.compile("Alle actiepunten uitklappen")).click()
    expect(page.locator(by_id("h-layer-1")).locator("xpath=..").get_by_role("row")).to_have_count(21)
