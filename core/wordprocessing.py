"""Small accessibility touches for Word documents made with python-docx, shared by every .docx export."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LANGUAGE = "nl-NL"
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters a .docx cannot store


def clean_text(value) -> str:
    """Text for a document: a string without the control characters XML does not allow."""
    return _XML_ILLEGAL.sub("", str(value or ""))


def set_document_language(doc, language: str = LANGUAGE) -> None:
    """The language of all text (w:lang in the document defaults): screen readers and spelling use it."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), language)


def repeat_as_header(row) -> None:
    """Mark a table row as header row (w:tblHeader): repeated on every page, read as headers by screen readers."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def describe_table(table, text: str) -> None:
    """The table's title and description (alternative text) for assistive technology."""
    tbl_pr = table._tbl.tblPr
    for tag in ("w:tblCaption", "w:tblDescription"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), clean_text(text))
        tbl_pr.append(el)


# Column widths -------------------------------------------------------------------------------------------------
#
# A table with automatic widths is laid out by each program in its own way: LibreOffice broke headers mid-word
# ("Voorzitt/er", "verantwoord/elijk?"). Every table gets fixed widths (w:tblLayout fixed, the grid, and w:tcW
# on every cell), and each column is at least as wide as the longest word of its header.

CELL_PADDING_MM = 2 * 1.9  # Word's default left and right cell margins (0.19 cm each)
_PT_MM = 25.4 / 72
# Widths are measured in DejaVu Sans, wider than Calibri (the documents' font) and what LibreOffice and others
# put in Calibri's place where they do not have it, so a word that fits in DejaVu fits everywhere.
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts")
FALLBACK_EM = 0.75  # per character, when the font file is not there: wider than any DejaVu letter but W and M


@lru_cache(maxsize=2)
def _font(bold: bool):
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        path = Path(folder) / name
        if path.exists():
            return ImageFont.truetype(str(path), 1000)
    return None


def word_width_mm(word: str, size_pt: float = 11, *, bold: bool = False) -> float:
    """A word's printed width at size_pt, measured in DejaVu Sans (see above)."""
    font = _font(bold)
    em = font.getlength(word) / 1000 if font is not None else len(word) * FALLBACK_EM
    return em * size_pt * _PT_MM


def header_widths(labels, widths_mm, *, size_pt: float = 11) -> list[float]:
    """The widths (mm) proposed for each column, widened where a bold header word would not fit, taking the
    difference from the columns with room to spare; the total stays the same where it can."""
    needed = [
        max((word_width_mm(w, size_pt, bold=True) for w in str(label).split()), default=0) + CELL_PADDING_MM
        for label in labels
    ]
    widths = [max(w, n) for w, n in zip(widths_mm, needed, strict=True)]
    excess = sum(widths) - sum(widths_mm)
    spare = [w - n for w, n in zip(widths, needed, strict=True)]
    if excess > 0 and sum(spare) > 0:
        share = min(1.0, excess / sum(spare))
        widths = [w - s * share for w, s in zip(widths, spare, strict=True)]
    return [round(w, 1) for w in widths]


def _twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def set_column_widths(table, widths_mm) -> None:
    """Fixed column widths: no autofit, w:tblLayout fixed, the table width, the grid and w:tcW on every cell
    (cells spanning columns get the sum). Works on the XML directly: fast also for tables of many rows."""
    tbl = table._tbl
    table.autofit = False
    tbl_pr = tbl.tblPr
    layout = tbl_pr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tbl_pr.append(layout)
    layout.set(qn("w:type"), "fixed")
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:w"), str(sum(_twips(w) for w in widths_mm)))
    width.set(qn("w:type"), "dxa")
    twips = [_twips(w) for w in widths_mm]
    for grid_col, w in zip(tbl.tblGrid.findall(qn("w:gridCol")), twips, strict=True):
        grid_col.set(qn("w:w"), str(w))
    for tr in tbl.findall(qn("w:tr")):
        column = 0
        for tc in tr.findall(qn("w:tc")):
            tc_pr = tc.get_or_add_tcPr()
            span_el = tc_pr.find(qn("w:gridSpan"))
            span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
            tc_w = tc_pr.find(qn("w:tcW"))
            if tc_w is None:
                tc_w = OxmlElement("w:tcW")
                tc_pr.insert(0, tc_w)
            tc_w.set(qn("w:w"), str(sum(twips[column : column + span])))
            tc_w.set(qn("w:type"), "dxa")
            column += span
