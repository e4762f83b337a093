"""The anonymity rules of outcomes/models.py, one test each, and a look at the tables themselves: nothing ties a
person to an answer (no column, no per-person row, no audit data, no admin screen)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from audit.models import AuditEvent
from organisations.models import Role
from outcomes import results, services
from outcomes.models import Respondent, Survey, Tally
from tests.factories import make_member, make_user
from tests.outcomes.fixtures import add_team, submit_all


def survey_with(cast, n: int, *, close=True, role=Role.TEAMLID, value="4", **extra):
    survey = services.do_open_survey(
        school=cast.school, kind="jaarlijks", school_year="2026-2027", acting_user=cast.kartrekker, **extra
    )
    submit_all(survey, add_team(cast.school, n, role=role), value=value)
    if close:
        survey = services.do_close_survey(survey=survey, acting_user=cast.kartrekker)
    return survey


def shown(survey):
    survey = Survey.objects.get(pk=survey.pk)
    return results.shown(survey, list(survey.tallies.all()))


def breakdown(survey):
    survey = Survey.objects.get(pk=survey.pk)
    return results.breakdown(survey, list(survey.tallies.all()))


def results_html(client, cast):
    return client.get(reverse("outcomes:results", args=[cast.school.pk])).content.decode()


# Rule 1: only after closing -----------------------------------------


def test_no_results_while_the_survey_is_open(cast, login):
    survey = survey_with(cast, 6, close=False)
    assert shown(survey) is None
    html = results_html(login(cast.kartrekker), cast)
    assert "Nog geen gesloten vragenlijst" in html and "4,0" not in html


# Rule 2: the minimum -----------------------------------------


def test_nothing_at_four_respondents(cast, login):
    survey = survey_with(cast, 4)
    assert shown(survey) is None
    html = results_html(login(cast.schoolleider), cast)
    assert "minder dan 5: geen resultaten" in html and "4,0" not in html and "Afstemmen" not in html


def test_aggregates_at_five_respondents(cast, login):
    survey = survey_with(cast, 5)
    figures = shown(survey)
    assert figures.n == 5 and results.mean(figures, ["c1"]) == 4.0
    html = results_html(login(cast.teamlid), cast)
    assert "4,0" in html and "Afstemmen op wat een leerling nodig heeft" in html


def test_a_raised_minimum_holds(cast):
    survey = survey_with(cast, 5, min_respondents=6)
    assert shown(survey) is None


# Rule 3: per role group only when every group reaches the minimum --------------------------------------------------


def test_breakdown_when_every_group_has_five(cast, login):
    survey = services.do_open_survey(
        school=cast.school, kind="jaarlijks", school_year="2026-2027", acting_user=cast.kartrekker
    )
    submit_all(survey, add_team(cast.school, 5), value="2")
    submit_all(survey, add_team(cast.school, 5, role=Role.WERKGROEPLID, prefix="wg"), value="4")
    services.do_close_survey(survey=survey, acting_user=cast.kartrekker)
    split = breakdown(survey)
    assert set(split) == {"team", "kartrekkers_werkgroep"}
    assert results.mean(split["team"], ["c1"]) == 2.0
    html = results_html(login(cast.kartrekker), cast)
    assert "Team (5)" in html and "Kartrekkers en werkgroep (5)" in html


def test_no_breakdown_at_all_when_one_group_is_small(cast, login):
    survey = services.do_open_survey(
        school=cast.school, kind="jaarlijks", school_year="2026-2027", acting_user=cast.kartrekker
    )
    submit_all(survey, add_team(cast.school, 5), value="2")
    submit_all(survey, [cast.schoolleider], value="5")  # one person in the schoolleiding
    services.do_close_survey(survey=survey, acting_user=cast.kartrekker)
    assert shown(survey).n == 6
    assert breakdown(survey) is None  # not even the team's: total minus team would be the schoolleider
    html = results_html(login(cast.kartrekker), cast)
    assert "Geen uitsplitsing" in html and "Team (5)" not in html


# Rule 4: the organisers see how many, not who -----------------------------------------


def test_the_overview_shows_how_many_took_part_not_who(cast, login):
    survey_with(cast, 3, close=False)
    html = login(cast.kartrekker).get(reverse("outcomes:overview", args=[cast.school.pk])).content.decode()
    assert "3 (minimum 5)" in html
    for user in Respondent.objects.values_list("user__name", flat=True):
        assert user not in html


# Rule 5: the board -----------------------------------------


def test_board_total_only_from_schools_that_reach_their_minimum(cast, login):
    survey_with(cast, 5, value="4")  # De Regenboog: shown
    sister = services.do_open_survey(
        school=cast.sister_school, kind="jaarlijks", school_year="2026-2027", acting_user=cast.kartrekker
    )
    sister_people = [make_member(cast.sister_school, make_user(f"H{i}"), Role.TEAMLID).user for i in range(4)]
    submit_all(sister, sister_people, value="1")  # De Horizon: 4, hidden
    services.do_close_survey(survey=sister, acting_user=cast.kartrekker)
    response = login(cast.board_member).get(reverse("outcomes:board", args=[cast.board.pk]))
    years = response.context["years"]
    assert len(years) == 1
    year = years[0]
    assert year["total"].n == 5  # the sister school's 4 are not in the total
    assert year["total_means"][0] == 4.0
    rows = {row["school"].name: row for row in year["rows"]}
    assert rows["De Horizon"]["figures"] is None and rows["De Regenboog"]["figures"].n == 5
    html = response.content.decode()
    assert "te weinig deelnemers" in html and "1,0" not in html


def test_board_member_reads_the_school_results_as_aggregates(cast, login):
    survey_with(cast, 5)
    response = login(cast.board_member).get(reverse("outcomes:results", args=[cast.school.pk]))
    assert response.status_code == 200 and response.context["acc"].is_board_viewer


# The tables themselves -----------------------------------------


def test_no_table_ties_a_person_to_answers(cast):
    survey = survey_with(cast, 7, close=False, value="5")
    people = set(Respondent.objects.filter(survey=survey).values_list("user_id", flat=True))
    assert len(people) == 7
    user_model = apps.get_model("accounts", "User")
    for model in apps.get_app_config("outcomes").get_models():
        person_fields = [
            f.name for f in model._meta.get_fields() if f.is_relation and f.related_model is user_model and f.concrete
        ]
        if model is Respondent:
            assert {f.name for f in model._meta.concrete_fields} == {"id", "survey", "user"}
        elif model is Tally:
            assert person_fields == []
        else:  # Survey and OwnItem: who opened it / wrote the question, never an answer
            assert person_fields == ["created_by"]
            assert "counts" not in {f.name for f in model._meta.concrete_fields}
    # no per-person answer rows: the tallies stay one per role group, whatever the number of respondents
    assert Tally.objects.filter(survey=survey).count() == 4
    assert Tally.objects.get(survey=survey, group="team").counts["c1"] == {"5": 7}
    assert Survey.objects.count() == 1
    # the audit rows name the survey, never an answer
    for event in AuditEvent.objects.filter(action="survey.responded"):
        assert event.data == {}
    for event in AuditEvent.objects.filter(object_type__startswith="outcomes."):
        assert set(event.data) <= {"kind", "min_respondents", "taken_part"}  # never an item key or an answer


def test_the_admin_shows_no_answers(cast):
    registered = {model._meta.app_label for model in admin.site._registry}
    assert "outcomes" not in registered


def test_respondent_and_tally_strings_show_nobody(cast):
    survey = survey_with(cast, 5, close=False)
    respondent = Respondent.objects.filter(survey=survey).select_related("user").first()
    assert respondent.user.name not in str(respondent)
    assert str(Tally.objects.filter(survey=survey).first()).startswith(survey.title)


@pytest.mark.parametrize("value", ["9", "0", "<b>5</b>", "ken_ik"])
def test_bad_scale_values_are_refused_by_the_service(cast, value):
    survey = survey_with(cast, 0, close=False)
    with pytest.raises(services.ServiceError):
        services.do_submit_survey(survey=survey, user=cast.teamlid, answers={"c1": value}, acting_user=cast.teamlid)
    assert not Respondent.objects.exists()
