"""The fill-in page made cheaper (issue 15, part 2) and still the same: the saved answers checked and filled in, a
refused save showing what was sent with its errors, the round's stored model version parsed once per process, the
round and one's participation in one query (404 for another school's round, 403 for a colleague who is not a
participant), and the textarea built in Python giving Django's own HTML."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import lookups
from assessments.models import Answer, Participant, Round
from core.fields import Textarea
from ontwikkelmodel.models import ModelVersion
from organisations.access import get_school_access


def fill_url(round_, step="1"):
    return reverse("assessments:fill_step", args=[round_.school_id, round_.pk, step])


def radios(html: str) -> dict[str, str]:
    """name → the value of its checked radio button."""
    return {m.group(1): m.group(2) for m in re.finditer(r'name="([^"]+)" id="[^"]+" value="(\d)" checked', html)}


def test_saved_answers_are_checked_and_filled_in(cast, login):
    participant = Participant.objects.get(round=cast.open_round, user=cast.teamlid)
    Answer.objects.create(participant=participant, accent_code="1.1", phase=3, strengths="Rust <b>", goal="Meer")
    Answer.objects.create(participant=participant, accent_code="1.2", phase=0, strengths="", goal="")
    Answer.objects.create(participant=participant, accent_code="2.1", phase=4, strengths="Andere laag", goal="")
    html = login(cast.teamlid).get(fill_url(cast.open_round)).content.decode()
    assert radios(html) == {"phase-1.1": "3", "phase-1.2": "0"}  # layer 1 only; "weet ik niet" is 0
    assert '<textarea name="strengths-1.1" cols="40" rows="2" maxlength="2000"' in html
    assert ">\nRust &lt;b&gt;</textarea>" in html and ">\nMeer</textarea>" in html
    assert "Andere laag" not in html
    assert 'aria-label="Groeifase voor ' in html and '<span class="gw-phase__title">Groeifase 2</span>' in html


def test_a_refused_save_shows_what_was_sent_with_its_error(cast, login):
    client = login(cast.teamlid)
    response = client.post(fill_url(cast.open_round), {"phase-1.1": "9", "strengths-1.1": "Nieuw", "go": "2"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kies groeifase 1, 2, 3 of 4" in html
    assert ">\nNieuw</textarea>" in html and radios(html) == {}


def test_the_stored_model_is_parsed_once_and_not_loaded_again(cast):
    acc = get_school_access(cast.teamlid, cast.school.pk)
    first = lookups.get_round(acc, cast.open_round.pk)
    assert "data" in first.model_version.get_deferred_fields()  # the content is not read again
    second = Round.objects.select_related("model_version").get(pk=cast.open_round.pk)
    assert second.model is first.model  # the same parsed model, shared by the process
    with CaptureQueriesContext(connection) as queries:
        assert [layer.code for layer in first.model.layers][:1] == ["1"]
    assert not queries.captured_queries


def test_round_and_participation_in_one_query(cast):
    acc = get_school_access(cast.teamlid, cast.school.pk)
    with CaptureQueriesContext(connection) as queries:
        round_, participant = lookups.get_round_and_participant(acc, cast.open_round.pk)
        version = round_.model.version
        assert round_.school is acc.school and participant.round is round_ and participant.user_id == acc.user.pk
        assert round_.is_open and not participant.is_submitted
    assert len(queries.captured_queries) == 1
    assert version == ModelVersion.objects.get(pk=round_.model_version_id).version
    expected = Round.objects.get(pk=cast.open_round.pk)
    assert {f.attname: getattr(round_, f.attname) for f in Round._meta.concrete_fields} == {
        f.attname: getattr(expected, f.attname) for f in Round._meta.concrete_fields
    }


def test_another_schools_round_is_404_and_a_non_participant_403(cast, login):
    assert login(cast.teamlid).get(fill_url(cast.other_round)).status_code == 404
    Participant.objects.filter(round=cast.open_round, user=cast.teamlid).delete()
    response = login(cast.teamlid).get(fill_url(cast.open_round))
    assert response.status_code == 403 and "Je doet niet mee aan deze ronde" in response.content.decode()
    assert login(cast.board_member).get(fill_url(cast.open_round)).status_code == 403


@pytest.mark.parametrize(
    ("attrs", "value", "errors"),
    [
        ({"rows": 2, "maxlength": 2000}, "Tekst met <b>tags</b> & \"quotes\" en 'apostrof'", False),
        ({"rows": 2, "maxlength": 2000}, "", True),
        ({"rows": 4}, None, False),
        ({"rows": 2, "disabled": True, "data-x": False}, "\nbegint met een regel", False),
    ],
)
def test_the_textarea_gives_djangos_html(attrs, value, errors):
    class Form(forms.Form):
        ours = forms.CharField(help_text="Hulp", required=False, widget=Textarea(attrs=attrs))
        djangos = forms.CharField(help_text="Hulp", required=False, widget=forms.Textarea(attrs=attrs))

    form = Form(initial={"ours": value, "djangos": value})
    if errors:
        form = Form({"ours": "x" * 3, "djangos": "x" * 3})
        form.is_valid()
        form.add_error("ours", "Fout")
        form.add_error("djangos", "Fout")
    assert str(form["ours"]).replace("ours", "X") == str(form["djangos"]).replace("djangos", "X")
