"""Across schools in the browser (issue 13, part 4): the schoolleiding switches the benchmark on and gives research
consent on the school's page, then the growth page shows the comparison with five other schools; axe-core on each."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from research.models import ResearchConsent
from tests.research.helpers import closed_round, consenting, peer_school

from .helpers import check_a11y, login

pytestmark = pytest.mark.browser


def test_benchmark_and_consent(browser_cast, page):
    cast = browser_cast
    closed_round(cast.school, {"1.1": 2, "3B.1": (2, 3)})
    for phase in (1, 2, 2, 3, 4):
        peer_school({"1.1": phase, "3B.1": phase})

    login(page, cast.schoolleider)
    page.goto(f"/scholen/{cast.school.pk}/")
    page.get_by_role("link", name="Vergelijken met andere scholen, en toestemming voor onderzoek").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vergelijken en onderzoek")
    check_a11y(page, "vergelijken en onderzoek")
    page.get_by_role("button", name="Vergelijken aanzetten").click()
    expect(page.get_by_text("Staat aan.", exact=True)).to_be_visible()

    page.get_by_role("button", name="Toestemming geven").click()  # without ticking the box: refused
    expect(page.get_by_text("Vink aan dat je de tekst gelezen hebt", exact=False).first).to_be_visible()
    page.get_by_label("Ik heb de tekst gelezen en geef namens de school toestemming.").check()
    page.get_by_role("button", name="Toestemming geven").click()
    expect(page.get_by_text("Toestemming gegeven door Sara Schoolleider", exact=False)).to_be_visible()
    assert ResearchConsent.objects.filter(school=cast.school, withdrawn_at__isnull=True).count() == 1
    check_a11y(page, "toestemming gegeven")

    page.goto(f"/scholen/{cast.school.pk}/groei/")
    table = page.get_by_role("table", name="Laatst vastgestelde fase van jullie school en van andere scholen")
    expect(table.get_by_role("row", name="1.1", exact=False)).to_contain_text("fase 2")
    expect(table.get_by_role("row", name="3B.1", exact=False)).to_contain_text("fase 2-3")
    expect(page.get_by_text("geen ranglijst", exact=False)).to_be_visible()
    check_a11y(page, "groei met vergelijking")


def test_the_platform_admin_exports_the_research_file(browser_cast, page, server_paused):
    """The research export as a platform admin: the page asks for the login and the second step (the code from the
    app), says no export is possible with four consenting schools, offers the ZIP at five; axe-core on both states."""
    from audit.models import AuditEvent
    from tests.factories import PASSWORD, make_user
    from tests.twofactor_helpers import KEY, code_for, make_device

    admin = make_user("Paula Platform", "paula@groeiwijzer.test", is_staff=True)
    make_device(admin)
    schools = [peer_school({"1.1": 2, "3B.1": (2, 3)}, opt_in=False) for _ in range(5)]
    for school in schools[:4]:
        consenting(school)

    page.goto("/onderzoek/export/")
    page.get_by_label("E-mailadres").fill(admin.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Code uit je app")
    page.get_by_label("Code uit je app").fill(code_for(KEY))
    page.get_by_role("button", name="Verder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Onderzoeksbestand")
    assert page.url.endswith("/onderzoek/export/")
    expect(
        page.get_by_text("Nog geen export mogelijk: daarvoor zijn minstens 5 scholen met toestemming nodig")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Onderzoeksbestand downloaden (ZIP)")).to_have_count(0)
    check_a11y(page, "onderzoeksbestand, nog niet mogelijk")

    with server_paused():
        consenting(schools[4])
    page.reload()
    expect(
        page.get_by_text("Elke combinatie van onderwijstype en grootte komt in het bestand bij minstens 5")
    ).to_be_visible()
    check_a11y(page, "onderzoeksbestand")
    with page.expect_download() as download:
        page.get_by_role("link", name="Onderzoeksbestand downloaden (ZIP)").click()
    assert download.value.suggested_filename.endswith(".zip")
    row = AuditEvent.objects.get(action="export.research")
    assert (
        row.actor_id == admin.pk and row.data["schools"] == 5 and row.data["file"] == download.value.suggested_filename
    )
    assert AuditEvent.objects.filter(action="research.exported").count() == 5  # one in each school's log
