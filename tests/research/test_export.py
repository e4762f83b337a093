"""The research export: only consenting schools, pseudonymised and stable, no names / e-mail / free text in any cell,
attributes generalised to k >= 5 (tested at 4 and 5 schools), outcome aggregates only where the minimum holds,
verified platform admins only, audited, constant queries."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
import zipfile
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from audit.models import AuditEvent
from organisations.models import Board, EducationType, School
from outcomes import results as outcome_results
from outcomes import services as outcome_services
from outcomes.models import Survey
from outcomes.services import school_year_of
from research import export
from research.services import do_withdraw_consent
from tests.factories import make_user
from tests.outcomes.fixtures import add_team, submit_all
from tests.research.helpers import closed_round, consenting, peer_school
from tests.trajectory_fixtures import start_route
from tests.twofactor_helpers import login_verified
from trajectory.content import load_route
from trajectory.models import Step

BO, SO, VO = EducationType.REGULIER_BO, EducationType.SO, EducationType.VO


@pytest.fixture
def admin_client(client, db):
    return login_verified(client, make_user("Paula Platform", "paula@groeiwijzer.test", is_staff=True))


def download(client) -> dict[str, str]:
    response = client.get(reverse("research:admin_download"))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/zip" and "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {name: archive.read(name).decode() for name in archive.namelist()}


def table(files, name) -> list[dict]:
    return list(csv.DictReader(io.StringIO(files[name])))


def consenting_peers(n, **kwargs) -> list[School]:
    schools = [peer_school({"1.1": 2}, opt_in=False, **kwargs) for _ in range(n)]
    for school in schools:
        consenting(school)
    return schools


def survey_for(school, n, *, year="2026-2027", kind="jaarlijks", own_item=False):
    by = make_user(f"Organisator {school.pk} {year}")
    if own_item:
        outcome_services.do_add_own_item(
            school=school, text="Eigen vraag met vrije tekst", group="welzijn", acting_user=by
        )
    survey = outcome_services.do_open_survey(school=school, kind=kind, school_year=year, acting_user=by)
    submit_all(survey, add_team(school, n, prefix=f"resp{year[:4]}"), value="4")
    return outcome_services.do_close_survey(survey=survey, acting_user=by)


# Who -----------------------------------------------------------------------------------------------------------


def test_only_a_verified_platform_admin_gets_it(cast, client):
    admin = make_user("Paula Platform", "paula@groeiwijzer.test", is_staff=True)
    client.force_login(admin, backend="accounts.backends.EmailBackend")  # no second factor in this session
    assert client.get(reverse("research:admin_export")).status_code != 200
    assert client.get(reverse("research:admin_download")).status_code != 200
    login_verified(client, admin)
    assert client.get(reverse("research:admin_export")).status_code == 200
    client.force_login(cast.schoolleider, backend="accounts.backends.EmailBackend")
    assert client.get(reverse("research:admin_download")).status_code == 403


# k-anonymity -------------------------------------------------------------------------------------------------


def test_four_consenting_schools_give_no_export(cast, admin_client):
    consenting_peers(4)
    page = admin_client.get(reverse("research:admin_export")).content.decode()
    assert "Nog geen export mogelijk" in page
    before = AuditEvent.objects.count()
    response = admin_client.get(reverse("research:admin_download"))
    assert response.status_code == 302 and response["Location"] == reverse("research:admin_export")
    assert AuditEvent.objects.count() == before  # nothing exported, nothing logged
    assert export.choose_level([(BO, 10)] * 4) is None


def test_five_alike_schools_keep_their_attributes(cast, admin_client):
    consenting_peers(5)
    rows = table(download(admin_client), "scholen.csv")
    assert len(rows) == 5 and {(r["onderwijstype"], r["grootte"]) for r in rows} == {("bo", "1-15")}


def test_five_mixed_schools_are_generalised_until_every_combination_has_five(cast, admin_client):
    consenting_peers(3, education_type=BO)
    consenting_peers(2, education_type=SO, members=20)
    rows = table(download(admin_client), "scholen.csv")
    combos = Counter((r["onderwijstype"], r["grootte"]) for r in rows)
    assert min(combos.values()) >= 5 and combos == {("*", "*"): 5}


def test_generalisation_steps_one_at_a_time():
    # Sizes differ only within a coarse band: merging the bands is enough.
    assert export.choose_level([(BO, 5)] * 3 + [(BO, 20)] * 2) == (0, 1)
    # bo and vo are both regulier: grouping the onderwijstype is enough.
    assert export.choose_level([(BO, 5)] * 3 + [(VO, 5)] * 2) == (1, 1)
    # Two size groups of at least five: kept.
    assert export.choose_level([(BO, 5)] * 5 + [(BO, 70)] * 5) == (0, 0)
    # Small and large regulier schools: the size goes.
    assert export.choose_level([(BO, 5)] * 3 + [(VO, 70)] * 2) == (1, 2)
    for level in export.LEVELS:  # every level keeps 5+ per combination when chosen
        schools = [(BO, 5)] * 5 + [(SO, 70)] * 5
        if export.choose_level(schools) == level:
            assert min(Counter(export.generalised(t, m, level) for t, m in schools).values()) >= 5


# What is in it ------------------------------------------------------------------------------------------------


@pytest.fixture
def dataset(cast):
    """Six consenting schools (five peers and De Regenboog), one that withdrew and one that never consented; De
    Regenboog with rounds (one with a range), a survey that holds its minimum and one that does not, a route."""
    peers = consenting_peers(5)
    consenting(cast.school, cast.schoolleider)
    closed_round(cast.school, {"1.1": 1, "3B.1": 2}, day=datetime.date(2025, 10, 1))
    closed_round(cast.school, {"1.1": 2, "3B.1": (2, 3)}, day=datetime.date(2026, 9, 15))
    survey_for(cast.school, 5, year="2025-2026", kind="nulmeting", own_item=True)
    survey_for(cast.school, 4, year="2026-2027")  # below the minimum of 5
    start_route(cast.school, cast.kartrekker)
    withdrawn = peer_school({"1.1": 4}, opt_in=False, name="Teruggetrokken School")
    consenting(withdrawn)
    do_withdraw_consent(school=withdrawn, acting_user=make_user("Iemand"))
    never = peer_school({"1.1": 4}, opt_in=False, name="Nooit Toestemming School")
    return peers, withdrawn, never


def test_only_consenting_schools_are_in_it(cast, dataset, admin_client):
    peers, withdrawn, never = dataset
    files = download(admin_client)
    names = {r["school"] for r in table(files, "scholen.csv")}
    expected = {export.pseudonym(s.pk) for s in [*peers, cast.school]}
    assert names == expected
    for name in ("rondes.csv", "opbrengsten.csv", "route.csv"):
        assert {r["school"] for r in table(files, name)} <= expected
    assert export.pseudonym(withdrawn.pk) not in str(files) and export.pseudonym(never.pk) not in str(files)


def test_no_name_email_id_or_free_text_in_any_cell(cast, dataset, admin_client):
    files = download(admin_client)
    forbidden = [
        *School.objects.values_list("name", flat=True),
        *Board.objects.values_list("name", flat=True),
        *User.objects.values_list("name", flat=True),
        *User.objects.values_list("email", flat=True),
        *Survey.objects.values_list("title", flat=True),
        "Geheime rondetitel",
        "Vrije tekst",
        "Eigen vraag met vrije tekst",
        "@",
    ]
    for name, content in files.items():
        cells = [cell for row in csv.reader(io.StringIO(content)) for cell in row] if name.endswith(".csv") else []
        for text in forbidden:
            assert text not in content, f"{text!r} in {name}"
        for cell in cells:
            assert not cell.startswith(("=", "+", "-", "@")) or cell.lstrip("-").replace(".", "").isdigit(), cell
            assert len(cell) < 40, f"{name}: a long cell looks like text: {cell!r}"
    # No database id: our school's id is nowhere as a school column.
    assert str(cast.school.pk) not in {r["school"] for r in table(files, "scholen.csv")}


def test_pseudonyms_are_stable_across_exports_and_need_the_key(cast, dataset, admin_client, settings):
    first = table(download(admin_client), "scholen.csv")
    second = table(download(admin_client), "scholen.csv")
    assert first == second
    ours = export.pseudonym(cast.school.pk)
    assert ours.startswith("S-") and len(ours) == 18
    plain = hashlib.sha256(f"school:{cast.school.pk}".encode()).hexdigest()[:16]
    assert ours != f"S-{plain}"  # keyed: trying ids one by one without the key finds nothing
    settings.RESEARCH_PSEUDONYM_KEY = "een-andere-sleutel"
    assert export.pseudonym(cast.school.pk) != ours


def test_rounds_as_agreed_phases_and_ranges_by_school_year(cast, dataset, admin_client):
    rows = [r for r in table(download(admin_client), "rondes.csv") if r["school"] == export.pseudonym(cast.school.pk)]
    by = {(r["ronde"], r["accent"]): r for r in rows}
    assert by[("1", "1.1")]["schooljaar"] == "2025-2026" and by[("1", "1.1")]["fase"] == "1"
    second = by[("2", "3B.1")]
    assert second["schooljaar"] == "2026-2027" and (second["fase"], second["fase_tot"], second["fase_midden"]) == (
        "2",
        "3",
        "2.5",
    )
    assert by[("2", "1.1")]["fase_tot"] == "" and by[("2", "1.1")]["laag"] == "1"


def test_outcome_aggregates_only_where_the_minimum_holds(cast, dataset, admin_client):
    rows = [
        r for r in table(download(admin_client), "opbrengsten.csv") if r["school"] == export.pseudonym(cast.school.pk)
    ]
    assert rows and {r["schooljaar"] for r in rows} == {"2025-2026"}  # the survey of 4 is absent altogether
    assert {r["soort"] for r in rows} == {"nulmeting"} and {r["deelnemers"] for r in rows} == {"5-9"}
    assert not any(r["aspect"].startswith("eigen") for r in rows)  # own questions left out
    survey = Survey.objects.get(school=cast.school, school_year="2025-2026")
    figures = outcome_results.shown(survey, list(survey.tallies.all()))
    expected = outcome_results.aspect_rows([survey], {survey.pk: figures})
    scale = next(g for g in expected if g["kind"] != "knowledge")
    aspect = scale["aspects"][0]
    row = next(r for r in rows if r["aspect"] == aspect["code"])
    assert float(row["gemiddelde"]) == aspect["cells"][0]["mean"] == 4.0
    knowledge = next(r for r in rows if r["ken_ik_pct"])
    assert knowledge["ken_ik_pct"] == "100" and knowledge["pas_ik_toe_pct"] == "0"


def test_route_phase_dates_by_school_year_never_by_month(cast, dataset, admin_client):
    """A school's planned months are quasi-identifiers beside onderwijstype and size: only school years leave."""
    files = download(admin_client)
    rows = [r for r in table(files, "route.csv") if r["school"] == export.pseudonym(cast.school.pk)]
    assert [r["fase_nummer"] for r in rows] == ["1", "2", "3", "4"]
    # The yardstick: each phase's first start and last due date of the route's steps, as a school year.
    spans: dict[str, list] = {}
    route = load_route()
    for code, start, due in Step.objects.filter(trajectory__school=cast.school).values_list(
        "code", "start_date", "due_date"
    ):
        span = spans.setdefault(route.step(code).phase, [start, due])
        span[0], span[1] = min(span[0], start), max(span[1], due)
    for r in rows:
        assert r["schooljaar_start_teamtraining"] == "2026-2027"  # the training starts on 1 March 2027
        first, last = spans[r["fase"]]
        assert (r["begin"], r["eind"]) == (school_year_of(first), school_year_of(last))
    assert all(r["begin"] <= r["eind"] for r in rows) and rows[-1]["eind"] > rows[0]["begin"]  # years, not one
    # No month or date anywhere in the file: every date-like cell is a school year (two consecutive years).
    for row in csv.reader(io.StringIO(files["route.csv"])):
        for cell in row:
            assert not re.search(r"\b\d{4}-(0[1-9]|1[0-2])\b|\d{1,2}[-/]\d{1,2}[-/]\d{2,4}", cell), cell
            if re.fullmatch(r"\d{4}-\d{4}", cell):
                assert int(cell[5:]) == int(cell[:4]) + 1, cell
    book = " ".join(files["codebook.md"].split())
    route_part = book[book.index("## route.csv") :]
    assert "Alleen schooljaren, geen maanden" in route_part and "JJJJ-MM" not in book
    assert "Datums alleen als schooljaar (1 augustus tot 31 juli), nergens een datum of maand." in book
    assert "versie 2." in book


def test_the_codebook_describes_every_file_and_the_generalisation(cast, dataset, admin_client):
    files = download(admin_client)
    book = files["codebook.md"]
    for name in ("scholen.csv", "rondes.csv", "opbrengsten.csv", "route.csv"):
        assert name in files and name in book
        for column in next(csv.reader(io.StringIO(files[name]))):
            assert column in book, f"{column} of {name} not in the codebook"
    assert "minstens 5 scholen" in book and "2026-1" in book


def test_each_export_is_audited_for_the_platform_and_each_school_in_it(cast, dataset, admin_client):
    peers, withdrawn, never = dataset
    download(admin_client)
    platform = AuditEvent.objects.get(action="export.research")
    assert platform.school is None and platform.data["schools"] == 6 and platform.data["format"] == "zip"
    logged = set(AuditEvent.objects.filter(action="research.exported").values_list("school_id", flat=True))
    assert logged == {s.pk for s in [*peers, cast.school]}


def test_bad_input_is_never_a_500(cast, admin_client):
    consenting_peers(5)
    assert admin_client.get(reverse("research:admin_download") + "?school=1&x=%00").status_code == 200
    assert admin_client.post(reverse("research:admin_export"), {"x": "1"}).status_code in (200, 403, 405)


def test_the_export_takes_the_same_number_of_queries_for_more_schools(cast, admin_client):
    def build_count():
        with CaptureQueriesContext(connection) as queries:
            download(admin_client)
        return len(queries)

    schools = consenting_peers(5)
    survey_for(schools[0], 5)
    start_route(schools[0], make_user("Route 0"))
    few = build_count()
    more = consenting_peers(4, members=3)
    survey_for(more[0], 5)
    start_route(more[0], make_user("Route 1"))
    for school in more:
        closed_round(school, {"2.1": 3}, day=datetime.date(2027, 1, 1))
    assert build_count() == few
