"""Fixtures for the Opbrengsten tests: surveys of De Regenboog (open, closed with enough respondents) and of the
outsider's school, and helpers that fill in through the service (the only way answers reach the server)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from organisations.models import Role
from outcomes import services
from outcomes.models import OwnItem, Respondent, Survey, Tally
from tests.factories import make_member, make_user


def answers_for(survey, value="4", knowledge="ken_ik") -> dict:
    return {key: (value if kind == "scale" else knowledge) for key, kind in survey.item_keys().items()}


def add_team(school, n: int, role=Role.TEAMLID, prefix="extra"):
    """n more members of the school (teamleden unless said otherwise)."""
    return [
        make_member(school, make_user(f"{prefix} {i}", f"{prefix}{i}-{school.pk}@regenboog.test"), role).user
        for i in range(n)
    ]


def fill_groups(school, n: int = 5) -> None:
    """Add members until every role group of the school has at least n (so a survey opened now counts per group)."""
    from organisations.models import Membership
    from organisations.rolegroups import role_group

    sizes: dict[str, int] = {}
    for membership in Membership.objects.filter(school=school):
        sizes[role_group(membership)] = sizes.get(role_group(membership), 0) + 1
    roles = {
        "schoolleiding": Role.SCHOOLLEIDING,
        "kartrekkers_werkgroep": Role.WERKGROEPLID,
        "trainers": Role.TRAINER_INTERN,
        "team": Role.TEAMLID,
    }
    for group, role in roles.items():
        add_team(school, max(0, n - sizes.get(group, 0)), role=role, prefix=f"groep-{group}")


def submit_all(survey, users, value="4", knowledge="ken_ik"):
    for user in users:
        services.do_submit_survey(
            survey=survey, user=user, answers=answers_for(survey, value, knowledge), acting_user=user
        )


@dataclass
class Outcomes:
    open: object  # De Regenboog's open survey (nobody took part yet)
    closed: object  # a closed nulmeting with 5 respondents (the teamleden added)
    item: object  # an own question on the list
    other_survey: object  # the outsider's school
    other_item: object


@pytest.fixture(name="outcomes")
def outcomes_fixture(cast) -> Outcomes:
    k = cast.kartrekker
    item = services.do_add_own_item(
        school=cast.school, text="Ik voel me veilig op school.", group="welzijn", acting_user=k
    )
    closed = services.do_open_survey(school=cast.school, kind="nulmeting", school_year="2025-2026", acting_user=k)
    submit_all(closed, add_team(cast.school, 5), value="3")
    closed = services.do_close_survey(survey=closed, acting_user=k)
    open_ = services.do_open_survey(school=cast.school, kind="jaarlijks", school_year="2026-2027", acting_user=k)
    o = cast.outsider
    other_item = services.do_add_own_item(
        school=cast.other_school, text="Vreemde vraag.", group="welzijn", acting_user=o
    )
    other = services.do_open_survey(school=cast.other_school, kind="nulmeting", school_year="2026-2027", acting_user=o)
    return Outcomes(open=open_, closed=closed, item=item, other_survey=other, other_item=other_item)


def outcomes_rows(c=None) -> dict:
    """Everything an Opbrengsten request could change, in both schools."""
    return {
        "surveys": sorted(Survey.objects.values_list("pk", "school_id", "title", "status", "min_respondents")),
        "items": sorted(OwnItem.objects.values_list("pk", "school_id", "text", "group", "retired_at")),
        "respondents": sorted(Respondent.objects.values_list("survey_id", "key")),
        "tallies": sorted((t.survey_id, t.group, t.n_respondents, str(t.counts)) for t in Tally.objects.all()),
    }
