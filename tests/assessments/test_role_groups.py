"""The distribution per role group on the consensus and projector views (issue 13, part 2).

Shown with ?rolgroepen=1. In an anonymous round only from the frozen shown set, with each submission in the role group
it had when it was shown, and only when EVERY group with shown submissions has at least MIN_ANONYMOUS_GROUP and
every batch of late submissions gave each group none or at least MIN_ANONYMOUS_GROUP: never some groups and not
others, never a group that a comparison of two views narrows down to one or two people. Named rounds always show
it. Board members never see it (they do not see the consensus view at all).
"""

from __future__ import annotations

import itertools
import re

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import MIN_ANONYMOUS_GROUP, Participant, Round
from assessments.summary import summarise
from organisations.models import Membership, Role
from organisations.rolegroups import RoleGroup, role_group
from tests.factories import fill_completely, make_board, make_member, make_round, make_school, make_user

ROLES = {
    "SL": (Role.SCHOOLLEIDING,),
    "WG": (Role.WERKGROEPLID, Role.TEAMLID),
    "TR": (Role.TRAINER_EXTERN,),
    "TEAM": (Role.TEAMLID,),
}
LABEL = {"SL": "Schoolleiding", "WG": "Kartrekkers en werkgroep", "TR": "Trainers", "TEAM": "Team"}
PHASE = {"SL": 1, "WG": 2, "TR": 4, "TEAM": 3}  # what each group answers on accent 1.1
WITHHELD = "De verdeling per rolgroep wordt niet getoond"
TOGGLE_ON = "Verdeling per rolgroep tonen"


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def url(name, round_, query=""):
    return reverse(f"assessments:{name}", args=[round_.school_id, round_.pk]) + query


def fresh(round_) -> Round:
    return Round.objects.get(pk=round_.pk)


def step(client, round_, action):
    # confirmed: moving on with something missing asks first (tests/assessments/test_round_rough_edges.py)
    return client.post(
        reverse("assessments:round_transition", args=[round_.school_id, round_.pk, action]), {"bevestigd": "1"}
    )


class World:
    def __init__(self, sizes: dict[str, int], *, anonymous=True, extra: dict[str, int] | None = None):
        self.board = make_board("Bestuur Rolgroep")
        self.school = make_school(self.board, "De Rolgroep")
        self.organiser = make_user("Olaf Organisator")  # organises, takes no part
        make_member(self.school, self.organiser, Role.KARTREKKER)
        self.users: dict[str, list] = {g: [] for g in ROLES}
        self.late: dict[str, list] = {g: [] for g in ROLES}
        for g, n in sizes.items():
            for i in range(n):
                self.users[g].append(self._member(f"{g} {i}", g))
        for g, n in (extra or {}).items():
            for i in range(n):
                self.late[g].append(self._member(f"{g} laat {i}", g))
        everyone = [u for us in (*self.users.values(), *self.late.values()) for u in us]
        self.round = make_round(self.school, everyone, by=self.organiser, anonymous=anonymous)

    def _member(self, name, group):
        user = make_user(name)
        make_member(self.school, user, *ROLES[group])
        return user

    def submit(self, group, user):
        p = Participant.objects.get(round=self.round, user=user)
        fill_completely(
            p, phase_for=lambda code: PHASE[group] if code == "1.1" else 2, strengths=f"Sterk volgens {user.name}"
        )

    def submit_all(self):
        for g, us in self.users.items():
            for u in us:
                self.submit(g, u)


def group_rows(page: str, code: str = "1.1") -> dict[str, tuple[int, ...]]:
    """{group label: (fase 1-4, weet ik niet, inzendingen)} from the per-group table of one accent; {} if none."""
    for table in re.findall(r'<table class="utrecht-table gw-by-group">(.*?)</table>', page, re.S):
        if f"Verdeling per rolgroep, {code} " not in table:
            continue
        rows = re.findall(r'<th scope="row">([^<]+)</th>((?:\s*<td>\d+</td>){6})', table)
        return {label: tuple(int(n) for n in re.findall(r"\d+", cells)) for label, cells in rows}
    return {}


def overall(page: str) -> tuple[int, ...]:
    """The first chart's counts (accent 1.1), fase 1-4."""
    m = re.search(r"Groeifase 1: (\d+), groeifase 2: (\d+), groeifase 3: (\d+), groeifase 4: (\d+)", page)
    assert m, "no distribution on the page"
    return tuple(int(x) for x in m.groups())


def test_the_mapping_takes_the_first_group_that_matches(db):
    school = make_school(make_board(), "Mapping")

    def m(*roles):
        return make_member(school, make_user(), *roles)

    assert role_group(m(Role.SCHOOLLEIDING, Role.KARTREKKER, Role.TRAINER_INTERN)) == RoleGroup.SCHOOLLEIDING
    assert role_group(m(Role.KARTREKKER, Role.TRAINER_EXTERN)) == RoleGroup.WERKGROEP
    assert role_group(m(Role.WERKGROEPLID, Role.TEAMLID)) == RoleGroup.WERKGROEP
    assert role_group(m(Role.TRAINER_INTERN, Role.TEAMLID)) == RoleGroup.TRAINERS
    assert role_group(m(Role.TRAINER_EXTERN)) == RoleGroup.TRAINERS
    assert role_group(m(Role.TEAMLID)) == RoleGroup.TEAM
    assert role_group(None) == RoleGroup.TEAM
    # The questionnaire (outcomes) uses the same mapping.
    from outcomes import services as outcome_services
    from outcomes.models import RoleGroup as OutcomeGroup

    assert OutcomeGroup is RoleGroup
    assert outcome_services.role_group(m(Role.KARTREKKER)) == RoleGroup.WERKGROEP


def test_breakdown_appears_when_every_group_has_three(db, login):
    w = World({"SL": 3, "WG": 3, "TEAM": 3})
    w.submit_all()
    organiser = login(w.organiser)
    step(organiser, w.round, "consensus")

    plain = text(organiser.get(url("consensus", w.round)))
    assert TOGGLE_ON in plain and group_rows(plain) == {}  # off until asked for
    page = text(organiser.get(url("consensus", w.round, "?rolgroepen=1")))
    assert "Verdeling per rolgroep verbergen" in page and WITHHELD not in page
    assert group_rows(page) == {
        "Schoolleiding": (3, 0, 0, 0, 0, 3),
        "Kartrekkers en werkgroep": (0, 3, 0, 0, 0, 3),
        "Team": (0, 0, 3, 0, 0, 3),
    }  # no row for trainers: nobody of them took part
    assert overall(page) == (3, 3, 3, 0)
    assert '?rolgroepen=1" data-hx-target' in page  # saving an accent keeps the breakdown in view
    # The written answers (opened on demand) carry no group and no name: sorted by text, as without the breakdown.
    written_url = reverse("assessments:consensus_written", args=[w.school.pk, w.round.pk, "1.1"]) + "?rolgroepen=1"
    block = text(organiser.get(written_url, HTTP_HX_REQUEST="true"))
    written = re.findall(r"<li>(Sterk volgens [^<]+)</li>", block)
    assert len(written) == 9
    assert written and written == sorted(written, key=str.casefold)
    assert "– Schoolleiding" not in block and "SL 0</span>" not in block

    present = text(organiser.get(url("present", w.round, "?accent=1.1&rolgroepen=1")))
    assert group_rows(present) == group_rows(page)
    assert "rolgroepen=1" in re.search(r'data-next href="([^"]+)"', present).group(1)  # stays on while paging
    assert group_rows(text(organiser.get(url("present", w.round, "?accent=1.1")))) == {}

    # Recording an accent (htmx) keeps the table in the swapped block.
    item = reverse("assessments:consensus_item", args=[w.school.pk, w.round.pk, "1.1"]) + "?rolgroepen=1"
    swapped = organiser.post(item, {"phase": "2", "version": ""}, HTTP_HX_REQUEST="true")
    assert group_rows(text(swapped))["Team"] == (0, 0, 3, 0, 0, 3)


def test_breakdown_hidden_entirely_when_one_group_has_two(db, login):
    w = World({"SL": 2, "WG": 3, "TEAM": 4})
    w.submit_all()
    organiser = login(w.organiser)
    step(organiser, w.round, "consensus")
    for page in (
        text(organiser.get(url("consensus", w.round, "?rolgroepen=1"))),
        text(organiser.get(url("present", w.round, "?accent=1.1&rolgroepen=1"))),
    ):
        assert group_rows(page) == {}  # not the big groups either: total minus them would be the two
        assert "gw-by-group" not in page
        assert WITHHELD in page and "minstens 3" in page
        assert overall(page) == (2, 3, 4, 0)  # the whole distribution stays


def test_board_members_never_see_it(db, client):
    w = World({"SL": 3, "WG": 3, "TEAM": 3})
    w.submit_all()
    w.round = services.do_start_consensus(round_=fresh(w.round), acting_user=w.organiser)
    member = make_user("Bea Bestuur")
    w.board.members.add(member)
    client.force_login(member, backend="accounts.backends.EmailBackend")
    assert client.get(url("consensus", w.round, "?rolgroepen=1")).status_code == 403
    assert client.get(url("present", w.round, "?accent=1.1&rolgroepen=1")).status_code == 403
    # And the read model gives nothing without the individual answers.
    summary = summarise(w.round, include_individual=False, by_role_group=True)
    assert not summary.by_group_shown and all(a.by_group == [] for a in summary.accents)


def test_a_named_round_always_shows_it(db, login):
    w = World({"SL": 1, "WG": 2, "TR": 1}, anonymous=False)
    w.submit_all()
    organiser = login(w.organiser)
    step(organiser, w.round, "consensus")
    page = text(organiser.get(url("consensus", w.round, "?rolgroepen=1")))
    assert group_rows(page) == {
        "Schoolleiding": (1, 0, 0, 0, 0, 1),
        "Kartrekkers en werkgroep": (0, 2, 0, 0, 0, 2),
        "Trainers": (0, 0, 0, 1, 0, 1),
    }
    assert WITHHELD not in page


def test_a_submission_not_in_the_shown_set_never_counts(db, login):
    w = World({"SL": 3, "WG": 3, "TEAM": 3}, extra={"SL": 1, "TEAM": 2})
    w.submit_all()
    organiser = login(w.organiser)
    step(organiser, w.round, "consensus")
    before = text(organiser.get(url("consensus", w.round, "?rolgroepen=1")))

    step(organiser, w.round, "heropen-invullen")
    w.submit("SL", w.late["SL"][0])  # one late schoolleider: waits, not shown
    w.submit("TEAM", w.late["TEAM"][0])
    step(organiser, w.round, "consensus")
    after = text(organiser.get(url("consensus", w.round, "?rolgroepen=1")))
    assert "2 inzendingen komen erbij zodra er minstens 3 nieuwe zijn." in after
    assert group_rows(after) == group_rows(before) and group_rows(after)["Schoolleiding"][-1] == 3
    assert overall(after) == overall(before) == (3, 3, 3, 0)


def test_roles_are_frozen_when_shown(db, login):
    """Making someone schoolleiding after the view does not move their answers into another group's row."""
    w = World({"SL": 3, "WG": 3, "TEAM": 3})
    w.submit_all()
    organiser = login(w.organiser)
    step(organiser, w.round, "consensus")
    before = group_rows(text(organiser.get(url("consensus", w.round, "?rolgroepen=1"))))
    victim = Membership.objects.get(school=w.school, user=w.users["TEAM"][0])
    victim.set_roles([Role.SCHOOLLEIDING])
    victim.save()
    assert group_rows(text(organiser.get(url("consensus", w.round, "?rolgroepen=1")))) == before


def snapshot(client, round_) -> list[tuple[tuple[int, ...], dict[str, tuple[int, ...]]]]:
    """Everything the organiser can see of accent 1.1: both pages, with and without the toggle."""
    pages = [
        text(client.get(url("consensus", round_))),
        text(client.get(url("consensus", round_, "?rolgroepen=1"))),
        text(client.get(url("present", round_, "?accent=1.1"))),
        text(client.get(url("present", round_, "?accent=1.1&rolgroepen=1"))),
    ]
    return [(overall(p), group_rows(p)) for p in pages]


def assert_nothing_below_three(views):
    """No group of fewer than 3 is derivable: within a view (every group shown is >= 3 and the groups add up to the
    total, so "total minus the shown groups" is empty) and between any two views (a group's rows grew by none or by
    at least 3 submissions; the total by none or by at least 3)."""
    for total, groups in views:
        if groups:
            assert all(row[-1] >= MIN_ANONYMOUS_GROUP for row in groups.values()), groups
            assert tuple(sum(row[i] for row in groups.values()) for i in range(4)) == total
    for (t1, g1), (t2, g2) in itertools.combinations(views, 2):
        grown = sum(t2) - sum(t1)
        assert grown == 0 or abs(grown) >= MIN_ANONYMOUS_GROUP
        if g1 and g2:
            for label in set(g1) | set(g2):
                d = g2.get(label, (0,) * 6)[-1] - g1.get(label, (0,) * 6)[-1]
                assert d == 0 or abs(d) >= MIN_ANONYMOUS_GROUP, (label, g1, g2)


def test_attack_compare_toggles_and_views_across_a_reopen(db, login):
    """The organiser saves every view (with and without the toggle, consensus page and projector), reopens filling
    in, lets one late schoolleider, werkgroeplid and teamlid submit (a batch of three: it joins the total), starts
    the consensus again and compares. The per-group rows would now show each group grown by one, i.e. that person's
    answer: so the breakdown is withheld from then on, and says why."""
    w = World({"SL": 3, "WG": 3, "TEAM": 3}, extra={"SL": 1, "WG": 1, "TEAM": 4})
    w.submit_all()
    organiser = login(w.organiser)
    step(organiser, w.round, "consensus")
    first = snapshot(organiser, w.round)
    assert first[1][1]["Schoolleiding"] == (3, 0, 0, 0, 0, 3)

    step(organiser, w.round, "heropen-invullen")
    for g in ("SL", "WG", "TEAM"):
        w.submit(g, w.late[g][0])
    step(organiser, w.round, "consensus")
    second = snapshot(organiser, w.round)
    assert second[0][0] == (4, 4, 4, 0)  # the batch of three joined the total
    assert all(groups == {} for _total, groups in second)  # and no group row anywhere
    page = text(organiser.get(url("consensus", w.round, "?rolgroepen=1")))
    assert WITHHELD in page and "minder dan 3 tegelijk" in page
    assert_nothing_below_three(first + second)

    # Withheld for good: a later batch that is fine on its own does not bring it back (its rows would be compared
    # with the first view's).
    step(organiser, w.round, "heropen-invullen")
    for u in w.late["TEAM"][1:]:
        w.submit("TEAM", u)
    step(organiser, w.round, "consensus")
    third = snapshot(organiser, w.round)
    assert third[0][0] == (4, 4, 7, 0) and all(groups == {} for _total, groups in third)
    assert_nothing_below_three(first + second + third)


def test_attack_a_batch_that_keeps_every_group_at_three_or_more_may_show(db, login):
    """The honest case: three late teamleden join together; only the team row grows, by three."""
    w = World({"SL": 3, "WG": 3, "TEAM": 3}, extra={"TEAM": 3})
    w.submit_all()
    organiser = login(w.organiser)
    step(organiser, w.round, "consensus")
    first = snapshot(organiser, w.round)
    step(organiser, w.round, "heropen-invullen")
    for u in w.late["TEAM"]:
        w.submit("TEAM", u)
    step(organiser, w.round, "consensus")
    second = snapshot(organiser, w.round)
    assert second[1][1]["Team"] == (0, 0, 6, 0, 0, 6)
    assert second[1][1]["Schoolleiding"] == first[1][1]["Schoolleiding"]
    assert_nothing_below_three(first + second)


@pytest.mark.parametrize("query", ["?rolgroepen=2", "?rolgroepen=<b>", "?rolgroepen=" + "1" * 500])
def test_odd_toggle_values_mean_off(db, login, query):
    w = World({"SL": 3, "WG": 3, "TEAM": 3})
    w.submit_all()
    organiser = login(w.organiser)
    step(organiser, w.round, "consensus")
    page = text(organiser.get(url("consensus", w.round, query)))
    assert group_rows(page) == {} and TOGGLE_ON in page
