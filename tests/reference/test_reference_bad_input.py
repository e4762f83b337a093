"""Naslag: tampered and absurd input gets a clear Dutch error or a 404, never a 500, and nothing changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from organisations.models import School

LONG = "x" * 10_000
SCRIPT = '<script>alert("xss")</script><b>vet</b>'
HTMX = {"HTTP_HX_REQUEST": "true"}

BAD_COUNTS = [
    ("0", "minstens 1"),
    ("-5", "minstens 1"),
    ("5001", "tot en met 5000"),
    ("99999", "tot en met 5000"),
    ("99999999999999999999999999", "tot en met 5000"),
    ("3.5", "heel getal"),
    ("1e3", "heel getal"),
    ("driehonderd", "heel getal"),
    (SCRIPT, "heel getal"),
    (LONG, "heel getal"),
    ("9" * 5000, "heel getal"),  # longer than Python converts to int
    ("", "Vul het aantal leerlingen in"),
]


def stored(cast=None):
    return sorted(School.objects.values_list("pk", "name", "education_type", "cluster", "pupil_count", "version")), (
        AuditEvent.objects.count()
    )


def url(cast, school_id=None):
    return reverse("reference:estimate", args=[school_id or cast.school.pk])


@pytest.mark.parametrize(("value", "message"), BAD_COUNTS, ids=[m + str(i) for i, (_, m) in enumerate(BAD_COUNTS)])
def test_typed_pupil_count(value, message, cast, login):
    School.objects.filter(pk=cast.school.pk).update(pupil_count=320)
    before = stored()
    response = login(cast.teamlid).get(url(cast), {"leerlingen": value})
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "Nog niet opgeslagen. Verbeter het volgende:" in body
    assert "Naar schatting" not in body  # no estimate for a number nobody asked for
    assert "<script>alert" not in body
    assert stored() == before


@pytest.mark.parametrize(("value", "message"), BAD_COUNTS, ids=[m + str(i) for i, (_, m) in enumerate(BAD_COUNTS)])
def test_saved_pupil_count(value, message, cast, login):
    before = stored()
    response = login(cast.kartrekker).post(url(cast), {"pupil_count": value, "version": "1"})
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "<script>alert" not in body
    if value != LONG and value != "9" * 5000:
        assert f'value="{value}"' in body.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"') or not value
    assert stored() == before


@pytest.mark.parametrize("version", ["abc", "-1", "0", "99999999999999999999", SCRIPT])
def test_tampered_hidden_version(version, cast, login):
    before = stored()
    response = login(cast.kartrekker).post(url(cast), {"pupil_count": "250", "version": version})
    assert response.status_code == 400
    assert "Nog niet opgeslagen" in response.content.decode()
    assert stored() == before


def test_post_without_fields(cast, login):
    before = stored()
    response = login(cast.schoolleider).post(url(cast), {})
    assert response.status_code == 400
    assert "Vul het aantal leerlingen in." in response.content.decode()
    assert stored() == before


@pytest.mark.parametrize("school_id", [2**63, 10**30, 0])
def test_absurd_school_ids(school_id, cast, login):
    before = stored()
    client = login(cast.schoolleider)
    path = f"/scholen/{school_id}/naslag/wat-betekent-dit/"
    assert client.get(path).status_code == 404
    assert client.post(path, {"pupil_count": "250", "version": "1"}).status_code == 404
    assert stored() == before


def test_other_schools_count_cannot_be_set(cast, login):
    before = stored()
    response = login(cast.schoolleider).post(url(cast, cast.other_school.pk), {"pupil_count": "250", "version": "1"})
    assert response.status_code == 404
    assert stored() == before


@pytest.mark.parametrize("slug", ["bestaat-niet", "x" * 500, "PIRAMIDEMODEL", "piramidemodel-2023"])
def test_unknown_topics(slug, cast, login):
    assert login(cast.teamlid).get(reverse("reference:topic", args=[slug])).status_code == 404


def test_path_tricks_are_not_topics(cast, login):
    client = login(cast.teamlid)
    for path in ["/naslag/../beheer/", "/naslag/%2e%2e/", "/naslag/piramidemodel%00/"]:
        assert client.get(path).status_code == 404


@pytest.mark.parametrize("htmx", [False, True])
def test_search_too_long(htmx, cast, login):
    response = login(cast.teamlid).get(reverse("reference:index"), {"q": LONG}, **(HTMX if htmx else {}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Zoek met hoogstens 100 tekens (nu 10000)." in body
    assert "resultaten voor" not in body


def test_search_with_html_is_escaped(cast, login):
    body = login(cast.teamlid).get(reverse("reference:index"), {"q": SCRIPT}).content.decode()
    assert "<script>alert" not in body and "<b>vet</b>" not in body
    assert "&lt;script&gt;" in body


def test_search_with_odd_characters(cast, login):
    client = login(cast.teamlid)
    for q in ["%", "_", "'; DROP TABLE", "\u0000", "🙂", "((((", "   "]:
        response = client.get(reverse("reference:index"), {"q": q})
        assert response.status_code == 200, q
    body = client.get(reverse("reference:index"), {"q": "a\x00b"}).content.decode()
    assert "Null-tekens zijn niet toegestaan." in body
