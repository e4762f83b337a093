#!/usr/bin/env python
"""Merge translations from JSON files into a gettext catalogue (README "Languages").

    python scripts/merge_translations.py /tmp/en/out_*.json            # into locale/en/LC_MESSAGES/django.po
    python scripts/merge_translations.py --po other.po --overwrite a.json
    python scripts/merge_translations.py --check                       # only report: exit 1 when incomplete
    python scripts/merge_translations.py --compile                     # every locale/*/LC_MESSAGES/*.po to .mo

Each JSON file is a list of entries, matched to the catalogue on (msgctxt, msgid):

    {"msgctxt": null, "msgid": "Opslaan", "msgstr": "Save"}
    {"msgctxt": null, "msgid": "%(n)s actie", "msgid_plural": "%(n)s acties",
     "msgstr_plural": ["%(n)s action", "%(n)s actions"]}

An entry is refused (and listed) when its placeholders (``%(name)s``, ``%s``, ``{name}``) differ from the msgid's
(for plurals: a form may leave out a named placeholder of the Dutch, never add one), when it is empty, or when the
catalogue has no such msgid. By default only empty or fuzzy entries of the catalogue are filled (a translation
already there stays; ``--overwrite`` replaces it). The fuzzy flag goes when an entry is filled. The file is written
back in gettext's own layout (``msgcat``), so `makemessages` leaves it as it is; then run `compilemessages`.

`--compile` writes each catalogue's `.mo` beside it in pure Python (what `manage.py compilemessages` does with
GNU gettext's msgfmt, without needing gettext installed; `make run` and `make test` do it, the `.mo` files are not
committed). Not part of the running app (no Django needed); the tests use its parser (tests/i18n_helpers.py).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"

# %(name)s, %(count)d, %s, %d, %%; {name} and {0} (str.format).
PLACEHOLDER = re.compile(r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]|%[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]|\{\w*\}")


@dataclass
class Entry:
    comments: list[str] = field(default_factory=list)  # every "#..." line but the flags, as read
    flags: list[str] = field(default_factory=list)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is not None:
            return [self.msgstr_plural.get(i, "") for i in range(max(2, len(self.msgstr_plural)))]
        return [self.msgstr]

    @property
    def translated(self) -> bool:
        return all(t for t in self.translations) and not self.fuzzy


def _unquote(text: str) -> str:
    text = text.strip()
    if not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"not a quoted PO string: {text!r}")
    body = text[1:-1]
    out = []
    i = 0
    escapes = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            out.append(escapes.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n") + '"'


def parse(text: str) -> list[Entry]:
    """The entries of a PO file, the header (msgid "") first. Obsolete entries (#~) are kept, marked."""
    entries: list[Entry] = []
    current = Entry()
    last_key: str | None = None
    started = False

    def finish() -> None:
        nonlocal current, started, last_key
        if started:
            entries.append(current)
        current, started, last_key = Entry(), False, None

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            current.obsolete = True
            line = line[2:].strip()
            if not line or line.startswith("#"):
                continue
        elif line.startswith("#,"):
            if started and last_key is not None:
                finish()
            current.flags.extend(f.strip() for f in line[2:].split(",") if f.strip())
            continue
        elif line.startswith("#"):
            if started and last_key is not None:
                finish()
            current.comments.append(raw)
            continue
        if line.startswith('"'):
            value = _unquote(line)
            if last_key is None:
                raise ValueError(f"continuation without a keyword: {raw!r}")
            _append(current, last_key, value)
            continue
        keyword, _space, rest = line.partition(" ")
        if keyword == "msgctxt" and started and last_key is not None:
            finish()
        if keyword == "msgid" and started and last_key not in (None, "msgctxt"):
            finish()
        started = True
        last_key = keyword
        _set(current, keyword, _unquote(rest))
    finish()
    return entries


def _set(entry: Entry, keyword: str, value: str) -> None:
    if keyword == "msgctxt":
        entry.msgctxt = value
    elif keyword == "msgid":
        entry.msgid = value
    elif keyword == "msgid_plural":
        entry.msgid_plural = value
    elif keyword == "msgstr":
        entry.msgstr = value
    elif keyword.startswith("msgstr[") and keyword.endswith("]"):
        entry.msgstr_plural[int(keyword[7:-1])] = value
    else:
        raise ValueError(f"unknown PO keyword {keyword!r}")


def _append(entry: Entry, keyword: str, value: str) -> None:
    if keyword == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + value
    elif keyword == "msgid":
        entry.msgid += value
    elif keyword == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + value
    elif keyword == "msgstr":
        entry.msgstr += value
    else:
        n = int(keyword[7:-1])
        entry.msgstr_plural[n] = entry.msgstr_plural.get(n, "") + value


def _field_lines(keyword: str, value: str) -> list[str]:
    if "\n" in value[:-1]:  # several lines: one quoted string per line, as gettext writes them
        parts = value.splitlines(keepends=True)
        return [f'{keyword} ""', *(_quote(p) for p in parts)]
    return [f"{keyword} {_quote(value)}"]


def serialise(entries: list[Entry]) -> str:
    blocks = []
    for entry in entries:
        prefix = "#~ " if entry.obsolete else ""
        # gettext's order: comments, references, flags, then the previous msgid (#|)
        lines = [c for c in entry.comments if not c.startswith("#|")]
        if entry.flags:
            lines.append("#, " + ", ".join(entry.flags))
        lines += [c for c in entry.comments if c.startswith("#|")]
        body: list[str] = []
        if entry.msgctxt is not None:
            body += _field_lines("msgctxt", entry.msgctxt)
        body += _field_lines("msgid", entry.msgid)
        if entry.msgid_plural is not None:
            body += _field_lines("msgid_plural", entry.msgid_plural)
            for n in sorted(entry.msgstr_plural) or [0, 1]:
                body += _field_lines(f"msgstr[{n}]", entry.msgstr_plural.get(n, ""))
        else:
            body += _field_lines("msgstr", entry.msgstr)
        lines += [prefix + line for line in body]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def read(path: Path) -> list[Entry]:
    return parse(path.read_text(encoding="utf-8"))


def write(path: Path, entries: list[Entry]) -> None:
    path.write_text(serialise(entries), encoding="utf-8")
    if shutil.which("msgcat"):  # gettext's own line wrapping, the layout makemessages (msgmerge) writes
        subprocess.run(["msgcat", "-o", str(path), str(path)], check=False)  # noqa: S603, S607
        if not path.read_text(encoding="utf-8").strip():
            raise RuntimeError("msgcat emptied the catalogue")


def placeholders(text: str) -> Counter:
    return Counter(m for m in PLACEHOLDER.findall(text or "") if m != "%%")


def placeholder_problem(entry: Entry, forms: list[str]) -> str | None:
    """Why these translations do not fit the entry's placeholders, or None."""
    if entry.msgid_plural is None:
        if len(forms) != 1:
            return "a plural translation for a singular msgid"
        if placeholders(forms[0]) != placeholders(entry.msgid):
            return f"placeholders {sorted(placeholders(forms[0]))} instead of {sorted(placeholders(entry.msgid))}"
        return None
    if len(forms) != 2:
        return "a plural msgid needs two forms (one, other)"
    allowed = placeholders(entry.msgid) | placeholders(entry.msgid_plural)
    for form in forms:
        extra = placeholders(form) - allowed
        if extra:
            return f"placeholders {sorted(extra)} that the Dutch does not have"
    if placeholders(forms[1]) != placeholders(entry.msgid_plural):
        got, want = sorted(placeholders(forms[1])), sorted(placeholders(entry.msgid_plural))
        return f"plural placeholders {got} instead of {want}"
    return None


def merge(entries: list[Entry], items: list[dict], *, overwrite: bool = False) -> dict[str, list[str]]:
    """Fill the catalogue's entries from the JSON items; returns what happened: merged, kept, refused, unknown."""
    by_key = {e.key: e for e in entries if not e.obsolete and e.msgid}
    report: dict[str, list[str]] = {"merged": [], "kept": [], "refused": [], "unknown": []}
    for item in items:
        key = (item.get("msgctxt") or None, item.get("msgid", ""))
        entry = by_key.get(key)
        label = repr(key[1][:60]) + (f" (context {key[0]!r})" if key[0] else "")
        if entry is None:
            report["unknown"].append(label)
            continue
        if entry.msgid_plural is not None:
            forms = item.get("msgstr_plural") or []
            if not isinstance(forms, list):
                forms = [forms]
        else:
            forms = [item.get("msgstr") or ""]
        forms = [f if isinstance(f, str) else "" for f in forms]
        if not all(f.strip() for f in forms) or not forms:
            report["refused"].append(f"{label}: empty")
            continue
        problem = placeholder_problem(entry, forms)
        if problem:
            report["refused"].append(f"{label}: {problem}")
            continue
        if entry.translated and not overwrite:
            if entry.translations != forms:
                report["kept"].append(label)
            continue
        if entry.msgid_plural is not None:
            entry.msgstr_plural = dict(enumerate(forms))
        else:
            entry.msgstr = forms[0]
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        entry.comments = [c for c in entry.comments if not c.startswith("#|")]  # the previous msgid: fuzzy only
        report["merged"].append(label)
    return report


def untranslated(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.msgid and not e.obsolete and not e.translated]


def mo_bytes(entries: list[Entry]) -> bytes:
    """A GNU .mo file of the translated entries (and the header); fuzzy and empty ones are left out, as msgfmt does."""
    pairs: dict[bytes, bytes] = {}
    for e in entries:
        if e.obsolete or (e.msgid and not e.translated):  # the header always, as msgfmt writes it
            continue
        key = e.msgid if e.msgid_plural is None else e.msgid + "\0" + e.msgid_plural
        if e.msgctxt is not None:
            key = e.msgctxt + "\x04" + key
        value = "\0".join(e.translations) if e.msgid_plural is not None else e.msgstr
        pairs[key.encode()] = value.encode()
    keys = sorted(pairs)
    n = len(keys)
    originals_at = 7 * 4
    translations_at = originals_at + n * 8
    data_at = translations_at + n * 8
    originals, translations, data = [], [], b""
    for key in keys:
        originals.append((len(key), data_at + len(data)))
        data += key + b"\0"
    for key in keys:
        value = pairs[key]
        translations.append((len(value), data_at + len(data)))
        data += value + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, n, originals_at, translations_at, 0, data_at)
    table = b"".join(struct.pack("<2I", *o) for o in originals) + b"".join(struct.pack("<2I", *t) for t in translations)
    return header + table + data


def compile_catalogue(po: Path) -> Path:
    """Write ``po``'s .mo beside it, atomically (parallel test workers may do it at once)."""
    mo = po.with_suffix(".mo")
    content = mo_bytes(read(po))
    fd, tmp = tempfile.mkstemp(dir=po.parent, prefix=".django-", suffix=".mo")
    with os.fdopen(fd, "wb") as f:
        f.write(content)
    os.replace(tmp, mo)
    return mo


def catalogues(root: Path = ROOT) -> list[Path]:
    return sorted((root / "locale").glob("*/LC_MESSAGES/*.po"))


def compile_stale(root: Path = ROOT) -> list[Path]:
    """Compile every catalogue whose .mo is missing or older than its .po; returns those compiled."""
    done = []
    for po in catalogues(root):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            done.append(compile_catalogue(po))
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("json", nargs="*", help="JSON files (globs allowed) of translated entries")
    parser.add_argument("--po", type=Path, default=DEFAULT_PO, help=f"the catalogue (default {DEFAULT_PO})")
    parser.add_argument("--overwrite", action="store_true", help="replace translations already in the catalogue")
    parser.add_argument("--check", action="store_true", help="exit 1 when an entry is empty or fuzzy")
    parser.add_argument("--compile", action="store_true", help="write the .mo of every catalogue under locale/")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every merged entry too")
    args = parser.parse_args(argv)
    if args.compile and not args.json:
        incomplete = 0
        for po in catalogues():
            entries = read(po)
            left = len(untranslated(entries))
            incomplete += left
            live = len([e for e in entries if e.msgid and not e.obsolete])
            print(f"{compile_catalogue(po)}: {live - left} of {live} entries translated, {left} empty or fuzzy")
        return 1 if args.check and incomplete else 0

    entries = read(args.po)
    files = sorted({f for pattern in args.json for f in (glob.glob(pattern) or [pattern])})
    total: dict[str, list[str]] = {"merged": [], "kept": [], "refused": [], "unknown": []}
    for name in files:
        items = json.loads(Path(name).read_text(encoding="utf-8"))
        report = merge(entries, items, overwrite=args.overwrite)
        print(
            f"{name}: {len(items)} entries, {len(report['merged'])} merged, {len(report['kept'])} kept (different "
            f"translation already there), {len(report['refused'])} refused, {len(report['unknown'])} not in the "
            "catalogue"
        )
        for kind, labels in report.items():
            total[kind] += labels
    for kind in ("refused", "unknown", "kept") + (("merged",) if args.verbose else ()):
        for label in total[kind]:
            print(f"  {kind}: {label}")
    if total["merged"]:
        write(args.po, entries)
        entries = read(args.po)
    left = untranslated(entries)
    live = [e for e in entries if e.msgid and not e.obsolete]
    print(f"{args.po}: {len(live) - len(left)} of {len(live)} entries translated, {len(left)} empty or fuzzy")
    if args.compile:
        print(compile_catalogue(args.po))
    return 1 if args.check and left else 0


if __name__ == "__main__":
    sys.exit(main())
