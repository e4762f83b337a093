"""{% load sso %}{% sso_login_options next %} on the login page: a button per configured single sign-on provider,
the notice that a login will link a waiting identity, and after a logout the provider's own logout.
{% sso_account_section %} in Mijn gegevens: one's linked school accounts."""

from django import template

from accounts import sso

register = template.Library()


@register.inclusion_tag("accounts/_sso_login.html", takes_context=True)
def sso_login_options(context, next_path=""):
    request = context.get("request")
    session = getattr(request, "session", None)
    offer = session.pop(sso.LOGOUT_OFFER, None) if session is not None else None
    return {
        "apps": sso.configured_apps(),
        "next": next_path,
        "pending": sso.pending_identity(request) if request is not None else None,
        "logout_offer": offer if isinstance(offer, dict) else None,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("accounts/_sso_account.html", takes_context=True)
def sso_account_section(context):
    """Mijn gegevens: one's linked school accounts (unlink) and the configured providers not linked yet (link)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    linked = sso.linked_accounts(user) if user is not None and user.is_authenticated else []
    linked_ids = {a["provider_id"] for a in linked}
    return {
        "linked": linked,
        "unlinked": [app for app in sso.configured_apps() if app["provider_id"] not in linked_ids],
        "csrf_token": context.get("csrf_token"),
    }
