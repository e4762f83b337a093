"""Voorgesprekken (Bijlage 1) and kartrekkers (Bijlage 2). Thin views; access and services decide."""

from django.contrib import messages
from django.db.models import Count, Max, Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import record_download
from core.editing import edit, form_status, post_data
from core.errors import ServiceError
from core.wordprocessing import DOCX_TYPE
from organisations import access
from organisations.models import Membership

from . import exports, lookups, services
from .content import load_agenda, load_profile
from .forms import AgreementForm, ConversationForm, DecisionForm, NoteForm
from .models import Conversation, Decision, Kind, Note
from .summary import kartrekker_count


def _ctx(acc, **extra):
    return access.school_context(acc, agenda=load_agenda(), **extra)


def _conversation_url(acc, conversation, anchor=""):
    return reverse("intake:conversation", args=[acc.school.pk, conversation.pk]) + anchor


# The list ----------------------------------------------------------------------------------------


def conversations(request, school_id):
    acc = access.school_access(request, school_id, "can_lead_intake")
    items = (
        Conversation.objects.filter(school=acc.school)
        .annotate(first_date=Max("dates__date"), n_agreements=Count("agreements", distinct=True))
        .prefetch_related("dates")
        .order_by("-created_at", "-id")
    )
    return render(
        request,
        "intake/conversations.html",
        _ctx(acc, conversations=items, kartrekkers=kartrekker_count(acc.school), Decision=Decision),
    )


def conversation_new(request, school_id):
    acc = access.school_access(request, school_id, "can_lead_intake")
    initial = {"kind": Kind.VERKENNEND, "dates": [timezone.localdate()]}
    after = request.GET.get("na")
    previous = None
    if after:  # "Vervolggesprek plannen" after a Twijfel: the follow-up date and the same people, linked
        previous = lookups.get_conversation(acc, after)
        initial = {
            "kind": Kind.VERVOLG,
            "dates": [previous.follow_up_date] if previous.follow_up_date else [],
            "participants": list(previous.participants.all()),
        }
    form = ConversationForm(post_data(request), school=acc.school, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.do_create_conversation(
                school=acc.school,
                kind=form.cleaned_data["kind"],
                dates=form.cleaned_data["dates"],
                participants=form.cleaned_data["participants"],
                follows=previous,
                acting_user=request.user,
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Het gesprek is aangemaakt. Je kunt nu aantekeningen maken."))
            return redirect(_conversation_url(acc, conversation))
    return render(
        request, "intake/conversation_form.html", _ctx(acc, form=form, follows=previous), status=form_status(request)
    )


def conversation_edit(request, school_id, conversation_id):
    acc = access.school_access(request, school_id, "can_lead_intake")
    conversation = lookups.get_conversation(acc, conversation_id)
    initial = {
        "kind": conversation.kind,
        "dates": [d.date for d in conversation.dates.all()],
        "participants": list(conversation.participants.all()),
        "version": conversation.version,
    }
    form = ConversationForm(post_data(request), school=acc.school, initial=initial)

    def done(_saved):
        messages.success(request, _("De gegevens van het gesprek zijn opgeslagen."))
        return redirect(_conversation_url(acc, conversation))

    return edit(
        request,
        form,
        conversation,
        save=lambda version: services.do_update_conversation(
            conversation=conversation,
            kind=form.cleaned_data["kind"],
            dates=form.cleaned_data["dates"],
            participants=form.cleaned_data["participants"],
            expected_version=version,
            acting_user=request.user,
        ),
        fields=["kind"],
        template="intake/conversation_form.html",
        context=lambda conflict: _ctx(acc, form=form, conversation=conversation, conflict=conflict),
        done=done,
    )


# The conversation: agenda with notes --------------------------------------------------------------


def _note_forms(conversation, bound=None):
    """{question code: (note or None, form)}; ``bound`` = (code, form) replaces one (kept input after an error)."""
    notes = {n.question_code: n for n in Note.objects.filter(conversation=conversation).select_related("updated_by")}
    forms = {}
    for code in load_agenda().question_codes:
        note = notes.get(code)
        form = NoteForm(
            initial={"question": code, "text": note.text if note else "", "version": note.version if note else 0}
        )
        forms[code] = (note, form)
    if bound is not None:
        code, form = bound
        forms[code] = (notes.get(code), form)
    return forms


def _sections(note_forms) -> list[dict]:
    """The agenda as the page shows it: parts, themes, and per question its note and form."""
    return [
        {
            "part": part,
            "themes": [
                {
                    "theme": theme,
                    "rows": [
                        {"q": q, "note": note_forms[q.code][0], "form": note_forms[q.code][1]} for q in theme.questions
                    ],
                }
                for theme in part.themes
            ],
        }
        for part in load_agenda().parts
    ]


def _render_conversation(request, acc, conversation, *, bound=None, conflict=None, status=200):
    context = _conversation_context(acc, conversation, bound=bound, conflict=conflict)
    return render(request, "intake/conversation_detail.html", context, status=status)


def _conversation_context(acc, conversation, *, bound=None, conflict=None):
    conversation = (
        Conversation.objects.filter(pk=conversation.pk)
        .prefetch_related(
            "dates",
            "participants",
            Prefetch("agreements", queryset=conversation.agreements.select_related("owner")),
            Prefetch("follow_ups", queryset=Conversation.objects.prefetch_related("dates").order_by("created_at")),
        )
        .select_related("decided_by", "follows")
        .get()
    )
    agenda = load_agenda()
    small_steps = [s for s in agenda.small_steps if s.code in set(conversation.small_steps)]
    return _ctx(
        acc,
        conversation=conversation,
        kind_info=agenda.kind("praktisch" if conversation.kind == Kind.PRAKTISCH else "verkennend"),
        sections=_sections(_note_forms(conversation, bound)),
        conflict=conflict,
        conflict_code=bound[0] if bound else None,
        chosen_small_steps=small_steps,
        Decision=Decision,
    )


def conversation_detail(request, school_id, conversation_id):
    acc = access.school_access(request, school_id, "can_lead_intake")
    conversation = lookups.get_conversation(acc, conversation_id)
    return _render_conversation(request, acc, conversation)


def conversation_docx(request, school_id, conversation_id):
    """Bijlage 1 filled in, as a Word document."""
    acc = access.school_access(request, school_id, "can_lead_intake")
    conversation = lookups.get_conversation(acc, conversation_id)
    conversation = (
        Conversation.objects.select_related("school", "follows")
        .prefetch_related("dates", "participants")
        .get(pk=conversation.pk)
    )
    first = next(iter(conversation.dates.all()), None)
    name = slugify(f"{conversation.get_kind_display()} {first.date if first else ''}")[:80].strip("-")
    content = exports.conversation_docx(conversation)
    filename = f"{name}.docx"
    record_download(
        request=request, action="export.conversation", filename=filename, school=acc.school, target=conversation
    )
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    add_never_cache_headers(response)
    return response


@require_POST
def note(request, school_id, conversation_id):
    """Save the notes for one question: htmx autosave as people type, or the plain form's button."""
    acc = access.school_access(request, school_id, "can_lead_intake")
    conversation = lookups.get_conversation(acc, conversation_id)
    form = NoteForm(request.POST)
    code = form.cleaned_data["question"] if form.is_valid() else (request.POST.get("question") or "")[:40]
    if code not in load_agenda().question_codes:
        code = None

    def saved_note(_form):  # the user's text stays in the box; the page shows the saved text next to it
        current = Note.objects.filter(conversation=conversation, question_code=code).first()
        return {
            "saved": current.text if current else "",
            "version": current.version if current else 0,
            "by": current.updated_by if current else None,
        }

    def status_part(note, conflict, saved_at=None):
        question = next((q for q in load_agenda().questions if q.code == code), None)
        return _ctx(
            acc,
            conversation=conversation,
            q=question,
            note=note,
            form=form,
            conflict=conflict,
            conflict_code=code,
            saved_at=saved_at,
        )

    def page(conflict):
        if code is None:  # a question that is not on the agenda: nothing to attach the text to
            for error in form.errors.get("question", []) or form.non_field_errors():
                messages.error(request, error)  # type: ignore[arg-type]  # iterating an ErrorList gives the messages
        return _conversation_context(acc, conversation, bound=(code, form) if code else None, conflict=conflict)

    def done(saved):
        if request.htmx:
            return render(
                request, "intake/conversation_detail.html#note-status", status_part(saved, None, timezone.localtime())
            )
        assert code is not None  # a valid form's question is on the agenda
        messages.success(request, _("De aantekeningen zijn opgeslagen."))
        return redirect(_conversation_url(acc, conversation, "#vraag-" + code.replace(".", "-")))

    return edit(  # obj None: a question may have no note yet (version 0)
        request,
        form,
        None,
        save=lambda version: services.do_save_note(
            conversation=conversation,
            question_code=form.cleaned_data["question"],
            text=form.cleaned_data["text"],
            expected_version=version,
            acting_user=request.user,
        ),
        template="intake/conversation_detail.html" + ("#note-status" if request.htmx else ""),
        context=(lambda conflict: status_part(None, conflict)) if request.htmx else page,
        done=done,
        on_conflict=saved_note,
    )


# The decision ----------------------------------------------------------------------------------


def decision(request, school_id, conversation_id):
    acc = access.school_access(request, school_id, "can_lead_intake")
    conversation = lookups.get_conversation(acc, conversation_id)
    initial = {
        "decision": conversation.decision,
        "follow_up_date": conversation.follow_up_date,
        "small_steps": conversation.small_steps,
        "version": conversation.version,
    }
    form = DecisionForm(post_data(request), initial=initial)

    def done(_saved):
        messages.success(request, _("Het besluit is opgeslagen."))
        return redirect(_conversation_url(acc, conversation, "#besluit"))

    return edit(
        request,
        form,
        conversation,
        save=lambda version: services.do_decide(
            conversation=conversation,
            decision=form.cleaned_data["decision"],
            follow_up_date=form.cleaned_data["follow_up_date"],
            small_steps=form.cleaned_data["small_steps"],
            expected_version=version,
            acting_user=request.user,
        ),
        fields=["decision", "follow_up_date"],
        template="intake/decision_form.html",
        context=lambda conflict: _ctx(acc, form=form, conversation=conversation, conflict=conflict, Decision=Decision),
        done=done,
    )


# Agreements --------------------------------------------------------------------------------------

AGREEMENT_FORM_FIELDS = ("what", "owner", "owner_text", "due_date", "support", "feedback")


def _agreement_values(form) -> dict:
    return {name: form.cleaned_data.get(name) for name in AGREEMENT_FORM_FIELDS}


def agreement_new(request, school_id, conversation_id):
    acc = access.school_access(request, school_id, "can_lead_intake")
    conversation = lookups.get_conversation(acc, conversation_id)
    form = AgreementForm(post_data(request), school=acc.school)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_add_agreement(
                conversation=conversation, values=_agreement_values(form), acting_user=request.user
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("De afspraak is toegevoegd."))
            return redirect(_conversation_url(acc, conversation, "#afspraken"))
    return render(
        request,
        "intake/agreement_form.html",
        _ctx(acc, form=form, conversation=conversation),
        status=form_status(request),
    )


def agreement_edit(request, school_id, conversation_id, agreement_id):
    acc = access.school_access(request, school_id, "can_lead_intake")
    conversation = lookups.get_conversation(acc, conversation_id)
    agreement = lookups.get_agreement(conversation, agreement_id)
    initial = {name: getattr(agreement, name) for name in AGREEMENT_FORM_FIELDS} | {"version": agreement.version}
    form = AgreementForm(post_data(request), school=acc.school, initial=initial)

    def done(_saved):
        messages.success(request, _("De afspraak is opgeslagen."))
        return redirect(_conversation_url(acc, conversation, "#afspraken"))

    return edit(
        request,
        form,
        agreement,
        save=lambda version: services.do_update_agreement(
            agreement=agreement,
            values=_agreement_values(form),
            expected_version=version,
            acting_user=request.user,
        ),
        fields=AGREEMENT_FORM_FIELDS,
        template="intake/agreement_form.html",
        context=lambda conflict: _ctx(
            acc,
            form=form,
            conversation=conversation,
            agreement=agreement,
            conflict=conflict,
            saved_by=agreement.updated_by,
        ),
        done=done,
    )


def agreement_delete(request, school_id, conversation_id, agreement_id):
    acc = access.school_access(request, school_id, "can_lead_intake")
    conversation = lookups.get_conversation(acc, conversation_id)
    agreement = lookups.get_agreement(conversation, agreement_id)
    if request.method == "POST":
        services.do_delete_agreement(agreement=agreement, acting_user=request.user)
        messages.success(request, _("De afspraak is verwijderd."))
        return redirect(_conversation_url(acc, conversation, "#afspraken"))
    return render(request, "intake/agreement_delete.html", _ctx(acc, conversation=conversation, agreement=agreement))


# Kartrekkers -------------------------------------------------------------------------------------


def kartrekkers(request, school_id):
    acc = access.school_access(request, school_id, "can_view_kartrekkers")
    members = list(Membership.objects.filter(school=acc.school).select_related("user").order_by("user__name"))
    return render(
        request,
        "intake/kartrekkers.html",
        {
            "acc": acc,
            "school": acc.school,
            "profile": load_profile(),
            "current": [m for m in members if m.is_kartrekker],
            "others": [m for m in members if not m.is_kartrekker],
            "count": kartrekker_count(acc.school),
        },
    )


@require_POST
def kartrekker_role(request, school_id, membership_id):
    """Appoint a member as kartrekker (``benoemen=1``) or take the role away (``benoemen=0``)."""
    acc = access.school_access(request, school_id, "can_view_kartrekkers")
    access.require(acc.can_appoint_kartrekkers)
    membership = access.get_membership(acc, membership_id)
    appoint = request.POST.get("benoemen")
    if appoint not in ("0", "1"):
        messages.error(request, _("Kies of je iemand benoemt of de rol afneemt."))
        return redirect("intake:kartrekkers", school_id=acc.school.pk)
    try:
        services.do_set_kartrekker(membership=membership, appoint=appoint == "1", acting_user=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        name = membership.user.display_name
        if appoint == "1":
            messages.success(request, _("%(name)s is nu kartrekker.") % {"name": name})
        else:
            messages.success(request, _("%(name)s is geen kartrekker meer.") % {"name": name})
    return redirect("intake:kartrekkers", school_id=acc.school.pk)
