"""Query counts stay constant: the same number of queries for a round of 6 and of 60 participants.

Both schools are built with bulk_create (tests/bulk.py): everyone answered all 15 accents, wrote
strengths and goals, ranked five priorities and submitted. Each page is measured once for 6
participants and then asserted with django_assert_num_queries for 60, and against a fixed ceiling.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .bulk import build_school

CEILING = 15  # a sane upper bound for any page (today: 5 to 11 queries)
WRITE_CEILING = 25  # a save: lock, check, write, audit, then render (today: 12 and 17)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def schools(db):
    return {6: build_school(6, name="De Kleine Brug"), 60: build_school(60, name="De Grote Brug")}


PAGES = {
    "consensus": lambda s: reverse("assessments:consensus", args=[s.school.pk, s.consensus_round.pk]),
    "consensus-closed": lambda s: reverse("assessments:consensus", args=[s.school.pk, s.closed_round.pk]),
    "present": lambda s: reverse("assessments:present", args=[s.school.pk, s.consensus_round.pk]) + "?accent=2.3",
    "result": lambda s: reverse("assessments:result", args=[s.school.pk, s.closed_round.pk]),
    "round-detail-open": lambda s: reverse("assessments:round", args=[s.school.pk, s.open_round.pk]),
    "round-detail-closed": lambda s: reverse("assessments:round", args=[s.school.pk, s.closed_round.pk]),
    "school-dashboard": lambda s: reverse("organisations:school", args=[s.school.pk]),
    "members": lambda s: reverse("organisations:members", args=[s.school.pk]),
    "fill-layer-1": lambda s: reverse("assessments:fill_step", args=[s.school.pk, s.open_round.pk, "1"]),
    "fill-layer-3B": lambda s: reverse("assessments:fill_step", args=[s.school.pk, s.open_round.pk, "3B"]),
    "fill-priorities": lambda s: reverse("assessments:fill_step", args=[s.school.pk, s.open_round.pk, "prioriteiten"]),
    "fill-submit": lambda s: reverse("assessments:fill_step", args=[s.school.pk, s.open_round.pk, "indienen"]),
    "fill-submitted-readonly": lambda s: reverse(
        "assessments:fill_step", args=[s.school.pk, s.consensus_round.pk, "1"]
    ),
}


def count_queries(client, url) -> int:
    client.get(url)  # warm-up: sessions, caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", PAGES)
def test_page_queries_do_not_grow_with_participants(schools, client, page, django_assert_num_queries):
    small, big = schools[6], schools[60]
    client.force_login(small.organiser, backend="accounts.backends.EmailBackend")
    n_small = count_queries(client, PAGES[page](small))
    assert n_small <= CEILING

    client.force_login(big.organiser, backend="accounts.backends.EmailBackend")
    url = PAGES[page](big)
    client.get(url)  # the same warm-up as for the small school
    with django_assert_num_queries(n_small):
        response = client.get(url)
    assert response.status_code == 200


def test_big_pages_really_show_sixty_people(schools, client, django_assert_max_num_queries):
    """The counts above are meaningful only if the pages render all the data."""
    big = schools[60]
    client.force_login(big.organiser, backend="accounts.backends.EmailBackend")
    with django_assert_max_num_queries(CEILING):
        detail = client.get(PAGES["round-detail-open"](big)).content.decode()
    assert "Deelnemers: 59 van 60 ingediend" in detail
    assert detail.count('<th scope="row">Deelnemer 0') == 60
    with django_assert_max_num_queries(CEILING):
        consensus = client.get(PAGES["consensus"](big)).content.decode()
    assert "60 van 60 deelnemers hebben ingediend." in consensus
    assert "Gespreksstof" in consensus
    assert "Deelnemer 0" not in consensus.replace("Deelnemer 000", "")  # anonymous: only the viewer's own name
    with django_assert_max_num_queries(CEILING):
        result = client.get(PAGES["result"](big)).content.decode()
    assert "60 van 60 deelnemers dienden in" in result
    with django_assert_max_num_queries(CEILING):
        dashboard = client.get(PAGES["school-dashboard"](big)).content.decode()
    assert dashboard.count("60 / 60") == 2 and "59 / 60" in dashboard


def test_autosave_and_consensus_save_queries_do_not_grow(schools, client, django_assert_num_queries):
    """The two writes people do most: a draft autosave and recording one consensus item."""
    counts = {}
    for n, s in schools.items():
        client.force_login(s.organiser, backend="accounts.backends.EmailBackend")
        autosave = reverse("assessments:fill_autosave", args=[s.school.pk, s.open_round.pk, "1"])
        item = reverse("assessments:consensus_item", args=[s.school.pk, s.consensus_round.pk, "1.2"])
        client.post(autosave, {"strengths-1.1": "warm-up"}, HTTP_HX_REQUEST="true")
        if n == 6:
            with CaptureQueriesContext(connection) as a:
                assert client.post(autosave, {"strengths-1.1": f"n={n}"}, HTTP_HX_REQUEST="true").status_code == 200
            with CaptureQueriesContext(connection) as c:
                response = client.post(item, {"phase": "3", "version": ""}, HTTP_HX_REQUEST="true")
                assert response.status_code == 200
            counts = {"autosave": len(a.captured_queries), "item": len(c.captured_queries)}
            assert max(counts.values()) <= WRITE_CEILING
        else:
            with django_assert_num_queries(counts["autosave"]):
                assert client.post(autosave, {"strengths-1.1": f"n={n}"}, HTTP_HX_REQUEST="true").status_code == 200
            with django_assert_num_queries(counts["item"]):
                response = client.post(item, {"phase": "3", "version": ""}, HTTP_HX_REQUEST="true")
                assert response.status_code == 200
