"""The action plan: goals, actions, the werkgroep's meetings. Thin views; access and services decide."""

from typing import Any

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import lookups as assessments_lookups
from assessments.models import RoundStatus
from audit.models import record_download
from core.editing import edit, form_status, post_data
from core.errors import ServiceError
from core.urls_safe import safe_next
from ontwikkelmodel.content import load_file
from organisations import access

from . import lookups, services
from .content import load_suggestions
from .forms import (
    ActionForm,
    CarryOverForm,
    FromRoundForm,
    GoalForm,
    MeetingForm,
    MinutesForm,
    StatusForm,
    StepForm,
    UpdateForm,
)
from .models import RESTORE_DAYS, SHORT_TERM_ADVICE, Action, ActionStatus, Goal, Meeting, PlanChange, Term
from .overview import (
    actions_queryset,
    agenda,
    carry_over_candidates,
    last_and_next_meeting,
    mark,
    plan_overview,
    plan_part,
    plan_parts,
    show_in_full,
)


def _ctx(acc, **extra):
    return access.school_context(acc, model=load_file(), **extra)


def _plan_url(acc, anchor=""):
    return reverse("actionplans:plan", args=[acc.school.pk]) + anchor


def _next_url(request, default):
    """Where to go after a save: a local `next` (e.g. back to the meeting), else the default."""
    return safe_next(request, default)


def _history(**filters):
    return PlanChange.objects.filter(**filters).select_related("actor")[:200]


# The plan ----------------------------------------------------------------------


def plan(request, school_id):
    """The plan: goals, meetings, and a table of actions per growth layer (and of the late ones). A table of more
    than FOLD_ABOVE actions is folded, its rows loaded on demand (plan_part); ?alles=1 unfolds all (to print)."""
    acc = access.school_access(request, school_id)
    overview = plan_overview(acc.school, details=False)
    unfold = request.GET.get("alles") == "1"
    parts = plan_parts(overview, unfold=unfold)
    for part in parts:
        part.url = reverse("actionplans:plan_part", args=[acc.school.pk, part.key])
    show_in_full(parts, acc.school, today=overview.today)
    rounds = []
    if acc.can_edit_plan:
        rounds = list(acc.school.rounds.filter(status=RoundStatus.CLOSED).order_by("-closed_at")[:5])
    return render(
        request,
        "actionplans/plan.html",
        _ctx(
            acc,
            overview=overview,
            late=parts[0],
            layer_parts=parts[1:],
            any_folded=any(part.folded for part in parts),
            unfolded=unfold,
            closed_rounds=rounds,
            short_term_advice=SHORT_TERM_ADVICE,
        ),
    )


def plan_part_view(request, school_id, part):
    """One table of the plan page: the late actions ("te-laat") or one growth layer's ("groeilaag-2"). The folded
    table's rows for htmx; without JavaScript the same table as a page of its own."""
    acc = access.school_access(request, school_id)
    found = plan_part(acc.school, part)
    if found is None:
        raise Http404
    template = "actionplans/plan_part.html" + ("#part-table" if request.htmx else "")
    response = render(request, template, _ctx(acc, part=found))
    patch_vary_headers(response, ("HX-Request",))  # the page and its table share the address
    return response


# The Word and Excel files are made by the background worker and kept per version of the plan's content
# (core/generated.py, actionplans/export_files.py): the file at once when it is made, else the page that waits for it.


def _plan_file(request, school_id, extension: str):
    """The plan as a Word or Excel file; whoever may read the plan."""
    from core.generated import respond

    from .export_files import plan_spec

    acc = access.school_access(request, school_id)
    spec = plan_spec(acc.school, extension=extension)
    return respond(
        request,
        spec,
        on_download=lambda: record_download(
            request=request, action="export.plan", filename=spec.filename, school=acc.school
        ),
    )


def plan_docx(request, school_id):
    """The plan in the handbook's form (Bijlage 7) as a Word document; whoever may read the plan."""
    return _plan_file(request, school_id, "docx")


def plan_xlsx(request, school_id):
    """Actions, goals and meetings as Excel tables; whoever may read the plan."""
    return _plan_file(request, school_id, "xlsx")


def from_round(request, school_id, round_id):
    """The consensus priorities become goals, each with a first action; goals of earlier years that are not
    finished (long term, or with open actions) may be carried over to this round (a second form on the page)."""
    acc = access.school_access(request, school_id, "can_edit_plan")
    round_ = assessments_lookups.get_round(acc, round_id)
    if round_.status != RoundStatus.CLOSED:
        messages.info(request, _("Doelen maak je nadat de ronde is afgesloten."))
        return redirect("assessments:round", school_id=acc.school.pk, round_id=round_.pk)
    items = services.consensus_priorities(round_)
    taken = set(Goal.objects.alive().filter(source_round=round_).values_list("accent_code", flat=True))
    existing_short = _short_goal_count(acc)
    short_slots = max(0, SHORT_TERM_ADVICE - existing_short)
    carrying = request.method == "POST" and request.POST.get("form") == "meenemen"
    form = FromRoundForm(
        None if carrying else post_data(request), items=items, model=round_.model, taken=taken, short_slots=short_slots
    )
    carry_form = CarryOverForm(request.POST if carrying else None, candidates=carry_over_candidates(round_))
    if carrying and carry_form.is_valid():
        try:
            goals = services.do_carry_over_goals(
                round_=round_, goal_ids=carry_form.cleaned_data["goals"], acting_user=request.user
            )
        except ServiceError as exc:
            carry_form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(n)d doelen meegenomen naar deze ronde.") % {"n": len(goals)})
            return redirect(_plan_url(acc))
    elif request.method == "POST" and not carrying and form.is_valid():
        try:
            goals = services.do_create_goals_from_round(round_=round_, choices=form.choices, acting_user=request.user)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(n)d doelen toegevoegd, elk met een eerste actiepunt.") % {"n": len(goals)})
            now_short = existing_short + sum(1 for g in goals if g.term == Term.SHORT)
            if now_short > SHORT_TERM_ADVICE:
                messages.warning(
                    request,
                    _(
                        "Er staan nu %(n)d doelen op de korte termijn. Het handboek raadt twee of drie concrete doelen "
                        "voor het komende halfjaar aan; zet de rest op de lange termijn."
                    )
                    % {"n": now_short},
                )
            return redirect(_plan_url(acc))
    model = round_.model
    for goal in carry_form.candidates:
        goal.accent = model.accent(goal.accent_code) if goal.accent_code else None
    return render(
        request,
        "actionplans/from_round.html",
        _ctx(
            acc,
            round=round_,
            form=form,
            carry_form=carry_form,
            existing_short=existing_short,
            short_term_advice=SHORT_TERM_ADVICE,
            # the accents' names stay the handbook's Dutch (base.html's note)
            shows_handbook_text=bool(form.rows) or any(g.accent for g in carry_form.candidates),
        ),
        status=form_status(request),
    )


# Goals -------------------------------------------------------------------------


def _short_goal_count(acc, *, besides=None) -> int:
    """The plan's short-term goals (besides the one being edited): the handbook advises two or three."""
    goals = Goal.objects.alive().filter(school=acc.school, term=Term.SHORT)
    return (goals.exclude(pk=besides.pk) if besides is not None else goals).count()


def _short_term_context(acc, goal=None) -> dict:
    """For the goal form, which warns past the handbook's advice."""
    return {"other_short_goals": _short_goal_count(acc, besides=goal), "short_term_advice": SHORT_TERM_ADVICE}


def goal_new(request, school_id):
    acc = access.school_access(request, school_id, "can_edit_plan")
    initial = {"layer_code": request.GET.get("laag", "")[:8], "term": Term.SHORT}
    form = GoalForm(post_data(request), school=acc.school, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.do_create_goal(school=acc.school, acting_user=request.user, **form.goal_fields())
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Het doel is toegevoegd."))
            return redirect("actionplans:goal", school_id=acc.school.pk, goal_id=goal.pk)
    return render(
        request,
        "actionplans/goal_form.html",
        _ctx(acc, form=form, **_short_term_context(acc)),
        status=form_status(request),
    )


def goal_detail(request, school_id, goal_id):
    acc = access.school_access(request, school_id)
    goal = lookups.get_goal(acc, goal_id)
    model = load_file()
    goal.accent = model.accent(goal.accent_code) if goal.accent_code else None
    actions = mark(list(actions_queryset(acc.school).filter(goal=goal)), timezone.localdate())
    return render(
        request,
        "actionplans/goal_detail.html",
        _ctx(acc, goal=goal, layer=model.layer(goal.layer_code), actions=actions, history=_history(goal=goal)),
    )


def goal_edit(request, school_id, goal_id):
    acc = access.school_access(request, school_id, "can_edit_plan")
    # A save may meet a delete made meanwhile: then the service says so and the input stays in the form.
    goal = lookups.get_goal(acc, goal_id, deleted=None if request.method == "POST" else False)
    initial = {f: getattr(goal, f) for f in services.GOAL_FIELDS} | {"version": goal.version}
    form = GoalForm(post_data(request), school=acc.school, initial=initial)

    def done(_saved):
        messages.success(request, _("Het doel is opgeslagen."))
        return redirect("actionplans:goal", school_id=acc.school.pk, goal_id=goal.pk)

    return edit(
        request,
        form,
        goal,
        save=lambda version: services.do_update_goal(
            goal=goal, expected_version=version, acting_user=request.user, **form.goal_fields()
        ),
        fields=services.GOAL_FIELDS,
        template="actionplans/goal_form.html",
        context=lambda conflict: _ctx(
            acc, form=form, goal=goal, conflict=conflict, saved_by=goal.updated_by, **_short_term_context(acc, goal)
        ),
        done=done,
    )


def goal_delete(request, school_id, goal_id):
    acc = access.school_access(request, school_id, "can_edit_plan")
    goal = lookups.get_goal(acc, goal_id)
    if request.method == "POST":
        services.do_delete_goal(goal=goal, acting_user=request.user)
        messages.success(
            request,
            _("Het doel en zijn actiepunten zijn verwijderd. Je kunt ze %(days)d dagen terugzetten via de prullenbak.")
            % {"days": RESTORE_DAYS},
        )
        return redirect(_plan_url(acc))
    n_actions = goal.actions.alive().count()
    return render(request, "actionplans/confirm_delete.html", _ctx(acc, item=goal, kind="goal", n_actions=n_actions))


@require_POST
def goal_restore(request, school_id, goal_id):
    acc = access.school_access(request, school_id, "can_edit_plan")
    goal = lookups.get_goal(acc, goal_id, deleted=True)
    try:
        services.do_restore_goal(goal=goal, acting_user=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("actionplans:trash", school_id=acc.school.pk)
    messages.success(request, _("Het doel staat weer in het actieplan."))
    return redirect("actionplans:goal", school_id=acc.school.pk, goal_id=goal.pk)


# Actions -----------------------------------------------------------------------


def _goals(acc):
    return Goal.objects.alive().filter(school=acc.school)


def action_new(request, school_id):
    acc = access.school_access(request, school_id, "can_edit_plan")
    suggestions = load_suggestions()
    initial: dict[str, Any] = {"status": ActionStatus.PLANNED}
    keep = {}  # what a click on a suggestion must not forget: the goal, the layer, the meeting
    if request.GET.get("laag"):
        initial["layer_code"] = keep["laag"] = request.GET["laag"][:8]
    picked = suggestions.get(request.GET.get("suggestie", "")[:40])
    if picked is not None:
        initial |= {"title": picked.text[:300], "layer_code": picked.layer_code, "suggestion": picked.code}
    goal = None
    if request.GET.get("doel", ""):
        goal = lookups.get_goal(acc, request.GET["doel"])
        initial |= {"goal": goal.pk, "layer_code": goal.layer_code}  # an action has its goal's layer
        keep["doel"] = goal.pk
    meeting = None
    meeting_id = request.POST.get("bijeenkomst") or request.GET.get("bijeenkomst")
    if meeting_id:
        meeting = lookups.get_meeting(acc, meeting_id)
        keep["bijeenkomst"] = meeting.pk
    form = ActionForm(post_data(request), school=acc.school, goals=_goals(acc), initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = form.action_fields()
        try:
            action = services.do_create_action(
                school=acc.school,
                acting_user=request.user,
                suggestion_code=form.cleaned_data["suggestion"],
                meeting=meeting,
                **fields,
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Het actiepunt is toegevoegd."))
            if meeting is not None:
                return redirect(
                    reverse("actionplans:meeting", args=[acc.school.pk, meeting.pk]) + f"#action-{action.pk}"
                )
            return redirect("actionplans:action", school_id=acc.school.pk, action_id=action.pk)
    return render(
        request,
        "actionplans/action_form.html",
        _ctx(
            acc,
            form=form,
            suggestions=suggestions,
            picked=picked,
            meeting=meeting,
            open_layer=picked.layer_code if picked else initial.get("layer_code", ""),
            keep_query=urlencode(keep),
        ),
        status=form_status(request),
    )


def _render_action(request, acc, action, *, update_form=None, status=200):
    """The action page; also after an update that did not validate (then with that form and its errors)."""
    action.overdue = action.is_overdue()
    return render(
        request,
        "actionplans/action_detail.html",
        _ctx(
            acc,
            action=action,
            layer=load_file().layer(action.layer_code),
            steps=list(action.steps.select_related("done_by")),
            updates=list(action.updates.select_related("author", "meeting")),
            history=_history(action=action),
            can_work=acc.can_work_on_action(action),
            update_form=update_form or UpdateForm(),
            statuses=ActionStatus.choices,
            suggestion=load_suggestions().get(action.suggestion_code) if action.suggestion_code else None,
        ),
        status=status,
    )


def action_detail(request, school_id, action_id):
    acc = access.school_access(request, school_id)
    return _render_action(request, acc, lookups.get_action(acc, action_id))


def _steps_row(form, action) -> list[dict]:
    """The steps, one per line, when the saved ones differ from the form's (a conflict row)."""
    saved_steps = "\n".join(action.steps.values_list("text", flat=True))
    mine = "\n".join(form.cleaned_data["steps"])
    return [{"label": form.fields["steps"].label, "saved": saved_steps, "mine": mine}] if saved_steps != mine else []


def action_edit(request, school_id, action_id):
    acc = access.school_access(request, school_id, "can_edit_plan")
    action = lookups.get_action(acc, action_id, deleted=None if request.method == "POST" else False)
    initial = {f: getattr(action, f) for f in ("title", "layer_code", "due_date", "monitoring", "status")}
    initial |= {
        "goal": action.goal_id,
        "owner": action.owner_id,
        "steps": "\n".join(action.steps.values_list("text", flat=True)),
        "version": action.version,
    }
    form = ActionForm(post_data(request), school=acc.school, goals=_goals(acc), initial=initial)

    def done(_saved):
        messages.success(request, _("Het actiepunt is opgeslagen."))
        return redirect(_next_url(request, reverse("actionplans:action", args=[acc.school.pk, action.pk])))

    return edit(
        request,
        form,
        action,
        save=lambda version: services.do_update_action(
            action=action, expected_version=version, acting_user=request.user, **form.action_fields()
        ),
        fields=services.ACTION_FIELDS,
        more_rows=_steps_row,
        template="actionplans/action_form.html",
        context=lambda conflict: _ctx(acc, form=form, action=action, conflict=conflict, saved_by=action.updated_by),
        done=done,
    )


def action_delete(request, school_id, action_id):
    acc = access.school_access(request, school_id, "can_edit_plan")
    action = lookups.get_action(acc, action_id)
    if request.method == "POST":
        services.do_delete_action(action=action, acting_user=request.user)
        messages.success(
            request,
            _("Het actiepunt is verwijderd. Je kunt het %(days)d dagen terugzetten via de prullenbak.")
            % {"days": RESTORE_DAYS},
        )
        return redirect(_plan_url(acc))
    return render(request, "actionplans/confirm_delete.html", _ctx(acc, item=action, kind="action"))


@require_POST
def action_restore(request, school_id, action_id):
    acc = access.school_access(request, school_id, "can_edit_plan")
    action = lookups.get_action(acc, action_id, deleted=True)
    try:
        services.do_restore_action(action=action, acting_user=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("actionplans:trash", school_id=acc.school.pk)
    messages.success(request, _("Het actiepunt staat weer in het actieplan."))
    return redirect("actionplans:action", school_id=acc.school.pk, action_id=action.pk)


def _work_access(request, school_id, action_id):
    acc = access.school_access(request, school_id, "is_member")
    action = lookups.get_action(acc, action_id)
    access.require(acc.can_work_on_action(action))
    return acc, action


@require_POST
def action_status(request, school_id, action_id):
    acc, action = _work_access(request, school_id, action_id)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een bestaande status."))
        return redirect("actionplans:action", school_id=acc.school.pk, action_id=action.pk)
    services.do_set_action_status(action=action, status=form.cleaned_data["status"], acting_user=request.user)
    if form.cleaned_data["status"] == ActionStatus.CELEBRATED:
        messages.success(request, _("Gevierd! Goed dat jullie stilstaan bij wat er bereikt is."))
    else:
        messages.success(request, _("De status is bijgewerkt."))
    return redirect(_next_url(request, reverse("actionplans:action", args=[acc.school.pk, action.pk])))


@require_POST
def action_step(request, school_id, action_id, step_id):
    acc, action = _work_access(request, school_id, action_id)
    step = lookups.get_step(action, step_id)
    form = StepForm(request.POST)
    form.is_valid()  # a boolean: anything but a true value means "not done"
    step = services.do_set_step_done(step=step, done=form.cleaned_data.get("done", False), acting_user=request.user)
    if request.htmx:
        return render(
            request, "actionplans/action_detail.html#step", _ctx(acc, action=action, step=step, can_work=True)
        )
    return redirect(reverse("actionplans:action", args=[acc.school.pk, action.pk]) + "#steps")


@require_POST
def action_update(request, school_id, action_id):
    acc, action = _work_access(request, school_id, action_id)
    form = UpdateForm(request.POST)
    meeting = None
    if request.POST.get("bijeenkomst"):
        meeting = lookups.get_meeting(acc, request.POST["bijeenkomst"])
    if form.is_valid():
        try:
            services.do_add_update(
                action=action, text=form.cleaned_data["text"], meeting=meeting, acting_user=request.user
            )
        except ServiceError as exc:
            form.add_error("text", str(exc))
    if form.errors:
        # Back to the meeting's agenda with the form; an earlier meeting shows no agenda: then the action page.
        if meeting is not None and _current_meeting_if_later(acc, meeting, timezone.localdate()) is None:
            return _render_meeting(request, acc, meeting, update_forms={action.pk: form}, status=400)
        return _render_action(request, acc, action, update_form=form, status=400)
    messages.success(request, _("De update is toegevoegd."))
    if meeting is not None:
        return redirect(reverse("actionplans:meeting", args=[acc.school.pk, meeting.pk]) + f"#action-{action.pk}")
    return redirect(reverse("actionplans:action", args=[acc.school.pk, action.pk]) + "#updates")


def my_actions(request, school_id):
    acc = access.school_access(request, school_id, "is_member")
    actions = mark(list(actions_queryset(acc.school).filter(owner=request.user)), timezone.localdate())
    open_actions = [a for a in actions if a.is_open]
    return render(
        request,
        "actionplans/my_actions.html",
        _ctx(acc, open_actions=open_actions, finished=[a for a in actions if not a.is_open]),
    )


def trash(request, school_id):
    acc = access.school_access(request, school_id, "can_edit_plan")
    goals = list(Goal.objects.restorable().filter(school=acc.school).select_related("deleted_by"))
    actions = list(
        Action.objects.restorable()
        .filter(school=acc.school)
        .exclude(goal__in=[g.pk for g in goals], deleted_at__in=[g.deleted_at for g in goals])
        .select_related("deleted_by", "goal")
    )
    meetings = list(Meeting.all_objects.restorable().filter(school=acc.school).select_related("deleted_by"))
    return render(
        request,
        "actionplans/trash.html",
        _ctx(acc, goals=goals, actions=actions, meetings=meetings, days=RESTORE_DAYS),
    )


# Meetings ----------------------------------------------------------------------


def meeting_new(request, school_id):
    acc = access.school_access(request, school_id, "can_edit_plan")
    initial: dict[str, Any] = {}  # no date: a meeting dated today would count as held and silence the six-week reminder
    last = Meeting.objects.filter(school=acc.school).order_by("-date", "-id").first()
    if last is not None:  # same time, place and roles as last time: usually right
        initial |= {
            "start_time": last.start_time,
            "end_time": last.end_time,
            "location": last.location,
            "chair": last.chair_id,
            "timekeeper": last.timekeeper_id,
            "note_taker": last.note_taker_id,
        }
    form = MeetingForm(post_data(request), school=acc.school, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.do_create_meeting(school=acc.school, acting_user=request.user, **form.meeting_fields())
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("De bijeenkomst is gepland."))
            return redirect("actionplans:meeting", school_id=acc.school.pk, meeting_id=meeting.pk)
    return render(request, "actionplans/meeting_form.html", _ctx(acc, form=form), status=form_status(request))


def meeting_edit(request, school_id, meeting_id):
    acc = access.school_access(request, school_id, "can_edit_plan")
    meeting = lookups.get_meeting(acc, meeting_id)
    initial = {f: getattr(meeting, f) for f in ("date", "start_time", "end_time", "location")}
    initial |= {
        "chair": meeting.chair_id,
        "timekeeper": meeting.timekeeper_id,
        "note_taker": meeting.note_taker_id,
        "version": meeting.version,
    }
    form = MeetingForm(post_data(request), school=acc.school, initial=initial)

    def done(_saved):
        messages.success(request, _("De bijeenkomst is bijgewerkt."))
        return redirect("actionplans:meeting", school_id=acc.school.pk, meeting_id=meeting.pk)

    return edit(
        request,
        form,
        meeting,
        save=lambda version: services.do_update_meeting(
            meeting=meeting, expected_version=version, acting_user=request.user, **form.meeting_fields()
        ),
        fields=services.MEETING_FIELDS,
        template="actionplans/meeting_form.html",
        context=lambda conflict: _ctx(acc, form=form, meeting=meeting, conflict=conflict),
        done=done,
    )


def meeting_delete(request, school_id, meeting_id):
    acc = access.school_access(request, school_id, "can_edit_plan")
    meeting = lookups.get_meeting(acc, meeting_id)
    if request.method == "POST":
        services.do_delete_meeting(meeting=meeting, acting_user=request.user)
        messages.success(
            request,
            _("De bijeenkomst van %(date)s is verwijderd. Je kunt hem %(days)d dagen terugzetten via de prullenbak.")
            % {"date": date_format(meeting.date, "j F Y"), "days": RESTORE_DAYS},
        )
        return redirect(_plan_url(acc))
    return render(
        request,
        "actionplans/confirm_delete.html",
        _ctx(
            acc,
            item=meeting,
            kind="meeting",
            n_updates=meeting.updates.count(),
            n_actions=meeting.new_actions.alive().count(),
        ),
    )


@require_POST
def meeting_restore(request, school_id, meeting_id):
    acc = access.school_access(request, school_id, "can_edit_plan")
    meeting = lookups.get_meeting(acc, meeting_id, deleted=True)
    try:
        services.do_restore_meeting(meeting=meeting, acting_user=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("actionplans:trash", school_id=acc.school.pk)
    messages.success(request, _("De bijeenkomst staat weer in het actieplan, met haar notulen."))
    return redirect("actionplans:meeting", school_id=acc.school.pk, meeting_id=meeting.pk)


def _current_meeting_if_later(acc, meeting, today):
    """The current meeting when ``meeting`` is an earlier one (the agenda and its update forms belong to the
    current and coming meetings); None when ``meeting`` is the current one or still to come."""
    current, _upcoming = last_and_next_meeting(acc.school, today)
    if meeting.date < today and current is not None and current.pk != meeting.pk:
        return current
    return None


def _render_meeting(request, acc, meeting, *, minutes_form=None, update_forms=None, status=200, conflict=None):
    context = _meeting_context(acc, meeting, minutes_form=minutes_form, update_forms=update_forms, conflict=conflict)
    return render(request, "actionplans/meeting_detail.html", context, status=status)


def _meeting_context(acc, meeting, *, minutes_form=None, update_forms=None, conflict=None):
    # The agenda is proposed from the actions as they are now: it belongs to the current and coming meetings,
    # not to one that an other meeting has followed (its updates and minutes stay readable).
    today = timezone.localdate()
    current = _current_meeting_if_later(acc, meeting, today)
    earlier = current is not None
    proposed = None if earlier else agenda(meeting, today=today)
    given = update_forms or {}
    for action in proposed["all"] if proposed else ():
        action.update_form = given.get(action.pk) or UpdateForm(auto_id=f"id_update_{action.pk}_%s")
    if minutes_form is None:
        minutes_form = MinutesForm(initial={"minutes": meeting.minutes, "version": meeting.version})
    return _ctx(
        acc,
        meeting=meeting,
        agenda=proposed,
        current_meeting=current if earlier else None,
        minutes_form=minutes_form,
        can_edit=acc.can_edit_plan,
        conflict=conflict,
        meeting_updates=list(meeting.updates.select_related("action", "author")),
        meeting_actions=list(meeting.new_actions.alive().select_related("owner")),
    )


def meeting_detail(request, school_id, meeting_id):
    acc = access.school_access(request, school_id, "is_member")
    meeting = lookups.get_meeting(acc, meeting_id)
    return _render_meeting(request, acc, meeting)


@require_POST
def meeting_minutes(request, school_id, meeting_id):
    """Save the minutes: htmx autosave as people type, or the plain form's button."""
    acc = access.school_access(request, school_id, "can_edit_plan")
    meeting = lookups.get_meeting(acc, meeting_id)
    form = MinutesForm(request.POST)

    def saved_minutes(_form):  # the user's text stays in the box; the page shows the saved text next to it
        meeting.refresh_from_db()
        return {"saved": meeting.minutes, "version": meeting.version}

    def status_part(meeting, conflict):
        return _ctx(acc, meeting=meeting, minutes_form=form, conflict=conflict, saved_at=timezone.localtime())

    def done(saved):
        if request.htmx:
            return render(request, "actionplans/meeting_detail.html#minutes-status", status_part(saved, None))
        messages.success(request, _("De notulen zijn opgeslagen."))
        return redirect(reverse("actionplans:meeting", args=[acc.school.pk, saved.pk]) + "#minutes")

    return edit(  # a refusal other than a conflict (the meeting went to the trash) keeps the text in the browser
        request,
        form,
        meeting,
        save=lambda version: services.do_save_minutes(
            meeting=meeting, minutes=form.cleaned_data["minutes"], expected_version=version, acting_user=request.user
        ),
        template="actionplans/meeting_detail.html" + ("#minutes-status" if request.htmx else ""),
        context=lambda conflict: (
            status_part(meeting, conflict)
            if request.htmx
            else _meeting_context(acc, meeting, minutes_form=form, conflict=conflict)
        ),
        done=done,
        on_conflict=saved_minutes,
    )
