"""Server-side search over all reference texts: case- and accent-insensitive, every word must occur.

``fold`` lowers case and strips accents (é → e, ë → e, ï → i) character by character, keeping a map back
to the original text so a hit can be marked in the text as printed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .content import Entry, search_entries

MAX_QUERY_LENGTH = 100
MAX_TERMS = 8
MAX_RESULTS = 50


def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each folded character the index of the original character."""
    out, index = [], []
    for i, char in enumerate(text):
        folded = _fold_char(char)
        if char.isspace():
            folded = " "
        out.append(folded)
        index.extend([i] * len(folded))
    return "".join(out), index


def terms(query: str) -> list[str]:
    """The distinct folded words of a query, longest first (so marks never nest)."""
    words = []
    for word in fold(query)[0].split():
        word = word.strip(".,;:!?()\"'‘’“”")
        if word and word not in words:
            words.append(word)
    return sorted(words[:MAX_TERMS], key=len, reverse=True)


def highlight(text: str, words: list[str]) -> SafeString:
    """The text, escaped, with each occurrence of a word in <mark>."""
    folded, index = fold(text)
    marked = [False] * len(text)
    for word in words:
        start = folded.find(word)
        while start != -1:
            for k in range(start, start + len(word)):
                marked[index[k]] = True
            start = folded.find(word, start + len(word))
    html, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and marked[j] == marked[i]:
            j += 1
        part = escape(text[i:j])
        html.append(f"<mark>{part}</mark>" if marked[i] else part)
        i = j
    return mark_safe("".join(html))  # noqa: S308 - every part is escaped above


@dataclass(frozen=True)
class Hit:
    entry: Entry
    html: SafeString


@dataclass(frozen=True)
class Results:
    query: str
    hits: tuple[Hit, ...]
    total: int

    @property
    def truncated(self) -> bool:
        return self.total > len(self.hits)


def search(query: str) -> Results:
    words = terms(query)
    if not words:
        return Results(query=query, hits=(), total=0)
    matching = []
    for entry in search_entries():
        folded = fold(entry.text)[0]
        if all(word in folded for word in words):
            matching.append(entry)
    hits = tuple(Hit(entry=e, html=highlight(e.text, words)) for e in matching[:MAX_RESULTS])
    return Results(query=query, hits=hits, total=len(matching))
