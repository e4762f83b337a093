"""The consent text for research (versioned data file, ``content/toestemming-*.json``).

The version a school agreed to is stored with its consent (``ResearchConsent.text_version``), together with the
text itself, so a later version never changes what a school agreed to.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.content_checks import ContentError, text, texts

CONTENT_FILE = Path(__file__).resolve().parent / "content" / "toestemming-2026.json"


@dataclass(frozen=True)
class ConsentText:
    version: str
    title: str
    paragraphs: tuple[str, ...]

    @property
    def full_text(self) -> str:
        return "\n\n".join((self.title, *self.paragraphs))


def parse(data) -> ConsentText:
    if not isinstance(data, dict):
        raise ContentError("the consent text is an object")
    return ConsentText(
        version=text(data.get("version"), "version"),
        title=text(data.get("title"), "title"),
        paragraphs=texts(data.get("paragraphs"), "paragraphs"),
    )


@cache
def consent_text() -> ConsentText:
    """The current consent text."""
    return parse(json.loads(CONTENT_FILE.read_text(encoding="utf-8")))
