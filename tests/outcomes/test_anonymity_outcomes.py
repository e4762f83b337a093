"""The anonymity rules of outcomes/models.py, one test each, and a look at the tables themselves: nothing ties a
person to an answer (no column, no per-person row, no audit data, no admin screen)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse

from audit.models import AuditEvent
from organisations.models import Role
from outcomes import results, services
from outcomes.models import Respondent, Survey, Tally, respondent_key
from tests.factories import make_member, make_user
from tests.outcomes.fixtures import add_team, answers_for, fill_groups, submit_all


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
    fill_groups(cast.school)  # every role group has 5 members at opening: the survey counts per group
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
    assert Respondent.objects.count() == 3
    for user in get_user_model().objects.filter(name__startswith="extra "):
        assert user.name not in html


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


RESPONDENT_IDS = range(900001, 900008)  # distinctive ids: a scan for them cannot hit a count or another id


def distinctive_respondents(school, role=Role.TEAMLID):
    """Seven members with ids, names and addresses that appear nowhere else in the database."""
    return [
        make_member(school, make_user(f"Zevental Persoon {pk}", f"zevental.{pk}@verborgen.test", id=pk), role).user
        for pk in RESPONDENT_IDS
    ]


def outcomes_tables() -> list[str]:
    return sorted(t for t in connection.introspection.table_names() if t.startswith("outcomes_"))


def test_no_table_ties_a_person_to_answers(cast):
    people = distinctive_respondents(cast.school)
    survey = survey_with(cast, 0, close=False, value="5")
    submit_all(survey, people, value="5")
    assert Respondent.objects.filter(survey=survey).count() == 7
    user_model = apps.get_model("accounts", "User")
    for model in apps.get_app_config("outcomes").get_models():
        person_fields = [
            f.name for f in model._meta.get_fields() if f.is_relation and f.related_model is user_model and f.concrete
        ]
        if model is Respondent:
            assert {f.name for f in model._meta.concrete_fields} == {"id", "survey", "key"}
            assert person_fields == []
        elif model is Tally:
            assert person_fields == []
        else:  # Survey and OwnItem: who opened it / wrote the question, never an answer
            assert person_fields == ["created_by"]
            assert "counts" not in {f.name for f in model._meta.concrete_fields}
    # no per-person answer rows: one tally for everyone (De Regenboog has one schoolleider), whatever the number
    assert Tally.objects.filter(survey=survey).count() == 1
    assert Tally.objects.get(survey=survey, group="alle").counts["c1"] == {"5": 7}
    assert Survey.objects.count() == 1

    # The database itself: no foreign key from an outcomes table to the user table but the organisers' created_by,
    # and the respondent and tally tables hold only these columns.
    user_table = user_model._meta.db_table
    with connection.cursor() as cursor:
        for table in outcomes_tables():
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            assert not any("user" in c or "email" in c or "name" in c for c in columns), (table, columns)
            to_users = {
                column
                for column, relation in connection.introspection.get_relations(cursor, table).items()
                if relation[1] == user_table  # (referenced column, referenced table, on delete)
            }
            if table in (Respondent._meta.db_table, Tally._meta.db_table):
                assert to_users == set(), table
            else:
                assert to_users == {"created_by_id"}, table
        assert sorted(
            c.name for c in connection.introspection.get_table_description(cursor, "outcomes_respondent")
        ) == [
            "id",
            "key",
            "survey_id",
        ]
        # Every value of every row of every outcomes table: no respondent's id, address or name in any form.
        needles = [str(p.pk) for p in people] + [p.email for p in people] + [p.name for p in people]
        scanned = 0
        for table in outcomes_tables():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (a table name we listed)
            names = [d[0] for d in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(names, row, strict=True):
                    scanned += 1
                    if column == "created_by_id":
                        assert value in (None, cast.kartrekker.pk), (table, column)  # the organiser, not a respondent
                        continue
                    text = str(value)
                    for needle in needles:
                        assert needle not in text, (table, column, needle)
        assert scanned > 0
    # The keys are keyed hashes, never a plain id: only the server recomputes them for the person in front of it.
    keys = set(Respondent.objects.filter(survey=survey).values_list("key", flat=True))
    assert keys == {respondent_key(survey.pk, p.pk) for p in people}
    for key in keys:
        assert len(key) == 64 and key not in {str(p.pk) for p in people} | {f"{survey.pk}:{p.pk}" for p in people}
    # the audit rows name the survey, never an answer
    for event in AuditEvent.objects.filter(action="survey.responded"):
        assert event.data == {}
    for event in AuditEvent.objects.filter(object_type__startswith="outcomes."):
        assert set(event.data) <= {"kind", "min_respondents", "by_group", "taken_part"}  # no item key or answer


def test_no_audit_row_names_a_respondent(cast):
    """After many submissions no audit row of the outcomes app has a respondent as actor or their id in its data."""
    people = distinctive_respondents(cast.school)
    survey = survey_with(cast, 0, close=False)
    before = AuditEvent.objects.count()
    submit_all(survey, people)
    assert AuditEvent.objects.count() == before  # a submission writes no audit row
    services.do_close_survey(survey=survey, acting_user=cast.kartrekker)
    events = AuditEvent.objects.filter(object_type__startswith="outcomes.")
    assert events.filter(action="survey.closed", data__taken_part=7).exists()  # how many, not who
    ids = {p.pk for p in people}
    for event in AuditEvent.objects.all():
        assert event.actor_id not in ids
    for event in events:
        text = str(event.data)
        assert not any(str(pk) in text for pk in ids), event.data


# Role groups: one tally for everyone unless every group has the minimum of members ----------------------------------


def test_one_schoolleider_means_one_tally_for_everyone_and_no_breakdown(cast, login):
    survey = services.do_open_survey(
        school=cast.school, kind="jaarlijks", school_year="2026-2027", acting_user=cast.kartrekker
    )
    assert survey.by_group is False
    assert list(Tally.objects.filter(survey=survey).values_list("group", flat=True)) == ["alle"]
    submit_all(survey, add_team(cast.school, 5), value="2")
    submit_all(survey, [cast.schoolleider], value="5")
    services.do_close_survey(survey=survey, acting_user=cast.kartrekker)
    assert list(Tally.objects.filter(survey=survey).values_list("group", "n_respondents")) == [("alle", 6)]
    assert shown(survey).n == 6 and breakdown(survey) is None
    html = results_html(login(cast.schoolleider), cast)
    assert "Geen uitsplitsing per rolgroep: een of meer groepen zijn kleiner dan het minimum." in html
    assert "Team (5)" not in html and "Schoolleiding (1)" not in html


def test_every_group_with_five_members_gets_group_tallies(cast):
    fill_groups(cast.school)
    survey = services.do_open_survey(
        school=cast.school, kind="jaarlijks", school_year="2026-2027", acting_user=cast.kartrekker
    )
    assert survey.by_group is True
    assert sorted(Tally.objects.filter(survey=survey).values_list("group", flat=True)) == sorted(
        ["schoolleiding", "kartrekkers_werkgroep", "trainers", "team"]
    )
    submit_all(survey, [cast.schoolleider], value="5")
    assert Tally.objects.get(survey=survey, group="schoolleiding").n_respondents == 1
    # a raised minimum the groups do not reach: one tally again
    raised = services.do_open_survey(
        school=cast.school, kind="jaarlijks", school_year="2027-2028", acting_user=cast.kartrekker, min_respondents=6
    )
    assert raised.by_group is False


def test_groups_are_merged_when_a_group_shrinks_below_the_minimum(cast):
    from organisations.models import Membership

    fill_groups(cast.school)
    survey = services.do_open_survey(
        school=cast.school, kind="jaarlijks", school_year="2026-2027", acting_user=cast.kartrekker
    )
    submit_all(survey, [cast.schoolleider, cast.teamlid], value="5")
    leader = Membership.objects.filter(school=cast.school, is_schoolleiding=True).exclude(user=cast.schoolleider)
    leader.first().delete()  # four in the schoolleiding now
    submit_all(survey, [cast.werkgroeplid], value="1")
    survey.refresh_from_db()
    assert survey.by_group is False
    tallies = list(Tally.objects.filter(survey=survey))
    assert [(t.group, t.n_respondents) for t in tallies] == [("alle", 3)]
    assert tallies[0].counts["c1"] == {"5": 2, "1": 1}


def test_a_second_submission_is_refused_and_another_person_is_accepted(cast):
    survey = survey_with(cast, 0, close=False)
    submit_all(survey, [cast.teamlid])
    with pytest.raises(services.ServiceError, match="al ingevuld"):
        submit_all(survey, [cast.teamlid], value="1")
    submit_all(survey, [cast.werkgroeplid])
    assert Respondent.objects.filter(survey=survey).count() == 2
    assert Tally.objects.get(survey=survey).n_respondents == 2


def test_my_data_still_lists_the_questionnaires_i_took_part_in(cast, login):
    survey = survey_with(cast, 0, close=False)
    submit_all(survey, [cast.teamlid])
    data = login(cast.teamlid).get(reverse("accounts:my_data_json")).json()
    assert [(r["survey_id"], r["via"]) for r in data["opbrengsten_deelname"]] == [(survey.pk, ["sleutel"])]
    assert "key" not in data["opbrengsten_deelname"][0]
    other = login(cast.werkgroeplid).get(reverse("accounts:my_data_json")).json()
    assert other["opbrengsten_deelname"] == []


def test_the_overview_marks_what_i_filled_in(cast, login):
    survey = survey_with(cast, 0, close=False)
    url = reverse("outcomes:fill", args=[cast.school.pk, survey.pk])
    submit_all(survey, [cast.teamlid])
    overview = login(cast.teamlid).get(reverse("outcomes:overview", args=[cast.school.pk]))
    assert [r["done"] for r in overview.context["rows"]] == [True]
    assert "al ingevuld" in login(cast.teamlid).get(url).content.decode()
    other = login(cast.werkgroeplid).get(reverse("outcomes:overview", args=[cast.school.pk]))
    assert [r["done"] for r in other.context["rows"]] == [False]
    assert login(cast.werkgroeplid).post(url, answers_for(survey)).status_code == 302


def test_the_admin_shows_no_answers(cast):
    registered = {model._meta.app_label for model in admin.site._registry}
    assert "outcomes" not in registered


def test_respondent_and_tally_strings_show_nobody(cast):
    survey = survey_with(cast, 5, close=False)
    respondent = Respondent.objects.filter(survey=survey).first()
    for user in get_user_model().objects.all():
        assert user.name not in str(respondent) and user.email not in str(respondent)
    assert respondent.key not in str(respondent)
    assert str(Tally.objects.filter(survey=survey).first()).startswith(survey.title)


@pytest.mark.parametrize("value", ["9", "0", "<b>5</b>", "ken_ik"])
def test_bad_scale_values_are_refused_by_the_service(cast, value):
    survey = survey_with(cast, 0, close=False)
    with pytest.raises(services.ServiceError):
        services.do_submit_survey(survey=survey, user=cast.teamlid, answers={"c1": value}, acting_user=cast.teamlid)
    assert not Respondent.objects.exists()
