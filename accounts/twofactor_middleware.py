"""The second step of every login, enforced for every request.

It also gives the request's user ``is_verified()``: whether this session passed the second step
(accounts/twofactor.session_is_verified; the admin and organisations.access ask it).

A logged-in user who owns a confirmed authenticator app but has not entered a code in this session is sent to
"Code uit je app" before anything else; a platform admin (is_staff) without an app is sent to set one up first.
Only that page, logging out and static files stay reachable. htmx requests get a 401 instead of a redirect, like
core/middleware.py does for anonymous users. The password login of the admin (/beheer/login/) is only a
first step too: after it, this middleware asks for the code like after the app's own login.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from . import twofactor


class SecondFactorRequired:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        twofactor.attach_verification(request, request.user)  # loads the user, as pending_step does anyway
        step = twofactor.pending_step(request)
        if step is not None and not self._allowed(request.path, step):
            if request.headers.get("HX-Request") == "true":
                return HttpResponse(status=401)
            target = reverse("accounts:twofactor_verify" if step == "verify" else "accounts:twofactor")
            if request.method == "GET":
                target = f"{target}?{urlencode({'next': request.get_full_path()})}"
            return redirect(target)
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str, step: str) -> bool:
        always = {reverse("accounts:logout"), reverse("admin:logout")}
        if path in always or path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return True
        own_page = reverse("accounts:twofactor_verify" if step == "verify" else "accounts:twofactor")
        return path == own_page
