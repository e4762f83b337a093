"""A board runs its own schools, in the browser (issue 14, part 1): the beheerder adds a school and invites its
schoolleiding; a new school's schoolleider finds 'Zo begin je' on the dashboard and follows a step. axe-core on
the board's school management pages and on 'Zo begin je'."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from intake import services as intake_services
from organisations.models import BoardMember, Invitation, Role, School
from tests.factories import make_member, make_school, make_user

from .helpers import check_a11y, login

pytestmark = pytest.mark.browser


def test_beheerder_adds_a_school_and_invites_its_schoolleiding(browser_cast, page):
    cast = browser_cast
    BoardMember.objects.filter(board=cast.board, user=cast.board_member).update(is_beheerder=True)
    login(page, cast.board_member)
    page.goto(f"/besturen/{cast.board.pk}/")
    page.get_by_role("link", name=re.compile("Scholen beheren")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Scholen beheren")
    table = page.get_by_role("table", name=f"De scholen van {cast.board.name}")
    expect(table.get_by_role("rowheader", name="De Horizon")).to_be_visible()
    check_a11y(page, "scholen beheren")

    page.get_by_role("link", name="School toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("School toevoegen")
    check_a11y(page, "school toevoegen")
    page.get_by_role("button", name="School toevoegen").click()  # nothing filled in
    expect(page.get_by_role("alert")).to_contain_text("Vul de naam van de school in.")
    expect(page.get_by_role("alert")).to_contain_text("Kies een onderwijstype.")
    check_a11y(page, "school toevoegen, met fouten")
    assert not School.objects.filter(board=cast.board).exclude(pk__in=[cast.school.pk, cast.sister_school.pk]).exists()

    page.get_by_label("Naam van de school").fill("SO De Nieuwe Start")
    page.get_by_label("Onderwijstype").select_option(label="Speciaal onderwijs (SO)")
    page.get_by_label("Cluster").select_option(label="Cluster 4")
    page.get_by_role("button", name="School toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schoolleiding van SO De Nieuwe Start uitnodigen")
    check_a11y(page, "schoolleiding uitnodigen")
    page.get_by_label("E-mailadressen").fill("directeur@nieuwestart.test")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.get_by_role("status")).to_contain_text("1 uitnodiging(en) voor de schoolleiding")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="SO De Nieuwe Start"))
    expect(row).to_contain_text("Uitgenodigd: directeur@nieuwestart.test")
    check_a11y(page, "scholen beheren, na de uitnodiging")
    school = School.objects.get(name="SO De Nieuwe Start")
    assert (school.board, school.education_type, school.cluster) == (cast.board, "so", 4)
    assert Invitation.objects.get(school=school).roles == [Role.SCHOOLLEIDING]

    row.get_by_role("link", name=re.compile("Gegevens van SO De Nieuwe Start wijzigen")).click()
    expect(page.get_by_label("Naam van de school")).to_have_value("SO De Nieuwe Start")
    check_a11y(page, "school wijzigen")


def test_a_new_school_starts_on_zo_begin_je(browser_cast, page):
    cast = browser_cast
    school = make_school(cast.board, "De Nieuwe Start")
    lead = make_user("Dirk Directeur", "dirk@nieuwestart.test")
    make_member(school, lead, Role.SCHOOLLEIDING)
    login(page, lead)
    page.goto(f"/scholen/{school.pk}/")
    page.get_by_role("link", name="Zo begin je").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zo begin je")
    expect(page.get_by_text("0 van 4 gedaan", exact=False)).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Voorgesprek plannen"))).to_contain_text("Nog te doen")
    expect(page.get_by_text("Inplannen van het verkennende voorgesprek")).to_be_visible()  # the handbook's words
    check_a11y(page, "zo begin je")

    page.get_by_role("link", name=re.compile("De startdatum kiezen")).click()
    expect(page).to_have_url(re.compile(rf"/scholen/{school.pk}/traject/starten/$"))
    page.go_back()

    intake_services.do_create_conversation(
        school=school, kind="verkennend", dates=[datetime.date(2026, 10, 5)], participants=[lead], acting_user=lead
    )
    page.reload()
    expect(page.get_by_role("heading", name=re.compile("Voorgesprek plannen"))).to_contain_text("Gedaan")
    expect(page.get_by_text("1 van 4 gedaan", exact=False)).to_be_visible()
    check_a11y(page, "zo begin je, een stap gedaan")
