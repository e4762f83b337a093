"""Assessment rounds: organise, fill in, consensus, present, result."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core import save_order
from core.conflicts import carry_version
from core.editing import edit
from core.errors import ServiceError
from ontwikkelmodel.content import load_gespreksformulier
from organisations import access

from . import lookups, services
from .forms import ConsensusItemForm, LayerAnswersForm, PrioritiesForm, ReopenForm, RoundForm
from .growth import previous_agreements, with_previous
from .lookups import closed_round_access  # also the result page's and its PDF's (pages/round_result.py)
from .models import DONT_KNOW, ConsensusItem, Participant, RoundStatus
from .summary import summarise, written_answers

# Organising ---------------------------------------------------------------


def round_new(request, school_id):
    acc = access.school_access(request, school_id, "can_organise_rounds")
    initial = {"participants": [m.pk for m in services.default_participants(acc.school)], "anonymous": True}
    form = RoundForm(request.POST if request.method == "POST" else None, school=acc.school, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.do_create_round(school=acc.school, acting_user=request.user, **form.round_fields())
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("De ronde is geopend. Deelnemers kunnen nu invullen."))
            return redirect("assessments:round", school_id=acc.school.pk, round_id=round_.pk)
    return render(
        request,
        "assessments/round_form.html",
        access.school_context(acc, form=form, open_rounds=_other_open_rounds(acc.school)),
        status=400 if request.method == "POST" else 200,
    )


def round_edit(request, school_id, round_id):
    acc, round_ = lookups.round_access(request, school_id, round_id, "can_organise_rounds")
    if round_.is_closed:
        raise Http404
    current = list(round_.participants.values_list("user_id", flat=True))
    initial = {
        "title": round_.title,
        "deadline": round_.deadline,
        "meeting_date": round_.meeting_date,
        "anonymous": round_.anonymous,
        "show_previous": round_.show_previous,
        "participants": list(acc.school.memberships.filter(user_id__in=current).values_list("pk", flat=True)),
        "facilitator": acc.school.memberships.filter(user_id=round_.facilitator_id).first(),
    }
    form = RoundForm(
        request.POST if request.method == "POST" else None,
        school=acc.school,
        initial=initial,
        anonymity_locked=round_.anonymity_locked,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.do_update_round(round_=round_, acting_user=request.user, **form.round_fields())
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("De ronde is bijgewerkt."))
            return redirect("assessments:round", school_id=acc.school.pk, round_id=round_.pk)
    return render(
        request,
        "assessments/round_form.html",
        access.school_context(
            acc,
            form=form,
            round=round_,
            new_members=list(
                acc.school.memberships.exclude(user_id__in=current).select_related("user").order_by("user__name")
            ),
        ),
        status=400 if request.method == "POST" else 200,
    )


def round_detail(request, school_id, round_id):
    acc, round_ = lookups.round_access(request, school_id, round_id)
    access.require(acc.can_organise_rounds or acc.can_facilitate(round_))
    participants = list(
        Participant.objects.filter(round=round_).select_related("user").order_by("user__name", "user__email")
    )
    n_submitted = sum(1 for p in participants if p.submitted_at)
    return render(
        request,
        "assessments/round_detail.html",
        access.school_context(
            acc,
            round=round_,
            participants=participants,
            n_submitted=n_submitted,
            open_rounds=_other_open_rounds(round_),
            move_on_warnings=(
                services.transition_warnings(round_, "consensus") if round_.is_open and acc.can_organise_rounds else []
            ),
            reopen_form=ReopenForm() if acc.can_reopen_rounds and round_.is_closed else None,
        ),
    )


def _other_open_rounds(round_or_school):
    return services.other_open_rounds(round_or_school)


def round_delete(request, school_id, round_id):
    """Delete a round nobody has filled in yet (services.deletable): a page that asks, then the POST. Organisers."""
    acc, round_ = lookups.round_access(request, school_id, round_id, "can_organise_rounds")
    if request.method == "POST":
        try:
            services.do_delete_round(round_=round_, acting_user=request.user)
        except ServiceError as exc:
            messages.error(request, str(exc))
            return redirect("assessments:round", school_id=acc.school.pk, round_id=round_.pk)
        messages.success(request, _("De ronde “%(title)s” is verwijderd.") % {"title": round_.title})
        return redirect("organisations:school", school_id=acc.school.pk)
    return render(
        request,
        "assessments/round_delete.html",
        access.school_context(
            acc,
            round=round_,
            deletable=services.deletable(round_),
            not_deletable=services.ROUND_NOT_DELETABLE,
            n_participants=round_.participants.count(),
        ),
    )


@require_POST
def round_remind(request, school_id, round_id):
    acc, round_ = lookups.round_access(request, school_id, round_id, "can_organise_rounds")
    try:
        n = services.do_send_reminders(
            round_=round_, acting_user=request.user, base_url=request.build_absolute_uri("/").rstrip("/")
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Herinnering klaargezet voor %(n)d deelnemer(s): de e-mail staat in de wachtrij en gaat zo de deur uit.")
            % {"n": n},
        )
    return redirect("assessments:round", school_id=acc.school.pk, round_id=round_.pk)


@require_POST
def round_transition(request, school_id, round_id, action):
    acc, round_ = lookups.round_access(request, school_id, round_id)
    actions = {
        "consensus": (services.do_start_consensus, acc.can_organise_rounds, _("Het consensusgesprek is gestart.")),
        "heropen-invullen": (services.do_reopen_filling, acc.can_organise_rounds, _("Invullen staat weer open.")),
        "afsluiten": (services.do_close_round, acc.can_facilitate(round_), _("De ronde is afgesloten.")),
    }
    fn: Callable[..., object]
    if action == "heropenen":
        access.require(acc.can_reopen_rounds)
        form = ReopenForm(request.POST)
        if not form.is_valid():
            messages.error(request, form.errors["reason"][0])  # type: ignore[arg-type]  # ErrorList[i] is the message
            return redirect("assessments:round", school_id=acc.school.pk, round_id=round_.pk)
        fn = lambda **kw: services.do_reopen_round(reason=form.cleaned_data["reason"], **kw)  # noqa: E731
        msg = _("De ronde is heropend. Dit is vastgelegd.")
    elif action in actions:
        fn, allowed, msg = actions[action]
        access.require(allowed)
        confirm = _confirm_transition(request, acc, round_, action)
        if confirm is not None:
            return confirm
    else:
        raise Http404
    try:
        fn(round_=round_, acting_user=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("assessments:round", school_id=acc.school.pk, round_id=round_.pk)
    messages.success(request, msg)
    if action == "afsluiten":
        return redirect("assessments:result", school_id=acc.school.pk, round_id=round_.pk)
    if action in ("consensus", "heropenen"):
        return redirect("assessments:consensus", school_id=acc.school.pk, round_id=round_.pk)
    return redirect("assessments:round", school_id=acc.school.pk, round_id=round_.pk)


TRANSITION_FROM = {"consensus": RoundStatus.OPEN, "afsluiten": RoundStatus.CONSENSUS}


def _confirm_transition(request, acc, round_, action):
    """Moving on while something is missing (services.transition_warnings): a page that says what, and asks to
    confirm with a checkbox (no JavaScript needed). None: nothing is missing, or the person confirmed."""
    if TRANSITION_FROM.get(action) != round_.status:
        return None  # the service refuses it with its own message
    warnings = services.transition_warnings(round_, action)
    if not warnings or request.POST.get("bevestigd") == "1":
        return None
    asked = request.POST.get("bevestigen") == "1"  # the confirm page was shown and its box left unticked
    return render(
        request,
        "assessments/round_confirm.html",
        access.school_context(
            acc,
            round=round_,
            action=action,
            warnings=warnings,
            error=_("Vink het vakje aan om toch door te gaan, of ga terug.") if asked else "",
            back=reverse(
                "assessments:consensus" if action == "afsluiten" else "assessments:round",
                args=[acc.school.pk, round_.pk],
            ),
        ),
        status=400 if asked else 200,
    )


# Filling in (Bijlage 5, step 1) ---------------------------------------------


def _fill_steps(round_):
    model = round_.model
    steps = [(layer.code, f"{layer.code} {layer.name}") for layer in model.layers]
    return steps + [("prioriteiten", _("Prioriteiten")), ("indienen", _("Controleren en indienen"))]


def _fill_context(acc, round_, participant, step):
    steps = _fill_steps(round_)
    codes = [s[0] for s in steps]
    i = codes.index(step)
    return access.school_context(
        acc,
        round=round_,
        participant=participant,
        steps=steps,
        step=step,
        prev_step=codes[i - 1] if i > 0 else None,
        next_step=codes[i + 1] if i + 1 < len(codes) else None,
        editable=round_.is_open and not participant.is_submitted,
        formulier=load_gespreksformulier(),
    )


def _chosen_step(request, ctx):
    """The step the user asked to go to with a 'go' button, if it is a real step."""
    go = request.POST.get("go")
    return go if go in [code for code, _label in ctx["steps"]] else None


def fill(request, school_id, round_id):
    acc, round_ = lookups.round_access(request, school_id, round_id)
    lookups.get_participant(acc, round_)
    return redirect(
        "assessments:fill_step", school_id=acc.school.pk, round_id=round_.pk, step=round_.model.layers[0].code
    )


@never_cache
def fill_step(request, school_id, round_id, step):
    acc, round_, participant = lookups.fill_access(request, school_id, round_id)
    if step == "prioriteiten":
        return _fill_priorities(request, acc, round_, participant)
    if step == "indienen":
        return _fill_submit(request, acc, round_, participant)
    layer = round_.model.layer(step)
    if layer is None:
        raise Http404
    ctx = _fill_context(acc, round_, participant, step)
    answers = lookups.own_answers(participant)
    initial = {}
    for code in (a.code for a in layer.accents):
        if (a := answers.get(code)) is not None:
            initial[f"phase-{code}"] = "" if a["phase"] is None else str(a["phase"])
            initial[f"strengths-{code}"] = a["strengths"]
            initial[f"goal-{code}"] = a["goal"]
    form = LayerAnswersForm(request.POST if request.method == "POST" else None, accents=layer.accents, initial=initial)
    status = 200
    if request.method == "POST":
        if not ctx["editable"]:
            messages.error(request, _("Je antwoorden kunnen niet meer worden gewijzigd."))
            return redirect(request.path)
        if form.is_valid():
            # Only fields in the POST: a browser always sends the textareas (and a checked radio stays checked),
            # so this is the same for real forms, and a truncated or tampered POST cannot wipe the layer.
            answers = form.answers(only_present=True)
            services.do_save_answers(
                participant=participant,
                answers=answers,
                acting_user=request.user,
                order=save_order.from_request(request),
            )
            target = _chosen_step(request, ctx) or ctx["next_step"]
            messages.success(request, _("Je antwoorden zijn opgeslagen."))
            return redirect("assessments:fill_step", school_id=acc.school.pk, round_id=round_.pk, step=target)
        status = 400
    # What the round before agreed, only when the organiser chose to show it while filling in (anchoring).
    previous = previous_agreements(round_) if round_.show_previous else {}
    ctx.update({"layer": layer, "form": form, "accent_rows": _accent_rows(form, layer, previous)})
    return render(request, "assessments/fill_layer.html", ctx, status=status)


def _accent_rows(form, layer, previous):
    """Per accent what its fieldset shows, worked out here once rather than per radio button in the template: the
    phase options (id, value, title, the handbook's text, checked) and the two text fields."""
    titles = {}
    rows = []
    for a in layer.accents:
        phase = form[f"phase-{a.code}"]
        value = phase.value()
        checked = "" if value is None else str(value)
        options = []
        for number, text in a.phase_items():
            if number not in titles:
                titles[number] = _("Groeifase %(number)s") % {"number": number}
            value = str(number)
            options.append((f"id_phase-{a.code}_{value}", value, titles[number], text, value == checked))
        rows.append(
            {
                "accent": a,
                "previous": previous.get(a.code),
                "phase": phase,
                "group_label": _("Groeifase voor %(name)s") % {"name": a.name},
                "options": options,
                "dont_know": (f"id_phase-{a.code}_{DONT_KNOW}", str(DONT_KNOW), checked == str(DONT_KNOW)),
                "strengths": form[f"strengths-{a.code}"],
                "goal": form[f"goal-{a.code}"],
            }
        )
    return rows


@never_cache
@require_POST
def fill_autosave(request, school_id, round_id, step):
    """htmx: save what is in the form now (draft). Answers with a small status text."""
    acc, round_, participant = lookups.fill_access(request, school_id, round_id)
    ctx: dict[str, Any] = {"saved": False, "error": None}
    if not (round_.is_open and not participant.is_submitted):
        ctx["error"] = _("Niet opgeslagen: je antwoorden zijn al ingediend of de ronde is dicht.")
        return render(request, "assessments/_save_status.html", ctx, status=409)
    if step == "prioriteiten":
        priorities_form = PrioritiesForm(request.POST, accents=round_.model.accents)
        if priorities_form.is_valid():
            services.do_save_priorities(
                participant=participant,
                accent_codes=priorities_form.codes(),
                acting_user=request.user,
                order=save_order.from_request(request),
            )
            ctx["saved"] = True
        else:
            ctx["error"] = _("Niet opgeslagen: %(errors)s") % {
                "errors": " ".join(str(e) for errs in priorities_form.errors.values() for e in errs)
            }
        return render(request, "assessments/_save_status.html", ctx, status=200 if ctx["saved"] else 400)
    layer = round_.model.layer(step)
    if layer is None:
        raise Http404
    form = LayerAnswersForm(request.POST, accents=layer.accents)
    if form.is_valid():
        services.do_save_answers(
            participant=participant,
            answers=form.answers(only_present=True),
            acting_user=request.user,
            order=save_order.from_request(request),
        )
        ctx["saved"] = True
    else:
        ctx["error"] = _("Niet opgeslagen: %(errors)s") % {
            "errors": " ".join(str(e) for errs in form.errors.values() for e in errs)
        }
    return render(request, "assessments/_save_status.html", ctx, status=200 if ctx["saved"] else 400)


def _fill_priorities(request, acc, round_, participant):
    ctx = _fill_context(acc, round_, participant, "prioriteiten")
    model = round_.model
    current = {p.rank: p.accent_code for p in participant.priorities.all()}
    goals = dict(participant.answers.exclude(goal="").values_list("accent_code", "goal"))
    initial = {f"rank-{r}": current.get(r, "") for r in range(1, 6)}
    form = PrioritiesForm(request.POST if request.method == "POST" else None, accents=model.accents, initial=initial)
    status = 200
    if request.method == "POST":
        if not ctx["editable"]:
            messages.error(request, _("Je antwoorden kunnen niet meer worden gewijzigd."))
            return redirect(request.path)
        if form.is_valid():
            services.do_save_priorities(
                participant=participant,
                accent_codes=form.codes(),
                acting_user=request.user,
                order=save_order.from_request(request),
            )
            messages.success(request, _("Je prioriteiten zijn opgeslagen."))
            target = _chosen_step(request, ctx)
            return redirect(
                "assessments:fill_step", school_id=acc.school.pk, round_id=round_.pk, step=target or "indienen"
            )
        status = 400
    goal_rows = [(a, goals.get(a.code, "")) for a in model.accents]
    ctx.update({"form": form, "goal_rows": goal_rows, "rank_fields": [form[f"rank-{r}"] for r in range(1, 6)]})
    return render(request, "assessments/fill_priorities.html", ctx, status=status)


def _fill_submit(request, acc, round_, participant):
    ctx = _fill_context(acc, round_, participant, "indienen")
    model = round_.model
    answers = {a.accent_code: a for a in participant.answers.all()}
    priorities = {p.accent_code: p.rank for p in participant.priorities.all()}
    rows = [
        {"layer": layer, "accents": [(a, answers.get(a.code), priorities.get(a.code)) for a in layer.accents]}
        for layer in model.layers
    ]
    ctx.update({"rows": rows, "problems": services.missing_for_submit(participant)})
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "intrekken":
                services.do_withdraw(participant=participant, acting_user=request.user)
                messages.success(request, _("Je inzending is ingetrokken. Je kunt je antwoorden weer aanpassen."))
            else:
                services.do_submit(participant=participant, acting_user=request.user)
                messages.success(request, _("Dank je wel! Je antwoorden zijn ingediend."))
            return redirect(request.path)
        except ServiceError as exc:
            ctx["error"] = str(exc)
            status = 400
    return render(request, "assessments/fill_submit.html", ctx, status=status)


# Consensus (Bijlage 5, step 2) -----------------------------------------------


@never_cache
def consensus(request, school_id, round_id):
    acc, round_ = lookups.round_access(request, school_id, round_id)
    access.require(acc.can_view_answers(round_), _answers_hidden_reason(acc, round_))
    by_group = wants_role_groups(request)
    summary = with_previous(summarise(round_, include_individual=True, by_role_group=by_group, written=False), round_)
    services.do_record_round_view(round_=round_, page="consensus", acting_user=request.user)
    can_edit = acc.can_facilitate(round_) and round_.status == RoundStatus.CONSENSUS
    open_layer = _open_layer(request, summary)
    asked = request.GET.get(LAYER_PARAM, "")
    if request.htmx and asked and asked != ALL_LAYERS:  # a folded layer opened: its accents only
        layer = next((x for x in summary.layers if x.layer.code == asked), None)
        if layer is None:
            raise Http404
        response = render(
            request,
            "assessments/consensus.html#layer-accents",
            access.school_context(
                acc,
                round=round_,
                summary=summary,
                layer=layer,
                can_edit=can_edit,
                by_group=by_group,
            ),
        )
        patch_vary_headers(response, ("HX-Request",))  # the page and its layer share the address
        return response
    response = render(
        request,
        "assessments/consensus.html",
        access.school_context(
            acc,
            round=round_,
            summary=summary,
            can_edit=can_edit,
            formulier=load_gespreksformulier(),
            by_group=by_group,
            open_layer=open_layer,
            # With something missing the close goes through the confirm page that names it (services.
            # transition_warnings); the browser's question is only for a round that lacks nothing. From the summary
            # already loaded: no extra queries.
            close_warnings=can_edit
            and (
                summary.n_submitted < summary.n_participants
                or not summary.priorities
                or any(not (a.consensus and a.consensus.phase) for a in summary.accents)
            ),
        ),
    )
    patch_vary_headers(response, ("HX-Request",))
    return response


LAYER_PARAM = "laag"  # ?laag=2: the consensus view opens that growth layer (?laag=alle: every layer)
ALL_LAYERS = "alle"


def _open_layer(request, summary) -> str:
    """The growth layer the consensus view shows open; the others are folded, their accents loaded on demand (a
    person talks about one layer at a time, and fifteen accents with their charts and forms make a slow page).
    Asked for with ?laag=…, else the first layer with an accent that has no agreed phase yet: where the conversation
    is. "" when every accent has one (all folded), ALL_LAYERS for all open."""
    asked = request.GET.get(LAYER_PARAM, "")
    if asked == ALL_LAYERS or any(x.layer.code == asked for x in summary.layers):
        return asked
    return next(
        (x.layer.code for x in summary.layers if any(not (a.consensus and a.consensus.phase) for a in x.accents)), ""
    )


def consensus_url(school_id, round_id, *, accent_code: str = "", layer_code: str = "", by_group: bool = False):
    """The consensus view with that accent's layer open, scrolled to the accent (after a save without JavaScript,
    from the meeting screen)."""
    params = {LAYER_PARAM: layer_code} if layer_code else {}
    if by_group:
        params[ROLE_GROUPS_PARAM] = "1"
    url = reverse("assessments:consensus", args=[school_id, round_id]) + (f"?{urlencode(params)}" if params else "")
    return url + (f"#accent-{accent_code}" if accent_code else "")


@never_cache
def consensus_written(request, school_id, round_id, accent_code):
    """What participants wrote on one accent: the consensus view opens it on demand (htmx, in the accent's
    "Wat deelnemers schreven"); without JavaScript the same lists as a page. The same access, rules and audit row as
    the consensus view."""
    acc, round_ = lookups.round_access(request, school_id, round_id)
    access.require(acc.can_view_answers(round_), _answers_hidden_reason(acc, round_))
    accent = round_.model.accent(accent_code)
    if accent is None:
        raise Http404
    written = written_answers(round_, accent.code)
    services.do_record_round_view(round_=round_, page="consensus", acting_user=request.user, accent_code=accent.code)
    template = "assessments/consensus_written.html" + ("#written" if request.htmx else "")
    response = render(
        request,
        template,
        access.school_context(
            acc,
            round=round_,
            accent=accent,
            shown=written is not None,
            strengths=written[0] if written else [],
            goals=written[1] if written else [],
            by_group=wants_role_groups(request),
        ),
    )
    patch_vary_headers(response, ("HX-Request",))  # the page and its lists share the address
    return response


def _answers_hidden_reason(acc, round_) -> str:
    """The real reason the answers are hidden from someone whose role may see them in another phase: an anonymous
    round while filling in is open. "" otherwise (the 403 page then says the role gives no access)."""
    if acc.is_member and acc.can_view_consensus(round_) and round_.is_open and round_.anonymous:
        return _(
            "Deze ronde is anoniem en het invullen staat nog open. Daarom kan nog niemand de antwoorden zien, ook "
            "jij niet: wie ze ziet veranderen bij elke nieuwe inzending, kan afleiden wat iemand invulde. De "
            "antwoorden verschijnen zodra het consensusgesprek is gestart (op de pagina van de ronde: “Naar het "
            "consensusgesprek”)."
        )
    return ""


ROLE_GROUPS_PARAM = "rolgroepen"  # ?rolgroepen=1: the consensus and projector views add the distribution per group


def wants_role_groups(request) -> bool:
    return request.GET.get(ROLE_GROUPS_PARAM) == "1"


@never_cache
def consensus_item(request, school_id, round_id, accent_code):
    """Record the agreement for one accent. htmx swaps the accent block; without JS it is a page."""
    acc, round_ = lookups.round_access(request, school_id, round_id)
    access.require(acc.is_member and acc.can_facilitate(round_))
    accent = round_.model.accent(accent_code)
    if accent is None:
        raise Http404
    item = ConsensusItem.objects.filter(round=round_, accent_code=accent.code).first()
    initial: dict[str, Any] = {"version": services.item_version(item)}
    if item:
        initial.update(
            phase=item.phase,
            phase_to=item.phase_to,
            differences=item.differences,
            strengths=item.strengths,
            next_steps=item.next_steps,
            priority=item.priority,
        )
    form = ConsensusItemForm(request.POST if request.method == "POST" else None, initial=initial)

    def saved_item(form):  # the page shows the saved agreement; the next save may overwrite, knowingly
        nonlocal item
        item = ConsensusItem.objects.filter(round=round_, accent_code=accent.code).first()
        carry_version(form, services.item_version(item))
        return True

    def context(conflict):
        return access.school_context(
            acc,
            round=round_,
            accent=accent,
            form=form,
            item=item,
            conflict=bool(conflict),
        )

    def done(_saved):
        by_group = wants_role_groups(request)  # the page's choice travels in the form's address
        if request.htmx:
            summary = with_previous(
                summarise(round_, include_individual=True, by_role_group=by_group, written=False), round_
            )
            a = next(x for x in summary.accents if x.accent.code == accent.code)
            context = access.school_context(
                acc,
                round=round_,
                a=a,
                summary=summary,
                can_edit=True,
                saved=True,
                by_group=by_group,
            )
            return render(request, "assessments/consensus.html#accent-block", context)
        messages.success(request, _("Vastgelegd voor %(accent)s.") % {"accent": accent.name})
        return redirect(
            consensus_url(
                acc.school.pk, round_.pk, accent_code=accent.code, layer_code=accent.layer_code, by_group=by_group
            )
        )

    def save(version):  # the version is the time of the item's last save, "" for an accent not recorded yet
        d = form.cleaned_data
        return services.do_save_consensus_item(
            round_=round_,
            accent_code=accent.code,
            phase=d["phase"],
            phase_to=d["phase_to"],
            differences=d["differences"].strip(),
            strengths=d["strengths"].strip(),
            next_steps=d["next_steps"].strip(),
            priority=d["priority"],
            acting_user=request.user,
            expected_version=version or "",
        )

    return edit(
        request,
        form,
        None,
        save=save,
        template="assessments/consensus_item.html" + ("#item-form" if request.htmx else ""),
        context=context,
        done=done,
        on_conflict=saved_item,
        refused_status=409,  # the round left the consensus step meanwhile
    )


@never_cache
def present(request, school_id, round_id):
    """Projector view, the meeting screen: one accent at a time, full screen without the site menu, large type; the
    accent's four phase texts with the agreed phase marked, the distribution (per role group when asked for and
    allowed), what participants wrote (when the distribution is shown; anonymous: sorted by text, as elsewhere) and
    what the round before agreed. Arrow keys move, Escape goes back to the consensus page (static/js/app.js)."""
    acc, round_ = lookups.round_access(request, school_id, round_id)
    access.require(acc.can_view_answers(round_), _answers_hidden_reason(acc, round_))
    by_group = wants_role_groups(request)
    summary = with_previous(summarise(round_, include_individual=True, by_role_group=by_group), round_)
    accents = summary.accents
    codes = [a.accent.code for a in accents]
    code = request.GET.get("accent") or codes[0]
    if code not in codes:
        raise Http404
    i = codes.index(code)
    services.do_record_round_view(round_=round_, page="presentation", acting_user=request.user, accent_code=code)
    return render(
        request,
        "assessments/present.html",
        access.school_context(
            acc,
            round=round_,
            summary=summary,
            a=accents[i],
            layer=round_.model.layer(accents[i].accent.layer_code),
            position=i + 1,
            count=len(codes),
            prev_code=codes[i - 1] if i > 0 else None,
            next_code=codes[i + 1] if i + 1 < len(codes) else None,
            by_group=by_group,
            consensus_url=consensus_url(
                acc.school.pk, round_.pk, accent_code=code, layer_code=accents[i].accent.layer_code, by_group=by_group
            ),
        ),
    )


def result_summary(acc, round_):
    """What a closed round's result shows this person. Board viewers get it without individual answers (no
    distribution, no written answers). The result page and its PDF (pages/round_result.py) and the exports use it."""
    return summarise(round_, include_individual=acc.can_see_individual_answers(round_))


# Exports of a closed round: whoever sees the result page, as Word or Excel (the PDF: pages/round_result.py) ----
# The Word and Excel files (and the PDF) are made by the background worker and kept per version of the round's
# content (core/generated.py, assessments/export_files.py): the file at once when it is made, else the page that
# waits for it. The same access as the result page; a board viewer gets the file without individual answers.


def result_docx(request, school_id, round_id):
    """The Gespreksformulier (handbook Bijlage 5), filled in with what the team agreed."""
    from core.generated import respond

    from .export_files import docx_spec

    acc, round_ = closed_round_access(request, school_id, round_id)
    return respond(
        request,
        docx_spec(acc, round_),
        on_download=lambda: services.do_record_export(round_=round_, kind="word", acting_user=request.user),
    )


def result_xlsx(request, school_id, round_id):
    """The agreements per accent; for members also the distribution (counts only, as on the page)."""
    from core.generated import respond

    from .export_files import xlsx_spec

    acc, round_ = closed_round_access(request, school_id, round_id)
    return respond(
        request,
        xlsx_spec(acc, round_),
        on_download=lambda: services.do_record_export(round_=round_, kind="excel", acting_user=request.user),
    )
