"""Writing user text into Excel workbooks (openpyxl) safely, and tables people can work with.

Shared by every .xlsx export (assessment rounds, action plans).

Formula injection (OWASP "CSV injection"): text a user typed that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return can be taken for a formula by a spreadsheet program. openpyxl itself turns any string
that starts with ``=`` into a formula cell (and ``#N/A`` and the like into error cells). We do not prefix the
text with an apostrophe: in an .xlsx file that apostrophe is stored as part of the text, so Excel and
LibreOffice would show it and the export would no longer say what the team wrote. Instead every user text is
written as a *string cell* (``data_type = "s"``: stored as text, which no program evaluates) and, when it
starts with one of those characters, the cell also gets Excel's own "quote prefix" style flag — what Excel sets
when someone types ``'=...`` — so that editing the cell later (F2, Enter) keeps it text as well. The cell shows
exactly the text, without an apostrophe, and is never evaluated.

Use ``set_text(cell, value)`` or ``append_row(ws, values)`` to write; ``safe_text(value)`` alone only cleans the
text (it cannot change how openpyxl types the cell).
"""

from __future__ import annotations

import re
import textwrap
import unicodedata

from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")  # OWASP CSV-injection guidance
# Characters XML 1.0 does not allow (openpyxl raises IllegalCharacterError on them); tab, LF and CR stay.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MAX_CELL_TEXT = 32_767  # Excel's limit per cell


def safe_text(value) -> str:
    """The text for a cell: a string without characters an .xlsx file cannot hold, within Excel's length limit."""
    if value is None:
        return ""
    return _ILLEGAL.sub("", str(value))[:MAX_CELL_TEXT]


def set_text(cell, value):
    """Write user text into a cell as text: shown as typed, never evaluated as a formula (see the module doc)."""
    text = safe_text(value)
    cell.value = text
    cell.data_type = "s"  # also when openpyxl took it for a formula ("=...") or an error ("#N/A")
    if looks_like_formula(text):
        cell.quotePrefix = True
    return cell


def looks_like_formula(text: str) -> bool:
    """Starts with a formula character, also after leading spaces or line breaks, or as its full-width form
    ("＝", "﹦"), which some spreadsheet programs take for "=" when the cell is edited."""
    if text.startswith(FORMULA_TRIGGERS):
        return True
    first = unicodedata.normalize("NFKC", text.lstrip()[:1])
    return first != "" and first in "=+-@"


def append_row(ws, values) -> None:
    """``ws.append(values)``, with every string written through ``set_text``. Numbers and None stay as they are."""
    ws.append([set_text(Cell(ws), v) if isinstance(v, str) else v for v in values])


def write_header(ws, labels) -> None:
    """The first row: bold column headings, frozen so they stay in view while scrolling."""
    append_row(ws, labels)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    ws.freeze_panes = f"A{ws.max_row + 1}"  # a coordinate: ws.cell() would create a row


def finish_table(ws) -> None:
    """Autofilter on the header row and the data below it, column widths that fit, rows as high as their
    lines, and a print set-up."""
    if ws.max_row >= 1 and ws.max_column >= 1:
        ws.auto_filter.ref = f"A1:{get_column_letter(ws.max_column)}{ws.max_row}"
    autosize(ws)
    row_heights(ws)
    print_setup(ws)


def print_setup(ws) -> None:
    """Printed on A4 landscape, all columns on the width of one page (as many pages down as needed), the header
    row (the rows above the frozen pane, see write_header) repeated at the top of every page."""
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # 0: as many pages as it takes
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.5  # inches
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    header_rows = ws.freeze_panes and int(ws.freeze_panes[1:]) - 1
    if header_rows:
        ws.print_title_rows = f"1:{header_rows}"
    ws.oddFooter.center.text = "&P / &N"  # page x of n


LINE_HEIGHT_PT = 15  # one line of 11 pt text (Calibri), as Excel and LibreOffice lay it out


def row_heights(ws) -> None:
    """Rows whose cells hold more than one line (line breaks, or text wrapped at its column's width) get the
    height of their longest cell, so the text is not cut off nor drawn over the next row; programs that open the
    file do not always measure wrapped rows themselves."""
    for row in ws.iter_rows():
        lines = 1
        for cell in row:
            if not isinstance(cell.value, str) or not cell.value:
                continue
            width = ws.column_dimensions[get_column_letter(cell.column)].width or 10
            per_line = max(1, int(width) - 1)  # characters that fit on one line of the column
            n = sum(len(textwrap.wrap(line, per_line)) or 1 for line in cell.value.splitlines() or [""])
            lines = max(lines, n)
        if lines > 1:
            ws.row_dimensions[row[0].row].height = lines * LINE_HEIGHT_PT
            for cell in row:  # the row's other cells start at its top too, next to the first line
                if cell.value is not None and cell.alignment.vertical != "top":
                    cell.alignment = Alignment(
                        horizontal=cell.alignment.horizontal, vertical="top", wrap_text=cell.alignment.wrap_text
                    )


def autosize(ws, *, min_width: int = 8, max_width: int = 60) -> None:
    """Set each column's width to its longest line (within min/max); text wider than max_width wraps."""
    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            text = str(cell.value)
            longest = max((len(line) for line in text.splitlines()), default=0)
            widths[cell.column] = max(widths.get(cell.column, 0), longest)
            if longest > max_width or "\n" in text:
                cell.alignment = Alignment(horizontal=cell.alignment.horizontal, vertical="top", wrap_text=True)
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = max(min_width, min(max_width, width + 2))
