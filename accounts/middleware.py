"""Sessions end after SESSION_IDLE_TIMEOUT seconds without a request (default 8 hours), and at the latest
SESSION_COOKIE_AGE after the login however active (the fixed lifetime). The last activity is stamped in the session
(at most once a minute, to spare the database). After the logout the request goes on anonymously, so the login
middleware sends the browser to the login page and gives htmx requests a 401 (core.middleware.LoginRequired).

Place after the session, authentication and messages middleware and before nothing that needs the user.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.utils import timezone
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
