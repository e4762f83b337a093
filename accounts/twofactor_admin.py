"""The admin site (/beheer/) of platform admins: only for a session that passed the second factor.

Installed as the default admin site through ``AdminConfig`` in INSTALLED_APPS (in place of
"django.contrib.admin"), so every ``admin.site.register`` lands here. The middleware
(accounts/twofactor_middleware.py) already sends an unverified admin to the code page or the set-up page; this
check is the second lock on the door: a session that did not pass the second step is answered as someone without rights.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache


class AdminSite(admin.AdminSite):
    @method_decorator(never_cache)
    @login_not_required
    def login(self, request, extra_context=None):
        """The admin's own password login, audited like the app's (accounts.services.do_log_in)."""
        was_anonymous = not request.user.is_authenticated
        response = super().login(request, extra_context)
        if request.method == "POST" and was_anonymous and request.user.is_authenticated:
            from .services import record_login

            record_login(user=request.user, method="beheer")
        return response

    def has_permission(self, request):
        from . import twofactor  # not at import time: this module is loaded while the app registry fills

        return super().has_permission(request) and twofactor.is_verified(request)


class AdminConfig(DjangoAdminConfig):
    default_site = "accounts.twofactor_admin.AdminSite"
