"""Demo data for `make run`: a closed round with a full consensus and an open round, half filled in (called from
the `demo` command in pages/). Both draw from the same ``rng``, the closed round first."""

from datetime import date, timedelta

from django.utils import timezone

from . import services
from .models import Round

STRENGTHS = [
    "Team is gemotiveerd",
    "Veel kennis over stress",
    "Rustige start van de dag",
    "Goede band met ouders",
    "Collega's helpen elkaar",
    "Duidelijke afspraken",
    "Time-in werkt",
    "Open gesprekken in de teamvergadering",
]
GOALS = [
    "Gedeelde taal vastleggen",
    "Intervisie inplannen",
    "Ouders meer betrekken",
    "Rustruimte inrichten",
    "Nieuwe collega's trainen",
    "TSO in het schoolplan",
    "Psycho-educatie in de klas",
    "Zorg voor elkaar na incidenten",
]


def create_closed_round(*, regenboog, users, lead, rng):
    """A closed round with 8 participants and a full consensus, half a year ago. Returns the round and the phase
    per accent the team's answers are drawn around (the open round uses it too)."""
    core = [
        users[k]
        for k in (
            "schoolleider",
            "kartrekker",
            "kartrekker2",
            "werkgroep1",
            "werkgroep2",
            "werkgroep3",
            "trainer",
            "intern-trainer",
        )
    ]
    closed = services.do_create_round(
        school=regenboog,
        title="Na module 4 – schooljaar 2025-2026",
        deadline=date(2026, 5, 15),
        meeting_date=date(2026, 5, 28),
        anonymous=True,
        participant_user_ids=[u.pk for u in core],
        facilitator=users["trainer"],
        acting_user=lead,
    )
    model = closed.model
    base = {a.code: rng.choice([1, 2, 2, 3]) for a in model.accents}
    for participant in closed.participants.select_related("user"):
        _fill(participant, model, base, rng, complete=True)
        services.do_submit(participant=participant, acting_user=participant.user)
    services.do_start_consensus(round_=closed, acting_user=lead)
    priorities = {"1.3": 1, "2.4": 2, "3A.3": 3, "3B.1": 4, "1.2": 5}
    goals_per_layer = {
        "1.3": "Een TSO-woordenlijst voor het hele team",
        "2.4": "Leidinggevenden voeren maandelijks een welzijnsgesprek",
        "3A.3": "Ouderavond over stress en het brein",
        "3B.1": "Een rustplek in elke bouw",
        "1.2": "Nieuwe collega's volgen de basistraining",
    }
    for accent in model.accents:
        services.do_save_consensus_item(
            round_=closed,
            accent_code=accent.code,
            phase=base[accent.code],
            strengths=rng.choice(STRENGTHS),
            next_steps=goals_per_layer.get(accent.code, ""),
            priority=priorities.get(accent.code),
            acting_user=users["kartrekker"],
        )
    services.do_close_round(round_=closed, acting_user=users["kartrekker"])
    Round.objects.filter(pk=closed.pk).update(
        created_at=timezone.now() - timedelta(days=180), closed_at=timezone.now() - timedelta(days=170)
    )
    return closed, base


def create_open_round(*, regenboog, users, lead, model, base, rng):
    """An open round, half filled in; the demo teamlid is left empty, to try filling in."""
    everyone = list(users.values())
    open_round = services.do_create_round(
        school=regenboog,
        title="Na module 2 – schooljaar 2026-2027",
        deadline=timezone.localdate() + timedelta(days=10),
        meeting_date=timezone.localdate() + timedelta(days=17),
        anonymous=True,
        participant_user_ids=[u.pk for u in everyone],
        facilitator=None,
        acting_user=lead,
    )
    parts = list(open_round.participants.select_related("user").order_by("user__email"))
    for i, participant in enumerate(parts):
        if participant.user == users["teamlid"]:
            continue  # leave the demo teamlid empty, to try filling in
        if i % 2 == 0:
            _fill(participant, model, base, rng, complete=True)
            services.do_submit(participant=participant, acting_user=participant.user)
        elif i % 3 == 0:
            _fill(participant, model, base, rng, complete=False)


def _fill(participant, model, base, rng, *, complete):
    accents = model.accents if complete else model.accents[:5]
    answers = {}
    for a in accents:
        phase = max(1, min(4, base[a.code] + rng.choice([-1, 0, 0, 1])))
        if rng.random() < 0.05:
            phase = 0
        answers[a.code] = {
            "phase": phase,
            "strengths": rng.choice(STRENGTHS) if rng.random() < 0.7 else "",
            "goal": rng.choice(GOALS) if rng.random() < 0.6 else "",
        }
    services.do_save_answers(participant=participant, answers=answers, acting_user=participant.user)
    if complete:
        codes = rng.sample(model.accent_codes, 5)
        services.do_save_priorities(participant=participant, accent_codes=codes, acting_user=participant.user)
