"""Exports of the action plan: the handbook's Bijlage 7 as Word, and actions/goals/meetings as Excel."""

from __future__ import annotations

import datetime
import io
import zipfile
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from openpyxl import load_workbook

from actionplans import services
from actionplans.models import Action, ActionStatus, ActionStep, ActionUpdate, Meeting
from tests.factories import make_action, make_goal

pytestmark = pytest.mark.django_db

MEETING_HEADERS = ["Bijeenkomsten", "Datum", "Tijd (begin en eind)", "Locatie", "Voorzitter", "Tijdbewaker", "Notulist"]
ACTION_HEADERS = [
    "Actiepunt",
    "Welke stappen zijn er?",
    "Wie is verantwoordelijk?",
    "Wanneer afgerond?",
    "Hoe wordt uitvoering gemonitord?",
    "Notities/Updates",
]
LAYERS = ["1. Kennisontwikkeling", "2. Richting geven", "3A. Relaties bouwen", "3B. Regulatie bevorderen"]
XLSX_ACTION_HEADERS = [
    "Groeilaag",
    "Doel",
    "Actiepunt",
    "Stappen",
    "Stappen gedaan",
    "Wie is verantwoordelijk?",
    "Wanneer afgerond?",
    "Hoe wordt uitvoering gemonitord?",
    "Status",
    "Te laat",
    "Laatste update",
    "Laatst gewijzigd",
]


def url(name, school):
    return reverse(f"actionplans:{name}", args=[school.pk])


def dmy(day: datetime.date) -> str:
    return f"{day.day}-{day.month}-{day.year}"


def download(client, name, school):
    response = client.get(url(name, school))
    assert response.status_code == 200, response.status_code
    return response


def open_docx(response):
    return Document(io.BytesIO(response.content))


def open_xlsx(response):
    return load_workbook(io.BytesIO(response.content))


def docx_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def xlsx_text(wb) -> str:
    return "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None)


def row_texts(row) -> list[str]:
    return [cell.text for cell in row.cells]


def find_row(table, title):
    rows = [row for row in table.rows[1:] if row.cells[0].text.startswith(title)]
    assert len(rows) == 1, f"{title!r}: {len(rows)} rows"
    return rows[0]


def bulk_plan(school, owner, n: int, *, start: int = 0, layer_code: str = "2") -> list[Action]:
    """n actions with three steps (one done) and three updates each, written directly (fast)."""
    now = timezone.now()
    today = timezone.localdate()
    actions = Action.objects.bulk_create(
        [
            Action(
                school=school,
                layer_code=layer_code,
                title=f"Actie {i}",
                owner=owner,
                due_date=today + timedelta(days=i % 40 - 10),
                monitoring="Bespreken in de werkgroep",
                status=ActionStatus.IN_PROGRESS,
                created_by=owner,
                updated_by=owner,
            )
            for i in range(start, start + n)
        ]
    )
    ActionStep.objects.bulk_create(
        [
            ActionStep(action=a, position=p, text=f"Stap {p + 1}", done_at=now if p == 0 else None)
            for a in actions
            for p in range(3)
        ]
    )
    ActionUpdate.objects.bulk_create(
        [
            ActionUpdate(action=a, author=owner, text=f"Update {u} van {a.title}", created_at=now - timedelta(days=u))
            for a in actions
            for u in range(3)
        ]
    )
    return actions


@pytest.fixture
def filled(cast, plan):
    """The plan fixture, plus: a due date, a step done, updates, meeting details, an overdue action."""
    today = timezone.localdate()
    k = cast.kartrekker
    Action.objects.filter(pk=plan.action.pk).update(due_date=today + timedelta(days=30), monitoring="Foto's delen")
    services.do_set_step_done(step=plan.step, done=True, acting_user=k)
    services.do_add_update(action=plan.action, text="Kast besteld", acting_user=cast.teamlid)
    Meeting.objects.filter(pk=plan.meeting.pk).update(
        start_time=datetime.time(15, 0),
        end_time=datetime.time(16, 30),
        chair=k,
        note_taker=cast.werkgroeplid,
        minutes="Geheime notulen: wie zei wat",
    )
    late = make_action(
        cast.school,
        k,
        "Ouderavond plannen",
        layer_code="3A",
        owner=cast.werkgroeplid,
        due_date=today - timedelta(days=3),
        status=ActionStatus.IN_PROGRESS,
    )
    return plan, late


# Word ---------------------------------------------------------------------------------------------------------


def test_docx_follows_bijlage_7(cast, filled, login):
    plan, late = filled
    response = download(login(cast.kartrekker), "plan_docx", cast.school)
    today = timezone.localdate()
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"] == f'attachment; filename="actieplan-de-regenboog-{today:%Y-%m-%d}.docx"'
    doc = open_docx(response)

    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == ("Heading 1", "Actieplan implementatie TSO")
    assert [text for style, text in headings if style == "Heading 2"] == ["Bijeenkomsten", "Ontwikkeldoelen", *LAYERS]
    assert "De Regenboog" in doc.paragraphs[1].text

    meetings, *layer_tables = doc.tables
    assert row_texts(meetings.rows[0]) == MEETING_HEADERS
    current = row_texts(meetings.rows[1])
    assert current == [
        "Huidige bijeenkomst",
        dmy(plan.meeting.date),
        "15:00–16:30",
        "Teamkamer",
        "Karel Kartrekker",
        "",
        "Wim Werkgroep",
    ]
    assert row_texts(meetings.rows[2]) == ["Volgende bijeenkomst", "", "", "", "", "", ""]

    assert len(layer_tables) == 4
    for table in layer_tables:
        assert row_texts(table.rows[0]) == ACTION_HEADERS
    knowledge, direction, relations, regulation = layer_tables
    assert len(knowledge.rows) == 2 and row_texts(knowledge.rows[1]) == [""] * 6  # empty, like the form
    assert len(direction.rows) == 2  # the deleted action is not there

    row = row_texts(find_row(regulation, "Rustruimte inrichten"))
    assert "Doel: Rust in de school" in row[0] and "Status: Gepland" in row[0]
    assert "TE LAAT" not in row[0]
    assert row[1].splitlines() == ["☑ Plek kiezen", "☐ Inrichten", "1 van 2 gedaan"]
    assert row[2] == "Tina Teamlid"
    assert row[3] == dmy(today + timedelta(days=30))
    assert row[4] == "Foto's delen"
    assert row[5] == f"{dmy(today)} – Tina Teamlid: Kast besteld"

    late_row = row_texts(find_row(relations, "Ouderavond plannen"))
    assert "Status: Bezig – TE LAAT" in late_row[0]
    assert late_row[3].splitlines() == [dmy(today - timedelta(days=3)), "te laat"]

    text = docx_text(doc)
    assert "Rust in de school" in text  # the goals section
    for gone in ("Weggegooid doel", "Weggegooide actie", "Vreemd doel", "Vreemde actie", "Geheime notulen"):
        assert gone not in text


def test_docx_is_accessible_and_a4(cast, filled, login):
    doc = open_docx(download(login(cast.teamlid), "plan_docx", cast.school))
    assert doc.core_properties.title == "Actieplan implementatie TSO – De Regenboog"
    assert doc.core_properties.subject == "De Regenboog"
    assert doc.core_properties.language == "nl-NL"
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{qn('w:lang')}").get(qn("w:val")) == "nl-NL"
    for table in doc.tables:
        header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
        assert header is not None and header.get(qn("w:val")) == "true"
        assert table._tbl.tblPr.find(qn("w:tblCaption")) is not None
    first, last = doc.sections[0], doc.sections[-1]
    assert (round(first.page_width.mm), round(first.page_height.mm)) == (210, 297)
    assert last.orientation == WD_ORIENT.LANDSCAPE
    assert (round(last.page_width.mm), round(last.page_height.mm)) == (297, 210)


def test_docx_shows_the_five_newest_updates(cast, plan, login):
    now = timezone.now()
    ActionUpdate.objects.bulk_create(
        [
            ActionUpdate(
                action=plan.action, author=cast.teamlid, text=f"Update {i}", created_at=now - timedelta(days=i)
            )
            for i in range(8)
        ]
    )
    doc = open_docx(download(login(cast.kartrekker), "plan_docx", cast.school))
    notes = find_row(doc.tables[4], "Rustruimte inrichten").cells[5].text.splitlines()
    assert [line.split(": ", 1)[1] for line in notes[:5]] == [f"Update {i}" for i in range(5)]
    assert notes[5] == "… en 3 eerdere"
    assert len(notes) == 6


def test_docx_of_an_empty_plan(cast, login):
    doc = open_docx(download(login(cast.kartrekker), "plan_docx", cast.school))
    assert len(doc.tables) == 5
    assert row_texts(doc.tables[0].rows[1]) == ["Huidige bijeenkomst", "", "", "", "", "", ""]
    assert all(len(t.rows) == 2 for t in doc.tables[1:])
    assert docx_text(doc).count("Nog geen doelen.") == 2


# Excel --------------------------------------------------------------------------------------------------------


def test_xlsx_sheets_and_action_rows(cast, filled, login):
    plan, late = filled
    k = cast.kartrekker
    evil_goal = make_goal(cast.school, k, "+SUM(2)", "1", term="lang", priority=2, start_phase=1)
    make_action(cast.school, k, '=HYPERLINK("http://evil")', goal=evil_goal, steps=["-1+2"])
    make_action(cast.school, k, "@SUM(1)", layer_code="2")
    make_action(cast.school, k, "＝1+1 (vol breed)", layer_code="2", monitoring=" =1+1")
    response = download(login(cast.kartrekker), "plan_xlsx", cast.school)
    today = timezone.localdate()
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="actieplan-de-regenboog-{today:%Y-%m-%d}.xlsx"'
    wb = open_xlsx(response)
    assert wb.sheetnames == ["Actiepunten", "Doelen", "Bijeenkomsten"]

    ws = wb["Actiepunten"]
    assert [c.value for c in ws[1]] == XLSX_ACTION_HEADERS
    assert ws.freeze_panes == "A2" and ws[1][0].font.bold and ws.auto_filter.ref == f"A1:L{ws.max_row}"
    rows = {r[2].value: r for r in ws.iter_rows(min_row=2)}
    live = Action.objects.alive().filter(school=cast.school)
    assert sorted(rows) == sorted(live.values_list("title", flat=True)) and len(rows) == ws.max_row - 1 == 5

    row = rows["Rustruimte inrichten"]
    assert [c.value for c in row[:6]] == [
        "3B Regulatie bevorderen",
        "Rust in de school",
        "Rustruimte inrichten",
        "☑ Plek kiezen\n☐ Inrichten",
        1,
        "Tina Teamlid",
    ]
    due = row[6]
    assert isinstance(due.value, datetime.date) and due.value.date() == today + timedelta(days=30)
    assert due.number_format == "dd-mm-yyyy"
    assert [c.value for c in row[7:11]] == [
        "Foto's delen",
        "Gepland",
        "nee",
        f"{dmy(today)} – Tina Teamlid: Kast besteld",
    ]
    changed = row[11].value
    assert isinstance(changed, datetime.datetime) and changed.tzinfo is None
    action = Action.objects.get(pk=plan.action.pk)
    assert changed == timezone.localtime(action.updated_at).replace(tzinfo=None, microsecond=0)
    assert rows["Ouderavond plannen"][9].value == "ja"

    for title in ('=HYPERLINK("http://evil")', "@SUM(1)", "＝1+1 (vol breed)"):
        cell = rows[title][2]
        assert cell.data_type == "s" and cell.value == title and cell.quotePrefix
    assert rows["＝1+1 (vol breed)"][7].value == " =1+1"  # a leading space does not hide a formula
    assert rows["＝1+1 (vol breed)"][7].quotePrefix
    assert not rows["Rustruimte inrichten"][2].quotePrefix  # ordinary text gets no flag
    sheet_xml = zipfile.ZipFile(io.BytesIO(response.content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    assert rows['=HYPERLINK("http://evil")'][1].value == "+SUM(2)"
    assert rows['=HYPERLINK("http://evil")'][1].data_type == "s"
    assert rows['=HYPERLINK("http://evil")'][3].value == "☐ -1+2"

    goals = wb["Doelen"]
    assert [c.value for c in goals[1]][:4] == ["Termijn", "Groeilaag", "Accent", "Doel"]
    goal_rows = [[c.value for c in r] for r in goals.iter_rows(min_row=2)]
    assert [r[3] for r in goal_rows] == ["Rust in de school", "+SUM(2)"]  # short term first; no deleted goal
    assert goal_rows[0][:3] == ["Korte termijn (komende zes maanden)", "3B Regulatie bevorderen", "3B.1 Inrichting"]
    assert goal_rows[1][4:6] == [1, 2]
    assert goals.cell(row=3, column=4).data_type == "s"

    meetings = wb["Bijeenkomsten"]
    assert [c.value for c in meetings[1]][1:] == [
        "Datum",
        "Begintijd",
        "Eindtijd",
        "Locatie",
        "Voorzitter",
        "Tijdbewaker",
        "Notulist",
    ]
    meeting = list(meetings[2])
    assert meeting[0].value == "Huidige bijeenkomst"
    assert meeting[1].value.date() == plan.meeting.date and meeting[1].number_format == "dd-mm-yyyy"
    assert meeting[2].value == datetime.time(15, 0) and meeting[3].value == datetime.time(16, 30)
    assert meeting[4].value == "Teamkamer" and meeting[5].value == "Karel Kartrekker"
    assert meetings.max_row == 2  # no next meeting planned

    text = xlsx_text(wb)
    for gone in ("Weggegooid doel", "Weggegooide actie", "Vreemde actie", "Geheime notulen"):
        assert gone not in text


# Access -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["plan_docx", "plan_xlsx"])
def test_board_member_downloads_without_minutes(cast, filled, login, name):
    response = download(login(cast.board_member), name, cast.school)
    text = docx_text(open_docx(response)) if name == "plan_docx" else xlsx_text(open_xlsx(response))
    assert "Rustruimte inrichten" in text
    assert "Geheime notulen" not in text
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("name", ["plan_docx", "plan_xlsx"])
def test_outsider_and_anonymous_get_nothing(cast, plan, client, login, name):
    assert client.get(url(name, cast.school)).status_code == 302
    assert client.get(url(name, cast.school))["Location"].startswith(reverse("accounts:login"))
    assert login(cast.outsider).get(url(name, cast.school)).status_code == 404


def test_plan_page_links_to_both_exports(cast, plan, login):
    body = login(cast.board_member).get(reverse("actionplans:plan", args=[cast.school.pk])).content.decode()
    assert f'href="{url("plan_docx", cast.school)}"' in body and "Actieplan (Word)" in body
    assert f'href="{url("plan_xlsx", cast.school)}"' in body and "Actieplan (Excel)" in body


# Queries ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["plan_docx", "plan_xlsx"])
def test_export_queries_do_not_grow_with_the_plan(cast, client, name):
    client.force_login(cast.kartrekker, backend="accounts.backends.EmailBackend")
    counts = []
    bulk_plan(cast.school, cast.teamlid, 20)
    for total in (20, 200):
        if total == 200:
            bulk_plan(cast.school, cast.teamlid, 180, start=20, layer_code="3A")
        with CaptureQueriesContext(connection) as queries:
            response = download(client, name, cast.school)
        counts.append(len(queries.captured_queries))
        assert response.content
    assert counts[0] == counts[1], counts
    assert Action.objects.filter(school=cast.school).count() == 200
