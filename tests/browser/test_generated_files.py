"""The waiting page of a heavy export in the browser (issue 15, part 3; core/generated.py): the round's PDF report is
queued, the page says "Het bestand wordt gemaakt…", asks again by itself (htmx) and offers the file once the worker
made it; without JavaScript the "Vernieuwen" button does the same; a failure says so and "Opnieuw proberen" works.
axe-core on every state. The worker runs in the test (``run_queued``), the queue is the database, as in production.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.core.test_mail import DB_TASKS, run_queued

from .helpers import check_a11y, login

pytestmark = pytest.mark.browser


@pytest.fixture
def db_queue(settings):
    settings.TASKS = DB_TASKS


def run_worker(server_paused) -> int:
    with server_paused():
        return run_queued()


def test_the_report_is_made_while_the_page_waits(browser_cast, page, db_queue, server_paused):
    cast = browser_cast
    login(page, cast.kartrekker)
    page.goto(f"/scholen/{cast.school.pk}/rondes/{cast.closed_round.pk}/resultaat/")
    page.get_by_role("link", name="Rapport (PDF)").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Rapport (PDF)")
    status = page.get_by_role("status")
    expect(status).to_contain_text("Het bestand wordt gemaakt…")
    expect(page.get_by_role("link", name="Vernieuwen")).to_be_visible()
    expect(page.get_by_role("link", name="Terug naar het resultaat")).to_be_visible()
    check_a11y(page, "bestand wordt gemaakt")

    assert run_worker(server_paused) == 1
    # The page asks every two seconds: the file appears without a click.
    download_link = page.get_by_role("link", name="Rapport (PDF) downloaden")
    expect(download_link).to_be_visible()
    expect(status).to_contain_text("Het bestand is klaar.")
    expect(page.get_by_role("link", name="Vernieuwen")).to_have_count(0)
    check_a11y(page, "bestand is klaar")
    with page.expect_download() as info:
        download_link.click()
    assert info.value.suggested_filename == "afgesloten-ronde-rapport.pdf"


def test_without_javascript_vernieuwen_asks_again(browser_cast, new_context, db_queue, server_paused):
    cast = browser_cast
    page = new_context(java_script_enabled=False).new_page()
    login(page, cast.werkgroeplid)
    page.goto(f"/scholen/{cast.school.pk}/actieplan/")
    page.get_by_role("link", name="Actieplan (Excel)").click()
    expect(page.get_by_role("status")).to_contain_text("Het bestand wordt gemaakt…")
    page.get_by_role("link", name="Vernieuwen").click()
    expect(page.get_by_role("status")).to_contain_text("Het bestand wordt gemaakt…")  # not yet: the worker did not run

    assert run_worker(server_paused) == 1
    page.get_by_role("link", name="Vernieuwen").click()
    expect(page.get_by_role("status")).to_contain_text("Het bestand is klaar.")
    with page.expect_download() as info:
        page.get_by_role("link", name="Actieplan (Excel) downloaden").click()
    assert info.value.suggested_filename.startswith("actieplan-de-regenboog-")


def test_a_failure_says_so_and_try_again_works(browser_cast, page, db_queue, server_paused, monkeypatch):
    cast = browser_cast

    def broken(*args, **kwargs):
        raise RuntimeError("kapot")

    login(page, cast.kartrekker)
    page.goto(f"/scholen/{cast.school.pk}/rondes/{cast.closed_round.pk}/resultaat/")
    page.get_by_role("link", name="Overzicht (Excel)").click()
    expect(page.get_by_role("status")).to_contain_text("Het bestand wordt gemaakt…")

    monkeypatch.setattr("assessments.exports.round_xlsx", broken)  # the worker runs here, in the test
    assert run_worker(server_paused) == 1
    monkeypatch.undo()
    expect(page.get_by_role("status")).to_contain_text("Het bestand kon niet worden gemaakt.")
    check_a11y(page, "bestand kon niet worden gemaakt")

    page.get_by_role("button", name="Opnieuw proberen").click()
    expect(page.get_by_role("status")).to_contain_text("Het bestand wordt gemaakt…")
    assert run_worker(server_paused) == 1
    expect(page.get_by_role("link", name="Overzicht (Excel) downloaden")).to_be_visible()
