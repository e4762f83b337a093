from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrajectoryConfig(AppConfig):
    name = "trajectory"
    verbose_name = _("Implementatietraject")

    def ready(self):
        from core import events

        from .training_dates import after_sessions_changed

        # The training plan's sessions set the dates of the route's matching steps (trajectory/training_dates.py).
        events.subscribe("training.sessions_changed", after_sessions_changed)
