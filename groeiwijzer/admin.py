"""The background tasks in /beheer/: their state, never their content.

django-tasks-db registers an admin for its task rows that shows every field, also ``args_kwargs`` (a mail's
subject, body and address: login codes, invitation links) and ``return_value``. This app comes after
``django_tasks_db`` in INSTALLED_APPS, so its admin module runs later and replaces that admin with one that shows
the status, the task, the dates, the mail attempt and the class of an error, and nothing a message said. The
traceback is left out too: an error from the mail server can quote the address.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models.fields.json import KT
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult, get_date_max

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(admin.ModelAdmin):
    """Read-only; no field holding the task's arguments or result is listed, shown, searched or filtered on."""

    list_display = ["id", "task_path", "status", "attempt", "enqueued_at", "run_after_shown", "finished_at"]
    list_filter = ["status", "queue_name"]
    ordering = ["-enqueued_at"]
    readonly_fields = (
        "id",
        "task_path",
        "status",
        "attempt",
        "queue_name",
        "priority",
        "enqueued_at",
        "run_after_shown",
        "started_at",
        "finished_at",
        "worker_ids",
        "exception_class_path",
    )
    fields = readonly_fields
    show_full_result_count = False

    def get_queryset(self, request):
        # The content is never even read for these pages, only the attempt number beside it.
        queryset = super().get_queryset(request).defer("args_kwargs", "return_value", "traceback")
        return queryset.annotate(mail_attempt=KT("args_kwargs__kwargs__attempt"))

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("poging"))
    def attempt(self, obj: DBTaskResult) -> int | str:
        """The mail's attempt number (core/mail.py passes it along); other tasks have none."""
        value = str(getattr(obj, "mail_attempt", None) or "")
        return int(value) if value.isdigit() else "–"

    @admin.display(description=_("uitvoeren na"))
    def run_after_shown(self, obj: DBTaskResult):
        return "–" if obj.run_after == get_date_max() else obj.run_after
