"""A voorgesprek as a Word document: Bijlage 1 filled in, to keep with the school's records or to work on further.

The same content as the page: the agenda's questions (verbatim from the handbook) with the notes, the decision
and the agreements. Only those who may open the conversation get it (views.conversation_docx).
"""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from docx import Document
from docx.shared import Mm

from core.wordprocessing import (
    LANGUAGE,
    clean_text,
    describe_table,
    header_widths,
    repeat_as_header,
    set_column_widths,
    set_document_language,
)

from .content import load_agenda
from .models import Decision, Note


def _date(value) -> str:
    return date_format(value, "j F Y") if value else "–"


def _field(doc, label: str, value: str) -> None:
    p = doc.add_paragraph()
    p.add_run(f"{clean_text(label)}: ").bold = True
    p.add_run(clean_text(value) or "–")


def conversation_docx(conversation) -> bytes:
    agenda = load_agenda()
    notes = dict(Note.objects.filter(conversation=conversation).values_list("question_code", "text"))
    dates = [d.date for d in conversation.dates.all()]
    doc = Document()
    section = doc.sections[0]  # A4 portrait
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))

    props = doc.core_properties
    props.title = f"{conversation.get_kind_display()} – {conversation.school.name}"
    props.subject = agenda.title
    props.author = props.last_modified_by = "Groeiwijzer TSO"
    props.language = LANGUAGE
    props.keywords = "Traumasensitief Onderwijs, voorgesprek"
    props.comments = agenda.citation
    props.created = props.modified = timezone.now()
    props.revision = 1
    set_document_language(doc, LANGUAGE)

    doc.add_heading(clean_text(conversation.get_kind_display()), level=1)
    _field(doc, _("School"), conversation.school.name)
    _field(doc, _("Datums"), "; ".join(_date(d) for d in dates))
    _field(doc, _("Aan tafel"), ", ".join(p.display_name for p in conversation.participants.order_by("name")))
    decision = conversation.get_decision_display()
    if conversation.decision == Decision.TWIJFEL and conversation.follow_up_date:
        decision += " · " + _("vervolgafspraak %(d)s") % {"d": _date(conversation.follow_up_date)}
    _field(doc, _("Besluit"), decision)
    if conversation.follows_id:
        previous = conversation.follows
        first = previous.dates.first()
        _field(
            doc,
            _("Vervolg op"),
            f"{previous.get_kind_display()} ({_date(first.date)})" if first else previous.get_kind_display(),
        )
    doc.add_paragraph().add_run(clean_text(agenda.title)).italic = True

    for part in agenda.parts:
        doc.add_heading(clean_text(part.heading), level=2)
        for theme in part.themes:
            doc.add_heading(clean_text(f"{theme.name} {theme.parts_label}".strip()), level=3)
            if theme.instruction:
                doc.add_paragraph().add_run(clean_text(theme.instruction)).bold = True
            for q in theme.questions:
                doc.add_paragraph().add_run(clean_text(q.text)).bold = True
                for item in q.items:
                    doc.add_paragraph(clean_text(item), style="List Bullet")
                doc.add_paragraph(clean_text(notes.get(q.code, "")) or "–")

    doc.add_heading(_("Afsluiting: Go of Twijfel"), level=2)
    doc.add_paragraph(clean_text(agenda.decision.text))
    _field(doc, _("Besluit"), decision)
    if conversation.decision == Decision.TWIJFEL:
        chosen = [s for s in agenda.small_steps if s.code in set(conversation.small_steps)]
        doc.add_paragraph(clean_text(agenda.small_steps_intro))
        for step in chosen:
            doc.add_paragraph(clean_text(step.text), style="List Bullet")
        if not chosen:
            doc.add_paragraph(_("Nog geen kleine stappen gekozen."))

    doc.add_heading(_("Afspraken"), level=2)
    doc.add_paragraph(clean_text(agenda.agreements.question))
    agreements = list(conversation.agreements.select_related("owner"))
    if agreements:
        wording = agenda.agreements
        labels = [wording.who, wording.when, wording.support, wording.feedback]
        table = doc.add_table(rows=1, cols=len(labels))
        table.style = "Table Grid"
        describe_table(table, _("Afspraken: wie, wat, wanneer, ondersteuning en terugkoppeling"))
        repeat_as_header(table.rows[0])
        for cell, label in zip(table.rows[0].cells, labels, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(clean_text(label[:1].upper() + label[1:])).bold = True
        for a in agreements:
            row = table.add_row()
            values = [f"{a.who}: {a.what}" if a.who else a.what, _date(a.due_date), a.support, a.feedback]
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = clean_text(value) or "–"
        # A4 portrait within the margins: 170 mm
        set_column_widths(table, header_widths([clean_text(label) for label in labels], [55, 30, 42, 43]))
    else:
        doc.add_paragraph(_("Nog geen afspraken."))

    doc.add_heading(_("Bron"), level=2)
    doc.add_paragraph(clean_text(agenda.citation))

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
