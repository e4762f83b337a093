"""The leadership checklist (Bijlage 6): thin views; access.py decides who, services write."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core import save_order
from core.dates import school_year_of
from core.editing import edit
from core.errors import ServiceError
from ontwikkelmodel.content import load_file
from organisations import access

from . import lookups, services
from .content import load_content
from .forms import AnswersForm, ItemForm, NoteForm, RoundForm
from .models import ExtraItem


def _ctx(acc, **extra):
    content = load_content()
    return access.school_context(acc, content=content, layer=load_file().layer(content.growth_layer), **extra)


def _overview_url(acc):
    return reverse("leadership:overview", args=[acc.school.pk])


def _progress(acc, round_):
    """(answered, total) for the current user in a round: only the items still on the checklist."""
    keys = {key for key, _text, _extra in services.items_for(acc.school)}
    answered = lookups.own_leadership_answers(acc, round_).filter(item_key__in=keys).count()
    return answered, len(keys)


# Overview and rounds --------------------------------------------------------------------------------


def _render_overview(request, acc, round_form=None, status=200):
    rounds = list(acc.school.leadership_rounds.order_by("-created_at", "-id"))
    current = rounds[0] if rounds else None
    progress = _progress(acc, current) if current and acc.can_fill_leadership_checklist else None
    start = school_year_of(timezone.localdate())
    default_title = _("Schooljaar %(a)d-%(b)d") % {"a": start, "b": start + 1}
    return render(
        request,
        "leadership/overview.html",
        _ctx(
            acc,
            rounds=rounds,
            current=current,
            progress=progress,
            round_form=round_form or RoundForm(initial={"title": default_title}),
            extra_count=ExtraItem.objects.filter(school=acc.school, retired_at__isnull=True).count(),
        ),
        status=status,
    )


def overview(request, school_id):
    acc = access.school_access(request, school_id, "can_view_leadership_conversation")
    return _render_overview(request, acc)


@require_POST
def round_new(request, school_id):
    acc = access.school_access(request, school_id, "can_manage_leadership_checklist")
    form = RoundForm(request.POST)
    if form.is_valid():
        try:
            round_ = services.do_start_round(
                school=acc.school, title=form.cleaned_data["title"], acting_user=request.user
            )
        except ServiceError as exc:
            form.add_error("title", str(exc))
        else:
            messages.success(request, _("De ronde ‘%(title)s’ is gestart.") % {"title": round_.title})
            return redirect(_overview_url(acc))
    return _render_overview(request, acc, round_form=form, status=400)


# Filling in and own results ---------------------------------------------------------------------------


@never_cache  # your own answers: never kept in a browser or proxy cache (issue 11)
def fill(request, school_id, checklist_id):
    """Your own answers: saved as you go (htmx) or with the button. Nobody else ever sees them."""
    acc = access.school_access(request, school_id, "can_fill_leadership_checklist")
    round_ = lookups.get_checklist_round(acc, checklist_id)
    editable = services.current_round(acc.school) == round_
    items = services.items_for(acc.school)
    saved = {a.item_key: str(a.value) for a in lookups.own_leadership_answers(acc, round_)}
    status = 200
    error = None
    if request.method == "POST":
        form = AnswersForm(request.POST, items=items)
        if not editable:
            error = _("Deze ronde is afgesloten: er is een nieuwere ronde. Vul de nieuwste ronde in.")
            status = 409
        elif form.is_valid():
            try:
                services.do_save_answers(
                    round_=round_,
                    answers=form.answers(),
                    acting_user=request.user,
                    order=save_order.from_request(request),
                )
            except ServiceError as exc:
                error, status = str(exc), 400
        else:
            status = 400
        if status == 200 and not request.htmx:
            messages.success(request, _("Je antwoorden zijn opgeslagen."))
            return redirect("leadership:results", school_id=acc.school.pk, checklist_id=round_.pk)
        if error:
            form.add_error(None, error)
    else:
        form = AnswersForm(items=items, initial=saved)
    ctx = _ctx(acc, round=round_, form=form, editable=editable, saved_at=timezone.localtime(), error=error)
    if request.htmx and request.method == "POST":
        return render(request, "leadership/fill.html#fill-status", ctx, status=status)
    return render(request, "leadership/fill.html", ctx, status=status)


@never_cache
def results(request, school_id, checklist_id):
    acc = access.school_access(request, school_id, "can_fill_leadership_checklist")
    round_ = lookups.get_checklist_round(acc, checklist_id)
    content = load_content()
    answers = {a.item_key: a.value for a in lookups.own_leadership_answers(acc, round_)}
    rows = [
        {
            "text": text,
            "extra": extra,
            "value": answers.get(key),
            "label": content.scale_label(answers.get(key)),
        }
        for key, text, extra in services.items_for(acc.school, round_=round_, user=request.user)
    ]
    return render(
        request,
        "leadership/results.html",
        _ctx(
            acc,
            round=round_,
            rows=rows,
            answered=sum(1 for r in rows if r["value"]),
            editable=services.current_round(acc.school) == round_,
        ),
    )


# The MT conversation --------------------------------------------------------------------------------


def _question_rows(round_, forms=None):
    notes = services.notes_for(round_)
    content = load_content()
    steps = []
    for step in content.steps:
        rows = []
        for q in step.questions:
            note = notes.get(q.code)
            form = (forms or {}).get(q.code) or NoteForm(
                initial={"text": note.text if note else "", "version": note.version if note else 0},
                prefix=f"q{q.code}",
            )
            rows.append({"q": q, "note": note, "form": form})
        steps.append({"step": step, "rows": rows})
    return steps


def conversation(request, school_id, checklist_id):
    acc = access.school_access(request, school_id, "can_view_leadership_conversation")
    round_ = lookups.get_checklist_round(acc, checklist_id)
    return render(request, "leadership/conversation.html", _ctx(acc, round=round_, steps=_question_rows(round_)))


@require_POST
def note(request, school_id, checklist_id, question):
    """Save one question's outcomes and agreements: htmx autosave as people type, or the button."""
    acc = access.school_access(request, school_id, "can_edit_leadership_conversation")
    round_ = lookups.get_checklist_round(acc, checklist_id)
    q = load_content().question(question)
    if q is None:
        raise Http404
    form = NoteForm(request.POST, prefix=f"q{q.code}")
    posted_version = str(form.data.get(f"q{q.code}-version", ""))[:12]

    def saved_note(_form):  # the user's text stays in the box; the page shows the saved text next to it
        saved = services.notes_for(round_).get(q.code)
        return {"saved": saved.text if saved else "", "version": saved.version if saved else 0}

    def status_part(conflict):
        note_obj = services.notes_for(round_).get(q.code)
        row = {"q": q, "note": note_obj, "form": form, "conflict": conflict, "posted_version": posted_version}
        return _ctx(acc, round=round_, row=row, saved_at=timezone.localtime())

    def page(conflict):
        steps = _question_rows(round_, {q.code: form})
        for step in steps:
            for row in step["rows"]:
                if row["q"].code == q.code:
                    row |= {"conflict": conflict, "posted_version": posted_version}
        return _ctx(acc, round=round_, steps=steps)

    def done(_saved):
        if request.htmx:
            return render(request, "leadership/conversation.html#note-status", status_part(None))
        messages.success(request, _("De afspraken zijn opgeslagen."))
        url = reverse("leadership:conversation", args=[acc.school.pk, round_.pk])
        return redirect(f"{url}#vraag-{q.code}")

    return edit(  # obj None: a question may have no note yet (version 0)
        request,
        form,
        None,
        save=lambda version: services.do_save_note(
            round_=round_,
            question_code=q.code,
            text=form.cleaned_data["text"],
            expected_version=version,
            acting_user=request.user,
        ),
        template="leadership/conversation.html" + ("#note-status" if request.htmx else ""),
        context=status_part if request.htmx else page,
        done=done,
        on_conflict=saved_note,
        refused_field="text",
    )


# The school's own items ---------------------------------------------------------------------------------


def items(request, school_id):
    acc = access.school_access(request, school_id, "can_manage_leadership_checklist")
    form = ItemForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.do_add_item(school=acc.school, text=form.cleaned_data["text"], acting_user=request.user)
            except ServiceError as exc:
                form.add_error("text", str(exc))
            else:
                messages.success(request, _("De uitspraak staat nu op de checklist."))
                return redirect("leadership:items", school_id=acc.school.pk)
        status = 400
    extras = list(ExtraItem.objects.filter(school=acc.school).order_by("created_at", "id"))
    return render(
        request,
        "leadership/items.html",
        _ctx(
            acc,
            form=form,
            active=[e for e in extras if e.is_active],
            retired=[e for e in extras if not e.is_active],
        ),
        status=status,
    )


def item_edit(request, school_id, item_id):
    acc = access.school_access(request, school_id, "can_manage_leadership_checklist")
    item = lookups.get_leadership_item(acc, item_id)
    form = ItemForm(
        request.POST if request.method == "POST" else None, initial={"text": item.text, "version": item.version}
    )

    def done(_saved):
        messages.success(request, _("De uitspraak is gewijzigd."))
        return redirect("leadership:items", school_id=acc.school.pk)

    return edit(  # the page shows the saved text above the form (no rows); the form carries the saved version
        request,
        form,
        item,
        save=lambda version: services.do_update_item(
            item=item, text=form.cleaned_data["text"], expected_version=version, acting_user=request.user
        ),
        template="leadership/item_form.html",
        context=lambda _conflict: _ctx(acc, form=form, item=item),
        done=done,
        refused_field="text",
        conflict_status=400,
    )


def _item_action(request, school_id, item_id, service, done_message):
    acc = access.school_access(request, school_id, "can_manage_leadership_checklist")
    item = lookups.get_leadership_item(acc, item_id)
    try:
        service(item=item, acting_user=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done_message)
    return redirect("leadership:items", school_id=acc.school.pk)


@require_POST
def item_retire(request, school_id, item_id):
    return _item_action(
        request,
        school_id,
        item_id,
        services.do_retire_item,
        _("De uitspraak is ingetrokken. Antwoorden die al gegeven zijn, blijven bewaard."),
    )


@require_POST
def item_restore(request, school_id, item_id):
    return _item_action(
        request, school_id, item_id, services.do_restore_item, _("De uitspraak staat weer op de checklist.")
    )
