"""The school's implementation route. Thin views; access and services decide."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import record_download
from core.conflicts import carry_version
from core.editing import edit, form_status
from core.errors import ServiceError
from organisations import access

from . import lookups, services
from .content import load_route
from .forms import StartForm, StepForm
from .overview import route_overview, with_content, with_row_texts

# Where a step's work is done in Groeiwijzer (the content names the kind of link), and who may follow it.
STEP_LINKS = {
    "assessments": ("organisations:school", gettext_lazy("Naar de rondes van het Ontwikkelmodel"), "is_member"),
    "actionplans": ("actionplans:plan", gettext_lazy("Naar het actieplan"), None),
    "training": ("training:overview", gettext_lazy("Naar het trainingsplan"), "can_view_training"),
    "intake": ("intake:conversations", gettext_lazy("Naar de voorgesprekken"), "can_lead_intake"),
    "kartrekkers": ("intake:kartrekkers", gettext_lazy("Naar de kartrekkers en hun profiel"), "can_view_kartrekkers"),
    "estimate": (
        "reference:estimate",
        gettext_lazy("Voor de presentatie: wat betekenen de onderzoekscijfers voor onze school?"),
        "can_view_estimate",
    ),
}


def _route(acc):
    trajectory = lookups.get_trajectory(acc)
    if trajectory is None:
        raise Http404
    return trajectory


def _link(acc, step):
    target = STEP_LINKS.get(step.content.link)
    if target is None:
        return None
    name, label, capability = target
    if capability is not None and not getattr(acc, capability):
        return None
    return {"url": reverse(name, args=[acc.school.pk]), "label": label}


def _intake_decision(acc, step):
    """The latest voorgesprek's decision, on the voorgesprek steps, for those who may see voorgesprekken."""
    if step.content.link != "intake" or not acc.can_lead_intake:
        return None
    from intake.summary import latest_decision

    return latest_decision(acc.school)


def overview(request, school_id):
    acc = access.school_access(request, school_id)
    trajectory = lookups.get_trajectory(acc)
    if trajectory is None:
        form = StartForm() if acc.can_edit_trajectory else None
        return render(request, "trajectory/not_started.html", {"acc": acc, "school": acc.school, "form": form})
    o = route_overview(trajectory)
    with_row_texts(o.steps, acc.school)
    return render(request, "trajectory/overview.html", {"acc": acc, "school": acc.school, "o": o})


def start(request, school_id):
    acc = access.school_access(request, school_id, "can_edit_trajectory")
    if lookups.get_trajectory(acc) is not None:
        return redirect("trajectory:edit_start", school_id=acc.school.pk)
    form = StartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_start_trajectory(
                school=acc.school, training_start=form.cleaned_data["training_start"], acting_user=request.user
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Het traject staat klaar: elke stap uit het handboek heeft een datum."))
            return redirect("trajectory:overview", school_id=acc.school.pk)
    return render(
        request,
        "trajectory/not_started.html",
        {"acc": acc, "school": acc.school, "form": form},
        status=form_status(request),
    )


def edit_start(request, school_id):
    acc = access.school_access(request, school_id, "can_edit_trajectory")
    trajectory = _route(acc)
    initial = {"training_start": trajectory.training_start, "version": trajectory.version}
    form = StartForm(request.POST if request.method == "POST" else None, initial=initial)

    def done(_saved):
        messages.success(request, _("De startdatum is aangepast; open stappen zijn meeverschoven."))
        return redirect("trajectory:overview", school_id=acc.school.pk)

    return edit(  # the page names no differing fields: the date is the only one, and the form carries the saved version
        request,
        form,
        trajectory,
        save=lambda version: services.do_move_training_start(
            trajectory=trajectory,
            training_start=form.cleaned_data["training_start"],
            expected_version=version,
            acting_user=request.user,
        ),
        fields=(),
        template="trajectory/edit_start.html",
        context=lambda _conflict: access.school_context(acc, form=form, trajectory=trajectory),
        done=done,
    )


def summary(request, school_id):
    """The whole route on one page for the team (also the PDF)."""
    acc = access.school_access(request, school_id)
    return render(request, "trajectory/summary.html", _summary_context(acc, _route(acc)))


def _summary_context(acc, trajectory):
    return access.school_context(acc, o=route_overview(trajectory))


def _step_form(request, acc, step, data=None):
    owner_only = not acc.can_edit_trajectory
    initial = {
        "status": step.status,
        "note": step.note,
        "start_date": step.start_date,
        "due_date": step.due_date,
        "owner": step.owner_id,
        "version": step.version,
    }
    return StepForm(data, school=acc.school, owner_only=owner_only, initial=initial)


def step_detail(request, school_id, step_id):
    acc = access.school_access(request, school_id)
    step = lookups.get_route_step(acc, step_id)
    route = load_route()
    kept = with_content([step], route, timezone.localdate())  # the same content and lateness as the overview
    if not kept:  # a step of a content version this app no longer knows
        raise Http404
    can_work = acc.can_work_on_step(step)
    if request.method == "POST":
        access.require(can_work)
    form = _step_form(request, acc, step, request.POST if request.method == "POST" else None) if can_work else None

    def context(conflict):
        return {
            "acc": acc,
            "school": acc.school,
            "step": step,
            "route": route,
            "phase": route.phase(step.content.phase),
            "form": form,
            "conflict": conflict,
            "link": _link(acc, step),
            "decision": _intake_decision(acc, step),
        }

    if form is None:  # someone who may only look (a POST without can_work was refused)
        return render(request, "trajectory/step.html", context(None))

    def saved_step(form):  # the page lists the saved step; the page's own step stays as it was loaded
        saved = lookups.get_route_step(acc, step.pk)
        carry_version(form, saved.version)
        return {"step": saved}

    def done(_saved):
        messages.success(request, _("De stap is opgeslagen."))
        return redirect(reverse("trajectory:overview", args=[acc.school.pk]) + f"#stap-{step.pk}")

    return edit(
        request,
        form,
        step,
        save=lambda version: services.do_update_step(
            step=step, expected_version=version, acting_user=request.user, **form.step_fields(step)
        ),
        template="trajectory/step.html",
        context=context,
        done=done,
        on_conflict=saved_step,
    )


def _download(request, content: bytes, content_type: str, acc, trajectory, extension: str) -> HttpResponse:
    slug = slugify(acc.school.name)[:80].strip("-") or f"school-{acc.school.pk}"
    filename = f"traject-tso-{slug}.{extension}"
    record_download(request=request, action="export.route", filename=filename, school=acc.school, target=trajectory)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    add_never_cache_headers(response)
    return response


def ics(request, school_id):
    """The route (and the werkgroep's meetings) for Outlook, Google Calendar or Apple Calendar."""
    from . import exports

    acc = access.school_access(request, school_id)
    trajectory = _route(acc)
    content = exports.route_ics(trajectory, route_overview(trajectory), base_url=request.build_absolute_uri("/"))
    return _download(request, content, exports.ICS_TYPE, acc, trajectory, "ics")


def docx(request, school_id):
    from core.wordprocessing import DOCX_TYPE

    from . import exports

    acc = access.school_access(request, school_id)
    trajectory = _route(acc)
    content = exports.route_docx(trajectory, route_overview(trajectory))
    return _download(request, content, DOCX_TYPE, acc, trajectory, "docx")


def pdf(request, school_id):
    from . import exports

    acc = access.school_access(request, school_id)
    trajectory = _route(acc)
    content = exports.route_pdf(request, _summary_context(acc, trajectory))
    return _download(request, content, "application/pdf", acc, trajectory, "pdf")
