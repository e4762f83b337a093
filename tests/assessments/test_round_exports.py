"""Exports of a closed round: the Gespreksformulier (.docx), the overview (.xlsx) and the report (.pdf).

Each export is opened with the library a reader would use (python-docx, openpyxl, pypdf) and checked for its
content, for the same access rules as the result page, and for what board viewers must never get: individual
answers.
"""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pypdf import PdfReader

from assessments.models import Answer, ConsensusItem, Participant, Round
from assessments.summary import summarise
from core.pdf import StaticFilesFetcher
from ontwikkelmodel.content import load_gespreksformulier
from tests.factories import fill_completely, make_round, move_to

UNIQUE_ANSWER = "UNIEK-ANTWOORD-123"
FORMULA = "=SUM(A1)"
EXPORTS = ("result_docx", "result_xlsx", "result_pdf")


def phase_of(code: str) -> int:
    """The agreed phase per accent in these tests: 1, 2, 3, 4, 1, ..."""
    return [1, 2, 3, 4][int(code[-1]) % 4]


@pytest.fixture
def agreed(cast):
    """The cast's closed round with agreements for every accent, varied answers and one unique written answer."""
    round_ = cast.closed_round
    codes = round_.model.accent_codes
    for i, code in enumerate(codes):
        ConsensusItem.objects.create(
            round=round_,
            accent_code=code,
            phase=phase_of(code),
            strengths=FORMULA if code == "1.1" else f"Gedeeld sterk punt bij {code}",
            next_steps=f"Volgende stap voor {code}" if i < 5 else "",
            priority=i + 1 if i < 5 else None,
        )
    # Different phases per participant for layer 2 (including "weet ik niet"), so the counts say something.
    for j, participant in enumerate(Participant.objects.filter(round=round_).order_by("pk")):
        Answer.objects.filter(participant=participant, accent_code__startswith="2").update(phase=j % 5)
    answer = Answer.objects.filter(participant__round=round_, participant__user=cast.teamlid, accent_code="1.2")
    answer.update(strengths=UNIQUE_ANSWER, goal=UNIQUE_ANSWER + "-DOEL")
    return round_


def url(name, school, round_):
    return reverse(f"assessments:{name}", args=[school.pk, round_.pk])


def download(client, name, school, round_):
    response = client.get(url(name, school, round_))
    assert response.status_code == 200, response.content[:300]
    return response


def pdf_text(content: bytes) -> tuple[PdfReader, str]:
    """The reader and the text of all pages, whitespace collapsed (lines wrap where the layout wraps them)."""
    reader = PdfReader(io.BytesIO(content))
    return reader, " ".join(" ".join(page.extract_text() for page in reader.pages).split())


# Word ----------------------------------------------------------------------------------------------------------


def test_docx_is_the_filled_in_gespreksformulier(cast, login, agreed):
    response = download(login(cast.kartrekker), "result_docx", cast.school, agreed)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert response["Content-Disposition"] == 'attachment; filename="afgesloten-ronde-gespreksformulier.docx"'
    doc = Document(io.BytesIO(response.content))

    assert doc.core_properties.language == "nl-NL"
    assert doc.core_properties.title == "Gespreksformulier ontwikkelmodel TSO – Afgesloten ronde"
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == ("Heading 1", "Gespreksformulier ontwikkelmodel TSO")
    assert ("Heading 2", "1 Kennisontwikkeling") in headings
    assert ("Heading 2", "3B Regulatie bevorderen") in headings
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "School: De Regenboog" in text
    assert "Ronde: Afgesloten ronde" in text
    assert "Handboek Implementatie Traumasensitief Onderwijs" in text  # the source, cited at the end
    assert "Bijlage 5" in text

    model = agreed.model
    assert len(doc.tables) == len(model.layers)
    columns = {s["layer_code"]: s["columns"] for s in load_gespreksformulier()["form_sections"]}
    rows = {}
    for layer, table in zip(model.layers, doc.tables, strict=True):
        header = table.rows[0]
        assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated, and read as headers
        assert [c.text for c in header.cells] == ["Accent", *columns[layer.code]]  # the form's own columns
        assert header.cells[2].text == "Sterke punten in de school"
        for row in table.rows[1:]:
            cells = [c.text for c in row.cells]
            rows[cells[0].split(" ", 1)[0]] = cells
    assert sorted(rows) == sorted(model.accent_codes)
    for accent in model.accents:
        name, phase, strengths, goal, priority = rows[accent.code]
        assert name == f"{accent.code} {accent.name}"
        assert phase == f"Groeifase {phase_of(accent.code)}"
    assert rows["1.2"][2] == "Gedeeld sterk punt bij 1.2"
    assert rows["1.1"][2] == FORMULA
    assert rows["1.1"][3] == "Volgende stap voor 1.1"
    assert [rows[code][4] for code in model.accent_codes[:6]] == ["1", "2", "3", "4", "5", ""]
    assert UNIQUE_ANSWER not in text + str([rows])  # individual answers never: this is the team's form


# Excel ---------------------------------------------------------------------------------------------------------


def test_xlsx_consensus_and_distribution_for_members(cast, login, agreed):
    response = download(login(cast.kartrekker), "result_xlsx", cast.school, agreed)
    assert response["Content-Disposition"] == 'attachment; filename="afgesloten-ronde-overzicht.xlsx"'
    assert "no-store" in response["Cache-Control"]
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames[:2] == ["Consensus", "Verdeling"]

    ws = wb["Consensus"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:I{1 + len(agreed.model.accent_codes)}"
    assert ws.column_dimensions["E"].width > ws.column_dimensions["B"].width
    header, *rows = list(ws.iter_rows(values_only=True))
    assert header == (
        "Groeilaag",
        "Accentcode",
        "Accent",
        "Afgesproken groeifase",
        "Gedeelde sterke punten",
        "Volgende ontwikkelstap(pen)",
        "Prioriteit",
        "Tot en met groeifase",
        "Wat we verschillend zagen",
    )
    by_code = {row[1]: row for row in rows}
    for accent in agreed.model.accents:
        layer, code, name, phase, *_ = by_code[accent.code]
        assert (name, phase) == (accent.name, phase_of(accent.code))
    assert by_code["1.1"][0] == "1 Kennisontwikkeling"
    assert by_code["1.2"][4] == "Gedeeld sterk punt bij 1.2"
    assert by_code["1.3"][5] == "Volgende stap voor 1.3"
    assert [by_code[c][6] for c in agreed.model.accent_codes[:6]] == [1, 2, 3, 4, 5, None]

    # Anonymised distribution: counts only, the same as on the result page.
    summary = summarise(agreed, include_individual=True)
    header, *rows = list(wb["Verdeling"].iter_rows(values_only=True))
    assert header[3:] == ("Fase 1", "Fase 2", "Fase 3", "Fase 4", "Weet ik niet", "Spreiding (fases)")
    counts = {row[1]: row[3:] for row in rows}
    for a in summary.accents:
        assert counts[a.accent.code] == (a.counts[1], a.counts[2], a.counts[3], a.counts[4], a.dont_know, a.spread)
    assert counts["2.1"] != counts["1.1"]  # the varied answers show
    assert all(isinstance(v, int | None) for row in counts.values() for v in row)

    everything = [str(c.value) for sheet in wb for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not any(UNIQUE_ANSWER in v for v in everything)
    names = [u.display_name for u in (cast.teamlid, cast.kartrekker, cast.schoolleider)]
    assert not any(name in v for name in names for v in everything)


def test_xlsx_user_text_is_never_a_formula(cast, login, agreed):
    content = download(login(cast.kartrekker), "result_xlsx", cast.school, agreed).content
    ws = load_workbook(io.BytesIO(content))["Consensus"]
    cell = next(row[4] for row in ws.iter_rows(min_row=2) if row[1].value == "1.1")
    assert cell.value == FORMULA  # shown as typed, without an apostrophe
    assert cell.data_type == "s"
    assert cell.quotePrefix  # and stays text when edited in Excel
    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_xlsx_for_the_board_has_no_distribution(cast, login, agreed):
    content = download(login(cast.board_member), "result_xlsx", cast.school, agreed).content
    wb = load_workbook(io.BytesIO(content))
    assert "Verdeling" not in wb.sheetnames
    rows = list(wb["Consensus"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(agreed.model.accent_codes)  # the consensus itself: yes
    everything = " ".join(str(v) for sheet in wb for row in sheet.iter_rows(values_only=True) for v in row)
    assert UNIQUE_ANSWER not in everything


def test_xlsx_of_a_small_anonymous_round_has_no_distribution(cast, login):
    """Anonymous rounds show the distribution from three submissions on: the export follows the page."""
    round_ = make_round(cast.school, [cast.kartrekker, cast.schoolleider], by=cast.kartrekker, title="Klein")
    for p in round_.participants.all():
        fill_completely(p)
    round_ = move_to(round_, "closed", cast.kartrekker)
    wb = load_workbook(io.BytesIO(download(login(cast.kartrekker), "result_xlsx", cast.school, round_).content))
    assert "Verdeling" not in wb.sheetnames


# PDF -------------------------------------------------------------------------------------------------------------


def test_pdf_report_is_the_result_page_tagged_and_dutch(cast, login, agreed):
    client = login(cast.kartrekker)
    page = client.get(url("result", cast.school, agreed)).content.decode()
    response = download(client, "result_pdf", cast.school, agreed)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="afgesloten-ronde-rapport.pdf"'
    reader, text = pdf_text(response.content)

    assert "De Regenboog" in text
    assert "Resultaat: Afgesloten ronde" in text
    for accent in agreed.model.accents:
        assert accent.name in text
    assert "Gedeeld sterk punt bij 3A.2" in text
    assert "Volgende stap voor 1.2" in text
    assert "Individuele verdeling" in text  # members see the counts, as on the page
    assert "Uitloggen" not in text and "Downloaden" not in text  # header and buttons: print CSS hides them

    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "nl"
    assert reader.metadata.title.startswith("Resultaat – Afgesloten ronde")
    # The page shows no individual written answers, so neither does the report.
    assert UNIQUE_ANSWER not in page
    assert UNIQUE_ANSWER not in text


def test_pdf_report_for_the_board_has_consensus_only(cast, login, agreed):
    response = download(login(cast.board_member), "result_pdf", cast.school, agreed)
    _reader, text = pdf_text(response.content)
    assert "De Regenboog" in text and "Afgesloten ronde" in text
    assert "Motivatie ontwikkelen" in text
    assert "Gedeeld sterk punt bij 1.2" in text
    assert UNIQUE_ANSWER not in text
    assert "Individuele verdeling" not in text
    assert "Fase 1:" not in text  # no distribution charts


def test_pdf_report_carries_the_goals_and_actions_that_followed(cast, login, agreed):
    """The report ends with what the werkgroep made of the priorities; deleted goals and actions stay out."""
    from actionplans import services

    first, second = services.do_create_goals_from_round(
        round_=agreed,
        choices=[
            {"accent_code": "1.1", "title": "Samen werken aan motivatie", "term": "kort"},
            {"accent_code": "1.2", "title": "Doel dat weer verdween", "term": "lang"},
        ],
        acting_user=cast.kartrekker,
    )
    services.do_create_action(
        school=cast.school,
        goal=first,
        title="Teammoment over motivatie plannen",
        owner=cast.werkgroeplid,
        due_date=datetime.date(2027, 3, 15),
        monitoring="Evaluatie in de werkgroep",
        acting_user=cast.kartrekker,
    )
    dropped = services.do_create_action(
        school=cast.school, goal=first, title="Actie die weer verdween", acting_user=cast.kartrekker
    )
    services.do_delete_action(action=dropped, acting_user=cast.kartrekker)
    services.do_delete_goal(goal=second, acting_user=cast.kartrekker)

    for who in ("kartrekker", "board_member"):
        _reader, text = pdf_text(download(login(cast.user(who)), "result_pdf", cast.school, agreed).content)
        assert "Wat volgde: doelen en actiepunten" in text, who
        assert "Prioriteit 1: Samen werken aan motivatie" in text
        assert "Teammoment over motivatie plannen" in text
        assert "Wim Werkgroep" in text and "15 mrt 2027" in text.lower()
        assert "Evaluatie in de werkgroep" in text
        assert "Eerste stap: Samen werken aan motivatie" in text  # the goal's first action
        assert "verdween" not in text
        assert "Doelen maken voor het actieplan" not in text  # the page's button is not printed


def test_pdf_fetcher_serves_our_static_files_and_refuses_everything_else(settings):
    fetcher = StaticFilesFetcher("http://testserver/")
    css = fetcher.fetch("http://testserver/static/css/app.css")
    assert b"@media print" in css.read()
    assert css.content_type == "text/css"
    refused = [
        "https://example.com/static/css/app.css",  # another host
        "http://example.com/tracker.png",
        "http://testserver/scholen/1/",  # our own pages: not static
        "http://testserver/static/../groeiwijzer/settings.py",
        "http://testserver/static/%2e%2e/groeiwijzer/settings.py",
        "http://testserver/static/css/bestaat-niet.css",
        "file:///etc/passwd",
        "data:text/css,body{}",
    ]
    for bad in refused:
        with pytest.raises(ValueError):
            fetcher.fetch(bad)


# Access ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", EXPORTS)
def test_only_closed_rounds_of_your_own_school(cast, login, name):
    for who in ("kartrekker", "board_member"):
        client = login(cast.user(who))
        for round_ in (cast.open_round, cast.consensus_round):
            assert client.get(url(name, cast.school, round_)).status_code == 404, (who, round_.title)
        assert client.get(url(name, cast.school, cast.other_round)).status_code == 404
    outsider = login(cast.outsider)
    assert outsider.get(url(name, cast.school, cast.closed_round)).status_code == 404
    assert outsider.get(url(name, cast.other_school, cast.closed_round)).status_code == 404


@pytest.mark.parametrize("name", EXPORTS)
def test_anonymous_visitors_are_sent_to_log_in(client, cast, name):
    target = url(name, cast.school, cast.closed_round)
    response = client.get(target)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


def test_filename_is_ascii(cast, login):
    Round.objects.filter(pk=cast.closed_round.pk).update(title='Évaluatie 2025/2026 – voorjaar "school"')
    response = download(login(cast.kartrekker), "result_docx", cast.school, cast.closed_round)
    filename = "evaluatie-20252026-voorjaar-school-gespreksformulier.docx"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'


@pytest.mark.parametrize("who", ["kartrekker", "teamlid", "board_member"])
def test_result_page_links_to_the_exports(cast, login, who):
    content = login(cast.user(who)).get(url("result", cast.school, cast.closed_round)).content.decode()
    for name, label in zip(EXPORTS, ("Gespreksformulier (Word)", "Overzicht (Excel)", "Rapport (PDF)"), strict=True):
        assert url(name, cast.school, cast.closed_round) in content
        assert label in content
    assert "Afdrukken" in content


def test_pdf_fetcher_reads_hashed_names_from_static_root(settings, tmp_path):
    """Production: {% static %} gives names with a content hash, found in STATIC_ROOT after collectstatic."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    hashed = staticfiles_storage.url("css/app.css")
    assert hashed != "/static/css/app.css"
    response = StaticFilesFetcher("http://testserver/").fetch("http://testserver" + hashed)
    assert b"@media print" in response.read()


def test_control_characters_in_user_text_do_not_break_the_exports(cast, login):
    """Word and Excel files are XML, which cannot hold most control characters: they are left out, not a 500."""
    ConsensusItem.objects.create(
        round=cast.closed_round, accent_code="1.1", phase=2, strengths="Rust\x0bin\x0cde\x1bklas", next_steps="Stap"
    )
    client = login(cast.kartrekker)
    doc = Document(io.BytesIO(download(client, "result_docx", cast.school, cast.closed_round).content))
    assert "Rustindeklas" in [c.text for table in doc.tables for row in table.rows for c in row.cells]
    wb = load_workbook(io.BytesIO(download(client, "result_xlsx", cast.school, cast.closed_round).content))
    assert wb["Consensus"]["E2"].value == "Rustindeklas"
    assert download(client, "result_pdf", cast.school, cast.closed_round).content.startswith(b"%PDF")
