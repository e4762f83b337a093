from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The top layer beside pages: the read API for boards (django-ninja, /api/v1/) and the page where a board's
    beheerder makes and revokes its API tokens. Nothing imports from it but the project (settings, URLs)."""

    name = "api"
    verbose_name = _("API voor besturen")
