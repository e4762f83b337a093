"""Demo data for `make run`: one board, two schools, every role, a closed and an open round, an action plan,
the implementation route, the training, the board's training for new staff of both schools, the checklist for
leidinggevenden, the voorgesprekken and three years of the Opbrengsten questionnaire, and five schools of another
board to compare with. Each app makes its own part (its demo.py); this command asks them in order and prints the
demo logins."""

import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from actionplans import demo as actionplans_demo
from assessments import demo as assessments_demo
from intake import demo as intake_demo
from leadership import demo as leadership_demo
from leadership.models import Answer as LeadershipAnswer
from organisations import demo as organisations_demo
from organisations.demo import DOMAIN, PASSWORD, PEOPLE
from organisations.models import Board, Role, School
from outcomes import demo as outcomes_demo
from research import demo as research_demo
from training.demo import create_demo_board_training, create_demo_training
from training.models import TrainingPlan, TrainingSession
from trajectory import demo as trajectory_demo

# What the demo creates, and all that --reset deletes: these boards (with their schools and everything in them) and
# the people whose address is in the demo domain (kartrekker0@vergelijk.demo.groeiwijzer.nl too).
DEMO_BOARDS = (organisations_demo.BOARD_NAME, research_demo.BOARD_NAME)


def demo_users():
    return User.objects.filter(Q(email__iendswith="@" + DOMAIN) | Q(email__iendswith="." + DOMAIN))


def demo_people_elsewhere() -> list[str]:
    """Demo people who are also a member of a school outside the demo boards (someone invited them there)."""
    return list(
        demo_users()
        .filter(memberships__school__in=School.objects.exclude(board__name__in=DEMO_BOARDS))
        .distinct()
        .order_by("email")
        .values_list("email", flat=True)
    )


def delete_demo() -> tuple[int, int]:
    """Delete the demo boards, their schools (and what is in them) and the demo people; nothing else.

    Returns (schools deleted, people deleted). Call only when demo_people_elsewhere() is empty."""
    boards = list(Board.objects.filter(name__in=DEMO_BOARDS))
    schools = School.objects.filter(board__in=boards)
    n_schools = schools.count()
    # Checklist answers protect the school's own items (on_delete=PROTECT): they go first (as in pages/leaving.py).
    LeadershipAnswer.objects.filter(round__school__in=schools).delete()
    for school in schools:
        school.delete()  # its rounds, plans, training, ... go with it (CASCADE)
    for board in boards:
        board.delete()
    n_users = 0
    for user in demo_users():
        user.delete()
        n_users += 1
    return n_schools, n_users


def open_round_title(school) -> str:
    """The open round is named after the last module the training plan has held by today (one story in time)."""
    today = timezone.localdate()
    held = (
        TrainingSession.objects.filter(school=school, kind__startswith="module", date__lte=today)
        .order_by("-date")
        .first()
    )
    plan = TrainingPlan.objects.filter(school=school).order_by("-school_year").first()
    year = f" – schooljaar {plan.school_year_label}" if plan else ""
    if held is None:
        return "Voor de teamtraining" + year
    return f"Na {held.title[:1].lower()}{held.title[1:]}{year}" if held.title else "Na de laatste module" + year


class Command(BaseCommand):
    help = (
        "Create demo data (idempotent) and print the demo logins. --reset deletes the demo data first (only the demo "
        "boards, their schools and the @demo.groeiwijzer.nl people) and creates it again; only with DEBUG on."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="delete the demo data and create it again")
        parser.add_argument("--port", type=int, default=8000, help="the port the server runs on (printed address)")
        parser.add_argument("--host", default="127.0.0.1", help="the host the server runs on (printed address)")

    def handle(self, *args, **options):
        if options["reset"]:
            if not settings.DEBUG:
                raise CommandError(
                    "--reset werkt alleen in een ontwikkelomgeving (DEBUG aan): het verwijdert de demodata."
                )
            elsewhere = demo_people_elsewhere()
            if elsewhere:
                raise CommandError(
                    "Niets verwijderd: deze demopersonen zijn ook lid van een school buiten de demo: "
                    + ", ".join(elsewhere)
                )
            with transaction.atomic():
                n_schools, n_users = delete_demo()
            self.stdout.write(f"Demodata verwijderd: {n_schools} scholen, {n_users} personen.")
        if not organisations_demo.exists():
            with transaction.atomic():
                self._create()
            self.stdout.write(self.style.SUCCESS("Demodata aangemaakt."))
        else:
            self.stdout.write("Demodata bestaan al.")
        self.stdout.write(f"\nDemo-logins (wachtwoord voor iedereen: {PASSWORD})")
        self.stdout.write(f"  Open http://{options['host']}:{options['port']}/ en log in als:")
        for local, name, roles in PEOPLE:
            labels = ", ".join(str(Role(r).label) for r in roles)
            self.stdout.write(f"  {local + '@' + DOMAIN:<38} {name:<16} {labels}")
        self.stdout.write(f"  {'bestuur@' + DOMAIN:<38} {'Bea Bestuur':<16} Bestuurslid (alleen lezen)")
        self.stdout.write(f"  {'bestuur-beheer@' + DOMAIN:<38} {'Bas Beheerder':<16} Bestuurder/beheerder (scholen)")
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
        create_demo_board_training(
            board=org.board,
            plan_school=regenboog,
            schools=[regenboog, org.horizon],
            newcomers=[users["teamlid2"], org.horizon_newcomer],
            trainer=users["trainer"],
            beheerder=org.beheerder,
        )
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
            regenboog=regenboog,
            users=users,
            lead=lead,
            model=closed.model,
            base=base,
            rng=rng,
            title=open_round_title(regenboog),
        )
        research_demo.create_demo(school=regenboog, lead=lead, rng=rng)
