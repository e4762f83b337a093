"""'Zo begin je' (pages/onboarding.py, issue 14 part 1): the first steps of phase 1 Verkennen, quoted from the
route's content file, each a link to where it is done, ticked from the data alone; the dashboard's prominent link
while a step is open."""

from __future__ import annotations

import datetime
import re
from html import unescape

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intake import services as intake_services
from intake.content import load_profile
from organisations.models import Role
from pages import onboarding
from tests.factories import make_board, make_member, make_school, make_user
from tests.test_access import make_invitation
from trajectory import services as route_services
from trajectory.content import load_route


def new_school():
    school = make_school(make_board("Stichting Nieuw"), "De Nieuwe Start")
    lead = make_user("Dirk Directeur", "dirk@nieuwestart.test")
    make_member(school, lead, Role.SCHOOLLEIDING)
    return school, lead


def ticks(html: str) -> dict[str, bool]:
    """Per step (its id), whether the page shows it as done."""
    result = {}
    for code, body in re.findall(
        r'<li class="gw-card" id="stap-([a-z]+)">(.*?)</li>\s*(?=<li class="gw-card"|</ol>)', html, re.S
    ):
        result[code] = "✓ Gedaan" in body
    return result


def test_a_new_school_sees_four_open_steps_with_the_handbooks_words_and_links(db, login):
    school, lead = new_school()
    html = login(lead).get(reverse("organisations:onboarding", args=[school.pk])).content.decode()
    assert ticks(html) == {"voorgesprek": False, "kartrekkers": False, "startdatum": False, "team": False}
    assert "0 van 4 gedaan" in html
    html = unescape(html)
    route = load_route()
    for code in ("verkennend-voorgesprek", "werving-kartrekker"):  # quoted, never retyped
        step = route.step(code)
        assert step.phase == "verkennen"
        for action in step.actions:
            assert action in html
        assert step.citation in html and step.when in html
    assert route.phase("verkennen").goal in html and route.citation in html
    for url in (
        reverse("intake:conversation_new", args=[school.pk]),
        reverse("intake:kartrekkers", args=[school.pk]),
        reverse("trajectory:start", args=[school.pk]),
        reverse("organisations:invite", args=[school.pk]),
    ):
        assert f'href="{url}"' in html, url


def test_each_step_is_ticked_from_the_data(db, login):
    school, lead = new_school()
    client = login(lead)
    url = reverse("organisations:onboarding", args=[school.pk])

    intake_services.do_create_conversation(
        school=school, kind="verkennend", dates=[datetime.date(2026, 9, 1)], participants=[lead], acting_user=lead
    )
    assert ticks(client.get(url).content.decode())["voorgesprek"]

    kartrekker = make_user("Kim Kartrekker")
    make_member(school, kartrekker, Role.KARTREKKER, Role.TEAMLID)
    html = client.get(url).content.decode()
    assert not ticks(html)["kartrekkers"] and "1 kartrekker(s) benoemd." in html  # one is not yet the step
    assert "Benoem er minstens 2." in html  # Bijlage 2: (minimaal) twee
    assert load_profile().minimum_count == 2
    make_member(school, make_user("Karin Kartrekker"), Role.KARTREKKER)
    html = client.get(url).content.decode()
    assert ticks(html)["kartrekkers"] and "2 kartrekker(s) benoemd." in html
    assert "Benoem er minstens" not in html

    route_services.do_start_trajectory(school=school, training_start=datetime.date(2027, 9, 1), acting_user=lead)
    html = client.get(url).content.decode()
    assert ticks(html)["startdatum"]
    assert f'href="{reverse("trajectory:overview", args=[school.pk])}"' in html

    # Five people in the school or invited: three members and two open invitations.
    make_invitation(school, "a@nieuwestart.test")
    assert not ticks(client.get(url).content.decode())["team"]  # four
    make_invitation(school, "b@nieuwestart.test")
    html = client.get(url).content.decode()
    assert ticks(html) == {"voorgesprek": True, "kartrekkers": True, "startdatum": True, "team": True}
    assert "4 van 4 gedaan" in html


def test_the_dashboard_links_to_it_prominently_until_every_step_is_done(db, login):
    school, lead = new_school()
    client = login(lead)
    dashboard = reverse("organisations:school", args=[school.pk])
    link = reverse("organisations:onboarding", args=[school.pk])
    assert link in client.get(dashboard).content.decode()

    teamlid = make_user("Tim Team")
    make_member(school, teamlid, Role.TEAMLID)
    assert link not in login(teamlid).get(dashboard).content.decode()  # not their steps

    intake_services.do_create_conversation(
        school=school, kind="verkennend", dates=[datetime.date(2026, 9, 1)], participants=[lead], acting_user=lead
    )
    make_member(school, make_user("Kim Kartrekker"), Role.KARTREKKER)
    route_services.do_start_trajectory(school=school, training_start=datetime.date(2027, 9, 1), acting_user=lead)
    for i in range(2):
        make_member(school, make_user(f"Collega {i}"), Role.TEAMLID)
    assert not onboarding.is_done(onboarding.facts(school))  # one kartrekker: the handbook asks for two
    assert link in login(lead).get(dashboard).content.decode()
    make_member(school, make_user("Karin Kartrekker"), Role.KARTREKKER)
    assert onboarding.is_done(onboarding.facts(school))
    client = login(lead)
    assert link not in client.get(dashboard).content.decode()
    # After accepting an invitation a school that did everything goes on to its dashboard; the page itself stays.
    assert client.get(link + "?welkom=1")["Location"] == dashboard
    assert client.get(link).status_code == 200


def test_expired_revoked_and_accepted_invitations_do_not_count(db):
    from django.utils import timezone

    school, _lead = new_school()
    expired = make_invitation(school, "verlopen@x.test")
    expired.expires_at = timezone.now() - datetime.timedelta(days=1)
    expired.save()
    make_invitation(school, "ingetrokken@x.test", revoked_at=timezone.now())
    make_invitation(school, "aangenomen@x.test", accepted_at=timezone.now())
    make_invitation(school, "open@x.test")
    assert onboarding.facts(school).n_people == 2  # the schoolleider and the open invitation


def test_one_query_for_the_ticks_whatever_the_school(db):
    school, lead = new_school()
    for i in range(30):
        make_member(school, make_user(f"Collega {i}"), Role.TEAMLID, *([Role.KARTREKKER] if i < 3 else []))
        make_invitation(school, f"nieuw{i}@x.test")
    with CaptureQueriesContext(connection) as queries:
        f = onboarding.facts(school)
    assert len(queries.captured_queries) == 1
    assert (f.n_kartrekkers, f.n_people, f.has_conversation, f.has_route) == (3, 61, False, False)


def test_the_dashboard_still_knows_the_users_own_rounds(cast, login):
    """The dashboard finds the user's rounds in its rounds query now (one query less, for the link above)."""
    fill = reverse("assessments:fill", args=[cast.school.pk, cast.open_round.pk])
    dashboard = reverse("organisations:school", args=[cast.school.pk])
    assert fill in login(cast.teamlid).get(dashboard).content.decode()
    newcomer = make_user("Nico Nieuw")
    make_member(cast.school, newcomer, Role.TEAMLID)
    assert fill not in login(newcomer).get(dashboard).content.decode()
