from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResearchConfig(AppConfig):
    name = "research"
    verbose_name = _("Vergelijken en onderzoek")

    def ready(self):
        from . import signals

        signals.connect()  # what moves the benchmark's figures (research/signals.py)
