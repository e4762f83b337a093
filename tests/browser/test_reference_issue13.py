"""Issue 13, part 5 in the browser (axe-core): the estimate for a VSO school shows 'vier of meer' and 'meer dan vier'
separately with the group studied; chapter 1's tables and Bijlage 11 in the Naslag (addresses as text, no
links to other hosts); the training plan says which growth layers each module serves."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from organisations.models import School
from training import services

from .helpers import check_a11y, login

pytestmark = pytest.mark.browser


def test_vso_estimate_shows_each_measure_separately(browser_cast, page, server_paused):
    cast = browser_cast
    with server_paused():
        School.objects.filter(pk=cast.school.pk).update(education_type="vso", cluster=3)
    login(page, cast.teamlid)
    page.goto(f"/scholen/{cast.school.pk}/naslag/wat-betekent-dit/?leerlingen=100")
    four = page.locator("section", has=page.locator("#maat-vier_of_meer"))
    more = page.locator("section", has=page.locator("#maat-meer_dan_vier"))
    expect(four).to_contain_text("Naar schatting tussen 73 en 76 van de 100 leerlingen.")
    expect(four).not_to_contain_text("68")
    expect(more).to_contain_text("Naar schatting ongeveer 68 van de 100 leerlingen.")
    expect(four).to_contain_text("Dit onderzoek ging over leerlingen met emotionele en gedragsproblemen")
    check_a11y(page, "schatting vso met drie maten")


def test_new_naslag_pages(browser_cast, page):
    login(page, browser_cast.teamlid)
    page.goto("/naslag/")
    page.get_by_role("link", name="Traumasensitief Onderwijs: Verdiepend materiaal").click()
    expect(page.get_by_role("heading", level=2, name="7.11.1 Informatie over trauma")).to_be_visible()
    expect(page.get_by_role("table").first).to_contain_text("scholing mbt de meldcode")
    expect(page.locator("a[href^='http']")).to_have_count(0)
    check_a11y(page, "naslag verdiepend materiaal")
    page.goto("/naslag/teamtraining-ontwikkelmodel/")
    expect(page.get_by_role("row", name=re.compile("Groeilaag 2: Richting geven"))).to_contain_text("Zelfzorg")
    check_a11y(page, "naslag tabel 1.2")
    page.goto("/naslag/opbrengsten/")
    expect(page.get_by_role("table")).to_contain_text("Leerkrachten ervaren meer werkvitaliteit")
    expect(page.locator("a[href^='http']")).to_have_count(0)
    check_a11y(page, "naslag opbrengsten")


def test_training_plan_shows_layers_per_module(browser_cast, page, server_paused):
    cast = browser_cast
    with server_paused():
        plan = services.do_create_plan(school=cast.school, school_year=2026, acting_user=cast.kartrekker)
    login(page, cast.kartrekker)
    page.goto(reverse("training:plan", args=[cast.school.pk, plan.pk]))
    expect(page.get_by_role("row", name=re.compile("^Module 1"))).to_contain_text("Dient groeilaag 1")
    module4 = "Module 4: Samenwerking en zelfzorg & op weg naar een traumasensitief onderwijsklimaat"
    expect(page.get_by_text(f"{module4} – dient groeilaag 2, 3")).to_be_visible()
    check_a11y(page, "trainingsplan met groeilagen")
