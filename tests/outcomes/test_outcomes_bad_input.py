"""Bad input on the Opbrengsten pages: a scale value of 9, another school's ids, 10,000 characters, HTML. Each is
answered with a Dutch message (or a 404), nothing is stored, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from outcomes import services
from outcomes.models import OwnItem, Respondent, Survey
from tests.outcomes.fixtures import answers_for, outcomes_fixture, outcomes_rows  # noqa: F401  (fixture)


def fill_url(cast, survey):
    return reverse("outcomes:fill", args=[cast.school.pk, survey.pk])


@pytest.mark.parametrize(
    "value,message",
    [
        ("9", "Kies een getal van 1 tot en met 5"),
        ("<script>alert(1)</script>", "Kies een getal van 1 tot en met 5"),
        ("1" * 10_000, "Kies een getal van 1 tot en met 5"),
    ],
)
def test_bad_answers_on_the_page_store_nothing_and_keep_the_input(cast, login, outcomes, value, message):
    before = outcomes_rows()
    data = answers_for(outcomes.open, value="2") | {"c1": value}
    response = login(cast.teamlid).post(fill_url(cast, outcomes.open), data)
    html = response.content.decode()
    assert response.status_code == 400 and message in html
    assert "<script>alert" not in html
    assert 'value="2" checked' in html or 'value="2"\n' in html or "checked" in html  # the other answers stay
    assert outcomes_rows() == before


def test_a_knowledge_answer_with_a_scale_value_is_refused(cast, login, outcomes):
    before = outcomes_rows()
    response = login(cast.teamlid).post(fill_url(cast, outcomes.open), {"kennis1": "5"})
    assert response.status_code == 400 and "ken ik en pas ik toe" in response.content.decode()
    assert outcomes_rows() == before


def test_an_empty_submission_is_refused(cast, login, outcomes):
    response = login(cast.teamlid).post(fill_url(cast, outcomes.open), {})
    assert response.status_code == 400 and "Beantwoord minstens één vraag" in response.content.decode()
    assert not Respondent.objects.filter(survey=outcomes.open).exists()


def test_unknown_keys_are_ignored_by_the_form_and_refused_by_the_service(cast, outcomes):
    with pytest.raises(services.ServiceError, match="hoort niet bij"):
        services.do_submit_survey(
            survey=outcomes.open,
            user=cast.teamlid,
            answers={outcomes.other_item.key: "5"},
            acting_user=cast.teamlid,
        )


def test_another_schools_survey_and_item_are_404(cast, login, outcomes):
    before = outcomes_rows()
    client = login(cast.kartrekker)
    other = outcomes.other_survey
    assert client.get(fill_url(cast, other)).status_code == 404
    assert client.post(fill_url(cast, other), answers_for(other)).status_code == 404
    assert client.post(reverse("outcomes:close", args=[cast.school.pk, other.pk])).status_code == 404
    assert (
        client.post(reverse("outcomes:item_retire", args=[cast.school.pk, outcomes.other_item.pk])).status_code == 404
    )
    assert client.get(reverse("outcomes:fill", args=[cast.school.pk, 2**70])).status_code == 404
    assert outcomes_rows() == before


@pytest.mark.parametrize(
    "text,message",
    [
        ("x" * 10_000, "Gebruik maximaal 300 tekens"),
        ("<b>Vet</b> en <script>alert(1)</script>", "Gebruik geen &lt; of &gt;"),
        ("   ", "Schrijf de vraag op."),
    ],
)
def test_bad_own_questions_store_nothing(cast, login, outcomes, text, message):
    count = OwnItem.objects.count()
    response = login(cast.kartrekker).post(
        reverse("outcomes:items", args=[cast.school.pk]), {"text": text, "group": "welzijn"}
    )
    html = response.content.decode()
    assert response.status_code == 400 and message in html
    assert "<script>alert" not in html
    assert OwnItem.objects.count() == count


def test_an_unknown_group_for_an_own_question(cast, login, outcomes):
    response = login(cast.kartrekker).post(
        reverse("outcomes:items", args=[cast.school.pk]), {"text": "Goede vraag.", "group": "kennis"}
    )
    assert response.status_code == 400 and "Kies een onderdeel" in response.content.decode()


@pytest.mark.parametrize(
    "data,message",
    [
        ({"kind": "jaarlijks", "school_year": "2027-2028", "min_respondents": "4"}, "Het minimum is 5 deelnemers"),
        ({"kind": "jaarlijks", "school_year": "2027-2028", "min_respondents": "abc"}, "Vul een heel getal in"),
        ({"kind": "jaarlijks", "school_year": "99999", "min_respondents": "5"}, "Schrijf het schooljaar als"),
        ({"kind": "jaarlijks", "school_year": "2027-2029", "min_respondents": "5"}, "Schrijf het schooljaar als"),
        ({"kind": "<b>", "school_year": "2027-2028", "min_respondents": "5"}, "Kies een soort meting"),
        ({"kind": "nulmeting", "school_year": "2027-2028", "min_respondents": "5"}, "al een nulmeting"),
        (
            {"kind": "jaarlijks", "school_year": "2027-2028", "min_respondents": "5", "planned_on": "99999-01-01"},
            "Vul een geldige datum in",
        ),
    ],
)
def test_bad_survey_forms_store_nothing(cast, login, outcomes, data, message):
    count = Survey.objects.count()
    response = login(cast.kartrekker).post(reverse("outcomes:survey_new", args=[cast.school.pk]), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert Survey.objects.count() == count


def test_a_closed_survey_on_the_page_is_409_and_stores_nothing(cast, login, outcomes):
    before = outcomes_rows()
    response = login(cast.teamlid).post(fill_url(cast, outcomes.closed), answers_for(outcomes.closed))
    assert response.status_code == 409 and "gesloten" in response.content.decode()
    assert outcomes_rows() == before
