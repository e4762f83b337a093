"""Demo data for `make run`: the demo board, its two schools and every role (called from the `demo` command in
pages/). ``PEOPLE``, ``PASSWORD`` and ``DOMAIN`` are also what the command prints as the demo logins."""

from dataclasses import dataclass

from accounts.models import User

from .models import Board, EducationType, Membership, Role, School

BOARD_NAME = "Stichting De Brug (demo)"
PASSWORD = "tso-demo-2026"  # noqa: S105  (the demo logins, printed by `manage.py demo`)
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


@dataclass
class DemoOrganisation:
    board: Board
    regenboog: School
    horizon: School
    users: dict[str, User]  # by the local part of their address (PEOPLE)
    horizon_lead: User
    horizon_newcomer: User  # new staff at De Horizon (the board's training for new staff)
    beheerder: User  # the board's beheerder


def exists() -> bool:
    return Board.objects.filter(name=BOARD_NAME).exists()


def _user(local, name, **extra):
    return User.objects.create_user(f"{local}@{DOMAIN}", name=name, password=PASSWORD, **extra)


def create_demo() -> DemoOrganisation:
    """One board with two schools: De Regenboog with everyone in PEOPLE, De Horizon with its own schoolleider, a new
    teacher and the external trainer; a board member, the board's beheerder and a platform admin."""
    board = Board.objects.create(name=BOARD_NAME)
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
        users[local] = _user(local, name)
        m = Membership(school=regenboog, user=users[local])
        m.set_roles(roles)
        m.save()
    # The external trainer works for both schools.
    m = Membership(school=horizon, user=users["trainer"])
    m.set_roles([Role.TRAINER_EXTERN])
    m.save()
    horizon_lead = _user("schoolleider-horizon", "Hans Horizon")
    Membership.objects.create(school=horizon, user=horizon_lead, is_schoolleiding=True)
    horizon_newcomer = _user("teamlid-horizon", "Mila Meijer")
    Membership.objects.create(school=horizon, user=horizon_newcomer, is_teamlid=True)
    board.members.add(_user("bestuur", "Bea Bestuur"))
    # The board's beheerder adds schools and invites their first schoolleiding (/besturen/<id>/scholen/).
    beheerder = _user("bestuur-beheer", "Bas Beheerder")
    board.members.add(beheerder, through_defaults={"is_beheerder": True})
    _user("beheer", "Platformbeheer", is_staff=True, is_superuser=True)
    return DemoOrganisation(
        board=board,
        regenboog=regenboog,
        horizon=horizon,
        users=users,
        horizon_lead=horizon_lead,
        horizon_newcomer=horizon_newcomer,
        beheerder=beheerder,
    )
