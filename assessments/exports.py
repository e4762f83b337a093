"""Exports of a closed round: the Gespreksformulier (Word) and an overview (Excel). The result report (PDF) is the
result page itself, printed: pages/round_result.py, with the page's template (templates/pages/round_result.html).

Views import this module when an export is asked for.

Each function gets a ``RoundSummary`` built for the person who asks (``summarise(round_, include_individual=...)``),
so an export never shows more than the result page shows that person: board viewers get a summary without
individual answers, and the distribution sheet is only written when the summary has the distribution.
"""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Mm
from openpyxl import Workbook

from core.spreadsheet import append_row, finish_table, write_header
from core.wordprocessing import (
    LANGUAGE,
    clean_text,
    describe_table,
    header_widths,
    repeat_as_header,
    set_column_widths,
    set_document_language,
)
from ontwikkelmodel.content import load_gespreksformulier

from .summary import RoundSummary

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"


def _round_date(round_):
    """The date of the consensus meeting, or the day the round was closed."""
    if round_.meeting_date:
        return round_.meeting_date
    return timezone.localdate(round_.closed_at) if round_.closed_at else None


def _layer_label(layer) -> str:
    return f"{layer.code} {layer.name}"


# Word: the Gespreksformulier (handbook Bijlage 5), filled in with what the team agreed -------------------------


def round_docx(round_, summary: RoundSummary) -> bytes:
    form = load_gespreksformulier()
    model = round_.model
    doc = Document()

    section = doc.sections[0]  # A4 landscape, like the printed form with its wide table
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))

    props = doc.core_properties
    props.title = f"{form['form_title']} – {round_.title}"
    props.subject = round_.school.name
    props.author = props.last_modified_by = "Groeiwijzer TSO"
    props.language = LANGUAGE
    props.keywords = "Traumasensitief Onderwijs, Ontwikkelmodel TSO"
    props.comments = form["source"]
    props.created = props.modified = timezone.now()
    props.revision = 1
    set_document_language(doc, LANGUAGE)

    doc.add_heading(clean_text(form["form_title"]), level=1)
    meeting = _round_date(round_)
    header_fields = [
        (_("School"), round_.school.name),
        (_("Ronde"), round_.title),
        # The form's own header fields: "Datum" and "Ingevuld door".
        (form["form_header_fields"][0], date_format(meeting, "j F Y") if meeting else "–"),
        (form["form_header_fields"][1], _("Het team, samen in het consensusgesprek")),
    ]
    for label, value in header_fields:
        p = doc.add_paragraph()
        p.add_run(f"{clean_text(label)}: ").bold = True
        p.add_run(clean_text(value))

    # One section per growth layer, as in the form. The form's rows are accents; where the printed form
    # puts two accents in one row (3B.1 and 3B.2), each has its own agreement here and so its own row.
    sections = {s["layer_code"]: s for s in form["form_sections"]}
    for layer_summary in summary.layers:
        layer = layer_summary.layer
        form_section = sections.get(layer.code)
        columns = form_section["columns"] if form_section else form["form_fields"]
        heading = form_section["heading"] if form_section else layer.name
        doc.add_heading(clean_text(f"{layer.code} {heading}"), level=2)
        table = doc.add_table(rows=1, cols=1 + len(columns))
        table.style = "Table Grid"
        describe_table(
            table,
            _("Groeilaag %(layer)s: afspraken per accent") % {"layer": _layer_label(layer)},
        )
        header = table.rows[0]
        repeat_as_header(header)
        labels = [_("Accent"), *columns]
        for cell, label in zip(header.cells, labels, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(clean_text(label)).bold = True
        for a in layer_summary.accents:
            c = a.consensus
            values = [
                f"{a.accent.code} {a.accent.name}",
                _phase_text(model, c),
                c.strengths if c else "",
                c.next_steps if c else "",
                str(c.priority) if c and c.priority else "",
            ]
            row = table.add_row()
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = clean_text(value)  # python-docx turns newlines into line breaks
        differences = [
            (a.accent.code, a.consensus.differences)
            for a in layer_summary.accents
            if a.consensus and a.consensus.differences.strip()
        ]
        for code, text in differences:  # not a column of the handbook's form: written below its table
            paragraph = doc.add_paragraph()
            paragraph.add_run(
                clean_text(_("Wat we verschillend zagen bij %(accent)s: ") % {"accent": code})
            ).bold = True
            paragraph.add_run(clean_text(text))
        set_column_widths(table, header_widths([clean_text(label) for label in labels], [50, 30, 80, 80, 25]))

    doc.add_heading(_("Bron"), level=2)
    doc.add_paragraph(clean_text(form["source"]) + ".")
    doc.add_paragraph(clean_text(model.source))

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# Excel: the agreements per accent, and (for members) the anonymous distribution --------------------------------


def _phase_text(model, item) -> str:
    """The agreed phase as the form names it; a range ("fase 2-3") names both ends."""
    if item is None or not item.phase:
        return ""
    if item.phase_to:
        return _("%(low)s tot en met %(high)s") % {
            "low": model.phase_label(item.phase),
            "high": model.phase_label(item.phase_to),
        }
    return model.phase_label(item.phase)


def round_xlsx(round_, summary: RoundSummary, include_distribution: bool) -> bytes:
    """Sheet "Consensus", and with include_distribution sheet "Verdeling": counts per phase, never names or rows.
    Sheet "Groei" when the school closed earlier rounds: the agreed phases over the years (agreed phases only).

    The distribution is only written when the summary holds it (members, from three submissions in an anonymous
    round): a summary built for a board viewer has none, whatever include_distribution says.
    """
    wb = Workbook()
    wb.properties.title = f"{round_.title} – {round_.school.name}"
    wb.properties.creator = wb.properties.lastModifiedBy = "Groeiwijzer TSO"
    wb.properties.language = LANGUAGE
    wb.properties.description = round_.model.source

    ws = wb.active
    ws.title = "Consensus"
    write_header(
        ws,
        [
            _("Groeilaag"),
            _("Accentcode"),
            _("Accent"),
            _("Afgesproken groeifase"),
            _("Gedeelde sterke punten"),
            _("Volgende ontwikkelstap(pen)"),
            _("Prioriteit"),
            _("Tot en met groeifase"),
            _("Wat we verschillend zagen"),
        ],
    )
    for layer_summary in summary.layers:
        for a in layer_summary.accents:
            c = a.consensus
            append_row(
                ws,
                [
                    _layer_label(layer_summary.layer),
                    a.accent.code,
                    a.accent.name,
                    c.phase if c else None,
                    c.strengths if c else "",
                    c.next_steps if c else "",
                    c.priority if c else None,
                    c.phase_to if c else None,
                    c.differences if c else "",
                ],
            )
    finish_table(ws)

    if include_distribution and summary.show_distribution:
        ws = wb.create_sheet("Verdeling")
        write_header(
            ws,
            [
                _("Groeilaag"),
                _("Accentcode"),
                _("Accent"),
                *[_("Fase %(n)d") % {"n": p} for p in (1, 2, 3, 4)],
                _("Weet ik niet"),
                _("Spreiding (fases)"),
            ],
        )
        for layer_summary in summary.layers:
            for a in layer_summary.accents:
                append_row(
                    ws,
                    [
                        _layer_label(layer_summary.layer),
                        a.accent.code,
                        a.accent.name,
                        *[a.counts[p] for p in (1, 2, 3, 4)],
                        a.dont_know,
                        a.spread,
                    ],
                )
        finish_table(ws)

    _growth_sheet(wb, round_)

    ws = wb.create_sheet(_("Over dit overzicht"))
    meeting = _round_date(round_)
    for label, value in [
        (_("School"), round_.school.name),
        (_("Ronde"), round_.title),
        (_("Datum consensusgesprek"), date_format(meeting, "j F Y") if meeting else "–"),
        (
            _("Ingediend"),
            _("%(n)d van %(total)d deelnemers") % {"n": summary.n_submitted, "total": summary.n_participants},
        ),
        (_("Ontwikkelmodel"), round_.model.source),
        (_("Gespreksformulier"), load_gespreksformulier()["source"]),
    ]:
        append_row(ws, [label, value])
    finish_table(ws)
    ws.auto_filter.ref = None  # two columns of facts, not a table to filter

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _growth_sheet(wb, round_) -> None:
    """Sheet "Groei": the agreed phase per accent in every closed round of the school up to this one, oldest
    first, and the change from the first to the last agreed phase. Agreed phases only (what everyone who gets this
    file may see); nothing with fewer than two rounds."""
    from .growth import round_date, rounds_up_to, school_growth

    growth = school_growth(round_.school, include_individual=False, rounds=rounds_up_to(round_))
    if len(growth.rounds) < 2:
        return
    ws = wb.create_sheet(_("Groei"))
    write_header(
        ws,
        [
            _("Groeilaag"),
            _("Accentcode"),
            _("Accent"),
            *[f"{r.title} ({date_format(round_date(r), 'j F Y')})" for r in growth.rounds],
            _("Verandering (fases)"),
        ],
    )
    for layer in growth.layers:
        for a in layer.accents:
            append_row(
                ws,
                [
                    _layer_label(layer.layer),
                    a.accent.code,
                    a.accent.name,
                    *[(m.label if m.phase_to else m.phase) for m in a.marks],
                    a.change,
                ],
            )
    finish_table(ws)
