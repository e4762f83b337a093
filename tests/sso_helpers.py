"""Helpers for the single sign-on tests (accounts/sso.py): configure a provider in the settings, link an identity."""

from __future__ import annotations

from allauth.socialaccount.models import SocialAccount

from accounts.sso_settings import app_config, form_action_origins, socialaccount_providers

CLIENT_ID = "groeiwijzer"
SECRET = "geheim-van-de-test"
PROVIDER_ID = "entree"
PROVIDER_NAME = "Entree Federatie"


def configure(
    settings,
    issuer: str,
    *,
    provider_id: str = PROVIDER_ID,
    name: str = PROVIDER_NAME,
    verified_claim: str = "email_verified",
) -> dict:
    """Switch one provider on in the settings (as the environment would), pointing at ``issuer``."""
    app = app_config(
        provider_id=provider_id,
        name=name,
        client_id=CLIENT_ID,
        secret=SECRET,
        issuer=issuer,
        verified_claim=verified_claim,
    )
    settings.SOCIALACCOUNT_PROVIDERS = socialaccount_providers([app])
    csp = dict(settings.SECURE_CSP)
    csp["form-action"] = [*csp["form-action"], *form_action_origins([app])]
    settings.SECURE_CSP = csp
    return app


def link(user, uid: str, provider_id: str = PROVIDER_ID, issuer: str = "https://entree.test") -> SocialAccount:
    return SocialAccount.objects.create(
        user=user, provider=provider_id, uid=uid, extra_data={"iss": issuer, "sub": uid}
    )
