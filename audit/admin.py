"""The audit log in the admin (read-only), and an audit row for everything done in the admin itself.

Every ModelAdmin registered on the admin site, ours and those of installed packages, gets ``AuditedAdminMixin``
(``audit_every_admin``, called from ``AuditConfig.ready`` after the admin's autodiscovery): an addition, change or
deletion in /beheer/ writes an ``admin.added`` / ``admin.changed`` / ``admin.deleted`` row with the model, the object
id and the names of the changed fields (and of inline rows added, changed or deleted), never a value and never the
object's text (that may be a name or an email address). tests/audit/test_audit_admin.py checks that every registered
admin is audited.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .labels import action_label, details
from .models import AuditEvent, record


def _changed_fields(form, formsets) -> dict:
    """The names (never the values) of what a form and its inline formsets changed."""
    inlines = []
    for formset in formsets or ():
        model = formset.model._meta.label_lower
        inlines += [{"model": model, "id": str(obj.pk), "change": "added"} for obj in formset.new_objects]
        inlines += [
            {"model": model, "id": str(obj.pk), "change": "changed", "fields": sorted(changed)}
            for obj, changed in formset.changed_objects
        ]
        inlines += [{"model": model, "id": str(obj.pk), "change": "deleted"} for obj in formset.deleted_objects]
    return {"fields": sorted(form.changed_data) if form is not None else [], "inlines": inlines}


def _scope(obj, action: str) -> dict:
    """Which school's or board's log the row belongs to. The models are known by label: audit sits below
    organisations and imports none of its models."""
    label = obj._meta.label_lower
    if label == "organisations.school":
        # A school added or deleted is a board-level event too: the board keeps it when the school is gone.
        board = obj.board if action in ("admin.added", "admin.deleted") else None
        return {"school": obj, "board": board}
    if label == "organisations.board":
        return {"board": obj}
    school = getattr(obj, "school", None)
    is_school = (
        school is not None and getattr(school, "_meta", None) and school._meta.label_lower == "organisations.school"
    )
    return {"school": school} if is_school else {}


def record_admin_action(request, obj, action: str, changed: dict | None = None) -> AuditEvent:
    data = {"model": obj._meta.label_lower, **(changed or {"fields": [], "inlines": []})}
    return record(action=action, acting_user=request.user, target=obj, data=data, **_scope(obj, action))


class AuditedAdminMixin:
    """Django's own admin history (LogEntry) plus one audit row per addition, change or deletion."""

    def construct_change_message(self, request, form, formsets, add=False):
        request._audit_changed = _changed_fields(form, formsets)
        return super().construct_change_message(request, form, formsets, add)  # type: ignore[misc]

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)  # type: ignore[misc]
        record_admin_action(request, obj, "admin.added", getattr(request, "_audit_changed", None))
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)  # type: ignore[misc]
        record_admin_action(request, obj, "admin.changed", getattr(request, "_audit_changed", None))
        return entry

    def log_deletions(self, request, queryset):
        entries = super().log_deletions(request, queryset)  # type: ignore[misc]
        for obj in queryset:
            record_admin_action(request, obj, "admin.deleted")
        return entries


def audit_every_admin(site) -> None:
    """Give every ModelAdmin registered on ``site`` the audit mixin (those of installed packages too)."""
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, AuditedAdminMixin):
            continue
        cls = type(model_admin)
        audited = type(cls.__name__, (AuditedAdminMixin, cls), {"__module__": cls.__module__})
        site._registry[model] = audited(model, site)


@admin.register(AuditEvent)
class AuditEventAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Platform admins read everything here; nobody adds, changes or deletes (also no bulk delete)."""

    list_display = ["created_at", "school", "board", "actor", "action", "label", "object_type", "object_id"]
    list_filter = ["action"]
    list_select_related = ["school", "board", "actor"]
    search_fields = ["action", "object_type", "object_id"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
    actions = None

    @admin.display(description=_("omschrijving"))
    def label(self, obj):
        extra = details(obj)
        return f"{action_label(obj.action)} ({extra})" if extra else action_label(obj.action)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
