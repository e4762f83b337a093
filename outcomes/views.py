"""Opbrengsten: thin views; access.py decides who, services write, results.py applies the anonymity rules."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from audit.models import record_download
from core.errors import ServiceError
from ontwikkelmodel.content import load_file
from organisations import access
from organisations.models import School

from . import lookups, services
from . import results as calc
from .content import load_content
from .forms import AnswersForm, OwnItemForm, SurveyForm
from .models import OwnItem, Respondent, RoleGroup, Survey, SurveyKind, respondent_key, respondent_keys


def _ctx(acc, **extra):
    return access.school_context(acc, content=load_content(), **extra)


# Overview and opening --------------------------------------------------------------------------------------


def taken_part_in(surveys, user) -> set[int]:
    """Ids of these surveys that ``user`` filled in: their respondent keys computed here, one query."""
    keys = respondent_keys([s.pk for s in surveys], user.pk)
    if not keys:
        return set()
    found = Respondent.objects.filter(survey_id__in=list(keys.values()), key__in=list(keys))
    return {keys[k] for k in found.values_list("key", flat=True) if k in keys}


def _render_overview(request, acc, form=None, status=200):
    surveys = calc.in_time_order(Survey.objects.filter(school=acc.school).prefetch_related("tallies"))
    mine = taken_part_in(surveys, request.user)
    proposed = services.proposed_nulmeting_date(acc.school)
    has_nulmeting = any(s.kind == SurveyKind.NULMETING for s in surveys)
    if form is None:
        kind = SurveyKind.JAARLIJKS if has_nulmeting else SurveyKind.NULMETING
        day = proposed if (proposed and kind == SurveyKind.NULMETING) else timezone.localdate()
        form = SurveyForm(
            initial={
                "kind": kind,
                "school_year": services.school_year_of(day),
                "planned_on": proposed if kind == SurveyKind.NULMETING else None,
            }
        )
    rows = [{"survey": s, "taken_part": calc.taken_part(s.tallies.all()), "done": s.pk in mine} for s in surveys]
    return render(
        request,
        "outcomes/overview.html",
        _ctx(
            acc,
            rows=rows,
            form=form,
            proposed=proposed,
            has_nulmeting=has_nulmeting,
            own_count=OwnItem.objects.filter(school=acc.school, retired_at__isnull=True).count(),
        ),
        status=status,
    )


def overview(request, school_id):
    acc = access.school_access(request, school_id, "can_fill_surveys")
    return _render_overview(request, acc)


@require_POST
def survey_new(request, school_id):
    acc = access.school_access(request, school_id, "can_manage_surveys")
    form = SurveyForm(request.POST)
    if form.is_valid():
        try:
            survey = services.do_open_survey(
                school=acc.school,
                kind=form.cleaned_data["kind"],
                school_year=form.cleaned_data["school_year"],
                min_respondents=form.cleaned_data["min_respondents"],
                planned_on=form.cleaned_data["planned_on"],
                acting_user=request.user,
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("De vragenlijst ‘%(t)s’ staat open.") % {"t": survey.title})
            return redirect("outcomes:overview", school_id=acc.school.pk)
    return _render_overview(request, acc, form=form, status=400)


@require_POST
def close(request, school_id, survey_id):
    acc = access.school_access(request, school_id, "can_manage_surveys")
    survey = lookups.get_survey(acc, survey_id)
    try:
        services.do_close_survey(survey=survey, acting_user=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("De vragenlijst is gesloten. Invullen kan niet meer; de resultaten staan klaar."))
    return redirect("outcomes:overview", school_id=acc.school.pk)


# Filling in ------------------------------------------------------------------------------------------------


@never_cache  # what someone is answering: never kept in a browser or proxy cache
def fill(request, school_id, survey_id):
    """One page; the answers go to the tally of the person's role group on submit. No draft on the server."""
    acc = access.school_access(request, school_id, "can_fill_surveys")
    survey = lookups.get_survey(acc, survey_id)
    done = Respondent.objects.filter(survey=survey, key=respondent_key(survey.pk, request.user.pk)).exists()
    status = 200
    if request.method == "POST":
        form = AnswersForm(request.POST, survey=survey)
        if not survey.is_open or done:
            form.add_error(
                None,
                _("Deze vragenlijst is gesloten: invullen kan niet meer.")
                if not survey.is_open
                else _("Je hebt deze vragenlijst al ingevuld. Je kunt hem maar één keer invullen."),
            )
            status = 409
        elif form.is_valid():
            try:
                services.do_submit_survey(
                    survey=survey, user=request.user, answers=form.answers(), acting_user=request.user
                )
            except ServiceError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                messages.success(request, _("Dank je wel! Je antwoorden zijn meegeteld, zonder je naam."))
                return redirect("outcomes:overview", school_id=acc.school.pk)
        else:
            status = 400
    else:
        form = AnswersForm(survey=survey)
    return render(request, "outcomes/fill.html", _ctx(acc, survey=survey, form=form, done=done), status=status)


# Results -------------------------------------------------------------------------------------------------------


def results_context(acc) -> dict:
    """The results page's figures: closed surveys in time order, each shown only where its minimum holds."""
    surveys = calc.in_time_order(Survey.objects.filter(school=acc.school, status="closed").prefetch_related("tallies"))
    figures_of, columns = {}, []
    for survey in surveys:
        tallies = list(survey.tallies.all())
        figures = calc.shown(survey, tallies)
        if figures is not None:
            figures_of[survey.pk] = figures
        split = calc.breakdown(survey, tallies)
        columns.append(
            {
                "survey": survey,
                "taken_part": calc.taken_part(tallies),
                "shown": figures is not None,
                "by_group": survey.by_group,
                "groups": [
                    {"label": label, "n": split[code].n, "figures": split[code]}
                    for code, label in RoleGroup.choices
                    if split and code in split
                ],
            }
        )
    groups = calc.aspect_rows(surveys, figures_of)
    model = load_file()
    for group in groups:
        for aspect in group["aspects"]:
            aspect["accent_links"] = [model.accent(code) for code in aspect["accents"] if model.accent(code)]
    breakdowns = []
    for column in columns:
        if column["groups"]:
            rows = []
            for group in groups:
                if group["kind"] != "scale":
                    continue
                for aspect in group["aspects"]:
                    keys = aspect["keys"].get(column["survey"].pk)
                    if keys:
                        rows.append(
                            {
                                "name": aspect["name"],
                                "own": aspect["own"],
                                "means": [calc.mean(g["figures"], keys) for g in column["groups"]],
                            }
                        )
            breakdowns.append({"column": column, "rows": rows})
    return _ctx(
        acc,
        columns=columns,
        groups=groups,
        base=calc.baseline(surveys),
        breakdowns=breakdowns,
        not_by_group=[c for c in columns if c["shown"] and not c["by_group"]],
        any_shown=bool(figures_of),
    )


@never_cache
def results(request, school_id):
    acc = access.school_access(request, school_id, "can_view_outcomes")
    return render(request, "outcomes/results.html", results_context(acc))


def _download(request, acc, content: bytes, content_type: str, extension: str) -> HttpResponse:
    filename = f"opbrengsten-{acc.school.pk}.{extension}"
    record_download(request=request, action="export.outcomes", filename=filename, school=acc.school)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    add_never_cache_headers(response)
    return response


def results_xlsx(request, school_id):
    from . import exports

    acc = access.school_access(request, school_id, "can_view_outcomes")
    content = exports.results_xlsx(results_context(acc))
    return _download(request, acc, content, exports.XLSX_TYPE, "xlsx")


def results_pdf(request, school_id):
    """The results page as a tagged PDF report (core/pdf.py)."""
    from core.pdf import PDF_TYPE, render_pdf

    acc = access.school_access(request, school_id, "can_view_outcomes")
    content = render_pdf(request, "outcomes/results.html", results_context(acc))
    return _download(request, acc, content, PDF_TYPE, "pdf")


# The school's own questions ------------------------------------------------------------------------------------


def items(request, school_id):
    acc = access.school_access(request, school_id, "can_manage_surveys")
    form = OwnItemForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.do_add_own_item(
                    school=acc.school,
                    text=form.cleaned_data["text"],
                    group=form.cleaned_data["group"],
                    acting_user=request.user,
                )
            except ServiceError as exc:
                form.add_error("text", str(exc))
            else:
                messages.success(
                    request, _("De vraag staat op de lijst; hij wordt gesteld vanaf de volgende vragenlijst.")
                )
                return redirect("outcomes:items", school_id=acc.school.pk)
        status = 400
    own = list(OwnItem.objects.filter(school=acc.school).order_by("created_at", "id"))
    return render(
        request,
        "outcomes/items.html",
        _ctx(acc, form=form, active=[o for o in own if o.is_active], retired=[o for o in own if not o.is_active]),
        status=status,
    )


@require_POST
def item_retire(request, school_id, item_id):
    acc = access.school_access(request, school_id, "can_manage_surveys")
    item = lookups.get_own_item(acc, item_id)
    try:
        services.do_retire_own_item(item=item, acting_user=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("De vraag is ingetrokken. Vragenlijsten die al open zijn, houden hem."))
    return redirect("outcomes:items", school_id=acc.school.pk)


# The board --------------------------------------------------------------------------------------------------------


@never_cache
def board(request, board_id):
    """Per school year the aggregates of the board's schools (each only where its minimum holds) and the board
    total built from the shown schools only."""
    board_obj = access.get_board_for_user(request.user, board_id)
    schools = list(School.objects.filter(board=board_obj).order_by("name"))
    surveys = Survey.objects.filter(school__in=schools, status="closed").prefetch_related("tallies")
    by_school: dict = {}
    tallies: dict = {}
    for survey in surveys:
        by_school.setdefault(survey.school_id, []).append(survey)
        tallies[survey.pk] = list(survey.tallies.all())
    content = load_content()
    aspects = [
        {"group": g.heading, "name": a.name, "keys": [i.code for i in a.items]}
        for g in content.scale_groups
        for a in g.aspects
    ]
    years = []
    for year in calc.board_figures(schools, by_school, tallies):
        rows = [
            {**row, "means": [calc.mean(row["figures"], a["keys"]) for a in aspects] if row["figures"] else None}
            for row in year["rows"]
        ]
        total = [calc.mean(year["total"], a["keys"]) for a in aspects] if year["total"] else None
        years.append({**year, "rows": rows, "total_means": total})
    return render(
        request, "outcomes/board.html", {"board": board_obj, "years": years, "aspects": aspects, "content": content}
    )
