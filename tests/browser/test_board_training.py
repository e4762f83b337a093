"""Training for new staff across schools, in the browser (issue 14, part 4): the board's beheerder plans a training
for two schools from the board page, picks the new staff per school, adds a module and registers attendance; the
school's training page then shows its own person "via het bestuur". axe-core on the board training pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from organisations.models import BoardMember, Role
from tests.factories import make_member, make_user
from training.models import BoardAttendance

from .helpers import check_a11y, login

pytestmark = pytest.mark.browser


def test_beheerder_plans_a_training_for_new_staff(browser_cast, page, new_context):
    cast = browser_cast
    BoardMember.objects.filter(board=cast.board, user=cast.board_member).update(is_beheerder=True)
    make_member(cast.school, make_user("Nina Nieuw", "nina@regenboog.test"), Role.TEAMLID)
    make_member(cast.sister_school, make_user("Henk Nieuw", "henk@horizon.test"), Role.TEAMLID)
    login(page, cast.board_member)
    page.goto(f"/besturen/{cast.board.pk}/")
    page.get_by_role("link", name=re.compile("Training nieuwe medewerkers")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Training nieuwe medewerkers")
    check_a11y(page, "trainingen nieuwe medewerkers")

    page.get_by_role("link", name="Nieuwe training plannen").click()
    page.get_by_label("Titel").fill("x" * 201)
    page.get_by_role("button", name="Opslaan").click()  # too long, and no school
    expect(page.get_by_role("alert")).to_contain_text("Kies minstens één school.")
    check_a11y(page, "training plannen, met fouten")
    page.get_by_label("Titel").fill("Nieuwe medewerkers")
    page.get_by_label("Schooljaar (beginjaar)").fill("2026")
    page.get_by_label("De Regenboog").check()
    page.get_by_label("De Horizon").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe medewerkers (2026-2027)")
    check_a11y(page, "de training, leeg")

    page.get_by_role("link", name="Groep 1").click()
    group = page.get_by_role("group", name="De Horizon")
    expect(group.get_by_label("Henk Nieuw")).to_be_visible()
    expect(page.get_by_text("Olga Outsider")).to_have_count(0)
    check_a11y(page, "groep")
    page.get_by_role("group", name="De Regenboog").get_by_label("Nina Nieuw").check()
    group.get_by_label("Henk Nieuw").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Groep 1 is opgeslagen")

    page.get_by_role("link", name="Sessie toevoegen").click()
    page.get_by_label("Soort sessie").select_option(label="Module 1")
    page.get_by_label("Titel").fill("Module 1")
    page.get_by_label("Datum").fill("2026-10-06")
    page.get_by_label("Begintijd").fill("13:30")
    page.get_by_label("Eindtijd").fill("16:30")
    page.get_by_label("Locatie").fill("Bestuursbureau")
    page.get_by_label("Tom Trainer").check()
    check_a11y(page, "sessie toevoegen")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe medewerkers (2026-2027)")
    expect(page.get_by_role("heading", name="De Regenboog")).to_be_visible()
    check_a11y(page, "de training, met deelnemers en een sessie")

    page.get_by_role("link", name=re.compile(r"^Aanwezigheid Module 1")).click()
    expect(page.get_by_role("rowheader", name="Henk Nieuw")).to_be_visible()
    check_a11y(page, "aanwezigheid")
    page.get_by_role("group", name="Nina Nieuw").get_by_label("Aanwezig").check()
    page.get_by_role("button", name="Aanwezigheid opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("De aanwezigheid is opgeslagen")
    assert list(BoardAttendance.objects.values_list("status", flat=True)) == ["aanwezig"]

    # De Regenboog's kartrekker sees Nina via the board, never Henk of De Horizon.
    other = new_context().new_page()
    login(other, cast.kartrekker)
    other.goto(f"/scholen/{cast.school.pk}/teamtraining/")
    section = other.get_by_role("region", name="Via het bestuur")
    expect(section).to_contain_text("Nina Nieuw")
    expect(section).not_to_contain_text("Henk Nieuw")
    check_a11y(other, "teamtraining met 'via het bestuur'")
