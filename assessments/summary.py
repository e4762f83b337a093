"""Read models for the consensus meeting and the result page.

Everything for one round is fetched in a fixed number of queries, whatever the number of
participants: the overview pages stay fast for a team of 60 or more.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.translation import gettext as _

from ontwikkelmodel.content import Accent, Layer
from ontwikkelmodel.models import ModelVersion
from organisations.rolegroups import RoleGroup, role_group, role_groups_of

from .models import DONT_KNOW, MIN_ANONYMOUS_GROUP, Answer, ConsensusItem, Participant, Priority, Round

MAX_GOALS_PER_LAYER = 2
DISAGREEMENT_SPREAD = 2  # answers two or more phases apart are conversation material


@dataclass
class Written:
    text: str
    author: str | None  # None in anonymous rounds


@dataclass
class GroupRow:
    """One role group's answers on one accent: counts per phase, never who (the distribution per role group)."""

    group: str  # a RoleGroup value
    size: int  # the group's submissions in the shown set
    counts: dict[int, int]  # phase 1-4 → number
    dont_know: int

    @property
    def label(self) -> str:
        return str(RoleGroup(self.group).label)

    @property
    def no_phase(self) -> int:
        return max(0, self.size - sum(self.counts.values()) - self.dont_know)


@dataclass
class AccentSummary:
    accent: Accent
    counts: dict[int, int]  # phase 1-4 → number of submitted participants
    dont_know: int
    unanswered: int
    min_phase: int | None
    max_phase: int | None
    median: float | None
    strengths: list[Written]
    goals: list[Written]
    priority_votes: int  # how many participants put this accent in their top five
    priority_points: int  # rank 1 = 5 points … rank 5 = 1 point
    consensus: ConsensusItem | None
    names_by_phase: dict[int, list[str]] = field(default_factory=dict)
    n_strengths: int = 0  # how many wrote a strength / a goal: also when the texts were not loaded (written=False)
    n_goals: int = 0
    previous: object = None  # growth.Previous: what the round before agreed, set by growth.with_previous
    previous_goals: list = field(default_factory=list)  # growth.PlanGoal: the plan's goals on it since then (idem)
    by_group: list[GroupRow] = field(default_factory=list)  # the distribution per role group, when it is shown

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def agreed_phases(self) -> list[int]:
        """The phases the consensus agreed: one, or each phase of a range ("fase 2-3": [2, 3]); [] when none."""
        c = self.consensus
        if c is None or not c.phase:
            return []
        return list(range(c.phase, (c.phase_to or c.phase) + 1))

    @property
    def spread(self) -> int | None:
        if self.min_phase is None or self.max_phase is None:  # both are None when no phase was given
            return None
        return self.max_phase - self.min_phase

    @property
    def is_conversation_material(self) -> bool:
        return self.spread is not None and self.spread >= DISAGREEMENT_SPREAD

    @property
    def bars(self):
        """(phase, count, percentage) rows for the chart."""
        total = self.total or 1
        return [(p, self.counts[p], round(100 * self.counts[p] / total)) for p in (1, 2, 3, 4)]

    @property
    def chart_bars(self) -> list[tuple[str, str, str, str]]:
        """(phase, count, y, width) rows of the chart's SVG (templates/assessments/_chart.html): a row every 24
        units, the bar as wide as its percentage of 210 units (rounded as {% widthratio %} did). As text: a number
        in a template is localised (get_language, get_format) on every output, twenty times per chart."""
        return [(str(p), str(n), str(24 * i), str(round((pct / 100) * 210))) for i, (p, n, pct) in enumerate(self.bars)]

    @property
    def chart_counts(self) -> list[str]:
        """The counts of phase 1-4 and of "weet ik niet", as text (the chart's title)."""
        return [str(self.counts[p]) for p in (1, 2, 3, 4)] + [str(self.dont_know)]


@dataclass
class LayerSummary:
    layer: Layer
    accents: list[AccentSummary]

    @property
    def goal_count(self) -> int:
        return sum(1 for a in self.accents if a.consensus and a.consensus.next_steps.strip())

    @property
    def too_many_goals(self) -> bool:
        return self.goal_count > MAX_GOALS_PER_LAYER

    @property
    def n_agreed(self) -> int:
        """Accents with an agreed phase (the consensus view's folded layer says how far the conversation is)."""
        return sum(1 for a in self.accents if a.consensus and a.consensus.phase)

    @property
    def n_conversation_material(self) -> int:
        return sum(1 for a in self.accents if a.is_conversation_material)


@dataclass
class RoundSummary:
    round: Round
    layers: list[LayerSummary]
    n_participants: int
    n_submitted: int  # anonymous rounds: the shown submissions only
    show_distribution: bool
    show_names: bool
    priorities: list[tuple[int, AccentSummary]]  # agreed priorities in order
    n_waiting: int = 0  # anonymous rounds: submitted, not shown yet (they join three or more at a time)
    by_group_shown: bool = False  # the distribution per role group was asked for and may be shown
    by_group_withheld: str = ""  # asked for but not shown: why, in Dutch ("" when shown or not asked for)

    @property
    def accents(self) -> list[AccentSummary]:
        return [a for layer in self.layers for a in layer.accents]

    @property
    def warnings(self) -> list[str]:
        """The handbook's guidance, checked but not enforced."""
        out = []
        for layer in self.layers:
            if layer.too_many_goals:
                out.append(
                    _(
                        "Groeilaag %(code)s %(name)s heeft %(n)d ontwikkeldoelen. Het handboek adviseert "
                        "maximaal 1 à 2 doelen per groeilaag."
                    )
                    % {"code": layer.layer.code, "name": layer.layer.name, "n": layer.goal_count}
                )
        ranks = Counter(a.consensus.priority for a in self.accents if a.consensus and a.consensus.priority)
        doubles = sorted(r for r, n in ranks.items() if n > 1)
        if doubles:
            out.append(
                _(
                    "Prioriteit %(ranks)s is aan meer dan één accent gegeven. Het handboek vraagt om vijf "
                    "prioriteiten in volgorde (1 tot en met 5)."
                )
                % {"ranks": ", ".join(str(r) for r in doubles)}
            )
        return out


@dataclass
class _Tally:
    """What a set of submissions says, per accent code: the raw material of AccentSummary."""

    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    phases_by_name: dict[str, dict[int, list[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    strengths: dict[str, list[Written]] = field(default_factory=lambda: defaultdict(list))
    goals: dict[str, list[Written]] = field(default_factory=lambda: defaultdict(list))
    n_strengths: Counter = field(default_factory=Counter)
    n_goals: Counter = field(default_factory=Counter)
    votes: Counter = field(default_factory=Counter)
    points: Counter = field(default_factory=Counter)
    by_group: dict[str, dict[str, Counter]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(Counter)))


def _tally(answer_rows, priority_rows, *, names: dict[int, str] | None, groups: dict[int, str] | None = None) -> _Tally:
    """Count answer rows (participant_id, accent_code, phase, strengths, goal) and priority rows (participant_id,
    rank, accent_code) of one round's shown set. names: participant id → name in a named round, None when anonymous:
    then no author is kept and the written answers are sorted by text, so the order depends on nothing but the texts
    themselves (not on who submitted first, nor on the database's order of the rows, nor on anything a viewer can
    replay). groups: participant id → role group, when the distribution per role group is shown (counts only: the
    written answers never carry a group)."""
    t = _Tally()
    for pid, code, phase, strength, goal in answer_rows:
        author = names[pid] if names is not None else None
        if phase is not None:
            t.counts[code][phase] += 1
            if groups is not None:
                t.by_group[code][groups[pid]][phase] += 1
            if names is not None:
                t.phases_by_name[code][phase].append(names[pid])
        if strength is True or strength is False:  # written=False: only whether something was written
            t.n_strengths[code] += strength
            t.n_goals[code] += goal
            continue
        if strength.strip():
            t.strengths[code].append(Written(strength.strip(), author))
            t.n_strengths[code] += 1
        if goal.strip():
            t.goals[code].append(Written(goal.strip(), author))
            t.n_goals[code] += 1
    for _pid, rank, code in priority_rows:
        t.votes[code] += 1
        t.points[code] += 6 - rank
    if names is None:
        for bucket in (*t.strengths.values(), *t.goals.values()):
            bucket.sort(key=lambda w: (w.text.casefold(), w.text))
    return t


def _accent_summaries(
    model,
    t: _Tally,
    *,
    n_shown: int,
    show_distribution: bool,
    show_names: bool,
    consensus: dict,
    group_sizes: dict[str, int] | None = None,
) -> list[LayerSummary]:
    layers = []
    for layer in model.layers:
        accents = []
        for accent in layer.accents:
            c = t.counts[accent.code]
            given = sorted(p for p in (1, 2, 3, 4) for _ in range(c[p]))
            n_dont_know = c[DONT_KNOW]
            accents.append(
                AccentSummary(
                    accent=accent,
                    counts={p: c[p] for p in (1, 2, 3, 4)},
                    dont_know=n_dont_know,
                    unanswered=max(0, n_shown - len(given) - n_dont_know) if show_distribution else 0,
                    min_phase=given[0] if given else None,
                    max_phase=given[-1] if given else None,
                    median=_median(given),
                    strengths=t.strengths[accent.code],
                    goals=t.goals[accent.code],
                    n_strengths=t.n_strengths[accent.code],
                    n_goals=t.n_goals[accent.code],
                    priority_votes=t.votes[accent.code],
                    priority_points=t.points[accent.code],
                    consensus=consensus.get(accent.code),
                    names_by_phase={p: t.phases_by_name[accent.code][p] for p in (0, 1, 2, 3, 4)} if show_names else {},
                    by_group=[
                        GroupRow(
                            group=g,
                            size=size,
                            counts={p: t.by_group[accent.code][g][p] for p in (1, 2, 3, 4)},
                            dont_know=t.by_group[accent.code][g][DONT_KNOW],
                        )
                        for g, size in (group_sizes or {}).items()
                    ],
                )
            )
        layers.append(LayerSummary(layer=layer, accents=accents))
    return layers


def _group_rule(shown: list[Participant]) -> str:
    """Whether an anonymous round's distribution per role group may be shown: "" when it may, else why not (Dutch).

    Each shown submission counts in the role group frozen when it was shown (Participant.shown_role_group). Shown
    only when EVERY group with shown submissions has at least MIN_ANONYMOUS_GROUP, and all or nothing: showing some
    groups and hiding the others would let "the total minus the shown groups" reveal a small one. And the shown set
    grows in batches (one moment of shown_at each): in every batch each group must gain none or at least
    MIN_ANONYMOUS_GROUP, or comparing the views before and after that batch would isolate one or two people of a
    group. Who is in which group is no secret (the team page); only the answers are."""
    sizes: Counter = Counter()
    per_batch: dict[object, Counter] = defaultdict(Counter)
    for p in shown:
        group = p.shown_role_group or role_group(None)
        sizes[group] += 1
        per_batch[p.shown_at][group] += 1
    if any(n < MIN_ANONYMOUS_GROUP for n in sizes.values()):
        return _(
            "De verdeling per rolgroep wordt niet getoond: in een anonieme ronde alleen als elke rolgroep met "
            "inzendingen er minstens %(n)d heeft, en dat is nu niet zo. Een deel van de groepen tonen kan ook niet: "
            "het totaal min de getoonde groepen zou dan de antwoorden van een kleine groep verraden."
        ) % {"n": MIN_ANONYMOUS_GROUP}
    if any(0 < n < MIN_ANONYMOUS_GROUP for batch in per_batch.values() for n in batch.values()):
        return _(
            "De verdeling per rolgroep wordt niet getoond: bij het later toevoegen van inzendingen kreeg een rolgroep "
            "er minder dan %(n)d tegelijk bij. Wie de weergave van vóór en na vergelijkt, zou dan de antwoorden van "
            "één of twee mensen kunnen zien."
        ) % {"n": MIN_ANONYMOUS_GROUP}
    return ""


def _shown_set(round_: Round, participants: list[Participant]) -> tuple[set[int], int]:
    """The submissions a round's figures come from, and how many submitted ones wait to be shown."""
    if not round_.anonymous:  # a named round: what is submitted now, as always
        return {p.pk for p in participants if p.submitted_at}, 0
    # An anonymous round: only the frozen set of shown submissions, never what was submitted since (that joins in
    # batches of three or more when the consensus starts again, services.do_start_consensus). Every figure (counts,
    # spread, written answers, priorities, "x of y submitted") comes from this one set.
    shown = {p.pk for p in participants if p.shown_at}
    return shown, sum(1 for p in participants if p.submitted_at and not p.shown_at)


def written_answers(round_: Round, accent_code: str) -> tuple[list[Written], list[Written]] | None:
    """What participants wrote on one accent (strengths, goals), by summarise()'s rules: the consensus view loads
    them on demand, one accent at a time. From the shown set only; an author only in a named round; an anonymous
    round's sorted by text. None when the round shows no distribution (an anonymous round below
    MIN_ANONYMOUS_GROUP shown submissions). Two queries, whatever the number of participants or accents."""
    named = not round_.anonymous
    queryset = Participant.objects.filter(round=round_)
    participants = list(queryset.select_related("user") if named else queryset)  # names: named only
    shown, _waiting = _shown_set(round_, participants)
    if not (named or len(shown) >= MIN_ANONYMOUS_GROUP):
        return None
    rows = Answer.objects.filter(participant_id__in=shown, accent_code=accent_code).values_list(
        "participant_id", "accent_code", "phase", "strengths", "goal"
    )
    t = _tally(rows, (), names={p.pk: p.user.display_name for p in participants} if named else None)
    return t.strengths[accent_code], t.goals[accent_code]


def summarise(
    round_: Round, *, include_individual: bool, by_role_group: bool = False, written: bool = True
) -> RoundSummary:
    """Build the summary. Board viewers get include_individual=False: consensus only.

    by_role_group: also the distribution per role group (schoolleiding; kartrekkers en werkgroep; trainers; team),
    counts per phase for each group. A named round always shows it (the names are shown anyway), by the members'
    roles now (one query more); an anonymous round only under _group_rule, by the frozen groups (no query more).
    written=False: what participants wrote is counted in the database (n_strengths, n_goals), not loaded (the
    consensus view, which loads the texts per accent on demand: written_answers)."""
    model = round_.model
    show_names = not round_.anonymous
    queryset = Participant.objects.filter(round=round_)
    participants = list(queryset.select_related("user") if show_names else queryset)  # names: named only
    names = {p.pk: p.user.display_name for p in participants} if show_names else {}
    submitted_ids, n_waiting = _shown_set(round_, participants)
    show_distribution = include_individual and (show_names or len(submitted_ids) >= MIN_ANONYMOUS_GROUP)

    groups: dict[int, str] | None = None  # participant id → role group, when the breakdown is shown
    withheld = ""
    if by_role_group and show_distribution:
        counted = [p for p in participants if p.pk in submitted_ids]
        if show_names:
            of_user = role_groups_of(round_.school_id, [p.user_id for p in counted])
            groups = {p.pk: of_user.get(p.user_id) or role_group(None) for p in counted}
        else:
            withheld = _group_rule(counted)
            if not withheld:
                groups = {p.pk: p.shown_role_group or role_group(None) for p in counted}
    group_sizes = (
        {g: n for g in RoleGroup.values if (n := sum(1 for x in groups.values() if x == g))} if groups else None
    )

    if show_distribution:
        answers = Answer.objects.filter(participant_id__in=submitted_ids)
        if not written:  # only whether something was written (the services store texts stripped, "" for none)
            answers = answers.annotate(
                wrote_strength=ExpressionWrapper(~Q(strengths=""), output_field=BooleanField()),
                wrote_goal=ExpressionWrapper(~Q(goal=""), output_field=BooleanField()),
            )
        t = _tally(
            answers.values_list(
                "participant_id",
                "accent_code",
                "phase",
                "strengths" if written else "wrote_strength",
                "goal" if written else "wrote_goal",
            ),
            Priority.objects.filter(participant_id__in=submitted_ids).values_list(
                "participant_id", "rank", "accent_code"
            ),
            names=names if show_names else None,
            groups=groups,
        )
    else:
        t = _Tally()

    consensus = {c.accent_code: c for c in ConsensusItem.objects.filter(round=round_)}
    layers = _accent_summaries(
        model,
        t,
        n_shown=len(submitted_ids),
        show_distribution=show_distribution,
        show_names=show_names,
        consensus=consensus,
        group_sizes=group_sizes,
    )
    all_accents = [a for layer in layers for a in layer.accents]
    priorities = sorted(
        ((a.consensus.priority, a) for a in all_accents if a.consensus and a.consensus.priority),
        key=lambda pa: (pa[0], pa[1].accent.code),
    )
    return RoundSummary(
        round=round_,
        layers=layers,
        n_participants=len(participants),
        n_submitted=len(submitted_ids),
        n_waiting=n_waiting,
        show_distribution=show_distribution,
        show_names=show_names,
        priorities=priorities,
        by_group_shown=groups is not None,
        by_group_withheld=withheld,
    )


def anonymous_round_figures(rounds) -> list[dict]:
    """For the school export (pages/leaving.py): what the consensus view of each anonymous round shows, and
    nothing more. Per round and accent the figures of summarise() from the shown set only: the number shown, the
    counts per phase, "weet ik niet", no phase, the written strengths and goals as two separate lists sorted by text,
    and how many put the accent in their top five. Nothing for a round whose shown set is below
    MIN_ANONYMOUS_GROUP (the page shows nothing then either), never a draft or a submission that is not shown yet,
    and never a row that holds one person's phase together with their text.

    ``rounds``: Round objects (anonymous ones; others are skipped). Four queries, whatever the number of rounds.
    """
    rounds = [r for r in rounds if r.anonymous]
    shown: dict[int, set[int]] = defaultdict(set)
    for pid, rid in Participant.objects.filter(round__in=[r.pk for r in rounds], shown_at__isnull=False).values_list(
        "pk", "round_id"
    ):
        shown[rid].add(pid)
    rounds = [r for r in rounds if len(shown[r.pk]) >= MIN_ANONYMOUS_GROUP]
    owner = {pid: r.pk for r in rounds for pid in shown[r.pk]}
    answers: dict[int, list] = defaultdict(list)
    for row in Answer.objects.filter(participant_id__in=list(owner)).values_list(
        "participant_id", "accent_code", "phase", "strengths", "goal"
    ):
        answers[owner[row[0]]].append(row)
    priorities: dict[int, list] = defaultdict(list)
    for prow in Priority.objects.filter(participant_id__in=list(owner)).values_list(
        "participant_id", "rank", "accent_code"
    ):
        priorities[owner[prow[0]]].append(prow)
    # One parse per version of the Ontwikkelmodel, not per round.
    models = {v.pk: v.model for v in ModelVersion.objects.filter(pk__in={r.model_version_id for r in rounds})}
    out = []
    for round_ in sorted(rounds, key=lambda r: r.pk):
        model = models[round_.model_version_id]
        t = _tally(answers[round_.pk], priorities[round_.pk], names=None)
        n_shown = len(shown[round_.pk])
        layers = _accent_summaries(model, t, n_shown=n_shown, show_distribution=True, show_names=False, consensus={})
        for layer in layers:
            for a in layer.accents:
                out.append(
                    {
                        "round_id": round_.pk,
                        "accent_code": a.accent.code,
                        "aantal_inzendingen": n_shown,
                        "fase_1": a.counts[1],
                        "fase_2": a.counts[2],
                        "fase_3": a.counts[3],
                        "fase_4": a.counts[4],
                        "weet_ik_niet": a.dont_know,
                        "geen_fase": a.unanswered,
                        "sterke_punten": [w.text for w in a.strengths],
                        "ontwikkeldoelen": [w.text for w in a.goals],
                        "in_top_vijf": a.priority_votes,
                    }
                )
    return out


def _median(values: list[int]) -> float | None:
    if not values:
        return None
    n = len(values)
    mid = n // 2
    return float(values[mid]) if n % 2 else (values[mid - 1] + values[mid]) / 2
