"""Small accessibility touches for Word documents made with python-docx, shared by every .docx export."""

from __future__ import annotations

import re

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
