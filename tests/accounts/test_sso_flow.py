"""Single sign-on end to end against a real OpenID Connect provider (tests/oidc_fixtures.py: django-oauth-toolkit
on 127.0.0.1 with discovery, signed ID tokens and PKCE): Django's test client drives our side, ``requests`` the
provider's login form. Every bad case ends on a Dutch page with nobody logged in."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse
from django.utils import timezone

from accounts import sso
from accounts.models import LoginCode, User
from audit.models import AuditEvent
from organisations.models import Invitation, Membership, Role, School, hash_token
from tests.sso_helpers import CLIENT_ID, PROVIDER_ID, SECRET, configure, link

pytestmark = pytest.mark.django_db

CALLBACK = f"http://testserver/sso/oidc/{PROVIDER_ID}/login/callback/"
PASSWORD = "wachtwoord-bij-entree"


@pytest.fixture
def idp(fresh_oidc_provider, settings):
    fresh_oidc_provider.add_client(
        CLIENT_ID, SECRET, [CALLBACK], post_logout_redirect_uris=["http://testserver/inloggen/"]
    )
    configure(settings, fresh_oidc_provider.issuer)
    return fresh_oidc_provider


def start(client, next_path: str = "") -> str:
    """Press "Inloggen met Entree Federatie": the authorization URL at the provider."""
    response = client.post(reverse("openid_connect_login", args=[PROVIDER_ID]), {"next": next_path})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def sso_login(client, idp, username: str, next_path: str = ""):
    """The whole round trip; the response of our callback."""
    authorize = start(client, next_path)
    back = idp.authorize(authorize, username, PASSWORD)
    assert back.startswith(CALLBACK), back
    return client.get(back)


def logged_in_as(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_the_authorization_request_uses_pkce_and_the_scopes(client, idp):
    query = parse_qs(urlsplit(start(client)).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"]
    assert set(query["scope"][0].split()) == {"openid", "email", "profile"}
    assert query["client_id"] == [CLIENT_ID] and query["redirect_uri"] == [CALLBACK]
    assert query["state"]


def test_a_verified_address_links_and_logs_in_then_the_sub_alone(client, cast, idp):
    sub = idp.add_user("tina", PASSWORD, "Teamlid@Regenboog.test", name="Tina Teamlid")
    response = sso_login(client, idp, "tina", next_path=f"/scholen/{cast.school.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/scholen/{cast.school.pk}/"
    assert logged_in_as(client) == cast.teamlid
    account = SocialAccount.objects.get(user=cast.teamlid)
    assert (account.provider, account.uid) == (PROVIDER_ID, sub)
    assert account.extra_data == {"iss": idp.issuer, "sub": sub}  # nothing else of the claims is kept
    assert AuditEvent.objects.filter(action="account.sso_linked", actor=cast.teamlid).count() == 1
    login_row = AuditEvent.objects.get(action="account.logged_in", actor=cast.teamlid)
    assert login_row.data == {"method": "sso", "provider": PROVIDER_ID}
    # Later the provider sends another address: the (issuer, sub) decides, not the e-mail.
    client.post(reverse("accounts:logout"))
    idp.add_user("tina", PASSWORD, "iemand.anders@elders.test", email_verified=False)
    assert sso_login(client, idp, "tina").status_code == 302
    assert logged_in_as(client) == cast.teamlid
    assert SocialAccount.objects.get(user=cast.teamlid).extra_data == {"iss": idp.issuer, "sub": sub}


def test_an_invited_person_lands_as_a_member(client, cast, idp):
    Invitation.objects.create(
        school=cast.school,
        email="nina@regenboog.test",
        roles=[Role.TEAMLID],
        token_hash=hash_token("nina-token"),
        expires_at=timezone.now() + timedelta(days=7),
    )
    idp.add_user("nina", PASSWORD, "nina@regenboog.test", name="Nina Nieuw")
    response = sso_login(client, idp, "nina")
    assert response.status_code == 302
    nina = logged_in_as(client)
    assert nina.email == "nina@regenboog.test" and nina.name == "Nina Nieuw" and not nina.has_usable_password()
    assert Membership.objects.get(user=nina, school=cast.school).roles == [Role.TEAMLID]
    assert client.get(response["Location"], follow=True).status_code == 200


def test_a_verified_stranger_gets_no_account(client, cast, idp):
    idp.add_user("vreemd", PASSWORD, "vreemde@elders.test")
    users = User.objects.count()
    response = sso_login(client, idp, "vreemd")
    assert response.status_code == 403
    assert "Er is geen Groeiwijzer-account voor dit e-mailadres" in response.content.decode()
    assert User.objects.count() == users and logged_in_as(client) is None
    assert AuditEvent.objects.filter(action="account.sso_refused", data__reason="no_account").exists()


def test_an_unverified_address_asks_for_the_code_once_then_links(client, cast, idp):
    sub = idp.add_user("tina", PASSWORD, cast.teamlid.email, email_verified=False)
    response = sso_login(client, idp, "tina")
    assert response.status_code == 200
    body = response.content.decode()
    assert "bevestigt niet dat het e-mailadres van dat account van jou is" in body
    assert "Inloggen met een code per e-mail" in body
    assert logged_in_as(client) is None and not SocialAccount.objects.exists()
    # The e-mail code in the same browser links the identity.
    client.post(reverse("accounts:code_request"), {"email": cast.teamlid.email})
    _login_code, code = LoginCode.issue(cast.teamlid)
    client.post(reverse("accounts:code_verify"), {"code": code})
    assert logged_in_as(client) == cast.teamlid
    assert SocialAccount.objects.get(provider=PROVIDER_ID, uid=sub).user == cast.teamlid
    # From now on the school account alone.
    client.post(reverse("accounts:logout"))
    assert sso_login(client, idp, "tina").status_code == 302
    assert logged_in_as(client) == cast.teamlid


def test_a_sub_linked_to_someone_else_is_refused(client, cast, idp, login):
    sub = idp.add_user("karel", PASSWORD, cast.kartrekker.email)
    link(cast.kartrekker, sub, issuer=idp.issuer)
    client = login(cast.teamlid)  # someone else is logged in on this browser
    response = sso_login(client, idp, "karel")
    assert response.status_code == 403
    assert "al gekoppeld aan een ander Groeiwijzer-account" in response.content.decode()
    assert logged_in_as(client) == cast.teamlid  # not the kartrekker
    assert SocialAccount.objects.get(uid=sub).user == cast.kartrekker
    assert AuditEvent.objects.filter(action="account.sso_refused", data__reason="linked_elsewhere").exists()


def test_wrong_issuer_in_the_id_token(client, cast, idp):
    idp.add_user("tina", PASSWORD, cast.teamlid.email)
    idp.set_token_issuer("http://127.0.0.1:9/een-andere-issuer")
    response = sso_login(client, idp, "tina")
    assert response.status_code == 400
    assert "Het antwoord kwam niet van de inlogdienst die voor Entree Federatie is ingesteld" in (
        response.content.decode()
    )
    assert logged_in_as(client) is None and not SocialAccount.objects.exists()
    assert AuditEvent.objects.filter(action="account.sso_refused", data__reason="wrong_issuer").exists()


def test_an_issuer_the_provider_does_not_use(client, cast, idp, settings):
    configure(settings, idp.base_url + "/niet-de-issuer")  # no discovery there
    response = client.post(reverse("openid_connect_login", args=[PROVIDER_ID]))
    assert response.status_code == 400
    assert "Groeiwijzer vindt de inlogdienst van Entree Federatie niet op het ingestelde adres" in (
        response.content.decode()
    )
    assert logged_in_as(client) is None
    assert AuditEvent.objects.filter(action="account.sso_refused", data__reason="discovery").exists()


def test_an_expired_id_token(client, cast, idp):
    idp.add_user("tina", PASSWORD, cast.teamlid.email)
    idp.set_id_token_lifetime(-60)
    response = sso_login(client, idp, "tina")
    assert response.status_code == 400
    assert "was al verlopen" in response.content.decode()
    assert logged_in_as(client) is None and not SocialAccount.objects.exists()
    assert AuditEvent.objects.filter(action="account.sso_refused", data__reason="expired").exists()


def test_a_replayed_callback(client, cast, idp):
    idp.add_user("tina", PASSWORD, cast.teamlid.email)
    back = idp.authorize(start(client), "tina", PASSWORD)
    assert client.get(back).status_code == 302
    client.post(reverse("accounts:logout"))
    again = client.get(back)  # the same code and state once more, in the same browser
    assert again.status_code == 400
    assert "Deze inlogpoging is al gebruikt of verlopen" in again.content.decode()
    assert logged_in_as(client) is None
    other = client.__class__()  # and in another browser (a stolen callback address)
    stolen = other.get(back)
    assert stolen.status_code == 400 and "_auth_user_id" not in other.session
    assert AuditEvent.objects.filter(action="account.sso_refused", data__reason="state").count() == 2


def test_cancelled_at_the_provider(client, cast, idp):
    query = parse_qs(urlsplit(start(client)).query)
    response = client.get(CALLBACK + f"?error=access_denied&state={query['state'][0]}")
    assert response.status_code == 400
    assert "Je hebt het inloggen bij Entree Federatie afgebroken" in response.content.decode()
    assert logged_in_as(client) is None


def test_a_school_that_requires_sso_still_lets_its_members_in_with_it(client, cast, idp):
    School.objects.filter(pk=cast.school.pk).update(sso_required=True, sso_code_fallback=False)
    idp.add_user("tina", PASSWORD, cast.teamlid.email)
    assert sso_login(client, idp, "tina").status_code == 302
    assert logged_in_as(client) == cast.teamlid


def test_a_second_factor_still_follows(client, cast, idp):
    from tests.twofactor_helpers import make_device

    make_device(cast.teamlid)
    idp.add_user("tina", PASSWORD, cast.teamlid.email)
    sso_login(client, idp, "tina")
    response = client.get(f"/scholen/{cast.school.pk}/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:twofactor_verify"))


def test_logout_offers_the_providers_logout(client, cast, idp):
    idp.add_user("tina", PASSWORD, cast.teamlid.email)
    sso_login(client, idp, "tina")
    response = client.post(reverse("accounts:logout"), follow=True)
    assert logged_in_as(client) is None
    body = response.content.decode()
    assert "Ook uitloggen bij Entree Federatie" in body
    end_session = idp.discovery()["end_session_endpoint"]
    assert f'href="{end_session}?client_id={CLIENT_ID}&amp;post_logout_redirect_uri=' in body
    # Shown once; a password login's logout offers nothing.
    assert "Ook uitloggen bij" not in client.get(reverse("accounts:login")).content.decode()
    assert sso.SESSION_PROVIDER not in client.session


def test_linking_from_mijn_gegevens(client, cast, idp, login):
    sub = idp.add_user("tina", PASSWORD, "prive-adres@elders.test", email_verified=False)
    client = login(cast.teamlid)
    response = sso_login(client, idp, "tina")  # "Koppelen met Entree Federatie" posts to the same login
    assert response.status_code == 302 and response["Location"] == reverse("accounts:account")
    assert SocialAccount.objects.get(provider=PROVIDER_ID, uid=sub).user == cast.teamlid
    assert logged_in_as(client) == cast.teamlid
    client.post(reverse("accounts:logout"))
    assert sso_login(client, idp, "tina").status_code == 302
    assert logged_in_as(client) == cast.teamlid


# The school requires it, the code switched off: a waiting identity and the password (the audit's probe) ----------


def test_the_attackers_own_identity_does_not_let_the_members_password_in(client, cast, idp):
    """The member has linked their school account; the attacker logs in at the provider as themselves (an address
    the provider does not vouch for, so it waits in the attacker's session), then posts the member's password."""
    from tests.factories import PASSWORD as MEMBER_PASSWORD

    School.objects.filter(pk=cast.school.pk).update(sso_required=True, sso_code_fallback=False)
    member_sub = idp.add_user("tina", PASSWORD, cast.teamlid.email)
    link(cast.teamlid, member_sub, issuer=idp.issuer)
    attacker_sub = idp.add_user("mallory", PASSWORD, "mallory@elders.test", email_verified=False)
    assert sso_login(client, idp, "mallory").status_code == 200  # "Nog één keer anders inloggen"
    assert sso.PENDING in client.session
    response = client.post(reverse("accounts:login"), {"email": cast.teamlid.email, "password": MEMBER_PASSWORD})
    assert response.status_code == 200 and logged_in_as(client) is None
    assert "niet met een wachtwoord" in response.content.decode()
    assert not SocialAccount.objects.filter(uid=attacker_sub).exists()
    assert AuditEvent.objects.get(action="account.login_refused").data == {
        "method": "password",
        "pending": "already_linked",
    }
    # A member not linked yet: the attacker's identity (another address) neither lets in nor gets linked.
    SocialAccount.objects.all().delete()
    response = client.post(reverse("accounts:login"), {"email": cast.teamlid.email, "password": MEMBER_PASSWORD})
    assert response.status_code == 200 and logged_in_as(client) is None
    assert not SocialAccount.objects.exists()


def test_the_members_own_unverified_identity_and_password_link_once(client, cast, idp):
    from tests.factories import PASSWORD as MEMBER_PASSWORD

    School.objects.filter(pk=cast.school.pk).update(sso_required=True, sso_code_fallback=False)
    sub = idp.add_user("tina", PASSWORD, "TeamLid@Regenboog.test", email_verified=False)
    assert sso_login(client, idp, "tina").status_code == 200
    response = client.post(reverse("accounts:login"), {"email": cast.teamlid.email, "password": MEMBER_PASSWORD})
    assert response.status_code == 302 and logged_in_as(client) == cast.teamlid
    assert SocialAccount.objects.get(provider=PROVIDER_ID, uid=sub).user == cast.teamlid
    client.post(reverse("accounts:logout"))
    assert sso_login(client, idp, "tina").status_code == 302  # from now on the school account alone
    assert logged_in_as(client) == cast.teamlid


def test_a_sub_linked_under_another_issuer_is_refused(client, cast, idp):
    """The key is (issuer, sub): a link made when the provider id had another issuer does not log in, and the claims
    allauth stored on the way are gone again."""
    sub = idp.add_user("tina", PASSWORD, cast.teamlid.email)
    link(cast.teamlid, sub, issuer="https://oude-inlogdienst.test/o")
    response = sso_login(client, idp, "tina")
    assert response.status_code == 400 and logged_in_as(client) is None
    assert "Het antwoord kwam niet van de inlogdienst die voor Entree Federatie is ingesteld" in (
        response.content.decode()
    )
    assert SocialAccount.objects.get(uid=sub).extra_data == {"iss": "https://oude-inlogdienst.test/o", "sub": sub}
    assert AuditEvent.objects.filter(action="account.sso_refused", data__reason="wrong_issuer").exists()
