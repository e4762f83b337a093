"""Demo data for `make run`: one board, two schools, every role, a closed and an open round, an action plan,
the implementation route."""

import random
from datetime import date, time, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from assessments import services
from assessments.models import Round
from intake.demo import create_demo as create_intake_demo
from leadership.demo import create_demo as leadership_demo
from organisations.models import Board, EducationType, Membership, Role, School
from training.demo import create_demo_training
from trajectory import demo as trajectory_demo

PASSWORD = "tso-demo-2026"
DOMAIN = "demo.groeiwijzer.nl"

PEOPLE = [
    # email local part, name, roles at De Regenboog
    ("schoolleider", "Sanne de Vries", [Role.SCHOOLLEIDING]),
    ("kartrekker", "Karim Bouzid", [Role.KARTREKKER, Role.TEAMLID]),
    ("kartrekker2", "Ilse Jansen", [Role.KARTREKKER, Role.TEAMLID]),
    ("werkgroep1", "Wouter Bakker", [Role.WERKGROEPLID, Role.TEAMLID]),
    ("werkgroep2", "Fatma Yilmaz", [Role.WERKGROEPLID, Role.TEAMLID]),
    ("werkgroep3", "Lotte Visser", [Role.WERKGROEPLID, Role.TEAMLID]),
    ("trainer", "Tom Hendriks", [Role.TRAINER_EXTERN]),
    ("intern-trainer", "Noor Smit", [Role.TRAINER_INTERN, Role.TEAMLID]),
    ("teamlid", "Daan Mulder", [Role.TEAMLID]),
    ("teamlid2", "Emma de Boer", [Role.TEAMLID]),
]

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


class Command(BaseCommand):
    help = "Create demo data (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        if not Board.objects.filter(name="Stichting De Brug (demo)").exists():
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

    def _user(self, local, name, **extra):
        user = User.objects.create_user(f"{local}@{DOMAIN}", name=name, password=PASSWORD, **extra)
        return user

    def _create(self):
        board = Board.objects.create(name="Stichting De Brug (demo)")
        regenboog = School.objects.create(
            board=board,
            name="OBS De Regenboog",
            brin="00AA",
            education_type=EducationType.REGULIER_BO,
            pupil_count=320,
            staff_count=34,
        )
        horizon = School.objects.create(
            board=board,
            name="SO De Horizon",
            brin="00BB",
            education_type=EducationType.SO,
            cluster=4,
            pupil_count=110,
            staff_count=40,
        )
        users = {}
        for local, name, roles in PEOPLE:
            users[local] = self._user(local, name)
            m = Membership(school=regenboog, user=users[local])
            m.set_roles(roles)
            m.save()
        # The external trainer works for both schools.
        m = Membership(school=horizon, user=users["trainer"])
        m.set_roles([Role.TRAINER_EXTERN])
        m.save()
        horizon_lead = self._user("schoolleider-horizon", "Hans Horizon")
        Membership.objects.create(school=horizon, user=horizon_lead, is_schoolleiding=True)
        board.members.add(self._user("bestuur", "Bea Bestuur"))
        self._user("beheer", "Platformbeheer", is_staff=True, is_superuser=True)
        lead = users["schoolleider"]
        rng = random.Random(2026)

        # A closed round with 8 participants and a full consensus.
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
            self._fill(participant, model, base, rng, complete=True)
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

        self._plan(regenboog, closed, users)
        training_start = create_demo_training(regenboog, users, lead=lead)
        trajectory_demo.create_demo(regenboog, users, training_start=training_start)
        leadership_demo(school=regenboog, lead=lead)
        create_intake_demo(
            regenboog=regenboog, horizon=horizon, users=users, horizon_lead=horizon_lead, training_start=training_start
        )

        # An open round, half filled in.
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
                self._fill(participant, model, base, rng, complete=True)
                services.do_submit(participant=participant, acting_user=participant.user)
            elif i % 3 == 0:
                self._fill(participant, model, base, rng, complete=False)

    def _plan(self, school, closed, users):
        """The action plan the werkgroep made after the consensus meeting, some months into the year."""
        from actionplans import services as plan

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
        goals = {
            g.accent_code: g for g in plan.do_create_goals_from_round(round_=closed, choices=choices, acting_user=k)
        }
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
        past = plan.do_create_meeting(school=school, date=today - timedelta(days=21), acting_user=k, **times, **people)
        plan.do_save_minutes(
            meeting=past,
            minutes="Rustplekken staan. Welzijnsgesprekken lopen achter: nieuwe planning in de volgende bijeenkomst.",
            expected_version=past.version,
            acting_user=users["werkgroep2"],
        )
        plan.do_add_update(action=rust, text="Alle bouwen hebben een rustplek.", meeting=past, acting_user=k)
        plan.do_add_update(action=done, text="Gevierd met taart in de teamkamer!", acting_user=users["werkgroep3"])
        plan.do_create_meeting(school=school, date=today + timedelta(days=14), acting_user=k, **times, **people)

    def _fill(self, participant, model, base, rng, *, complete):
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
