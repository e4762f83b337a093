"""Demo data for `make run`: five schools of another board, of the same onderwijstype as De Regenboog, that share
their agreed phases for the comparison (each one closed round), and De Regenboog switched on, so the growth page
shows the benchmark (called from the `demo` command in pages/). Nobody of these schools logs in."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from accounts.models import User
from assessments import services as round_services
from organisations.models import Board, Membership, School

from . import services

BOARD_NAME = "Stichting Vergelijkscholen (demo)"
PEERS = ["OBS De Linde", "CBS Het Anker", "OBS De Wilgen", "IKC De Vlinder", "OBS Het Kompas"]


def create_demo(*, school: School, lead, rng) -> None:
    """Five peer schools with one closed round each (phases drawn with ``rng``), all opted in; ``school`` too."""
    board = Board.objects.create(name=BOARD_NAME)
    model = None
    for i, name in enumerate(PEERS):
        peer = School.objects.create(board=board, name=name, education_type=school.education_type)
        kartrekker = User.objects.create(
            email=f"kartrekker{i}@vergelijk.demo.groeiwijzer.nl",
            name=f"Kartrekker {name}",
            password=make_password(None),
        )
        Membership.objects.create(school=peer, user=kartrekker, is_kartrekker=True)
        round_ = round_services.do_create_round(
            school=peer,
            title="Ronde schooljaar 2025-2026",
            deadline=None,
            meeting_date=None,
            anonymous=False,
            participant_user_ids=[kartrekker.pk],
            facilitator=None,
            acting_user=kartrekker,
        )
        round_ = round_services.do_start_consensus(round_=round_, acting_user=kartrekker)
        model = model or round_.model
        for accent in model.accents:
            phase = rng.choice([1, 2, 2, 3, 3, 4])
            round_services.do_save_consensus_item(
                round_=round_,
                accent_code=accent.code,
                phase=phase,
                phase_to=phase + 1 if phase < 4 and rng.random() < 0.15 else None,
                strengths="",
                next_steps="",
                priority=None,
                acting_user=kartrekker,
            )
        round_services.do_close_round(round_=round_, acting_user=kartrekker)
        services.do_set_benchmark(school=peer, on=True, acting_user=kartrekker)
    services.do_set_benchmark(school=school, on=True, acting_user=lead)
