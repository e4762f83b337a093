"""Imports point down the layers, never up and never in a circle (issue 12).

The layers, bottom to top. A package may import from packages in LOWER layers only (not from its own layer, not
from above). Tests and migrations are left out; an import inside a function counts like one at the top.

``KNOWN_UPWARD`` lists the imports that break the rule today, one line each with the file that makes it. The
restructuring (issue 12) removes them; nothing may be added. The test fails on a new upward import (naming it),
on a cycle among the remaining imports, and on a line of ``KNOWN_UPWARD`` that no longer exists (delete the line:
the list only shrinks).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# groeiwijzer is the project (settings, URLs, WSGI) at the very top ("groeiwijzer.project"), plus the access policy
# (access.py) and the daily jobs (scheduler.py, its command), "groeiwijzer" below. The shared code lives in core.
PROJECT_MODULES = {"settings", "settings_production", "urls", "wsgi", "asgi"}
LAYERS: list[set[str]] = [
    {"core"},  # errors, form fields, version check, dates, content checks, exports, mail: imports no app
    {"audit"},  # the append-only log every service writes to (its foreign keys are strings: no import)
    {"accounts"},  # people: name and work email
    {"organisations"},  # boards, schools, memberships, invitations
    # access.py (who may see or edit what; rules by the memberships) and the scheduler. Here it has the fewest
    # upward imports: its checks for the apps above and the audit and organisations views that use it.
    {"groeiwijzer"},
    {"ontwikkelmodel", "reference"},  # handbook content
    {"assessments"},  # rounds on the Ontwikkelmodel
    {"actionplans", "training"},  # the plan follows a round's consensus; the team training
    {"leadership", "intake"},  # the checklist adds layer-2 actions; the voorgesprekken
    {"trajectory"},  # the route shows the training, the plan's meetings and the voorgesprek's decision
    {"pages"},  # the pages that combine apps: home, school dashboard, board page, AVG export and erasure, a
    # school's leaving, the `demo` command. Nothing imports from it (but the project)
    {"groeiwijzer.project"},  # settings and URLs: everything
]
LAYER = {package: level for level, group in enumerate(LAYERS) for package in group}

# (importer, imported): file of the first such import, today. Only ever delete lines here.
KNOWN_UPWARD: dict[tuple[str, str], str] = {
    ("accounts", "organisations"): "accounts/retention.py",
    ("audit", "accounts"): "audit/views.py",
    ("audit", "groeiwijzer"): "audit/views.py",
    ("audit", "organisations"): "audit/admin.py",
    ("assessments", "actionplans"): "assessments/views.py",
    ("groeiwijzer", "actionplans"): "groeiwijzer/access.py",
    ("groeiwijzer", "assessments"): "groeiwijzer/access.py",
    ("groeiwijzer", "intake"): "groeiwijzer/access.py",
    ("groeiwijzer", "leadership"): "groeiwijzer/access.py",
    ("groeiwijzer", "training"): "groeiwijzer/access.py",
    ("groeiwijzer", "trajectory"): "groeiwijzer/access.py",
    ("organisations", "groeiwijzer"): "organisations/views.py",
}


def node_of(path: Path) -> str | None:
    """The layer node a source file belongs to, or None for files outside the layers (tests, migrations, scripts)."""
    parts = path.relative_to(ROOT).parts
    if len(parts) < 2 or "migrations" in parts or parts[0] == "tests":
        return None
    if parts[0] == "groeiwijzer" and len(parts) == 2 and Path(parts[1]).stem in PROJECT_MODULES:
        return "groeiwijzer.project"
    return parts[0] if parts[0] in LAYER else None


def imported_node(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] == "groeiwijzer" and len(parts) > 1 and parts[1] in PROJECT_MODULES:
        return "groeiwijzer.project"
    return parts[0] if parts[0] in LAYER else None


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
    new = {edge: places for edge, places in upward.items() if edge not in KNOWN_UPWARD}
    assert not new, "Imports that point up or sideways (import from a lower layer instead, see LAYERS):\n" + "\n".join(
        f"  {a} -> {b}: {', '.join(places[:3])}" for (a, b), places in sorted(new.items())
    )


def test_known_upward_imports_only_shrink():
    edges = import_edges()
    gone = sorted(edge for edge in KNOWN_UPWARD if edge not in edges)
    assert not gone, f"These imports are gone: delete their lines from KNOWN_UPWARD: {gone}"
    now_fine = sorted(edge for edge in KNOWN_UPWARD if LAYER[edge[1]] < LAYER[edge[0]])
    assert not now_fine, f"These are not upward (any more): delete their lines from KNOWN_UPWARD: {now_fine}"


def test_no_cycle_between_packages_apart_from_the_known_upward_imports():
    edges = [edge for edge in import_edges() if edge not in KNOWN_UPWARD]
    cycle = find_cycle(edges)
    assert cycle is None, f"Import cycle: {' -> '.join(cycle or [])}"


def test_the_check_sees_an_upward_import(tmp_path):
    """The walk itself: a file that imports upward is found, with its line."""
    assert node_of(ROOT / "organisations" / "models.py") == "organisations"
    assert node_of(ROOT / "groeiwijzer" / "settings.py") == "groeiwijzer.project"
    assert node_of(ROOT / "groeiwijzer" / "access.py") == "groeiwijzer"
    assert node_of(ROOT / "core" / "fields.py") == "core"
    assert node_of(ROOT / "tests" / "test_layers.py") is None
    assert imported_node("groeiwijzer.urls") == "groeiwijzer.project"
    assert imported_node("assessments.models") == "assessments"
    assert imported_node("groeiwijzer.access") == "groeiwijzer"
    assert imported_node("core.errors") == "core"
    assert imported_node("django.db") is None
    assert find_cycle([("a", "b"), ("b", "c"), ("c", "a")]) == ["a", "b", "c", "a"]
    assert find_cycle([("a", "b"), ("b", "c")]) is None
