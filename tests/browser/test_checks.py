"""The browser suite's own checks must be able to fail: axe-core findings and third-party requests."""

from __future__ import annotations

import pytest

from .conftest import PageLog
from .helpers import check_a11y


@pytest.mark.browser
def test_axe_check_fails_on_serious_violations(page, page_log):
    page.goto("/inloggen/")
    check_a11y(page, "inloggen")
    # Break the page on purpose: an image without text alternative and a nameless button.
    page.evaluate(
        """() => {
            const main = document.querySelector('main');
            main.insertAdjacentHTML('beforeend', '<img src="data:,">');
            main.insertAdjacentHTML('beforeend', '<button type="button"></button>');
        }"""
    )
    with pytest.raises(pytest.fail.Exception) as failed:
        check_a11y(page, "kapotte pagina")
    message = str(failed.value)
    assert "image-alt [critical]" in message
    assert "button-name [critical]" in message
    assert "→ img" in message  # the target selector
    page_log.assert_clean()


def test_request_log_flags_other_hosts():
    log = PageLog("http://localhost:8123")
    log.urls = [
        "http://localhost:8123/static/css/app.css",
        "data:image/svg+xml,abc",
        "http://localhost:8124/static/other-port.js",
        "https://fonts.googleapis.com/css?family=Inter",
        "http://127.0.0.1:8123/other-host-name",
    ]
    assert log.third_party() == [
        "http://localhost:8124/static/other-port.js",
        "https://fonts.googleapis.com/css?family=Inter",
        "http://127.0.0.1:8123/other-host-name",
    ]
    with pytest.raises(AssertionError, match="fonts.googleapis.com"):
        log.assert_clean()
