from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Logboek")

    def ready(self):
        # The admin (first in INSTALLED_APPS) has registered every ModelAdmin by now: each one gets an audit row
        # per addition, change and deletion (audit/admin.py).
        from django.contrib import admin

        from .admin import audit_every_admin

        audit_every_admin(admin.site)
