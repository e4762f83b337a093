"""{% load sso %}{% sso_login_options next %} on the login page: a button per configured single sign-on provider,
the notice that a login will link a waiting identity, and after a logout the provider's own logout."""

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
