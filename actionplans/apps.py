from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionplansConfig(AppConfig):
    name = "actionplans"
    verbose_name = _("Actieplan")

    def ready(self):
        # A new round's consensus view and meeting screen show per accent the goals set on it since the round
        # before (assessments/growth.py asks the plan through this hook: it may not import the plan).
        from assessments.growth import register_goals_since

        from .overview import goals_since_round

        register_goals_since(goals_since_round)
