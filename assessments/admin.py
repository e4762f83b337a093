from django.contrib import admin, messages
from django.utils.translation import gettext as _

from core.errors import ServiceError

from . import services
from .models import Round


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["title", "school", "status", "anonymous", "created_at"]
    list_filter = ["status", "anonymous"]
    readonly_fields = ["model_version", "status", "closed_at", "first_submitted_at", "anonymity_locked_at"]

    def get_readonly_fields(self, request, obj=None):
        """Once someone submitted in an anonymous round, the admin does not offer the box at all."""
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.anonymity_locked:
            fields.append("anonymous")
        return fields

    def save_model(self, request, obj, form, change):
        """Changes go through the service: the same rule for the mode and an audit row with before and after."""
        if not change:
            super().save_model(request, obj, form, change)
            return
        try:
            services.do_save_round_in_admin(round_=obj, changed_fields=form.changed_data, acting_user=request.user)
        except ServiceError as exc:  # the round was locked between showing and saving the form
            messages.error(request, _("Niet opgeslagen: %(error)s") % {"error": exc})
