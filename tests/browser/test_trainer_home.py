"""A trainer in the browser (issue 14): the home page with all their schools, the one that needs them first on top,
then the calendar subscription in Mijn gegevens (make, copy, revoke); axe-core on each page."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from accounts.models import CalendarFeed
from training.models import TrainingPlan, TrainingSession

from .helpers import check_a11y, login

pytestmark = pytest.mark.browser


def test_trainer_sees_all_schools_and_subscribes(browser_cast, page):
    cast = browser_cast
    today = datetime.date.today()
    plan = TrainingPlan.objects.create(school=cast.sister_school, school_year=2026, content_version="2023")
    TrainingSession.objects.create(
        school=cast.sister_school,
        plan=plan,
        kind="overig",
        title="Module 1 Horizon",
        date=today - datetime.timedelta(days=2),
    )
    login(page, cast.trainer)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn scholen")
    headings = page.get_by_role("heading", level=2)
    expect(headings.first).to_have_text("De Horizon")  # attendance still to register: first
    expect(page.get_by_text("Nog niet geregistreerd bij 1 sessie")).to_be_visible()
    expect(page.get_by_role("link", name="Module 1 Horizon")).to_be_visible()
    check_a11y(page, "startpagina trainer")

    page.get_by_role("link", name="Agenda-abonnement dat zichzelf bijwerkt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda-abonnement")
    check_a11y(page, "agenda-abonnement")
    page.get_by_role("button", name="Link maken").click()
    field = page.get_by_label("Link van je agenda-abonnement")
    expect(field).to_have_value(
        page.url.split("/mijn-gegevens")[0] + "/agenda/" + field.input_value().rsplit("/", 1)[1]
    )
    assert field.input_value().endswith(".ics")
    check_a11y(page, "nieuwe link")
    assert CalendarFeed.objects.filter(user=cast.trainer, revoked_at__isnull=True).count() == 1
    page.goto("/mijn-gegevens/agenda/")
    page.get_by_role("button", name="Link intrekken").click()
    expect(page.get_by_text("Je agenda-abonnement is ingetrokken.")).to_be_visible()
    assert not CalendarFeed.objects.filter(user=cast.trainer, revoked_at__isnull=True).exists()
