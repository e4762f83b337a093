"""Builders for the research tests: other schools with closed rounds, consent, and a verified platform admin."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from assessments.models import ConsensusItem, Round, RoundStatus
from ontwikkelmodel.models import ModelVersion
from organisations.models import EducationType, School
from research.content import consent_text
from research.services import do_give_consent
from tests.factories import make_board, make_member, make_school, make_user

_n = itertools.count(1)


def closed_round(school, phases: dict, *, day=datetime.date(2026, 3, 1), title=None) -> Round:
    """A closed round of ``school`` that agreed ``phases`` ({accent: 2 or (2, 3)}), straight in the database."""
    round_ = Round.objects.create(
        school=school,
        model_version=ModelVersion.current(),
        title=title or f"Geheime rondetitel {next(_n)}",
        meeting_date=day,
        status=RoundStatus.CLOSED,
        closed_at=timezone.now(),
    )
    ConsensusItem.objects.bulk_create(
        ConsensusItem(
            round=round_,
            accent_code=code,
            phase=value[0] if isinstance(value, tuple) else value,
            phase_to=value[1] if isinstance(value, tuple) else None,
            differences="Vrije tekst verschillen",
            strengths="Vrije tekst sterke punten",
            next_steps="Vrije tekst volgende stap",
        )
        for code, value in phases.items()
    )
    return round_


def peer_school(
    phases: dict | None = None, *, opt_in=True, education_type=EducationType.REGULIER_BO, name=None, members=0
) -> School:
    """Another school (its own board) with one closed round; ``opt_in``: it switched the benchmark on."""
    n = next(_n)
    school = make_school(make_board(f"Bestuur Peer {n}"), name or f"Peerschool {n}", education_type=education_type)
    if opt_in:
        school.benchmark_opt_in = True
        school.save(update_fields=["benchmark_opt_in"])
    for i in range(members):
        make_member(school, make_user(f"Lid {n}-{i}", f"lid{n}-{i}@peer{n}.test"), "teamlid")
    if phases is not None:
        closed_round(school, phases)
    return school


def consenting(school, by=None):
    by = by or make_user(f"Schoolleider {next(_n)}")
    return do_give_consent(school=school, text_version=consent_text().version, acting_user=by)
