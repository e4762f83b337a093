"""Growth over the years on the Ontwikkelmodel: the agreed phase of every accent in each closed round, in time order,
with how the individual answers moved (handbook ch. 6: "jaarlijks samen naar de opbrengsten van het beleid en het
actieplan kijken").

The same figures as each round's result page, and no more: the agreed phase for everyone who may see the school
(board members too); the individual distribution (counts per phase, never who) only for members of the school, and
in an anonymous round only from its shown set and only when that holds at least MIN_ANONYMOUS_GROUP submissions,
as its consensus view showed it. A fixed number of queries, whatever the number of rounds or participants.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time

from django.db.models import Count, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from ontwikkelmodel.content import Accent, Layer, Model
from ontwikkelmodel.models import ModelVersion

from .models import DONT_KNOW, MIN_ANONYMOUS_GROUP, Answer, ConsensusItem, Participant, Round, RoundStatus

PHASES = (1, 2, 3, 4)


@dataclass
class Mark:
    """One accent in one closed round."""

    round: Round
    phase: int | None  # the agreed phase (the lower end of a range); None when the round agreed none
    counts: dict[int, int] | None = None  # phase → number of answers; None when the distribution is not shown
    dont_know: int = 0
    phase_to: int | None = None  # phases running through each other: the upper end ("fase 2-3")

    @property
    def label(self) -> str:
        """ "2", or "2-3" for a range; "" when nothing was agreed."""
        if self.phase is None:
            return ""
        return f"{self.phase}-{self.phase_to}" if self.phase_to else str(self.phase)

    def covers(self, phase: int) -> bool:
        return self.phase is not None and self.phase <= phase <= (self.phase_to or self.phase)

    @property
    def answered(self) -> int:
        return sum(self.counts.values()) if self.counts else 0

    @property
    def low(self) -> int | None:
        return min((p for p in PHASES if self.counts and self.counts[p]), default=None)

    @property
    def high(self) -> int | None:
        return max((p for p in PHASES if self.counts and self.counts[p]), default=None)


@dataclass
class AccentGrowth:
    accent: Accent
    marks: list[Mark]  # one per closed round, oldest first
    goals: list = field(default_factory=list)  # filled in by the page on top: the plan's goals on this accent

    @property
    def agreed(self) -> list[Mark]:
        return [m for m in self.marks if m.phase is not None]

    @property
    def first(self) -> Mark | None:
        return self.agreed[0] if self.agreed else None

    @property
    def last(self) -> Mark | None:
        return self.agreed[-1] if self.agreed else None

    @property
    def change(self) -> int | None:
        """Phases gained (negative: lost) from the first to the last agreed phase; None with fewer than two."""
        if len(self.agreed) < 2:
            return None
        return self.agreed[-1].phase - self.agreed[0].phase  # type: ignore[operator]

    @property
    def distance(self) -> int | None:
        """The size of the change, without its direction (the page says "gegroeid" or "lager")."""
        return None if self.change is None else abs(self.change)

    def marks_in_phase(self, phase: int) -> list[Mark]:
        """The rounds that agreed this phase, a range that covers it included."""
        return [m for m in self.marks if m.covers(phase)]

    @property
    def slots(self) -> list[tuple[int, list[Mark]]]:
        """(phase, the rounds that agreed it) for the chart: one slot per phase, the rounds named in it."""
        return [(p, self.marks_in_phase(p)) for p in PHASES]


@dataclass
class LayerGrowth:
    layer: Layer
    accents: list[AccentGrowth]
    modules: list = field(default_factory=list)  # filled in by the page on top: training modules (Tabel 1.2)


@dataclass
class Growth:
    rounds: list[Round]  # closed, oldest first
    layers: list[LayerGrowth] = field(default_factory=list)
    show_distribution: bool = False  # members: True; board viewers: False
    hidden_rounds: list[Round] = field(default_factory=list)  # anonymous rounds whose distribution is not shown

    @property
    def accents(self) -> list[AccentGrowth]:
        return [a for layer in self.layers for a in layer.accents]

    def accent(self, code: str) -> AccentGrowth | None:
        return next((a for a in self.accents if a.accent.code == code), None)


def closed_rounds(school) -> list[Round]:
    """The school's closed rounds, oldest first (by the date of the consensus meeting, else the closing)."""
    rounds = list(Round.objects.filter(school=school, status=RoundStatus.CLOSED).select_related("model_version"))
    return sorted(rounds, key=lambda r: (round_date(r), r.pk))


def rounds_up_to(round_: Round) -> list[Round]:
    """The school's closed rounds up to and including ``round_``, oldest first (for its result page and exports)."""
    rounds = closed_rounds(round_.school)
    return [r for r in rounds if (round_date(r), r.pk) <= (round_date(round_), round_.pk)]


def round_date(round_: Round):
    return round_.meeting_date or timezone.localdate(round_.closed_at or round_.created_at)


def _distributions(rounds: list[Round]) -> tuple[dict, set[int]]:
    """(round id, accent code, phase) → count, from each round's shown set, and the ids of the rounds whose
    distribution may be shown. Named rounds: the submitted answers, as their result page. Anonymous rounds: the
    frozen shown set, and only from MIN_ANONYMOUS_GROUP shown submissions up. Two queries."""
    if not rounds:
        return {}, set()
    anonymous = [r.pk for r in rounds if r.anonymous]
    named = [r.pk for r in rounds if not r.anonymous]
    counted = Q(round_id__in=named, submitted_at__isnull=False) | Q(round_id__in=anonymous, shown_at__isnull=False)
    group_sizes = dict(
        Participant.objects.filter(counted).values_list("round_id").annotate(n=Count("id")).values_list("round_id", "n")
    )
    visible = {r.pk for r in rounds if not r.anonymous or group_sizes.get(r.pk, 0) >= MIN_ANONYMOUS_GROUP}
    answers_counted = Q(
        participant__round_id__in=[pk for pk in named if pk in visible], participant__submitted_at__isnull=False
    ) | Q(participant__round_id__in=[pk for pk in anonymous if pk in visible], participant__shown_at__isnull=False)
    rows = (
        Answer.objects.filter(answers_counted)
        .values_list("participant__round_id", "accent_code", "phase")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(rid, code, phase): n for rid, code, phase, n in rows}, visible


def school_growth(school, *, include_individual: bool, rounds: list[Round] | None = None) -> Growth:
    """The growth of one school over its closed rounds. ``include_individual``: the school's members (counts per
    phase where the round showed them); False for board viewers (agreed phases only)."""
    rounds = closed_rounds(school) if rounds is None else rounds
    growth = Growth(rounds=rounds, show_distribution=include_individual)
    if not rounds:
        return growth
    agreed: dict[tuple[int, str], tuple[int | None, int | None]] = {
        (rid, code): (phase, phase_to)
        for rid, code, phase, phase_to in ConsensusItem.objects.filter(round__in=[r.pk for r in rounds]).values_list(
            "round_id", "accent_code", "phase", "phase_to"
        )
    }
    counts, visible = _distributions(rounds) if include_individual else ({}, set())
    if include_individual:
        growth.hidden_rounds = [r for r in rounds if r.pk not in visible]
    model = _latest_model(rounds)
    for layer in model.layers:
        accents = []
        for accent in layer.accents:
            marks = []
            for round_ in rounds:
                phase, phase_to = agreed.get((round_.pk, accent.code), (None, None))
                mark = Mark(round=round_, phase=phase or None, phase_to=phase_to if phase else None)
                if round_.pk in visible:
                    mark.counts = {p: counts.get((round_.pk, accent.code, p), 0) for p in PHASES}
                    mark.dont_know = counts.get((round_.pk, accent.code, DONT_KNOW), 0)
                marks.append(mark)
            accents.append(AccentGrowth(accent=accent, marks=marks))
        growth.layers.append(LayerGrowth(layer=layer, accents=accents))
    return growth


def _latest_model(rounds: list[Round]) -> Model:
    """The Ontwikkelmodel of the newest round gives the rows; accents are matched by code across versions."""
    newest = rounds[-1]
    version = newest.model_version if "model_version" in newest._state.fields_cache else None
    if version is None:
        version = ModelVersion.objects.get(pk=newest.model_version_id)
    return version.model


def round_date_expression():
    """round_date as SQL: the consensus meeting's date, else the (local) day the round closed, else was made."""
    return Coalesce("meeting_date", TruncDate(Coalesce("closed_at", "created_at")))


def growth_counts_sql(schools) -> tuple[str, list]:
    """For the board page: per school of ``schools`` (a queryset of School ids) with two closed rounds or more, how
    many accents the newest closed round agreed higher, lower or the same as the first (in time order, as on the growth
    page: round_date, then id); agreed phases only (the lower end of a range), counted in the database in one query.
    Columns: school_id, grown, lowered, same. (Written out: the first and the newest round per school by a window
    function, which the ORM cannot join on.)"""
    from django.db import connection

    from core.prepared import sql_of

    closed_sql, params = sql_of(
        Round.objects.filter(school__in=schools, status=RoundStatus.CLOSED)
        .annotate(day=round_date_expression())
        .order_by()
        .values("pk", "school", "day")
    )
    items = connection.ops.quote_name(ConsensusItem._meta.db_table)
    counts = ", ".join(
        f"SUM(CASE WHEN li.phase {op} fi.phase THEN 1 ELSE 0 END) AS {name}"
        for name, op in (("grown", ">"), ("lowered", "<"), ("same", "="))
    )
    sql = (
        f"WITH closed(id, school_id, day) AS ({closed_sql}), "  # noqa: S608 (names from the models, values as parameters)
        "ranked AS (SELECT id, school_id, "
        "ROW_NUMBER() OVER (PARTITION BY school_id ORDER BY day, id) AS nr_first, "
        "ROW_NUMBER() OVER (PARTITION BY school_id ORDER BY day DESC, id DESC) AS nr_last FROM closed) "
        f"SELECT fr.school_id AS school_id, {counts} "
        "FROM ranked fr JOIN ranked lr ON lr.school_id = fr.school_id AND lr.nr_last = 1 AND lr.id <> fr.id "
        f"JOIN {items} fi ON fi.round_id = fr.id AND fi.phase IS NOT NULL "
        f"JOIN {items} li ON li.round_id = lr.id AND li.accent_code = fi.accent_code AND li.phase IS NOT NULL "
        "WHERE fr.nr_first = 1 GROUP BY fr.school_id"
    )
    return sql, params


@dataclass
class Previous:
    """What the team agreed on one accent in the round before: the context of a new round's conversation."""

    round: Round
    phase: int | None
    priority: int | None
    next_steps: str
    label: str = ""  # "2" or "2-3"


@dataclass
class PlanGoal:
    """A goal the school set in its plan on one accent since the round before: context beside "Vorige keer". Plain
    values, made by the plan (actionplans registers the provider, see register_goals_since): this app does not
    know the plan."""

    title: str
    actions_done: int  # afgerond or gevierd
    actions_total: int  # live actions
    url: str  # the goal in the plan; the page shows the link only to whom may read the plan


# The plan's goals per accent since a round (actionplans/apps.py registers its function at startup; imports point
# down, so this app cannot ask the plan itself). ``provider(school_id=, since=, until=, since_round_id=)`` returns
# accent code → [PlanGoal]; one query for all accents.
_goal_providers: list[Callable[..., dict[str, list[PlanGoal]]]] = []


def register_goals_since(provider: Callable[..., dict[str, list[PlanGoal]]]) -> None:
    """Called from an app's AppConfig.ready(); registering twice is once."""
    if provider not in _goal_providers:
        _goal_providers.append(provider)


def _last_closed_before(round_: Round) -> Round | None:
    """The school's newest closed round before ``round_`` (a closed round looks back from its own date; a running
    one from now), or None for a school's first round. One query."""
    earlier = [r for r in closed_rounds(round_.school) if r.pk != round_.pk]
    if round_.status == RoundStatus.CLOSED:
        earlier = [r for r in earlier if (round_date(r), r.pk) < (round_date(round_), round_.pk)]
    return earlier[-1] if earlier else None


def goals_since(round_: Round, last: Round | None) -> dict[str, list[PlanGoal]]:
    """Accent code → the goals the school set on it from the round ``last`` (the one before ``round_``) on: the
    goals that follow ``last`` and those added since its day, up to the closing of ``round_`` when it is closed
    (the goals made from ``round_`` itself come after). Empty without a round before or without a plan. One query
    per registered provider, whatever the number of accents or goals."""
    if last is None:
        return {}
    day = round_date(last)
    since = timezone.make_aware(datetime.combine(day, time.min))
    until = round_.closed_at if round_.status == RoundStatus.CLOSED else None
    found: dict[str, list[PlanGoal]] = {}
    for provider in _goal_providers:
        for code, goals in provider(
            school_id=round_.school_id, since=since, until=until, since_round_id=last.pk
        ).items():
            found.setdefault(code, []).extend(goals)
    return found


def previous_agreements(round_: Round, *, last: Round | None = None) -> dict[str, Previous]:
    """Accent code → what the school's newest closed round before ``round_`` agreed (only accents with an agreed
    phase or next step). Empty for a school's first round. Two queries (one when ``last`` is given)."""
    last = _last_closed_before(round_) if last is None else last
    if last is None:
        return {}
    return {
        item.accent_code: Previous(
            round=last, phase=item.phase, priority=item.priority, next_steps=item.next_steps, label=item.phase_label
        )
        for item in ConsensusItem.objects.filter(round=last)
        if item.phase or item.next_steps.strip()
    }


def with_previous(summary, round_: Round):
    """The summary with each accent's ``previous`` set (what the round before agreed, or None) and its
    ``previous_goals`` (the plan's goals on it since then, [] when none): the consensus view and the meeting screen.
    Three queries, whatever the number of accents or goals; none more for a school's first round."""
    last = _last_closed_before(round_)
    previous = previous_agreements(round_, last=last) if last else {}
    goals = goals_since(round_, last)
    for a in summary.accents:
        a.previous = previous.get(a.accent.code)
        a.previous_goals = goals.get(a.accent.code, [])
    return summary
