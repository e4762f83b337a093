"""The board's API tokens (issue 16): its beheerder makes a token (shown once), sees the board's tokens and revokes
one. Reachable from the board page. Who may: organisations.access.board_access with can_manage_api_tokens (another
board or none: 404; a read-only board member: 403)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from organisations import access

from . import tokens
from .forms import ApiTokenForm


@never_cache
def manage(request, board_id):
    """The board's tokens and the form for a new one; after making one, the token once, on this page only."""
    acc = access.board_access(request.user, board_id, "can_manage_api_tokens")
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    new_token = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            _row, new_token = tokens.do_create_api_token(
                board=acc.board,
                name=form.cleaned_data["name"],
                expires_on=form.cleaned_data["expires_on"],
                acting_user=request.user,
            )
            form = ApiTokenForm()
        else:
            status = 400
    return render(
        request,
        "api/tokens.html",
        {
            "board": acc.board,
            "form": form,
            "new_token": new_token,
            "tokens": tokens.board_tokens(acc.board),
            "today": timezone.localdate(),
            "openapi_url": request.build_absolute_uri(reverse("api:v1:openapi-json")),
        },
        status=status,
    )


@require_POST
def revoke(request, board_id, token_id):
    acc = access.board_access(request.user, board_id, "can_manage_api_tokens")
    api_token = tokens.board_token(acc.board, token_id)
    if tokens.do_revoke_api_token(board=acc.board, token_id=api_token.pk, acting_user=request.user):
        messages.success(
            request, _("De sleutel is ingetrokken. Programma's die hem gebruiken, krijgen geen gegevens meer.")
        )
    else:
        messages.info(request, _("Deze sleutel was al ingetrokken."))
    return redirect("api:tokens", board_id=acc.board.pk)
