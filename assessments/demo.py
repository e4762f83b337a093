"""Demo data for `make run`: three closed rounds a year apart with a full consensus and an open round, half filled
in (called from the `demo` command in pages/). All draw from the same ``rng``, the closed rounds first."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from ontwikkelmodel.models import ModelVersion

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


# Three closed rounds a school year apart, so the growth page has a story: where the team began, and two years on.
# One story in time (issue 14): the school began measuring before its team training (which starts in the current
# school year, training/demo.py), so these rounds name no module: a baseline and then the yearly round. Each closes
# on its own consensus meeting day (a weekday).
EARLIER_ROUNDS = [
    # title, deadline, meeting date, phases below the newest round's (chosen per accent)
    ("Startmeting – schooljaar 2023-2024", date(2023, 11, 3), date(2023, 11, 16), (1, 1, 2)),
    ("Jaarlijkse meting – schooljaar 2024-2025", date(2025, 5, 16), date(2025, 5, 27), (0, 1, 1)),
]
NEWEST_ROUND = ("Jaarlijkse meting – schooljaar 2025-2026", date(2026, 5, 15), date(2026, 5, 28))


def create_closed_round(*, regenboog, users, lead, rng):
    """Three closed rounds with 8 participants and a full consensus each, the newest half a year ago; the phases
    grow over the years (one accent slips back once: growth is not a straight line). Returns the newest round and
    the phase per accent its answers are drawn around (the open round uses it too)."""
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
    model = ModelVersion.current().model
    base = {a.code: rng.choice([1, 2, 2, 3]) for a in model.accents}
    for i, (title, deadline, meeting_date, below) in enumerate(EARLIER_ROUNDS):
        earlier = {code: max(1, phase - rng.choice(below)) for code, phase in base.items()}
        if i == len(EARLIER_ROUNDS) - 1:
            earlier["2.2"] = min(4, base["2.2"] + 1)  # higher last year than now: conversation material
        _closed_round(regenboog, core, users, lead, rng, title, deadline, meeting_date, earlier, {})
    priorities = {"1.3": 1, "2.4": 2, "3A.3": 3, "3B.1": 4, "1.2": 5}
    goals_per_layer = {
        "1.3": "Een TSO-woordenlijst voor het hele team",
        "2.4": "Leidinggevenden voeren maandelijks een welzijnsgesprek",
        "3A.3": "Ouderavond over stress en het brein",
        "3B.1": "Een rustplek in elke bouw",
        "1.2": "Nieuwe collega's volgen de basistraining",
    }
    closed = _closed_round(
        regenboog,
        core,
        users,
        lead,
        rng,
        *NEWEST_ROUND,
        base,
        {code: (rank, goals_per_layer[code]) for code, rank in priorities.items()},
    )
    return closed, base


def _closed_round(regenboog, core, users, lead, rng, title, deadline, meeting_date, base, priorities):
    closed = services.do_create_round(
        school=regenboog,
        title=title,
        deadline=deadline,
        meeting_date=meeting_date,
        anonymous=True,
        participant_user_ids=[u.pk for u in core],
        facilitator=users["trainer"],
        acting_user=lead,
    )
    model = closed.model
    for participant in closed.participants.select_related("user"):
        _fill(participant, model, base, rng, complete=True)
        services.do_submit(participant=participant, acting_user=participant.user)
    services.do_start_consensus(round_=closed, acting_user=lead)
    for accent in model.accents:
        rank, next_steps = priorities.get(accent.code, (None, ""))
        services.do_save_consensus_item(
            round_=closed,
            accent_code=accent.code,
            phase=base[accent.code],
            strengths=rng.choice(STRENGTHS),
            next_steps=next_steps,
            priority=rank,
            acting_user=users["kartrekker"],
        )
    services.do_close_round(round_=closed, acting_user=users["kartrekker"])
    # Opened three weeks before the deadline, closed at the end of the consensus meeting.
    opened = datetime.combine(deadline - timedelta(days=21), time(9, 0))
    closed_at = datetime.combine(meeting_date, time(17, 0))
    Round.objects.filter(pk=closed.pk).update(
        created_at=timezone.make_aware(opened), closed_at=timezone.make_aware(closed_at)
    )
    return closed


def weekday(day: date) -> date:
    """The day itself, or the Monday after it when it falls in a weekend (nobody meets on a Sunday)."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def create_open_round(*, regenboog, users, lead, model, base, rng, title="Ronde schooljaar 2026-2027"):
    """An open round, half filled in; the demo teamlid is left empty, to try filling in. ``title``: the demo
    command names it after the last module the training plan has held (one story in time)."""
    everyone = list(users.values())
    open_round = services.do_create_round(
        school=regenboog,
        title=title,
        deadline=weekday(timezone.localdate() + timedelta(days=10)),
        meeting_date=weekday(timezone.localdate() + timedelta(days=17)),
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
