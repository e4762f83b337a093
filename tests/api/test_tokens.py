"""The board's API tokens (api/tokens.py, api/views.py): made by the beheerder and shown once, stored as a keyed hash,
revoked, audited at the board; the page is reachable from the board page, in Dutch, and refuses bad input."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken, api_token_hash
from api.tokens import TOKEN_PATTERN, do_create_api_token, do_revoke_api_token, lookup
from audit.models import AuditEvent
from organisations.models import BoardMember


def beheerder(cast):
    BoardMember.objects.filter(board=cast.board, user=cast.board_member).update(is_beheerder=True)


def page(cast):
    return reverse("api:tokens", args=[cast.board.pk])


def test_a_token_is_stored_as_a_keyed_hash_only(cast):
    row, token = do_create_api_token(board=cast.board, name="Dashboard", acting_user=cast.board_member)
    assert TOKEN_PATTERN.match(token)
    assert row.token_hash == api_token_hash(token) != token
    assert token not in str(ApiToken.objects.filter(pk=row.pk).values().get())
    assert row.prefix == token[:7]
    assert lookup(token).token == row
    event = AuditEvent.objects.get(action="api_token.created")
    assert (event.board_id, event.actor_id, event.object_id) == (cast.board.pk, cast.board_member.pk, str(row.pk))
    assert token not in str(event.data)


def test_revoking_stops_the_token_once(cast):
    row, token = do_create_api_token(board=cast.board, name="Dashboard", acting_user=cast.board_member)
    assert do_revoke_api_token(board=cast.board, token_id=row.pk, acting_user=cast.board_member) is True
    assert do_revoke_api_token(board=cast.board, token_id=row.pk, acting_user=cast.board_member) is False
    assert lookup(token).token is None and lookup(token).problem == "This token has been revoked."
    assert AuditEvent.objects.filter(action="api_token.revoked", board=cast.board).count() == 1


def test_the_beheerder_makes_a_token_and_sees_it_once(cast, login):
    beheerder(cast)
    client = login(cast.board_member)
    board_page = client.get(reverse("organisations:board", args=[cast.board.pk])).content.decode()
    assert page(cast) in board_page
    response = client.post(page(cast), {"name": "Kwaliteitsdashboard", "expires_on": ""})
    assert response.status_code == 200
    token = response.context["new_token"]
    assert TOKEN_PATTERN.match(token) and token in response.content.decode()
    assert "Kopieer de sleutel nu" in response.content.decode()
    again = client.get(page(cast)).content.decode()
    assert token not in again and "Kwaliteitsdashboard" in again and token[:7] in again
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]


def test_a_read_only_board_member_sees_no_link(cast, login):
    board_page = login(cast.board_member).get(reverse("organisations:board", args=[cast.board.pk]))
    assert page(cast) not in board_page.content.decode()


def test_the_beheerder_revokes_a_token(cast, login):
    beheerder(cast)
    row, token = do_create_api_token(board=cast.board, name="Oud", acting_user=cast.board_member)
    client = login(cast.board_member)
    response = client.post(reverse("api:token_revoke", args=[cast.board.pk, row.pk]), follow=True)
    assert response.status_code == 200
    assert "De sleutel is ingetrokken" in response.content.decode()
    assert "Ingetrokken op" in response.content.decode()
    row.refresh_from_db()
    assert row.revoked_at is not None and row.revoked_by == cast.board_member
    response = client.post(reverse("api:token_revoke", args=[cast.board.pk, row.pk]), follow=True)
    assert "Deze sleutel was al ingetrokken" in response.content.decode()


def test_bad_input_is_a_dutch_form_error_and_changes_nothing(cast, login):
    beheerder(cast)
    client = login(cast.board_member)
    before = (ApiToken.objects.count(), AuditEvent.objects.count())
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    for data, message in [
        ({"name": "", "expires_on": ""}, "Geef de sleutel een naam."),
        ({"name": "x" * 101, "expires_on": ""}, "Gebruik hoogstens 100 tekens."),
        ({"name": "Dashboard", "expires_on": yesterday}, "Kies vandaag of een dag in de toekomst."),
        ({"name": "Dashboard", "expires_on": "31-02-2027"}, "Vul een geldige datum in"),
        ({"name": "Dashboard", "expires_on": "9999-01-01"}, "Kies een datum tussen"),
    ]:
        response = client.post(page(cast), data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), data
        assert response.context["new_token"] is None
    assert (ApiToken.objects.count(), AuditEvent.objects.count()) == before


def test_a_token_with_an_expiry_date_works_through_that_day(cast):
    today = timezone.localdate()
    row, token = do_create_api_token(board=cast.board, name="Kort", expires_on=today, acting_user=cast.board_member)
    assert lookup(token).token == row
    ApiToken.objects.filter(pk=row.pk).update(expires_on=today - datetime.timedelta(days=1))
    assert lookup(token).token is None and "expired" in lookup(token).problem
