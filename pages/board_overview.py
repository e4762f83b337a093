"""What a board member sees of each of its schools, in one table: where the route is, the closed rounds and the
growth between the first and the newest, how the action plan is doing, when the werkgroep last met and how many
still need the team training (counts only, training.overview.training_progress).

School-level facts only (no individual answers, no names): the same things a board member may open per school.
Everything is counted in the database, a fixed number of queries whatever the number of schools (issue 15: a board
of 200 schools): one query of per-school subqueries (route, plan, meetings), the closed rounds, the growth between
the first and the newest (assessments.growth.growth_counts_sql) and one for the team training. Each is built once per
process (core.prepared). The table's cells are made here (table_rows), not by template tags per value.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from html import escape as esc

from django.db.models import Case, Count, IntegerField, Max, Q, Value, When
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, ngettext_lazy

from actionplans.models import OPEN_STATUSES, Action, ActionStatus, Goal, Meeting, Term
from actionplans.overview import meeting_is_overdue
from assessments.growth import growth_counts_sql
from assessments.models import Round, RoundStatus
from core.dates import school_year_of
from core.fasturls import url_function
from core.prepared import PreparedQuery, PreparedSQL, instances, sql_of
from organisations.models import EducationType, School
from training.overview import TrainingProgress, progress_from, progress_sql
from trajectory.content import Phase, load_route
from trajectory.models import Step, StepStatus, Trajectory


@dataclass
class ClosedRound:
    pk: int
    title: str
    closed_at: datetime.datetime | None


@dataclass
class SchoolRow:
    school: School  # only its id, name and onderwijstype loaded
    rounds: list = field(default_factory=list)  # closed rounds, newest first
    has_route: bool = False
    phase: Phase | None = None  # the route's current phase (trajectory content), None without a route
    late_steps: int = 0
    short_goals: int = 0
    long_goals: int = 0
    actions: dict = field(default_factory=dict)  # status value → count
    overdue: int = 0
    last_meeting: datetime.date | None = None
    meeting_overdue: bool = False
    grown: int = 0  # accents agreed higher in the newest closed round than in the first (two rounds or more)
    lowered: int = 0
    same: int = 0
    training: TrainingProgress | None = None  # the newest training plan up to this school year, counts only

    @property
    def n_actions(self) -> int:
        return sum(self.actions.values())

    @property
    def n_finished(self) -> int:
        return self.actions.get(ActionStatus.DONE, 0) + self.actions.get(ActionStatus.CELEBRATED, 0)


# The queries -----------------------------------------------------------------------------------------------


def _schools_sql(p):
    """Per school of the board (by name): the route (its current phase as the content order of the last step begun,
    the late steps), the goals and actions, and the werkgroep's last meeting; p: board, today. Each of those is one
    aggregate over the board's rows (GROUP BY school), joined to the schools: one pass each, however many schools."""
    route = load_route()
    order = Case(*[When(code=s.code, then=Value(s.order)) for s in route.steps], output_field=IntegerField())
    schools = School.objects.filter(board=p.board)
    parts = {
        "s(id, name, education_type)": schools.values("pk", "name", "education_type"),
        "tr(school_id)": Trajectory.objects.filter(school__in=schools).values("school"),
        "st(school_id, route_order, late)": Step.objects.filter(
            trajectory__school__in=schools, code__in=[s.code for s in route.steps]
        )
        .values("trajectory__school")
        .annotate(
            o=Max(order, filter=Q(start_date__lte=p.today)),
            late=Count("pk", filter=Q(status=StepStatus.OPEN, due_date__lt=p.today)),
        ),
        "g(school_id, short, long)": Goal.objects.alive()
        .filter(school__in=schools)
        .values("school")
        .annotate(short=Count("pk", filter=Q(term=Term.SHORT)), long=Count("pk", filter=Q(term=Term.LONG))),
        f"a(school_id, {', '.join(f'a_{s}' for s in ActionStatus.values)}, overdue)": Action.objects.alive()
        .filter(school__in=schools)
        .values("school")
        .annotate(
            **{f"a_{s}": Count("pk", filter=Q(status=s)) for s in ActionStatus.values},
            overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_date__lt=p.today)),
        ),
        "m(school_id, last)": Meeting.objects.filter(school__in=schools, date__lte=p.today)
        .values("school")
        .annotate(last=Max("date")),
    }
    params: list = []
    clauses = []
    for name, queryset in parts.items():
        sql, part_params = sql_of(queryset.order_by())
        clauses.append(f"{name} AS ({sql})")
        params += part_params
    actions = ", ".join(f"COALESCE(a.a_{s}, 0) AS actions_{s}" for s in ActionStatus.values)
    sql = (
        f"WITH {', '.join(clauses)} "  # noqa: S608 (the models' names and fixed SQL; values are parameters)
        "SELECT s.id AS pk, s.name AS name, s.education_type AS education_type, "
        "CASE WHEN tr.school_id IS NULL THEN 0 ELSE 1 END AS has_route, st.route_order AS route_order, "
        "COALESCE(st.late, 0) AS late_steps, COALESCE(g.short, 0) AS short_goals, COALESCE(g.long, 0) AS long_goals, "
        f"{actions}, COALESCE(a.overdue, 0) AS overdue, m.last AS last_meeting "
        "FROM s LEFT JOIN tr ON tr.school_id = s.id LEFT JOIN st ON st.school_id = s.id "
        "LEFT JOIN g ON g.school_id = s.id LEFT JOIN a ON a.school_id = s.id LEFT JOIN m ON m.school_id = s.id "
        "ORDER BY s.name, s.id"
    )
    return sql, params


SCHOOLS = PreparedSQL(_schools_sql, ints=("board",), dates=("today",), date_columns=("last_meeting",))
ROUNDS = PreparedQuery(
    lambda p: (
        Round.objects.filter(school__board=p.board, status=RoundStatus.CLOSED)
        .order_by("-closed_at", "-id")
        .values("pk", "school_id", "title", "closed_at")
    ),
    ints=("board",),
)
GROWTH = PreparedSQL(lambda p: growth_counts_sql(School.objects.filter(board=p.board).values("pk")), ints=("board",))
TRAINING = PreparedSQL(
    lambda p: progress_sql(School.objects.filter(board=p.board).values("pk"), today=p.today, school_year=p.year),
    ints=("board", "year"),
    dates=("today",),
)


def board_overview(board, *, today: datetime.date | None = None) -> list[SchoolRow]:
    """One row per school of the board, by name (four queries)."""
    today = today or timezone.localdate()
    route = load_route()
    step_at = {s.order: s for s in route.steps}
    rows: dict[int, SchoolRow] = {}
    for f in SCHOOLS.rows(board=board.pk, today=today):
        [school] = instances(School, [{"id": f["pk"], "name": f["name"], "education_type": f["education_type"]}])
        row = rows[f["pk"]] = SchoolRow(
            school=school,
            has_route=bool(f["has_route"]),
            late_steps=f["late_steps"] if f["has_route"] else 0,
            short_goals=f["short_goals"],
            long_goals=f["long_goals"],
            actions={s: f[f"actions_{s}"] for s in ActionStatus.values if f[f"actions_{s}"]},
            overdue=f["overdue"],
            last_meeting=f["last_meeting"],
        )
        if row.has_route:  # the phase of the last step (in handbook order) that has begun, else the first phase
            begun = step_at.get(f["route_order"]) if f["route_order"] is not None else None
            row.phase = route.phase(begun.phase) if begun else route.phases[0]
        days = (today - row.last_meeting).days if row.last_meeting else None
        open_actions = sum(n for status, n in row.actions.items() if status in OPEN_STATUSES)
        row.meeting_overdue = meeting_is_overdue(days, short_goals=row.short_goals, open_actions=open_actions)
    for r in ROUNDS.rows(board=board.pk):
        rows[r["school_id"]].rounds.append(ClosedRound(pk=r["pk"], title=r["title"], closed_at=r["closed_at"]))
    for g in GROWTH.rows(board=board.pk):
        row = rows[g["school_id"]]
        row.grown, row.lowered, row.same = g["grown"], g["lowered"], g["same"]
    training = progress_from(TRAINING.rows(board=board.pk, year=school_year_of(today), today=today))
    for school_id, progress in training.items():
        rows[school_id].training = progress
    return list(rows.values())


# The table's cells -------------------------------------------------------------------------------------------
# A board of 200 schools has 1,200 cells with 800 links and texts that count (plurals, dates): made here in Python
# instead of by template tags per value (board.html holds the table around them: caption, headers, the empty state).
# Every value is escaped (html.escape, as Django's escape); the markup is the same the template gave: badges that say
# it in words, a hidden school name in the growth link, nothing but counts.


# The texts of the cells (lazy: translated when used; found by makemessages)
NO_ROUTE = gettext_lazy("Nog geen traject gepland")
NO_TRAINING = gettext_lazy("Nog geen trainingsplan")
NO_ROUNDS = gettext_lazy("Nog geen afgesloten rondes")
GROWTH_LINK = gettext_lazy("Groei door de jaren")
NO_MEETING = gettext_lazy("Nog geen bijeenkomst")
MEETING_WARNING = gettext_lazy("Langer dan zes weken geleden")
PHASE = gettext_lazy("Fase %(n)s: %(name)s")
LATE_STEPS = ngettext_lazy("%(n)s stap te laat", "%(n)s stappen te laat", "n")
NOT_BEGUN = gettext_lazy("Teamtraining %(year)s nog niet begonnen")
STILL_TO_TRAIN = gettext_lazy("%(n)s van %(total)s nog te trainen")
ALL_TRAINED = gettext_lazy("Alle %(total)s getraind")
GROWN = ngettext_lazy("%(n)s accent gegroeid", "%(n)s accenten gegroeid", "n")
LOWERED = ngettext_lazy("%(n)s lager", "%(n)s lager", "n")
SAME = ngettext_lazy("%(n)s gelijk", "%(n)s gelijk", "n")
GOALS = ngettext_lazy("%(n)s doel", "%(n)s doelen", "n")
SHORT_TERM = gettext_lazy("%(n)s korte termijn")
ACTIONS = ngettext_lazy("%(n)s actiepunt, %(done)s afgerond", "%(n)s actiepunten, %(done)s afgerond", "n")
LATE_ACTIONS = ngettext_lazy("%(n)s actiepunt te laat", "%(n)s actiepunten te laat", "n")
LAST_MEETING = gettext_lazy("Laatst bijeen: %(d)s")


class _Words:
    """The cells' texts, each translated and filled in once per page (many schools have the same counts)."""

    def __init__(self):
        self.months = {n: str(name) for n, name in MONTHS.items()}
        self._seen: dict = {}

    def __call__(self, message, **values) -> str:
        key = (id(message), *values.values())
        text = self._seen.get(key)
        if text is None:
            text = self._seen[key] = str(message % values) if values else str(message)
        return text

    def day(self, value: datetime.date) -> str:
        """The date as the template's date:"j F Y" gives it ("14 oktober 2026")."""
        return f"{value.day} {self.months[value.month]} {value.year}"

    def closed(self, value: datetime.datetime | None) -> str:
        return self.day(timezone.localtime(value).date()) if value else ""


def _muted(text: str) -> str:
    return f'<span class="gw-muted">{esc(text)}</span>'


def _badge(kind: str, text: str) -> str:
    return f'<span class="gw-badge gw-badge--{kind}">{esc(text)}</span>'


def _route_cell(row: SchoolRow, words: _Words, url) -> str:
    if not row.has_route or row.phase is None:
        return _muted(words(NO_ROUTE))
    phase = words(PHASE, n=row.phase.number, name=row.phase.name)
    link = f'<a class="utrecht-link" href="{esc(url(row.school.pk))}">{esc(phase)}</a>'
    if not row.late_steps:
        return link
    return link + "<br>" + _badge("late", words(LATE_STEPS, n=row.late_steps))


def _training_cell(row: SchoolRow, words: _Words) -> str:
    t = row.training
    if t is None:
        return _muted(words(NO_TRAINING))
    if not t.begun:
        return _muted(words(NOT_BEGUN, year=t.school_year_label))
    if t.still_to_train:
        return _badge("warn", words(STILL_TO_TRAIN, n=t.still_to_train, total=t.team))
    return _badge("ok", words(ALL_TRAINED, total=t.team))


def _rounds_cell(row: SchoolRow, words: _Words, result_url, growth_url) -> str:
    pk = row.school.pk
    parts = []
    if row.rounds:
        items = "".join(
            f'<li><a class="utrecht-link" href="{esc(result_url(pk, r.pk))}">{esc(r.title)}</a> '
            f'<span class="gw-small gw-muted">({esc(words.closed(r.closed_at))})</span></li>'
            for r in row.rounds
        )
        parts.append(f"<ul>{items}</ul>")
        if row.grown or row.lowered or row.same:
            growth = [words(GROWN, n=row.grown)]
            if row.lowered:
                growth.append(words(LOWERED, n=row.lowered))
            growth.append(words(SAME, n=row.same))
            parts.append(f'<span class="gw-small">{esc(", ".join(growth))}</span><br>')
    else:
        parts.append(_muted(words(NO_ROUNDS)) + "<br>")
    parts.append(
        f'<a class="utrecht-link" href="{esc(growth_url(pk))}">{esc(words(GROWTH_LINK))}'
        f'<span class="visually-hidden"> ({esc(row.school.name)})</span></a>'
    )
    return "".join(parts)


def _plan_cell(row: SchoolRow, words: _Words, url) -> str:
    goals = words(GOALS, n=row.short_goals + row.long_goals)
    parts = [f'<a class="utrecht-link" href="{esc(url(row.school.pk))}">{esc(goals)}</a>']
    if row.short_goals:
        short = words(SHORT_TERM, n=row.short_goals)
        parts.append(f' <span class="gw-small gw-muted">({esc(short)})</span>')
    if row.n_actions:
        actions = words(ACTIONS, n=row.n_actions, done=row.n_finished)
        parts.append(f"<br>{esc(actions)}")
    if row.overdue:
        late = words(LATE_ACTIONS, n=row.overdue)
        parts.append("<br>" + _badge("late", late))
    return "".join(parts)


def _meeting_cell(row: SchoolRow, words: _Words) -> str:
    if not row.last_meeting:
        return _muted(words(NO_MEETING))
    last = esc(words(LAST_MEETING, d=words.day(row.last_meeting)))
    if row.meeting_overdue:
        return last + "<br>" + _badge("warn", words(MEETING_WARNING))
    return last


def table_rows(rows: list[SchoolRow]) -> str:
    """The table body's rows (board.html puts them in the table)."""
    words = _Words()
    education = {value: str(label) for value, label in EducationType.choices}
    route_url, plan_url = url_function("trajectory:overview", 1), url_function("actionplans:plan", 1)
    result_url, growth_url = url_function("assessments:result", 2), url_function("assessments:growth", 1)
    html = "".join(
        f'<tr><th scope="row">{esc(row.school.name)}<br><span class="gw-small gw-muted">'
        f"{esc(education.get(row.school.education_type, row.school.education_type))}</span></th>"
        f"<td>{_route_cell(row, words, route_url)}</td><td>{_training_cell(row, words)}</td>"
        f"<td>{_rounds_cell(row, words, result_url, growth_url)}</td><td>{_plan_cell(row, words, plan_url)}</td>"
        f"<td>{_meeting_cell(row, words)}</td></tr>"
        for row in rows
    )
    return mark_safe(html)  # noqa: S308 (every value above is escaped)
