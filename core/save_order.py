"""The order of the saves of one open page (static/js/app.js numbers them, for forms with data-save-order).

Each save of such a form sends ``save_page`` (a random id of that page) and ``save_seq`` (1, 2, 3, ...). A service
that gets an older save from the same page than the one it stored last leaves the newer text alone: a slow
autosave overtaken by the form's own button must not put older values back. Saves from another page, tab or
device carry another id and count as usual (the last one wins).
"""

from __future__ import annotations

import re

SAVE_PAGE_RE = re.compile(r"^[a-z0-9]{8,32}$")

SaveOrder = tuple[str, int]


def from_request(request) -> SaveOrder | None:
    """(page id, number) of this save; None without them, or when they are not what app.js sends."""
    page, seq = request.POST.get("save_page", ""), request.POST.get("save_seq", "")
    if SAVE_PAGE_RE.match(page) and seq.isascii() and seq.isdigit() and len(seq) <= 12:
        return page, int(seq)
    return None


def is_stale(stored_page: str, stored_seq: int, order: SaveOrder | None) -> bool:
    """A save made earlier on the same open page than the one already stored (it arrived late)."""
    return order is not None and stored_page == order[0] and stored_seq > order[1]
