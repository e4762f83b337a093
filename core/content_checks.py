"""What every content loader checks in its versioned handbook file: texts verbatim, without stray whitespace.

Each app's ``content.py`` parses its own file (its own structure and citation) with these; a broken file raises
ContentError when it is loaded, never a half-read page.
"""

from __future__ import annotations


class ContentError(ValueError):
    """A content file that does not have the shape or the texts its loader expects."""


def text(value, what: str) -> str:
    """A non-empty string exactly as the handbook prints it: no double spaces, no line breaks at either end."""
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{what} must be a non-empty string")
    if " ".join(value.split()) != value:
        raise ContentError(f"{what} has stray whitespace or line breaks: {value!r}")
    return value


def optional_text(value, what: str) -> str | None:
    return None if value is None else text(value, what)


def texts(values, what: str, *, allow_empty: bool = False) -> tuple[str, ...]:
    """A list of texts (non-empty unless allow_empty)."""
    if not isinstance(values, list) or (not values and not allow_empty):
        raise ContentError(f"{what} must be a non-empty list of texts")
    return tuple(text(v, f"{what}[{i}]") for i, v in enumerate(values))
