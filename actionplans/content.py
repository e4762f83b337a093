"""The handbook's action-plan suggestions as versioned content.

The list "Uitgelicht: Het actieplan implementatie Traumasensitief Onderwijs: Waar kan ik aan
denken?" (Handboek, hoofdstuk 5) lives verbatim in ``content/suggesties-2023.json`` (with its
citation). Code reads it from there; templates never contain suggestion text. Every suggestion
has a short, stable ``code`` (e.g. ``"2.beleid.d"``) that is stored on actions created from it,
so codes are never renumbered or reused: add new codes, retire old ones.

The handbook marks some suggestions, and the heading "Schoolinrichting", with an asterisk that
points to the reflection cards of 'Lesgeven aan getraumatiseerde kinderen'. The JSON records the
asterisk where it is printed (on an item or on a group heading); ``Suggestion.see_reflection_cards``
is true for both, and the footnote text is stored once, at file level.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.content_checks import ContentError
from core.content_checks import text as _text
from ontwikkelmodel.content import load_file as load_model

CONTENT_DIR = Path(__file__).resolve().parent / "content"
SUGGESTIONS_FILE = CONTENT_DIR / "suggesties-2023.json"
MAX_CODE_LENGTH = 40  # ActionItem.suggestion_code
MAX_TEXT_LENGTH = 300  # an action's title is prefilled with the suggestion text
CODE_RE = re.compile(r"^[0-9][0-9A-Z]*(\.[a-z0-9-]+)+$")


@dataclass(frozen=True)
class Suggestion:
    code: str
    text: str
    layer_code: str
    group_heading: str | None
    see_reflection_cards: bool


@dataclass(frozen=True)
class SuggestionGroup:
    heading: str | None  # None: items printed directly under the layer heading
    see_reflection_cards: bool  # asterisk printed on the group heading itself
    suggestions: tuple[Suggestion, ...]


@dataclass(frozen=True)
class SuggestionLayer:
    code: str  # an Ontwikkelmodel layer code ("1", "2", "3A", "3B")
    heading: str
    groups: tuple[SuggestionGroup, ...]

    @property
    def suggestions(self) -> list[Suggestion]:
        return [s for group in self.groups for s in group.suggestions]


@dataclass(frozen=True)
class Suggestions:
    version: str
    title: str
    source: str
    intro: str
    footnote: str
    layers: tuple[SuggestionLayer, ...]  # in Ontwikkelmodel order

    @property
    def suggestions(self) -> list[Suggestion]:
        return [s for layer in self.layers for s in layer.suggestions]

    @property
    def codes(self) -> list[str]:
        return [s.code for s in self.suggestions]

    def for_layer(self, layer_code: str) -> SuggestionLayer | None:
        return next((layer for layer in self.layers if layer.code == layer_code), None)

    def get(self, code: str) -> Suggestion | None:
        return next((s for s in self.suggestions if s.code == code), None)


def _flag(value, what: str) -> bool:
    if not isinstance(value, bool):
        raise ContentError(f"{what} must be true or false")
    return value


def parse(data: dict, layer_codes: list[str] | None = None) -> Suggestions:
    """Build Suggestions from their JSON form, validating the structure.

    ``layer_codes`` are the known layer codes in model order (default: the current Ontwikkelmodel).
    """
    if layer_codes is None:
        layer_codes = [layer.code for layer in load_model().layers]
    layers = []
    try:
        for layer in data["layers"]:
            layer_code = layer["layer_code"]
            if layer_code not in layer_codes:
                raise ContentError(f"unknown layer code {layer_code!r}")
            groups = []
            for group in layer["groups"]:
                heading = group.get("heading")
                if heading is not None:
                    heading = _text(heading, f"group heading in layer {layer_code}")
                group_flag = _flag(group.get("see_reflection_cards", False), f"group {heading!r}")
                if not group["items"]:
                    raise ContentError(f"group {heading!r} in layer {layer_code} has no items")
                items = []
                for item in group["items"]:
                    code = item["code"]
                    if not isinstance(code, str) or not CODE_RE.match(code) or len(code) > MAX_CODE_LENGTH:
                        raise ContentError(f"invalid suggestion code {code!r}")
                    if not code.startswith(f"{layer_code}."):
                        raise ContentError(f"suggestion code {code!r} does not belong to layer {layer_code}")
                    text = _text(item["text"], f"text of suggestion {code}")
                    if len(text) > MAX_TEXT_LENGTH:
                        raise ContentError(f"text of suggestion {code} is longer than {MAX_TEXT_LENGTH} characters")
                    items.append(
                        Suggestion(
                            code=code,
                            text=text,
                            layer_code=layer_code,
                            group_heading=heading,
                            see_reflection_cards=group_flag
                            or _flag(item.get("see_reflection_cards", False), f"suggestion {code}"),
                        )
                    )
                groups.append(
                    SuggestionGroup(heading=heading, see_reflection_cards=group_flag, suggestions=tuple(items))
                )
            if not groups:
                raise ContentError(f"layer {layer_code} has no groups")
            layers.append(
                SuggestionLayer(code=layer_code, heading=_text(layer["heading"], "layer heading"), groups=tuple(groups))
            )
        result = Suggestions(
            version=_text(data["version"], "version"),
            title=data.get("title", "Het actieplan implementatie Traumasensitief Onderwijs: Waar kan ik aan denken?"),
            source=_text(data["source"], "source"),
            intro=_text(data["intro"], "intro"),
            footnote=_text(data["footnote"], "footnote"),
            layers=tuple(sorted(layers, key=lambda layer: layer_codes.index(layer.code))),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ContentError(f"invalid action-plan suggestions content: {exc!r}") from exc
    seen_layers = [layer.code for layer in result.layers]
    if len(seen_layers) != len(set(seen_layers)):
        raise ContentError("each layer may appear only once")
    codes = result.codes
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ContentError(f"suggestion codes must be unique: {', '.join(duplicates)}")
    return result


@cache
def load_suggestions() -> Suggestions:
    return parse(json.loads(SUGGESTIONS_FILE.read_text(encoding="utf-8")))
