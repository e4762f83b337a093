"""Sessions end after SESSION_IDLE_TIMEOUT seconds without a request (default 8 hours), and at the latest
SESSION_COOKIE_AGE after the login however active (the fixed lifetime). The last activity is stamped in the session
(at most once a minute, to spare the database). After the logout the request goes on anonymously, so the login
middleware sends the browser to the login page and gives htmx requests a 401 (core.middleware.LoginRequired).

Place after the session, authentication and messages middleware and before nothing that needs the user.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from . import services

STAMP_EVERY = 60  # seconds


class SessionTimeout:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request) -> None:
        session = request.session
        now = int(timezone.now().timestamp())
        last = session.get(services.SESSION_LAST_ACTIVITY)
        started = session.get(services.SESSION_STARTED)
        if not isinstance(started, int):
            started = session[services.SESSION_STARTED] = now
        if isinstance(last, int) and now - last > settings.SESSION_IDLE_TIMEOUT:
            reason = "idle"
        elif now - started > settings.SESSION_COOKIE_AGE:
            reason = "expired"
        else:
            if not isinstance(last, int) or now - last >= STAMP_EVERY:
                session[services.SESSION_LAST_ACTIVITY] = now
            return
        services.do_log_out(request=request, reason=reason)
        if reason == "idle":
            messages.info(request, _("Je was een tijd niet actief en bent daarom uitgelogd. Log opnieuw in."))
        else:
            messages.info(request, _("Je bent al lang ingelogd en daarom uitgelogd. Log opnieuw in."))


def supported_language(code: str | None) -> str | None:
    """``code`` when it is one of LANGUAGES, else None."""
    return code if code in dict(settings.LANGUAGES) else None


class UserLanguage:
    """The language of each request, placed after LocaleMiddleware and AuthenticationMiddleware: a logged-in person's
    preference (``User.language``, from Mijn gegevens or the header's switch), else the language cookie the switch
    sets (anonymous visitors, the login page), else Dutch (LANGUAGE_CODE). The browser's Accept-Language, which
    LocaleMiddleware would follow, is not: the product is Dutch first and English by choice.

    The cookie first, for every request (no query); the person's preference just before a view that needs a login
    (whose user is loaded anyway). Public views (login, health checks, calendar feeds) keep the cookie's language and
    never load a session for it; the switch and Mijn gegevens set the cookie with the preference, so they agree."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)) or settings.LANGUAGE_CODE
        _activate(request, language)
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))  # the page's language may come from a cookie
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "login_required", True) is False:
            return None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            chosen = supported_language(getattr(user, "language", None))
            if chosen:
                _activate(request, chosen)
        return None


def _activate(request, language: str) -> None:
    if translation.get_language() != language:
        translation.activate(language)
    request.LANGUAGE_CODE = language
