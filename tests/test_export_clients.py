"""Exports that real office, PDF and browser clients accept (issue 14, part 6).

- Every .xlsx of the app has a print set-up (landscape A4, fit to one page wide, the header row repeated on
  every page), frozen header panes, and wrapped multi-line cells with rows as high as their lines.
- Every .docx table has fixed column widths on every cell, wide enough for the longest word of each header.
- Every PDF's tagged structure tree is right (tables, captions, headers with scope, figures outside headings).
- The main pages parse as HTML without errors and without an id used twice.
"""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from actionplans import services as plan_services
from actionplans.models import ActionStatus
from assessments.models import ConsensusItem
from ontwikkelmodel.content import load_gespreksformulier
from outcomes import services as outcome_services
from tests.factories import make_action
from tests.intake_fixtures import build_intake
from tests.outcomes.fixtures import add_team, submit_all
from tests.training.board_fixtures import make_beheerder, make_board_training
from tests.training_fixtures import make_training
from tests.trajectory_fixtures import start_route

pytestmark = pytest.mark.django_db


@pytest.fixture
def full(cast, plan):
    """De Regenboog with a closed round with agreements, an action plan with a multi-line action and an overdue
    one, a route, and two closed Opbrengsten questionnaires."""
    round_ = cast.closed_round
    for i, code in enumerate(round_.model.accent_codes):
        ConsensusItem.objects.update_or_create(
            round=round_,
            accent_code=code,
            defaults={
                "phase": 1 + i % 4,
                "strengths": f"Gedeeld sterk punt bij {code}",
                "next_steps": f"Volgende stap voor {code}\nen nog een regel" if i < 5 else "",
                "priority": i + 1 if i < 5 else None,
            },
        )
    k = cast.kartrekker
    make_action(
        cast.school,
        k,
        "Ouderavond plannen",
        layer_code="3A",
        owner=cast.werkgroeplid,
        due_date=datetime.date.today() - datetime.timedelta(days=3),
        status=ActionStatus.IN_PROGRESS,
        steps=["Datum kiezen", "Uitnodiging schrijven", "Zaal reserveren", "Koffie regelen"],
    )
    plan_services.do_set_step_done(step=plan.step, done=True, acting_user=k)
    start_route(cast.school, k)
    for kind, year, value in [("nulmeting", "2025-2026", "2"), ("jaarlijks", "2026-2027", "4")]:
        survey = outcome_services.do_open_survey(school=cast.school, kind=kind, school_year=year, acting_user=k)
        submit_all(survey, add_team(cast.school, 5, prefix=f"{kind}-"), value=value)
        outcome_services.do_close_survey(survey=survey, acting_user=k)
    return cast


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content


# Spreadsheets -----------------------------------------------------------------------------------------------------


def workbooks(cast, client) -> dict:
    s, r = cast.school.pk, cast.closed_round.pk
    urls = {
        "ronde": reverse("assessments:result_xlsx", args=[s, r]),
        "actieplan": reverse("actionplans:plan_xlsx", args=[s]),
        "opbrengsten": reverse("outcomes:results_xlsx", args=[s]),
    }
    return {name: load_workbook(io.BytesIO(get(client, url))) for name, url in urls.items()}


def test_every_workbook_prints_landscape_one_page_wide_with_its_header_row_on_every_page(full, login):
    client = login(full.kartrekker)
    books = workbooks(full, client)
    for name, wb in books.items():
        for ws in wb.worksheets:
            where = f"{name}/{ws.title}"
            assert ws.page_setup.orientation == "landscape", where
            assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4), where
            assert ws.sheet_properties.pageSetUpPr.fitToPage, where
            assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0, where
            if ws.title in ("Over dit overzicht",):  # facts, no header row
                assert ws.freeze_panes is None and not ws.print_title_rows, where
                continue
            assert ws.freeze_panes == "A2", where
            assert ws.print_title_rows.replace("$", "") == "1:1", where
    assert {ws.title for ws in books["actieplan"].worksheets} >= {"Actiepunten", "Doelen", "Bijeenkomsten"}
    assert {ws.title for ws in books["ronde"].worksheets} >= {"Consensus", "Verdeling", "Over dit overzicht"}
    assert {ws.title for ws in books["opbrengsten"].worksheets} >= {"Opbrengsten", "Kenniselementen", "Metingen"}


def test_multi_line_cells_wrap_in_rows_as_high_as_their_lines(full, login):
    books = workbooks(full, login(full.kartrekker))
    multi_line = 0
    for name, wb in books.items():
        for ws in wb.worksheets:
            for row in ws.iter_rows(min_row=2):
                for cell in row:
                    if isinstance(cell.value, str) and "\n" in cell.value:
                        multi_line += 1
                        where = f"{name}/{ws.title}!{cell.coordinate}"
                        assert cell.alignment.wrap_text, where
                        assert cell.alignment.vertical == "top", where
                        height = ws.row_dimensions[cell.row].height
                        assert height and height >= 15 * len(cell.value.splitlines()), where
    stappen = books["actieplan"]["Actiepunten"]
    column = [c.value for c in stappen[1]].index("Stappen") + 1
    cells = [stappen.cell(row=r, column=column) for r in range(2, stappen.max_row + 1)]
    four = next(c for c in cells if c.value and c.value.count("\n") == 3)  # the four steps of "Ouderavond plannen"
    assert four.alignment.wrap_text and stappen.row_dimensions[four.row].height >= 60
    assert multi_line >= 6  # the plan's steps and the round's two-line next steps


# PDFs: the structure tree ---------------------------------------------------------------------------------------


def _obj(o):
    return o.get_object() if isinstance(o, IndirectObject) else o


def kids(element) -> list:
    """The structure elements below one (marked content and annotations left out)."""
    k = _obj(element.get("/K"))
    k = [] if k is None else k if isinstance(k, ArrayObject) else [k]
    return [c for c in (_obj(x) for x in k) if isinstance(c, DictionaryObject) and "/S" in c]


def attributes(element) -> dict:
    a = _obj(element.get("/A"))
    out: dict = {}
    for item in [] if a is None else a if isinstance(a, ArrayObject) else [a]:
        if isinstance(_obj(item), DictionaryObject):
            out.update({k: _obj(v) for k, v in _obj(item).items()})
    return out


def walk(root):
    """(element, its ancestors) for every structure element, depth first."""
    stack = [(e, ()) for e in kids(root)]
    while stack:
        element, ancestors = stack.pop()
        yield element, ancestors
        stack.extend((c, (*ancestors, element)) for c in kids(element))


def table_grid(table):
    """Every cell of a Table element with its row, column, rowspan, colspan, laid out as HTML lays out a table
    (a cell reaching down from an earlier row takes its columns in the rows below)."""
    rows = []
    for child in kids(table):
        if child["/S"] == "/TR":
            rows.append(child)
        elif child["/S"] in ("/THead", "/TBody", "/TFoot"):
            rows += [r for r in kids(child) if r["/S"] == "/TR"]
    taken, cells = set(), []
    for r, row in enumerate(rows):
        c = 0
        for cell in kids(row):
            while (r, c) in taken:
                c += 1
            a = attributes(cell)
            rs, cs = int(a.get("/RowSpan", 1)), int(a.get("/ColSpan", 1))
            taken |= {(r + i, c + j) for i in range(rs) for j in range(cs)}
            cells.append((cell, r, c, rs, cs))
            c += cs
    return cells


def structure_problems(content: bytes) -> list[str]:
    """What is wrong with a tagged PDF's tables, headers and figures, as a screen reader would meet it."""
    root = _obj(PdfReader(io.BytesIO(content)).trailer["/Root"])
    assert root["/MarkInfo"]["/Marked"], "not a tagged PDF"
    problems = []
    headings = {f"/H{n}" for n in range(1, 7)} | {"/H"}
    for element, ancestors in walk(_obj(root["/StructTreeRoot"])):
        kind = element["/S"]
        if kind == "/Figure":
            if any(a["/S"] in headings for a in ancestors):
                problems.append("Figure inside a heading")
            if not element.get("/Alt"):
                problems.append("Figure without /Alt")
        if kind == "/TH" and attributes(element).get("/Scope") not in ("/Row", "/Column", "/Both"):
            problems.append("TH without /Scope")
        if kind != "/Table":
            continue
        children = [c["/S"] for c in kids(element)]
        if set(children) - {"/Caption", "/THead", "/TBody", "/TFoot", "/TR"}:
            problems.append(f"Table with children {children}")
        if "/Caption" in children[1:]:
            problems.append("Caption not the Table's first child")
        cells = table_grid(element)
        ths = [(cell, r, c, rs, cs) for cell, r, c, rs, cs in cells if cell["/S"] == "/TH"]
        for cell, r, c, rs, cs in cells:
            if cell["/S"] != "/TD":
                continue
            expected = set()
            for th, hr, hc, hrs, hcs in ths:
                scope = attributes(th).get("/Scope")
                if scope in ("/Column", "/Both") and hr < r and hc < c + cs and c < hc + hcs:
                    expected.add(str(th["/ID"]))
                if scope in ("/Row", "/Both") and hc < c and hr < r + rs and r < hr + hrs:
                    expected.add(str(th["/ID"]))
            actual = {str(h) for h in attributes(cell).get("/Headers", [])}
            if actual != expected:
                problems.append(f"TD (row {r}, column {c}) /Headers {sorted(actual)}, expected {sorted(expected)}")
    return problems


def tables(content: bytes) -> list:
    root = _obj(PdfReader(io.BytesIO(content)).trailer["/Root"])
    return [e for e, _a in walk(_obj(root["/StructTreeRoot"])) if e["/S"] == "/Table"]


def pdfs(cast, client) -> dict[str, bytes]:
    s = cast.school.pk
    urls = {
        "rapport": reverse("assessments:result_pdf", args=[s, cast.closed_round.pk]),
        "traject": reverse("trajectory:pdf", args=[s]),
        "opbrengsten": reverse("outcomes:results_pdf", args=[s]),
    }
    return {name: get(client, url) for name, url in urls.items()}


def test_every_pdf_has_a_right_structure_tree_and_says_pdf_ua(full, login):
    for name, content in pdfs(full, login(full.kartrekker)).items():
        assert structure_problems(content) == [], name
        assert tables(content), name
        reader = PdfReader(io.BytesIO(content))
        xmp = _obj(reader.trailer["/Root"]["/Metadata"]).get_data().decode()
        assert "pdfuaid:part" in xmp, name  # the claim is made, and the tree above bears it out
        figures = [e for e, _a in walk(_obj(reader.trailer["/Root"]["/StructTreeRoot"])) if e["/S"] == "/Figure"]
        if name in ("rapport", "opbrengsten"):
            assert figures, name  # the charts are there, as figures with a text


def test_the_route_pdf_reads_each_step_under_its_own_phase(full, login):
    """The bug as found: after the merged phase cell, every step was read under the first phase's column."""
    content = get(login(full.kartrekker), reverse("trajectory:pdf", args=[full.school.pk]))
    (table,) = tables(content)
    assert kids(table)[0]["/S"] == "/Caption"
    cells = table_grid(table)
    phases = {str(c["/ID"]): r for c, r, col, rs, cs in cells if c["/S"] == "/TH" and col == 0 and r > 0}
    assert len(phases) >= 4  # one row header per phase, merged over its steps
    column_heads = {str(c["/ID"]) for c, r, col, rs, cs in cells if c["/S"] == "/TH" and r == 0}
    for cell, r, c, _rs, _cs in cells:
        if cell["/S"] != "/TD":
            continue
        names = {str(h) for h in attributes(cell)["/Headers"]}
        (phase,) = names & phases.keys()  # exactly one phase: the one whose merged cell covers this row
        assert phases[phase] == max(start for start in phases.values() if start <= r)
        assert len(names & column_heads) == 1 and f"-0-{c}" in "".join(names & column_heads)


def test_pdf_tags_correct_merged_cells_hidden_captions_and_row_headers(rf):
    """core/pdftags.py on a table with everything WeasyPrint gets wrong: rowspan and colspan, a hidden caption,
    a row header without scope."""
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    from core.pdftags import fix_structure

    html = """<html lang="nl"><head><title>t</title></head><body><main><table>
      <caption class="visually-hidden">Verborgen bijschrift</caption>
      <thead><tr><th>Groep</th><th>Naam</th><th colspan="2">Cijfers</th></tr></thead>
      <tbody>
        <tr><th rowspan="2">A</th><th>a1</th><td>1</td><td>2</td></tr>
        <tr><th>a2</th><td colspan="2">3</td></tr>
        <tr><th>B</th><td>b1</td><td rowspan="2">4</td><td>5</td></tr>
        <tr><th>C</th><td>c1</td><td>6</td></tr>
      </tbody></table></main></body></html>"""
    css = [CSS(filename=finders.find("css/app.css"))]
    content = HTML(string=html).write_pdf(stylesheets=css, pdf_variant="pdf/ua-1", finisher=fix_structure)
    assert structure_problems(content) == []
    (table,) = tables(content)
    assert [k["/S"] for k in kids(table)] == ["/Caption", "/THead", "/TBody"]
    by_text = {(r, c): cell for cell, r, c, rs, cs in table_grid(table)}
    ids = {rc: str(cell.get("/ID")) for rc, cell in by_text.items()}
    # "3" (row 2, columns 2-3) is headed by Cijfers, group A (merged from row 1) and a2
    assert {str(h) for h in attributes(by_text[(2, 2)])["/Headers"]} == {ids[(0, 2)], ids[(1, 0)], ids[(2, 1)]}
    # "6" (row 4, column 3) sits right of the merged "4": headed by Cijfers and C, not by B
    assert {str(h) for h in attributes(by_text[(4, 3)])["/Headers"]} == {ids[(0, 2)], ids[(4, 0)]}
    assert attributes(by_text[(1, 0)])["/Scope"] == "/Row" and attributes(by_text[(0, 0)])["/Scope"] == "/Column"


# Word: column widths, spaces, headers -----------------------------------------------------------------------------

DEJAVU_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"  # Debian's fonts-dejavu-core (.ci/run)
TWIPS_PER_MM = 1440 / 25.4


def documents(cast, client) -> dict:
    s, r = cast.school.pk, cast.closed_round.pk
    intake = build_intake(cast)
    urls = {
        "gespreksformulier": reverse("assessments:result_docx", args=[s, r]),
        "actieplan": reverse("actionplans:plan_docx", args=[s]),
        "voorgesprek": reverse("intake:conversation_docx", args=[s, intake.conversation.pk]),
        "traject": reverse("trajectory:docx", args=[s]),
    }
    return {name: Document(io.BytesIO(get(client, url))) for name, url in urls.items()}


def printed_width_mm(word: str, size_pt: float) -> float:
    """The word in DejaVu Sans Bold: wider than Calibri and what LibreOffice shows where Calibri is missing."""
    from PIL import ImageFont

    return ImageFont.truetype(DEJAVU_BOLD, 1000).getlength(word) / 1000 * size_pt * 25.4 / 72


def font_size(doc) -> float:
    size = doc.styles["Normal"].font.size
    return size.pt if size is not None else 11  # the template's default (w:docDefaults sz 22)


def test_every_word_table_has_fixed_widths_that_fit_its_header_words(full, login):
    docs = documents(full, login(full.schoolleider))
    checked = 0
    for name, doc in docs.items():
        sections = doc.sections
        for t, table in enumerate(doc.tables):
            where = f"{name} table {t + 1}"
            tbl = table._tbl
            assert tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed", where
            grid = [int(col.get(qn("w:w"))) for col in tbl.tblGrid.findall(qn("w:gridCol"))]
            assert all(w > 0 for w in grid), where
            text_width = max(s.page_width - s.left_margin - s.right_margin for s in sections) / 635  # EMU -> twips
            assert sum(grid) <= text_width + 5, where
            for tr in tbl.findall(qn("w:tr")):
                tcs = tr.findall(qn("w:tc"))
                assert len(tcs) == len(grid), where
                for tc, w in zip(tcs, grid, strict=True):
                    width = tc.tcPr.find(qn("w:tcW"))
                    assert width is not None and width.get(qn("w:type")) == "dxa", where
                    assert int(width.get(qn("w:w"))) == w, where
            for cell, w in zip(table.rows[0].cells, grid, strict=True):
                for word in cell.text.split():
                    needed = printed_width_mm(word, font_size(doc)) + 3.8  # + the cell's left and right margin
                    assert needed <= w / TWIPS_PER_MM + 0.05, f"{where}: {word!r} needs {needed:.1f} mm"
            checked += 1
    assert checked >= 11  # 4 layers in the form, meetings and 4 layers in the plan, the agreements, the route


def test_word_keeps_the_spaces_around_text_runs(full, login):
    """A run whose text starts or ends with a space needs xml:space="preserve", or Word and LibreOffice drop the
    space ("Status: Bezig– TE LAAT")."""
    docs = documents(full, login(full.schoolleider))
    for name, doc in docs.items():
        for t in doc.element.body.iter(qn("w:t")):
            if t.text and t.text != t.text.strip():
                assert t.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve", (name, t.text)
    late = [row for table in docs["actieplan"].tables for row in table.rows if "TE LAAT" in row.cells[0].text]
    assert late and "Status: Bezig – TE LAAT" in late[0].cells[0].text


def test_gespreksformulier_headers_are_the_handbooks(full, login):
    """The column headers come from the handbook's Bijlage 5 (content/gespreksformulier-2023.json). The handbook
    itself says "Voornaamste ontwikkeldoelen" in its first table (Kennisontwikkeling) and "Voornaamste
    ontwikkeldoel" in the other three: the form stays faithful to it, and this is the only difference."""
    doc = documents(full, login(full.schoolleider))["gespreksformulier"]
    form = load_gespreksformulier()
    columns = {s["layer_code"]: s["columns"] for s in form["form_sections"]}
    headers = [[c.text for c in table.rows[0].cells] for table in doc.tables]
    assert headers == [["Accent", *columns[code]] for code in ("1", "2", "3A", "3B")]
    differing = {code: cols for code, cols in columns.items() if cols != form["form_fields"]}
    assert differing == {"1": [*form["form_fields"][:2], "Voornaamste ontwikkeldoelen", form["form_fields"][3]]}


# HTML: the main pages parse without errors and use each id once -------------------------------------------------


def html_problems(content: bytes) -> list[str]:
    """Parse errors (html5lib, the WHATWG parsing algorithm browsers use), ids used more than once, and
    htmx attributes without the data- prefix (hx-post, hx-headers, ...: not valid HTML; htmx 2 reads data-hx-*)."""
    import html5lib

    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
    root = parser.parse(content, transport_encoding="utf-8")
    problems = [
        f"line {line}, column {col}: {html5lib.constants.E.get(code, code) % (data or {})}"
        for (line, col), code, data in parser.errors
    ]
    seen: dict[str, int] = {}
    for element in root.iter():
        if isinstance(element.tag, str) and element.get("id") is not None:
            seen[element.get("id")] = seen.get(element.get("id"), 0) + 1
    problems += [f'id="{ident}" {n} times' for ident, n in seen.items() if n > 1]
    problems += [f"id {ident!r} is empty or has spaces" for ident in seen if not ident or " " in ident]
    problems += [
        f"<{element.tag} {name}>: use data-{name}"
        for element in root.iter()
        if isinstance(element.tag, str)
        for name in element.attrib
        if name.startswith("hx-")
    ]
    return problems


def test_html_problems_are_found():
    bad = b'<!DOCTYPE html><html lang="nl"><head><title>t</title></head><body hx-headers="{}"><p id="a">x</p>'
    bad += b'<div id="a"></p></div></body></html>'
    bad += b'<form hx-post="/x"></form>'
    found = html_problems(bad)
    assert 'id="a" 2 times' in found and "<body hx-headers>: use data-hx-headers" in found
    assert "<form hx-post>: use data-hx-post" in found
    assert any("line 1" in p for p in found)  # the stray </p>
    good = b'<!DOCTYPE html><html lang="nl"><head><title>t</title></head><body data-hx-headers="{}"><p id="a">x</p>'
    assert html_problems(good + b"</body></html>") == []


def test_main_pages_are_valid_html_with_unique_ids(full, login):
    from reference.content import TOPIC_SLUGS
    from trajectory.models import Trajectory

    training = make_training(full)
    s, b = full.school.pk, full.board.pk
    pages = {
        "school": reverse("organisations:school", args=[s]),
        "groei": reverse("assessments:growth", args=[s]),
        "ronde": reverse("assessments:round", args=[s, full.open_round.pk]),
        "invullen": reverse("assessments:fill_step", args=[s, full.open_round.pk, "1"]),
        "invullen-prioriteiten": reverse("assessments:fill_step", args=[s, full.open_round.pk, "prioriteiten"]),
        "consensus": reverse("assessments:consensus", args=[s, full.consensus_round.pk]),
        "resultaat": reverse("assessments:result", args=[s, full.closed_round.pk]),
        "actieplan": reverse("actionplans:plan", args=[s]),
        "traject": reverse("trajectory:overview", args=[s]),
        "trainingsplan": reverse("training:plan", args=[s, training.plan.pk]),
        "training": reverse("training:overview", args=[s]),
        "naslag": reverse("reference:index"),
        "naslag-onderwerp": reverse("reference:topic", args=[TOPIC_SLUGS[0]]),
        "opbrengsten": reverse("outcomes:overview", args=[s]),
        "opbrengsten-resultaten": reverse("outcomes:results", args=[s]),
        "zo-begin-je": reverse("organisations:onboarding", args=[s]),
    }
    client = login(full.kartrekker)
    found = {name: html_problems(get(client, url)) for name, url in pages.items()}
    make_beheerder(full)  # the board's schools and its training for new staff
    board_training = make_board_training(full)
    module2 = board_training.module2  # in a month, trained by the cast's trainer: on the trainer's home
    type(module2).objects.filter(pk=module2.pk).update(date=datetime.date.today() + datetime.timedelta(days=30))
    module2.trainers.add(full.trainer)
    trainer_home = get(login(full.trainer), reverse("home"))
    assert b"Trainingen voor nieuwe medewerkers" in trainer_home  # the trainer's home, with the board's sessions
    found["start-trainer"] = html_problems(trainer_home)
    board = login(full.board_member)
    for name, url in {
        "bestuur": reverse("organisations:board", args=[b]),
        "bestuur-opbrengsten": reverse("outcomes:board", args=[b]),
        "bestuur-scholen": reverse("organisations:board_schools", args=[b]),
        "bestuur-trainingen": reverse("training:board_trainings", args=[b]),
        "bestuur-training": reverse("training:board_training", args=[b, board_training.training.pk]),
    }.items():
        found[name] = html_problems(get(board, url))
    assert {name: p for name, p in found.items() if p} == {}
    # the pages that show an item twice: each copy has its own id, the item's own place keeps the plain one
    route = get(client, pages["traject"]).decode()
    steps = set(Trajectory.objects.get(school=full.school).steps.values_list("pk", flat=True))
    shown_next = {int(pk) for pk in re.findall(r'id="volgende-stap-(\d+)"', route)}
    assert shown_next and shown_next <= steps
    assert all(f'id="stap-{pk}"' in route for pk in shown_next)
    plan = get(client, pages["actieplan"]).decode()
    late = next(a for a in full.school.actions.all() if a.title == "Ouderavond plannen")
    assert f'id="action-{late.pk}"' in plan and f'id="te-laat-action-{late.pk}"' in plan
