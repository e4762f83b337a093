"""Single sign-on providers from the environment, for settings.py (plain Python: imports nothing of Django's apps).

Each provider is an OpenID Connect app of django-allauth's ``openid_connect`` provider, switched on when its three
variables are set:

    SSO_ENTREE_CLIENT_ID, SSO_ENTREE_SECRET, SSO_ENTREE_ISSUER            Entree Federatie (Kennisnet)
    SSO_SURFCONEXT_CLIENT_ID, SSO_SURFCONEXT_SECRET, SSO_SURFCONEXT_ISSUER  SURFconext
    SSO_ENTRA_CLIENT_ID, SSO_ENTRA_SECRET, SSO_ENTRA_ISSUER                Microsoft Entra ID

and, optional, ``SSO_<NAME>_VERIFIED_CLAIM``: the claim by which the provider vouches for the e-mail address (only
its value ``true`` links an account by address). Default ``email_verified`` (OpenID Connect's standard claim, which
Entree Federatie and SURFconext send); for Entra ID ``xms_edov`` ("email domain owner verified", an optional claim an
Entra tenant adds in its app registration; Entra ID never sends ``email_verified`` for work accounts). ``none``: the
provider vouches for no address, so each person's first login goes once through the e-mail code or an invitation.

The provider id (``entree``, ``surfconext``, ``entra``) is part of the redirect URI
(``https://<host>/sso/oidc/<id>/login/callback/``) and of every linked identity (allauth's SocialAccount: provider id
+ ``sub``). One id belongs to one issuer: two providers with the same issuer or the same id are refused here, and the
ID token's ``iss`` must be the configured issuer (accounts/sso.py). PKCE is on, the scopes are openid, email, profile.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

# (provider id, environment prefix, the name on the button, the default claim that vouches for the e-mail address)
KNOWN_PROVIDERS = (
    ("entree", "SSO_ENTREE", "Entree Federatie", "email_verified"),
    ("surfconext", "SSO_SURFCONEXT", "SURFconext", "email_verified"),
    ("entra", "SSO_ENTRA", "Microsoft Entra ID", "xms_edov"),
)
SCOPES = ["openid", "email", "profile"]
NO_VERIFIED_CLAIM = "none"
CLAIM_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.:-]{0,63}")


class SSOConfigError(ValueError):
    """A provider configured half, or two providers sharing an id or an issuer."""


def normalise_issuer(issuer: str) -> str:
    """The issuer as compared with an ID token's ``iss``: without surrounding spaces and a trailing slash."""
    return issuer.strip().rstrip("/")


def app_config(
    *, provider_id: str, name: str, client_id: str, secret: str, issuer: str, verified_claim: str = "email_verified"
) -> dict:
    """One entry of SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]. ``verified_claim``: the claim whose value
    ``true`` vouches for the e-mail address ("" when the provider vouches for none)."""
    return {
        "provider_id": provider_id,
        "name": name,
        "client_id": client_id,
        "secret": secret,
        "settings": {
            "server_url": normalise_issuer(issuer),  # discovery: <issuer>/.well-known/openid-configuration
            "oauth_pkce_enabled": True,
            "scope": list(SCOPES),
            "verified_email_claim": verified_claim,
        },
    }


def verified_claim_from_env(prefix: str, default: str, environ: Mapping[str, str]) -> str:
    """The claim that vouches for the e-mail address: SSO_<NAME>_VERIFIED_CLAIM, else the provider's default;
    "none" gives "" (no claim is trusted). Anything but a plain claim name stops the start."""
    value = (environ.get(f"{prefix}_VERIFIED_CLAIM") or "").strip() or default
    if value.lower() == NO_VERIFIED_CLAIM:
        return ""
    if not CLAIM_NAME.fullmatch(value):
        raise SSOConfigError(f"Single sign-on: {prefix}_VERIFIED_CLAIM {value!r} is not a claim name (or 'none').")
    return value


def apps_from_env(environ: Mapping[str, str]) -> list[dict]:
    """The configured providers, in the order of KNOWN_PROVIDERS. A provider with some but not all of its three
    variables set is an error (better a failed start than a button that cannot work)."""
    apps = []
    for provider_id, prefix, name, default_claim in KNOWN_PROVIDERS:
        values = {key: (environ.get(f"{prefix}_{key}") or "").strip() for key in ("CLIENT_ID", "SECRET", "ISSUER")}
        if not any(values.values()):
            continue
        missing = [f"{prefix}_{key}" for key, value in values.items() if not value]
        if missing:
            raise SSOConfigError(f"Single sign-on {name}: set {', '.join(missing)} too, or none of its variables.")
        apps.append(
            app_config(
                provider_id=provider_id,
                name=name,
                client_id=values["CLIENT_ID"],
                secret=values["SECRET"],
                issuer=values["ISSUER"],
                verified_claim=verified_claim_from_env(prefix, default_claim, environ),
            )
        )
    check_apps(apps)
    return apps


def check_apps(apps: list[dict]) -> None:
    """Every provider id and every issuer at most once: a linked identity is (provider id, sub), so an id must stand
    for exactly one issuer."""
    ids = [app["provider_id"] for app in apps]
    issuers = [normalise_issuer(app["settings"]["server_url"]) for app in apps]
    if len(set(ids)) != len(ids):
        raise SSOConfigError("Single sign-on: two providers with the same id.")
    if len(set(issuers)) != len(issuers):
        raise SSOConfigError("Single sign-on: two providers with the same issuer.")
    for issuer in issuers:
        parts = urlsplit(issuer)
        if parts.scheme not in ("https", "http") or not parts.netloc:
            raise SSOConfigError(f"Single sign-on: the issuer {issuer!r} is not an https:// address.")


def socialaccount_providers(apps: list[dict]) -> dict:
    """SOCIALACCOUNT_PROVIDERS for these apps."""
    return {"openid_connect": {"APPS": apps, "OAUTH_PKCE_ENABLED": True, "SCOPE": list(SCOPES)}}


def form_action_origins(apps: list[dict]) -> list[str]:
    """The origins the login button's form may lead to (the provider's authorization endpoint is on the issuer's
    host): Chromium applies the CSP's form-action to the redirect after a form is posted."""
    origins = []
    for app in apps:
        parts = urlsplit(app["settings"]["server_url"])
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in origins:
            origins.append(origin)
    return origins
