"""Helpers for the browser tests: log in through the form, run axe-core, find things on pages."""

from __future__ import annotations

import re

import pytest

from tests.factories import PASSWORD

# Fail on these axe-core impacts; "minor" and "moderate" are left to review.
A11Y_FAIL_IMPACTS = ("serious", "critical")

_axe = None


def login(page, user, password: str = PASSWORD):
    """Log in through the real login form (on the login page if the page is there, else via /inloggen/)."""
    if "/inloggen/" not in page.url:
        page.goto("/inloggen/")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen", exact=True).click()
    assert "/inloggen/" not in page.url, f"inloggen mislukt voor {user.email}: {page.url}"


def check_a11y(page, label: str = ""):
    """Run axe-core on the page as it is now; fail on serious or critical violations."""
    global _axe
    from axe_playwright_python.sync_playwright import Axe

    if _axe is None:
        _axe = Axe()
    results = _run_axe(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in A11Y_FAIL_IMPACTS]
    if bad:
        lines = [f"axe: {len(bad)} ernstige toegankelijkheidsproblemen op {label or 'de pagina'} ({page.url}):"]
        for v in bad:
            targets = [" ".join(map(str, n["target"])) for n in v["nodes"][:3]]
            more = f" (+{len(v['nodes']) - 3} meer)" if len(v["nodes"]) > 3 else ""
            lines.append(f"- {v['id']} [{v['impact']}]: {v['help']} → {', '.join(targets)}{more}")
        pytest.fail("\n".join(lines), pytrace=False)
    return results


def _run_axe(page, attempts: int = 3):
    """Run axe once the page has loaded. A test often checks right after clicking a link; when the next page
    replaces the document while axe is reading it, axe fails on a null document or a destroyed context. Then wait
    for the new page and run again: the check is meant for the page the click leads to."""
    from playwright.sync_api import Error as PlaywrightError

    for attempt in range(attempts):
        page.wait_for_load_state("load")
        try:
            return _axe.run(page)
        except PlaywrightError as error:
            navigating = "documentElement" in str(error) or "context was destroyed" in str(error)
            if not navigating or attempt == attempts - 1:
                raise
            page.wait_for_timeout(100)
    raise AssertionError("unreachable")


def by_id(value: str) -> str:
    """A selector for an id with dots in it (accent codes such as 3A.1 end up in ids)."""
    return f'[id="{value}"]'


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)
