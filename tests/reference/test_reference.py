"""Naslag: search, topic pages, the school's estimate page, the pupil-count service, query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from audit.models import AuditEvent
from core.errors import ConflictError, ServiceError
from organisations.models import EducationType, Role, School
from reference import services
from reference.content import TOPIC_SLUGS, load_topic
from reference.search import fold, highlight, search, terms
from tests.factories import make_member, make_user

HTMX = {"HTTP_HX_REQUEST": "true"}


def estimate_url(school, **query):
    url = reverse("reference:estimate", args=[school.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


# Search ----------------------------------------------------------------------------------------------------


def test_fold_strips_accents_and_case_and_maps_back():
    folded, index = fold("Creëren GEÏNDICEERD")
    assert folded == "creeren geindiceerd"
    assert len(index) == len(folded) and index[3] == 3


@pytest.mark.parametrize("query", ["geindiceerd", "GEÏNDICEERD", "Geïndiceerd", "  geïndiceerd  "])
def test_search_is_case_and_accent_insensitive(query):
    results = search(query)
    assert results.total >= 1
    assert any(h.entry.topic.slug == "piramidemodel" for h in results.hits)
    assert "<mark>geïndiceerd</mark>" in str(results.hits[0].html)


def test_every_word_must_occur():
    both = search("rustige plek")
    assert both.total >= 1
    assert all("rustige" in h.entry.text and "plek" in h.entry.text for h in both.hits)
    assert search("rustige").total > both.total
    assert search("rustige zzzqqq").total == 0


def test_search_finds_texts_of_every_kind():
    assert any(h.entry.topic.slug == "screeningsinstrumenten" for h in search("CRIES-13").hits)
    assert any(h.entry.topic.slug == "kenniselementen" for h in search("window of tolerance").hits)
    assert any(h.entry.topic.slug == "prevalentie" for h in search("96%").hits)
    assert any(h.entry.topic.slug == "wat-tso-is" for h in search("quick fix").hits)
    assert any(h.entry.anchor == "laag-2" for h in search("emotieregulatievaardigheden").hits)


def test_highlight_escapes_html():
    html = str(highlight("a <b>rust</b> & stilte", ["rust"]))
    assert html == "a &lt;b&gt;<mark>rust</mark>&lt;/b&gt; &amp; stilte"


def test_terms_are_capped_and_deduplicated():
    assert terms("Rust rust RUST") == ["rust"]
    assert len(terms(" ".join(f"w{i}" for i in range(30)))) == 8
    assert terms("   ") == []


def test_index_lists_topics_and_searches_without_javascript(cast, login):
    client = login(cast.teamlid)
    page = client.get(reverse("reference:index")).content.decode()
    for slug in TOPIC_SLUGS:
        assert reverse("reference:topic", args=[slug]) in page
    response = client.get(reverse("reference:index"), {"q": "Geindiceerd"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" in body and "resultaat voor ‘Geindiceerd’" in body
    assert reverse("reference:topic", args=["piramidemodel"]) + "#derdegraads" in body


def test_htmx_search_returns_only_the_results(cast, login):
    client = login(cast.teamlid)
    body = client.get(reverse("reference:index"), {"q": "stress"}, **HTMX).content.decode()
    assert "<html" not in body and body.strip().startswith('<div id="zoekresultaten"')
    assert "<mark>" in body


def test_search_nothing_found_says_so(cast, login):
    body = login(cast.teamlid).get(reverse("reference:index"), {"q": "xyzzy"}).content.decode()
    assert "0 resultaten" in body and "Niets gevonden" in body


# Topic pages --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", TOPIC_SLUGS)
def test_topic_page_shows_content_citation_and_print_button(slug, cast, login):
    topic = load_topic(slug)
    body = login(cast.board_member).get(reverse("reference:topic", args=[slug])).content.decode()
    assert f'<h1 class="utrecht-heading-1" lang="nl">{escape(topic.title)}</h1>' in body  # the handbook's own title
    assert "Handboek Implementatie Traumasensitief Onderwijs, versie 2" in body
    assert escape(topic.source.part) in body
    assert "data-print" in body


def test_topic_pages_show_the_printed_texts(cast, login):
    client = login(cast.teamlid)
    screening = client.get(reverse("reference:topic", args=["screeningsinstrumenten"])).content.decode()
    assert "Strenghts and Difficulties Questionnaire (SDQ)" in screening
    assert "U kunt deze vragenlijst gratis downloaden via sdqinfo.org" in screening
    assert 'href="https://www.pearsonclinical.nl/ucl-r"' in screening
    pyramid = client.get(reverse("reference:topic", args=["piramidemodel"])).content.decode()
    assert "Hoog risico leerlingen" in pyramid and "Screenen van leerlingen op trauma" in pyramid
    elements = client.get(reverse("reference:topic", args=["kenniselementen"])).content.decode()
    assert "de onzichtbare koffer" in elements
    wat = client.get(reverse("reference:topic", args=["wat-tso-is"])).content.decode()
    assert "Een gedegen basis van kennis" in wat and "Wat is TSO niet?" in wat
    prev = client.get(reverse("reference:topic", args=["prevalentie"])).content.decode()
    assert "76% heeft vier of meer ACEs ervaren" in prev and "voetnoot 3" in prev
    assert "Asselman &amp; Offerman e.a., 2025" in prev


# The estimate page ------------------------------------------------------------------------------------------


def set_school(school, **fields):
    School.objects.filter(pk=school.pk).update(**fields)


def test_estimate_for_the_schools_own_pupil_count(cast, login):
    set_school(cast.school, pupil_count=320)
    body = login(cast.teamlid).get(estimate_url(cast.school)).content.decode()
    assert "Naar schatting tussen 102 en 282 van de 320 leerlingen." in body
    assert "Naar schatting tussen 22 en 106 van de 320 leerlingen." in body
    assert "geen gegeven over jullie leerlingen" in body
    assert "voetnoot 2" in body and "Vink, R., van der Pal, S." in body
    assert "afgeleid: 100% min 12%" in body
    assert "Opslaan bij de school" not in body  # a teamlid does not store the count


def test_estimate_without_a_pupil_count_asks_for_one(cast, login):
    body = login(cast.kartrekker).get(estimate_url(cast.school)).content.decode()
    assert "nog niet ingevuld" in body and "Naar schatting" not in body
    assert "Vul hierboven een aantal leerlingen in" in body
    assert "Opslaan bij de school" in body


def test_a_typed_number_is_used_and_not_stored(cast, login):
    before = AuditEvent.objects.count()
    body = login(cast.teamlid).get(estimate_url(cast.school, leerlingen=200)).content.decode()
    assert "Schatting voor 200 leerlingen" in body and "zelf ingevuld, niet opgeslagen" in body
    assert School.objects.get(pk=cast.school.pk).pupil_count is None
    assert AuditEvent.objects.count() == before


def test_type_without_figures_says_so_and_shows_the_nearest(cast, login):
    set_school(cast.school, education_type=EducationType.VO, pupil_count=900)
    body = login(cast.teamlid).get(estimate_url(cast.school)).content.decode()
    assert "Het handboek en de artikelen hebben geen cijfers voor Voortgezet onderwijs." in body
    assert "cijfers Regulier basisonderwijs" in body
    assert "Lesgeven aan getraumatiseerde kinderen" in body


def test_special_school_cluster_4_gets_the_orion_figure(cast, login):
    set_school(cast.school, education_type=EducationType.SO, cluster=4, pupil_count=110)
    body = login(cast.teamlid).get(estimate_url(cast.school)).content.decode()
    assert "Bijna 95% van de leerlingen heeft vier of meer ACEs meegemaakt" in body
    assert "alleen cluster 4" in body and "bijna 105 leerlingen" in body
    assert "Naar schatting ongeveer 106 van de 110 leerlingen." in body  # one figure (96%): one number
    assert "geen cijfers voor" not in body


def test_organiser_stores_the_pupil_count(cast, login):
    client = login(cast.schoolleider)
    form = client.get(estimate_url(cast.school)).content.decode()
    assert 'name="version" value="1"' in form
    response = client.post(estimate_url(cast.school), {"pupil_count": "250", "version": "1"})
    assert response.status_code == 302
    saved = School.objects.get(pk=cast.school.pk)
    assert (saved.pupil_count, saved.version) == (250, 2)
    event = AuditEvent.objects.filter(action="school.pupil_count_set").get()
    assert event.school_id == cast.school.pk and event.actor == cast.schoolleider
    assert event.data == {"pupil_count": [None, 250]}
    body = client.get(response["Location"]).content.decode()
    assert "Het aantal leerlingen is opgeslagen" in body and "van de 250 leerlingen" in body
    assert 'name="version" value="2"' in body


def test_stale_version_is_a_conflict_that_shows_the_saved_count_and_keeps_the_input(cast, login):
    services.do_set_pupil_count(school=cast.school, pupil_count=300, expected_version=1, acting_user=cast.schoolleider)
    before = AuditEvent.objects.count()
    client = login(cast.kartrekker)
    response = client.post(estimate_url(cast.school), {"pupil_count": "280", "version": "1"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Iemand anders heeft dit intussen opgeslagen" in body
    assert "Opgeslagen versie" in body
    assert "<td>300</td><td>280</td>" in body.replace("\n", "").replace(" ", "")  # saved versus mine
    assert 'value="280"' in body  # the user's input stays in the box
    assert 'name="version" value="2"' in body  # the form now carries the saved version
    saved = School.objects.get(pk=cast.school.pk)
    assert (saved.pupil_count, saved.version) == (300, 2)
    assert AuditEvent.objects.count() == before
    # Saving again, with the saved version the page now carries, overwrites knowingly.
    again = client.post(estimate_url(cast.school), {"pupil_count": "280", "version": "2"})
    assert again.status_code == 302
    assert School.objects.get(pk=cast.school.pk).pupil_count == 280


@pytest.mark.parametrize("how", ["left-out", "empty"])
def test_a_save_without_its_version_is_refused(cast, login, how):
    School.objects.filter(pk=cast.school.pk).update(pupil_count=300)
    before = AuditEvent.objects.count()
    data = {"pupil_count": "280"} | ({"version": ""} if how == "empty" else {})
    response = login(cast.kartrekker).post(estimate_url(cast.school), data)
    assert response.status_code == 400
    assert "het versienummer ontbreekt" in response.content.decode()
    saved = School.objects.get(pk=cast.school.pk)
    assert (saved.pupil_count, saved.version) == (300, 1)
    assert AuditEvent.objects.count() == before


def test_dashboard_links_to_the_estimate_and_the_naslag(cast, login):
    body = login(cast.teamlid).get(reverse("organisations:school", args=[cast.school.pk])).content.decode()
    assert estimate_url(cast.school) in body and reverse("reference:index") in body


# Service -----------------------------------------------------------------------------------------------------


def test_service_writes_one_audit_row(cast):
    services.do_set_pupil_count(school=cast.school, pupil_count=120, expected_version=1, acting_user=cast.kartrekker)
    services.do_set_pupil_count(school=cast.school, pupil_count=130, expected_version=2, acting_user=cast.kartrekker)
    saved = School.objects.get(pk=cast.school.pk)
    assert (saved.pupil_count, saved.version) == (130, 3)
    events = AuditEvent.objects.filter(action="school.pupil_count_set").order_by("id")
    assert [e.data["pupil_count"] for e in events] == [[None, 120], [120, 130]]


def test_service_same_number_changes_nothing(cast):
    set_school(cast.school, pupil_count=120)
    before = AuditEvent.objects.count()
    services.do_set_pupil_count(school=cast.school, pupil_count=120, expected_version=1, acting_user=cast.kartrekker)
    assert AuditEvent.objects.count() == before
    assert School.objects.get(pk=cast.school.pk).version == 1


def test_service_conflict_changes_nothing(cast):
    services.do_set_pupil_count(school=cast.school, pupil_count=120, expected_version=1, acting_user=cast.kartrekker)
    before = AuditEvent.objects.count()
    with pytest.raises(ConflictError):
        services.do_set_pupil_count(school=cast.school, pupil_count=99, expected_version=1, acting_user=cast.kartrekker)
    saved = School.objects.get(pk=cast.school.pk)
    assert (saved.pupil_count, saved.version) == (120, 2)
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("bad", [0, -1, 5001, 10**12, "300", 2.5, True, None])
def test_service_refuses_absurd_numbers(cast, bad):
    with pytest.raises(ServiceError, match="heel getal van 1 tot en met 5000"):
        services.do_set_pupil_count(
            school=cast.school, pupil_count=bad, expected_version=1, acting_user=cast.kartrekker
        )
    assert School.objects.get(pk=cast.school.pk).pupil_count is None
    assert not AuditEvent.objects.filter(action="school.pupil_count_set").exists()


# Query counts ------------------------------------------------------------------------------------------------


def count(client, url, django_assert_num_queries, expected=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_estimate_queries_do_not_grow_with_the_team(cast, client, django_assert_num_queries):
    client.force_login(cast.teamlid, backend="accounts.backends.EmailBackend")
    set_school(cast.school, pupil_count=300)
    url = estimate_url(cast.school)
    small = count(client, url, django_assert_num_queries)
    for i in range(60):
        make_member(cast.school, make_user(f"Collega {i}"), Role.TEAMLID)
    with django_assert_num_queries(small):
        client.get(url)
    assert small <= 6


def test_search_queries_do_not_grow_with_the_results(cast, client, django_assert_num_queries):
    client.force_login(cast.teamlid, backend="accounts.backends.EmailBackend")
    few = count(client, reverse("reference:index") + "?q=CRIES", django_assert_num_queries)
    with django_assert_num_queries(few):
        response = client.get(reverse("reference:index") + "?q=de")
    assert "50 resultaten" not in response.content.decode()  # capped at 50 hits, more exist
    assert "Alleen de eerste 50" in response.content.decode()
    assert few <= 4
