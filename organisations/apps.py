from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Besturen en scholen")

    def ready(self):
        # Single sign-on: the schools' login policy and accepting invitations with a school account (accounts/sso.py)
        from . import sso

        sso.register()
