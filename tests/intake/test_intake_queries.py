"""The intake pages run the same number of queries for a little and a lot of data."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intake import services
from intake.content import load_agenda
from organisations.models import Role
from tests.factories import make_member, make_user
from tests.intake_fixtures import make_conversation

CEILING = 20


def fill(cast, n: int):
    """n extra members (half kartrekker), n conversations with n dates and agreements, notes for n questions."""
    school = cast.school
    people = []
    for i in range(n):
        user = make_user(f"Lid {n}-{i}")
        make_member(school, user, Role.TEAMLID, *([Role.KARTREKKER] if i % 2 else []))
        people.append(user)
    codes = load_agenda().question_codes
    conversation = None
    for i in range(n):
        dates = [datetime.date(2026, 1, 1) + datetime.timedelta(days=7 * j) for j in range(min(n, 10))]
        conversation = make_conversation(school, cast.schoolleider, dates=dates, participants=people[: i + 1])
        services.do_add_agreement(
            conversation=conversation,
            values={"what": f"Afspraak {i}", "owner": people[i], "owner_text": ""},
            acting_user=cast.schoolleider,
        )
    for i in range(n):
        services.do_add_agreement(
            conversation=conversation,
            values={"what": f"Nog een afspraak {i}", "owner": people[i], "owner_text": "", "support": "x"},
            acting_user=cast.schoolleider,
        )
    for code in codes[: min(n * 3, len(codes))]:
        services.do_save_note(
            conversation=conversation, question_code=code, text="Notitie", expected_version=0, acting_user=people[0]
        )
    return conversation


PAGES = {
    "list": lambda c, conv: reverse("intake:conversations", args=[c.school.pk]),
    "detail": lambda c, conv: reverse("intake:conversation", args=[c.school.pk, conv.pk]),
    "decision": lambda c, conv: reverse("intake:decision", args=[c.school.pk, conv.pk]),
    "edit": lambda c, conv: reverse("intake:conversation_edit", args=[c.school.pk, conv.pk]),
    "kartrekkers": lambda c, conv: reverse("intake:kartrekkers", args=[c.school.pk]),
    "dashboard": lambda c, conv: reverse("organisations:school", args=[c.school.pk]),
}


def count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", PAGES)
def test_queries_do_not_grow(cast, login, page, django_assert_num_queries):
    client = login(cast.schoolleider)
    small = fill(cast, 2)
    expected = count(client, PAGES[page](cast, small))
    assert expected <= CEILING, f"{page}: {expected} queries"
    big = fill(cast, 25)
    client.get(PAGES[page](cast, big))
    with django_assert_num_queries(expected):
        assert client.get(PAGES[page](cast, big)).status_code == 200
