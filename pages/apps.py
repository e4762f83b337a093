from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """The top layer: the pages that combine apps (start page, school dashboard, board page), the AVG export and
    erasure, a school's leaving, and the `demo` command. Nothing imports from it but the project (settings, URLs)."""

    name = "pages"
    verbose_name = _("Pagina's")
