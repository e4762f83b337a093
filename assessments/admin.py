from django.contrib import admin

from .models import Round


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["title", "school", "status", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["model_version", "status", "closed_at"]
