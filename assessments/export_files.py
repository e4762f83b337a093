"""A closed round's exports as files the background worker makes (core/generated.py): their content version and
their builders.

``round_version`` is everything a round's Word, Excel and PDF exports show, in five or six cheap queries: the school's
name, the round and the school's other closed rounds (for the growth), per round the participants (counts and
latest submission), the answers (count, latest save), the agreements (count, latest save), this round's priorities
and, for a named round, its participants' names. Any edit, reopening, rename or erasure changes it, so a file made
before is never sent again.

The builders get the round's id and ``include_individual`` (the one thing that differs between viewers: a board
viewer's summary has no distribution and no written answers, ``views.result_summary``), so the worker makes exactly
the file the view would have made for that person.
"""

from __future__ import annotations

from django.db.models import Count, Max, Q, Sum
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.generated import GeneratedFileSpec, file_builder, forget
from core.wordprocessing import DOCX_TYPE

from .models import Answer, ConsensusItem, Participant, Priority, Round, RoundStatus
from .summary import summarise

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"
ROUND_KINDS = ("round.docx", "round.xlsx", "round.pdf")  # the PDF's builder is in pages/round_result.py


def export_filename(round_, name: str, extension: str) -> str:
    slug = slugify(round_.title)[:80].strip("-") or f"ronde-{round_.pk}"  # ASCII: accents dropped
    return f"{slug}-{name}.{extension}"


def variant(include_individual: bool) -> str:
    return "leden" if include_individual else "alleen-afspraken"


def round_version(round_) -> list:
    """What a closed round's exports show, in a few values (see the module docstring)."""
    rounds = list(
        Round.objects.filter(Q(school_id=round_.school_id, status=RoundStatus.CLOSED) | Q(pk=round_.pk))
        .order_by("pk")
        .values_list("pk", "status", "title", "closed_at", "meeting_date", "created_at", "anonymous", "model_version")
    )
    ids = [r[0] for r in rounds]
    participants = list(
        Participant.objects.filter(round_id__in=ids)
        .values("round_id")
        .annotate(
            n=Count("id"),
            submitted=Count("submitted_at"),
            shown=Count("shown_at"),
            last_submitted=Max("submitted_at"),
            last_shown=Max("shown_at"),
            last_saved=Max("updated_at"),
        )
        .order_by("round_id")
        .values_list("round_id", "n", "submitted", "shown", "last_submitted", "last_shown", "last_saved")
    )
    answers = list(
        Answer.objects.filter(participant__round_id__in=ids)
        .values("participant__round_id")
        .annotate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
        .order_by("participant__round_id")
        .values_list("participant__round_id", "n", "last", "top")
    )
    agreements = list(
        ConsensusItem.objects.filter(round_id__in=ids)
        .values("round_id")
        .annotate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
        .order_by("round_id")
        .values_list("round_id", "n", "last", "top")
    )
    priorities = Priority.objects.filter(participant__round_id=round_.pk).aggregate(
        n=Count("id"), top=Max("id"), ranks=Sum("rank")
    )
    names: list = []
    if not round_.anonymous:  # a named round shows who answered what
        names = list(
            Participant.objects.filter(round_id=round_.pk).order_by("pk").values_list("pk", "user__name", "user__email")
        )
    return [round_.school.name, rounds, participants, answers, agreements, priorities, names]


def round_file_spec(
    acc,
    round_,
    *,
    kind: str,
    builder,
    name: str,
    extension: str,
    content_type: str,
    label: str,
    version: list | None = None,
    params: dict | None = None,
) -> GeneratedFileSpec:
    """The spec of one export of a closed round for this person (``acc``: their school access)."""
    include_individual = acc.can_see_individual_answers(round_)
    return GeneratedFileSpec(
        kind=kind,
        object_id=round_.pk,
        variant=variant(include_individual),
        version=version if version is not None else round_version(round_),
        builder=builder,
        params={"round_id": round_.pk, "include_individual": include_individual, **(params or {})},
        filename=export_filename(round_, name, extension),
        content_type=content_type,
        label=label,
        title=round_.title,
        back_url=reverse("assessments:result", args=[round_.school_id, round_.pk]),
        back_label=_("Terug naar het resultaat"),
    )


def _round(round_id: int) -> Round:
    return Round.objects.select_related("school", "model_version").get(pk=round_id)


@file_builder
def round_docx_file(*, round_id: int, include_individual: bool) -> bytes:
    """The Gespreksformulier (handbook Bijlage 5), filled in with what the team agreed."""
    from . import exports

    round_ = _round(round_id)
    return exports.round_docx(round_, summarise(round_, include_individual=include_individual))


@file_builder
def round_xlsx_file(*, round_id: int, include_individual: bool) -> bytes:
    """The agreements per accent; for members also the distribution (counts only, as on the page)."""
    from . import exports

    round_ = _round(round_id)
    summary = summarise(round_, include_individual=include_individual)
    return exports.round_xlsx(round_, summary, include_distribution=summary.show_distribution)


def docx_spec(acc, round_) -> GeneratedFileSpec:
    return round_file_spec(
        acc,
        round_,
        kind="round.docx",
        builder=round_docx_file,
        name="gespreksformulier",
        extension="docx",
        content_type=DOCX_TYPE,
        label=_("Gespreksformulier (Word)"),
    )


def xlsx_spec(acc, round_) -> GeneratedFileSpec:
    return round_file_spec(
        acc,
        round_,
        kind="round.xlsx",
        builder=round_xlsx_file,
        name="overzicht",
        extension="xlsx",
        content_type=XLSX_TYPE,
        label=_("Overzicht (Excel)"),
    )


def forget_round_files(school) -> int:
    """The generated exports of all of a school's rounds go (the school leaves)."""
    return forget(kinds=ROUND_KINDS, object_ids=Round.objects.filter(school=school).values_list("pk", flat=True))
