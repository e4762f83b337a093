"""Copy and messages that misled a first-time user (issue 14, part 5, bullets 6 and 8)."""

from __future__ import annotations

import datetime
import re

from django.test import Client
from django.urls import reverse

from actionplans.models import Action
from tests.training_fixtures import training  # noqa: F401  (fixture)
from training.models import TrainingGroup


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
    assert not re.search(r"\b\d{1,2} (Jan|Feb|Mrt|Apr|Mei|Jun|Jul|Aug|Sep|Okt|Nov|Dec) \d{4}", body)
