"""Single sign-on in the browser (issue 16): "Inloggen met Entree Federatie" on the login page (axe), logging in at
the local OpenID Connect provider (tests/oidc_fixtures.py), landing in the product as the invited member; after the
logout the offer to log out at the provider too. The browser may talk to the app and to that provider only, with no
Content Security Policy violation (the button's form leads to the provider: form-action allows its origin)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from organisations.models import Invitation, Membership, Role, hash_token
from tests.sso_helpers import CLIENT_ID, PROVIDER_ID, SECRET, configure

from .conftest import TIMEOUT_MS, PageLog
from .helpers import check_a11y

pytestmark = pytest.mark.browser

PASSWORD = "wachtwoord-bij-entree"


@pytest.fixture
def sso_page(browser, live_server, transactional_db, fresh_oidc_provider, settings):
    idp = fresh_oidc_provider
    idp.add_client(
        CLIENT_ID,
        SECRET,
        [f"{live_server.url}/sso/oidc/{PROVIDER_ID}/login/callback/"],
        post_logout_redirect_uris=[f"{live_server.url}/inloggen/"],
    )
    configure(settings, idp.issuer)
    log = PageLog(live_server.url)
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    context.on("page", log.attach)
    page = context.new_page()
    yield page, idp
    context.close()
    provider = urlsplit(idp.base_url)
    elsewhere = [
        u for u in log.third_party() if (urlsplit(u).hostname, urlsplit(u).port) != (provider.hostname, provider.port)
    ]
    assert not elsewhere, f"Verzoeken naar andere hosts dan de app en de provider: {elsewhere}"
    assert not log.csp_violations, log.csp_violations
    assert not log.page_errors, log.page_errors


def test_log_in_with_entree_as_the_invited_member(sso_page, browser_cast):
    page, idp = sso_page
    cast = browser_cast
    Invitation.objects.create(
        school=cast.school,
        email="nina@regenboog.test",
        roles=[Role.TEAMLID],
        token_hash=hash_token("nina-token"),
        expires_at=timezone.now() + timedelta(days=7),
    )
    idp.add_user("nina", PASSWORD, "nina@regenboog.test", name="Nina Nieuw")

    page.goto("/inloggen/")
    expect(page.get_by_role("heading", name="Inloggen met je schoolaccount")).to_be_visible()
    check_a11y(page, "inlogpagina met de knop van Entree Federatie")
    page.get_by_role("button", name="Inloggen met Entree Federatie").click()

    page.wait_for_url(f"{idp.base_url}/accounts/login/**")
    page.get_by_label("Gebruikersnaam").fill("nina")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    page.wait_for_url(f"**/scholen/{cast.school.pk}/**")
    expect(page.get_by_role("heading", level=1)).to_contain_text(cast.school.name)
    expect(page.get_by_role("link", name="Nina Nieuw (mijn gegevens)")).to_be_visible()
    assert Membership.objects.filter(school=cast.school, user__email="nina@regenboog.test").exists()

    page.get_by_role("link", name="Nina Nieuw (mijn gegevens)").click()
    expect(page.get_by_text("Gekoppeld met Entree Federatie sinds")).to_be_visible()
    check_a11y(page, "mijn gegevens met het gekoppelde schoolaccount")

    page.get_by_role("button", name="Uitloggen").click()
    offer = page.get_by_role("link", name="Ook uitloggen bij Entree Federatie")
    expect(offer).to_be_visible()
    assert offer.get_attribute("href").startswith(idp.discovery()["end_session_endpoint"])
    check_a11y(page, "inlogpagina na het uitloggen, met het uitloggen bij Entree Federatie")


def test_an_unverified_address_gets_the_dutch_explanation(sso_page, browser_cast):
    page, idp = sso_page
    idp.add_user("tina", PASSWORD, browser_cast.teamlid.email, email_verified=False)
    page.goto("/inloggen/")
    page.get_by_role("button", name="Inloggen met Entree Federatie").click()
    page.wait_for_url(f"{idp.base_url}/accounts/login/**")
    page.get_by_label("Gebruikersnaam").fill("tina")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nog één keer anders inloggen")
    check_a11y(page, "uitleg: nog één keer anders inloggen")
    page.get_by_role("link", name="Inloggen met je wachtwoord").click()
    expect(page.get_by_text("Daarna koppelen we je account bij Entree Federatie")).to_be_visible()
