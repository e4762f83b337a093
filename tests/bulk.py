"""Big, realistic rounds built fast with bulk_create (for the query-count tests and scripts/bench_round.py).

The service functions are the right way to fill in a round, but 60 people × 15 accents through them
takes long; these rows look the same as what the services write: every participant answered all 15
accents (some "weet ik niet"), wrote strengths and goals for most, ranked five priorities and submitted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import User
from assessments.models import DONT_KNOW, Answer, ConsensusItem, Participant, Priority, Round, RoundStatus
from audit.models import AuditEvent
from ontwikkelmodel.models import ModelVersion
from organisations.models import Board, EducationType, Membership, School

PASSWORD = "test-wachtwoord-123"  # the same as tests.factories.PASSWORD

STRENGTHS = [
    "Vaste dagstructuur met pictogrammen in elke groep.",
    "Collega's vangen elkaar op na een lastig moment.",
    "Rustige hoek in de klas wordt goed gebruikt.",
    "",
    "De intern begeleider denkt snel mee bij zorgen.",
]
GOALS = [
    "Samen afspraken maken over de overdracht tussen groepen.",
    "",
    "Iedere collega kent de signalen van stress bij leerlingen.",
    "Ouders vaker betrekken bij het veiligheidsplan.",
]


@dataclass
class BigSchool:
    school: School
    organiser: User  # kartrekker, also a participant of every round
    users: list[User]
    open_round: Round
    consensus_round: Round
    closed_round: Round


def build_school(n_participants: int, *, name: str = "Basisschool De Brug", anonymous: bool = True) -> BigSchool:
    """A school with n members (one kartrekker, the rest mixed roles) and three rounds with all of them in it.

    The open round has everyone submitted except the organiser (so the fill-in pages are editable for them);
    the consensus and closed rounds have everyone submitted and agreements for half the accents.
    """
    board = Board.objects.create(name=f"Bestuur van {name}")
    school = School.objects.create(board=board, name=name, education_type=EducationType.REGULIER_BO)
    password = make_password(PASSWORD)  # hash once; every row gets a real (salted-once) hash
    tag = f"s{school.pk}"
    users = User.objects.bulk_create(
        [
            User(email=f"deelnemer{i:03d}.{tag}@school.test", name=f"Deelnemer {i:03d}", password=password)
            for i in range(n_participants)
        ]
    )
    organiser = users[0]
    memberships = []
    for i, user in enumerate(users):
        m = Membership(school=school, user=user)
        if i == 0:
            m.is_kartrekker = True
        elif i == 1:
            m.is_schoolleiding = True
        elif i % 7 == 2:
            m.is_trainer_intern = True
        elif i % 3 == 0:
            m.is_werkgroeplid = True
        m.is_teamlid = i != 1
        memberships.append(m)
    Membership.objects.bulk_create(memberships)

    version = ModelVersion.current()
    rounds = {}
    for status in (RoundStatus.CLOSED, RoundStatus.CONSENSUS, RoundStatus.OPEN):
        rounds[status] = build_round(
            school, users, version=version, status=status, organiser=organiser, anonymous=anonymous
        )
    Participant.objects.filter(round=rounds[RoundStatus.OPEN], user=organiser).update(submitted_at=None)
    return BigSchool(
        school=school,
        organiser=organiser,
        users=users,
        open_round=rounds[RoundStatus.OPEN],
        consensus_round=rounds[RoundStatus.CONSENSUS],
        closed_round=rounds[RoundStatus.CLOSED],
    )


def build_round(school, users, *, version, status, organiser, anonymous=True) -> Round:
    now = timezone.now()
    model = version.model
    codes = model.accent_codes
    round_ = Round.objects.create(
        school=school,
        model_version=version,
        title=f"Ronde ({status})",
        deadline=(now + timedelta(days=14)).date(),
        meeting_date=(now + timedelta(days=21)).date(),
        anonymous=anonymous,
        status=status,
        created_by=organiser,
        closed_at=now if status == RoundStatus.CLOSED else None,
        first_submitted_at=now - timedelta(hours=len(users)),
        anonymity_locked_at=now - timedelta(hours=len(users)) if anonymous else None,
    )
    shown_at = now if status != RoundStatus.OPEN else None  # the consensus started: these submissions were shown
    participants = Participant.objects.bulk_create(
        [
            Participant(
                round=round_, user=user, submitted_at=now - timedelta(hours=i), updated_at=now, shown_at=shown_at
            )
            for i, user in enumerate(users)
        ]
    )
    answers, priorities = [], []
    for i, p in enumerate(participants):
        for j, code in enumerate(codes):
            phase = (i + j) % 5  # 0 = "weet ik niet", 1-4 phases: wide spread, so "gespreksstof" shows
            answers.append(
                Answer(
                    participant=p,
                    accent_code=code,
                    phase=DONT_KNOW if phase == 0 else phase,
                    strengths=STRENGTHS[(i + j) % len(STRENGTHS)],
                    goal=GOALS[(i * 3 + j) % len(GOALS)],
                    updated_at=now,
                )
            )
        for rank in range(1, 6):
            priorities.append(Priority(participant=p, rank=rank, accent_code=codes[(i + rank * 2) % len(codes)]))
    Answer.objects.bulk_create(answers)
    Priority.objects.bulk_create(priorities)
    if status != RoundStatus.OPEN:
        ConsensusItem.objects.bulk_create(
            [
                ConsensusItem(
                    round=round_,
                    accent_code=code,
                    phase=j % 4 + 1,
                    strengths="Afgesproken: " + STRENGTHS[j % 3],
                    next_steps=GOALS[0] if j % 4 == 0 else "",
                    priority=j // 2 + 1 if j % 2 == 0 and j < 10 else None,
                    updated_at=now,
                    updated_by=organiser,
                )
                for j, code in enumerate(codes)
                if j % 2 == 0
            ]
        )
    AuditEvent.objects.create(
        school=school,
        actor=organiser,
        action="round.created",
        object_type="assessments.round",
        object_id=str(round_.pk),
        data={"participants": len(users)},
    )
    return round_
