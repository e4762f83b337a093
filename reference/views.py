"""Naslag: the handbook's reference material (any logged-in user) and the school's estimate (its members)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.editing import edit, post_data
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
    """'Wat betekent dit voor onze school': research figures applied to the school's type and pupil count.

    Schoolleiding and kartrekkers also store the count on the school: an edit with a version (core.editing.edit), so
    a save over someone else's newer count is refused (409) with the saved count next to theirs."""
    acc = access.school_access(request, school_id)
    access.require(acc.can_view_estimate)
    school = acc.school
    if request.method == "POST":
        access.require(acc.can_set_pupil_count)
    try_form = PupilCountForm(request.GET if "leerlingen" in request.GET else None)
    typed = try_form.is_bound and try_form.is_valid()
    save_form = None
    if acc.can_set_pupil_count:
        shown = try_form.cleaned_data["leerlingen"] if typed else school.pupil_count
        save_form = SavePupilCountForm(post_data(request), initial={"pupil_count": shown, "version": school.version})

    def page(conflict):
        # Called when the page is drawn: after a refused save ``school`` holds the saved count.
        pupils = try_form.cleaned_data["leerlingen"] if typed else school.pupil_count
        if try_form.is_bound and not typed:
            pupils = None  # a wrong number: show the error, not an estimate for another number
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
        return {
            "acc": acc,
            "school": school,
            "try_form": try_form,
            "save_form": save_form,
            "conflict": conflict,
            "typed": typed,
            "result": result,
            "topic": prevalentie,
            "measures": measures,
            "used_type_label": EducationType(result.used_type).label if result else "",
        }

    if save_form is None:
        return render(request, "reference/estimate.html", page(None))

    def done(_saved):
        messages.success(request, _("Het aantal leerlingen is opgeslagen bij de school."))
        return redirect("reference:estimate", school_id=school.pk)

    return edit(
        request,
        save_form,
        school,
        save=lambda version: services.do_set_pupil_count(
            school=school,
            pupil_count=save_form.cleaned_data["pupil_count"],
            expected_version=version,
            acting_user=request.user,
        ),
        fields=services.PUPIL_COUNT_FIELDS,
        refused_field="pupil_count",
        template="reference/estimate.html",
        context=page,
        done=done,
    )
