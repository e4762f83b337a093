"""Small, readable test data builders."""

from __future__ import annotations

import itertools

from accounts.models import User
from assessments import services
from assessments.models import Round, RoundStatus
from organisations.models import Board, EducationType, Membership, School

PASSWORD = "test-wachtwoord-123"
_seq = itertools.count(1)


def make_user(name: str | None = None, email: str | None = None, **extra) -> User:
    n = next(_seq)
    return User.objects.create_user(
        email or f"user{n}@school.test", name=name or f"Gebruiker {n}", password=PASSWORD, **extra
    )


def make_board(name="Bestuur") -> Board:
    return Board.objects.create(name=name)


def make_school(board: Board, name="School", education_type=EducationType.REGULIER_BO) -> School:
    return School.objects.create(board=board, name=name, education_type=education_type)


def make_member(school: School, user: User, *roles: str) -> Membership:
    m = Membership(school=school, user=user)
    m.set_roles(roles)
    m.save()
    return m


def make_round(school: School, users, *, by: User, title="Ronde", anonymous=True, facilitator=None) -> Round:
    return services.do_create_round(
        school=school,
        title=title,
        deadline=None,
        meeting_date=None,
        anonymous=anonymous,
        participant_user_ids=[u.pk for u in users],
        facilitator=facilitator,
        acting_user=by,
    )


def fill_completely(participant, phase_for=lambda code: 2, *, strengths="Sterk", goal="Doel", submit=True):
    """Answer every accent and rank five priorities, then (optionally) submit."""
    model = participant.round.model
    services.do_save_answers(
        participant=participant,
        answers={a.code: {"phase": phase_for(a.code), "strengths": strengths, "goal": goal} for a in model.accents},
        acting_user=participant.user,
    )
    services.do_save_priorities(
        participant=participant, accent_codes=model.accent_codes[:5], acting_user=participant.user
    )
    if submit:
        services.do_submit(participant=participant, acting_user=participant.user)


def move_to(round_: Round, status: str, by: User) -> Round:
    if status in (RoundStatus.CONSENSUS, RoundStatus.CLOSED) and round_.status == RoundStatus.OPEN:
        round_ = services.do_start_consensus(round_=round_, acting_user=by)
    if status == RoundStatus.CLOSED and round_.status == RoundStatus.CONSENSUS:
        round_ = services.do_close_round(round_=round_, acting_user=by)
    return round_


def agree_priorities(round_: Round, ranks: dict[str, int], *, phase=2, next_steps="Samen verder") -> None:
    """Consensus items with a priority for a (closed) round, as if agreed in the meeting."""
    from assessments.models import ConsensusItem

    for code, rank in ranks.items():
        ConsensusItem.objects.update_or_create(
            round=round_,
            accent_code=code,
            defaults={"phase": phase, "priority": rank, "next_steps": f"{next_steps} {code}", "strengths": "Sterk"},
        )


def make_goal(school: School, by: User, title="Rust in de school", layer_code="3B", **extra):
    from actionplans import services as plan_services

    return plan_services.do_create_goal(
        school=school, title=title, term=extra.pop("term", "kort"), layer_code=layer_code, acting_user=by, **extra
    )


def make_action(school: School, by: User, title="Rustruimte inrichten", *, goal=None, layer_code="3B", **extra):
    from actionplans import services as plan_services

    return plan_services.do_create_action(
        school=school, title=title, goal=goal, layer_code=layer_code, acting_user=by, **extra
    )


def make_meeting(school: School, by: User, date, **extra):
    from actionplans import services as plan_services

    return plan_services.do_create_meeting(school=school, date=date, acting_user=by, **extra)
