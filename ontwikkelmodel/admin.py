from django.contrib import admin

from .models import ModelVersion


@admin.register(ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin):
    list_display = ["version", "stored_at"]
    readonly_fields = ["version", "data", "stored_at"]

    def has_add_permission(self, request):
        return False
