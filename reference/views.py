"""Naslag: the handbook's reference material (any logged-in user) and the school's estimate (its members)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import ConflictError, ServiceError
from organisations import access
from organisations.models import EducationType

from . import services
from .content import figures, get_topic, load_topic, load_topics
from .estimate import estimate as compute_estimate
from .forms import PupilCountForm, SavePupilCountForm, SearchForm
from .search import search


def index(request):
    """All topics, and the search over their texts (works without JavaScript; htmx swaps only the results)."""
    form = SearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        results = search(form.cleaned_data["q"])
    context = {"form": form, "results": results, "topics": load_topics()}
    template = "reference/index.html#results" if request.htmx else "reference/index.html"
    return render(request, template, context)


def topic(request, slug):
    found = get_topic(slug)
    if found is None:
        raise Http404
    return render(request, found.template, {"topic": found})


def _measure_labels():
    return {
        "een_of_meer": _("Leerlingen met één of meer ingrijpende jeugdervaringen (ACEs)"),
        "vier_of_meer": _("Leerlingen met vier of meer ingrijpende jeugdervaringen (ACEs)"),
        "meer_dan_vier": _("Leerlingen met meer dan vier ingrijpende jeugdervaringen (ACEs)"),
    }


def estimate(request, school_id):
    """'Wat betekent dit voor onze school': research figures applied to the school's type and pupil count."""
    acc = access.school_access(request, school_id)
    access.require(acc.can_view_estimate)
    school = acc.school
    save_form = None
    status = 200
    if request.method == "POST":
        access.require(acc.can_set_pupil_count)
        save_form = SavePupilCountForm(request.POST)
        if save_form.is_valid():
            try:
                services.do_set_pupil_count(
                    school=school,
                    pupil_count=save_form.cleaned_data["pupil_count"],
                    expected=save_form.cleaned_data["current"],
                    acting_user=request.user,
                )
            except ServiceError as exc:
                save_form.add_error("pupil_count", str(exc))
                status = 409 if isinstance(exc, ConflictError) else 400
            else:
                messages.success(request, _("Het aantal leerlingen is opgeslagen bij de school."))
                return redirect("reference:estimate", school_id=school.pk)
        else:
            status = 400

    try_form = PupilCountForm(request.GET if "leerlingen" in request.GET else None)
    pupils, typed = school.pupil_count, False
    if try_form.is_bound and try_form.is_valid():
        pupils, typed = try_form.cleaned_data["leerlingen"], True
    elif try_form.is_bound:
        pupils = None  # a wrong number: show the error, not an estimate for another number
    if acc.can_set_pupil_count and save_form is None:
        save_form = SavePupilCountForm(
            initial={"pupil_count": pupils if typed else school.pupil_count, "current": school.pupil_count}
        )
    result = None
    if pupils:
        result = compute_estimate(
            figures(), pupil_count=pupils, education_type=school.education_type, cluster=school.cluster
        )
    prevalentie = load_topic("prevalentie")
    studies, labels = prevalentie.data["study_by_code"], _measure_labels()
    measures = [
        {
            "m": m,
            "label": labels[m.measure],
            "rows": [{"fe": fe, "study": studies[fe.figure.study]} for fe in m.figures],
        }
        for m in (result.measures if result else ())
    ]
    return render(
        request,
        "reference/estimate.html",
        {
            "acc": acc,
            "school": school,
            "try_form": try_form,
            "save_form": save_form,
            "typed": typed,
            "result": result,
            "topic": prevalentie,
            "measures": measures,
            "used_type_label": EducationType(result.used_type).label if result else "",
        },
        status=status,
    )
