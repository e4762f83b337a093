"""Writes for the action plan. Views call these; each is atomic, audited and kept in the item's history.

Editing goals, actions and meeting minutes is optimistic: the form carries the item's ``version``;
when someone else saved in between, ConflictError is raised, nothing changes, and the view shows
both versions. Deleting is soft and can be undone for RESTORE_DAYS days.
"""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import ConsensusItem, Round, RoundStatus
from audit.models import record
from core import events
from core.errors import ServiceError
from core.versions import check_version
from ontwikkelmodel.content import load_file
from organisations.models import Membership

from .content import load_suggestions
from .models import (
    MAX_STEPS,
    RESTORE_DAYS,
    Action,
    ActionStatus,
    ActionStep,
    ActionUpdate,
    Goal,
    Meeting,
    PlanChange,
    Term,
)

GOAL_FIELDS = ("title", "term", "layer_code", "accent_code", "start_phase", "monitoring", "monitored_by", "feedback")
ACTION_FIELDS = ("title", "goal", "layer_code", "owner", "due_date", "monitoring", "status")
MEETING_FIELDS = ("date", "start_time", "end_time", "location", "chair", "timekeeper", "note_taker")


# Helpers -----------------------------------------------------------------------


DELETED_MEANWHILE = gettext_lazy(
    "%(item)s is intussen verwijderd, dus er is niets opgeslagen. Wil je het bewaren? Zet het terug via "
    "‘Verwijderd (terugzetten)’ in het actieplan en sla dan opnieuw op; tot die tijd blijft je invoer in dit "
    "formulier staan."
)


def _display(value) -> str:
    """A value as people read it in the history (names, Dutch dates, choice labels)."""
    if value is None or value == "":
        return ""
    if hasattr(value, "display_name"):
        return value.display_name
    if isinstance(value, Goal):
        return value.title
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    for choices in (ActionStatus, Term):
        if value in choices.values:
            return str(choices(value).label)
    return str(value)


def _snapshot(obj, fields) -> dict:
    return {f: _display(getattr(obj, f)) for f in fields}


def _diff(before: dict, after: dict) -> dict:
    return {k: [before.get(k, ""), after[k]] for k in after if before.get(k, "") != after[k]}


def _log(*, obj, kind, acting_user, changes=None):
    """The item's history row plus the school's audit row."""
    is_goal = isinstance(obj, Goal)
    PlanChange.objects.create(
        school_id=obj.school_id,
        goal=obj if is_goal else None,
        action=None if is_goal else obj,
        actor=acting_user,
        kind=kind,
        changes=changes or {},
    )
    record(
        action=f"{'goal' if is_goal else 'action'}.{kind}",
        acting_user=acting_user,
        school=obj.school,
        target=obj,
        data={"changed": sorted(changes or {})},
    )


def _check_member(school, user, label):
    if user is not None and not Membership.objects.filter(school=school, user=user).exists():
        raise ServiceError(_("%(label)s moet iemand van deze school zijn.") % {"label": label})


def _check_layer(layer_code, accent_code=""):
    model = load_file()
    layer = model.layer(layer_code)
    if layer is None:
        raise ServiceError(_("Kies een groeilaag uit het Ontwikkelmodel."))
    if accent_code and accent_code not in [a.code for a in layer.accents]:
        raise ServiceError(_("Dit accent hoort niet bij de gekozen groeilaag."))


def _clean_steps(steps) -> list[str]:
    lines = [s.strip() for s in steps if s and s.strip()]
    if len(lines) > MAX_STEPS:
        raise ServiceError(_("Gebruik maximaal %(n)d stappen per actiepunt.") % {"n": MAX_STEPS})
    return lines


def _sync_steps(action: Action, lines: list[str]) -> tuple[list[str], list[str]]:
    """Make the action's steps match the lines; a step keeps its tick when its text stays the same (wherever it
    moves)."""
    existing = list(action.steps.all())
    before = [s.text for s in existing]
    by_text: dict[str, list[ActionStep]] = {}
    for step in existing:
        by_text.setdefault(step.text, []).append(step)
    keep, create = [], []
    for pos, text in enumerate(lines):
        match = by_text.get(text)
        if match:
            step = match.pop(0)
            step.position = pos
            keep.append(step)
        else:  # new or reworded: a changed text is a new step, open (a guess could show undone work as done)
            create.append(ActionStep(action=action, position=pos, text=text))
    kept_ids = {s.pk for s in keep}
    action.steps.exclude(pk__in=kept_ids).delete()
    if keep:
        ActionStep.objects.bulk_update(keep, ["position"])
    ActionStep.objects.bulk_create(create)
    return before, lines


# Goals -------------------------------------------------------------------------


def _first_action_title(goal_title: str) -> str:
    return _("Eerste stap: %(goal)s") % {"goal": goal_title}


@transaction.atomic
def do_create_goal(
    *,
    school,
    title,
    term,
    layer_code,
    accent_code="",
    monitoring="",
    monitored_by=None,
    feedback="",
    start_phase=None,
    priority=None,
    source_round=None,
    acting_user,
    with_action=False,
) -> Goal:
    _check_layer(layer_code, accent_code)
    _check_member(school, monitored_by, _("Wie monitort"))
    now = timezone.now()
    goal = Goal.objects.create(
        school=school,
        source_round=source_round,
        layer_code=layer_code,
        accent_code=accent_code,
        start_phase=start_phase,
        priority=priority,
        title=title,
        term=Term(term),
        monitoring=monitoring,
        monitored_by=monitored_by,
        feedback=feedback,
        created_by=acting_user,
        created_at=now,
        updated_by=acting_user,
        updated_at=now,
    )
    _log(obj=goal, kind="created", acting_user=acting_user, changes=_diff({}, _snapshot(goal, GOAL_FIELDS)))
    if with_action:
        do_create_action(school=school, goal=goal, title=_first_action_title(title)[:300], acting_user=acting_user)
    return goal


def consensus_priorities(round_: Round) -> list[ConsensusItem]:
    """The accents the consensus gave a priority, in rank order."""
    return list(ConsensusItem.objects.filter(round=round_, priority__isnull=False).order_by("priority", "accent_code"))


@transaction.atomic
def do_create_goals_from_round(*, round_: Round, choices: list[dict], acting_user) -> list[Goal]:
    """Turn a closed round's priorities into goals, each with one first action.

    choices: [{"accent_code": str, "title": str, "term": "kort"|"lang"}]; accents that already have a
    live goal from this round are skipped (so a double click creates nothing twice).
    """
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.CLOSED:
        raise ServiceError(_("Doelen maak je van een afgesloten ronde."))
    items = {item.accent_code: item for item in consensus_priorities(round_)}
    done = set(Goal.objects.alive().filter(source_round=round_).values_list("accent_code", flat=True))
    model = round_.model
    goals = []
    for choice in choices:
        item = items.get(choice["accent_code"])
        if item is None:
            raise ServiceError(_("Dit accent heeft geen prioriteit in deze ronde."))
        if item.accent_code in done:
            continue
        accent = model.accent(item.accent_code)
        goals.append(
            do_create_goal(
                school=round_.school,
                source_round=round_,
                layer_code=accent.layer_code,
                accent_code=accent.code,
                start_phase=item.phase,
                priority=item.priority,
                title=choice["title"],
                term=choice["term"],
                acting_user=acting_user,
                with_action=True,
            )
        )
        done.add(item.accent_code)
    return goals


@transaction.atomic
def do_carry_over_goals(*, round_: Round, goal_ids: list[int], acting_user) -> list[Goal]:
    """Carry goals of earlier years over to this closed round: each stays the same goal (its actions and history
    go with it), now following this round, with the priority this round agreed for its accent (if any). A goal that
    is not the school's, deleted, or already from this round is refused; nothing is changed then. A history row
    per goal says where it came from."""
    round_ = Round.objects.select_for_update().select_related("school").get(pk=round_.pk)
    if round_.status != RoundStatus.CLOSED:
        raise ServiceError(_("Doelen maak je van een afgesloten ronde."))
    wanted = set(goal_ids)
    goals = list(
        Goal.objects.select_for_update(of=("self",))  # the goal rows only: source_round is an outer join
        .select_related("source_round")
        .filter(pk__in=wanted, school=round_.school, deleted_at__isnull=True)
        .exclude(source_round=round_)
        .order_by("id")
    )
    if len(goals) != len(wanted):
        raise ServiceError(_("Een van de gekozen doelen kan niet worden meegenomen; er is niets gewijzigd."))
    priorities = {item.accent_code: item.priority for item in consensus_priorities(round_)}
    now = timezone.now()
    for goal in goals:
        before = goal.source_round.title if goal.source_round else ""
        goal.source_round = round_
        goal.priority = priorities.get(goal.accent_code)
        goal.version += 1
        goal.updated_at, goal.updated_by = now, acting_user
        goal.save(update_fields=["source_round", "priority", "version", "updated_at", "updated_by"])
        _log(obj=goal, kind="carried_over", acting_user=acting_user, changes={"source_round": [before, round_.title]})
    return goals


def _follow_new_accent(goal: Goal, *, keep_start_phase: bool) -> None:
    """A goal from a round moved to another accent: its start phase and priority were agreed for the old one.
    Take what the consensus agreed for the new accent (a phase the user changed in this same save wins). A goal
    added by hand keeps the phase people gave it: nobody agreed on another one."""
    if not goal.source_round_id:
        return
    item = None
    if goal.accent_code:
        item = ConsensusItem.objects.filter(round_id=goal.source_round_id, accent_code=goal.accent_code).first()
    if not keep_start_phase:
        goal.start_phase = item.phase if item is not None else None
    goal.priority = item.priority if item is not None else None


@transaction.atomic
def do_update_goal(*, goal: Goal, expected_version, acting_user, **fields) -> Goal:
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    if goal.deleted_at is not None:
        raise ServiceError(DELETED_MEANWHILE % {"item": _("Dit doel")})
    check_version(goal.version, expected_version)
    _check_layer(fields["layer_code"], fields.get("accent_code", ""))
    _check_member(goal.school, fields.get("monitored_by"), _("Wie monitort"))
    before = _snapshot(goal, (*GOAL_FIELDS, "priority"))
    start_phase_given = fields.get("start_phase", goal.start_phase) != goal.start_phase
    for name in GOAL_FIELDS:
        setattr(goal, name, fields.get(name, getattr(goal, name)))
    if before["accent_code"] != _display(goal.accent_code):
        _follow_new_accent(goal, keep_start_phase=start_phase_given)
    changes = _diff(before, _snapshot(goal, (*GOAL_FIELDS, "priority")))
    if not changes:
        return goal
    goal.version += 1
    goal.updated_at, goal.updated_by = timezone.now(), acting_user
    goal.save()
    _log(obj=goal, kind="updated", acting_user=acting_user, changes=changes)
    if "layer_code" in changes:  # actions follow their goal's growth layer, each with a new version and history
        now = timezone.now()
        for action in goal.actions.alive().select_for_update(of=("self",)).exclude(layer_code=goal.layer_code):
            old_layer = _display(action.layer_code)
            action.layer_code, action.version = goal.layer_code, action.version + 1
            action.updated_at, action.updated_by = now, acting_user
            action.save(update_fields=["layer_code", "version", "updated_at", "updated_by"])
            _log(
                obj=action,
                kind="updated",
                acting_user=acting_user,
                changes={"layer_code": [old_layer, _display(action.layer_code)]},
            )
    return goal


@transaction.atomic
def do_delete_goal(*, goal: Goal, acting_user) -> Goal:
    """Delete softly, with its actions (same moment, so they come back together)."""
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    if goal.deleted_at is not None:
        return goal
    now = timezone.now()
    goal.deleted_at, goal.deleted_by = now, acting_user
    goal.save(update_fields=["deleted_at", "deleted_by"])
    actions = list(goal.actions.alive())
    goal.actions.alive().update(deleted_at=now, deleted_by=acting_user)
    for action in actions:
        action.deleted_at = now
        _log(obj=action, kind="deleted", acting_user=acting_user)
    _log(obj=goal, kind="deleted", acting_user=acting_user, changes={"actions": [str(len(actions)), ""]})
    return goal


def _check_restorable(obj):
    if obj.deleted_at is None:
        raise ServiceError(_("Dit staat niet bij de verwijderde onderdelen."))
    if obj.deleted_at < timezone.now() - timedelta(days=RESTORE_DAYS):
        raise ServiceError(_("Dit is langer dan %(days)d dagen geleden verwijderd.") % {"days": RESTORE_DAYS})


@transaction.atomic
def do_restore_goal(*, goal: Goal, acting_user) -> Goal:
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    _check_restorable(goal)
    deleted_at = goal.deleted_at
    goal.deleted_at, goal.deleted_by = None, None
    goal.save(update_fields=["deleted_at", "deleted_by"])
    actions = list(goal.actions.filter(deleted_at=deleted_at))
    goal.actions.filter(deleted_at=deleted_at).update(deleted_at=None, deleted_by=None)
    for action in actions:
        _log(obj=action, kind="restored", acting_user=acting_user)
    _log(obj=goal, kind="restored", acting_user=acting_user)
    return goal


# Actions -----------------------------------------------------------------------


@transaction.atomic
def do_create_action(
    *,
    school,
    title,
    acting_user,
    goal: Goal | None = None,
    layer_code: str = "",
    steps=(),
    owner=None,
    due_date=None,
    monitoring="",
    status=ActionStatus.PLANNED,
    suggestion_code="",
    meeting: Meeting | None = None,
) -> Action:
    if meeting is not None and meeting.school_id != school.pk:
        raise ServiceError(_("Kies een bijeenkomst van dit actieplan."))
    if goal is not None:
        if goal.school_id != school.pk or goal.deleted_at is not None:
            raise ServiceError(_("Kies een doel van dit actieplan."))
        layer_code = goal.layer_code
    _check_layer(layer_code)
    _check_member(school, owner, _("Wie verantwoordelijk is"))
    if suggestion_code and load_suggestions().get(suggestion_code) is None:
        suggestion_code = ""
    lines = _clean_steps(steps)
    now = timezone.now()
    action = Action.objects.create(
        school=school,
        goal=goal,
        layer_code=layer_code,
        title=title,
        owner=owner,
        due_date=due_date,
        monitoring=monitoring,
        status=ActionStatus(status),
        suggestion_code=suggestion_code,
        meeting=meeting,
        created_at=now,
        created_by=acting_user,
        updated_at=now,
        updated_by=acting_user,
    )
    ActionStep.objects.bulk_create([ActionStep(action=action, position=i, text=t) for i, t in enumerate(lines)])
    changes = _diff({}, _snapshot(action, ACTION_FIELDS))
    if lines:
        changes["steps"] = ["", "\n".join(lines)]
    _log(obj=action, kind="created", acting_user=acting_user, changes=changes)
    if owner is not None:  # after commit: the owner's mail (notifications)
        events.publish(
            "action.assigned", action_id=action.pk, owner_id=owner.pk, acting_user_id=getattr(acting_user, "pk", None)
        )
    return action


def _lock_action(action: Action) -> Action:
    action = Action.objects.select_for_update(of=("self",)).select_related("school").get(pk=action.pk)
    if action.deleted_at is not None:
        raise ServiceError(DELETED_MEANWHILE % {"item": _("Dit actiepunt")})
    return action


@transaction.atomic
def do_update_action(*, action: Action, expected_version, acting_user, steps, **fields) -> Action:
    action = _lock_action(action)
    check_version(action.version, expected_version)
    goal = fields.get("goal")
    if goal is not None:
        if goal.school_id != action.school_id or goal.deleted_at is not None:
            raise ServiceError(_("Kies een doel van dit actieplan."))
        fields["layer_code"] = goal.layer_code
    _check_layer(fields["layer_code"])
    _check_member(action.school, fields.get("owner"), _("Wie verantwoordelijk is"))
    lines = _clean_steps(steps)
    before = _snapshot(action, ACTION_FIELDS)
    for name in ACTION_FIELDS:
        setattr(action, name, fields[name])
    changes = _diff(before, _snapshot(action, ACTION_FIELDS))
    old_steps, new_steps = _sync_steps(action, lines)
    if old_steps != new_steps:
        changes["steps"] = ["\n".join(old_steps), "\n".join(new_steps)]
    if not changes:
        return action
    action.version += 1
    action.updated_at, action.updated_by = timezone.now(), acting_user
    action.save()
    _log(obj=action, kind="updated", acting_user=acting_user, changes=changes)
    if "owner" in changes and action.owner_id is not None:  # after commit: the new owner's mail (notifications)
        events.publish(
            "action.assigned",
            action_id=action.pk,
            owner_id=action.owner_id,
            acting_user_id=getattr(acting_user, "pk", None),
        )
    return action


@transaction.atomic
def do_set_action_status(*, action: Action, status, acting_user) -> Action:
    action = _lock_action(action)
    status = ActionStatus(status)
    if action.status == status:
        return action
    before = _display(action.status)
    action.status = status
    action.version += 1
    action.updated_at, action.updated_by = timezone.now(), acting_user
    action.save(update_fields=["status", "version", "updated_at", "updated_by"])
    _log(obj=action, kind="status", acting_user=acting_user, changes={"status": [before, _display(status)]})
    return action


@transaction.atomic
def do_set_step_done(*, step: ActionStep, done: bool, acting_user) -> ActionStep:
    action = _lock_action(step.action)
    step = ActionStep.objects.select_for_update().get(pk=step.pk, action=action)
    if step.is_done == done:
        return step
    step.done_at, step.done_by = (timezone.now(), acting_user) if done else (None, None)
    step.save(update_fields=["done_at", "done_by"])
    Action.objects.filter(pk=action.pk).update(updated_at=timezone.now(), updated_by=acting_user)
    state = [_("open"), _("gedaan")]
    _log(
        obj=action,
        kind="step",
        acting_user=acting_user,
        changes={step.text: [state[not done], state[done]]},
    )
    return step


@transaction.atomic
def do_add_update(*, action: Action, text: str, acting_user, meeting: Meeting | None = None) -> ActionUpdate:
    action = _lock_action(action)
    text = text.strip()
    if not text:
        raise ServiceError(_("Schrijf eerst een update."))
    if meeting is not None and meeting.school_id != action.school_id:
        raise ServiceError(_("Deze bijeenkomst hoort niet bij deze school."))
    update = ActionUpdate.objects.create(action=action, author=acting_user, meeting=meeting, text=text)
    Action.objects.filter(pk=action.pk).update(updated_at=update.created_at, updated_by=acting_user)
    record(
        action="action.update_added",
        acting_user=acting_user,
        school=action.school,
        target=action,
        data={"meeting": meeting.pk if meeting else None},
    )
    return update


@transaction.atomic
def do_delete_action(*, action: Action, acting_user) -> Action:
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.deleted_at is None:
        action.deleted_at, action.deleted_by = timezone.now(), acting_user
        action.save(update_fields=["deleted_at", "deleted_by"])
        _log(obj=action, kind="deleted", acting_user=acting_user)
    return action


@transaction.atomic
def do_restore_action(*, action: Action, acting_user) -> Action:
    # of=self: the goal is an outer join (it may be empty), which PostgreSQL cannot lock
    action = Action.objects.select_for_update(of=("self",)).select_related("goal").get(pk=action.pk)
    _check_restorable(action)
    changes = {}
    if action.goal is not None and action.goal.deleted_at is not None:
        changes["goal"] = [action.goal.title, ""]  # its goal is still deleted: the action stands on its own
        action.goal = None
    action.deleted_at, action.deleted_by = None, None
    action.save(update_fields=["deleted_at", "deleted_by", "goal"])
    _log(obj=action, kind="restored", acting_user=acting_user, changes=changes)
    return action


def purge_deleted(*, now=None) -> tuple[int, int, int]:
    """Remove goals, actions and meetings deleted more than RESTORE_DAYS ago (for good). Returns the counts."""
    cutoff = (now or timezone.now()) - timedelta(days=RESTORE_DAYS)
    with transaction.atomic():
        _n, actions = Action.objects.filter(deleted_at__lt=cutoff).delete()
        _n, goals = Goal.objects.filter(deleted_at__lt=cutoff).delete()
        _n, meetings = Meeting.all_objects.filter(deleted_at__lt=cutoff).delete()
    return (
        goals.get("actionplans.Goal", 0),
        actions.get("actionplans.Action", 0),
        meetings.get("actionplans.Meeting", 0),
    )


# Meetings ----------------------------------------------------------------------


def _check_meeting_people(school, fields):
    for name, label in (
        ("chair", _("De voorzitter")),
        ("timekeeper", _("De tijdbewaker")),
        ("note_taker", _("De notulist")),
    ):
        _check_member(school, fields.get(name), label)
    start, end = fields.get("start_time"), fields.get("end_time")
    if start and end and end <= start:
        raise ServiceError(_("De eindtijd moet na de begintijd liggen."))


def _lock_meeting(meeting: Meeting) -> Meeting:
    locked = Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    if locked is None:
        raise ServiceError(DELETED_MEANWHILE % {"item": _("Deze bijeenkomst")})
    return locked


@transaction.atomic
def do_create_meeting(*, school, acting_user, **fields) -> Meeting:
    _check_meeting_people(school, fields)
    values = {name: fields.get(name) for name in MEETING_FIELDS}
    values["location"] = values["location"] or ""
    meeting = Meeting.objects.create(school=school, created_by=acting_user, **values)
    record(
        action="meeting.created",
        acting_user=acting_user,
        school=school,
        target=meeting,
        data={"date": meeting.date.isoformat()},
    )
    events.publish("meeting.changed", meeting_id=meeting.pk)  # after commit: the invitation mail (notifications)
    return meeting


@transaction.atomic
def do_update_meeting(*, meeting: Meeting, expected_version, acting_user, **fields) -> Meeting:
    meeting = _lock_meeting(meeting)
    check_version(meeting.version, expected_version)
    _check_meeting_people(meeting.school, fields)
    before = _snapshot(meeting, MEETING_FIELDS)
    for name in MEETING_FIELDS:
        setattr(meeting, name, fields.get(name))
    meeting.location = meeting.location or ""
    changes = _diff(before, _snapshot(meeting, MEETING_FIELDS))
    if changes:
        meeting.version += 1
        meeting.updated_at = timezone.now()
        meeting.save()
        record(
            action="meeting.updated",
            acting_user=acting_user,
            school=meeting.school,
            target=meeting,
            data={"changed": sorted(changes)},
        )
        events.publish("meeting.changed", meeting_id=meeting.pk)  # after commit: the updated invitation
    return meeting


@transaction.atomic
def do_save_minutes(*, meeting: Meeting, minutes: str, expected_version, acting_user) -> Meeting:
    """Autosaved as the note taker types; another person's save in between is a conflict, never overwritten."""
    meeting = _lock_meeting(meeting)
    check_version(meeting.version, expected_version)
    if meeting.minutes == minutes:
        return meeting
    meeting.minutes = minutes
    meeting.version += 1
    meeting.updated_at = timezone.now()
    meeting.save(update_fields=["minutes", "version", "updated_at"])
    record(
        action="meeting.minutes_saved",
        acting_user=acting_user,
        school=meeting.school,
        target=meeting,
        data={"length": len(minutes)},
    )
    return meeting


@transaction.atomic
def do_delete_meeting(*, meeting: Meeting, acting_user) -> None:
    """Put a meeting in the trash (minutes included) for RESTORE_DAYS days. Updates and actions from it stay with
    their actions. A second delete (a double click) finds nothing live and does nothing. The version rises (the
    meeting no longer takes place: the invitees' calendars get a cancellation with that version as its SEQUENCE,
    published as "meeting.cancelled" after commit)."""
    locked = Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    if locked is None:
        return
    locked.deleted_at, locked.deleted_by = timezone.now(), acting_user
    locked.version += 1
    locked.save(update_fields=["deleted_at", "deleted_by", "version"])
    record(
        action="meeting.deleted",
        acting_user=acting_user,
        school=locked.school,
        target=locked,
        data={"date": locked.date.isoformat(), "minutes_length": len(locked.minutes)},
    )
    events.publish("meeting.cancelled", meeting_id=locked.pk)  # after commit: the cancellation (notifications)


@transaction.atomic
def do_restore_meeting(*, meeting: Meeting, acting_user) -> Meeting:
    """Back from the trash. The version rises again, so the invitation sent after commit ("meeting.changed") has a
    SEQUENCE above the cancellation's and puts the meeting back in the calendars that removed it."""
    meeting = Meeting.all_objects.select_for_update().get(pk=meeting.pk)
    _check_restorable(meeting)
    meeting.deleted_at, meeting.deleted_by = None, None
    meeting.version += 1
    meeting.save(update_fields=["deleted_at", "deleted_by", "version"])
    record(
        action="meeting.restored",
        acting_user=acting_user,
        school=meeting.school,
        target=meeting,
        data={"date": meeting.date.isoformat()},
    )
    events.publish("meeting.changed", meeting_id=meeting.pk, restored=True)  # after commit: invited again
    return meeting
