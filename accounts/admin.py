from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
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


# The second factor (accounts/twofactor.py) in place of allauth.mfa's own admin, which would show the (encrypted)
# secrets: a platform admin sees who has an app and recovery codes and may remove them (a lost phone), audited.
if admin.site.is_registered(Authenticator):
    admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    """The way back for a lost phone (README): deleting a person's authenticator app (or their recovery codes)
    removes their second factor as a whole, app and recovery codes (twofactor.do_remove_authenticators, audited).
    Nothing can be added or changed here, and the secrets are never shown."""

    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    search_fields = ["user__email", "user__name"]
    list_select_related = ["user"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = ["user", "type", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        self._remove(request, [obj.user])

    def delete_queryset(self, request, queryset):
        self._remove(request, [a.user for a in queryset.select_related("user")])

    @staticmethod
    def _remove(request, users):
        from .twofactor import do_remove_authenticators

        with transaction.atomic():
            for user in {u.pk: u for u in users}.values():
                do_remove_authenticators(user=user, acting_user=request.user)
