"""Demo data for `make run`: the action plan the werkgroep made after the closed round (called from the `demo`
command in pages/)."""

from datetime import time, timedelta

from django.utils import timezone

from . import services as plan


def weekday(day):
    """The day itself, or the Monday after it when it falls in a weekend: the werkgroep meets on school days."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def create_demo(*, school, closed, users):
    """The action plan the werkgroep made after the consensus meeting, some months into the year."""
    k, today = users["kartrekker"], timezone.localdate()
    choices = [
        {"accent_code": code, "title": title, "term": "kort" if rank <= 3 else "lang"}
        for rank, (code, title) in enumerate(
            [
                ("1.3", "Een TSO-woordenlijst voor het hele team"),
                ("2.4", "Leidinggevenden voeren maandelijks een welzijnsgesprek"),
                ("3A.3", "Ouderavond over stress en het brein"),
                ("3B.1", "Een rustplek in elke bouw"),
                ("1.2", "Nieuwe collega's volgen de basistraining"),
            ],
            start=1,
        )
    ]
    goals = {g.accent_code: g for g in plan.do_create_goals_from_round(round_=closed, choices=choices, acting_user=k)}
    first = {g.accent_code: g.actions.get() for g in goals.values()}
    details = {
        "1.3": (
            "Woordenlijst opstellen en in de teamkamer hangen",
            "werkgroep1",
            20,
            "bezig",
            ["Begrippen verzamelen in teamvergadering", "Concept laten lezen", "Drukken en ophangen"],
        ),
        "2.4": (
            "Welzijnsgesprekken inplannen",
            "schoolleider",
            -10,
            "bezig",
            ["Gespreksleidraad kiezen", "Rooster maken"],
        ),
        "3A.3": (
            "Ouderavond organiseren",
            "kartrekker2",
            45,
            "gepland",
            ["Datum kiezen met MR", "Spreker vragen", "Uitnodiging versturen"],
        ),
    }
    for code, (title, owner, days, status, steps) in details.items():
        action = first[code]
        plan.do_update_action(
            action=action,
            expected_version=action.version,
            acting_user=k,
            steps=steps,
            title=title,
            goal=goals[code],
            layer_code=goals[code].layer_code,
            owner=users[owner],
            due_date=today + timedelta(days=days),
            monitoring="Bespreken in de werkgroep",
            status=status,
        )
    rust = plan.do_create_action(
        school=school,
        title="Inrichten van rustruimtes in de school",
        goal=goals["3B.1"],
        owner=users["werkgroep2"],
        due_date=today - timedelta(days=20),
        steps=["Plekken kiezen", "Kussens en koptelefoons kopen"],
        suggestion_code="3B.inrichting.c",
        status="afgerond",
        acting_user=k,
    )
    plan.do_create_action(
        school=school,
        title="Opzetten van intervisie",
        layer_code="1",
        owner=users["intern-trainer"],
        due_date=today + timedelta(days=60),
        suggestion_code="1.a",
        acting_user=k,
    )
    done = plan.do_create_action(
        school=school,
        title="Time-in plek in elke klas",
        layer_code="3B",
        owner=users["werkgroep3"],
        due_date=today - timedelta(days=40),
        status="gevierd",
        acting_user=k,
    )
    plan.do_create_action(
        school=school,
        title="Teammoment: herhaling module 2",
        layer_code="1",
        owner=users["teamlid"],
        due_date=today + timedelta(days=14),
        steps=["Casus voorbereiden", "Sheets klaarzetten"],
        acting_user=k,
    )
    people = {"chair": k, "timekeeper": users["werkgroep1"], "note_taker": users["werkgroep2"]}
    times = {"start_time": time(15, 15), "end_time": time(16, 45), "location": "Teamkamer"}
    past = plan.do_create_meeting(
        school=school, date=weekday(today - timedelta(days=21)), acting_user=k, **times, **people
    )
    plan.do_save_minutes(
        meeting=past,
        minutes="Rustplekken staan. Welzijnsgesprekken lopen achter: nieuwe planning in de volgende bijeenkomst.",
        expected_version=past.version,
        acting_user=users["werkgroep2"],
    )
    plan.do_add_update(action=rust, text="Alle bouwen hebben een rustplek.", meeting=past, acting_user=k)
    plan.do_add_update(action=done, text="Gevierd met taart in de teamkamer!", acting_user=users["werkgroep3"])
    plan.do_create_meeting(school=school, date=weekday(today + timedelta(days=14)), acting_user=k, **times, **people)
