"""Copy and messages that misled a first-time user (issue 14, part 5, bullets 6 and 8)."""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path

from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from actionplans.models import Action
from tests.pages.test_growth import closed_round
from tests.training_fixtures import training  # noqa: F401  (fixture)
from tests.trajectory_fixtures import route  # noqa: F401  (fixture)
from training import board_services
from training.models import TrainingGroup

ROOT = Path(__file__).resolve().parent.parent.parent
# A Dutch date with an English-style capital: "8 Feb 2027" (Django's "M" title-cases the month's abbreviation).
CAPITAL_MONTH = re.compile(r"\b\d{1,2} (Jan|Feb|Mrt|Apr|Mei|Jun|Jul|Aug|Sep|Okt|Nov|Dec) \d{4}")
DUTCH_MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_login_error_has_its_own_heading_not_a_form_save(db):
    response = Client().post(reverse("accounts:login"), {"email": "niemand@example.test", "password": "fout"})
    body = text(response)
    assert "Inloggen is niet gelukt:" in body
    assert "Nog niet opgeslagen" not in body


def test_a_form_save_keeps_its_heading(cast, login):
    response = login(cast.kartrekker).post(reverse("assessments:round_new", args=[cast.school.pk]), {"title": ""})
    assert response.status_code == 400 and "Nog niet opgeslagen. Verbeter het volgende:" in text(response)


def test_a_group_called_groep_1_is_not_groep_groep_1(cast, login, training):  # noqa: F811
    TrainingGroup.objects.filter(pk=training.group.pk).update(name="Groep 1")
    url = reverse("training:plan", args=[cast.school.pk, training.plan.pk])
    body = text(login(cast.kartrekker).get(url))
    assert "Groep Groep" not in body
    assert "Groep 1 wijzigen" in body and "Groep 1 verwijderen" in body
    edit = text(login(cast.kartrekker).get(reverse("training:group_edit", args=[cast.school.pk, training.group.pk])))
    assert "Trainingsgroep Groep 1" not in edit and "Groep 1 wijzigen" in edit
    TrainingGroup.objects.filter(pk=training.group.pk).update(name="Onderbouw")
    assert "Groep Onderbouw wijzigen" in text(login(cast.kartrekker).get(url))


def test_the_training_citation_holds_no_editorial_note(cast, login, training):  # noqa: F811
    body = text(login(cast.kartrekker).get(reverse("training:plan", args=[cast.school.pk, training.plan.pk])))
    citation = body.split("Bron:", 1)[1].split("</p>", 1)[0]
    assert "Tabel 4.1" in citation
    assert "de tekst toont" not in citation and "paginanummer" not in citation


def test_action_plan_and_route_dates_are_dutch_lower_case(cast, login, plan):
    Action.objects.filter(pk=plan.action.pk).update(due_date=datetime.date(2026, 11, 26))
    body = text(login(cast.kartrekker).get(reverse("actionplans:plan", args=[cast.school.pk])))
    assert "26 nov 2026" in body
    assert not CAPITAL_MONTH.search(body)


def test_the_trainer_home_gives_board_sessions_a_dutch_lower_case_date(cast, login):
    new_staff = board_services.do_create_board_training(
        board=cast.board,
        title="Nieuwe medewerkers",
        school_year=2027,
        schools=[cast.school],
        acting_user=cast.board_member,
    )
    board_services.do_create_board_session(
        training=new_staff,
        kind="module1",
        title="Module 1 voor nieuwe collega's",
        date=datetime.date(2028, 2, 8),
        start_time=None,
        end_time=None,
        location="",
        group=None,
        trainers=[cast.trainer],
        acting_user=cast.board_member,
    )
    body = text(login(cast.trainer).get(reverse("home")))
    assert "8 februari 2028 – Module 1 voor nieuwe collega&#x27;s" in body
    assert not CAPITAL_MONTH.search(body)


def test_the_route_word_file_plans_in_dutch_lower_case(cast, login, route):  # noqa: F811
    response = login(cast.kartrekker).get(reverse("trajectory:docx", args=[cast.school.pk]))
    table = Document(io.BytesIO(response.content)).tables[0]
    planned = [row.cells[3].text for row in table.rows[1:]]
    assert planned and all(
        re.fullmatch(r"\d{1,2} (jan|feb|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec) \d{4} – \d{1,2} [a-z]{3} \d{4}", p)
        for p in planned
    ), planned
    assert "1 mrt 2027 – " in "\n".join(planned)  # the route of the fixture starts on 1 March 2027


def test_the_growth_sheet_dates_its_rounds_in_dutch_lower_case(cast, login):
    latest = closed_round(cast, "Ronde 2027", 2, when=datetime.date(2027, 2, 8))  # the cast has one closed round
    url = reverse("assessments:result_xlsx", args=[cast.school.pk, latest.pk])
    header = next(
        load_workbook(io.BytesIO(login(cast.kartrekker).get(url).content))["Groei"].iter_rows(values_only=True)
    )
    assert "Ronde 2027 (8 februari 2027)" in header
    assert all(re.search(rf"\(\d{{1,2}} ({DUTCH_MONTHS}) \d{{4}}\)$", h) for h in header[3:-1]), header


def date_formats(path: Path, source: str) -> list[str]:
    """The date formats written in a template (the date filter) or in Python (date_format, dateformat.format)."""
    if path.suffix == ".html":
        return re.findall(r"\|date:[\"']([^\"']*)[\"']", source)
    return re.findall(r"(?:date_format|dateformat\.format)\([^,()]+,\s*[\"']([^\"']*)[\"']", source)


def test_no_date_format_capitalises_the_month():
    """Dutch dates are lower case: "j F Y" (8 februari 2027) where there is room, "j b Y" (8 feb 2027) in narrow
    columns. Django's "M" gives "Feb", never used."""
    files = [p for p in ROOT.rglob("*.html") if ".venv" not in p.parts and "node_modules" not in p.parts]
    files += [p for p in ROOT.rglob("*.py") if ".venv" not in p.parts and "tests" not in p.parts]
    found = {}
    for path in files:
        formats = date_formats(path, path.read_text(encoding="utf-8"))
        found[path] = formats
        assert not [f for f in formats if re.search(r"(?<!\\)M", f)], path
    assert sum(len(f) for f in found.values()) > 50  # the search finds the formats in use
    assert "j F Y" in found[ROOT / "templates" / "pages" / "trainer_home.html"]
    assert "j b Y" in found[ROOT / "trajectory" / "exports.py"]
    assert "j F Y" in found[ROOT / "assessments" / "exports.py"]
