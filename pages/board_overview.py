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

from django.db.models import Case, Count, IntegerField, Max, Q, Value, When
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actionplans.models import OPEN_STATUSES, Action, ActionStatus, Goal, Meeting, Term
from actionplans.overview import meeting_is_overdue
from assessments.growth import growth_counts_sql
from assessments.models import Round, RoundStatus
from core.fasturls import fast_reverse
from core.prepared import PreparedQuery, PreparedSQL, instances, sql_of
from organisations.models import School
from training.overview import TrainingProgress, current_school_year, progress_from, progress_sql
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
    training = progress_from(TRAINING.rows(board=board.pk, year=current_school_year(today), today=today))
    for school_id, progress in training.items():
        rows[school_id].training = progress
    return list(rows.values())


# The table's cells -------------------------------------------------------------------------------------------
# A board of 200 schools has 1,200 cells with 800 links and texts that count (plurals, dates): made here with
# format_html instead of a template tag per value; board.html holds the table around them (caption, headers, the
# empty state). The markup is the same the template gave: badges that say it in words, a hidden school name in the
# growth link, nothing but counts.


def _day(value: datetime.date, months: dict) -> str:
    """The date as the template's date:"j F Y" gives it ("14 oktober 2026"), without a formatter per date."""
    return f"{value.day} {months[value.month]} {value.year}"


def _muted(text) -> str:
    return format_html('<span class="gw-muted">{}</span>', text)


def _badge(kind: str, text) -> str:
    return format_html('<span class="gw-badge gw-badge--{}">{}</span>', kind, text)


def _route_cell(row: SchoolRow, words: dict) -> str:
    if not row.has_route or row.phase is None:
        return _muted(words["no_route"])
    link = format_html(
        '<a class="utrecht-link" href="{}">{}</a>',
        fast_reverse("trajectory:overview", [row.school.pk]),
        _("Fase %(n)s: %(name)s") % {"n": row.phase.number, "name": row.phase.name},
    )
    if not row.late_steps:
        return link
    late = ngettext("%(n)s stap te laat", "%(n)s stappen te laat", row.late_steps) % {"n": row.late_steps}
    return format_html("{}<br>{}", link, _badge("late", late))


def _training_cell(row: SchoolRow, words: dict) -> str:
    t = row.training
    if t is None:
        return _muted(words["no_training"])
    if not t.begun:
        return _muted(_("Teamtraining %(year)s nog niet begonnen") % {"year": t.school_year_label})
    if t.still_to_train:
        return _badge("warn", _("%(n)s van %(total)s nog te trainen") % {"n": t.still_to_train, "total": t.team})
    return _badge("ok", _("Alle %(total)s getraind") % {"total": t.team})


def _rounds_cell(row: SchoolRow, words: dict, months: dict) -> str:
    pk = row.school.pk
    parts = []
    if row.rounds:
        items = format_html_join(
            "",
            '<li><a class="utrecht-link" href="{}">{}</a> <span class="gw-small gw-muted">({})</span></li>',
            (
                (
                    fast_reverse("assessments:result", [pk, r.pk]),
                    r.title,
                    _day(timezone.localtime(r.closed_at).date(), months) if r.closed_at else "",
                )
                for r in row.rounds
            ),
        )
        parts.append(format_html("<ul>{}</ul>", items))
        if row.grown or row.lowered or row.same:
            growth = [ngettext("%(n)s accent gegroeid", "%(n)s accenten gegroeid", row.grown) % {"n": row.grown}]
            if row.lowered:
                growth.append(ngettext("%(n)s lager", "%(n)s lager", row.lowered) % {"n": row.lowered})
            growth.append(ngettext("%(n)s gelijk", "%(n)s gelijk", row.same) % {"n": row.same})
            parts.append(format_html('<span class="gw-small">{}</span><br>', ", ".join(growth)))
    else:
        parts.append(format_html("{}<br>", _muted(words["no_rounds"])))
    parts.append(
        format_html(
            '<a class="utrecht-link" href="{}">{}<span class="visually-hidden"> ({})</span></a>',
            fast_reverse("assessments:growth", [pk]),
            words["growth_link"],
            row.school.name,
        )
    )
    return mark_safe("".join(parts))  # noqa: S308 (each part made by format_html)


def _plan_cell(row: SchoolRow) -> str:
    goals = row.short_goals + row.long_goals
    parts = [
        format_html(
            '<a class="utrecht-link" href="{}">{}</a>',
            fast_reverse("actionplans:plan", [row.school.pk]),
            ngettext("%(n)s doel", "%(n)s doelen", goals) % {"n": goals},
        )
    ]
    if row.short_goals:
        short = _("%(n)s korte termijn") % {"n": row.short_goals}
        parts.append(format_html(' <span class="gw-small gw-muted">({})</span>', short))
    if row.n_actions:
        actions = ngettext(
            "%(n)s actiepunt, %(done)s afgerond", "%(n)s actiepunten, %(done)s afgerond", row.n_actions
        ) % {"n": row.n_actions, "done": row.n_finished}
        parts.append(format_html("<br>{}", actions))
    if row.overdue:
        late = ngettext("%(n)s actiepunt te laat", "%(n)s actiepunten te laat", row.overdue) % {"n": row.overdue}
        parts.append(format_html("<br>{}", _badge("late", late)))
    return mark_safe("".join(parts))  # noqa: S308 (each part made by format_html)


def _meeting_cell(row: SchoolRow, words: dict, months: dict) -> str:
    if not row.last_meeting:
        return _muted(words["no_meeting"])
    last = _("Laatst bijeen: %(d)s") % {"d": _day(row.last_meeting, months)}
    if row.meeting_overdue:
        return format_html("{}<br>{}", last, _badge("warn", words["meeting_warning"]))
    return format_html("{}", last)


def table_rows(rows: list[SchoolRow]) -> str:
    """The table body's rows (board.html puts them in the table)."""
    words = {  # the texts every row may repeat, translated once
        "no_route": _("Nog geen traject gepland"),
        "no_training": _("Nog geen trainingsplan"),
        "no_rounds": _("Nog geen afgesloten rondes"),
        "growth_link": _("Groei door de jaren"),
        "no_meeting": _("Nog geen bijeenkomst"),
        "meeting_warning": _("Langer dan zes weken geleden"),
    }
    months = {n: str(name) for n, name in MONTHS.items()}
    return format_html_join(
        "",
        '<tr><th scope="row">{}<br><span class="gw-small gw-muted">{}</span></th>'
        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                row.school.name,
                row.school.get_education_type_display(),
                _route_cell(row, words),
                _training_cell(row, words),
                _rounds_cell(row, words, months),
                _plan_cell(row),
                _meeting_cell(row, words, months),
            )
            for row in rows
        ),
    )
