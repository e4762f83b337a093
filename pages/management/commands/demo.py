"""Demo data for `make run`: one board, two schools, every role, a closed and an open round, an action plan,
the implementation route, the training, the checklist for leidinggevenden, the voorgesprekken and three
years of the Opbrengsten questionnaire, and five schools of another board to compare with. Each app makes
its own part (its demo.py); this command asks them in order and prints the demo logins."""

import random

from django.core.management.base import BaseCommand
from django.db import transaction

from actionplans import demo as actionplans_demo
from assessments import demo as assessments_demo
from intake import demo as intake_demo
from leadership import demo as leadership_demo
from organisations import demo as organisations_demo
from organisations.demo import DOMAIN, PASSWORD, PEOPLE
from organisations.models import Role
from outcomes import demo as outcomes_demo
from research import demo as research_demo
from training.demo import create_demo_training
from trajectory import demo as trajectory_demo


class Command(BaseCommand):
    help = "Create demo data (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        if not organisations_demo.exists():
            with transaction.atomic():
                self._create()
            self.stdout.write(self.style.SUCCESS("Demodata aangemaakt."))
        else:
            self.stdout.write("Demodata bestaan al.")
        self.stdout.write(f"\nDemo-logins (wachtwoord voor iedereen: {PASSWORD})")
        self.stdout.write("  Open http://127.0.0.1:8000/ en log in als:")
        for local, name, roles in PEOPLE:
            labels = ", ".join(str(Role(r).label) for r in roles)
            self.stdout.write(f"  {local + '@' + DOMAIN:<38} {name:<16} {labels}")
        self.stdout.write(f"  {'bestuur@' + DOMAIN:<38} {'Bea Bestuur':<16} Bestuurslid (alleen lezen)")
        self.stdout.write(f"  {'beheer@' + DOMAIN:<38} {'Platformbeheer':<16} Beheer op /beheer/")
        self.stdout.write(
            "  Beheer vraagt tweestapsverificatie: na het eerste inloggen toont de app een QR-code (en de sleutel\n"
            "  als tekst); scan die met een authenticator-app (bijv. FreeOTP of Google Authenticator) en typ de\n"
            "  6 cijfers. Daarna vraagt elke login om een code uit de app. Schoolleiding kan het zelf aanzetten bij\n"
            "  Mijn gegevens → Tweestapsverificatie.\n"
        )

    def _create(self):
        org = organisations_demo.create_demo()
        regenboog, users = org.regenboog, org.users
        lead = users["schoolleider"]
        rng = random.Random(2026)
        closed, base = assessments_demo.create_closed_round(regenboog=regenboog, users=users, lead=lead, rng=rng)
        actionplans_demo.create_demo(school=regenboog, closed=closed, users=users)
        training_start = create_demo_training(regenboog, users, lead=lead)
        trajectory_demo.create_demo(regenboog, users, training_start=training_start)
        leadership_demo.create_demo(school=regenboog, lead=lead)
        outcomes_demo.create_demo(school=regenboog, users=users, lead=lead)
        intake_demo.create_demo(
            regenboog=regenboog,
            horizon=org.horizon,
            users=users,
            horizon_lead=org.horizon_lead,
            training_start=training_start,
        )
        assessments_demo.create_open_round(
            regenboog=regenboog, users=users, lead=lead, model=closed.model, base=base, rng=rng
        )
        research_demo.create_demo(school=regenboog, lead=lead, rng=rng)
