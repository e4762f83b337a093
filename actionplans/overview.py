"""Read models for the plan pages. A fixed number of queries, whatever the plan's size."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    CharField,
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, NullIf, RowNumber, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext

from assessments.growth import PlanGoal
from ontwikkelmodel.content import Layer, load_file

from .models import (
    MEETING_GAP_DAYS,
    OPEN_STATUSES,
    SHORT_TERM_ADVICE,
    Action,
    ActionStatus,
    ActionStep,
    ActionUpdate,
    Goal,
    Meeting,
    Term,
)


def actions_queryset(school):
    """Live actions with what every action row shows: the six Bijlage 7 columns (owner, goal, the steps with their
    ticks, the newest of the notes/updates and how many there are). Two queries, whatever the number of actions."""
    newest = ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-id")
    return (
        Action.objects.alive()
        .filter(school=school)
        .select_related("owner", "goal")
        .prefetch_related(Prefetch("steps", queryset=ActionStep.objects.order_by("position", "id")))
        .annotate(
            updates_total=Subquery(
                ActionUpdate.objects.filter(action=OuterRef("pk"))
                .order_by()
                .values("action")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            newest_update_text=Subquery(newest.values("text")[:1]),
            newest_update_at=Subquery(newest.values("created_at")[:1]),
            newest_update_by=Subquery(
                newest.annotate(
                    who=Coalesce(NullIf("author__name", Value("")), "author__email", output_field=CharField())
                ).values("who")[:1]
            ),
        )
    )


def mark(actions, today: date):
    """What a row shows beyond the columns: late or not, and the step counts (from the prefetched steps)."""
    for action in actions:
        action.overdue = action.is_overdue(today)
        steps = action.steps.all()
        action.steps_total = len(steps)
        action.steps_done = sum(1 for step in steps if step.done_at is not None)
    _row_labels(actions)
    return actions


URL_MARK = 2147483647  # an id no row has: reversed once, then replaced by each action's id


def _row_labels(actions) -> None:
    """What a table row (templates/actionplans/_action_table.html) says in words, made here once instead of by a
    {% url %} and a {% blocktranslate %} per row: the action's address, "1 van 3 gedaan", "alle 3 updates"."""
    addresses: dict[int, tuple[str, str]] = {}
    for action in actions:
        if action.school_id not in addresses:
            address = reverse("actionplans:action", args=[action.school_id, URL_MARK])
            head, tail = address.rsplit(str(URL_MARK), 1)
            addresses[action.school_id] = (head, tail)
        head, tail = addresses[action.school_id]
        action.row_url = f"{head}{action.pk}{tail}"
        action.steps_label = gettext("%(done)s van %(total)s gedaan") % {
            "done": action.steps_done,
            "total": action.steps_total,
        }
        n = getattr(action, "updates_total", None) or 0
        action.updates_label = ngettext("%(n)s update", "alle %(n)s updates", n) % {"n": n}


def with_row_details(actions) -> None:
    """Give actions loaded without ``actions_queryset``'s extras (the plan page's ``plan_overview(details=False)``)
    what a table row shows: the steps with their counts, the newest update (text, time, who) and how many there
    are; the same attributes as ``actions_queryset`` and ``mark``. Two queries whatever the number of actions (a
    window function picks each action's newest update), none for no actions."""
    actions = list({a.pk: a for a in actions}.values())  # an action may be shown twice (late, and in its layer)
    if not actions:
        return
    prefetch_related_objects(actions, Prefetch("steps", queryset=ActionStep.objects.order_by("position", "id")))
    newest = {
        row[0]: row
        for row in ActionUpdate.objects.filter(action_id__in=[a.pk for a in actions])
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("action_id")], order_by=[F("created_at").desc(), F("id").desc()]),
            n_updates=Window(Count("id"), partition_by=[F("action_id")]),
        )
        .filter(rank=1)
        .values_list("action_id", "text", "created_at", "n_updates", "author__name", "author__email")
    }
    for action in actions:
        steps = action.steps.all()
        action.steps_total = len(steps)
        action.steps_done = sum(1 for step in steps if step.done_at is not None)
        _pk, text, at, n, name, email = newest.get(action.pk) or (None, None, None, None, None, None)
        action.updates_total = n
        action.newest_update_text, action.newest_update_at = text, at
        action.newest_update_by = name or email
    _row_labels(actions)


@dataclass
class LayerBlock:
    layer: Layer
    goals: list = field(default_factory=list)
    actions: list = field(default_factory=list)


def meeting_is_overdue(days_since_meeting: int | None, *, short_goals: int, open_actions: int) -> bool:
    """The plan is in use (short-term goals or open actions) and the werkgroep has not met for more than six weeks,
    or not at all. Long-term goals alone and finished actions alone ask for no meeting. The plan page, the school
    page and the board page all call this with the same two counts."""
    if not (short_goals or open_actions):
        return False
    return days_since_meeting is None or days_since_meeting > MEETING_GAP_DAYS


@dataclass
class PlanOverview:
    layers: list[LayerBlock]
    short_goals: list
    long_goals: list
    actions: list
    overdue: list
    last_meeting: Meeting | None
    next_meeting: Meeting | None
    days_since_meeting: int | None
    today: date

    @property
    def shows_handbook_text(self) -> bool:
        """A goal on an accent: its name stays the handbook's Dutch (base.html's note)."""
        return any(g.accent for g in (*self.short_goals, *self.long_goals))

    @property
    def too_many_short_goals(self) -> bool:
        return len(self.short_goals) > SHORT_TERM_ADVICE

    @property
    def meeting_overdue(self) -> bool:
        return meeting_is_overdue(
            self.days_since_meeting,
            short_goals=len(self.short_goals),
            open_actions=sum(1 for a in self.actions if a.status in OPEN_STATUSES),
        )

    @property
    def counts(self) -> dict:
        by_status = {s.value: 0 for s in ActionStatus}
        for action in self.actions:
            by_status[action.status] += 1
        return by_status


def last_and_next_meeting(school, today):
    meetings = Meeting.objects.filter(school=school).select_related("chair", "timekeeper", "note_taker")
    last = meetings.filter(date__lte=today).order_by("-date", "-start_time", "-id").first()
    upcoming = meetings.filter(date__gt=today).order_by("date", "start_time", "id").first()
    return last, upcoming


@dataclass
class ActionBrief:
    """What the plan page needs of an action it does not show in full: where it belongs and how it stands."""

    pk: int
    layer_code: str
    goal_id: int | None
    status: str
    due_date: date | None
    overdue: bool


def plan_overview(school, *, today: date | None = None, details: bool = True) -> PlanOverview:
    """The whole plan, grouped. details=False: each action as an ActionBrief (one narrow query, no model
    instances, no steps or updates); the plan page loads in full only the ones it shows (``show_in_full``)."""
    today = today or timezone.localdate()
    model = load_file()
    goals = list(Goal.objects.alive().filter(school=school).select_related("monitored_by"))
    actions: list
    if details:
        actions = mark(list(actions_queryset(school)), today)
    else:
        actions = [
            ActionBrief(
                pk, layer_code, goal_id, status, due, status in OPEN_STATUSES and due is not None and due < today
            )
            for pk, layer_code, goal_id, status, due in Action.objects.alive()
            .filter(school=school)
            .values_list("pk", "layer_code", "goal_id", "status", "due_date")
        ]
    blocks = {layer.code: LayerBlock(layer=layer) for layer in model.layers}
    goal_by_id = {g.pk: g for g in goals}
    for goal in goals:
        goal.accent = model.accent(goal.accent_code) if goal.accent_code else None
        goal.plan_actions = []
        if goal.layer_code in blocks:
            blocks[goal.layer_code].goals.append(goal)
    for action in actions:
        if action.goal_id in goal_by_id:
            goal_by_id[action.goal_id].plan_actions.append(action)
        if action.layer_code in blocks:
            blocks[action.layer_code].actions.append(action)
    last, upcoming = last_and_next_meeting(school, today)
    return PlanOverview(
        layers=list(blocks.values()),
        short_goals=[g for g in goals if g.term == Term.SHORT],
        long_goals=[g for g in goals if g.term == Term.LONG],
        actions=actions,
        overdue=[a for a in actions if a.overdue],
        last_meeting=last,
        next_meeting=upcoming,
        days_since_meeting=(today - last.date).days if last else None,
        today=today,
    )


FOLD_ABOVE = 15  # a table of the plan page with more actions is folded: its counts first, its rows on demand
LATE_PART = "te-laat"
LAYER_PART = "groeilaag-"


@dataclass
class ActionPart:
    """One table of the plan page: the late actions, or one growth layer's (key "te-laat", "groeilaag-<code>")."""

    key: str
    actions: list
    layer: Layer | None = None
    folded: bool = False
    url: str = ""  # its own address (plan_part), set by the view

    @property
    def is_late(self) -> bool:
        return self.key == LATE_PART

    @property
    def caption(self) -> str:
        if self.layer is None:
            return gettext("Actiepunten die te laat zijn")
        return gettext("Actiepunten %(layer)s") % {"layer": self.layer.name}

    @property
    def id_prefix(self) -> str:
        """Row ids: an action shown twice on the plan page (late, and in its layer) has an id per table."""
        return "te-laat-" if self.is_late else ""

    @property
    def status_counts(self) -> str:
        """'12 gepland, 13 bezig, 12 afgerond, 13 gevierd': only the statuses the part has."""
        by_status = {s.value: 0 for s in ActionStatus}
        for action in self.actions:
            by_status[action.status] += 1
        return ", ".join(f"{n} {STATUS_WORDS[status]}" for status, n in by_status.items() if n)


STATUS_WORDS: dict[str, object] = {
    ActionStatus.PLANNED: gettext_lazy("gepland"),
    ActionStatus.IN_PROGRESS: gettext_lazy("bezig"),
    ActionStatus.DONE: gettext_lazy("afgerond"),
    ActionStatus.CELEBRATED: gettext_lazy("gevierd"),
}


def plan_parts(overview: PlanOverview, *, unfold: bool = False) -> list[ActionPart]:
    """The plan page's tables: the late actions first, then one per growth layer. A table of more than FOLD_ABOVE
    actions is folded (a person cannot read it all at once anyway) unless ``unfold`` (to print the whole plan)."""
    parts = [ActionPart(LATE_PART, overview.overdue)]
    parts += [ActionPart(LAYER_PART + block.layer.code, block.actions, block.layer) for block in overview.layers]
    for part in parts:
        part.folded = not unfold and len(part.actions) > FOLD_ABOVE
    return parts


def show_in_full(parts: list[ActionPart], school, *, today: date | None = None) -> None:
    """Replace the briefs of the parts that are not folded by the actions with all a row shows: four queries (the
    actions, their steps, their newest updates), none when every part is folded."""
    today = today or timezone.localdate()
    wanted = {a.pk for part in parts if not part.folded for a in part.actions}
    if not wanted:
        return
    full = {
        a.pk: a for a in Action.objects.alive().filter(school=school, pk__in=wanted).select_related("owner", "goal")
    }
    for action in full.values():
        action.overdue = action.is_overdue(today)
    with_row_details(list(full.values()))
    for part in parts:
        if not part.folded:
            part.actions = [full[a.pk] for a in part.actions if a.pk in full]


def plan_part(school, key: str, *, today: date | None = None) -> ActionPart | None:
    """One table of the plan page on its own (opened on demand), with its rows' details; None for an unknown key.
    Three queries: the actions, their steps, their newest updates."""
    today = today or timezone.localdate()
    actions = Action.objects.alive().filter(school=school).select_related("owner", "goal")
    layer = None
    if key == LATE_PART:
        actions = actions.filter(status__in=OPEN_STATUSES, due_date__lt=today)
    elif key.startswith(LAYER_PART) and (layer := load_file().layer(key.removeprefix(LAYER_PART))) is not None:
        actions = actions.filter(layer_code=layer.code)
    else:
        return None
    rows = list(actions)
    for action in rows:
        action.overdue = action.is_overdue(today)
    with_row_details(rows)
    return ActionPart(key, rows, layer)


def agenda(meeting: Meeting, *, today: date | None = None) -> dict:
    """A proposed agenda: late actions, actions under way, what changed since the previous meeting,
    and finished results to celebrate."""
    today = today or timezone.localdate()
    previous = (
        Meeting.objects.filter(school_id=meeting.school_id)
        .filter(Q(date__lt=meeting.date) | Q(date=meeting.date, pk__lt=meeting.pk))
        .order_by("-date", "-id")
        .first()
    )
    actions = mark(list(actions_queryset(meeting.school)), today)
    if previous is not None:
        end = previous.end_time or datetime.time.max
        changed_since = timezone.make_aware(datetime.datetime.combine(previous.date, end))
    else:
        changed_since = timezone.now() - datetime.timedelta(days=MEETING_GAP_DAYS)
    overdue = [a for a in actions if a.overdue]
    open_ = [a for a in actions if a.status in OPEN_STATUSES and not a.overdue]
    changed = [a for a in open_ if a.updated_at > changed_since]
    running = [a for a in open_ if a.updated_at <= changed_since]
    celebrate = [a for a in actions if a.status == ActionStatus.DONE]
    return {
        "previous": previous,
        "overdue": overdue,
        "running": running,
        "changed": changed,
        "celebrate": celebrate,
        "all": actions,
    }


@dataclass
class DashboardSummary:
    my_open: int
    my_overdue: int
    overdue: int
    open_actions: int
    goals: int
    short_goals: int
    last_meeting: Meeting | None
    next_meeting: Meeting | None
    meeting_overdue: bool


def dashboard_summary(school, user, *, today: date | None = None) -> DashboardSummary:
    """The plan in one glance for the school page (four queries)."""
    today = today or timezone.localdate()
    open_actions = Action.objects.alive().filter(school=school, status__in=OPEN_STATUSES)
    counts = open_actions.aggregate(
        my_open=Count("pk", filter=Q(owner=user)),
        my_overdue=Count("pk", filter=Q(owner=user, due_date__lt=today)),
        overdue=Count("pk", filter=Q(due_date__lt=today)),
        open_actions=Count("pk"),
    )
    goals = (
        Goal.objects.alive()
        .filter(school=school)
        .aggregate(goals=Count("pk"), short_goals=Count("pk", filter=Q(term=Term.SHORT)))
    )
    last, upcoming = last_and_next_meeting(school, today)
    days = (today - last.date).days if last else None
    return DashboardSummary(
        last_meeting=last,
        next_meeting=upcoming,
        meeting_overdue=meeting_is_overdue(days, short_goals=goals["short_goals"], open_actions=counts["open_actions"]),
        **goals,
        **counts,
    )


def round_followup(round_, *, today: date | None = None) -> list:
    """The goals that came from a round's priorities, each with its live actions (two queries)."""
    today = today or timezone.localdate()
    model = round_.model
    goals = list(
        Goal.objects.alive()
        .filter(source_round=round_)
        .select_related("monitored_by")
        .prefetch_related(
            Prefetch(
                "actions", queryset=actions_queryset(round_.school).order_by("due_date", "id"), to_attr="plan_actions"
            )
        )
        .order_by("priority", "id")
    )
    for goal in goals:
        goal.accent = model.accent(goal.accent_code) if goal.accent_code else None
        mark(goal.plan_actions, today)
    return goals


def goals_by_accent(school) -> dict[str, list[Goal]]:
    """For the growth page: per accent code the school's live goals on it, oldest first, each with
    ``actions_total``, ``actions_done`` (afgerond or gevierd), ``actions_celebrated`` and ``set_on`` (a date).
    One query, whatever the number of goals or years."""
    live = Q(actions__deleted_at__isnull=True)
    goals = (
        Goal.objects.alive()
        .filter(school=school)
        .exclude(accent_code="")
        .annotate(
            actions_total=Count("actions", filter=live),
            actions_done=Count(
                "actions", filter=live & Q(actions__status__in=(ActionStatus.DONE, ActionStatus.CELEBRATED))
            ),
            actions_celebrated=Count("actions", filter=live & Q(actions__status=ActionStatus.CELEBRATED)),
            # When the goal was set: its round's consensus meeting, else the day it was added to the plan.
            set_on=Coalesce("source_round__meeting_date", TruncDate("created_at")),
        )
        .order_by("created_at", "id")
    )
    out: dict[str, list[Goal]] = {}
    for goal in goals:
        out.setdefault(goal.accent_code, []).append(goal)
    return out


def goals_since_round(*, school_id, since, until, since_round_id) -> dict:
    """For a new round's consensus view and meeting screen (assessments.growth.goals_since, registered in
    apps.py): per accent code the school's live goals on it that follow the round before (``since_round_id``) or
    were added from ``since`` on (before ``until``, when given), oldest first, as growth.PlanGoal with the number
    of live actions done (afgerond or gevierd) of all. One query, whatever the number of accents or goals."""
    live = Q(actions__deleted_at__isnull=True)
    added = Q(created_at__gte=since) & (Q(created_at__lt=until) if until else Q())
    goals = (
        Goal.objects.alive()
        .filter(Q(source_round_id=since_round_id) | added, school_id=school_id)
        .exclude(accent_code="")
        .annotate(
            actions_total=Count("actions", filter=live),
            actions_done=Count(
                "actions", filter=live & Q(actions__status__in=(ActionStatus.DONE, ActionStatus.CELEBRATED))
            ),
        )
        .order_by("created_at", "id")
        .values_list("pk", "accent_code", "title", "actions_done", "actions_total")
    )
    out: dict[str, list] = {}
    for pk, code, title, done, total in goals:
        url = reverse("actionplans:goal", kwargs={"school_id": school_id, "goal_id": pk})
        out.setdefault(code, []).append(PlanGoal(title=title, actions_done=done, actions_total=total, url=url))
    return out


def carry_over_candidates(round_) -> list[Goal]:
    """For turning a new round's priorities into goals: the school's live goals from before this round that are
    not finished, to carry over: long-term goals, and goals with an open action or without a finished one. Each
    with ``actions_total`` and ``actions_done``. One query."""
    live = Q(actions__deleted_at__isnull=True)
    goals = (
        Goal.objects.alive()
        .filter(school_id=round_.school_id)
        .exclude(source_round=round_)
        .annotate(
            actions_total=Count("actions", filter=live),
            actions_done=Count(
                "actions", filter=live & Q(actions__status__in=(ActionStatus.DONE, ActionStatus.CELEBRATED))
            ),
            actions_open=Count("actions", filter=live & Q(actions__status__in=OPEN_STATUSES)),
        )
        .filter(Q(term=Term.LONG) | Q(actions_open__gt=0) | Q(actions_done=0))
        .order_by("accent_code", "created_at", "id")
    )
    return list(goals)
