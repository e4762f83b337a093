"""The Ontwikkelmodel TSO as versioned content.

The rubric lives verbatim in ``content/ontwikkelmodel-<version>.json`` (with its citation).
Code reads it from there; templates never contain rubric text. When a round is opened, the
current version is stored in the database (``ModelVersion``) so later content edits never
change old results.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.content_checks import ContentError

CONTENT_DIR = Path(__file__).resolve().parent / "content"
CURRENT_VERSION = "2022.1"
PHASES = (1, 2, 3, 4)


@dataclass(frozen=True)
class Accent:
    code: str
    name: str
    phases: dict[str, str]
    layer_code: str

    def phase_items(self):
        return [(int(k), self.phases[k]) for k in sorted(self.phases)]


@dataclass(frozen=True)
class Layer:
    code: str
    name: str
    full_name: str
    description: str
    accents: tuple[Accent, ...]


@dataclass(frozen=True)
class Model:
    version: str
    title: str
    source: str
    phase_labels: dict[str, str]
    layers: tuple[Layer, ...]

    @property
    def accents(self) -> list[Accent]:
        return [a for layer in self.layers for a in layer.accents]

    @property
    def accent_codes(self) -> list[str]:
        return [a.code for a in self.accents]

    def accent(self, code: str) -> Accent | None:
        return next((a for a in self.accents if a.code == code), None)

    def layer(self, code: str) -> Layer | None:
        return next((layer for layer in self.layers if layer.code == code), None)

    def phase_label(self, phase: int) -> str:
        return self.phase_labels.get(str(phase), str(phase))

    def to_dict(self) -> dict:
        return {
            "version": self.version,
            "title": self.title,
            "source": self.source,
            "phase_labels": self.phase_labels,
            "layers": [
                {
                    "code": layer.code,
                    "name": layer.name,
                    "full_name": layer.full_name,
                    "description": layer.description,
                    "accents": [{"code": a.code, "name": a.name, "phases": a.phases} for a in layer.accents],
                }
                for layer in self.layers
            ],
        }


def parse(data: dict) -> Model:
    """Build a Model from its JSON form, validating the structure."""
    try:
        layers = []
        for layer in data["layers"]:
            accents = []
            for a in layer["accents"]:
                phases = {str(k): str(v) for k, v in a["phases"].items()}
                if sorted(phases) != ["1", "2", "3", "4"] or not all(v.strip() for v in phases.values()):
                    raise ContentError(f"accent {a['code']} needs four non-empty phases")
                accents.append(Accent(code=a["code"], name=a["name"], phases=phases, layer_code=layer["code"]))
            layers.append(
                Layer(
                    code=layer["code"],
                    name=layer["name"],
                    full_name=layer.get("full_name", layer["name"]),
                    description=layer["description"],
                    accents=tuple(accents),
                )
            )
        model = Model(
            version=data["version"],
            title=data.get("title", "Ontwikkelmodel Traumasensitief Onderwijs"),
            source=data["source"],
            phase_labels={str(k): v for k, v in data.get("phase_labels", {}).items()}
            or {str(p): f"Groeifase {p}" for p in PHASES},
            layers=tuple(layers),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ContentError(f"invalid Ontwikkelmodel content: {exc!r}") from exc
    codes = model.accent_codes
    if len(codes) != len(set(codes)):
        raise ContentError("accent codes must be unique")
    return model


@cache
def load_file(version: str = CURRENT_VERSION) -> Model:
    path = CONTENT_DIR / f"ontwikkelmodel-{version}.json"
    return parse(json.loads(path.read_text(encoding="utf-8")))


@cache
def load_gespreksformulier() -> dict:
    return json.loads((CONTENT_DIR / "gespreksformulier-2023.json").read_text(encoding="utf-8"))
