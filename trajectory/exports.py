"""Exports of a school's route: a calendar (.ics), a one-page Word overview and the same overview as PDF.

Views import this module only when an export is asked for (WeasyPrint loads Pango).
"""

from __future__ import annotations

import datetime
import io

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Mm, Pt

from actionplans.models import Meeting
from core import ics
from core.wordprocessing import (
    clean_text,
    describe_table,
    header_widths,
    repeat_as_header,
    set_column_widths,
    set_document_language,
)

ICS_TYPE = ics.CONTENT_TYPE


def _step_description(step, route) -> str:
    c = step.content
    parts = []
    if c.when:
        parts.append(_("Wanneer (handboek): %(when)s") % {"when": c.when})
    parts.append(_("Klaar uiterlijk: %(date)s") % {"date": date_format(step.due_date, "j F Y")})
    if step.owner:
        parts.append(_("Wie: %(name)s") % {"name": step.owner.display_name})
    for label, items in ((_("Doelen"), c.goals), (_("Acties"), c.actions), (_("Tijd"), c.time)):
        if items:
            parts.append(f"{label}: " + "; ".join(items))
    if c.text:
        parts.append(c.text)
    if c.tool:
        parts.append(_("Hulpmiddel: %(tool)s") % {"tool": c.tool})
    parts.append(_("Bron: %(source)s, %(part)s") % {"source": route.citation, "part": c.citation})
    return "\n".join(parts)


def meeting_event(meeting: Meeting, base_url: str) -> ics.Event:
    """A werkgroep meeting as a calendar event (also used by the personal calendar feed, pages/calendar_feed.py)."""
    url = base_url.rstrip("/") + reverse("actionplans:meeting", args=[meeting.school_id, meeting.pk])
    summary = _("Werkgroep TSO: bijeenkomst")
    if meeting.start_time:
        start = datetime.datetime.combine(meeting.date, meeting.start_time, tzinfo=ics.AMSTERDAM)
        end_time = meeting.end_time or (start + datetime.timedelta(hours=1)).time()
        end = datetime.datetime.combine(meeting.date, end_time, tzinfo=ics.AMSTERDAM)
        return ics.Event(
            uid=f"werkgroep-{meeting.pk}@groeiwijzer-tso",
            summary=summary,
            start=start,
            end=end,
            location=meeting.location,
            url=url,
        )
    return ics.Event(
        uid=f"werkgroep-{meeting.pk}@groeiwijzer-tso",
        summary=summary,
        start=meeting.date,
        location=meeting.location,
        url=url,
    )


def _training_events(school, today, base_url: str) -> list[ics.Event]:
    """The team training's sessions from today on (training.calendar gives them with an exclusive end date)."""
    from training.calendar import session_events

    events = []
    for e in session_events(school):
        start, end = e["start"], e["end"]
        if isinstance(start, datetime.datetime):
            if start.date() < today:
                continue
        else:
            if start < today:
                continue
            end = end - datetime.timedelta(days=1)  # ics.Event takes the last day itself
        events.append(
            ics.Event(
                uid=e["uid"],
                summary=e["summary"],
                start=start,
                end=end,
                location=e["location"],
                description=e["description"],
            )
        )
    return events


def step_event(step, school_id: int, route, *, base_url: str) -> ics.Event:
    """A route step (with its content, trajectory.overview.with_content) as an all-day event on its planned date."""
    url = base_url.rstrip("/") + reverse("trajectory:step", args=[school_id, step.pk])
    title = step.content.title if step.occurrence == 1 else f"{step.content.title} ({step.start_date.year})"
    return ics.Event(
        uid=f"traject-{school_id}-{step.code}-{step.occurrence}@groeiwijzer-tso",
        summary=_("TSO: %(title)s") % {"title": title},
        start=step.start_date,
        description=_step_description(step, route),
        url=url,
    )


def route_events(trajectory, overview, *, base_url: str) -> list[ics.Event]:
    """Every step that is still open (on its planned date), the team training's sessions and the werkgroep's
    meetings from today on."""
    route = overview.route
    events = []
    for step in overview.steps:
        if step.is_open:
            events.append(step_event(step, trajectory.school_id, route, base_url=base_url))
    meetings = Meeting.objects.filter(school_id=trajectory.school_id, date__gte=overview.today).order_by("date")
    events += [meeting_event(m, base_url) for m in meetings]
    events += _training_events(trajectory.school, overview.today, base_url)
    return events


def route_ics(trajectory, overview, *, base_url: str) -> bytes:
    name = _("Traject TSO – %(school)s") % {"school": trajectory.school.name}
    return ics.calendar(route_events(trajectory, overview, base_url=base_url), name=name)


def route_docx(trajectory, overview) -> bytes:
    """One landscape A4 page: per phase its steps with dates, who, and status."""
    doc = Document()
    set_document_language(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(12))
    doc.styles["Normal"].font.size = Pt(8.5)
    school = trajectory.school
    doc.core_properties.title = clean_text(_("Traject TSO – %(school)s") % {"school": school.name})
    doc.core_properties.language = "nl-NL"
    doc.add_heading(clean_text(_("Ons traject Traumasensitief Onderwijs – %(school)s") % {"school": school.name}), 1)
    doc.add_paragraph(
        clean_text(
            _(
                "Start van de teamtraining: %(date)s · Nu in fase %(n)d: %(phase)s · "
                "%(done)d van %(total)d stappen klaar"
            )
            % {
                "date": date_format(trajectory.training_start, "j F Y"),
                "n": overview.current_phase.number,
                "phase": overview.current_phase.name,
                "done": overview.done_count,
                "total": len(overview.steps),
            }
        )
    )
    headers = [_("Fase"), _("Stap"), _("Wanneer (handboek)"), _("Gepland"), _("Wie"), _("Status")]
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    describe_table(table, _("Alle stappen van het traject per fase, met datum, wie het oppakt en de status"))
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = clean_text(text)
        cell.paragraphs[0].runs[0].bold = True
    repeat_as_header(table.rows[0])
    for block in overview.phases:
        for step in block.steps:
            status = step.get_status_display()
            if step.late:
                status = _("%(status)s – te laat") % {"status": status}
            values = [
                f"{block.phase.number}. {block.phase.name}",
                step.content.title,
                step.content.when,
                f"{date_format(step.start_date, 'j b Y')} – {date_format(step.due_date, 'j b Y')}",
                step.owner.display_name if step.owner else "",
                status,
            ]
            for cell, text in zip(table.add_row().cells, values, strict=True):
                cell.text = clean_text(text)
    # the width of A4 landscape within the margins (273 mm), each header word on one line
    set_column_widths(table, header_widths(headers, [42, 78, 55, 38, 30, 30], size_pt=8.5))
    doc.add_paragraph(clean_text(_("Bron: %(source)s") % {"source": overview.route.citation}))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def route_pdf(request, context: dict) -> bytes:
    """The one-page overview (the same template as the page) as a tagged PDF."""
    from core.pdf import render_pdf

    return render_pdf(request, "trajectory/summary.html", context)
