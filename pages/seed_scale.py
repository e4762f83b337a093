"""A country of schools for measuring at national scale (issue 15, part 3): ``manage.py seed_scale``.

Fills the database with boards of 1 to 60 schools (many small ones, a few large ones, one of 200 for the board page
and one of 50), 10 to 60 staff per school with their roles, and per school and school year one round on the
Ontwikkelmodel with about ten participants: closed rounds with their answers, priorities and consensus for the past
years, an open round half filled in for the current one. Beside them what a school builds up in those years: the
action plan (goals from each round's priorities, actions with steps, updates and history, the werkgroep's
meetings), the route (every step of the handbook dated from the team training, the past ones done), the team
training plan (groups, sessions, attendance) and the voorgesprekken.

The rows look like what the services write (the same states, versions, content codes and dates that fit one
story), but they are written in bulk: PostgreSQL's COPY (``executemany`` elsewhere), ids handed out here, one
transaction per batch of schools, no audit rows, mails or tasks. Everything is drawn from ``random.Random`` seeded
per school, so the same seed (and the same day, ``today``) gives the same country.
"""

from __future__ import annotations

import datetime
import json
import math
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction

from accounts.models import User
from actionplans.content import load_suggestions
from actionplans.models import Action, ActionStatus, ActionStep, ActionUpdate, Goal, Meeting, PlanChange, Term
from assessments.models import DONT_KNOW, Answer, ConsensusItem, Participant, Priority, Round, RoundStatus
from core.dates import add_months, school_year_of
from intake.content import load_agenda
from intake.models import Agreement, Conversation, ConversationDate, Decision, Kind, Note
from ontwikkelmodel.models import ModelVersion
from organisations.models import Board, BoardMember, EducationType, Membership, School
from organisations.rolegroups import RoleGroup
from training.content import load_content as load_training
from training.models import Attendance, AttendanceStatus, TrainingGroup, TrainingPlan, TrainingSession
from training.services import default_sessions
from trajectory.content import load_route
from trajectory.models import Step, StepStatus, Trajectory
from trajectory.schedule import step_dates
from trajectory.training_dates import LINKED_STEPS

PASSWORD = "landelijk-2026"  # noqa: S105  (every seeded person's password, printed by the command)
DOMAIN = "landelijk.groeiwijzer.test"  # a reserved top-level domain: no mail can ever reach anyone
BIG_BOARD = 200  # the board of ~200 schools (issue 15: the board page under 150 ms)
FIFTY_BOARD = 50
STAFF = (10, 60, 20)  # triangular: least, most, most often
TRAINER_SCHOOLS = 15  # an external trainer works for about this many schools of a region
TZ = ZoneInfo(settings.TIME_ZONE)

# In the order they are written: every foreign key points at a table written before (or at the same one).
MODELS: list[type[models.Model]] = [
    User,
    Board,
    BoardMember,
    School,
    Membership,
    Conversation,
    Conversation.participants.through,
    ConversationDate,
    Note,
    Agreement,
    Round,
    Participant,
    Answer,
    Priority,
    ConsensusItem,
    Meeting,
    Goal,
    Action,
    ActionStep,
    ActionUpdate,
    PlanChange,
    TrainingPlan,
    TrainingGroup,
    TrainingGroup.members.through,
    TrainingGroup.trainers.through,
    TrainingSession,
    TrainingSession.trainers.through,
    Attendance,
    Trajectory,
    Step,
]

FIRST_NAMES = (  # noqa: SIM905 (one string reads better than a column of names)
    "Sanne Karim Ilse Wouter Fatma Lotte Tom Noor Daan Emma Sem Julia Mohamed Sophie Lucas Anna Milan Eva Bram "
    "Tess Jesse Lisa Thijs Fleur Ayoub Sara Ruben Lieke Youssef Iris Niels Esra Jeroen Mila Stijn Yara Kevin "
    "Anouk Hamza Nina Pieter Merel Joost Zeynep Bas Floor Ricardo Hanna Gijs Maud Dirk Amira Koen Roos Mehmet "
    "Inge Teun Femke"
).split()
LAST_NAMES = (  # noqa: SIM905
    "de Vries|Jansen|de Jong|Bakker|Visser|Smit|Meijer|de Boer|Mulder|de Groot|Bos|Vos|Peters|Hendriks|"
    "van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra|Smits|de Graaf|van der Meer|van der Linden|Kok|Jacobs|de Haan|"
    "Vermeulen|van den Berg|van der Heijden|Schouten|van Beek|Willems|van Vliet|Hoekstra|Maas|Verhoeven|Koster|"
    "Prins|Blom|Huisman|Yilmaz|Bouzid|El Amrani|Kaya|Öztürk|Pinas|Tjon|Nguyen|Wijaya|Kramer|Postma|Kuipers|"
    "Veenstra|Scholten"
).split("|")
SCHOOL_NAMES = (  # noqa: SIM905
    "De Regenboog|De Horizon|Het Kompas|De Wegwijzer|De Vlinder|De Linde|Het Anker|De Wilgen|De Zonnewijzer|"
    "De Bron|Het Palet|De Sterrenkijker|De Klimop|Het Mozaïek|De Fontein|De Springplank|De Ontdekking|"
    "De Boomgaard|De Toermalijn|Het Baken|De Vuurvogel|De Kameleon|De Notenkraker|Het Startpunt|De Windroos|"
    "De Meander|De Schakel|Het Octopus|De Zevensprong|De Parel|De Wereldwijzer|De Eendracht|Het Kleurrijk|"
    "De Dukdalf"
).split("|")
PLACES = (  # noqa: SIM905
    "Amsterdam|Rotterdam|Utrecht|Den Haag|Eindhoven|Groningen|Tilburg|Almere|Breda|Nijmegen|Apeldoorn|Haarlem|"
    "Arnhem|Enschede|Amersfoort|Zaanstad|Zwolle|Leiden|Maastricht|Dordrecht|Zoetermeer|Ede|Venlo|Deventer|Delft|"
    "Leeuwarden|Alkmaar|Helmond|Hengelo|Emmen|Assen|Gouda|Middelburg|Roermond|Den Helder|Lelystad|Hoorn|Oss|"
    "Sneek"
).split("|")
BOARD_WORDS = (  # noqa: SIM905
    "Primo|Kindante|Spectrum|Ons Middelbaar|Floreo|Sirius|Proceon|Vlietkinderen|Kans & Kleur|Stroom"
).split("|")
EDUCATION_TYPES = [  # (type, weight, name prefix)
    (EducationType.REGULIER_BO, 72, ("OBS", "CBS", "RKBS", "IKC", "PCBS")),
    (EducationType.SBO, 4, ("SBO",)),
    (EducationType.SO, 5, ("SO",)),
    (EducationType.VSO, 4, ("VSO",)),
    (EducationType.VO, 11, ("College", "Lyceum", "Scholengemeenschap")),
    (EducationType.MBO, 2, ("ROC",)),
    (EducationType.NIEUWKOMERS, 2, ("ISK",)),
]
STRENGTHS = [
    "Vaste dagstructuur met pictogrammen in elke groep.",
    "Collega's vangen elkaar op na een lastig moment.",
    "De rustige hoek in de klas wordt goed gebruikt.",
    "De intern begeleider denkt snel mee bij zorgen.",
    "Rustige start van de dag met een check-in.",
    "Goede band met ouders.",
    "Open gesprekken in de teamvergadering.",
    "Time-in werkt in de onderbouw.",
    "Veel kennis over stress en het brein.",
    "Duidelijke afspraken op het plein.",
]
GOALS = [
    "Samen afspraken maken over de overdracht tussen groepen.",
    "Iedere collega kent de signalen van stress bij leerlingen.",
    "Ouders vaker betrekken bij het veiligheidsplan.",
    "Gedeelde taal vastleggen.",
    "Intervisie inplannen.",
    "Rustruimte inrichten.",
    "Nieuwe collega's trainen.",
    "TSO in het schoolplan.",
]
DIFFERENCES = [
    "De bovenbouw ziet dit verder dan de onderbouw.",
    "Nieuwe collega's kennen de afspraken nog niet.",
    "Het verschilt per groep hoe dit gaat.",
    "Schoolleiding en team kijken er anders naar.",
]
GOAL_TITLES = {
    "1": ["Een TSO-woordenlijst voor het hele team", "Nieuwe collega's volgen de basistraining", "Intervisie per bouw"],
    "2": [
        "Leidinggevenden voeren maandelijks een welzijnsgesprek",
        "TSO in visie en beleid",
        "Een time-in protocol voor de hele school",
    ],
    "3A": ["Ouderavond over stress en het brein", "Een vaste partner voor jeugdhulp", "Zelfzorg in het team"],
    "3B": ["Een rustplek in elke bouw", "Psycho-educatie in elke groep", "Oefeningen voor zelfregulatie"],
}
MONITORING = ["Bespreken in de werkgroep", "Elke zes weken in het MT", "Korte vragenlijst aan het team"]
FEEDBACK = ["In de teamvergadering", "In de nieuwsbrief voor het team", "Op de studiedag"]
STEP_TEXTS = [
    "Begrippen verzamelen in de teamvergadering",
    "Concept laten lezen",
    "Datum kiezen met de MR",
    "Rooster maken",
    "Materiaal bestellen",
    "Evalueren in de werkgroep",
]
UPDATES = [
    "Loopt volgens plan.",
    "Besproken in de werkgroep; volgende keer verder.",
    "Alle bouwen doen mee.",
    "Iets later dan gepland door de studiedag.",
]
LOCATIONS = ["Teamkamer", "Aula", "Lokaal 12", "Personeelskamer"]
MINUTES = [
    "Acties doorgelopen; twee zijn afgerond. Volgende keer de ouderavond voorbereiden.",
    "Rustplekken staan. Welzijnsgesprekken lopen achter: nieuwe planning in de volgende bijeenkomst.",
    "Terugblik op de studiedag; het team wil meer tijd voor casussen.",
]
STEP_NOTES = ["Besluit: Go. Team heeft draagkracht.", "Kartrekkers 30 uur, werkgroepleden 20 uur in de normjaartaak."]
INTAKE_NOTES = [
    "Meer onrust in de bovenbouw; het team wil beter begrijpen wat stress met leerlingen doet.",
    "Twee trainingsgroepen.",
    "Nieuwe rekenmethode loopt nog tot de zomer; verder geen grote trajecten.",
    "De kartrekkers krijgen elk 4 uur per week.",
    "Modules op de studiedagen in oktober, januari en maart.",
]
AGREEMENTS = ["Introductiepresentatie voor het team", "Training TSO op open inschrijving volgen", "Boeken bestellen"]
STEP_OWNERS = {  # route step → who picks it up (as the demo has it)
    "verkennend-voorgesprek": "lead",
    "werving-kartrekker": "lead",
    "training-kartrekker": "kartrekker",
    "introductiepresentatie": "intern",
    "werkgroep-samenstellen": "kartrekker",
    "tijd-faciliteren": "lead",
    "praktisch-voorgesprek": "kartrekker",
    "training-voorbereiden": "trainer",
    "teamtraining": "trainer",
    "module-4-prioriteiten": "trainer",
    "ontwikkelmodel-invullen": "kartrekker",
    "plan-presenteren": "werkgroep",
    "actieplan-uitvoeren": "kartrekker",
    "successen-vieren": "werkgroep",
    "nieuwe-medewerkers": "lead",
    "jaarlijks-ontwikkelmodel": "kartrekker",
}
MONTHS = (  # noqa: SIM905 (one string reads better than a column of names)
    "januari februari maart april mei juni juli augustus september oktober november december"
).split()


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


def weekday(day: datetime.date) -> datetime.date:
    """The day itself, or the Monday after it in a weekend."""
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def dutch_date(day: datetime.date) -> str:
    """As the plan's history shows a date ("12 maart 2025")."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def dots(n: int) -> str:
    """12.345.678: a number as Dutch readers group it."""
    return f"{n:,}".replace(",", ".")


# Writing rows in bulk ----------------------------------------------------------------------------------------------


class Table:
    """The rows of one model waiting to be written; ids are handed out here (from the table's highest one)."""

    def __init__(self, model, last_id: int):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.names = [f.attname for f in self.fields]
        self.name = model._meta.db_table
        self.json = [i for i, f in enumerate(self.fields) if f.get_internal_type() == "JSONField"]
        # A field with a fixed default may be left out (a setting the seed has no opinion on, e.g. a school's single
        # sign-on switches or a person's language); every other field must be given.
        self.defaults = {f.attname: f.get_default() for f in self.fields if f.has_default() and not callable(f.default)}
        self.rows: list[tuple] = []
        self.last_id = last_id
        self.written = 0

    def add(self, **values) -> int:
        """One row: every concrete field by its attname (``school_id``), except the id and those with a fixed default;
        returns the new id."""
        self.last_id += 1
        values = {**self.defaults, **values, "id": self.last_id}
        if len(values) != len(self.names):
            raise TypeError(f"{self.name}: {sorted(set(values) ^ set(self.names))}")
        self.rows.append(tuple([values[n] for n in self.names]))
        return self.last_id


class Writer:
    """Bulk writes of MODELS: COPY on PostgreSQL, executemany elsewhere; the sequences follow at the end."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self.tables: dict = {}
        with connection.cursor() as cursor:
            for model in MODELS:
                cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
                self.tables[model] = Table(model, cursor.fetchone()[0] or 0)

    def __getitem__(self, model) -> Table:
        return self.tables[model]

    @property
    def written(self) -> int:
        return sum(t.written for t in self.tables.values())

    def flush(self) -> None:
        for table in self.tables.values():
            if table.rows:
                (self._copy if self.postgres else self._insert)(table)
                table.written += len(table.rows)
                table.rows = []

    def _copy(self, table: Table) -> None:
        qn = connection.ops.quote_name
        columns = ", ".join(qn(f.column) for f in table.fields)
        connection.ensure_connection()
        sql = f"COPY {qn(table.name)} ({columns}) FROM STDIN"
        with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
            if table.json:
                for row in table.rows:
                    values = list(row)
                    for i in table.json:
                        values[i] = json.dumps(values[i])
                    copy.write_row(values)
            else:
                for row in table.rows:
                    copy.write_row(row)

    def _insert(self, table: Table) -> None:
        qn = connection.ops.quote_name
        columns = ", ".join(qn(f.column) for f in table.fields)
        marks = ", ".join(["%s"] * len(table.fields))
        rows = [
            tuple(f.get_db_prep_save(v, connection) for f, v in zip(table.fields, row, strict=True))
            for row in table.rows
        ]
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {qn(table.name)} ({columns}) VALUES ({marks})", rows)  # noqa: S608

    def reset_sequences(self) -> None:
        """The next id the database hands out comes after ours."""
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(self.tables)):
                cursor.execute(sql)


# The country ------------------------------------------------------------------------------------------------------


@dataclass
class Logins:
    """The people a benchmark logs in as (printed by the command)."""

    kartrekker: str = ""
    participant: str = ""  # of an open round, nothing filled in yet
    board_member: str = ""  # the beheerder of the biggest board
    school_id: int | None = None  # the kartrekker's school (the participant's too)
    big_board_id: int | None = None


@dataclass
class Person:
    id: int
    roles: set[str]
    joined: datetime.datetime
    role_group: str = RoleGroup.TEAM


@dataclass
class SchoolPlan:
    """What is drawn before a school's rows: its number, board, staff size and the year its team training starts."""

    no: int
    board_id: int
    staff: int
    training_year: int
    trainer_id: int


def board_sizes(schools: int, rng: random.Random) -> list[int]:
    """Boards' sizes adding up to ``schools``: the big board and one of fifty first (when the country is big enough),
    then many small boards and a few large ones (1 to 60 schools)."""
    sizes = []
    if schools >= 2 * BIG_BOARD:
        sizes = [BIG_BOARD, FIFTY_BOARD]
    elif schools >= 8:
        sizes = [schools // 4]
    rest = schools - sum(sizes)
    while rest > 0:
        r = rng.random()
        if r < 0.35:
            size = 1
        elif r < 0.55:
            size = rng.randint(2, 3)
        elif r < 0.75:
            size = rng.randint(4, 10)
        elif r < 0.92:
            size = rng.randint(11, 25)
        else:
            size = rng.randint(26, 60)
        size = min(size, rest)
        sizes.append(size)
        rest -= size
    return sizes


class Country:
    def __init__(self, *, schools: int, years: int, seed: int, today: datetime.date, batch: int, out: Callable):
        self.n_schools, self.seed, self.today, self.batch, self.out = schools, seed, today, batch, out
        self.current_year = school_year_of(today)
        self.first_year = self.current_year - years + 1
        self.now = at(today, 6)  # "now" in the story: this morning, before anyone was at work
        self.w = Writer()
        self.version = ModelVersion.current()
        self.model = self.version.model
        self.accents = self.model.accents
        self.codes = [a.code for a in self.accents]
        self.layer_of = {a.code: a.layer_code for a in self.accents}
        self.route = load_route()
        self.training = load_training()
        self.suggestions = {layer.code: list(layer.suggestions) for layer in load_suggestions().layers}
        self.question_codes = [c for c in load_agenda().question_codes if c.startswith("1.")]
        self.password = make_password(PASSWORD, salt=f"landelijk{seed}")  # hashed once: every row gets a real hash
        self.logins = Logins()
        self.names: dict[int, str] = {}  # user id → name, for the plan's history
        self.login_school_no = -1
        self.started = time.perf_counter()

    def rng(self, *key) -> random.Random:
        return random.Random(f"{self.seed}:{':'.join(map(str, key))}")

    # people

    def user(self, local: str, name: str, joined: datetime.datetime) -> int:
        t = self.w[User]
        uid = t.last_id + 1
        self.names[uid] = name
        return t.add(
            password=self.password,
            last_login=None,
            is_superuser=False,
            email=f"{local}{uid}@{DOMAIN}",
            name=name,
            is_active=True,
            is_staff=False,
            date_joined=joined,
        )

    def email(self, user_id: int) -> str:
        for row in self.w[User].rows:
            if row[0] == user_id:
                return row[4]
        raise KeyError(user_id)

    @staticmethod
    def name(rng: random.Random) -> str:
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"

    # the whole run

    def run(self) -> Logins:
        rng = self.rng("boards")
        sizes = board_sizes(self.n_schools, rng)
        with transaction.atomic():
            plans = self._boards_and_trainers(sizes, rng)
            self.w.flush()
        self.out(f"{len(sizes)} besturen, {len(self.trainers)} externe trainers ({self.elapsed()})")
        for start in range(0, len(plans), self.batch):
            with transaction.atomic():
                for plan in plans[start : start + self.batch]:
                    self.school(plan)
                self.w.flush()
            done = min(start + self.batch, len(plans))
            self.out(
                f"{done}/{len(plans)} scholen, {dots(self.w.written)} rijen, "
                f"{dots(self.w[Answer].written)} antwoorden ({self.elapsed()})"
            )
        self.w.reset_sequences()
        return self.logins

    def elapsed(self) -> str:
        return f"{time.perf_counter() - self.started:.0f} s"

    def _boards_and_trainers(self, sizes: list[int], rng: random.Random) -> list[SchoolPlan]:
        w = self.w
        long_ago = at(datetime.date(self.first_year - 1, 6, 1), 9)
        self.trainers = [
            self.user("trainer", self.name(rng), long_ago)
            for _ in range(max(1, math.ceil(self.n_schools / TRAINER_SCHOOLS)))
        ]
        plans, no = [], 0
        # When a school's team training starts: most in the years of the data set, some before, some only this
        # school year (where the demo school is: in Uitvoeren).
        years = list(range(self.first_year - 1, self.current_year + 1))
        weights = [10] + [20] * (len(years) - 2) + [10]
        big = sizes.index(max(sizes))
        for b, size in enumerate(sizes):
            board_id = w[Board].add(name=f"Stichting {rng.choice(BOARD_WORDS)} {rng.choice(PLACES)} ({b + 1})")
            readers = 2 if b == big else rng.choice([0, 0, 1, 1, 2])
            for i in range(1 + readers):
                uid = self.user("bestuur", self.name(rng), long_ago)
                w[BoardMember].add(board_id=board_id, user_id=uid, is_beheerder=i == 0)
                if b == big and i == 0:
                    self.logins.board_member = self.email(uid)
                    self.logins.big_board_id = board_id
            for _ in range(size):
                training_year = rng.choices(years, weights=weights)[0]
                plans.append(
                    SchoolPlan(
                        no=no,
                        board_id=board_id,
                        staff=int(rng.triangular(*STAFF)),
                        training_year=training_year,
                        trainer_id=self.trainers[no // TRAINER_SCHOOLS % len(self.trainers)],
                    )
                )
                no += 1
        # The school whose people are printed: of the biggest board, the one whose staff is nearest to 30.
        ours = [p for p in plans if p.board_id == self.logins.big_board_id]
        self.login_school_no = min(ours, key=lambda p: (abs(p.staff - 30), p.no)).no
        return plans

    # one school

    def school(self, plan: SchoolPlan) -> None:
        SchoolBuilder(self, plan).build()


@dataclass
class RoundFacts:
    id: int
    year: int
    closed: bool
    meeting_date: datetime.date
    closed_at: datetime.datetime | None
    consensus: dict[str, int] = field(default_factory=dict)  # accent → agreed phase
    priorities: list[str] = field(default_factory=list)  # accents by consensus priority 1-5


class SchoolBuilder:
    def __init__(self, country: Country, plan: SchoolPlan):
        self.c, self.w, self.plan = country, country.w, plan
        self.rng = country.rng("school", plan.no)
        self.today, self.now = country.today, country.now

    def build(self) -> None:
        self.people()
        self.training_plan()
        self.intake()
        self.rounds()
        self.meetings()
        self.action_plan()
        self.route()

    # the school and its people

    def people(self) -> None:
        c, w, rng, plan = self.c, self.w, self.rng, self.plan
        kinds, weights, prefixes = zip(*[(t, wt, p) for t, wt, p in EDUCATION_TYPES], strict=True)
        i = rng.choices(range(len(kinds)), weights=weights)[0]
        education_type, prefix = kinds[i], rng.choice(prefixes[i])
        name = f"{rng.choice(SCHOOL_NAMES)} {rng.choice(PLACES)}"
        name = f"{name} {prefix}" if education_type == EducationType.VO else f"{prefix} {name}"
        self.school_id = w[School].add(
            board_id=plan.board_id,
            name=name,
            brin=f"{plan.no % 100:02d}{chr(65 + plan.no // 100 % 26)}{chr(65 + plan.no // 2600 % 26)}",
            education_type=education_type,
            cluster=rng.choice([3, 4]) if education_type in (EducationType.SO, EducationType.VSO) else None,
            pupil_count=plan.staff * rng.randint(8, 14),
            staff_count=plan.staff,
            benchmark_opt_in=rng.random() < 0.3,
        )
        # The team training: module 1 in September or October of its school year, on a weekday.
        year = plan.training_year
        module1 = weekday(datetime.date(year, 9, 8) + days(rng.choice([0, 7, 14, 21, 28])))
        self.sessions = default_sessions(year, module1_date=module1)
        self.training_start = module1
        first_round = datetime.date(c.first_year, 9, 1)
        hired_from = min(add_months(module1, -12), first_round)
        roles: list[set[str]] = [{"schoolleiding"}]
        if plan.staff >= 30:
            roles.append({"schoolleiding"})
        roles += [{"kartrekker", "teamlid"}] * 2
        roles += [{"werkgroeplid", "teamlid"}] * min(rng.randint(3, 6), plan.staff - len(roles) - 4)  # 3 in the team
        if rng.random() < 0.6:
            roles.append({"trainer_intern", "teamlid"})
        roles += [{"teamlid"}] * (plan.staff - len(roles))
        self.members: list[Person] = []
        late_from = module1 + days(30)
        for role_set in roles:
            late = role_set == {"teamlid"} and late_from < self.today - days(7) and rng.random() < 0.12
            if late:  # came in after the training started: still to train
                joined = at(late_from + days(rng.randint(0, (self.today - days(7) - late_from).days)), 9)
            else:
                joined = at(hired_from - days(rng.randint(0, 3000)), 9)
            uid = c.user("medewerker", c.name(rng), joined)
            self.members.append(Person(uid, set(role_set), joined, role_group_of(role_set)))
        trainer = Person(plan.trainer_id, {"trainer_extern"}, at(hired_from, 9), RoleGroup.TRAINERS)
        for p in [*self.members, trainer]:
            w[Membership].add(
                school_id=self.school_id,
                user_id=p.id,
                is_schoolleiding="schoolleiding" in p.roles,
                is_kartrekker="kartrekker" in p.roles,
                is_werkgroeplid="werkgroeplid" in p.roles,
                is_trainer_intern="trainer_intern" in p.roles,
                is_trainer_extern="trainer_extern" in p.roles,
                is_teamlid="teamlid" in p.roles,
                joined_at=p.joined,
            )
        self.trainer = trainer
        self.lead = self.members[0].id
        self.kartrekkers = [p.id for p in self.members if "kartrekker" in p.roles]
        self.werkgroep = [p.id for p in self.members if "werkgroeplid" in p.roles]
        self.intern = next((p.id for p in self.members if "trainer_intern" in p.roles), None)
        self.core = [
            p for p in self.members if p.roles & {"schoolleiding", "kartrekker", "werkgroeplid", "trainer_intern"}
        ]
        self.core.append(trainer)
        self.team = [p for p in self.members if not p.roles & {"schoolleiding", "kartrekker", "werkgroeplid"}]
        self.print_participant = plan.no == c.login_school_no
        if self.print_participant:
            c.logins.kartrekker, c.logins.school_id = c.email(self.kartrekkers[0]), self.school_id

    # the team training

    def training_plan(self) -> None:
        w, rng, c = self.w, self.rng, self.c
        start = self.training_start
        self.training_plan_id = w[TrainingPlan].add(
            school_id=self.school_id,
            school_year=self.plan.training_year,
            content_version=c.training.version,
            created_at=at(add_months(start, -3), 10),
            created_by_id=self.lead,
        )
        trained = [p for p in self.members if p.joined < at(start, 0)]  # the team (no external trainer) at the start
        n_groups = max(1, math.ceil(len(trained) / 20))
        trainers = [self.trainer.id] + ([self.intern] if self.intern else [])
        groups: list[tuple[int | None, list[Person]]] = []
        for g in range(n_groups):
            gid = w[TrainingGroup].add(
                version=1, school_id=self.school_id, plan_id=self.training_plan_id, name=f"Groep {g + 1}"
            )
            members = trained[g::n_groups]
            for p in members:
                w[TrainingGroup.members.through].add(traininggroup_id=gid, user_id=p.id)
            for uid in trainers:
                w[TrainingGroup.trainers.through].add(traininggroup_id=gid, user_id=uid)
            groups.append((gid, members))
        self.session_dates: dict[str, list[datetime.date]] = {}
        for row in self.sessions:
            kind = row["kind"]
            per_group = kind.startswith(("module", "werkmoment"))
            for g, (group_id, members) in enumerate(groups if per_group else [(None, trained)]):
                day = weekday(row["date"] + days(7 * g))
                werkmoment = kind.startswith("werkmoment")
                sent = werkmoment and day < self.today and rng.random() < 0.5
                sid = w[TrainingSession].add(
                    version=1,
                    school_id=self.school_id,
                    plan_id=self.training_plan_id,
                    kind=kind,
                    title=row["title"],
                    date=day,
                    start_time=row["start_time"],
                    end_time=row["end_time"],
                    location=rng.choice(LOCATIONS) if rng.random() < 0.6 else "",
                    group_id=group_id,
                    reflection_sent_at=at(day - days(7), 16) if sent else None,
                    reflection_sent_by_id=self.kartrekkers[0] if sent else None,
                    reflection_sent_count=len(members) if sent else 0,
                )
                self.session_dates.setdefault(kind, []).append(day)
                if kind.startswith("module"):
                    w[TrainingSession.trainers.through].add(trainingsession_id=sid, user_id=self.trainer.id)
                if day >= self.today:
                    continue
                for p in members:
                    r = rng.random()
                    status = (
                        AttendanceStatus.PRESENT
                        if r < 0.85
                        else AttendanceStatus.ABSENT
                        if r < 0.93
                        else AttendanceStatus.EXCUSED
                    )
                    w[Attendance].add(
                        session_id=sid,
                        user_id=p.id,
                        status=status,
                        updated_at=at(day, 17),
                        updated_by_id=self.trainer.id,
                    )

    # the voorgesprekken

    def intake(self) -> None:
        w, rng = self.w, self.rng
        start = self.training_start
        first = weekday(add_months(start, -8))
        meeting_days = [first] + ([weekday(first + days(14))] if rng.random() < 0.5 else [])
        decided = at(meeting_days[-1], 16)
        verkennend = w[Conversation].add(
            version=2,
            school_id=self.school_id,
            kind=Kind.VERKENNEND,
            decision=Decision.GO,
            follow_up_date=None,
            small_steps=[],
            follows_id=None,
            decided_at=decided,
            decided_by_id=self.lead,
            created_at=at(first - days(14), 10),
            created_by_id=self.trainer.id,
            updated_at=decided,
        )
        praktisch_day = weekday(add_months(start, -2))
        praktisch = w[Conversation].add(
            version=1,
            school_id=self.school_id,
            kind=Kind.PRAKTISCH,
            decision=Decision.OPEN,
            follow_up_date=None,
            small_steps=[],
            follows_id=None,
            decided_at=None,
            decided_by_id=None,
            created_at=at(praktisch_day - days(21), 10),
            created_by_id=self.lead,
            updated_at=at(praktisch_day - days(21), 10),
        )
        people = [self.lead, *self.kartrekkers, self.trainer.id]
        for conversation, day, extra in (
            (verkennend, meeting_days, []),
            (praktisch, [praktisch_day], [self.intern] if self.intern else []),
        ):
            for uid in people + extra:
                w[Conversation.participants.through].add(conversation_id=conversation, user_id=uid)
            for d in day:
                w[ConversationDate].add(conversation_id=conversation, date=d)
        for code in rng.sample(self.c.question_codes, 4):
            w[Note].add(
                version=1,
                conversation_id=verkennend,
                question_code=code,
                text=rng.choice(INTAKE_NOTES),
                updated_at=at(first, 15),
                updated_by_id=self.trainer.id,
            )
        for what in rng.sample(AGREEMENTS, rng.randint(1, 2)):
            w[Agreement].add(
                version=1,
                conversation_id=verkennend,
                owner_id=rng.choice(self.kartrekkers),
                owner_text="",
                what=what,
                due_date=add_months(start, -rng.randint(2, 6)),
                support="",
                feedback="Terugkoppeling in het MT-overleg" if rng.random() < 0.5 else "",
                created_at=decided,
                updated_at=decided,
                updated_by_id=self.lead,
            )

    # the rounds on the Ontwikkelmodel

    def rounds(self) -> None:
        rng, c = self.rng, self.c
        # The team's phase per accent grows over the years (now and then one slips back): what rounds agree on.
        phases = {code: rng.choice([1, 1, 2, 2, 3]) for code in c.codes}
        self.round_facts: list[RoundFacts] = []
        for year in range(c.first_year, c.current_year + 1):
            if year > c.first_year:
                for code in phases:
                    r = rng.random()
                    phases[code] = (
                        min(4, phases[code] + 1) if r < 0.35 else max(1, phases[code] - 1) if r > 0.96 else phases[code]
                    )
            self.round_facts.append(self.one_round(year, dict(phases)))

    def one_round(self, year: int, phases: dict[str, int]) -> RoundFacts:
        w, rng, c = self.w, self.rng, self.c
        closed = year < c.current_year
        if closed:
            if year == self.plan.training_year and "ontwikkelmodel" in self.session_dates:
                deadline = weekday(self.session_dates["ontwikkelmodel"][0] + days(rng.randint(0, 7)))
            else:
                deadline = weekday(datetime.date(year + 1, 3, 1) + days(rng.randint(0, 80)))
            meeting = weekday(deadline + days(rng.randint(7, 14)))
            created = at(deadline - days(21), 9)
            last_input = at(deadline, 22)
            title = f"{'Startmeting' if year == c.first_year else 'Jaarlijkse meting'} – schooljaar {year}-{year + 1}"
        else:
            created = at(self.today - days(rng.randint(3, 20)), 9)
            deadline = weekday(self.today + days(rng.randint(3, 20)))
            meeting = weekday(deadline + days(rng.randint(7, 14)))
            last_input = at(self.today - days(1), 20)
            title = f"Jaarlijkse meting – schooljaar {year}-{year + 1}"
        anonymous = rng.random() < 0.9
        present = [p for p in self.team if p.joined < created and "trainer_intern" not in p.roles]
        target = rng.randint(8, 13)
        people = self.core + rng.sample(present, min(len(present), max(1, target - len(self.core))))
        # Who filled in what: closed rounds nearly everyone submitted; the open one is under way, and its last
        # team member has not started yet (the fill-in page's benchmark logs in as them).
        states = []
        for _p in people:
            r = rng.random()
            if closed:
                states.append("submitted" if r < 0.9 else "draft" if r < 0.95 else "empty")
            else:
                states.append("submitted" if r < 0.4 else "draft" if r < 0.65 else "empty")
        if not closed:
            states[-1] = "empty"
        span = max(60, int((last_input - created).total_seconds()) - 3600)
        when = [created + datetime.timedelta(seconds=rng.randint(3600, span)) for _ in people]
        inputs = [t for t, s in zip(when, states, strict=True) if s != "empty"]
        submits = [t for t, s in zip(when, states, strict=True) if s == "submitted"]
        n_submitted = len(submits)
        shown = at(meeting, 8, 30) if closed and (n_submitted >= 3 or not anonymous) else None
        round_id = w[Round].add(
            school_id=self.school_id,
            model_version_id=c.version.pk,
            title=title,
            deadline=deadline,
            meeting_date=meeting,
            anonymous=anonymous,
            status=RoundStatus.CLOSED if closed else RoundStatus.OPEN,
            show_previous=rng.random() < 0.1,
            facilitator_id=self.trainer.id if rng.random() < 0.7 else None,
            created_by_id=rng.choice([self.lead, self.kartrekkers[0]]),
            created_at=created,
            closed_at=at(meeting, 17) if closed else None,
            first_submitted_at=min(submits) if submits else None,
            anonymity_locked_at=min(inputs) if anonymous and inputs else None,
        )
        votes: Counter = Counter()
        answers, priorities = w[Answer], w[Priority]
        codes = c.codes
        for p, state, moment in zip(people, states, when, strict=True):
            submitted = state == "submitted"
            pid = w[Participant].add(
                round_id=round_id,
                user_id=p.id,
                submitted_at=moment if submitted else None,
                reminded_at=at(deadline - days(3), 6) if not submitted and rng.random() < 0.5 else None,
                updated_at=moment - datetime.timedelta(minutes=2) if state != "empty" else None,
                shown_at=shown if submitted and shown else None,
                shown_role_group=p.role_group if submitted and shown else "",
                priorities_save_page="",
                priorities_save_seq=0,
            )
            if state == "empty":
                if self.print_participant and not closed and p is people[-1]:
                    c.logins.participant = c.email(p.id)
                continue
            saved = moment - datetime.timedelta(minutes=3)
            for code in codes if submitted else codes[:5]:
                phase = max(1, min(4, phases[code] + rng.choice((-1, 0, 0, 0, 1))))
                answers.add(
                    participant_id=pid,
                    accent_code=code,
                    phase=DONT_KNOW if rng.random() < 0.05 else phase,
                    strengths=rng.choice(STRENGTHS) if rng.random() < 0.7 else "",
                    goal=rng.choice(GOALS) if rng.random() < 0.6 else "",
                    updated_at=saved,
                    save_page="",
                    save_seq=0,
                )
            if submitted:
                chosen = sorted(codes, key=lambda code: phases[code] + 2 * rng.random())[:5]
                for rank, code in enumerate(chosen, start=1):
                    priorities.add(participant_id=pid, rank=rank, accent_code=code)
                    votes[code] += 6 - rank
        facts = RoundFacts(round_id, year, closed, meeting, at(meeting, 17) if closed else None)
        if closed:
            facts.priorities = [code for code, _n in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))][:5]
            ranks = {code: i for i, code in enumerate(facts.priorities, start=1)}
            for code in codes:
                phase = phases[code]
                facts.consensus[code] = phase
                priority = ranks.get(code)
                w[ConsensusItem].add(
                    round_id=round_id,
                    accent_code=code,
                    phase=phase,
                    phase_to=phase + 1 if phase < 4 and rng.random() < 0.1 else None,
                    differences=rng.choice(DIFFERENCES) if rng.random() < 0.3 else "",
                    strengths=rng.choice(STRENGTHS) if rng.random() < 0.8 else "",
                    next_steps=rng.choice(GOALS) if priority else "",
                    priority=priority,
                    updated_at=at(meeting, 16, rng.randint(0, 59)),
                    updated_by_id=self.kartrekkers[0],
                )
        return facts

    # the werkgroep's meetings

    def meetings(self) -> None:
        w, rng = self.w, self.rng
        closed = [f for f in self.round_facts if f.closed]
        self.meeting_days: list[tuple[int, datetime.date]] = []
        if not closed:
            return
        day = weekday(closed[0].meeting_date + days(21))
        times = (datetime.time(15, 15), datetime.time(16, 45))
        while True:
            past = day < self.today
            if not past and rng.random() < 0.3:
                break
            mid = w[Meeting].add(
                version=2 if past else 1,
                deleted_at=None,
                deleted_by_id=None,
                school_id=self.school_id,
                date=day,
                start_time=times[0],
                end_time=times[1],
                location=rng.choice(LOCATIONS),
                chair_id=self.kartrekkers[0],
                timekeeper_id=rng.choice(self.werkgroep),
                note_taker_id=rng.choice(self.werkgroep),
                minutes=rng.choice(MINUTES) if past and rng.random() < 0.7 else "",
                created_at=at(day - days(14), 12),
                created_by_id=self.kartrekkers[0],
                updated_at=at(day + days(1), 12) if past else at(day - days(14), 12),
            )
            self.meeting_days.append((mid, day))
            if not past:
                break
            day = weekday(day + days(rng.randint(35, 56)))
            if day.month in (7, 8):  # the summer holiday
                day = weekday(datetime.date(day.year, 9, 1) + days(rng.randint(0, 14)))

    def meeting_before(self, day: datetime.date) -> int | None:
        earlier = [mid for mid, d in self.meeting_days if d <= day]
        return earlier[-1] if earlier else None

    # the action plan

    def action_plan(self) -> None:
        rng, c = self.rng, self.c
        closed = [f for f in self.round_facts if f.closed]
        owners = [*self.kartrekkers, *self.werkgroep, self.lead] + ([self.intern] if self.intern else [])
        for facts in closed:
            age = c.current_year - facts.year  # 1: last school year's round, the plan the werkgroep works on now
            made = weekday(facts.meeting_date + days(rng.randint(7, 21)))
            for rank, code in enumerate(facts.priorities[: rng.randint(3, 5)], start=1):
                layer = c.layer_of[code]
                title = rng.choice(GOAL_TITLES[layer])
                monitored = rng.random() < 0.4
                goal_id = self.w[Goal].add(
                    version=rng.randint(1, 3),
                    deleted_at=None,
                    deleted_by_id=None,
                    school_id=self.school_id,
                    source_round_id=facts.id,
                    layer_code=layer,
                    accent_code=code,
                    start_phase=facts.consensus[code],
                    priority=rank,
                    title=title,
                    term=Term.SHORT if rank <= 3 else Term.LONG,
                    monitoring=rng.choice(MONITORING) if rng.random() < 0.5 else "",
                    monitored_by_id=rng.choice(self.werkgroep) if monitored else None,
                    feedback=rng.choice(FEEDBACK) if rng.random() < 0.3 else "",
                    created_at=at(made, 15),
                    created_by_id=self.kartrekkers[0],
                    updated_at=at(made, 15),
                    updated_by_id=self.kartrekkers[0],
                )
                term = Term(Term.SHORT if rank <= 3 else Term.LONG).label
                self.change(
                    goal_id,
                    None,
                    at(made, 15),
                    "created",
                    {
                        "title": ["", title],
                        "term": ["", str(term)],
                        "layer_code": ["", layer],
                        "accent_code": ["", code],
                        "start_phase": ["", str(facts.consensus[code])],
                    },
                )
                self.action(goal_id, layer, f"Eerste stap: {title}", "", made, age, owners, goal_title=title)
                for suggestion in rng.sample(c.suggestions[layer], min(len(c.suggestions[layer]), rng.randint(0, 2))):
                    self.action(goal_id, layer, suggestion.text[:300], suggestion.code, made, age, owners, title)
            for _ in range(rng.randint(0, 2)):  # an action on a layer without a goal of its own
                layer = rng.choice(list(c.suggestions))
                suggestion = rng.choice(c.suggestions[layer])
                self.action(None, layer, suggestion.text[:300], suggestion.code, made, age, owners, None)

    def action(self, goal_id, layer, title, suggestion_code, made, age, owners, goal_title) -> None:
        w, rng = self.w, self.rng
        r = rng.random()
        if age >= 2:
            status = (
                ActionStatus.DONE
                if r < 0.6
                else ActionStatus.CELEBRATED
                if r < 0.85
                else ActionStatus.IN_PROGRESS
                if r < 0.95
                else ActionStatus.PLANNED
            )
        else:
            status = (
                ActionStatus.PLANNED
                if r < 0.35
                else ActionStatus.IN_PROGRESS
                if r < 0.7
                else ActionStatus.DONE
                if r < 0.95
                else ActionStatus.CELEBRATED
            )
        created = at(made, 15, rng.randint(0, 59))
        due = made + days(rng.randint(30, 270))
        owner = rng.choice(owners) if rng.random() < 0.9 else None
        latest = self.now - days(1)
        changed = min(latest, created + days(rng.randint(7, 200))) if status != ActionStatus.PLANNED else created
        n_updates = rng.randint(0, 2) if status != ActionStatus.PLANNED else 0
        deleted = changed < self.now - days(30) and rng.random() < 0.01  # in the trash (restorable for 30 days)
        action_id = w[Action].add(
            version=1 + (status != ActionStatus.PLANNED) + n_updates,
            deleted_at=self.now - days(rng.randint(1, 25)) if deleted else None,
            deleted_by_id=self.kartrekkers[0] if deleted else None,
            school_id=self.school_id,
            goal_id=goal_id,
            layer_code=layer,
            title=title,
            owner_id=owner,
            due_date=due,
            monitoring=rng.choice(MONITORING) if rng.random() < 0.4 else "",
            status=status,
            suggestion_code=suggestion_code,
            meeting_id=self.meeting_before(made) if rng.random() < 0.2 else None,
            created_at=created,
            created_by_id=self.kartrekkers[0],
            updated_at=changed,
            updated_by_id=owner or self.kartrekkers[0],
        )
        finished = status in (ActionStatus.DONE, ActionStatus.CELEBRATED)
        n_steps = rng.choice([0, 0, 1, 2, 3, 4])
        for position, text in enumerate(rng.sample(STEP_TEXTS, n_steps)):
            done = finished or (status == ActionStatus.IN_PROGRESS and position < n_steps // 2)
            w[ActionStep].add(
                action_id=action_id,
                position=position,
                text=text,
                done_at=changed if done else None,
                done_by_id=(owner or self.kartrekkers[0]) if done else None,
            )
        for _ in range(n_updates):
            moment = created + (changed - created) * rng.random()
            w[ActionUpdate].add(
                action_id=action_id,
                author_id=owner or self.kartrekkers[0],
                meeting_id=self.meeting_before(moment.date()) if rng.random() < 0.3 else None,
                text=rng.choice(UPDATES),
                created_at=moment,
            )
        owner_name = self.c.names.get(owner, "") if owner else ""
        self.change(
            None,
            action_id,
            created,
            "created",
            {
                "title": ["", title],
                **({"goal": ["", goal_title]} if goal_title else {}),
                "layer_code": ["", layer],
                **({"owner": ["", owner_name]} if owner_name else {}),
                "due_date": ["", dutch_date(due)],
                "status": ["", str(ActionStatus.PLANNED.label)],
            },
        )
        if status != ActionStatus.PLANNED:
            self.change(
                None, action_id, changed, "status", {"status": [str(ActionStatus.PLANNED.label), str(status.label)]}
            )

    def change(self, goal_id, action_id, moment, kind, changes) -> None:
        self.w[PlanChange].add(
            school_id=self.school_id,
            goal_id=goal_id,
            action_id=action_id,
            actor_id=self.kartrekkers[0],
            kind=kind,
            changes=changes,
            created_at=moment,
        )

    # the route

    def route(self) -> None:
        w, rng, c = self.w, self.rng, self.c
        start = self.training_start
        begun = at(add_months(start, -9) - days(7), 10)
        trajectory_id = w[Trajectory].add(
            version=1,
            school_id=self.school_id,
            training_start=start,
            content_version=c.route.version,
            created_at=begun,
            created_by_id=self.lead,
            updated_at=begun,
        )
        from_training = {}  # trajectory.training_dates: the plan's sessions date the linked steps
        for code, (start_kinds, due_kinds) in LINKED_STEPS.items():
            due_kind = next((k for k in due_kinds if k in self.session_dates), None)
            if due_kind is not None:
                start_kind = next((k for k in start_kinds if k in self.session_dates), None)
                from_training[code] = (
                    min(self.session_dates[start_kind]) if start_kind else None,
                    max(self.session_dates[due_kind]),
                )
        who = {
            "lead": [self.lead],
            "kartrekker": self.kartrekkers,
            "werkgroep": self.werkgroep,
            "trainer": [self.trainer.id],
            "intern": [self.intern] if self.intern else self.kartrekkers,
        }
        finished_before = self.today - days(14)
        for content in c.route.steps:
            first, due = step_dates(start, content)
            synced = 0
            if content.code in from_training:
                session_start, session_due = from_training[content.code]
                new = (session_start if session_start is not None else min(first, session_due), session_due)
                synced = int(new != (first, due))
                first, due = new
            owner = rng.choice(who[STEP_OWNERS.get(content.code, "kartrekker")])
            occurrence = 1
            while True:
                r = rng.random()
                if due < finished_before:
                    status = StepStatus.DONE if r < 0.9 else StepStatus.NOT_APPLICABLE if r < 0.93 else StepStatus.OPEN
                else:
                    status = StepStatus.OPEN
                finished = None if status == StepStatus.OPEN else at(max(first, due - days(rng.randint(0, 14))), 16)
                w[Step].add(
                    version=1 + synced + (status != StepStatus.OPEN or owner is not None),
                    trajectory_id=trajectory_id,
                    code=content.code,
                    occurrence=occurrence,
                    start_date=first,
                    due_date=due,
                    dates_moved=False,
                    owner_id=owner,
                    status=status,
                    note=rng.choice(STEP_NOTES) if rng.random() < 0.05 else "",
                    finished_at=finished,
                    finished_by_id=owner if finished else None,
                    updated_at=finished or begun,
                    updated_by_id=owner if finished else self.lead,
                )
                if status == StepStatus.OPEN or not content.repeat_months:
                    break
                # A yearly step that is finished comes back a year later (trajectory.services._next_occurrence).
                occurrence += 1
                first, due = add_months(first, content.repeat_months), add_months(due, content.repeat_months)
                synced = 0


def role_group_of(roles: set[str]) -> str:
    """organisations.rolegroups.role_group for a set of roles."""
    if "schoolleiding" in roles:
        return RoleGroup.SCHOOLLEIDING
    if roles & {"kartrekker", "werkgroeplid"}:
        return RoleGroup.WERKGROEP
    if roles & {"trainer_intern", "trainer_extern"}:
        return RoleGroup.TRAINERS
    return RoleGroup.TEAM


def has_data() -> bool:
    """Whether the database already holds schools or people (the seed then refuses without --force)."""
    return School.objects.exists() or User.objects.exists()


def vacuum_analyze(out: Callable) -> None:
    """PostgreSQL: visibility maps and planner statistics for the new rows, as a database that has been running
    for a while has them (autovacuum would get there too, later). Outside a transaction."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in MODELS:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
    out("VACUUM (ANALYZE) klaar")


def table_counts() -> list[tuple[str, int]]:
    return [(model._meta.db_table, model._default_manager.count()) for model in MODELS]


def seed(*, schools: int, years: int, seed: int, today: datetime.date, batch: int, out: Callable) -> Logins:
    """Fill the database with the country (see the module's docstring); returns the logins to print."""
    country = Country(schools=schools, years=years, seed=seed, today=today, batch=batch, out=out)
    return country.run()
