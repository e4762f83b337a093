"""Research consent: the versioned text, who gave it and when, withdrawing keeps the record; both audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from core.errors import ServiceError
from research import services
from research.content import ContentError, consent_text, parse
from research.models import ResearchConsent


def give(client, cast, **data):
    payload = {"text_version": consent_text().version, "agree": "on", **data}
    return client.post(reverse("research:consent_give", args=[cast.school.pk]), payload)


def test_the_consent_text_is_a_versioned_data_file():
    text = consent_text()
    assert text.version == "2026-1" and text.paragraphs
    assert "intrekken" in text.full_text and "geen" in text.full_text.lower()
    with pytest.raises(ContentError):
        parse({"version": "x", "title": "  dubbel  ", "paragraphs": ["a"]})
    with pytest.raises(ContentError):
        parse({"version": "x", "title": "t", "paragraphs": []})


def test_the_page_shows_the_text_and_the_state(cast, login):
    client = login(cast.schoolleider)
    html = client.get(reverse("research:school", args=[cast.school.pk])).content.decode()
    assert consent_text().paragraphs[0] in html and "Er is geen toestemming gegeven" in html
    assert "Staat uit." in html


def test_giving_consent_records_the_text_who_and_when_and_is_audited(cast, login):
    client = login(cast.schoolleider)
    assert give(client, cast).status_code == 302
    consent = ResearchConsent.objects.get(school=cast.school)
    assert consent.is_active and consent.given_by == cast.schoolleider and consent.given_at is not None
    assert consent.text_version == consent_text().version and consent.text == consent_text().full_text
    event = AuditEvent.objects.get(action="research.consent_given")
    assert event.school == cast.school and event.actor == cast.schoolleider
    assert event.data == {"version": consent_text().version}
    html = client.get(reverse("research:school", args=[cast.school.pk])).content.decode()
    assert "Toestemming gegeven door Sara Schoolleider" in html


def test_withdrawing_keeps_the_record_and_is_audited(cast, login):
    client = login(cast.schoolleider)
    give(client, cast)
    response = client.post(reverse("research:consent_withdraw", args=[cast.school.pk]))
    assert response.status_code == 302
    consent = ResearchConsent.objects.get(school=cast.school)
    assert not consent.is_active and consent.withdrawn_by == cast.schoolleider and consent.withdrawn_at
    assert AuditEvent.objects.filter(action="research.consent_withdrawn", school=cast.school).count() == 1
    # Given again: a new row beside the old one; both are listed.
    assert give(client, cast).status_code == 302
    assert ResearchConsent.objects.filter(school=cast.school).count() == 2
    assert ResearchConsent.objects.filter(school=cast.school, withdrawn_at__isnull=True).count() == 1
    html = client.get(reverse("research:school", args=[cast.school.pk])).content.decode()
    assert html.count("Gegeven door Sara Schoolleider") == 2 and "ingetrokken door Sara Schoolleider" in html


@pytest.mark.parametrize(
    "data, message",
    [
        ({"agree": ""}, "Vink aan dat je de tekst gelezen hebt"),
        ({"text_version": "2020-9"}, "De toestemmingstekst is intussen gewijzigd"),
        ({"text_version": "x" * 10_000}, "Vink aan"),  # too long: the form refuses it, nothing stored
        ({"text_version": "<script>"}, "De toestemmingstekst is intussen gewijzigd"),
    ],
)
def test_bad_input_is_a_dutch_400_and_nothing_is_stored(cast, login, data, message):
    client = login(cast.schoolleider)
    before = AuditEvent.objects.count()
    response = give(client, cast, **data)
    assert response.status_code == 400
    assert message in response.content.decode() or "Verbeter het volgende" in response.content.decode()
    assert not ResearchConsent.objects.exists() and AuditEvent.objects.count() == before


def test_twice_or_withdrawing_nothing_is_a_400(cast, login):
    client = login(cast.schoolleider)
    response = client.post(reverse("research:consent_withdraw", args=[cast.school.pk]))
    assert response.status_code == 400 and "geen toestemming om in te trekken" in response.content.decode()
    give(client, cast)
    with pytest.raises(ServiceError):
        services.do_give_consent(school=cast.school, text_version=consent_text().version, acting_user=cast.schoolleider)
    assert ResearchConsent.objects.count() == 1


def test_the_school_page_links_here_for_the_schoolleiding_only(cast, login):
    url = reverse("research:school", args=[cast.school.pk])
    page = reverse("organisations:school", args=[cast.school.pk])
    assert url in login(cast.schoolleider).get(page).content.decode()
    assert url not in login(cast.kartrekker).get(page).content.decode()
