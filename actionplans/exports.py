"""Exports of the school's action plan: the handbook's form (Word) and a sheet per kind of item (Excel).

The Word document follows Bijlage 7 "Format Actieplan implementatie TSO": the werkgroep's current and next
meeting, then one table per growth layer with the six columns of the form. Before the tables it lists the
development goals (handbook ch. 5), which the form leaves to the team.

Both get a ``PlanOverview`` (``plan_overview(school)``): what the plan page shows, so an export never shows more
than the page. Meeting minutes are never exported (the plan page does not show them either). Steps and updates
of all actions are loaded with one query each (``load_details``), the meetings' chair, timekeeper and note taker
with one query per role, so an export takes the same number of queries for 20 actions as for 200.

The Word helpers at the end mirror those in assessments/exports.py (document language, repeating header rows,
table descriptions); that module imports WeasyPrint, which this one does not need.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape as xml_escape

from django.db.models import Count, F, Window, prefetch_related_objects
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm, RGBColor
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
from ontwikkelmodel.content import load_file

from .models import ActionStep, ActionUpdate, Term
from .overview import PlanOverview

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPDATES_PER_ACTION = 5  # newest first; older ones are counted ("… en 3 eerdere"), the document stays usable
DONE_MARK, OPEN_MARK = "☑", "☐"
LATE_COLOUR = RGBColor(0xA4, 0x00, 0x00)  # dark red: 7:1 on white; the text "TE LAAT" carries the meaning


def _day(value) -> str:
    """d-m-jjjj, as in the handbook's forms."""
    return date_format(value, "j-n-Y") if value else ""


def _person(user) -> str:
    return user.display_name if user else ""


def _title() -> str:
    return _("Actieplan implementatie TSO")


# Loading -----------------------------------------------------------------------------------------------------


def _prepare(overview: PlanOverview) -> None:
    """Everything the exports show beyond the overview, in a fixed number of queries."""
    load_details(overview.actions)
    meetings = [m for m in (overview.last_meeting, overview.next_meeting) if m is not None]
    prefetch_related_objects(meetings, "chair", "timekeeper", "note_taker")  # a query per role, not per meeting


def load_details(actions) -> None:
    """Give every action ``step_list``, ``recent_updates`` (newest first) and ``older_updates`` (a count).

    Two queries whatever the number of actions: all steps, and the newest UPDATES_PER_ACTION updates of each
    action (window functions: older updates are counted in the database, not loaded).
    """
    by_id = {a.pk: a for a in actions}
    for action in actions:
        action.step_list, action.recent_updates, action.older_updates = [], [], 0
    if not by_id:
        return
    for step in ActionStep.objects.filter(action_id__in=by_id):
        by_id[step.action_id].step_list.append(step)
    newest_first = [F("created_at").desc(), F("id").desc()]
    updates = (
        ActionUpdate.objects.filter(action_id__in=by_id)
        .select_related("author")
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("action_id")], order_by=newest_first),
            n_updates=Window(Count("id"), partition_by=[F("action_id")]),
        )
        .filter(rank__lte=UPDATES_PER_ACTION)
        .order_by("action_id", "rank")
    )
    for update in updates:
        action = by_id[update.action_id]
        action.recent_updates.append(update)
        action.older_updates = update.n_updates - UPDATES_PER_ACTION if update.n_updates > UPDATES_PER_ACTION else 0


def _update_line(update) -> str:
    author = _person(update.author) or _("onbekend")
    return f"{_day(timezone.localdate(update.created_at))} – {author}: {update.text}"


def _step_line(step) -> str:
    return f"{DONE_MARK if step.is_done else OPEN_MARK} {step.text}"


def _goal_title(action) -> str:
    """The title of the action's goal; a deleted goal takes its actions with it, but never show one."""
    goal = action.goal
    return goal.title if goal is not None and goal.deleted_at is None else ""


def _layer_label(layer) -> str:
    return f"{layer.code} {layer.name}"


def _goal_place(goal, layers) -> str:
    """The goal's accent (with its layer), or only the layer."""
    layer = layers.get(goal.layer_code)
    layer_label = _layer_label(layer) if layer else goal.layer_code
    if goal.accent:
        return f"{goal.accent.code} {goal.accent.name} ({layer_label})"
    return layer_label


def _meeting_time(meeting) -> str:
    if not meeting.start_time:
        return ""
    text = f"{meeting.start_time:%H:%M}"
    return f"{text}–{meeting.end_time:%H:%M}" if meeting.end_time else text


# Word: Bijlage 7, filled in ---------------------------------------------------------------------------------

MARGIN_MM = 15


def _action_columns():
    """(label, width in mm) of the form's action tables: together the width of A4 landscape within the margins."""
    return [
        (_("Actiepunt"), 55),
        (_("Welke stappen zijn er?"), 55),
        (_("Wie is verantwoordelijk?"), 32),
        (_("Wanneer afgerond?"), 25),
        (_("Hoe wordt uitvoering gemonitord?"), 45),
        (_("Notities/Updates"), 55),
    ]


def _meeting_columns():
    return [
        (_("Bijeenkomsten"), 32),
        (_("Datum"), 22),
        (_("Tijd (begin en eind)"), 24),
        (_("Locatie"), 28),
        (_("Voorzitter"), 22),
        (_("Tijdbewaker"), 22),
        (_("Notulist"), 22),
    ]


def plan_docx(school, overview: PlanOverview) -> bytes:
    _prepare(overview)
    model = load_file()
    layers = {block.layer.code: block.layer for block in overview.layers}
    doc = Document()

    _page(doc.sections[0], landscape=False)
    props = doc.core_properties
    props.title = f"{_title()} – {school.name}"
    props.subject = school.name
    props.author = props.last_modified_by = "Groeiwijzer TSO"
    props.language = LANGUAGE
    props.keywords = "Traumasensitief Onderwijs, Actieplan"
    props.comments = _("Format: Bijlage 7 van het Handboek Implementatie Traumasensitief Onderwijs")
    props.created = props.modified = timezone.now()
    props.revision = 1
    set_document_language(doc, LANGUAGE)

    doc.add_heading(_title(), level=1)
    for label, value in [(_("School"), school.name), (_("Datum export"), date_format(overview.today, "j F Y"))]:
        p = doc.add_paragraph()
        p.add_run(f"{label}: ").bold = True
        p.add_run(clean_text(value))

    # The werkgroep's meetings: the form's first table.
    doc.add_heading(_("Bijeenkomsten"), level=2)
    table = _table(doc, _meeting_columns(), _("Huidige en volgende bijeenkomst van de werkgroep"))
    for label, meeting in [
        (_("Huidige bijeenkomst"), overview.last_meeting),
        (_("Volgende bijeenkomst"), overview.next_meeting),
    ]:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True  # the row's header
        if meeting is not None:
            values = [
                _day(meeting.date),
                _meeting_time(meeting),
                meeting.location,
                _person(meeting.chair),
                _person(meeting.timekeeper),
                _person(meeting.note_taker),
            ]
            for cell, value in zip(cells[1:], values, strict=True):
                cell.text = clean_text(value)
    set_column_widths(table, _widths(_meeting_columns()))

    # The development goals (handbook ch. 5): short term, then long term.
    doc.add_heading(_("Ontwikkeldoelen"), level=2)
    for term, goals in [(Term.SHORT, overview.short_goals), (Term.LONG, overview.long_goals)]:
        doc.add_heading(str(term.label), level=3)
        if not goals:
            doc.add_paragraph(_("Nog geen doelen."))
        for goal in goals:
            doc.add_paragraph(style="List Bullet").add_run(clean_text(goal.title)).bold = True
            for label, value in [
                (_("Groeilaag en accent"), _goal_place(goal, layers)),
                (_("Groeifase bij de start"), model.phase_label(goal.start_phase) if goal.start_phase else ""),
                (_("Prioriteit"), goal.priority or ""),
                (_("Hoe monitoren we de ontwikkeling?"), goal.monitoring),
                (_("Wie monitort?"), _person(goal.monitored_by)),
                (_("Hoe koppelen we de resultaten terug aan het team?"), goal.feedback),
            ]:
                p = doc.add_paragraph()
                p.paragraph_format.left_indent = Mm(8)
                p.paragraph_format.space_after = Mm(0)
                p.add_run(f"{label}: ").bold = True
                p.add_run(clean_text(value) or "–")

    # One table per growth layer, on landscape pages like the form.
    _page(doc.add_section(WD_SECTION.NEW_PAGE), landscape=True)
    columns = _action_columns()
    for block in overview.layers:
        doc.add_heading(f"{block.layer.code}. {block.layer.name}", level=2)
        table = _table(doc, columns, _("Actiepunten %(layer)s") % {"layer": block.layer.name})
        if not block.actions:
            table.add_row()  # an empty row to fill in, as in the printed form
        widths = _widths(columns)
        for action in block.actions:
            _action_row(table, action, widths)
        set_column_widths(table, widths)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _action_row(table, action, widths_mm) -> None:
    """One action as a table row (w:tr). Built as WordprocessingML text and parsed once: python-docx's
    element-by-element API takes about 1 s for a plan of 200 actions, this about a tenth of that."""
    late = f'<w:r><w:rPr><w:b/><w:color w:val="{LATE_COLOUR}"/></w:rPr><w:t xml:space="preserve">{{}}</w:t></w:r>'
    first = [_p(_r(action.title, bold=True))]
    if _goal_title(action):
        first.append(_p(_r(_("Doel: %(goal)s") % {"goal": _goal_title(action)})))
    status = _r(_("Status: %(status)s") % {"status": action.get_status_display()})
    if action.overdue:
        status += late.format(_xml(" – " + _("TE LAAT")))
    first.append(_p(status))

    steps = [_p(_r(_step_line(step))) for step in action.step_list]
    if action.step_list:
        done = sum(step.is_done for step in action.step_list)
        steps.append(
            _p(_r(_("%(done)d van %(total)d gedaan") % {"done": done, "total": len(action.step_list)}, italic=True))
        )
    due = [_p(_r(_day(action.due_date)))]
    if action.overdue:
        due.append(_p(late.format(_xml(_("te laat")))))
    updates = [_update_line(update) for update in action.recent_updates]
    if action.older_updates:
        updates.append(_("… en %(n)d eerdere") % {"n": action.older_updates})
    columns = [
        first,
        steps,
        [_p(_r(_person(action.owner)))],
        due,
        [_p(_r(line)) for line in action.monitoring.splitlines()],
        [_p(_r(line)) for line in updates],
    ]
    cells = "".join(
        f'<w:tc><w:tcPr><w:tcW w:w="{_twips(mm)}" w:type="dxa"/></w:tcPr>{"".join(paras) or "<w:p/>"}</w:tc>'
        for mm, paras in zip(widths_mm, columns, strict=True)
    )
    table._tbl.append(parse_xml(f"<w:tr {nsdecls('w')}>{cells}</w:tr>"))


def _twips(mm) -> int:
    return round(mm * 1440 / 25.4)


def _xml(text) -> str:
    return xml_escape(clean_text(text))


def _r(text, *, bold=False, italic=False) -> str:
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    return f'<w:r>{f"<w:rPr>{props}</w:rPr>" if props else ""}<w:t xml:space="preserve">{_xml(text)}</w:t></w:r>'


def _p(runs: str) -> str:
    return f"<w:p>{runs}</w:p>"


def _lines(cell, lines) -> None:
    """One paragraph per line in a (new, empty) cell."""
    for i, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        paragraph.add_run(clean_text(line))


def _page(section, *, landscape: bool) -> None:
    """A4, portrait or landscape."""
    short, long_ = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long_, short) if landscape else (short, long_)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))


def _widths(columns) -> list[float]:
    """The columns' widths in mm: as proposed, widened where a header word would not fit (core.wordprocessing)."""
    return header_widths([label for label, _width in columns], [width for _label, width in columns])


def _table(doc, columns, description: str):
    """A grid table with a bold header row that repeats on every page; rows added later get the widths (and
    set_column_widths fixes them on every cell once the rows are in)."""
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.autofit = False
    describe_table(table, description)
    header = table.rows[0]
    repeat_as_header(header)
    for i, (cell, label, width) in enumerate(zip(header.cells, [c[0] for c in columns], _widths(columns), strict=True)):
        cell.width = Mm(width)
        table.columns[i].width = Mm(width)  # the grid: add_row() copies it into every new row
        cell.paragraphs[0].add_run(label).bold = True
    return table


# Excel: actions, goals and meetings as tables to sort and filter ---------------------------------------------

DATE_FORMAT = "dd-mm-yyyy"
DATETIME_FORMAT = "dd-mm-yyyy hh:mm"
TIME_FORMAT = "hh:mm"


def _local(moment):
    """An aware datetime as naive local time (Excel has no time zones), to the second."""
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0) if moment else None


def _formats(ws, formats: dict[int, str]) -> None:
    """Number formats for the last row's cells, by 1-based column."""
    row = ws.max_row
    for column, number_format in formats.items():
        ws.cell(row=row, column=column).number_format = number_format


def plan_xlsx(school, overview: PlanOverview) -> bytes:
    _prepare(overview)
    layers = {block.layer.code: block.layer for block in overview.layers}
    wb = Workbook()
    wb.properties.title = f"{_title()} – {school.name}"
    wb.properties.subject = school.name
    wb.properties.creator = wb.properties.lastModifiedBy = "Groeiwijzer TSO"
    wb.properties.language = LANGUAGE

    ws = wb.active
    ws.title = _("Actiepunten")
    write_header(
        ws,
        [
            _("Groeilaag"),
            _("Doel"),
            _("Actiepunt"),
            _("Stappen"),
            _("Stappen gedaan"),
            _("Wie is verantwoordelijk?"),
            _("Wanneer afgerond?"),
            _("Hoe wordt uitvoering gemonitord?"),
            _("Status"),
            _("Te laat"),
            _("Laatste update"),
            _("Laatst gewijzigd"),
        ],
    )
    yes, no = _("ja"), _("nee")
    for block in overview.layers:
        for action in block.actions:
            append_row(
                ws,
                [
                    _layer_label(block.layer),
                    _goal_title(action),
                    action.title,
                    "\n".join(_step_line(step) for step in action.step_list),
                    sum(step.is_done for step in action.step_list),
                    _person(action.owner),
                    action.due_date,
                    action.monitoring,
                    action.get_status_display(),
                    yes if action.overdue else no,
                    _update_line(action.recent_updates[0]) if action.recent_updates else "",
                    _local(action.updated_at),
                ],
            )
            _formats(ws, {7: DATE_FORMAT, 12: DATETIME_FORMAT})
    finish_table(ws)

    ws = wb.create_sheet(_("Doelen"))
    write_header(
        ws,
        [
            _("Termijn"),
            _("Groeilaag"),
            _("Accent"),
            _("Doel"),
            _("Groeifase bij de start"),
            _("Prioriteit"),
            _("Hoe monitoren we de ontwikkeling?"),
            _("Wie monitort?"),
            _("Hoe koppelen we de resultaten terug aan het team?"),
        ],
    )
    for goal in [*overview.short_goals, *overview.long_goals]:
        layer = layers.get(goal.layer_code)
        append_row(
            ws,
            [
                str(goal.get_term_display()),
                _layer_label(layer) if layer else goal.layer_code,
                f"{goal.accent.code} {goal.accent.name}" if goal.accent else "",
                goal.title,
                goal.start_phase,
                goal.priority,
                goal.monitoring,
                _person(goal.monitored_by),
                goal.feedback,
            ],
        )
    finish_table(ws)

    ws = wb.create_sheet(_("Bijeenkomsten"))
    write_header(
        ws,
        [
            _("Bijeenkomst"),
            _("Datum"),
            _("Begintijd"),
            _("Eindtijd"),
            _("Locatie"),
            _("Voorzitter"),
            _("Tijdbewaker"),
            _("Notulist"),
        ],
    )
    for label, meeting in [
        (_("Huidige bijeenkomst"), overview.last_meeting),
        (_("Volgende bijeenkomst"), overview.next_meeting),
    ]:
        if meeting is None:
            continue
        append_row(
            ws,
            [
                label,
                meeting.date,
                meeting.start_time,
                meeting.end_time,
                meeting.location,
                _person(meeting.chair),
                _person(meeting.timekeeper),
                _person(meeting.note_taker),
            ],
        )
        _formats(ws, {2: DATE_FORMAT, 3: TIME_FORMAT, 4: TIME_FORMAT})
    finish_table(ws)

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
