"""The tests' own OpenID Connect provider (tests/oidc_fixtures.py) speaks real OpenID Connect.

Driven over HTTP with `requests` as a relying party would: discovery, login at the provider's form, the code back on
the redirect URI, the code exchanged with its PKCE verifier, the ID token's RS256 signature checked against the JWKS.
And the bad cases the app's SSO tests build on: an expired ID token, a code used twice, a missing or wrong PKCE
verifier, an unverified email, a lying issuer.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
import requests

from tests.oidc_fixtures import OIDCProvider

CLIENT_ID = "groeiwijzer-test"
CLIENT_SECRET = "geheim-" + "x" * 30
REDIRECT_URI = "http://127.0.0.1:9/accounts/oidc/test/login/callback/"  # never opened: the test reads the redirect
LOGGED_OUT_URI = "http://127.0.0.1:9/uitgelogd/"
SCOPE = "openid email profile"


@pytest.fixture
def idp(fresh_oidc_provider) -> OIDCProvider:
    fresh_oidc_provider.add_client(CLIENT_ID, CLIENT_SECRET, [REDIRECT_URI], post_logout_redirect_uris=[LOGGED_OUT_URI])
    fresh_oidc_provider.add_user("sara", "wachtwoord-1", "sara@regenboog.test", name="Sara Schoolleider")
    return fresh_oidc_provider


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorization_url(idp, *, challenge: str | None, nonce="nonce-123", state="state-456", scope=SCOPE) -> str:
    params = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "scope": scope,
        "state": state,
        "nonce": nonce,
    }
    if challenge:
        params |= {"code_challenge": challenge, "code_challenge_method": "S256"}
    return f"{idp.discovery()['authorization_endpoint']}?{urlencode(params)}"


def log_in(idp, username="sara", password="wachtwoord-1", **kwargs) -> tuple[str, str]:  # noqa: S107
    """(code, verifier) for a login through the form, the redirect checked."""
    verifier, challenge = pkce_pair()
    back = idp.authorize(authorization_url(idp, challenge=challenge, **kwargs), username, password)
    assert back.startswith(REDIRECT_URI + "?"), back
    query = parse_qs(urlsplit(back).query)
    assert query["state"] == ["state-456"]
    return query["code"][0], verifier


def exchange(idp, code, verifier, secret=CLIENT_SECRET) -> requests.Response:
    """The token endpoint's answer for a code (client_secret_basic)."""
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI, "code_verifier": verifier}
    return requests.post(idp.discovery()["token_endpoint"], data=data, auth=(CLIENT_ID, secret), timeout=10)


def verified_claims(idp, id_token: str, **options) -> dict:
    """The ID token's claims after checking its signature against the JWKS, its audience, issuer and expiry."""
    key = jwt.PyJWKClient(idp.discovery()["jwks_uri"]).get_signing_key_from_jwt(id_token)
    return jwt.decode(id_token, key, algorithms=["RS256"], audience=CLIENT_ID, issuer=idp.issuer, options=options)


def test_discovery_document(oidc_provider):
    doc = oidc_provider.discovery()
    issuer = oidc_provider.issuer
    assert issuer == f"{oidc_provider.base_url}/o" and issuer.startswith("http://127.0.0.1:")
    assert doc["issuer"] == issuer
    assert doc["authorization_endpoint"] == f"{issuer}/authorize/"
    assert doc["token_endpoint"] == f"{issuer}/token/"
    assert doc["userinfo_endpoint"] == f"{issuer}/userinfo/"
    assert doc["jwks_uri"] == f"{issuer}/.well-known/jwks.json"
    assert doc["end_session_endpoint"] == f"{issuer}/logout/"
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert doc["response_types_supported"] == ["code"]
    assert "RS256" in doc["id_token_signing_alg_values_supported"]
    assert {"openid", "email", "profile"} <= set(doc["scopes_supported"])
    assert {"sub", "email", "email_verified", "name"} <= set(doc["claims_supported"])
    keys = requests.get(doc["jwks_uri"], timeout=10).json()["keys"]
    assert [(k["kty"], k["alg"], k["use"]) for k in keys] == [("RSA", "RS256", "sig")]


def test_code_flow_with_pkce_gives_a_signed_id_token_and_userinfo(idp):
    sub = idp.add_user("wim", "wachtwoord-2", "wim@regenboog.test", name="Wim Werkgroep")
    code, verifier = log_in(idp, "wim", "wachtwoord-2")
    response = exchange(idp, code, verifier)
    assert response.status_code == 200, response.text
    tokens = response.json()
    assert tokens["token_type"] == "Bearer"

    claims = verified_claims(idp, tokens["id_token"])
    assert claims["iss"] == idp.issuer
    assert claims["aud"] == CLIENT_ID
    assert claims["sub"] == sub
    assert claims["email"] == "wim@regenboog.test"
    assert claims["email_verified"] is True
    assert claims["name"] == "Wim Werkgroep"
    assert claims["nonce"] == "nonce-123"
    assert time.time() < claims["exp"] <= time.time() + 301
    assert jwt.get_unverified_header(tokens["id_token"])["alg"] == "RS256"

    userinfo = requests.get(
        idp.discovery()["userinfo_endpoint"], headers={"Authorization": f"Bearer {tokens['access_token']}"}, timeout=10
    ).json()
    assert userinfo == {"sub": sub, "email": "wim@regenboog.test", "email_verified": True, "name": "Wim Werkgroep"}


def test_a_forged_signature_fails_the_check(idp):
    code, verifier = log_in(idp)
    id_token = exchange(idp, code, verifier).json()["id_token"]
    header, payload, signature = id_token.split(".")
    forged = f"{header}.{payload}.{signature[:-4]}{'AAAA' if not signature.endswith('AAAA') else 'BBBB'}"
    with pytest.raises(jwt.InvalidSignatureError):
        verified_claims(idp, forged)


def test_add_user_keeps_a_given_sub_and_the_unverified_email(idp):
    sub = idp.add_user("olga", "wachtwoord-3", "olga@vreemde.test", email_verified=False, sub="entree-olga-1")
    assert sub == "entree-olga-1"
    code, verifier = log_in(idp, "olga", "wachtwoord-3")
    claims = verified_claims(idp, exchange(idp, code, verifier).json()["id_token"])
    assert (claims["sub"], claims["email"], claims["email_verified"]) == ("entree-olga-1", "olga@vreemde.test", False)
    # Updating keeps the sub.
    assert idp.add_user("olga", "wachtwoord-3", "olga@vreemde.test") == "entree-olga-1"


def test_the_claims_follow_the_scopes_and_client_secret_post_works(idp):
    code, verifier = log_in(idp, scope="openid")
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "code_verifier": verifier,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
    }
    response = requests.post(idp.discovery()["token_endpoint"], data=data, timeout=10)
    assert response.status_code == 200, response.text
    claims = verified_claims(idp, response.json()["id_token"])
    assert claims["sub"] and not {"email", "email_verified", "name"} & set(claims)


def test_an_expired_id_token_is_really_expired(idp):
    idp.set_id_token_lifetime(-60)
    code, verifier = log_in(idp)
    id_token = exchange(idp, code, verifier).json()["id_token"]
    assert verified_claims(idp, id_token, verify_exp=False)["exp"] < time.time() - 50
    with pytest.raises(jwt.ExpiredSignatureError):
        verified_claims(idp, id_token)

    idp.set_id_token_lifetime(None)  # back to the default
    code, verifier = log_in(idp)
    assert verified_claims(idp, exchange(idp, code, verifier).json()["id_token"])["exp"] > time.time() + 250


def test_a_code_cannot_be_exchanged_twice(idp):
    code, verifier = log_in(idp)
    assert exchange(idp, code, verifier).status_code == 200
    again = exchange(idp, code, verifier)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_pkce_is_required_and_checked(idp):
    back = idp.authorize(authorization_url(idp, challenge=None), "sara", "wachtwoord-1")
    query = parse_qs(urlsplit(back).query)
    assert back.startswith(REDIRECT_URI) and query["error"] == ["invalid_request"] and "code" not in query

    code, _ = log_in(idp)
    wrong = exchange(idp, code, pkce_pair()[0])
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"


def test_a_wrong_password_or_client_secret_gets_nothing(idp):
    with pytest.raises(AssertionError, match="login at the OIDC provider failed"):
        log_in(idp, "sara", "niet-het-wachtwoord")
    code, verifier = log_in(idp)
    response = exchange(idp, code, verifier, secret="fout")
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


def test_a_lying_issuer(idp):
    idp.set_token_issuer("http://127.0.0.1:1/niet-de-echte")
    code, verifier = log_in(idp)
    id_token = exchange(idp, code, verifier).json()["id_token"]
    assert idp.discovery()["issuer"] == idp.issuer  # discovery still tells the truth
    with pytest.raises(jwt.InvalidIssuerError):
        verified_claims(idp, id_token)
    assert verified_claims(idp, id_token, verify_iss=False)["iss"] == "http://127.0.0.1:1/niet-de-echte"


def test_rp_initiated_logout_ends_the_provider_session(idp):
    session = requests.Session()
    verifier, challenge = pkce_pair()
    back = idp.authorize(authorization_url(idp, challenge=challenge), "sara", "wachtwoord-1", session=session)
    id_token = exchange(idp, parse_qs(urlsplit(back).query)["code"][0], verifier).json()["id_token"]
    # Still logged in at the provider: a second authorization needs no form.
    again = session.get(authorization_url(idp, challenge=challenge), allow_redirects=False, timeout=10)
    assert again.headers["Location"].startswith(REDIRECT_URI + "?code=")

    params = {"id_token_hint": id_token, "post_logout_redirect_uri": LOGGED_OUT_URI, "state": "weg"}
    response = session.get(idp.discovery()["end_session_endpoint"], params=params, allow_redirects=False, timeout=10)
    assert response.status_code == 302 and response.headers["Location"] == f"{LOGGED_OUT_URI}?state=weg"
    after = session.get(authorization_url(idp, challenge=challenge), allow_redirects=False, timeout=10)
    assert "/accounts/login/" in after.headers["Location"]


def test_the_control_endpoint_needs_the_secret(oidc_provider):
    response = requests.post(f"{oidc_provider.base_url}/control/reset/", headers={"X-Control-Secret": "x"}, timeout=10)
    assert response.status_code == 403
