"""Demo data for `make run`: voorgesprekken at both demo schools (called from the `demo` command in pages/)."""

from datetime import timedelta

from django.utils import timezone

from core.dates import add_months

from . import services


def create_demo(*, regenboog, horizon, users, horizon_lead, training_start):
    """De Regenboog: a verkennend voorgesprek over two meetings ending in Go, and the praktisch voorgesprek.
    De Horizon: a verkennend voorgesprek ending in Twijfel, with a follow-up date, small steps and the follow-up
    conversation planned; it has no kartrekkers yet, so its pages show the warning. Dates follow De Regenboog's
    planned training start, as the handbook plans them (verkennend 6-9 months before, praktisch 2 months before)."""
    verkennend = add_months(training_start, -8)
    today = timezone.localdate()
    lead, trainer = users["schoolleider"], users["trainer"]
    first = services.do_create_conversation(
        school=regenboog,
        kind="verkennend",
        dates=[verkennend, verkennend + timedelta(days=14)],
        participants=[lead, users["kartrekker"], users["kartrekker2"], trainer],
        acting_user=trainer,
    )
    notes = {
        "1.introductie.a": "Sanne (directie), Karim en Ilse (mogelijke kartrekkers), Tom (externe trainer).",
        "1.introductie.b": "Meer onrust in de bovenbouw; het team wil beter begrijpen wat stress met leerlingen doet.",
        "1.teaminformatie.a": "34 medewerkers: twee trainingsgroepen.",
        "1.schoolinformatie.e": "Nieuwe rekenmethode loopt nog tot de zomer; verder geen grote trajecten.",
        "2.kartrekkers.b": "Karim en Ilse krijgen elk 4 uur per week.",
        "2.training.c": "Modules op de studiedagen in oktober, januari en maart.",
        "2.feedback.a": "Prettig: de open sfeer. Gemist: tijd voor de vragen over ouders.",
    }
    for code, text in notes.items():
        services.do_save_note(
            conversation=first, question_code=code, text=text, expected_version=0, acting_user=trainer
        )
    agreements = [
        {
            "what": "Introductiepresentatie voor het team",
            "owner": users["kartrekker"],
            "due_date": add_months(training_start, -3),
            "support": "Tom levert de presentatie aan",
            "feedback": "Terugkoppeling in het MT-overleg",
        },
        {
            "what": "Training TSO op open inschrijving volgen",
            "owner": users["kartrekker2"],
            "due_date": add_months(training_start, -6),
            "support": "Scholingsbudget",
            "feedback": "Ervaringen delen in de werkgroep",
        },
        {
            "what": "Boeken bestellen voor het hele team",
            "owner_text": "de administratie",
            "due_date": add_months(verkennend, 1),
        },
    ]
    for values in agreements:
        services.do_add_agreement(conversation=first, values=values, acting_user=lead)
    services.do_decide(
        conversation=first, decision="go", follow_up_date=None, small_steps=[], expected_version=None, acting_user=lead
    )
    services.do_create_conversation(
        school=regenboog,
        kind="praktisch",
        dates=[add_months(training_start, -2)],
        participants=[lead, users["kartrekker"], users["kartrekker2"], trainer, users["intern-trainer"]],
        acting_user=lead,
    )

    doubt = services.do_create_conversation(
        school=horizon,
        kind="verkennend",
        dates=[today - timedelta(days=75)],
        participants=[horizon_lead, trainer],
        acting_user=trainer,
    )
    services.do_save_note(
        conversation=doubt,
        question_code="1.teaminformatie.b",
        text="Veel wisselingen in het team dit jaar; de belastbaarheid is laag.",
        expected_version=0,
        acting_user=trainer,
    )
    services.do_decide(
        conversation=doubt,
        decision="twijfel",
        follow_up_date=today + timedelta(days=49),
        small_steps=["kartrekker-werven", "boek-aanschaffen"],
        expected_version=None,
        acting_user=horizon_lead,
    )
    services.do_create_conversation(  # the follow-up conversation, planned from the Twijfel and linked to it
        school=horizon,
        kind="vervolg",
        dates=[today + timedelta(days=49)],
        participants=[horizon_lead, trainer],
        follows=doubt,
        acting_user=trainer,
    )
