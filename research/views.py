"""Across schools: the school's page for the benchmark setting and research consent (schoolleiding), and the
platform admin's research export. Thin views: organisations.access decides who, services write."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.errors import ServiceError
from organisations import access

from . import export, services
from .content import consent_text
from .models import ResearchConsent


class BenchmarkForm(forms.Form):
    on = forms.TypedChoiceField(choices=[("1", "aan"), ("0", "uit")], coerce=lambda v: v == "1")


class ConsentForm(forms.Form):
    text_version = forms.CharField(max_length=20)  # the consent text read (not an edit version)
    agree = forms.BooleanField(
        label=gettext_lazy("Ik heb de tekst gelezen en geef namens de school toestemming."),
        error_messages={"required": gettext_lazy("Vink aan dat je de tekst gelezen hebt en toestemming geeft.")},
    )


def _render_school(request, acc, consent_form=None, status=200):
    history = list(
        ResearchConsent.objects.filter(school=acc.school)
        .select_related("given_by", "withdrawn_by")
        .order_by("-given_at", "-id")
    )
    active = next((c for c in history if c.is_active), None)
    text = consent_text()
    response = render(
        request,
        "research/school.html",
        access.school_context(
            acc,
            consent=active,
            history=history,
            text=text,
            consent_form=consent_form or ConsentForm(initial={"text_version": text.version}),
        ),
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response


def school(request, school_id):
    acc = access.school_access(request, school_id, "can_manage_research")
    return _render_school(request, acc)


@require_POST
def benchmark_set(request, school_id):
    acc = access.school_access(request, school_id, "can_manage_research")
    form = BenchmarkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies aan of uit."))
        return _render_school(request, acc, status=400)
    on = form.cleaned_data["on"]
    if services.do_set_benchmark(school=acc.school, on=on, acting_user=request.user):
        messages.success(
            request,
            _("Vergelijken met andere scholen staat aan.") if on else _("Vergelijken met andere scholen staat uit."),
        )
    return redirect("research:school", school_id=acc.school.pk)


@require_POST
def consent_give(request, school_id):
    acc = access.school_access(request, school_id, "can_manage_research")
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return _render_school(request, acc, consent_form=form, status=400)
    try:
        services.do_give_consent(
            school=acc.school, text_version=form.cleaned_data["text_version"], acting_user=request.user
        )
    except ServiceError as error:
        messages.error(request, str(error))
        return _render_school(request, acc, consent_form=form, status=400)
    messages.success(request, _("De toestemming voor onderzoek is vastgelegd."))
    return redirect("research:school", school_id=acc.school.pk)


@require_POST
def consent_withdraw(request, school_id):
    acc = access.school_access(request, school_id, "can_manage_research")
    try:
        services.do_withdraw_consent(school=acc.school, acting_user=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
        return _render_school(request, acc, status=400)
    messages.success(request, _("De toestemming is ingetrokken. De school komt in geen nieuw onderzoeksbestand meer."))
    return redirect("research:school", school_id=acc.school.pk)


# The platform admin's export ---------------------------------------------------------------------------------


@never_cache
def admin_export(request):
    access.require_platform_admin(request.user)
    dataset = export.build_dataset()
    return render(
        request,
        "research/admin_export.html",
        {
            "dataset": dataset,
            "level_name": export.LEVEL_NAMES.get(dataset.level) if dataset.level else "",
            "k": export.K_ANONYMITY,
        },
    )


@never_cache
def admin_download(request):
    access.require_platform_admin(request.user)
    dataset = export.build_dataset()
    if not dataset.possible:
        messages.error(
            request,
            _("Nog geen export: er zijn minder dan %(k)s scholen met toestemming.") % {"k": export.K_ANONYMITY},
        )
        return redirect("research:admin_export")
    filename = export.export_filename()
    content = export.dataset_zip(dataset)
    services.do_record_research_export(
        acting_user=request.user,
        filename=filename,
        school_ids=dataset.school_ids,
        level=export.LEVEL_NAMES[dataset.level],  # type: ignore[index]
    )
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
