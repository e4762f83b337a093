"""Imports point down the layers, never up and never in a circle (issue 12).

The layers, bottom to top. A package may import from packages in LOWER layers only (not from its own layer, not
from above). Tests and migrations are left out; an import inside a function counts like one at the top.

The test fails on an import that points up or sideways (naming the file and line), on a cycle, on a package
without a layer and on an import of pages/ by anything but the project. The README's layout table shows the same
layers.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LAYERS: list[set[str]] = [
    {"core"},  # errors, form fields, version check, dates, content checks, exports, mail: imports no app
    {"audit"},  # the append-only log every service writes to (its foreign keys are strings: no import)
    {"accounts"},  # people: name and work email
    # boards, schools, memberships, invitations; access.py, the one access policy (who may see or edit what, by
    # the memberships) that every app above asks; each app finds its own objects under it in its lookups.py
    {"organisations"},
    {"ontwikkelmodel", "reference"},  # handbook content
    {"assessments"},  # rounds on the Ontwikkelmodel
    {"actionplans", "training"},  # the plan follows a round's consensus; the team training
    {"leadership", "intake"},  # the checklist adds layer-2 actions; the voorgesprekken
    {"trajectory"},  # the route shows the training, the plan's meetings and the voorgesprek's decision
    {"outcomes"},  # Opbrengsten: the yearly team questionnaire; reads the route for the nulmeting's proposed date
    {"research"},  # across schools: the opt-in benchmark (reads assessments), consent and the research export
    # mail that arrives by itself: subscribes to the domain services' events (core/events.py), daily reminders
    {"notifications"},
    {"pages"},  # the pages that combine apps: home, school dashboard, board page, a round's result with the plan's
    # follow-up, the audit log pages, AVG export and erasure, a school's leaving, the `demo` command
    # the read API for boards (issue 16) and its tokens: reads the board page's figures (pages.board_overview) and
    # the domain apps' own read functions; nothing imports it (the project includes its URLs by name)
    {"api"},
    {"groeiwijzer"},  # the project: settings, URLs (everything), the daily scheduler, the task admin
]
LAYER = {package: level for level, group in enumerate(LAYERS) for package in group}


def node_of(path: Path) -> str | None:
    """The layer node a source file belongs to, or None for files outside the layers (tests, migrations, scripts)."""
    parts = path.relative_to(ROOT).parts
    if len(parts) < 2 or "migrations" in parts or parts[0] == "tests":
        return None
    return parts[0] if parts[0] in LAYER else None


def imported_node(module: str) -> str | None:
    top = module.split(".")[0]
    return top if top in LAYER else None


def import_edges() -> dict[tuple[str, str], list[str]]:
    """(importer, imported) → ["file:line", ...] for every import between two different layer nodes."""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(ROOT.glob("*/**/*.py")):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        source = node_of(path)
        if source is None:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                target = imported_node(module)
                if target is not None and target != source:
                    edges[(source, target)].append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return edges


def find_cycle(edges) -> list[str] | None:
    graph: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def visit(node, path):
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt] if nxt in path else [node, nxt]
            if state.get(nxt) is None:
                found = visit(nxt, [*path, nxt])
                if found:
                    return found
        state[node] = 2
        return None

    for start in sorted(graph):
        if state.get(start) is None:
            found = visit(start, [start])
            if found:
                return found
    return None


def test_imports_only_point_down():
    edges = import_edges()
    upward = {edge: places for edge, places in edges.items() if LAYER[edge[1]] >= LAYER[edge[0]]}
    assert not upward, "Imports that point up or sideways (import from a lower layer instead, see LAYERS):\n" + (
        "\n".join(f"  {a} -> {b}: {', '.join(places[:3])}" for (a, b), places in sorted(upward.items()))
    )


def test_every_package_is_in_a_layer():
    """A new top-level package must be given its place, else its imports would not be checked."""
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")} - {"tests"}
    assert packages == set(LAYER), f"Give these a layer in LAYERS (or remove them): {sorted(packages ^ set(LAYER))}"


def test_no_cycle_between_packages():
    cycle = find_cycle(import_edges())
    assert cycle is None, f"Import cycle: {' -> '.join(cycle or [])}"


def test_nothing_imports_the_pages_on_top():
    """Only the project, and the API above the pages (it serves the board page's figures, pages.board_overview)."""
    importers = sorted({a for (a, b) in import_edges() if b == "pages"} - {"groeiwijzer", "api"})
    assert not importers, f"Only the project and api/ may import pages/: {importers}"


def test_nothing_imports_the_api():
    importers = sorted({a for (a, b) in import_edges() if b == "api"})
    assert not importers, f"Nothing may import api/ (groeiwijzer/urls.py includes api.urls by name): {importers}"


def test_the_check_sees_an_upward_import(tmp_path):
    """The walk itself: a file that imports upward is found, with its line."""
    assert node_of(ROOT / "organisations" / "models.py") == "organisations"
    assert node_of(ROOT / "groeiwijzer" / "settings.py") == "groeiwijzer"
    assert node_of(ROOT / "organisations" / "access.py") == "organisations"
    assert node_of(ROOT / "core" / "fields.py") == "core"
    assert node_of(ROOT / "tests" / "test_layers.py") is None
    assert node_of(ROOT / "assessments" / "migrations" / "0001_initial.py") is None
    assert imported_node("groeiwijzer.urls") == "groeiwijzer"
    assert imported_node("assessments.models") == "assessments"
    assert imported_node("organisations.access") == "organisations"
    assert imported_node("core.errors") == "core"
    assert imported_node("django.db") is None
    assert find_cycle([("a", "b"), ("b", "c"), ("c", "a")]) == ["a", "b", "c", "a"]
    assert find_cycle([("a", "b"), ("b", "c")]) is None
