"""The four role groups a person is counted in, for figures per group (issue 13): the consensus view's distribution
per group (assessments) and the questionnaire's tallies (outcomes). One mapping, here, for both.

A person belongs to the FIRST group that matches their membership of the school, in this order: schoolleiding >
kartrekker or werkgroeplid > trainer (intern or extern) > team (everyone else, also someone without a membership).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Membership, Role


class RoleGroup(models.TextChoices):
    """The four groups, in the order pages show them."""

    SCHOOLLEIDING = "schoolleiding", _("Schoolleiding")
    WERKGROEP = "kartrekkers_werkgroep", _("Kartrekkers en werkgroep")
    TRAINERS = "trainers", _("Trainers")
    TEAM = "team", _("Team")


def role_group(membership: Membership | None) -> str:
    """schoolleiding > kartrekker/werkgroep > trainer (intern/extern) > team: the first that matches."""
    if membership is None:
        return RoleGroup.TEAM
    if membership.has_role(Role.SCHOOLLEIDING):
        return RoleGroup.SCHOOLLEIDING
    if membership.has_role(Role.KARTREKKER, Role.WERKGROEPLID):
        return RoleGroup.WERKGROEP
    if membership.has_role(Role.TRAINER_INTERN, Role.TRAINER_EXTERN):
        return RoleGroup.TRAINERS
    return RoleGroup.TEAM


def role_groups_of(school, user_ids) -> dict[int, str]:
    """user id → role group in this school, for these users (one query). Users without a membership are absent:
    the caller counts them as team (``role_group(None)``)."""
    return {m.user_id: role_group(m) for m in Membership.objects.filter(school=school, user_id__in=list(user_ids))}
