"""Opbrengsten (issue 13, part 3): the content file, opening, submitting into the tallies, closing, own questions,
the pages and exports, query counts."""

from __future__ import annotations

import datetime
from io import BytesIO

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from core.content_checks import ContentError
from core.errors import ServiceError
from organisations.models import Role
from outcomes import content as content_mod
from outcomes import services
from outcomes.content import load_content
from outcomes.models import OwnItem, Respondent, RoleGroup, Survey, Tally, respondent_key
from reference.content import load_topic
from tests.factories import make_member, make_user
from tests.outcomes.fixtures import add_team, answers_for, fill_groups, submit_all
from tests.trajectory_fixtures import start_route


def open_survey(cast, kind="jaarlijks", year="2026-2027", **extra):
    return services.do_open_survey(
        school=cast.school, kind=kind, school_year=year, acting_user=cast.kartrekker, **extra
    )


# Content ----------------------------------------------------------------------------------------------------------


def test_content_has_the_four_groups_with_citations_and_the_six_competence_aspects():
    content = load_content()
    assert [g.code for g in content.groups] == ["competentie", "klasklimaat", "welzijn", "kennis"]
    competence = content.group("competentie")
    assert [a.name for a in competence.aspects] == [
        "Afstemmen op wat een leerling nodig heeft",
        "Orde houden",
        "Motiveren",
        "Instructie geven",
        "Omgaan met veranderingen en uitdagingen",
        "Samenwerken met ouders en collega’s",
    ]
    assert all(1 <= len(a.items) <= 2 for a in competence.aspects)
    assert [a.name for a in content.group("klasklimaat").aspects] == [
        "Sfeer in de klas",
        "Interactie met leerlingen",
        "Orde in de klas",
        "Onderlinge relaties tussen leerlingen",
    ]
    for group in content.groups:
        assert "001_9b1c33f7b527102f.txt" in group.citation or "002_737681bd825e55d2.txt" in group.citation
    assert "6.5.4" in content.group("welzijn").citation
    assert "Opbrengsten voor leerkrachten en leerlingen" in competence.citation


def test_knowledge_elements_come_from_the_naslag_verbatim():
    elements = load_topic("kenniselementen").data["elements"]
    knowledge = load_content().group("kennis")
    assert [a.name for a in knowledge.aspects] == list(elements)
    assert len(knowledge.aspects) == 11
    assert [c.label for c in load_content().knowledge_scale] == ["nog niet", "ken ik", "ken ik en pas ik toe"]


def test_every_aspect_names_accents_of_the_ontwikkelmodel():
    from ontwikkelmodel.content import load_file

    codes = set(load_file().accent_codes)
    for group in load_content().groups:
        for aspect in group.aspects:
            assert set(aspect.accents or group.accents) <= codes
            assert aspect.accents or group.accents


def test_content_check_refuses_a_broken_file():
    import json

    data = json.loads(content_mod.CONTENT_FILE.read_text(encoding="utf-8"))
    data["groups"][0]["aspects"][0]["accents"] = ["9Z.9"]
    with pytest.raises(ContentError, match="accents"):
        content_mod.parse(data)
    data = json.loads(content_mod.CONTENT_FILE.read_text(encoding="utf-8"))
    data["groups"][0]["aspects"][1]["items"][0]["code"] = "c1"
    with pytest.raises(ContentError, match="unique"):
        content_mod.parse(data)
    data = json.loads(content_mod.CONTENT_FILE.read_text(encoding="utf-8"))
    data["groups"][0]["source"] = "onbekend"
    with pytest.raises(ContentError, match="source"):
        content_mod.parse(data)


# Opening -----------------------------------------------------------------------------------------------------------


def test_opening_freezes_the_items_and_makes_one_tally_per_role_group(cast):
    own = services.do_add_own_item(
        school=cast.school, text="Ik ga graag naar mijn werk.", group="welzijn", acting_user=cast.kartrekker
    )
    retired = services.do_add_own_item(
        school=cast.school, text="Oude vraag.", group="competentie", acting_user=cast.kartrekker
    )
    services.do_retire_own_item(item=retired, acting_user=cast.kartrekker)
    fill_groups(cast.school)  # every role group has 5 members: one tally per group
    survey = open_survey(cast)
    assert survey.by_group is True
    keys = survey.item_keys()
    assert own.key in keys and retired.key not in keys
    assert keys["c1"] == "scale" and keys["kennis1"] == "knowledge"
    assert survey.title == "Meting 2026-2027" and survey.content_version == "2026.1"
    assert sorted(Tally.objects.filter(survey=survey).values_list("group", flat=True)) == sorted(RoleGroup.values)
    assert AuditEvent.objects.filter(action="survey.opened", object_id=str(survey.pk)).exists()
    # an own question added later is not in the survey already open
    later = services.do_add_own_item(school=cast.school, text="Later.", group="welzijn", acting_user=cast.kartrekker)
    survey.refresh_from_db()
    assert later.key not in survey.item_keys()


@pytest.mark.parametrize("minimum", [4, 0, -1])
def test_minimum_below_five_is_refused(cast, minimum):
    with pytest.raises(ServiceError, match="5 of meer"):
        open_survey(cast, min_respondents=minimum)
    assert not Survey.objects.exists()


def test_the_database_refuses_a_minimum_below_five(cast):
    survey = open_survey(cast, min_respondents=6)
    with pytest.raises(IntegrityError), transaction.atomic():
        Survey.objects.filter(pk=survey.pk).update(min_respondents=4)


def test_one_nulmeting_per_school_and_one_survey_per_title(cast):
    open_survey(cast, kind="nulmeting", year="2025-2026")
    with pytest.raises(ServiceError, match="al een nulmeting"):
        open_survey(cast, kind="nulmeting", year="2026-2027")
    open_survey(cast, year="2026-2027")
    with pytest.raises(ServiceError, match="Er is al een vragenlijst"):
        open_survey(cast, year="2026-2027")
    with pytest.raises(ServiceError, match="2026-2027"):
        open_survey(cast, year="2026-2028")


def test_the_route_proposes_the_nulmeting_two_weeks_before_the_training(cast, login):
    assert services.proposed_nulmeting_date(cast.school) is None
    start_route(cast.school, cast.kartrekker, training_start=datetime.date(2027, 3, 1))
    assert services.proposed_nulmeting_date(cast.school) == datetime.date(2027, 2, 15)
    page = login(cast.kartrekker).get(reverse("outcomes:overview", args=[cast.school.pk]))
    html = page.content.decode()
    assert "15 februari 2027" in html and 'value="2027-02-15"' in html and 'value="2026-2027"' in html


# Submitting ----------------------------------------------------------------------------------------------------------


def test_role_group_first_that_matches():
    from organisations.models import Membership

    def group(*roles):
        m = Membership()
        m.set_roles(roles)
        return services.role_group(m)

    assert group(Role.SCHOOLLEIDING, Role.KARTREKKER) == RoleGroup.SCHOOLLEIDING
    assert group(Role.KARTREKKER, Role.TEAMLID) == RoleGroup.WERKGROEP
    assert group(Role.WERKGROEPLID, Role.TRAINER_INTERN) == RoleGroup.WERKGROEP
    assert group(Role.TRAINER_INTERN, Role.TEAMLID) == RoleGroup.TRAINERS
    assert group(Role.TRAINER_EXTERN) == RoleGroup.TRAINERS
    assert group(Role.TEAMLID) == RoleGroup.TEAM


def test_submitting_adds_into_the_tally_of_the_role_group(cast):
    fill_groups(cast.school)
    survey = open_survey(cast)
    services.do_submit_survey(
        survey=survey,
        user=cast.teamlid,
        answers={"c1": "5", "kennis2": "pas_ik_toe", "c2": ""},
        acting_user=cast.teamlid,
    )
    services.do_submit_survey(
        survey=survey, user=cast.werkgroeplid, answers={"c1": "2", "c3": "weet_niet"}, acting_user=cast.werkgroeplid
    )
    team = Tally.objects.get(survey=survey, group="team")
    assert team.n_respondents == 1 and team.counts == {"c1": {"5": 1}, "kennis2": {"pas_ik_toe": 1}}
    werkgroep = Tally.objects.get(survey=survey, group="kartrekkers_werkgroep")
    assert werkgroep.counts == {"c1": {"2": 1}, "c3": {"weet_niet": 1}}
    assert sorted(Respondent.objects.filter(survey=survey).values_list("key", flat=True)) == sorted(
        [respondent_key(survey.pk, cast.teamlid.pk), respondent_key(survey.pk, cast.werkgroeplid.pk)]
    )
    # no audit row per submission: the log would be a record of who took part when (outcomes/models.py)
    assert not AuditEvent.objects.filter(action="survey.responded").exists()
    assert not AuditEvent.objects.filter(actor=cast.teamlid, object_type__startswith="outcomes.").exists()


def test_a_second_submission_is_refused_and_changes_nothing(cast):
    survey = open_survey(cast)
    services.do_submit_survey(survey=survey, user=cast.teamlid, answers={"c1": "5"}, acting_user=cast.teamlid)
    before = list(Tally.objects.values_list("group", "n_respondents", "counts"))
    with pytest.raises(ServiceError, match="al ingevuld"):
        services.do_submit_survey(survey=survey, user=cast.teamlid, answers={"c1": "1"}, acting_user=cast.teamlid)
    assert list(Tally.objects.values_list("group", "n_respondents", "counts")) == before
    assert Respondent.objects.count() == 1


def test_a_closed_survey_accepts_nothing_and_never_reopens(cast):
    survey = open_survey(cast)
    services.do_close_survey(survey=survey, acting_user=cast.kartrekker)
    with pytest.raises(ServiceError, match="gesloten"):
        services.do_submit_survey(survey=survey, user=cast.teamlid, answers={"c1": "5"}, acting_user=cast.teamlid)
    with pytest.raises(ServiceError, match="al gesloten"):
        services.do_close_survey(survey=survey, acting_user=cast.kartrekker)
    assert not Respondent.objects.exists()
    assert not hasattr(services, "do_reopen_survey")


def test_someone_outside_the_school_cannot_submit(cast):
    survey = open_survey(cast)
    with pytest.raises(ServiceError, match="Alleen leden"):
        services.do_submit_survey(survey=survey, user=cast.outsider, answers={"c1": "5"}, acting_user=cast.outsider)
    assert not Respondent.objects.exists()


# Pages ---------------------------------------------------------------------------------------------------------


def test_filling_in_on_the_page_counts_once_and_says_so(cast, login):
    survey = open_survey(cast)
    client = login(cast.teamlid)
    url = reverse("outcomes:fill", args=[cast.school.pk, survey.pk])
    page = client.get(url).content.decode()
    assert "alleen in deze browser bewaard" in page and "survey-draft.js" in page
    assert "<legend>" in page and 'type="radio"' in page
    response = client.post(url, answers_for(survey))
    assert response.status_code == 302
    # De Regenboog has one schoolleider: one tally for everyone
    assert Tally.objects.get(survey=survey, group="alle").n_respondents == 1
    again = client.post(url, answers_for(survey, value="1"))
    assert again.status_code == 409 and "al ingevuld" in again.content.decode()
    assert Tally.objects.get(survey=survey, group="alle").n_respondents == 1
    assert "al ingevuld" in client.get(url).content.decode()


def test_closing_on_the_page_and_the_results_with_exports(cast, login):
    survey = open_survey(cast, kind="nulmeting", year="2025-2026")
    submit_all(survey, add_team(cast.school, 5), value="2")
    client = login(cast.kartrekker)
    assert client.post(reverse("outcomes:close", args=[cast.school.pk, survey.pk])).status_code == 302
    later = open_survey(cast, year="2026-2027")
    submit_all(later, add_team(cast.school, 5, prefix="later"), value="4")
    services.do_close_survey(survey=later, acting_user=cast.kartrekker)
    page = client.get(reverse("outcomes:results", args=[cast.school.pk]))
    html = page.content.decode()
    assert "een eigen meting van het team, geen effectonderzoek" in html.lower()
    assert "2,0" in html and "4,0" in html and "(+2,0)" in html
    assert reverse("ontwikkelmodel:model") + "#accent-3A.2" in html  # the accent itself, not only its layer
    assert "100% ken ik, 0% pas ik toe" in html
    xlsx = client.get(reverse("outcomes:results_xlsx", args=[cast.school.pk]))
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].startswith("attachment")
    wb = load_workbook(BytesIO(xlsx.content))
    sheet = wb["Opbrengsten"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Onderdeel", "Aspect", "Nulmeting 2025-2026", "Meting 2026-2027")
    assert rows[1][:6] == ("Competentie", "Afstemmen op wat een leerling nodig heeft", 2, 4, None, 2)
    assert AuditEvent.objects.filter(action="export.outcomes", data__format="xlsx").exists()


def test_results_pdf(cast, login):
    """The PDF a board member downloads (its text read with pypdf): the honest wording, each aspect's means and the
    change from the nulmeting, and nothing of a measurement with 4 respondents (below the minimum of 5)."""
    from tests.assessments.test_round_exports import pdf_text

    base = open_survey(cast, kind="nulmeting", year="2025-2026")
    submit_all(base, add_team(cast.school, 5), value="2")
    services.do_close_survey(survey=base, acting_user=cast.kartrekker)
    later = open_survey(cast, year="2026-2027")
    submit_all(later, add_team(cast.school, 5, prefix="later"), value="4", knowledge="pas_ik_toe")
    services.do_close_survey(survey=later, acting_user=cast.kartrekker)
    small = open_survey(cast, year="2027-2028")  # 4 respondents: its means (1,0) and change (-1,0) never shown
    submit_all(small, add_team(cast.school, 4, prefix="klein"), value="1", knowledge="nog_niet")
    services.do_close_survey(survey=small, acting_user=cast.kartrekker)

    response = login(cast.board_member).get(reverse("outcomes:results_pdf", args=[cast.school.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    _reader, text = pdf_text(response.content)
    assert "Een eigen meting van het team, geen effectonderzoek." in text
    assert load_content().honesty in text
    assert "Meting 2027-2028: 4 deelnemers – minder dan 5: geen resultaten" in text
    # Each aspect's row: the nulmeting, the later year with its change, and only a dash for the small measurement.
    assert "Afstemmen op wat een leerling nodig heeft 2,0 4,0 (+2,0) –" in text
    assert "Steun van leidinggevenden 2,0 4,0 (+2,0) –" in text
    assert "trauma 100% ken ik, 0% pas ik toe 100% ken ik, 100% pas ik toe –" in text
    assert "1,0" not in text and "(-1,0)" not in text and "(-3,0)" not in text
    assert "0% ken ik, 0% pas ik toe" not in text.replace("100% ken ik, 0% pas ik toe", "")


def test_own_questions_add_and_retire(cast, login):
    client = login(cast.schoolleider)
    url = reverse("outcomes:items", args=[cast.school.pk])
    assert client.post(url, {"text": "Ik kan mijn verhaal kwijt.", "group": "welzijn"}).status_code == 302
    item = OwnItem.objects.get(school=cast.school)
    assert client.post(reverse("outcomes:item_retire", args=[cast.school.pk, item.pk])).status_code == 302
    item.refresh_from_db()
    assert item.retired_at is not None and OwnItem.objects.count() == 1  # retired, never deleted
    assert "Ingetrokken" in client.get(url).content.decode()


def test_school_page_links_to_opbrengsten(cast, login):
    html = login(cast.teamlid).get(reverse("organisations:school", args=[cast.school.pk])).content.decode()
    assert reverse("outcomes:overview", args=[cast.school.pk]) in html


def _results_queries(client, cast):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("outcomes:results", args=[cast.school.pk])).status_code == 200
    return len(ctx.captured_queries)


def test_results_page_queries_do_not_grow_with_the_surveys(cast, login):
    people = add_team(cast.school, 5)
    client = login(cast.kartrekker)
    counts = []
    for kind, year in (("nulmeting", "2024-2025"), ("jaarlijks", "2025-2026"), ("jaarlijks", "2026-2027")):
        survey = open_survey(cast, kind=kind, year=year)
        submit_all(survey, people)
        services.do_close_survey(survey=survey, acting_user=cast.kartrekker)
        counts.append(_results_queries(client, cast))
    assert counts[0] == counts[2], counts


def test_board_page_queries_do_not_grow_with_the_schools(cast, login):
    client = login(cast.board_member)

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("outcomes:board", args=[cast.board.pk])).status_code == 200
        return len(ctx.captured_queries)

    survey = open_survey(cast)
    submit_all(survey, add_team(cast.school, 5))
    services.do_close_survey(survey=survey, acting_user=cast.kartrekker)
    one = measure()
    sister = services.do_open_survey(
        school=cast.sister_school, kind="jaarlijks", school_year="2026-2027", acting_user=cast.kartrekker
    )
    submit_all(sister, [make_member(cast.sister_school, make_user(f"H{i}"), Role.TEAMLID).user for i in range(5)])
    services.do_close_survey(survey=sister, acting_user=cast.kartrekker)
    assert measure() == one


def test_the_demo_school_has_three_closed_questionnaires_with_visible_change(db):
    import io

    from django.core.management import call_command

    from organisations.models import School
    from outcomes import results

    call_command("demo", stdout=io.StringIO())
    school = School.objects.get(name__contains="Regenboog")
    surveys = results.in_time_order(Survey.objects.filter(school=school).prefetch_related("tallies"))
    assert [(s.kind, s.school_year, s.status) for s in surveys] == [
        ("nulmeting", "2023-2024", "closed"),
        ("jaarlijks", "2024-2025", "closed"),
        ("jaarlijks", "2025-2026", "closed"),
    ]
    means = []
    for survey in surveys:
        figures = results.shown(survey, list(survey.tallies.all()))
        assert figures is not None and figures.n >= survey.min_respondents
        # one schoolleider at the demo school: one tally for everyone, no breakdown
        assert not survey.by_group and [t.group for t in survey.tallies.all()] == ["alle"]
        means.append(results.mean(figures, ["c1", "c2"]))
    assert means[0] < means[1] < means[2]


def test_the_model_page_has_an_anchor_per_accent(cast, login):
    """The results link to the accents themselves (#accent-3A.2); the Ontwikkelmodel page has a row with that id."""
    html = login(cast.teamlid).get(reverse("ontwikkelmodel:model")).content.decode()
    assert 'id="accent-3A.2"' in html and 'id="accent-1.1"' in html
