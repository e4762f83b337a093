from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrajectoryConfig(AppConfig):
    name = "trajectory"
    verbose_name = _("Implementatietraject")
