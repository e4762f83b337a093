"""Making, revoking and finding a board's API tokens. The token is shown once (the beheerder copies it); only its keyed
hash is stored (api.models.api_token_hash). Every creation and revocation writes an audit row at the board."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from audit.models import record
from organisations.access import one_or_404

from .models import ApiToken, api_token_hash

TOKEN_PREFIX = "gw_"  # noqa: S105 (the fixed start of every token, not a secret)
TOKEN_BYTES = 32  # 43 characters of URL-safe base64 after the prefix
TOKEN_PATTERN = re.compile(r"^gw_[A-Za-z0-9_-]{43}$")


@transaction.atomic
def do_create_api_token(*, board, name: str, expires_on=None, acting_user) -> tuple[ApiToken, str]:
    """A new token for ``board``. Returns the token row and the token itself (shown once, never stored)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    api_token = ApiToken.objects.create(
        board=board,
        name=name,
        token_hash=api_token_hash(token),
        prefix=token[:7],
        expires_on=expires_on,
        created_by=acting_user,
    )
    record(
        action="api_token.created",
        acting_user=acting_user,
        board=board,
        target=api_token,
        data={"expires_on": expires_on.isoformat() if expires_on else None},
    )
    return api_token, token


@transaction.atomic
def do_revoke_api_token(*, board, token_id: int, acting_user) -> bool:
    """Stop a token of ``board``; False when it was revoked already (nothing changes, no audit row)."""
    api_token = ApiToken.objects.select_for_update().get(board=board, pk=token_id)
    if api_token.revoked_at is not None:
        return False
    api_token.revoked_at = timezone.now()
    api_token.revoked_by = acting_user
    api_token.save(update_fields=["revoked_at", "revoked_by"])
    record(action="api_token.revoked", acting_user=acting_user, board=board, target=api_token)
    return True


def board_token(board, token_id) -> ApiToken:
    """A token of ``board`` by its id from the URL, or 404 (another board's token, or none: the same answer)."""
    return one_or_404(ApiToken.objects.filter(board=board), token_id)


def board_tokens(board) -> list[ApiToken]:
    """The board's tokens, newest first (for the token page)."""
    return list(ApiToken.objects.filter(board=board).select_related("created_by"))


@dataclass
class Lookup:
    token: ApiToken | None
    problem: str = ""  # why the token opens nothing (English, for the API's 401)


def lookup(token: str) -> Lookup:
    """The token row for a token sent by a client, or why there is none: malformed, unknown, revoked or expired."""
    if not TOKEN_PATTERN.match(token):
        return Lookup(None, "Malformed token: expected 'gw_' followed by 43 characters.")
    api_token = ApiToken.objects.select_related("board").filter(token_hash=api_token_hash(token)).first()
    if api_token is None:
        return Lookup(None, "Unknown token.")
    if api_token.is_revoked:
        return Lookup(None, "This token has been revoked.")
    if api_token.is_expired():
        return Lookup(None, f"This token expired after {api_token.expires_on}.")  # ISO date
    return Lookup(api_token)
