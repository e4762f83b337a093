"""The route page made cheaper (issue 15, part 2): the steps, their owners and the kartrekkers and werkgroepleden read
by queries built once per process, each row's link, dates and status worked out once, and the same page."""

from __future__ import annotations

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.models import Membership
from tests.factories import make_member, make_user
from trajectory.models import Step, StepStatus


def test_a_row_shows_its_link_dates_owner_and_status(cast, route, login):
    Step.objects.filter(pk=route.step.pk).update(
        start_date=datetime.date(2025, 11, 3), due_date=datetime.date(2026, 1, 12), note="Zaal reserveren"
    )
    page = login(cast.teamlid).get(reverse("trajectory:overview", args=[cast.school.pk])).content.decode()
    row = re.search(rf'<tr id="stap-{route.step.pk}".*?</tr>', page, flags=re.S).group(0)
    assert reverse("trajectory:step", args=[cast.school.pk, route.step.pk]) in row
    assert "3 nov 2025 – 12 jan 2026" in row
    assert cast.teamlid.display_name in row and "Zaal reserveren" in row
    assert '<span class="gw-badge gw-badge--warn">Open</span>' in row
    assert "Te laat" in row  # open and past its date
    Step.objects.filter(pk=route.step.pk).update(status=StepStatus.DONE)
    page = login(cast.teamlid).get(reverse("trajectory:overview", args=[cast.school.pk])).content.decode()
    row = re.search(rf'<tr id="stap-{route.step.pk}".*?</tr>', page, flags=re.S).group(0)
    assert "gw-badge--ok" in row and "Te laat" not in row


def test_queries_do_not_grow_with_the_team_or_the_owners(cast, route, login):
    client = login(cast.kartrekker)
    url = reverse("trajectory:overview", args=[cast.school.pk])

    def count() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    few = count()
    people = [make_user(f"Collega {i}") for i in range(30)]
    for i, person in enumerate(people):
        make_member(cast.school, person, "werkgroeplid" if i % 3 == 0 else "teamlid")
    for i, step in enumerate(Step.objects.filter(trajectory=route.trajectory)):
        step.owner = people[i % len(people)]
        step.save(update_fields=["owner"])
    assert count() == few <= 6  # session, user, membership, route, steps with owners, kartrekkers and werkgroep
    page = client.get(url).content.decode()
    werkgroep = Membership.objects.filter(school=cast.school, is_werkgroeplid=True).select_related("user")
    assert all(m.user.display_name in page for m in werkgroep)
