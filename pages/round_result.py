"""The result page of a round and its PDF: what the team agreed (assessments) with what the plan made of it
since (actionplans: the goals that came from the round's priorities, with their actions), and the growth over the
school's closed rounds up to this one (agreed phases only). It combines two apps,
so it sits on top; the Word and Excel exports stay in assessments (the Excel file has the growth too)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from actionplans.export_files import followup_version
from actionplans.overview import round_followup
from assessments import lookups as round_lookups
from assessments import services
from assessments.export_files import PDF_TYPE, round_file_spec, round_version
from assessments.growth import rounds_up_to, school_growth
from assessments.models import Round
from assessments.views import result_summary
from core.generated import file_builder, respond
from organisations import access


def result_context(acc, round_, *, today: datetime.date | None = None) -> dict:
    """What the result page of a closed round shows this person. The one place: the page and the PDF use it."""
    return {
        "acc": acc,
        "school": acc.school,
        "round": round_,
        "summary": result_summary(acc, round_),
        "followup_goals": round_followup(round_, today=today),
        # The agreed phases of the school's closed rounds up to this one (none after it): the growth so far.
        "growth": school_growth(acc.school, include_individual=False, rounds=rounds_up_to(round_)),
    }


@never_cache
def result(request, school_id, round_id):
    acc = access.school_access(request, school_id)
    round_ = round_lookups.get_round(acc, round_id)
    if not round_.is_closed:
        access.require(acc.is_member)  # board members: closed rounds only (403: they may see the school)
        return render(request, "assessments/result_pending.html", access.school_context(acc, round=round_))
    return render(request, "pages/round_result.html", result_context(acc, round_))


# The PDF report is made by the background worker and kept per version of what it shows (core/generated.py): the
# round's content (assessments/export_files.py), the follow-up's goals and actions and the day (late actions).


def result_pdf(request, school_id, round_id):
    """The result page as a tagged PDF report (A4, the page's print stylesheet)."""
    acc, round_ = round_lookups.closed_round_access(request, school_id, round_id)
    today = timezone.localdate()
    spec = round_file_spec(
        acc,
        round_,
        kind="round.pdf",
        builder=round_pdf_file,
        name="rapport",
        extension="pdf",
        content_type=PDF_TYPE,
        label=_("Rapport (PDF)"),
        version=[round_version(round_), followup_version(round_), today],
        params={"today": today.isoformat()},
    )
    return respond(
        request,
        spec,
        on_download=lambda: services.do_record_export(round_=round_, kind="pdf", acting_user=request.user),
    )


@dataclass
class PrintViewer:
    """Who the worker prints the report for: only whether they see individual answers matters; the page's links
    for organisers and plan editors are not printed (gw-no-print), so the report leaves them out."""

    school: object
    include_individual: bool
    can_organise_rounds: bool = False
    can_edit_plan: bool = False

    def can_see_individual_answers(self, round_) -> bool:
        return self.include_individual


@file_builder
def round_pdf_file(*, round_id: int, include_individual: bool, today: str) -> bytes:
    """The report of a closed round as the worker makes it: the result page's template and context."""
    from core.pdf import render_pdf

    round_ = Round.objects.select_related("school", "model_version").get(pk=round_id)
    viewer = PrintViewer(school=round_.school, include_individual=include_individual)
    context = result_context(viewer, round_, today=datetime.date.fromisoformat(today))
    return render_pdf(None, "pages/round_result.html", context)  # the page itself, A4 via the print CSS
