from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("E-mailmeldingen")

    def ready(self):
        # The domain services publish what happened (core/events.py); these subscribers queue the mail.
        from core import events

        from . import services

        for name, subscriber in services.SUBSCRIBERS.items():
            events.subscribe(name, subscriber)
