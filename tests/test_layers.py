"""Imports point down the layers, never up and never in a circle (issue 12).

The layers, bottom to top. A package may import from packages in LOWER layers only (not from its own layer, not
from above). Tests and migrations are left out; an import inside a function counts like one at the top.

The test fails on an import that points up or sideways (naming the file and line), on a cycle, on a package
without a layer and on an import of pages/ by anything but the project and the API above it. The README's layout
table shows the same layers.

Templates follow the same rule: a template in templates/<app>/ may include or extend only the shared templates at
the top of templates/ (base.html, _form_field.html, ...) and those of its own app or of a lower layer. A page that
combines apps (the school page, a round's result with the plan's follow-up) is a template of pages/.

What the walk cannot see: a reference by label. audit sits below organisations, yet its AuditEvent has foreign keys
to "organisations.School" and "organisations.Board" (audit/models.py), its admin sorts a saved object into a school's
or a board's log by the model's label (audit/admin.py, _scope) and labels.py asks the app registry for
"organisations.School" to name a school's changed fields. That is known and accepted: the foreign keys let the
database keep the log consistent (SET_NULL: the rows outlive a deleted school), Django resolves the labels through
its app registry when the apps are loaded, not by an import, so they make no import cycle, and audit uses only
Django's generic model API on them (ids, _meta, verbose names), none of organisations' own code. A rename of those
models would show in audit's migrations.
"""

from __future__ import annotations

import ast
import re
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


def node_of(path: Path, root: Path = ROOT) -> str | None:
    """The layer node a source file belongs to, or None for files outside the layers (tests, migrations, scripts)."""
    parts = path.relative_to(root).parts
    if len(parts) < 2 or "migrations" in parts or parts[0] == "tests":
        return None
    return parts[0] if parts[0] in LAYER else None


def imported_node(module: str) -> str | None:
    top = module.split(".")[0]
    return top if top in LAYER else None


def import_edges(root: Path = ROOT) -> dict[tuple[str, str], list[str]]:
    """(importer, imported) → ["file:line", ...] for every import between two different layer nodes under ``root``."""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(root.glob("*/**/*.py")):
        if ".venv" in path.relative_to(root).parts or "node_modules" in path.relative_to(root).parts:
            continue
        source = node_of(path, root)
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
                    edges[(source, target)].append(f"{path.relative_to(root)}:{node.lineno}")
    return edges


TEMPLATE_TAG = re.compile(r"""{%-?\s*(?:include|extends)\s+["']([^"']+)["']""")


def template_edges(root: Path = ROOT) -> dict[tuple[str, str], list[str]]:
    """(app, other app) → ["templates/<app>/x.html:line", ...] for each include or extends of a template in
    templates/<other app>/. Templates outside an app's folder (the shared ones at the top, admin/) have no layer."""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    folder = root / "templates"
    for path in sorted(folder.glob("*/**/*.html")):
        source = path.relative_to(folder).parts[0]
        if source not in LAYER:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for name in TEMPLATE_TAG.findall(line):
                target = name.split("/")[0] if "/" in name else None
                if target in LAYER and target != source:
                    edges[(source, target)].append(f"{path.relative_to(root)}:{number}")
    return edges


def upward(edges) -> dict[tuple[str, str], list[str]]:
    return {edge: places for edge, places in edges.items() if LAYER[edge[1]] >= LAYER[edge[0]]}


def upward_message(edges) -> str:
    """Each edge that points up or sideways, as "importer -> imported: file:line, ..." (the first three places)."""
    return "\n".join(f"  {a} -> {b}: {', '.join(places[:3])}" for (a, b), places in sorted(upward(edges).items()))


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
    assert not upward(edges), (
        "Imports that point up or sideways (import from a lower layer instead, see LAYERS):\n" + upward_message(edges)
    )


def test_template_includes_only_point_down():
    """A template of an app includes or extends only its own, a lower layer's or the shared ones (a page that
    combines apps is a template of pages/)."""
    edges = template_edges()
    assert not upward(edges), (
        "Templates that include or extend a template of a higher or the same layer (move the including template to "
        "the layer that renders it, e.g. templates/pages/):\n" + upward_message(edges)
    )
    assert find_cycle(edges) is None


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


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_the_check_sees_an_upward_import(tmp_path):
    """The walk itself, on a small tree: an upward import (also one inside a function) is named with its file and
    line, a sideways one too, the cycle it makes is found; tests, migrations and imports of other packages are not
    counted."""
    write(
        tmp_path,
        {
            "core/__init__.py": "",
            "core/errors.py": "import os\n\n\nclass ServiceError(Exception):\n    pass\n",
            "core/helpers.py": '"""A helper."""\n\nfrom organisations.models import School\n',
            "core/late.py": "def f():\n    import assessments.models\n\n    return assessments.models\n",
            "organisations/__init__.py": "",
            "organisations/models.py": "from core.errors import ServiceError\nfrom django.db import models\n",
            "organisations/migrations/0001_initial.py": "import assessments.models\n",
            "assessments/__init__.py": "",
            "assessments/models.py": "from organisations import models\nfrom . import rules\n",
            "leadership/__init__.py": "",
            "leadership/views.py": "\nfrom intake.summary import latest_decision\n",
            "intake/__init__.py": "",
            "intake/summary.py": "from organisations.models import School\n",
            "tests/test_x.py": "from pages import views\n",
            "scripts/tool.py": "from pages import views\n",
        },
    )
    edges = import_edges(tmp_path)
    assert dict(edges) == {
        ("core", "organisations"): ["core/helpers.py:3"],
        ("core", "assessments"): ["core/late.py:2"],
        ("organisations", "core"): ["organisations/models.py:1"],
        ("assessments", "organisations"): ["assessments/models.py:1"],
        ("leadership", "intake"): ["leadership/views.py:2"],
        ("intake", "organisations"): ["intake/summary.py:1"],
    }
    message = upward_message(edges)
    assert message.splitlines() == [
        "  core -> assessments: core/late.py:2",
        "  core -> organisations: core/helpers.py:3",
        "  leadership -> intake: leadership/views.py:2",  # the same layer: sideways
    ]
    assert find_cycle(edges) == ["assessments", "organisations", "core", "assessments"]
    # Without the upward imports the tree is clean.
    (tmp_path / "core" / "helpers.py").write_text("from core.errors import ServiceError\n", encoding="utf-8")
    (tmp_path / "core" / "late.py").write_text("", encoding="utf-8")
    (tmp_path / "leadership" / "views.py").write_text("from assessments.models import Round\n", encoding="utf-8")
    edges = import_edges(tmp_path)
    assert upward_message(edges) == "" and find_cycle(edges) is None
    assert node_of(tmp_path / "core" / "helpers.py", tmp_path) == "core"
    assert node_of(tmp_path / "tests" / "test_x.py", tmp_path) is None
    assert node_of(tmp_path / "scripts" / "tool.py", tmp_path) is None
    assert node_of(ROOT / "organisations" / "models.py") == "organisations"
    assert node_of(ROOT / "assessments" / "migrations" / "0001_initial.py") is None
    assert imported_node("groeiwijzer.urls") == "groeiwijzer"
    assert imported_node("django.db") is None
    assert find_cycle([("a", "b"), ("b", "c")]) is None


def test_the_check_sees_an_upward_template_include(tmp_path):
    """The template walk on a small tree: an app's template including a higher app's partial is named with its line;
    the shared templates, pages/ including anything and admin/ are not counted."""
    write(
        tmp_path,
        {
            "templates/base.html": '{% include "notifications/_bell.html" %}\n',
            "templates/assessments/result.html": (
                '{% extends "base.html" %}\n{% include "assessments/_chart.html" %}\n'
                '  {% include "actionplans/_round_followup.html" with x=1 %}\n'
            ),
            "templates/assessments/email/sent.html": "{%- extends 'organisations/email/base.html' %}\n",
            "templates/actionplans/plan.html": '{% include "assessments/_chart.html" %}\n',
            "templates/pages/school.html": '{% include "training/_dashboard.html" %}\n',
            "templates/admin/organisations/x.html": '{% extends "admin/base_site.html" %}\n',
        },
    )
    edges = template_edges(tmp_path)
    assert dict(edges) == {
        ("assessments", "actionplans"): ["templates/assessments/result.html:3"],
        ("assessments", "organisations"): ["templates/assessments/email/sent.html:1"],
        ("actionplans", "assessments"): ["templates/actionplans/plan.html:1"],
        ("pages", "training"): ["templates/pages/school.html:1"],
    }
    assert upward_message(edges) == "  assessments -> actionplans: templates/assessments/result.html:3"
    assert find_cycle(edges) == ["actionplans", "assessments", "actionplans"]
