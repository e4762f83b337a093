"""The Ontwikkelmodel's content: the ``ontwikkelmodel`` management command (JSON and text) and the content files
(clean UTF-8, valid JSON, the handbook cited)."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command

from ontwikkelmodel.content import CONTENT_DIR, load_file


def test_ontwikkelmodel_command_prints_json():
    out = StringIO()
    call_command("ontwikkelmodel", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) == {"version", "source", "layers"}
    assert data["version"] == load_file().version
    assert "Offerman" in data["source"] and "Asselman" in data["source"]
    assert [layer["code"] for layer in data["layers"]] == ["1", "2", "3A", "3B"]
    accents = [a for layer in data["layers"] for a in layer["accents"]]
    assert len(accents) == 15
    assert len({a["code"] for a in accents}) == 15
    for layer in data["layers"]:
        assert set(layer) == {"code", "name", "description", "accents"}
        assert layer["name"].strip() and layer["description"].strip()
        for accent in layer["accents"]:
            assert set(accent) == {"code", "name", "phases"}
            assert accent["code"].startswith(layer["code"] + ".")
            assert sorted(accent["phases"]) == ["1", "2", "3", "4"]
            assert all(text.strip() for text in accent["phases"].values())


def test_ontwikkelmodel_command_prints_text():
    out = StringIO()
    call_command("ontwikkelmodel", stdout=out)
    printed = out.getvalue()
    assert "Groeilaag 3B" in printed
    assert load_file().accents[-1].name in printed


def test_content_files_are_clean_and_cited():
    files = sorted(CONTENT_DIR.glob("*.json"))
    assert files
    for path in files:
        raw = path.read_text(encoding="utf-8")
        assert "\ufffd" not in raw, path.name  # no mangled characters
        json.loads(raw)
    model_text = (CONTENT_DIR / f"ontwikkelmodel-{load_file().version}.json").read_text(encoding="utf-8")
    assert "Offerman" in model_text and "Asselman" in model_text
    assert "Offerman, E. & Asselman, M." in load_file().source
