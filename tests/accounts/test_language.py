"""The language (issue 16, part 2): the header's switch (accounts:language) for everyone, a person's preference in
Mijn gegevens that wins over the cookie, Dutch when nothing was chosen (also for a browser that asks for English),
and <html lang> following the language of the page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from accounts import services
from accounts.models import User
from audit.models import AuditEvent
from core.errors import ServiceError
from pages.privacy import collect_my_data

COOKIE = "django_language"


def html_lang(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert match, "no <html lang>"
    return match.group(1)


def switch_button(response) -> str:
    """The header's switch: the one button that posts to accounts:language."""
    html = response.content.decode()
    form = re.search(r'<form class="gw-language" method="post" action="([^"]+)">(.*?)</form>', html, re.S)
    assert form and form.group(1) == reverse("accounts:language"), "no language switch in the header"
    button = re.search(r"<button[^>]*>.*?</button>", form.group(2), re.S)
    assert button
    return button.group(0)


def english(text: str) -> str:
    with translation.override("en"):
        return translation.gettext(text)


def test_dutch_by_default_even_for_a_browser_that_asks_for_english(client, db):
    response = client.get(reverse("accounts:login"), headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert response.status_code == 200
    assert html_lang(response) == "nl"
    button = switch_button(response)
    assert 'lang="en"' in button and 'value="en"' in button and ">English</button>" in button


def test_an_anonymous_visitor_switches_the_login_page_to_english_and_back(client, db):
    login = reverse("accounts:login")
    response = client.post(reverse("accounts:language"), {"language": "en", "next": login + "?next=/"})
    assert response.status_code == 302 and response["Location"] == login + "?next=/"
    assert response.cookies[COOKIE].value == "en"
    page = client.get(login)
    assert html_lang(page) == "en" and page["Content-Language"] == "en"
    button = switch_button(page)
    assert 'lang="nl"' in button and 'value="nl"' in button and ">Nederlands</button>" in button
    assert english("Inloggen") != "Inloggen", "the catalogue has no English for the login button"
    assert english("Inloggen") in page.content.decode()
    client.post(reverse("accounts:language"), {"language": "nl", "next": login})
    assert html_lang(client.get(login)) == "nl"
    assert not AuditEvent.objects.filter(action="account.language_changed").exists()  # nobody to store it for


@pytest.mark.parametrize("value", ["de", "", "EN", "en-us", "<script>"])
def test_an_unknown_language_is_a_400_that_changes_nothing(client, cast, value):
    client.force_login(cast.teamlid, backend="accounts.backends.EmailBackend")
    response = client.post(reverse("accounts:language"), {"language": value})
    assert response.status_code == 400
    assert "Die taal kennen we niet" in response.content.decode()
    assert COOKIE not in response.cookies
    assert User.objects.get(pk=cast.teamlid.pk).language == "nl"


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "javascript:alert(1)", "foo"])
def test_the_switch_only_returns_to_our_own_pages(client, db, target):
    response = client.post(reverse("accounts:language"), {"language": "en", "next": target})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_a_logged_in_person_switching_also_stores_the_preference(client, cast):
    client.force_login(cast.kartrekker, backend="accounts.backends.EmailBackend")
    school_page = reverse("organisations:school", args=[cast.school.pk])
    assert html_lang(client.get(school_page)) == "nl"
    response = client.post(reverse("accounts:language"), {"language": "en", "next": school_page})
    assert response["Location"] == school_page and response.cookies[COOKIE].value == "en"
    assert User.objects.get(pk=cast.kartrekker.pk).language == "en"
    event = AuditEvent.objects.get(action="account.language_changed")
    assert event.actor_id == cast.kartrekker.pk and event.data == {"from": "nl", "to": "en"}
    page = client.get(school_page)
    assert html_lang(page) == "en"
    assert 'value="nl" lang="nl">Nederlands</button>' in switch_button(page)
    # The same language again: nothing to store, no second audit row.
    client.post(reverse("accounts:language"), {"language": "en", "next": school_page})
    assert AuditEvent.objects.filter(action="account.language_changed").count() == 1


def test_the_preference_wins_over_the_cookie(client, cast):
    User.objects.filter(pk=cast.teamlid.pk).update(language="en")
    client.cookies[COOKIE] = "nl"
    client.force_login(User.objects.get(pk=cast.teamlid.pk), backend="accounts.backends.EmailBackend")
    assert html_lang(client.get(reverse("accounts:account"))) == "en"
    User.objects.filter(pk=cast.teamlid.pk).update(language="nl")
    client.cookies[COOKIE] = "en"
    assert html_lang(client.get(reverse("accounts:account"))) == "nl"


def test_after_logging_out_the_cookie_keeps_the_language(client, cast):
    client.force_login(cast.teamlid, backend="accounts.backends.EmailBackend")
    client.post(reverse("accounts:language"), {"language": "en"})
    response = client.post(reverse("accounts:logout"), follow=True)
    assert html_lang(response) == "en"


def test_mijn_gegevens_sets_the_language(client, cast):
    client.force_login(cast.werkgroeplid, backend="accounts.backends.EmailBackend")
    page = client.get(reverse("accounts:account"))
    html = page.content.decode()
    assert 'name="form" value="taal"' in html
    assert '<option value="nl" lang="nl" selected>Nederlands</option>' in html
    assert '<option value="en" lang="en">English</option>' in html
    response = client.post(reverse("accounts:account"), {"form": "taal", "language": "en"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:account")
    assert User.objects.get(pk=cast.werkgroeplid.pk).language == "en"
    assert html_lang(response) == "en"
    saved = english("Je taal is opgeslagen.")
    assert saved != "Je taal is opgeslagen." and saved in response.content.decode()
    assert client.cookies[COOKIE].value == "en"
    assert '<option value="en" lang="en" selected>English</option>' in response.content.decode()


def test_mijn_gegevens_refuses_an_unknown_language(client, cast):
    client.force_login(cast.werkgroeplid, backend="accounts.backends.EmailBackend")
    response = client.post(reverse("accounts:account"), {"form": "taal", "language": "fr"})
    assert response.status_code == 400
    assert "Kies Nederlands of Engels." in response.content.decode()
    assert User.objects.get(pk=cast.werkgroeplid.pk).language == "nl"
    assert not AuditEvent.objects.filter(action="account.language_changed").exists()


def test_the_service_sets_only_ones_own_language_and_only_known_ones(cast):
    with pytest.raises(ServiceError):
        services.do_set_language(user=cast.teamlid, language="en", acting_user=cast.kartrekker)
    with pytest.raises(ServiceError):
        services.do_set_language(user=cast.teamlid, language="xx", acting_user=cast.teamlid)
    assert User.objects.get(pk=cast.teamlid.pk).language == "nl"
    assert services.do_set_language(user=cast.teamlid, language="en", acting_user=cast.teamlid) is True
    assert services.do_set_language(user=cast.teamlid, language="en", acting_user=cast.teamlid) is False
    assert collect_my_data(User.objects.get(pk=cast.teamlid.pk))["account"]["taal"] == "en"


def test_the_language_costs_no_query(client, db, django_assert_num_queries):
    """The cookie's language needs no database: the health check still answers without a query."""
    client.cookies[COOKIE] = "en"
    with django_assert_num_queries(0):
        assert client.get(reverse("health_live")).status_code == 200
