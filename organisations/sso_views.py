"""How a school's team logs in (single sign-on, organisations/sso.py): the schoolleiding's page for the school, the
beheerder's for the board. Thin: the access check, the form, the service."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import sso as accounts_sso
from core.errors import ServiceError
from organisations import access

from . import sso


def _on(request, name: str) -> bool:
    return request.POST.get(name) in ("1", "on", "true")


def school_sso(request, school_id):
    acc = access.school_access(request, school_id, "can_manage_sso")
    error = None
    if request.method == "POST":
        try:
            sso.do_set_school_sso(
                school=acc.school,
                sso_required=_on(request, "sso_required"),
                code_fallback=_on(request, "code_fallback"),
                acting_user=request.user,
            )
        except ServiceError as exc:
            error = str(exc)
        else:
            messages.success(request, _("De manier van inloggen is opgeslagen."))
            return redirect("organisations:school_sso", school_id=acc.school.pk)
    return render(
        request,
        "organisations/school_sso.html",
        access.school_context(
            acc,
            apps=accounts_sso.configured_apps(),
            error=error,
            linked=accounts_sso.has_linked_identity(request.user),
        ),
        status=400 if error else 200,
    )


def board_sso(request, board_id):
    acc = access.board_access(request.user, board_id, "can_manage_board_sso")
    error = None
    if request.method == "POST":
        try:
            sso.do_set_board_sso(board=acc.board, sso_required=_on(request, "sso_required"), acting_user=request.user)
        except ServiceError as exc:
            error = str(exc)
        else:
            messages.success(request, _("De manier van inloggen is opgeslagen."))
            return redirect("organisations:board_sso", board_id=acc.board.pk)
    return render(
        request,
        "organisations/board_sso.html",
        {
            "bacc": acc,
            "board": acc.board,
            "apps": accounts_sso.configured_apps(),
            "error": error,
            "linked": accounts_sso.has_linked_identity(request.user),
        },
        status=400 if error else 200,
    )
