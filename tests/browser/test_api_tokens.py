"""The board's API tokens in the browser (issue 16, part 3): the beheerder opens "API-sleutels" from the board page,
makes a token (shown once, with a copy button), the token opens the API, the beheerder revokes it and the API says
so. axe-core on the token page empty, with form errors, with a new token and with a revoked one."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from organisations.models import BoardMember

from .helpers import check_a11y, login

pytestmark = pytest.mark.browser


def test_beheerder_makes_uses_and_revokes_a_token(browser_cast, page, live_server):
    cast = browser_cast
    BoardMember.objects.filter(board=cast.board, user=cast.board_member).update(is_beheerder=True)
    login(page, cast.board_member)
    page.goto(f"/besturen/{cast.board.pk}/")
    page.get_by_role("link", name=re.compile("API-sleutels")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API-sleutels")
    expect(page.get_by_text("Dit bestuur heeft nog geen API-sleutels.")).to_be_visible()
    check_a11y(page, "API-sleutels, nog geen")

    page.get_by_role("button", name="Sleutel maken").click()  # no name
    expect(page.get_by_role("alert")).to_contain_text("Geef de sleutel een naam.")
    check_a11y(page, "API-sleutels, met fouten")

    page.get_by_label("Naam").fill("Kwaliteitsdashboard")
    page.get_by_role("button", name="Sleutel maken").click()
    token = page.get_by_label("API-sleutel").input_value()
    assert re.fullmatch(r"gw_[A-Za-z0-9_-]{43}", token)
    expect(page.get_by_role("button", name="Kopieer de sleutel")).to_be_visible()
    check_a11y(page, "API-sleutels, nieuwe sleutel")

    api = page.context.request
    url = f"{live_server.url}/api/v1/boards/{cast.board.pk}/schools"
    answer = api.get(url, headers={"Authorization": f"Bearer {token}"})
    assert answer.status == 200 and [s["name"] for s in answer.json()["items"]] == ["De Horizon", "De Regenboog"]

    page.goto(page.url)  # the token is shown once
    assert token not in page.content()
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Kwaliteitsdashboard"))
    row.get_by_role("button", name=f"Sleutel Kwaliteitsdashboard ({token[:7]}…) intrekken").click()
    expect(page.get_by_role("status")).to_contain_text("De sleutel is ingetrokken.")
    expect(row).to_contain_text("Ingetrokken op")
    check_a11y(page, "API-sleutels, ingetrokken")
    answer = api.get(url, headers={"Authorization": f"Bearer {token}"})
    assert answer.status == 401 and answer.json() == {"detail": "This token has been revoked."}
