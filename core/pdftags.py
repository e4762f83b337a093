"""Corrections to the tagged structure of WeasyPrint's PDFs, so the PDF/UA-1 claim holds for our tables.

WeasyPrint (70) builds the structure tree from the HTML, but for tables it gets three things wrong, which screen
readers then read out wrongly:

- a cell after a merged cell (``rowspan``) is given the headers of the wrong column: it counts columns without the
  merged cell that reaches into its row (the route PDF read "Werving kartrekker TSO" under all four phase names);
- a header cell (TH) has no ``/Scope``, and a row header without ``scope="row"`` is taken for a column header;
- a caption that is visually hidden (``position: absolute``) ends up inside three extra nested Table elements
  after the header row, instead of being the table's first child.

``fix_structure(document, pdf)`` is a WeasyPrint *finisher*: it runs on the finished PDF objects (pydyf) before
they are written. Per Table element it lifts stray captions out of the nested Table wrappers and puts them first,
gives every TH its ``/Scope`` (``/Column`` in the table head or in a row of header cells only, ``/Row`` for a
header cell in a row with data cells), and gives every TD the ``/Headers`` of the TH cells that really head it:
column headers above it in its own column(s), row headers before it in its own row(s), counting merged cells
in the grid as an HTML table does. tests/test_export_clients.py walks the structure tree of every PDF to check.
"""

from __future__ import annotations

import re

import pydyf

_REFERENCE = re.compile(rb"^(\d+) 0 R$")
ROW_GROUPS = ("/THead", "/TBody", "/TFoot")


def fix_structure(_document, pdf) -> None:
    for obj in list(pdf.objects):
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/StructElem" and obj.get("S") == "/Table":
            _Table(pdf, obj).fix()


class _Table:
    def __init__(self, pdf, table):
        self.pdf, self.table = pdf, table

    def element(self, ref):
        """The structure element a /K entry refers to, or None for marked content (an integer MCID) and the like."""
        match = _REFERENCE.match(ref) if isinstance(ref, bytes) else None
        if not match:
            return None
        obj = self.pdf.objects[int(match.group(1))]
        return obj if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/StructElem" else None

    def children(self, element):
        return [(ref, child) for ref in element.get("K", ()) if (child := self.element(ref)) is not None]

    def fix(self) -> None:
        self.lift_captions()
        self.fix_cells()

    def lift_captions(self) -> None:
        """Nested Table elements directly in a table hold only a caption (WeasyPrint's boxes for a positioned
        caption): replace them by the caption, which goes first."""
        kids = self.table["K"]
        captions = []
        for ref, child in self.children(self.table):
            if child["S"] == "/Table":
                found = self.captions_in(child)
                if found is not None:
                    kids.remove(ref)
                    captions.extend(found)
            elif child["S"] == "/Caption" and kids.index(ref) != 0:
                kids.remove(ref)
                captions.append(ref)
        for ref in reversed(captions):
            self.element(ref)["P"] = self.table.reference
            kids.insert(0, ref)

    def captions_in(self, wrapper):
        """The captions inside a chain of Table elements that holds nothing else, or None."""
        found = []
        for ref in wrapper.get("K", ()):
            child = self.element(ref)
            if child is None:
                return None
            if child["S"] == "/Caption":
                found.append(ref)
            elif child["S"] == "/Table":
                inner = self.captions_in(child)
                if inner is None:
                    return None
                found.extend(inner)
            else:
                return None
        return found

    def rows(self):
        for _ref, child in self.children(self.table):
            if child["S"] == "/TR":
                yield child, False
            elif child["S"] in ROW_GROUPS:
                yield from ((row, child["S"] == "/THead") for _r, row in self.children(child) if row["S"] == "/TR")

    def fix_cells(self) -> None:
        taken: set[tuple[int, int]] = set()
        headers: list[tuple[pydyf.Dictionary, int, int, int, int]] = []  # (TH, row, column, rowspan, colspan)
        data: list[tuple[pydyf.Dictionary, int, int, int, int]] = []
        for r, (row, in_head) in enumerate(self.rows()):
            cells = [cell for _ref, cell in self.children(row) if cell["S"] in ("/TH", "/TD")]
            header_row = in_head or all(cell["S"] == "/TH" for cell in cells)
            c = 0
            for cell in cells:
                while (r, c) in taken:  # a cell of an earlier row reaches down into this one
                    c += 1
                attributes = cell.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
                rowspan, colspan = int(attributes.get("RowSpan", 1)), int(attributes.get("ColSpan", 1))
                taken.update((r + dr, c + dc) for dr in range(rowspan) for dc in range(colspan))
                if cell["S"] == "/TH":
                    attributes["Scope"] = "/Column" if header_row else "/Row"
                    if "ID" not in cell:
                        cell["ID"] = pydyf.String(f"{self.table.number}-{r}-{c}")
                    headers.append((cell, r, c, rowspan, colspan))
                else:
                    data.append((cell, r, c, rowspan, colspan))
                c += colspan
        for cell, r, c, rowspan, colspan in data:
            ids = [
                th["ID"]
                for th, hr, hc, hrows, hcols in headers
                if (th["A"]["Scope"] == "/Column" and hr < r and hc < c + colspan and c < hc + hcols)
                or (th["A"]["Scope"] == "/Row" and hc < c and hr < r + rowspan and r < hr + hrows)
            ]
            cell["A"]["Headers"] = pydyf.Array(ids)
