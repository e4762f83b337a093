"""How a school's team logs in (single sign-on, organisations/sso.py): the schoolleiding's page for the school, the
beheerder's for the board. Thin: the access check, the form, the service."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import sso as accounts_sso
from core.errors import ServiceError
from organisations import access

from . import sso


def _on(request, name: str) -> bool:
    return request.POST.get(name) in ("1", "on", "true")


def _page(request, template: str, context: dict, save, saved_url):
    """The school's or the board's login page: on POST call ``save`` (a service with the posted switches); saved,
    back to the page with a message; refused, the page with the service's Dutch reason (400)."""
    error = None
    if request.method == "POST":
        try:
            save()
        except ServiceError as exc:
            error = str(exc)
        else:
            messages.success(request, _("De manier van inloggen is opgeslagen."))
            return redirect(saved_url)
    context = {
        **context,
        "apps": accounts_sso.configured_apps(),
        "error": error,
        "linked": accounts_sso.has_linked_identity(request.user),
    }
    return render(request, template, context, status=400 if error else 200)


def school_sso(request, school_id):
    acc = access.school_access(request, school_id, "can_manage_sso")
    return _page(
        request,
        "organisations/school_sso.html",
        access.school_context(acc),
        lambda: sso.do_set_school_sso(
            school=acc.school,
            sso_required=_on(request, "sso_required"),
            code_fallback=_on(request, "code_fallback"),
            acting_user=request.user,
        ),
        reverse("organisations:school_sso", kwargs={"school_id": acc.school.pk}),
    )


def board_sso(request, board_id):
    acc = access.board_access(request.user, board_id, "can_manage_board_sso")
    return _page(
        request,
        "organisations/board_sso.html",
        {"bacc": acc, "board": acc.board},
        lambda: sso.do_set_board_sso(
            board=acc.board, sso_required=_on(request, "sso_required"), acting_user=request.user
        ),
        reverse("organisations:board_sso", kwargs={"board_id": acc.board.pk}),
    )
