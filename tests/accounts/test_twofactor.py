"""Second factor (issue 11, part 5): a TOTP app, required for platform admins (/beheer/), optional for everyone else.

- set-up from Mijn gegevens: QR code and the secret in text, confirmed with a code; only a confirmed app counts;
  switching off needs a current code; both audited without secrets;
- the second step: after a password or e-mail code login, a user with an app sees "Code uit je app" before
  anything else (htmx: 401); wrong codes get a Dutch error and are throttled; ``next`` stays a local path;
- /beheer/: a staff user needs a verified second factor; without an app they set one up first; the admin's own
  login page is only the first step.
"""

from __future__ import annotations

import json
import re
import threading

import pytest
from django.contrib import admin
from django.core import mail
from django.db import connection, connections
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor
from accounts.models import User
from audit.models import AuditEvent
from tests.factories import PASSWORD
from tests.test_services import _fast_password_hasher, logged_in_user_id, text  # noqa: F401 (the fast hasher fixture)
from tests.twofactor_helpers import KEY, code_for, login_verified, make_device, signed, verify_session

SETUP = reverse("accounts:twofactor")
VERIFY = reverse("accounts:twofactor_verify")
ADMIN = reverse("admin:index")


def password_login(email, nxt=None) -> tuple[Client, object]:
    client = Client()
    url = reverse("accounts:login") + (f"?next={nxt}" if nxt else "")
    data = {"email": email, "password": PASSWORD} | ({"next": nxt} if nxt else {})
    return client, client.post(url, data)


def is_verified(client) -> bool:
    return DEVICE_ID_SESSION_KEY in client.session


# Set-up -----------------------------------------------------------------------------------------------------


def test_setup_page_shows_a_qr_code_and_the_secret_in_text(cast, login):
    response = login(cast.schoolleider).get(SETUP)
    assert response.status_code == 200
    page = response.content.decode()
    # The QR code is an SVG in a data: URI (CSP: img-src 'self' data:), no third party, nothing inline to run.
    qr = re.search(r'<img src="(data:image/svg\+xml[^"]+)"[^>]*alt="([^"]+)"', page)
    assert qr and "QR-code" in qr.group(2)
    setup = response.context["setup"]
    assert setup.secret.replace(" ", "") in page.replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{4}){7}", setup.secret)  # 160 bits, base32, in groups for typing
    assert "otpauth" not in page  # the URI is only inside the QR code
    assert not TOTPDevice.objects.exists()  # opening the page makes no device


def test_a_wrong_code_confirms_nothing_and_keeps_the_secret(cast, login):
    client = login(cast.schoolleider)
    wrong = "000000" if code_for(KEY) != "000000" else "111111"
    response = client.post(SETUP, {"form": "aanzetten", "key": signed(), "code": wrong})
    assert response.status_code == 400
    assert "Deze code klopt niet." in text(response)
    assert response.context["setup"].key == KEY  # the same secret: the app that scanned it keeps working
    assert not TOTPDevice.objects.exists() and not is_verified(client)
    assert not AuditEvent.objects.filter(action__startswith="account.twofactor").exists()
    for bad in ["12345", "abcdef", "", "1234567"]:
        response = client.post(SETUP, {"form": "aanzetten", "key": signed(), "code": bad})
        assert response.status_code == 400 and "code" in response.context["form"].errors
    assert not TOTPDevice.objects.exists()


def test_a_tampered_or_foreign_secret_is_refused(cast, login):
    client = login(cast.schoolleider)
    for key in [KEY, signed()[:-2] + "xx", signed("zz" * 20), "x"]:  # unsigned, bad signature, not hex, junk
        response = client.post(SETUP, {"form": "aanzetten", "key": key, "code": code_for(KEY)})
        assert response.status_code == 400
        assert "Deze QR-code is verlopen." in text(response)
        assert response.context["setup"].key != KEY  # a fresh secret to scan
    assert not TOTPDevice.objects.exists()


def test_confirming_switches_it_on_verifies_the_session_and_is_audited_without_secrets(cast, login):
    client = login(cast.schoolleider)
    response = client.post(SETUP, {"form": "aanzetten", "key": signed(), "code": code_for(KEY)})
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=cast.schoolleider)
    assert device.confirmed and device.key == KEY
    assert is_verified(client)  # this session just proved it has the app
    codes = response.context["codes"]
    assert len(codes) == 10 and all(c in text(response) for c in codes)
    assert "Je ziet ze maar één keer." in text(response)
    event = AuditEvent.objects.get(action="account.twofactor_enabled")
    assert event.actor == cast.schoolleider and event.object_id == str(cast.schoolleider.pk)
    row = json.dumps(event.data)
    assert KEY not in row and "secret" not in row and not any(c in row for c in codes)
    # Now on: the page offers switching off, and posting a set-up again changes nothing.
    assert "Tweestapsverificatie uitzetten" in text(client.get(SETUP))
    client.post(SETUP, {"form": "aanzetten", "key": signed(), "code": code_for(KEY, 1)})
    assert TOTPDevice.objects.filter(user=cast.schoolleider).count() == 1


def test_mijn_gegevens_links_to_the_setup(cast, login):
    assert SETUP in text(login(cast.teamlid).get(reverse("accounts:account")))


def test_switching_off_needs_a_current_code_and_is_audited(cast, login):
    device = make_device(cast.schoolleider)
    client = login(cast.schoolleider)
    verify_session(client, device)
    wrong = "000000" if code_for(KEY) != "000000" else "111111"
    response = client.post(SETUP, {"form": "uitzetten", "uit-code": wrong})
    assert response.status_code == 400 and "Deze code klopt niet." in text(response)
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    response = client.post(SETUP, {"form": "uitzetten", "uit-code": code_for(KEY)})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:account")
    assert not TOTPDevice.objects.filter(user=cast.schoolleider).exists()
    assert AuditEvent.objects.filter(action="account.twofactor_disabled", actor=cast.schoolleider).exists()
    assert client.get(reverse("home")).status_code in (200, 302)
    assert client.get(reverse("accounts:account")).status_code == 200  # no second step any more


def test_an_unconfirmed_device_does_not_count(cast):
    make_device(cast.teamlid, confirmed=False)
    client, response = password_login(cast.teamlid.email)
    assert response.status_code == 302 and response["Location"] != VERIFY
    assert client.get(reverse("accounts:account")).status_code == 200


# The second step ---------------------------------------------------------------------------------------------


def test_after_a_password_login_a_user_with_an_app_must_enter_a_code_first(cast):
    device = make_device(cast.schoolleider)
    target = reverse("organisations:school", args=[cast.school.pk])
    client, response = password_login(cast.schoolleider.email, nxt=target)
    assert response["Location"] == target
    for url in [target, reverse("accounts:account"), SETUP, reverse("home")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{VERIFY}?next={url.replace('/', '%2F')}", url
    # Writes too, and htmx gets a 401 so the page can keep its input.
    before = User.objects.get(pk=cast.schoolleider.pk).name
    assert client.post(reverse("accounts:account"), {"form": "naam", "name": "Ander"})["Location"] == VERIFY
    assert User.objects.get(pk=cast.schoolleider.pk).name == before
    assert client.get(target, headers={"HX-Request": "true"}).status_code == 401
    # The code page itself and static files are reachable.
    assert client.get("/static/css/app.css").status_code != 302
    page = client.get(f"{VERIFY}?next={target}")
    assert page.status_code == 200 and "Code uit je app" in text(page)
    session_key = client.session.session_key
    response = client.post(VERIFY, {"code": code_for(device), "next": target})
    assert response.status_code == 302 and response["Location"] == target
    assert client.session.session_key != session_key  # a new session key once the second step is passed
    assert client.get(target).status_code == 200
    assert logged_in_user_id(client) == str(cast.schoolleider.pk)


def test_an_app_switched_on_elsewhere_counts_at_the_next_request_without_a_query_of_its_own(cast):
    """The middleware learns whether the user has an app from the query that loads the user (issue 15: no extra
    query on every page), so a session opened before the app was confirmed elsewhere is still asked for a code."""
    client, _response = password_login(cast.teamlid.email)
    account = reverse("accounts:account")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(account).status_code == 200
    device_queries = [q["sql"] for q in queries.captured_queries if "otp_totp_totpdevice" in q["sql"]]
    assert len(device_queries) == 1 and "accounts_user" in device_queries[0]  # a part of the user's query
    make_device(cast.teamlid)  # confirmed in another session
    response = client.get(account)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)


def test_logout_stays_reachable_before_the_second_step(cast):
    make_device(cast.schoolleider)
    client, _ = password_login(cast.schoolleider.email)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert logged_in_user_id(client) is None


def test_after_an_email_code_login_too(cast, on_commit):
    device = make_device(cast.teamlid)
    client = Client()
    with on_commit():
        client.post(reverse("accounts:code_request"), {"email": cast.teamlid.email})
    code = next(word for word in mail.outbox[-1].body.split() if word.isdigit() and len(word) == 6)
    client.post(reverse("accounts:code_verify"), {"code": code})
    assert logged_in_user_id(client) == str(cast.teamlid.pk)
    assert client.get(reverse("accounts:account"))["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": code_for(device)})
    assert client.get(reverse("accounts:account")).status_code == 200


def test_a_wrong_code_gets_a_dutch_error_and_is_throttled(cast, settings):
    assert settings.OTP_TOTP_THROTTLE_FACTOR > 0  # throttling on
    device = make_device(cast.schoolleider)
    client, _ = password_login(cast.schoolleider.email)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 400
    assert "Deze code klopt niet." in text(response)
    assert not is_verified(client)
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == 1
    # Right after a wrong code the device waits: even the right code is refused unchecked.
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 400
    assert "Te veel foute codes achter elkaar." in text(response)
    assert not is_verified(client)
    for junk in ["", "abc", "1" * 40, "12 34 56 78 90 12 34 56 78 90 12 34 56"]:
        assert client.post(VERIFY, {"code": junk}).status_code == 400
    assert not is_verified(client)


def test_the_same_code_works_only_once(cast):
    device = make_device(cast.schoolleider)
    first, _ = password_login(cast.schoolleider.email)
    code = code_for(device)
    assert first.post(VERIFY, {"code": code}).status_code == 302 and is_verified(first)
    second, _ = password_login(cast.schoolleider.email)
    assert second.post(VERIFY, {"code": code}).status_code == 400
    assert not is_verified(second)


@pytest.mark.parametrize(
    "nxt", ["foo", "//evil.test/x", "https://evil.test/", "javascript:alert(1)", "/\\evil.test", "\\\\evil.test"]
)
def test_next_must_be_a_local_path(cast, nxt):
    device = make_device(cast.schoolleider)
    client = Client()
    client.force_login(cast.schoolleider, backend="accounts.backends.EmailBackend")
    page = client.get(VERIFY, {"next": nxt})
    assert page.status_code == 200 and page.context["next"] == ""
    assert '<input type="hidden" name="next" value="">' in page.content.decode()
    response = client.post(VERIFY, {"code": code_for(device), "next": nxt})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_a_recovery_code_works_once(cast):
    client = login_verified(Client(), cast.schoolleider)
    codes = client.post(SETUP, {"form": "herstelcodes", "herstel-code": code_for(KEY)}).context["codes"]
    assert len(codes) == 10
    other, _ = password_login(cast.schoolleider.email)
    response = other.post(VERIFY, {"code": codes[0].upper()}, follow=True)
    assert is_verified(other) and "nog 9" in text(response)
    assert AuditEvent.objects.filter(action="account.recovery_code_used", data={"left": 9}).exists()
    third, _ = password_login(cast.schoolleider.email)
    assert third.post(VERIFY, {"code": codes[0]}).status_code == 400 and not is_verified(third)
    assert StaticToken.objects.filter(device__user=cast.schoolleider).count() == 9


def test_verifying_without_an_app_just_continues(cast, login):
    response = login(cast.teamlid).get(VERIFY, {"next": reverse("accounts:account")})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:account")


def test_schoolleiding_may_switch_it_on_and_then_logs_in_with_a_code(cast):
    client, _ = password_login(cast.schoolleider.email)
    assert client.get(reverse("accounts:account")).status_code == 200  # optional: no second step yet
    client.post(SETUP, {"form": "aanzetten", "key": signed(), "code": code_for(KEY)})
    again, _ = password_login(cast.schoolleider.email)
    assert again.get(reverse("accounts:account"))["Location"].startswith(VERIFY)
    # Another session that was already open is asked for the code too.
    assert client.get(reverse("accounts:account")).status_code == 200  # this one proved it during the set-up
    old = Client()
    old.force_login(cast.schoolleider, backend="accounts.backends.EmailBackend")
    assert old.get(reverse("accounts:account"))["Location"].startswith(VERIFY)


# /beheer/ -------------------------------------------------------------------------------------------------------


@pytest.fixture
def staff(db):
    return User.objects.create_superuser("beheer@groeiwijzer.test", name="Beheer", password=PASSWORD)


def test_staff_without_an_app_sets_one_up_before_the_admin(staff):
    client, response = password_login(staff.email, nxt=ADMIN)
    assert response["Location"] == ADMIN
    response = client.get(ADMIN)
    assert response.status_code == 302 and response["Location"] == f"{SETUP}?next=%2Fbeheer%2F"
    # Every other page too: a platform admin does nothing before the second factor is on.
    assert client.get(reverse("accounts:account"))["Location"].startswith(SETUP)
    page = client.get(SETUP, {"next": ADMIN})
    assert page.status_code == 200 and "Als platformbeheerder log je in met een tweede stap" in text(page)
    done = client.post(SETUP, {"form": "aanzetten", "key": signed(), "code": code_for(KEY), "next": ADMIN})
    assert done.status_code == 200 and f'href="{ADMIN}"' in done.content.decode()
    assert client.get(ADMIN).status_code == 200


def test_staff_with_an_app_enters_a_code_before_the_admin(staff):
    device = make_device(staff)
    client, _ = password_login(staff.email)
    response = client.get(ADMIN)
    assert response.status_code == 302 and response["Location"] == f"{VERIFY}?next=%2Fbeheer%2F"
    assert client.get(ADMIN, headers={"HX-Request": "true"}).status_code == 401
    assert client.post(VERIFY, {"code": code_for(device), "next": ADMIN})["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_the_admins_own_login_page_is_only_the_first_step(staff):
    device = make_device(staff)
    client = Client()
    response = client.post(reverse("admin:login"), {"username": staff.email, "password": PASSWORD, "next": ADMIN})
    assert response.status_code == 302
    response = client.get(ADMIN)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    for url in [reverse("admin:accounts_user_changelist"), reverse("admin:login")]:
        assert client.get(url)["Location"].startswith(VERIFY), url
    TOTPDevice.objects.filter(pk=device.pk).delete()
    assert client.get(ADMIN)["Location"].startswith(SETUP)


def test_the_admins_own_login_is_audited_and_a_wrong_password_too(staff):
    client = Client()
    client.post(reverse("admin:login"), {"username": staff.email, "password": "fout-wachtwoord", "next": ADMIN})
    client.post(reverse("admin:login"), {"username": staff.email, "password": PASSWORD, "next": ADMIN})
    rows = list(AuditEvent.objects.filter(action__startswith="account.log").order_by("id"))
    assert [(r.action, r.data.get("method")) for r in rows] == [
        ("account.login_failed", "password"),
        ("account.logged_in", "beheer"),
    ]
    assert rows[1].actor == staff
    assert staff.email not in str(rows[0].data)  # a failed login keeps only a keyed hash of the address


def test_the_admin_site_itself_refuses_an_unverified_staff_session(staff):
    """The second lock: even if a request got past the middleware, has_permission needs a verified device."""
    request = RequestFactory().get(ADMIN)
    request.user = staff
    staff.is_verified = lambda: False
    assert not admin.site.has_permission(request)
    staff.is_verified = lambda: True
    assert admin.site.has_permission(request)


def test_a_stolen_device_id_of_someone_else_does_not_verify(staff, cast):
    """The session key names a device; django-otp ignores a device of another user."""
    other = make_device(cast.teamlid)
    make_device(staff)
    client = Client()
    client.force_login(staff, backend="accounts.backends.EmailBackend")
    verify_session(client, other)
    assert client.get(ADMIN)["Location"].startswith(VERIFY)


def test_another_admin_removes_the_app_of_someone_who_lost_their_phone(staff, cast):
    """The way back for a lost phone (README); the admin never shows the secret key of a device."""
    lost = make_device(cast.schoolleider)
    client = login_verified(Client(), staff)
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[lost.pk]))
    assert page.status_code == 200 and KEY not in page.content.decode()
    response = client.post(reverse("admin:otp_totp_totpdevice_delete", args=[lost.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=lost.pk).exists()
    again, _ = password_login(cast.schoolleider.email)
    assert again.get(reverse("accounts:account")).status_code == 200


def test_demo_tells_how_the_admin_sets_up_the_second_factor(db):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "tweestapsverificatie" in out.getvalue().lower()
    beheer = User.objects.get(email__startswith="beheer@")
    assert beheer.is_staff and twofactor.required_for(beheer)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-lock test needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_codes_are_throttled_too(monkeypatch):
    """Ten guesses at the same moment, each on its own connection: the device row is locked while a code is
    checked, so after the first wrong code the others find the device waiting and are refused unchecked."""
    from django_otp.oath import TOTP

    from tests.factories import make_user

    compared = []
    real_verify = TOTP.verify

    def counting_verify(self, *args, **kwargs):
        compared.append(1)
        return real_verify(self, *args, **kwargs)

    monkeypatch.setattr(TOTP, "verify", counting_verify)
    user = make_user("Parallel Beheer")
    device = make_device(user)
    right = code_for(device)
    wrong = [f"{(int(right) + n) % 1_000_000:06d}" for n in range(100_000, 1_000_000, 90_000)]
    barrier = threading.Barrier(len(wrong))
    outcomes: list[str] = []

    def guess(code):
        try:
            barrier.wait(timeout=10)
            twofactor.check_code(user, code)
            outcomes.append("accepted")
        except twofactor.TwoFactorError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess, args=(code,)) for code in wrong]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert outcomes == ["refused"] * len(wrong)
    assert 1 <= len(compared) <= 2, f"{len(compared)} of {len(wrong)} parallel guesses were compared"
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == len(compared)
