"""A consensus that keeps nuance (issue 13, part 2): phases that run through each other ("fase 2-3") and what the
team saw differently, recorded per accent and shown faithfully on the result page, the growth page and the exports."""

from __future__ import annotations

import io

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from assessments import services
from assessments.growth import school_growth
from assessments.models import ConsensusItem, Round
from core.errors import ServiceError
from tests.factories import move_to


def save(cast, client, **data):
    url = reverse("assessments:consensus_item", args=[cast.school.pk, cast.consensus_round.pk, "2.1"])
    fields = {"phase": "", "phase_to": "", "differences": "", "strengths": "", "next_steps": "", "priority": ""}
    return client.post(url, fields | data)


def test_the_facilitator_records_a_range_and_the_differences(cast, login):
    client = login(cast.kartrekker)
    response = save(cast, client, phase="2", phase_to="3", differences="De bovenbouw zag fase 3, de onderbouw fase 2.")
    assert response.status_code == 302
    item = ConsensusItem.objects.get(round=cast.consensus_round, accent_code="2.1")
    assert (item.phase, item.phase_to, item.phase_label) == (2, 3, "2-3")
    assert item.differences == "De bovenbouw zag fase 3, de onderbouw fase 2."
    # Back on the consensus view with the accent's layer open, at the accent (issue 15: the other layers are folded).
    consensus = reverse("assessments:consensus", args=[cast.school.pk, cast.consensus_round.pk])
    assert response["Location"] == consensus + "?laag=2#accent-2.1"
    html = client.get(response["Location"]).content.decode()
    assert "afgesproken: fase 2-3" in html[html.index('id="accent-2.1"') : html.index('id="accent-2.2"')]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"phase": "3", "phase_to": "2"}, "moet daarboven liggen"),
        ({"phase": "3", "phase_to": "3"}, "moet daarboven liggen"),
        ({"phase": "", "phase_to": "3"}, "moet daarboven liggen"),
        ({"phase": "2", "phase_to": "5"}, "Kies groeifase 2, 3 of 4"),
        ({"phase": "2", "phase_to": "x"}, "Kies groeifase 2, 3 of 4"),
        ({"phase": "2", "differences": "x" * 10_000}, "2000"),
    ],
)
def test_a_wrong_range_is_refused_in_dutch_and_nothing_is_stored(cast, login, data, message):
    response = save(cast, login(cast.kartrekker), **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ConsensusItem.objects.filter(round=cast.consensus_round, accent_code="2.1").exists()


def test_the_service_and_the_database_refuse_a_range_below_the_phase(cast):
    with pytest.raises(ServiceError):
        services.do_save_consensus_item(
            round_=cast.consensus_round,
            accent_code="2.1",
            phase=3,
            phase_to=2,
            strengths="",
            next_steps="",
            priority=None,
            acting_user=cast.kartrekker,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsensusItem.objects.create(round=cast.consensus_round, accent_code="2.2", phase=3, phase_to=3)


@pytest.fixture
def ranged_round(cast):
    """The consensus round, closed, with 2.1 agreed as 'fase 2-3' and what was seen differently."""
    services.do_save_consensus_item(
        round_=cast.consensus_round,
        accent_code="2.1",
        phase=2,
        phase_to=3,
        differences="Onderbouw en bovenbouw verschillen.",
        strengths="Rust",
        next_steps="Samen kijken",
        priority=1,
        acting_user=cast.kartrekker,
    )
    return move_to(cast.consensus_round, "closed", cast.kartrekker)


def test_the_result_page_and_growth_show_the_range(cast, login, ranged_round):
    client = login(cast.board_member)
    html = client.get(reverse("assessments:result", args=[cast.school.pk, ranged_round.pk])).content.decode()
    assert ">2-3<" in html and "groeifase 2-3" in html
    assert "Wat we verschillend zagen" in html and "Onderbouw en bovenbouw verschillen." in html

    mark = school_growth(cast.school, include_individual=False).accent("2.1").marks
    ranged = next(m for m in mark if m.round.pk == ranged_round.pk)
    assert (ranged.label, ranged.covers(2), ranged.covers(3), ranged.covers(4)) == ("2-3", True, True, False)
    html = client.get(reverse("assessments:growth", args=[cast.school.pk])).content.decode()
    assert "(2-3)" in html  # the round stands in the columns of both phases


def test_the_exports_show_the_range_and_the_differences(cast, login, ranged_round):
    client = login(cast.kartrekker)
    args = [cast.school.pk, ranged_round.pk]
    wb = load_workbook(io.BytesIO(client.get(reverse("assessments:result_xlsx", args=args)).content))
    header, *rows = list(wb["Consensus"].iter_rows(values_only=True))
    assert header[7:] == ("Tot en met groeifase", "Wat we verschillend zagen")
    row = next(r for r in rows if r[1] == "2.1")
    assert (row[3], row[7], row[8]) == (2, 3, "Onderbouw en bovenbouw verschillen.")

    doc = Document(io.BytesIO(client.get(reverse("assessments:result_docx", args=args)).content))
    model = Round.objects.get(pk=ranged_round.pk).model
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert f"{model.phase_label(2)} tot en met {model.phase_label(3)}" in cells
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Wat we verschillend zagen bij 2.1: Onderbouw en bovenbouw verschillen." in text
