"""The English catalogue for the tests: its parser and compiler (scripts/merge_translations.py, loaded from its
path since scripts/ is not a package), the .mo compiled when it is missing or older than the .po (tests/conftest.py,
once per test process), and the set of texts whose English differs from the Dutch."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EN_PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _load_script():
    name = "merge_translations"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / "merge_translations.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


po = _load_script()


def compile_stale_catalogues() -> None:
    po.compile_stale(ROOT)
