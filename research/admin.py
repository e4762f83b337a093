"""Research consent in /beheer/: read-only (given and withdrawn by the schoolleiding on the school's own page), with
a link to the research export (research/views.py, verified platform admins only)."""

from django.contrib import admin

from .models import ResearchConsent


@admin.register(ResearchConsent)
class ResearchConsentAdmin(admin.ModelAdmin):
    list_display = ["school", "text_version", "given_at", "withdrawn_at"]
    list_filter = ["text_version"]
    search_fields = ["school__name"]
    readonly_fields = ("school", "text_version", "text", "given_at", "given_by", "withdrawn_at", "withdrawn_by")
    fields = ("school", "text_version", "text", "given_at", "given_by", "withdrawn_at", "withdrawn_by")
    change_list_template = "admin/research/researchconsent/change_list.html"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
