"""The result page of a round and its PDF: what the team agreed (assessments) with what the plan made of it
since (actionplans: the goals that came from the round's priorities, with their actions), and the growth over the
school's closed rounds up to this one (agreed phases only). It combines two apps,
so it sits on top; the Word and Excel exports stay in assessments (the Excel file has the growth too)."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from actionplans.overview import round_followup
from assessments import exports, services
from assessments import lookups as round_lookups
from assessments.growth import rounds_up_to, school_growth
from assessments.views import closed_round_access, download, result_summary
from organisations import access


def result_context(acc, round_) -> dict:
    """What the result page of a closed round shows this person. The one place: the page and the PDF use it."""
    return {
        "acc": acc,
        "school": acc.school,
        "round": round_,
        "summary": result_summary(acc, round_),
        "followup_goals": round_followup(round_),
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
    return render(request, "assessments/result.html", result_context(acc, round_))


def result_pdf(request, school_id, round_id):
    """The result page as a tagged PDF report (A4, the page's print stylesheet)."""
    acc, round_ = closed_round_access(request, school_id, round_id)
    content = exports.round_pdf(request, round_, result_context(acc, round_))
    services.do_record_export(round_=round_, kind="pdf", acting_user=request.user)
    return download(content, exports.PDF_TYPE, round_, "rapport", "pdf")
