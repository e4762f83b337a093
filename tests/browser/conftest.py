"""End-to-end tests in headless Chromium (Playwright, sync API) against pytest-django's live server.

- Without /usr/bin/chromium the browser tests are skipped with a visible reason; with REQUIRE_BROWSER=1 (CI)
  they fail instead, so a missing browser can never let a run pass silently.
- Every page records the URLs it requests. After each test no request may have gone to a host other than
  the live server (CSS, JS and icons come from the app itself); Content Security Policy violations and
  uncaught JavaScript errors fail the test too.
- Helpers for the tests (login via the form, axe-core checks) are in helpers.py.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler

# Playwright's sync API runs an asyncio event loop in the main thread, so Django would refuse ORM calls
# from test code (SynchronousOnlyOperation). The test code itself is plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))  # Debian's package
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MISSING_CHROMIUM = "Chromium niet gevonden: apt-get install -y chromium"
TIMEOUT_MS = 10_000

# Requests that never leave the browser.
LOCAL_SCHEMES = ("data", "blob", "about")


def browser_unavailable() -> str | None:
    """Why the browser tests cannot run here, or None."""
    return None if CHROMIUM.exists() else MISSING_CHROMIUM


def _browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER") == "1"


def pytest_collection_modifyitems(config, items):
    reason = browser_unavailable()
    if reason is None or _browser_required():
        return
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


def pytest_runtest_setup(item):
    # REQUIRE_BROWSER=1 (CI): a missing browser is an error in every browser test, never a skip.
    if _browser_required() and item.get_closest_marker("browser"):
        reason = browser_unavailable()
        if reason:
            pytest.fail(f"REQUIRE_BROWSER=1, maar de browsertests kunnen niet draaien. {reason}", pytrace=False)


# Live server ------------------------------------------------------------------------------------------

# Held by the live server for each whole request, and by test code for each query (see live_server).
_db_lock = threading.RLock()


class _OneRequestAtATimeHandler(StaticFilesHandler):
    def __call__(self, environ, start_response):
        with _db_lock:
            return super().__call__(environ, start_response)


def _wait_for_the_server(execute, sql, params, many, context):
    with _db_lock:
        return execute(sql, params, many, context)


@pytest.fixture(scope="session")
def live_server(request, django_db_setup, django_db_blocker):
    """pytest-django's live server (it serves the static files), started after the test database exists.

    With in-memory SQLite the server threads and the test share one database connection. So that two
    requests (an htmx autosave and a form POST, say) or a request and a query in the test never use it
    at the same moment, the app handles one request at a time and a query from the test waits for the
    current request. Sockets stay threaded, so Chromium's idle pre-connections cannot block the server.
    With PostgreSQL every thread has its own connection and this is pytest-django's fixture unchanged.
    """
    from django.db import connections
    from pytest_django.live_server_helper import LiveServer

    addr = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    with django_db_blocker.unblock():
        server = LiveServer(addr, start=False)
    shared = list(server.thread.connections_override)
    if shared:
        server.thread.static_handler = _OneRequestAtATimeHandler
        for alias in shared:
            connections[alias].execute_wrappers.append(_wait_for_the_server)
    server.start()
    yield server
    server.stop()
    for alias in shared:
        connections[alias].execute_wrappers.remove(_wait_for_the_server)


@pytest.fixture
def server_paused():
    """`with server_paused():` keeps the live server from handling requests (SQLite) while test code writes."""
    return lambda: _db_lock


# Data -------------------------------------------------------------------------------------------------


@pytest.fixture
def browser_cast(transactional_db):
    """The same cast as tests/conftest.py's `cast`, committed so the live server sees it."""
    from tests.conftest import build_cast

    return build_cast()


# Browser ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    reason = browser_unavailable()
    if reason:
        if _browser_required():
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    pw.stop()


class PageLog:
    """What the pages of one test asked for and complained about."""

    def __init__(self, server_url: str):
        self.server = urlsplit(server_url)
        self.urls: list[str] = []
        self.csp_violations: list[str] = []
        self.page_errors: list[str] = []

    def attach(self, page):
        page.on("request", lambda req: self.urls.append(req.url))
        page.on("pageerror", lambda exc: self.page_errors.append(f"{page.url}: {exc}"))

        def on_console(msg):
            if msg.type == "error" and "Content Security Policy" in msg.text:
                self.csp_violations.append(f"{page.url}: {msg.text}")

        page.on("console", on_console)

    def third_party(self) -> list[str]:
        out = []
        for url in self.urls:
            parts = urlsplit(url)
            if parts.scheme in LOCAL_SCHEMES:
                continue
            if (parts.scheme, parts.hostname, parts.port) != (
                self.server.scheme,
                self.server.hostname,
                self.server.port,
            ):
                out.append(url)
        return out

    def assert_clean(self):
        """No third-party requests, no CSP violations, no uncaught JavaScript errors."""
        assert self.urls, "de browser heeft niets opgevraagd"
        problems = []
        if bad := self.third_party():
            problems.append("Verzoeken naar andere hosts dan de app:\n  " + "\n  ".join(sorted(set(bad))))
        if self.csp_violations:
            problems.append("CSP-overtredingen:\n  " + "\n  ".join(self.csp_violations))
        if self.page_errors:
            problems.append("JavaScript-fouten:\n  " + "\n  ".join(self.page_errors))
        assert not problems, "\n".join(problems)


@pytest.fixture
def page_log(live_server) -> PageLog:
    return PageLog(live_server.url)


@pytest.fixture
def new_context(browser, live_server, transactional_db, page_log):
    """new_context() -> a fresh browser context (own cookies and localStorage) whose pages are recorded.

    Closed before the database is flushed; afterwards page_log.assert_clean() runs for every test.
    """
    contexts = []

    def _new_context(**kwargs):
        kwargs.setdefault("base_url", live_server.url)
        kwargs.setdefault("locale", "nl-NL")
        kwargs.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**kwargs)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        context.on("page", page_log.attach)
        contexts.append(context)
        return context

    yield _new_context
    for context in contexts:
        context.close()
    page_log.assert_clean()


@pytest.fixture
def page(new_context):
    return new_context().new_page()
