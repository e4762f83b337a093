"""The English catalogue (issue 16, part 2) over the code of every app:

(a) complete: every entry of locale/en/LC_MESSAGES/django.po has its English, none fuzzy, none obsolete, the same
    placeholders as the Dutch;
(b) up to date: `makemessages` (as `make messages` runs it) over a copy of the source yields exactly the catalogue's
    entries, so a new `{% translate %}` or gettext string without its English fails here (shown with a new template);
(c) used: the main pages, rendered in English for the cast, show no Dutch product text: no msgid whose English
    differs (longer than 12 characters, so no names or short words shared by both languages) appears in the page's
    text or labels, outside the handbook's own text (marked lang="nl", which stays Dutch by design), and pages with
    that text say so once;
(d) translated at all: every page of the access matrix that answers 200 (GET, one caller each; and the pages before
    logging in), rendered in Dutch and in English for the same person, shares no text node of three words or more
    with one of them Dutch-only (DUTCH_WORDS), once the database's own texts (names, addresses, what people typed)
    are taken out: such a text was written without {% translate %}, or is content from a data file shown without
    lang="nl". Text marked lang="nl" is the handbook's (or the questionnaire's, the consent's) and stays Dutch; a
    page with such text says so once (data-handbook-note), a page without does not. A probe template shows the rule
    catches a hard-coded Dutch sentence.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.i18n_helpers import EN_PO, ROOT, po
from tests.intake_fixtures import build_intake
from tests.leadership_fixtures import leadership_fixture  # noqa: F401  (fixture)
from tests.test_access import WHO, all_cases, rolled_back
from tests.training_fixtures import training  # noqa: F401  (fixture)

MAKEMESSAGES = ["makemessages", "-l", "en", "--no-obsolete"] + [
    f"--ignore={d}" for d in (".venv", "static", "staticfiles", "tests")
]
NOTE = "De tekst uit het handboek op deze pagina staat in het Nederlands, de taal van de bron."


def live_entries(path: Path = EN_PO):
    return [e for e in po.read(path) if e.msgid and not e.obsolete]


# (a) ------------------------------------------------------------------------------------------------------------


def test_the_makefile_runs_the_same_makemessages():
    makefile = (ROOT / "Makefile").read_text()
    assert "manage.py " + " ".join(MAKEMESSAGES) in makefile


def test_every_entry_has_its_english_with_the_same_placeholders():
    entries = po.read(EN_PO)
    assert not [e.msgid for e in entries if e.obsolete], "obsolete entries: run make messages"
    live = [e for e in entries if e.msgid]
    assert len(live) > 2000
    empty = [e.msgid for e in live if not all(t.strip() for t in e.translations)]
    fuzzy = [e.msgid for e in live if e.fuzzy]
    wrong = [(e.msgid, po.placeholder_problem(e, e.translations)) for e in live]
    wrong = [w for w in wrong if w[1]]
    assert not empty, f"{len(empty)} entries without English, e.g. {empty[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries, e.g. {fuzzy[:5]}"
    assert not wrong, f"placeholders differ: {wrong[:5]}"


def test_the_placeholder_check_catches_a_wrong_translation():
    entry = po.Entry(msgid="Nog %(n)s dagen voor %(title)s", msgstr="")
    assert po.placeholder_problem(entry, ["%(n)s days left for %(title)s"]) is None
    assert po.placeholder_problem(entry, ["%(n)s days left for %(titel)s"])
    assert po.placeholder_problem(entry, ["%(n)s days left"])
    plural = po.Entry(msgid="één actie", msgid_plural="%(n)s acties")
    assert po.placeholder_problem(plural, ["one action", "%(n)s actions"]) is None
    assert po.placeholder_problem(plural, ["one action", "%(count)s actions"])


def test_the_compiled_catalogue_matches_the_po(tmp_path):
    """The .mo the tests and `make run` use has every translated entry (pure-Python compiler)."""
    import gettext

    mo = tmp_path / "django.mo"
    mo.write_bytes(po.mo_bytes(po.read(EN_PO)))
    catalogue = gettext.GNUTranslations(mo.open("rb"))
    for entry in live_entries():
        if entry.msgid_plural is None and entry.msgctxt is None:
            assert catalogue.gettext(entry.msgid) == entry.msgstr
        elif entry.msgid_plural is not None and entry.msgctxt is None:
            assert catalogue.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
            assert catalogue.ngettext(entry.msgid, entry.msgid_plural, 5) == entry.msgstr_plural[1]


# (b) ------------------------------------------------------------------------------------------------------------


def _copy_source(target: Path) -> Path:
    ignore = shutil.ignore_patterns(
        ".venv", ".git", "static", "staticfiles", "node_modules", "backups", "__pycache__", "*.sqlite3", "*.mo",
        ".pytest_cache", ".ruff_cache", ".mypy_cache", "test-results", "tmp",
    )  # fmt: skip
    shutil.copytree(ROOT, target, ignore=ignore, symlinks=True)
    return target


def _makemessages(source: Path) -> list:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "groeiwijzer.settings", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("DATABASE_URL", None)  # makemessages needs no database
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *MAKEMESSAGES], cwd=source, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return live_entries(source / "locale" / "en" / "LC_MESSAGES" / "django.po")


def _differences(fresh: list, committed: list) -> dict[str, list]:
    fresh_keys = {(e.msgctxt, e.msgid, e.msgid_plural) for e in fresh}
    committed_keys = {(e.msgctxt, e.msgid, e.msgid_plural) for e in committed}
    return {
        "new (no English yet)": sorted(k[1] for k in fresh_keys - committed_keys),
        "gone from the code": sorted(k[1] for k in committed_keys - fresh_keys),
        "empty or fuzzy after makemessages": sorted(e.msgid for e in fresh if not e.translated),
    }


def test_makemessages_leaves_the_catalogue_as_it_is(tmp_path):
    source = _copy_source(tmp_path / "src")
    committed = live_entries()
    fresh = _makemessages(source)
    problems = {kind: keys for kind, keys in _differences(fresh, committed).items() if keys}
    assert not problems, f"run `make messages` and translate: {problems}"
    # A new text in a template, without its English: the same check now fails.
    template = source / "templates" / "_translation_probe.html"
    template.write_text('{% load i18n %}<p>{% translate "Een nieuwe zin die nog niemand heeft vertaald" %}</p>\n')
    problems = _differences(_makemessages(source), committed)
    assert problems["new (no English yet)"] == ["Een nieuwe zin die nog niemand heeft vertaald"]
    assert problems["empty or fuzzy after makemessages"] == ["Een nieuwe zin die nog niemand heeft vertaald"]


# (c) ------------------------------------------------------------------------------------------------------------


class _PageText(HTMLParser):
    """The visible text and the labels (aria-label, title, placeholder, alt, value of buttons) of a page, without
    elements marked lang="nl" (the handbook's own text), the <title>, scripts and styles."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip: list[str] = []  # the open elements whose content is skipped

    def handle_starttag(self, tag, attrs):
        attrs_d = dict(attrs)
        if not self.skip:
            for name in ("aria-label", "title", "placeholder", "alt"):
                if attrs_d.get(name):
                    self.parts.append(attrs_d[name] or "")
            if tag == "input" and attrs_d.get("type") in {"submit", "button"} and attrs_d.get("value"):
                self.parts.append(attrs_d["value"] or "")
        if tag in self.VOID:
            return
        # <title> too: on a page of the handbook it is the handbook's title (the same text as the marked <h1>)
        if self.skip or attrs_d.get("lang") == "nl" or tag in {"script", "style", "template", "title"}:
            self.skip.append(tag)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if self.skip:
            # pop back to the matching element (HTML may close implicitly)
            while self.skip:
                if self.skip.pop() == tag:
                    break

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)

    @classmethod
    def of(cls, content: str) -> str:
        parser = cls()
        parser.feed(content)
        return " ".join(" ".join(parser.parts).split())


def dutch_texts() -> list[str]:
    """Fragments of the catalogue's msgids whose English differs: each msgid cut at its placeholders and HTML, the
    pieces longer than 12 characters."""
    pieces = set()
    for entry in live_entries():
        if entry.msgid_plural is not None:
            forms = entry.msgstr_plural
            sources = [(entry.msgid, forms.get(0, "")), (entry.msgid_plural, forms.get(1, ""))]
        else:
            sources = [(entry.msgid, entry.msgstr)]
        for dutch, english in sources:
            if not english or " ".join(dutch.split()) == " ".join(english.split()):
                continue
            for piece in re.split(r"%\([^)]*\)[sd]|%[sd]|<[^>]+>|\n", html.unescape(dutch)):
                piece = " ".join(piece.split()).strip(" .,:;–-()‘’“”")
                if len(piece) > 12 and piece not in " ".join(english.split()):
                    pieces.add(piece)
    return sorted(pieces)


@pytest.fixture
def pages(cast, plan, route):
    """(who, url) of the main pages, the access matrix's cast; each must answer 200."""
    school = cast.school.pk
    return [
        ("teamlid", reverse("organisations:school", args=[school])),
        ("kartrekker", reverse("organisations:school", args=[school])),
        ("schoolleider", reverse("organisations:school", args=[school])),
        ("teamlid", reverse("assessments:fill_step", args=[school, cast.open_round.pk, "1"])),
        ("teamlid", reverse("assessments:fill_step", args=[school, cast.open_round.pk, "prioriteiten"])),
        ("kartrekker", reverse("assessments:consensus", args=[school, cast.consensus_round.pk])),
        ("kartrekker", reverse("assessments:result", args=[school, cast.closed_round.pk])),
        ("kartrekker", reverse("actionplans:plan", args=[school])),
        ("kartrekker", reverse("trajectory:overview", args=[school])),
        ("kartrekker", reverse("training:overview", args=[school])),
        ("kartrekker", reverse("organisations:members", args=[school])),
        ("board_member", reverse("organisations:board", args=[cast.board.pk])),
        ("teamlid", reverse("accounts:account")),
        ("teamlid", reverse("ontwikkelmodel:model")),
        ("teamlid", reverse("reference:index")),
    ]


def english_page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    content = response.content.decode()
    assert '<html lang="en"' in content, url
    return content


def test_the_main_pages_in_english_show_no_dutch_product_text(cast, pages):
    dutch = dutch_texts()
    assert len(dutch) > 1000, "the catalogue has too few translations to check the pages"
    found: dict[str, list[str]] = {}
    clients: dict[str, Client] = {}
    for who, url in pages:
        if who not in clients:
            user = cast.user(who)
            type(user).objects.filter(pk=user.pk).update(language="en")
            clients[who] = Client()
            clients[who].force_login(type(user).objects.get(pk=user.pk), backend="accounts.backends.EmailBackend")
        text = _PageText.of(english_page(clients[who], url))
        shown = [piece for piece in dutch if piece in text]
        if shown:
            found[f"{who} {url}"] = shown
    anonymous = Client()
    anonymous.cookies["django_language"] = "en"
    for url in (reverse("accounts:login"), reverse("accounts:code_request")):
        shown = [piece for piece in dutch if piece in _PageText.of(english_page(anonymous, url))]
        if shown:
            found[f"anonymous {url}"] = shown
    assert not found, f"Dutch product text on English pages (untranslated or not in the catalogue): {found}"


def test_pages_with_the_handbooks_text_say_once_that_it_stays_dutch(cast, client):
    type(cast.teamlid).objects.filter(pk=cast.teamlid.pk).update(language="en")
    client.force_login(type(cast.teamlid).objects.get(pk=cast.teamlid.pk), backend="accounts.backends.EmailBackend")
    with translation.override("en"):
        note = translation.gettext(NOTE)
    assert note != NOTE
    for url in (
        reverse("ontwikkelmodel:model"),
        reverse("reference:topic", args=["wat-tso-is"]),
        reverse("assessments:fill_step", args=[cast.school.pk, cast.open_round.pk, "1"]),
    ):
        content = english_page(client, url)
        assert content.count("data-handbook-note") == 1, url
        assert html.escape(note, quote=False) in content or note in content, url
        assert 'lang="nl"' in content, url
    # Not on a page without the handbook's text, and never in Dutch.
    assert "data-handbook-note" not in english_page(client, reverse("accounts:account"))
    type(cast.teamlid).objects.filter(pk=cast.teamlid.pk).update(language="nl")
    assert "data-handbook-note" not in client.get(reverse("ontwikkelmodel:model")).content.decode()


# (d) ------------------------------------------------------------------------------------------------------------
# Every page of the access matrix that answers 200, rendered in Dutch and in English for the same person: a text
# that is the same in both and reads as Dutch was never translated (hard-coded without {% translate %}, or data shown
# as product text without lang="nl").

# Words of Dutch that English does not share (so not "in", "is", "of", "over", "door", "we", "die").
_DUTCH = """de het een en van op te je jij jouw jullie u uw wij ze zij hij zijn niet met voor naar bij om aan als dat
    dit deze er ook nog maar wat wie hoe waar wordt worden kan kunt kunnen moet moeten tot uit geen al alle
    alleen staat staan heeft hebben hier daar na vanaf elke ieder welke wanneer omdat zodat dan nu meer wel zo
    wil willen gaat gaan komt komen sinds tussen onder tegen zonder waarin waarmee hun hen ons onze mijn jou"""
DUTCH_WORDS = frozenset(_DUTCH.split())
NOT_HTML = re.compile(r"[_:](docx|xlsx|pdf|json|ics)$")  # downloads
PAGE_CASES = [
    c for c in all_cases() if c.method == "get" and not c.htmx and 200 in c.expect and not NOT_HTML.search(c.name)
]


class _TextNodes(HTMLParser):
    """Each visible text node and label (aria-label, title, placeholder, alt, value of buttons) of a page, apart,
    without anything inside an element marked lang="nl" (kept apart in ``dutch``: the handbook's own text), scripts,
    styles, templates and the <title>."""

    VOID = _PageText.VOID

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self.dutch: list[str] = []  # the text inside elements marked lang="nl"
        self.skip: list[tuple[str, bool]] = []  # the open elements whose content is skipped, and whether lang="nl"

    def _add(self, text, to=None):
        text = " ".join((text or "").split())
        if text:
            (self.nodes if to is None else to).append(text)

    def handle_starttag(self, tag, attrs):
        attrs_d = dict(attrs)
        # (<html lang="nl"> is the Dutch page itself, not the handbook's text in it)
        marked = attrs_d.get("lang") == "nl" and tag != "html"
        if not self.skip and not marked:
            for name in ("aria-label", "title", "placeholder", "alt"):
                self._add(attrs_d.get(name))
            if tag == "input" and attrs_d.get("type") in {"submit", "button"}:
                self._add(attrs_d.get("value"))
        if tag in self.VOID:
            return
        hidden = tag in {"script", "style", "template", "title"}
        if self.skip or marked or hidden:
            self.skip.append((tag, not hidden and (marked or bool(self.skip and self.skip[-1][1]))))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self.skip:  # pop back to the matching element (HTML may close implicitly)
            if self.skip.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not self.skip:
            self._add(data)
        elif self.skip[-1][1]:
            self._add(data, self.dutch)

    @classmethod
    def parse(cls, content: str) -> _TextNodes:
        parser = cls()
        parser.feed(content)
        return parser

    @classmethod
    def of(cls, content: str) -> list[str]:
        return cls.parse(content).nodes


def data_texts() -> list[str]:
    """Every text the database holds (names, e-mail addresses, titles and notes people typed, the cast's data): shown
    as it was entered, in whatever language; longest first."""
    from django.apps import apps
    from django.db import models

    texts: set[str] = set()
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))]
        if fields:
            for row in model._default_manager.values_list(*fields):
                texts.update(" ".join(str(v).split()) for v in row if v and len(str(v).strip()) > 2)
    return sorted(texts, key=len, reverse=True)


def looks_dutch(text: str, data: list[str] = ()) -> bool:
    """Three words or more (of letters), one of them a Dutch word English does not share, once the database's own
    texts are taken out."""
    for value in data:
        if value in text:
            text = text.replace(value, " ")
    words = [w.lower() for w in re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", text)]
    return len(words) >= 3 and any(w in DUTCH_WORDS for w in words)


def untranslated(dutch_page: str, english_page_: str, data: list[str] = ()) -> list[str]:
    """The text nodes an English page shares with the Dutch one that read as Dutch."""
    dutch = set(_TextNodes.of(dutch_page))
    return [t for t in dict.fromkeys(_TextNodes.of(english_page_)) if t in dutch and looks_dutch(t, data)]


def render_both(client: Client, user, url: str) -> tuple[str, str] | None:
    """The page in Dutch and in English for ``user``; None for a download (a calendar, a file)."""
    pages = []
    for language in ("nl", "en"):
        type(user).objects.filter(pk=user.pk).update(language=language)
        response = client.get(url)
        assert response.status_code == 200, f"{url} ({language}): {response.status_code}"
        if not response["Content-Type"].startswith("text/html"):
            return None
        content = response.content.decode()
        assert f'<html lang="{language}"' in content, f"{url} ({language})"
        pages.append(content)
    return pages[0], pages[1]


def test_the_rule_catches_a_hard_coded_dutch_sentence():
    """A probe: a template with one sentence outside {% translate %}, rendered in both languages."""
    from django.template import engines

    template = engines["django"].from_string(
        '{% load i18n %}<html lang="{{ LANGUAGE_CODE }}"><body><main><h1>{% translate "Mijn gegevens" %}</h1>'
        "<p>Hier staan al je persoonlijke instellingen bij elkaar</p>"
        '<p lang="nl">Het handboek blijft <em>in het Nederlands</em> staan</p>'
        "<p>Sara de Vries · sara@regenboog.test · 12-03-2026</p></main></body></html>"
    )
    rendered = {}
    for language in ("nl", "en"):
        with translation.override(language):
            rendered[language] = template.render({"LANGUAGE_CODE": language})
    assert rendered["nl"] != rendered["en"]
    people = ["Sara de Vries", "sara@regenboog.test"]  # the database's texts, as data_texts() gives them
    assert untranslated(rendered["nl"], rendered["en"], people) == [
        "Hier staan al je persoonlijke instellingen bij elkaar"
    ]
    # Without the database's texts a name reads as Dutch too; the text people typed is theirs, not product text.
    assert "Sara de Vries · sara@regenboog.test · 12-03-2026" in untranslated(rendered["nl"], rendered["en"])
    typed = [*people, "Hier staan al je persoonlijke instellingen bij elkaar"]
    assert untranslated(rendered["nl"], rendered["en"], typed) == []


def _group(case) -> str:
    fixtures = ("plan", *case.fixtures) if case.name.startswith("actionplans:") else case.fixtures
    return "+".join(fixtures) or "cast"


GROUPS = sorted({_group(c) for c in PAGE_CASES})


@pytest.mark.parametrize("group", GROUPS)
def test_every_page_in_english_shows_no_untranslated_dutch(group, cast, request):
    """Each GET row of the access matrix that answers 200 (one test per set of fixtures it needs), for the first
    caller it answers 200, in Dutch and then in English."""
    cases = [c for c in PAGE_CASES if _group(c) == group]
    for name in group.split("+"):
        if name == "intake":
            cast.intake = build_intake(cast)
        elif name != "cast":
            setattr(cast, name, request.getfixturevalue(name))
    data = data_texts()
    found: dict[str, list[str]] = {}
    rendered: list[str] = []
    downloads: set[str] = set()
    for case in cases:
        who = next(w for w, status in zip(WHO, case.expect, strict=True) if status == 200)
        with rolled_back():
            if case.setup:
                case.setup(cast)
            user = type(cast.user(who)).objects.get(pk=cast.user(who).pk)
            client = Client()
            client.force_login(user, backend="accounts.backends.EmailBackend")
            url = reverse(case.name, kwargs=case.kwargs(cast))
            both = render_both(client, user, url)
        if both is None:
            downloads.add(case.name)
            continue
        rendered.append(url)
        shown = untranslated(*both, data)
        if shown:
            found[f"{case.id} ({who} {url})"] = shown
        # The handbook's text kept in Dutch (lang="nl", apart from the language switch's "Nederlands"): the note once.
        kept = [t for t in _TextNodes.parse(both[1]).dutch if t != "Nederlands"]
        notes = both[1].count("data-handbook-note")
        if notes != (1 if kept else 0):
            found[f"{case.id} ({who} {url})"] = [f"{notes} handbook notes, Dutch text kept: {kept[:3]}"]
    assert rendered, "no page rendered"
    # the trainer's .ics and the school's export (a zip) are the only downloads NOT_HTML does not know by name
    assert downloads <= {"organisations:trainer_calendar", "organisations:school_export"}, f"not HTML: {downloads}"
    listed = "\n".join(f"{k}: {v}" for k, v in found.items())
    assert not found, f"untranslated Dutch (or the handbook note missing) on English pages:\n{listed}"


def test_the_public_pages_in_english_show_no_untranslated_dutch(cast):
    """The pages before logging in (the language switch's cookie): login, the code by e-mail, an invitation."""
    from tests.test_access import make_invitation

    make_invitation(cast.school, token="uitnodiging-voor-de-test")
    data = data_texts()
    found = {}
    for url in (
        reverse("accounts:login"),
        reverse("accounts:code_request"),
        reverse("organisations:invitation", args=["uitnodiging-voor-de-test"]),
    ):
        pages = []
        for language in ("nl", "en"):
            client = Client()
            client.cookies["django_language"] = language
            response = client.get(url)
            assert response.status_code == 200, url
            assert f'<html lang="{language}"' in response.content.decode(), url
            pages.append(response.content.decode())
        shown = untranslated(*pages, data)
        if shown:
            found[url] = shown
    assert not found, f"untranslated Dutch on English pages: {found}"
