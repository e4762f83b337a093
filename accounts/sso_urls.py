"""The single sign-on URLs (included by groeiwijzer/urls.py at the top level, without a namespace: allauth reverses
these names). Redirect URI to register with a provider: https://<host>/sso/oidc/<provider id>/login/callback/."""

from django.urls import path

from . import sso_views

urlpatterns = [
    path("sso/oidc/<slug:provider_id>/login/", sso_views.login, name="openid_connect_login"),
    path("sso/oidc/<slug:provider_id>/login/callback/", sso_views.callback, name="openid_connect_callback"),
]
