from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """People in /beheer/. Erasing (AVG) reads every app, so its action is added on top: pages/admin.py."""

    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_active"]
    search_fields = ["email", "name"]
    fieldsets = (
        (None, {"fields": ("email", "name", "password")}),
        (_("Rechten"), {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "name", "password1", "password2")}),)
    filter_horizontal = ()
    list_filter = ["is_staff", "is_active"]

    def has_delete_permission(self, request, obj=None):
        # A raw delete would take a person's submissions out of the school's results (or be refused by them):
        # people leave through erasure, which keeps the results and removes who they were.
        return False

    def has_change_permission(self, request, obj=None):
        # A platform admin's account (superuser) is changed only by another superuser: whoever could change its
        # address or password could take it over.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_staff", "is_superuser"]  # no one hands themselves (or others) more rights
        return readonly
