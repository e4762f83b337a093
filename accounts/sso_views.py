"""The single sign-on URLs: allauth's openid_connect login and callback views, with our checks in front.

/sso/oidc/<provider id>/login/ (POST from the login page's button; a GET shows a page with that button) and
/sso/oidc/<provider id>/login/callback/ (where the provider sends the browser back). They keep allauth's URL names
(allauth reverses them). Before the browser is sent to the provider, its discovery document is read and its
``issuer`` must be the configured one (OpenID Connect Discovery 4.3); a provider that cannot be reached or is
configured wrongly gives a Dutch page, never a 500.
"""

from __future__ import annotations

import requests
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.openid_connect import views as oidc_views
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.urls_safe import safe_local_path

from . import sso
from .sso_settings import normalise_issuer


def _app_or_404(provider_id: str) -> dict:
    app = sso.app_for(provider_id)
    if app is None:
        raise Http404
    return app


@login_not_required
@require_http_methods(["GET", "POST"])
def login(request, provider_id):
    app = _app_or_404(provider_id)
    nxt = safe_local_path(request.POST.get("next") or request.GET.get("next")) or ""
    if request.method == "GET":
        return render(request, "accounts/sso_start.html", {"app": app, "next": nxt})
    try:
        adapter = OpenIDConnectOAuth2Adapter(request, provider_id)
        issuer = normalise_issuer(str(adapter.openid_config.get("issuer", "")))
    except SocialApp.DoesNotExist:
        raise Http404 from None
    except (requests.HTTPError, ValueError, OAuth2Error):  # no discovery document at the configured issuer
        refusal = sso.SSORefused("discovery", provider_id=provider_id)
        sso.record_refusal(refusal)
        return sso.refused_response(request, refusal)
    except requests.RequestException:
        refusal = sso.SSORefused("unreachable", provider_id=provider_id)
        sso.record_refusal(refusal)
        return sso.refused_response(request, refusal)
    if issuer != sso.configured_issuer(provider_id):
        refusal = sso.SSORefused("wrong_issuer", provider_id=provider_id)
        sso.record_refusal(refusal)
        return sso.refused_response(request, refusal)
    try:
        return oidc_views.login(request, provider_id)
    except (requests.RequestException, KeyError, OAuth2Error):
        refusal = sso.SSORefused("unreachable", provider_id=provider_id)
        sso.record_refusal(refusal)
        return sso.refused_response(request, refusal)


@login_not_required
@require_http_methods(["GET"])
def callback(request, provider_id):
    _app_or_404(provider_id)
    try:
        return oidc_views.callback(request, provider_id)
    except requests.RequestException:
        refusal = sso.SSORefused("unreachable", provider_id=provider_id)
    except (KeyError, ValueError, TypeError, OAuth2Error):  # e.g. an answer without `sub`
        refusal = sso.SSORefused("invalid_token", provider_id=provider_id)
    sso.record_refusal(refusal)
    return sso.refused_response(request, refusal)


@require_POST
def unlink(request):
    """Mijn gegevens: remove the link of one's school account of the posted provider."""
    provider_id = str(request.POST.get("provider", ""))[:100]
    if sso.do_unlink_identity(user=request.user, provider_id=provider_id, acting_user=request.user):
        messages.success(
            request,
            _("Je account bij %(provider)s is ontkoppeld. Je logt nu in met je e-mailadres.")
            % {"provider": sso.provider_name(provider_id)},
        )
    return redirect("accounts:account")
