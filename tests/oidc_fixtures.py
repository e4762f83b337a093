"""A real OpenID Connect provider for the tests (issue 16): django-oauth-toolkit in OIDC mode, on 127.0.0.1.

The provider is its own small Django project in `tests/oidc_provider/` (not part of the app: its own settings and
SQLite database). The session fixture `oidc_provider` starts it once per test process (so once per xdist worker, each
with its own port and directory) and stops it at the end; `fresh_oidc_provider` is the same provider emptied before
the test. What it offers:

- discovery at `<issuer>/.well-known/openid-configuration`, JWKS, the authorization code flow with PKCE (S256 only;
  a request without a code_challenge is refused), the token endpoint (client_secret_basic or client_secret_post),
  userinfo, RP-initiated logout (`end_session_endpoint`);
- ID tokens signed with RS256 by a key made at start, carrying `sub`, `email`, `email_verified`, `name` (scopes
  openid, email, profile), `nonce` when the request had one; userinfo gives the same claims;
- a login form at `<base_url>/accounts/login/` (fields `username`, `password`); clients skip the consent screen.

The `OIDCProvider` object the fixtures yield:

    issuer                       "http://127.0.0.1:<port>/o"
    base_url                     "http://127.0.0.1:<port>"
    discovery_url                issuer + "/.well-known/openid-configuration"
    directory                    its database, key, port file and log (Path); log() the log's end
    startup_seconds              how long the start took (about 1 s)
    discovery() -> dict          the discovery document
    add_client(client_id, client_secret, redirect_uris, *, post_logout_redirect_uris=())
                                 a confidential client (replaces one with the same id)
    add_user(username, password, email, *, email_verified=True, name="Test Persoon", sub=None) -> str
                                 a person (updates one with the same username; keeps their sub unless one is given);
                                 returns the `sub` the provider sends for them
    set_id_token_lifetime(seconds | None)
                                 lifetime of the next ID tokens; negative gives tokens expired at once; None: 300 s
    set_token_issuer(url | None) the `iss` the next ID tokens carry (a lying provider); None: the real issuer
    authorize(url, username, password, *, session=None) -> str
                                 open an authorization URL (made by the client under test), log in at the form,
                                 return the URL the provider redirects back to (with `code` and `state`), unfollowed
    reset()                      forget every person, client, token, session and setting
    stop()                       (the fixture does it at the end)

Example, a test of the login through allauth (the client id and redirect URI are those of the app's configuration):

    def test_sso_login(client, fresh_oidc_provider, settings):
        idp = fresh_oidc_provider
        idp.add_client("groeiwijzer", "geheim", ["http://testserver/accounts/oidc/entree/login/callback/"])
        idp.add_user("sara", "wachtwoord", "sara@regenboog.test", name="Sara Schoolleider")
        # ... configure the provider's issuer (idp.issuer) in the app, start the login with `client` ...
        back = idp.authorize(response["Location"], "sara", "wachtwoord")
        response = client.get(back)  # the app's callback exchanges the code at idp's token endpoint

`tests/conftest.py` loads this module (`pytest_plugins`), so every test folder has the fixtures: do not import them
into a test module (a module that does gets a second provider of its own). The provider stops by itself when the test
process that started it is gone, so a killed run leaves none behind.

The fixture skips (with the reason) only when the provider cannot run here at all: django-oauth-toolkit not
installed, or no 127.0.0.1 to listen on. Any other start-up failure fails, with the provider's log.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

PROJECT = Path(__file__).resolve().parent / "oidc_provider"
START_TIMEOUT = 30  # seconds; it takes about 1 s on an idle machine


class OIDCProvider:
    def __init__(self, directory: Path):
        self.directory = directory
        self.control_secret = secrets.token_urlsafe(32)
        self.log_path = directory / "provider.log"
        self.process: subprocess.Popen | None = None
        self.base_url = ""
        self.issuer = ""
        self.discovery_url = ""
        self.startup_seconds = 0.0  # from the start of the process until discovery answered

    # -- life cycle --

    def start(self, timeout: float = START_TIMEOUT) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "oidc_idp.settings",
            "OIDC_PROVIDER_DIR": str(self.directory),
            "OIDC_PROVIDER_CONTROL_SECRET": self.control_secret,
            "PYTHONPATH": str(PROJECT),
        }
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 (our own provider project, fixed arguments)
                [sys.executable, str(PROJECT / "manage.py"), "serve_idp"],
                cwd=PROJECT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        port_file = self.directory / "port"
        started = time.monotonic()
        deadline = started + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                code = self.process.returncode
                raise RuntimeError(f"The OIDC provider stopped at start (exit {code}):\n{self.log()}")
            if port_file.exists():
                self.base_url = f"http://127.0.0.1:{port_file.read_text().strip()}"
                self.issuer = f"{self.base_url}/o"
                self.discovery_url = f"{self.issuer}/.well-known/openid-configuration"
                try:
                    if requests.get(self.discovery_url, timeout=5).status_code == 200:
                        self.startup_seconds = time.monotonic() - started
                        return
                except requests.ConnectionError:
                    pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"The OIDC provider did not answer within {timeout} s:\n{self.log()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-6000:] if self.log_path.exists() else ""

    # -- control --

    def _control(self, action: str, **data) -> dict:
        response = requests.post(
            f"{self.base_url}/control/{action}/",
            data=json.dumps(data),
            headers={"X-Control-Secret": self.control_secret, "Content-Type": "application/json"},
            timeout=10,
        )
        if response.status_code != 200:
            raise RuntimeError(f"OIDC provider control {action}: {response.status_code} {response.text[:500]}")
        return response.json()

    def add_client(self, client_id: str, client_secret: str, redirect_uris: list[str], *, post_logout_redirect_uris=()):
        self._control(
            "client",
            client_id=client_id,
            client_secret=client_secret,
            redirect_uris=list(redirect_uris),
            post_logout_redirect_uris=list(post_logout_redirect_uris),
        )

    def add_user(
        self,
        username: str,
        password: str,
        email: str,
        *,
        email_verified: bool = True,
        name: str = "Test Persoon",
        sub: str | None = None,
    ) -> str:
        return self._control(
            "user",
            username=username,
            password=password,
            email=email,
            email_verified=email_verified,
            name=name,
            sub=sub,
        )["sub"]

    def set_id_token_lifetime(self, seconds: int | None) -> None:
        self._control("knob", name="id_token_lifetime", value=seconds)

    def set_token_issuer(self, issuer: str | None) -> None:
        self._control("knob", name="token_issuer", value=issuer)

    def reset(self) -> None:
        self._control("reset")

    # -- for the tests --

    def discovery(self) -> dict:
        response = requests.get(self.discovery_url, timeout=10)
        response.raise_for_status()
        return response.json()

    def authorize(self, url: str, username: str, password: str, *, session: requests.Session | None = None) -> str:
        """Log in at the provider for an authorization URL; the URL it sends the browser back to (not followed)."""
        session = session or requests.Session()
        response = session.get(url, allow_redirects=False, timeout=10)
        if response.status_code == 302 and "/accounts/login/" in response.headers["Location"]:
            form_url = urljoin(url, response.headers["Location"])
            form = session.get(form_url, timeout=10)
            found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
            assert found, f"no login form at {form_url}: {form.status_code}"
            next_url = re.search(r'name="next" value="([^"]*)"', form.text)
            response = session.post(
                form_url,
                data={
                    "csrfmiddlewaretoken": found.group(1),
                    "username": username,
                    "password": password,
                    "next": unescape(next_url.group(1)) if next_url else "",
                },
                allow_redirects=False,
                timeout=10,
            )
            if response.status_code != 302:
                raise AssertionError(f"login at the OIDC provider failed for {username!r}: {response.status_code}")
            response = session.get(urljoin(form_url, response.headers["Location"]), allow_redirects=False, timeout=10)
        if response.status_code != 302:
            raise AssertionError(f"the OIDC provider sent no redirect: {response.status_code} {response.text[:300]}")
        return response.headers["Location"]


def _environment_problem() -> str | None:
    """Why the provider cannot run on this machine at all, or None."""
    if importlib.util.find_spec("oauth2_provider") is None:
        return "django-oauth-toolkit is not installed (requirements-dev.lock)"
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", 0))
    except OSError as error:
        return f"cannot listen on 127.0.0.1: {error}"
    return None


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    """The local OpenID Connect provider of this test process (see the module's docstring)."""
    problem = _environment_problem()
    if problem:
        pytest.skip(f"local OIDC provider: {problem}")
    provider = OIDCProvider(tmp_path_factory.mktemp("oidc_provider"))
    provider.start()
    yield provider
    provider.stop()


@pytest.fixture
def fresh_oidc_provider(oidc_provider):
    """The same provider, emptied first: no people, clients, tokens, sessions; default lifetime and issuer."""
    oidc_provider.reset()
    return oidc_provider
