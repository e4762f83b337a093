"""One mechanism per login step (issue 16): the e-mail code and its throttle are ours (accounts/services.py), the
second factor is allauth.mfa's storage behind our pages, allauth's own account and MFA pages are not routed and
django-otp is gone (README "Production", second factor)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from allauth.account import app_settings as account_settings
from django.conf import settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, reverse

ROOT = Path(__file__).resolve().parents[2]


def _allauth_url_names() -> set[str]:
    import allauth.account.urls
    import allauth.mfa.urls

    names: set[str] = set()

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(pattern.name)

    walk(allauth.account.urls.urlpatterns)
    walk(allauth.mfa.urls.urlpatterns)
    return names


def test_allauths_login_by_code_is_off():
    assert settings.ACCOUNT_LOGIN_BY_CODE_ENABLED is False
    assert account_settings.LOGIN_BY_CODE_ENABLED is False


@pytest.mark.parametrize(
    "name",
    [
        "account_login",
        "account_confirm_login_code",
        "account_signup",
        "mfa_index",
        "mfa_activate_totp",
        "mfa_authenticate",
    ],
)
def test_allauths_own_pages_are_not_routed(name):
    assert name in _allauth_url_names()  # allauth's own name (not a typo): so NoReverseMatch means "not routed"
    with pytest.raises(NoReverseMatch):
        reverse(name)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/login/code/", "/accounts/signup/", "/accounts/2fa/"])
def test_allauths_addresses_answer_404(client, path):
    assert client.get(path).status_code == 404


def test_our_login_code_and_the_second_factor_are_the_only_ones():
    """No app module imports django-otp, and it is not installed as an app."""
    assert not [app for app in settings.INSTALLED_APPS if app.startswith("django_otp")]
    assert "allauth.mfa" in settings.INSTALLED_APPS
    offenders = []
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            modules = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            offenders += [f"{path.relative_to(ROOT)}:{node.lineno}" for m in modules if m.split(".")[0] == "django_otp"]
    assert offenders == []
