"""Second factor (issue 11, part 5; issue 16: allauth.mfa's storage): a TOTP app, required for platform admins
(/beheer/), optional for everyone else.

- set-up from Mijn gegevens: QR code and the secret in text, confirmed with a code; only a confirmed app counts;
  switching off needs a current code; both audited without secrets;
- the second step: after a password or e-mail code login, a user with an app sees "Code uit je app" before
  anything else (htmx: 401); wrong codes get a Dutch error and are throttled; ``next`` stays a local path;
- /beheer/: a staff user needs a verified second factor; without an app they set one up first; the admin's own
  login page is only the first step;
- storage (issue 16): allauth.mfa's Authenticator with the secrets encrypted at rest, wrong codes throttled in the
  database, a code works once (also with an empty cache), django-otp's devices moved over by migration.
"""

from __future__ import annotations

import json
import re
import threading

import pytest
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.core import mail
from django.db import connection, connections
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import twofactor
from accounts.models import SecondFactorThrottle, User
from audit.models import AuditEvent
from tests.factories import PASSWORD
from tests.helpers import logged_in_user_id, text
from tests.twofactor_helpers import (
    KEY,
    code_for,
    login_verified,
    make_device,
    make_recovery_codes,
    reset_throttle,
    signed,
    verify_session,
)

SETUP = reverse("accounts:twofactor")
VERIFY = reverse("accounts:twofactor_verify")
ADMIN = reverse("admin:index")


def password_login(email, nxt=None) -> tuple[Client, object]:
    client = Client()
    url = reverse("accounts:login") + (f"?next={nxt}" if nxt else "")
    data = {"email": email, "password": PASSWORD} | ({"next": nxt} if nxt else {})
    return client, client.post(url, data)


def is_verified(client) -> bool:
    return twofactor.VERIFIED_SESSION_KEY in client.session


def apps_of(user=None):
    """The TOTP authenticators (of ``user``, or of everyone)."""
    rows = Authenticator.objects.filter(type=Authenticator.Type.TOTP)
    return rows.filter(user=user) if user is not None else rows


def failures(user) -> int:
    return SecondFactorThrottle.objects.filter(user=user).values_list("failures", flat=True).first() or 0


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
    assert not Authenticator.objects.exists()  # opening the page makes no authenticator


def test_a_wrong_code_confirms_nothing_and_keeps_the_secret(cast, login):
    client = login(cast.schoolleider)
    wrong = "000000" if code_for(KEY) != "000000" else "111111"
    response = client.post(SETUP, {"form": "aanzetten", "key": signed(), "code": wrong})
    assert response.status_code == 400
    assert "Deze code klopt niet." in text(response)
    assert response.context["setup"].key == KEY  # the same secret: the app that scanned it keeps working
    assert not Authenticator.objects.exists() and not is_verified(client)
    assert not AuditEvent.objects.filter(action__startswith="account.twofactor").exists()
    for bad in ["12345", "abcdef", "", "1234567"]:
        response = client.post(SETUP, {"form": "aanzetten", "key": signed(), "code": bad})
        assert response.status_code == 400 and "code" in response.context["form"].errors
    assert not Authenticator.objects.exists()


def test_a_tampered_or_foreign_secret_is_refused(cast, login):
    client = login(cast.schoolleider)
    for key in [KEY, signed()[:-2] + "xx", signed("zz" * 16), "x"]:  # unsigned, bad signature, not base32, junk
        response = client.post(SETUP, {"form": "aanzetten", "key": key, "code": code_for(KEY)})
        assert response.status_code == 400
        assert "Deze QR-code is verlopen." in text(response)
        assert response.context["setup"].key != KEY  # a fresh secret to scan
    assert not Authenticator.objects.exists()


def test_confirming_switches_it_on_verifies_the_session_and_is_audited_without_secrets(cast, login):
    client = login(cast.schoolleider)
    response = client.post(SETUP, {"form": "aanzetten", "key": signed(), "code": code_for(KEY)})
    assert response.status_code == 200
    device = apps_of(cast.schoolleider).get()
    assert code_for(device) == code_for(KEY)  # the app's secret, kept (encrypted)
    assert Authenticator.objects.filter(user=cast.schoolleider, type=Authenticator.Type.RECOVERY_CODES).exists()
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
    assert apps_of(cast.schoolleider).count() == 1


def test_mijn_gegevens_links_to_the_setup(cast, login):
    assert SETUP in text(login(cast.teamlid).get(reverse("accounts:account")))


def test_switching_off_needs_a_current_code_and_is_audited(cast, login):
    device = make_device(cast.schoolleider)
    client = login(cast.schoolleider)
    verify_session(client, device)
    wrong = "000000" if code_for(KEY) != "000000" else "111111"
    response = client.post(SETUP, {"form": "uitzetten", "uit-code": wrong})
    assert response.status_code == 400 and "Deze code klopt niet." in text(response)
    assert Authenticator.objects.filter(pk=device.pk).exists()
    reset_throttle(cast.schoolleider)
    response = client.post(SETUP, {"form": "uitzetten", "uit-code": code_for(KEY)})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:account")
    assert not Authenticator.objects.filter(user=cast.schoolleider).exists()  # the app and the recovery codes
    assert AuditEvent.objects.filter(action="account.twofactor_disabled", actor=cast.schoolleider).exists()
    assert client.get(reverse("home")).status_code in (200, 302)
    assert client.get(reverse("accounts:account")).status_code == 200  # no second step any more


def test_recovery_codes_without_an_app_do_not_count(cast):
    make_recovery_codes(cast.teamlid)  # a leftover: only an app makes the second step
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
    device_queries = [q["sql"] for q in queries.captured_queries if "mfa_authenticator" in q["sql"]]
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
    assert settings.SECOND_FACTOR_THROTTLE_SECONDS > 0  # throttling on
    device = make_device(cast.schoolleider)
    client, _ = password_login(cast.schoolleider.email)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 400
    assert "Deze code klopt niet." in text(response)
    assert not is_verified(client)
    assert failures(cast.schoolleider) == 1
    # Right after a wrong code the check waits: even the right code is refused unchecked.
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
    assert twofactor.recovery_codes_left(cast.schoolleider) == 9


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
    Authenticator.objects.filter(pk=device.pk).delete()
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
    """The session's flag names the person who passed the second step; another person's does not count."""
    other = make_device(cast.teamlid)
    make_device(staff)
    client = Client()
    client.force_login(staff, backend="accounts.backends.EmailBackend")
    verify_session(client, other)
    assert client.get(ADMIN)["Location"].startswith(VERIFY)


def test_another_admin_removes_the_app_of_someone_who_lost_their_phone(staff, cast):
    """The way back for a lost phone (README); the admin never shows the secret (nor its encrypted form); the
    removal takes the recovery codes with it and is audited."""
    lost = make_device(cast.schoolleider)
    make_recovery_codes(cast.schoolleider)
    client = login_verified(Client(), staff)
    page = client.get(reverse("admin:mfa_authenticator_change", args=[lost.pk]))
    assert page.status_code == 200 and KEY not in page.content.decode()
    assert lost.data["secret"] not in page.content.decode()
    listing = client.get(reverse("admin:mfa_authenticator_changelist"), {"q": cast.schoolleider.email})
    assert listing.status_code == 200 and cast.schoolleider.email in listing.content.decode()
    response = client.post(reverse("admin:mfa_authenticator_delete", args=[lost.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=cast.schoolleider).exists()
    event = AuditEvent.objects.get(action="account.twofactor_removed")
    assert event.actor == staff and event.object_id == str(cast.schoolleider.pk)
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
    """Ten guesses at the same moment, each on its own connection: the person's throttle row is locked while a code
    is checked, so after the first wrong code the others find it waiting and are refused unchecked."""
    from tests.factories import make_user

    compared = []
    real_matching_step = twofactor._matching_step

    def counting_matching_step(*args, **kwargs):
        compared.append(1)
        return real_matching_step(*args, **kwargs)

    monkeypatch.setattr(twofactor, "_matching_step", counting_matching_step)
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
    assert failures(user) == len(compared)


# Storage (issue 16): allauth.mfa, encrypted at rest, throttled and used once in the database --------------------


def raw_data(authenticator) -> str:
    """The row's data column as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator WHERE id = %s", [authenticator.pk])
        value = cursor.fetchone()[0]
    return value if isinstance(value, str) else json.dumps(value)


def test_the_secrets_are_encrypted_at_rest(cast, login):
    client = login(cast.schoolleider)
    codes = client.post(SETUP, {"form": "aanzetten", "key": signed(), "code": code_for(KEY)}).context["codes"]
    app = apps_of(cast.schoolleider).get()
    stored = raw_data(app)
    assert KEY not in stored and KEY.lower() not in stored
    assert "secret" in json.loads(stored)  # allauth's field, holding a Fernet token
    assert json.loads(stored)["secret"].startswith("gAAAA")
    recovery = Authenticator.objects.get(user=cast.schoolleider, type=Authenticator.Type.RECOVERY_CODES)
    stored_codes = raw_data(recovery)
    assert not any(c in stored_codes for c in codes)
    seed = twofactor.get_adapter().decrypt(recovery.data["seed"])
    assert seed not in stored_codes and len(seed) == 80


def test_an_unreadable_secret_accepts_no_code_and_never_answers_500(cast):
    """A row that does not decrypt (another SECRET_KEY, a hand-edited row): no code passes, no 500, the person
    is still asked for the second step (it is never skipped)."""
    device = make_device(cast.schoolleider)
    make_recovery_codes(cast.schoolleider)
    Authenticator.objects.filter(user=cast.schoolleider).update(data={"secret": "garbage", "seed": "x", "used_mask": 0})
    client, _ = password_login(cast.schoolleider.email)
    assert client.get(reverse("accounts:account"))["Location"].startswith(VERIFY)
    response = client.post(VERIFY, {"code": code_for(KEY)})
    assert response.status_code == 400 and "Deze code klopt niet." in text(response)
    reset_throttle(cast.schoolleider)
    assert client.post(VERIFY, {"code": "12345678"}).status_code == 400
    assert twofactor.recovery_codes_left(cast.schoolleider) == 0
    assert not is_verified(client)
    assert Authenticator.objects.filter(pk=device.pk).exists()


def test_a_used_app_code_is_refused_again_even_with_an_empty_cache(cast):
    """allauth marks a used code in the cache; the database keeps the time step too (several app servers, each
    with its own cache, or a cache that was emptied)."""
    from django.core.cache import cache

    device = make_device(cast.schoolleider)
    code = code_for(device)
    twofactor.check_code(cast.schoolleider, code)
    cache.clear()
    with pytest.raises(twofactor.TwoFactorError, match="Deze code klopt niet."):
        twofactor.check_code(cast.schoolleider, code)
    # The previous period's code (still inside the tolerance) is older than the used one: refused as well.
    reset_throttle(cast.schoolleider)
    with pytest.raises(twofactor.TwoFactorError):
        twofactor.check_code(cast.schoolleider, code_for(device, steps_ahead=-1))
    reset_throttle(cast.schoolleider)
    assert twofactor.check_code(cast.schoolleider, code_for(device, steps_ahead=1)).pk == device.pk


def test_wrong_codes_in_a_row_double_the_wait_and_the_right_code_works_after_it(cast):
    from datetime import timedelta

    from django.db.models import F

    device = make_device(cast.schoolleider)
    user = cast.schoolleider
    wrong = "000000" if code_for(device) != "000000" else "111111"
    with pytest.raises(twofactor.TwoFactorError, match="Deze code klopt niet."):
        twofactor.check_code(user, wrong)
    throttle = SecondFactorThrottle.objects.get(user=user)
    assert throttle.failures == 1 and throttle.wait_until() - throttle.last_failure_at == timedelta(seconds=1)
    # Quick guesses while it waits are refused unchecked and not counted; the right one too.
    for code in [wrong, code_for(device), "12345678"]:
        with pytest.raises(twofactor.TwoFactorError, match="Te veel foute codes achter elkaar."):
            twofactor.check_code(user, code)
    assert failures(user) == 1
    # After the wait a wrong code counts again and the next wait is twice as long.
    SecondFactorThrottle.objects.filter(user=user).update(last_failure_at=F("last_failure_at") - timedelta(seconds=2))
    with pytest.raises(twofactor.TwoFactorError, match="Deze code klopt niet."):
        twofactor.check_code(user, wrong)
    throttle.refresh_from_db()
    assert throttle.failures == 2 and throttle.wait_until() - throttle.last_failure_at == timedelta(seconds=2)
    # After that wait the right code works, and the count starts again.
    SecondFactorThrottle.objects.filter(user=user).update(last_failure_at=F("last_failure_at") - timedelta(seconds=3))
    assert twofactor.check_code(user, code_for(device)).pk == device.pk
    assert failures(user) == 0
    assert Authenticator.objects.get(pk=device.pk).last_used_at is not None


def test_the_wait_never_exceeds_a_day(cast):
    from datetime import timedelta

    from django.utils import timezone

    throttle = SecondFactorThrottle(user=cast.teamlid, failures=10_000, last_failure_at=timezone.now())
    assert throttle.wait_until() - throttle.last_failure_at == timedelta(days=1)


def test_new_recovery_codes_replace_the_old_ones(cast):
    client = login_verified(Client(), cast.schoolleider)
    old = make_recovery_codes(cast.schoolleider)
    page = client.get(SETUP)
    assert page.context["codes_left"] == 10
    new = client.post(SETUP, {"form": "herstelcodes", "herstel-code": code_for(KEY)}).context["codes"]
    assert len(new) == 10 and all(re.fullmatch(r"\d{8}", c) for c in new) and set(new) != set(old)
    assert AuditEvent.objects.filter(action="account.recovery_codes_renewed").count() == 1
    reset_throttle(cast.schoolleider)
    with pytest.raises(twofactor.TwoFactorError):
        twofactor.check_code(cast.schoolleider, old[0])
    reset_throttle(cast.schoolleider)
    assert twofactor.check_code(cast.schoolleider, new[0]).type == Authenticator.Type.RECOVERY_CODES
    assert twofactor.recovery_codes_left(cast.schoolleider) == 9


def test_a_new_login_in_a_verified_session_asks_for_the_code_again(cast):
    """The session's flag is dropped at every login, also when the same person logs in again."""
    make_device(cast.schoolleider)
    client = login_verified(Client(), cast.schoolleider)
    assert client.get(reverse("accounts:account")).status_code == 200
    client.post(reverse("accounts:login"), {"email": cast.schoolleider.email, "password": PASSWORD})
    assert not is_verified(client)
    assert client.get(reverse("accounts:account"))["Location"].startswith(VERIFY)


# Moving django-otp's devices (accounts/otp_import.py, migration accounts 0007) -----------------------------------

RFC_HEX = "3132333435363738393031323334353637383930"


def old_otp_tables(rows_totp, rows_tokens):
    """django-otp's three tables as an existing database holds them (only the columns the move reads)."""
    with connection.cursor() as cursor:
        cursor.execute(
            'CREATE TABLE "otp_totp_totpdevice" ("id" integer PRIMARY KEY, "user_id" integer NOT NULL, '
            '"name" varchar(64) NOT NULL, "confirmed" boolean NOT NULL, "key" varchar(80) NOT NULL, '
            '"step" smallint NOT NULL, "t0" bigint NOT NULL, "digits" smallint NOT NULL, "last_t" bigint NOT NULL)'
        )
        cursor.execute(
            'CREATE TABLE "otp_static_staticdevice" ("id" integer PRIMARY KEY, "user_id" integer NOT NULL, '
            '"name" varchar(64) NOT NULL, "confirmed" boolean NOT NULL)'
        )
        cursor.execute(
            'CREATE TABLE "otp_static_statictoken" ("id" integer PRIMARY KEY, "device_id" integer NOT NULL, '
            '"token" varchar(16) NOT NULL)'
        )
        for row in rows_totp:
            cursor.execute(
                'INSERT INTO "otp_totp_totpdevice" ("id", "user_id", "name", "confirmed", "key", "step", "t0", '
                '"digits", "last_t") VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)',
                row,
            )
        for device_id, user_id, confirmed, tokens in rows_tokens:
            cursor.execute(
                'INSERT INTO "otp_static_staticdevice" ("id", "user_id", "name", "confirmed") VALUES (%s, %s, %s, %s)',
                [device_id, user_id, "Herstelcodes", confirmed],
            )
            for n, token in enumerate(tokens):
                cursor.execute(
                    'INSERT INTO "otp_static_statictoken" ("id", "device_id", "token") VALUES (%s, %s, %s)',
                    [device_id * 100 + n, device_id, token],
                )


def run_move():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("accounts.migrations.0007_move_django_otp_to_allauth_mfa")

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.forwards(apps, editor)


def test_the_hex_key_becomes_the_base32_secret():
    from accounts import otp_import

    assert otp_import.totp_secret_from_hex(RFC_HEX) == KEY
    assert otp_import.totp_secret_from_hex("zz") is None and otp_import.totp_secret_from_hex("") is None
    data = otp_import.recovery_codes_data(["abcd2345", " EFGH6789 "], str.upper)
    assert data["used_mask"] == 0 and data["migrated_codes"] == ["ABCD2345", "EFGH6789"]
    assert len(data["seed"]) == 80


def test_the_migration_moves_confirmed_devices_and_their_codes(cast):
    """The app keeps working with the same secret, the printed recovery codes each once, a code used before the
    move stays used; unconfirmed devices are not moved; running it twice moves nothing twice."""
    used_step = int(__import__("time").time()) // 30
    old_otp_tables(
        [
            (1, cast.schoolleider.pk, "Authenticator-app", True, RFC_HEX, 30, 0, 6, used_step),
            (2, cast.teamlid.pk, "Half", False, RFC_HEX, 30, 0, 6, 0),  # never confirmed
        ],
        [(7, cast.schoolleider.pk, True, ["abcd2345", "efgh6789"]), (8, cast.teamlid.pk, False, ["zzzz2345"])],
    )
    run_move()
    assert list(Authenticator.objects.values_list("user_id", "type").order_by("type")) == [
        (cast.schoolleider.pk, "recovery_codes"),
        (cast.schoolleider.pk, "totp"),
    ]
    app = apps_of(cast.schoolleider).get()
    assert KEY not in raw_data(app) and code_for(app) == code_for(KEY)
    assert "abcd2345" not in raw_data(Authenticator.objects.get(type="recovery_codes"))
    assert twofactor.recovery_codes_left(cast.schoolleider) == 2
    # The code of the step used before the move is refused; the next one works; the old codes work once each.
    with pytest.raises(twofactor.TwoFactorError):
        twofactor.check_code(cast.schoolleider, code_for(KEY))
    reset_throttle(cast.schoolleider)
    assert twofactor.check_code(cast.schoolleider, code_for(KEY, steps_ahead=1)).type == "totp"
    assert twofactor.check_code(cast.schoolleider, "ABCD-2345").type == "recovery_codes"
    with pytest.raises(twofactor.TwoFactorError):
        twofactor.check_code(cast.schoolleider, "abcd2345")
    assert twofactor.recovery_codes_left(cast.schoolleider) == 1
    run_move()  # again: nothing new
    assert Authenticator.objects.count() == 2 and twofactor.recovery_codes_left(cast.schoolleider) == 1
    # A person moved over logs in with the second step.
    client, _ = password_login(cast.schoolleider.email)
    assert client.get(reverse("accounts:account"))["Location"].startswith(VERIFY)
    client, _ = password_login(cast.teamlid.email)
    assert client.get(reverse("accounts:account")).status_code == 200


def test_the_migration_does_nothing_without_the_old_tables(cast):
    assert "otp_totp_totpdevice" not in connection.introspection.table_names()
    run_move()
    assert not Authenticator.objects.exists()
