"""Single sign-on without a provider (accounts/sso.py, accounts/sso_settings.py): the configuration from the
environment, the rules for an identity that comes back, the school's login policy on our own login pages, and
linking a waiting identity. The whole flow against a real OpenID Connect provider: test_sso_flow.py."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import sso
from accounts.models import LoginCode, User
from accounts.sso_settings import SSOConfigError, apps_from_env, form_action_origins, socialaccount_providers
from audit.models import AuditEvent
from organisations.models import Invitation, Membership, Role, hash_token
from tests.factories import PASSWORD
from tests.sso_helpers import PROVIDER_ID, configure
from tests.sso_helpers import link as link_with_issuer
from tests.twofactor_helpers import code_for, make_device, reset_throttle, signed

ISSUER = "https://entree.test/openid"

pytestmark = pytest.mark.django_db


def link(user, uid: str, issuer: str = ISSUER, **kwargs) -> SocialAccount:
    return link_with_issuer(user, uid, issuer=issuer, **kwargs)


@pytest.fixture
def entree(settings):
    return configure(settings, ISSUER)


def identity(**overrides) -> sso.Identity:
    values = {
        "provider_id": PROVIDER_ID,
        "issuer": ISSUER,
        "uid": "sub-123",
        "email": "teamlid@regenboog.test",
        "email_verified": True,
        "name": "Tina Teamlid",
    }
    return sso.Identity(**{**values, **overrides})


def invite(school, email, **extra):
    return Invitation.objects.create(
        school=school,
        email=email,
        roles=[Role.TEAMLID],
        token_hash=hash_token(f"token-{school.pk}-{email}"),
        expires_at=timezone.now() + timedelta(days=7),
        **extra,
    )


# The configuration ------------------------------------------------------------------------------------------


def test_no_provider_without_its_variables():
    assert apps_from_env({}) == []


def test_a_provider_from_its_three_variables_with_pkce_and_scopes():
    env = {
        "SSO_ENTREE_CLIENT_ID": "gw",
        "SSO_ENTREE_SECRET": "s",
        "SSO_ENTREE_ISSUER": "https://entree.test/openid/",
        "SSO_ENTRA_CLIENT_ID": "gw2",
        "SSO_ENTRA_SECRET": "s2",
        "SSO_ENTRA_ISSUER": "https://login.microsoftonline.com/tenant/v2.0",
    }
    apps = apps_from_env(env)
    assert [(a["provider_id"], a["name"]) for a in apps] == [
        ("entree", "Entree Federatie"),
        ("entra", "Microsoft Entra ID"),
    ]
    assert apps[0]["settings"] == {
        "server_url": "https://entree.test/openid",
        "oauth_pkce_enabled": True,
        "scope": ["openid", "email", "profile"],
        "verified_email_claim": "email_verified",
    }
    assert apps[1]["settings"]["verified_email_claim"] == "xms_edov"  # Entra ID's optional claim, by default
    assert socialaccount_providers(apps)["openid_connect"]["OAUTH_PKCE_ENABLED"] is True
    assert form_action_origins(apps) == ["https://entree.test", "https://login.microsoftonline.com"]


@pytest.mark.parametrize(
    "env",
    [
        {"SSO_SURFCONEXT_CLIENT_ID": "gw", "SSO_SURFCONEXT_ISSUER": "https://connect.surfconext.nl"},  # no secret
        {
            **{f"SSO_ENTREE_{k}": v for k, v in (("CLIENT_ID", "a"), ("SECRET", "b"), ("ISSUER", "https://x.test"))},
            **{f"SSO_ENTRA_{k}": v for k, v in (("CLIENT_ID", "c"), ("SECRET", "d"), ("ISSUER", "https://x.test/"))},
        },  # one issuer for two ids
        {"SSO_ENTREE_CLIENT_ID": "a", "SSO_ENTREE_SECRET": "b", "SSO_ENTREE_ISSUER": "entree.test"},  # no https://
        {
            **{f"SSO_ENTREE_{k}": v for k, v in (("CLIENT_ID", "a"), ("SECRET", "b"), ("ISSUER", "https://x.test"))},
            "SSO_ENTREE_VERIFIED_CLAIM": "email verified",  # no claim name
        },
    ],
)
def test_a_half_or_ambiguous_configuration_refuses_to_start(env):
    with pytest.raises(SSOConfigError):
        apps_from_env(env)


@pytest.mark.parametrize(
    ("value", "claim"), [("xms_edov", "xms_edov"), ("none", ""), ("NONE", ""), ("  ", "email_verified")]
)
def test_the_verified_claim_is_configuration(value, claim):
    env = {"SSO_ENTREE_CLIENT_ID": "a", "SSO_ENTREE_SECRET": "b", "SSO_ENTREE_ISSUER": "https://x.test"}
    (app,) = apps_from_env({**env, "SSO_ENTREE_VERIFIED_CLAIM": value})
    assert app["settings"]["verified_email_claim"] == claim


# The identity from the ID token ---------------------------------------------------------------------------------


def test_identity_from_the_id_token(entree):
    found = sso.identity_from_claims(
        provider_id=PROVIDER_ID,
        id_token={"iss": ISSUER + "/", "sub": "abc", "email": "Tina@Regenboog.TEST", "email_verified": "true"},
        userinfo={"sub": "abc", "name": "Tina Teamlid"},
    )
    assert found == sso.Identity(PROVIDER_ID, ISSUER, "abc", "tina@regenboog.test", True, "Tina Teamlid")


@pytest.mark.parametrize(
    ("id_token", "userinfo", "reason"),
    [
        ({"iss": "https://andere.test", "sub": "abc"}, None, "wrong_issuer"),
        ({"iss": ISSUER, "sub": "abc"}, {"sub": "xyz"}, "invalid_token"),  # userinfo of someone else
        ({}, {"sub": "abc", "iss": ISSUER}, "invalid_token"),  # no ID token
    ],
)
def test_identity_refused(entree, id_token, userinfo, reason):
    with pytest.raises(sso.SSORefused) as refused:
        sso.identity_from_claims(provider_id=PROVIDER_ID, id_token=id_token, userinfo=userinfo)
    assert refused.value.reason == reason


@pytest.mark.parametrize("verified", [False, "false", None, "yes", 1])
def test_only_a_true_claim_is_a_verified_address(entree, verified):
    claims = {"iss": ISSUER, "sub": "abc", "email": "a@b.test", "email_verified": verified}
    assert not sso.identity_from_claims(provider_id=PROVIDER_ID, id_token=claims).email_verified


def test_an_entra_address_is_vouched_for_by_its_configured_claim(settings):
    configure(settings, "https://login.entra.test/tenant/v2.0", provider_id="entra", verified_claim="xms_edov")
    claims = {"iss": "https://login.entra.test/tenant/v2.0", "sub": "abc", "email": "a@b.test"}
    found = sso.identity_from_claims(provider_id="entra", id_token={**claims, "xms_edov": True})
    assert found.email_verified
    # the standard claim is not the one this provider is trusted for
    assert not sso.identity_from_claims(provider_id="entra", id_token={**claims, "email_verified": True}).email_verified
    assert not sso.identity_from_claims(provider_id="entra", id_token={**claims, "xms_edov": False}).email_verified


def test_a_provider_that_vouches_for_no_address(settings):
    configure(settings, ISSUER, verified_claim="")
    claims = {"iss": ISSUER, "sub": "abc", "email": "a@b.test", "email_verified": True}
    assert not sso.identity_from_claims(provider_id=PROVIDER_ID, id_token=claims).email_verified


# The rules ---------------------------------------------------------------------------------------------------


def test_a_linked_identity_logs_in_its_user_whatever_the_email_says(cast, entree):
    link(cast.teamlid, "sub-123")
    decision = sso.resolve(identity(email=cast.schoolleider.email))
    assert decision == sso.Decision("login", cast.teamlid)


def test_a_linked_identity_of_someone_else_is_refused_while_logged_in(cast, entree):
    link(cast.teamlid, "sub-123")
    with pytest.raises(sso.SSORefused) as refused:
        sso.resolve(identity(), current_user=cast.kartrekker)
    assert refused.value.reason == "linked_elsewhere"


def test_a_verified_address_links_the_account_case_insensitively(cast, entree):
    decision = sso.resolve(identity(email="TeamLid@Regenboog.test"))
    assert decision == sso.Decision("link", cast.teamlid)


def test_an_unverified_address_never_links(cast, entree):
    assert sso.resolve(identity(email=cast.teamlid.email, email_verified=False)) == sso.Decision("pending")


def test_a_verified_stranger_gets_no_account(cast, entree):
    users = User.objects.count()
    with pytest.raises(sso.SSORefused) as refused:
        sso.resolve(identity(email="vreemde@elders.test"))
    assert refused.value.reason == "no_account"
    assert User.objects.count() == users


def test_a_verified_address_with_an_open_invitation(cast, entree):
    invite(cast.school, "nieuw@regenboog.test")
    assert sso.resolve(identity(email="nieuw@regenboog.test")) == sso.Decision("invitation")


def test_an_expired_or_revoked_invitation_does_not_count(cast, entree):
    invite(cast.school, "oud@regenboog.test", revoked_at=timezone.now())
    Invitation.objects.update(expires_at=timezone.now() - timedelta(days=1))
    with pytest.raises(sso.SSORefused):
        sso.resolve(identity(email="oud@regenboog.test"))


def test_one_identity_per_provider_and_person(cast, entree):
    link(cast.teamlid, "een-andere-sub")
    with pytest.raises(sso.SSORefused) as refused:
        sso.resolve(identity(email=cast.teamlid.email))
    assert refused.value.reason == "other_identity"


def test_an_inactive_account_is_refused(cast, entree):
    link(cast.teamlid, "sub-123")
    User.objects.filter(pk=cast.teamlid.pk).update(is_active=False)
    with pytest.raises(sso.SSORefused) as refused:
        sso.resolve(identity())
    assert refused.value.reason == "inactive"


def test_someone_logged_in_links_a_new_identity_to_themselves(cast, entree):
    assert sso.resolve(identity(email="anders@elders.test", email_verified=False), current_user=cast.kartrekker) == (
        sso.Decision("link", cast.kartrekker)
    )


def test_accepting_invitations_makes_the_account_without_password(cast, entree):
    invite(cast.school, "nieuw@regenboog.test")
    invite(cast.sister_school, "nieuw@regenboog.test")
    user, path = sso.accept_invitations(email="nieuw@regenboog.test", name="Nina Nieuw")
    assert user.name == "Nina Nieuw" and not user.has_usable_password()
    assert set(Membership.objects.filter(user=user).values_list("school_id", flat=True)) == {
        cast.school.pk,
        cast.sister_school.pk,
    }
    assert path.startswith("/scholen/")
    assert not Invitation.objects.filter(accepted_at=None).exists()
    assert AuditEvent.objects.filter(action="invitation.accepted", data__via="sso").count() == 2


# The school's policy on our own login pages ----------------------------------------------------------------------


def require_sso(school, *, code=True):
    type(school).objects.filter(pk=school.pk).update(sso_required=True, sso_code_fallback=code)


def test_policy_of_schools_and_boards(cast, entree):
    assert sso.login_policy(cast.teamlid) == sso.LoginPolicy(False, True)
    require_sso(cast.school)
    assert sso.login_policy(cast.teamlid) == sso.LoginPolicy(True, True)
    assert sso.login_policy(cast.outsider) == sso.LoginPolicy(False, True)  # another school
    require_sso(cast.school, code=False)
    assert sso.login_policy(cast.teamlid) == sso.LoginPolicy(True, False)
    type(cast.board).objects.filter(pk=cast.board.pk).update(sso_required=True)
    assert sso.login_policy(cast.board_member) == sso.LoginPolicy(True, True)  # the board's own members too
    User.objects.filter(pk=cast.teamlid.pk).update(is_staff=True)
    assert sso.login_policy(User.objects.get(pk=cast.teamlid.pk)) == sso.LoginPolicy(False, True)  # admins exempt


def test_code_switched_off_only_counts_where_sso_is_required(cast, entree):
    type(cast.school).objects.filter(pk=cast.school.pk).update(sso_code_fallback=False)
    assert sso.login_policy(cast.teamlid) == sso.LoginPolicy(False, True)


def test_password_login_refused_when_the_school_requires_sso(cast, entree, client):
    require_sso(cast.school)
    response = client.post(reverse("accounts:login"), {"email": cast.teamlid.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    body = response.content.decode()
    assert "inlogt met je schoolaccount, niet met een wachtwoord" in body
    assert "Inloggen met Entree Federatie" in body
    assert AuditEvent.objects.filter(action="account.login_refused", data__method="password").count() == 1
    # Another school's member logs in with a password as before.
    response = client.post(reverse("accounts:login"), {"email": cast.outsider.email, "password": PASSWORD})
    assert response.status_code == 302


def test_platform_admin_keeps_the_password(cast, entree, client):
    require_sso(cast.school)
    User.objects.filter(pk=cast.schoolleider.pk).update(is_staff=True)
    response = client.post(reverse("accounts:login"), {"email": cast.schoolleider.email, "password": PASSWORD})
    assert response.status_code == 302


def test_code_switched_off_sends_no_code_and_the_same_answer(cast, entree, client, django_capture_on_commit_callbacks):
    require_sso(cast.school, code=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:code_request"), {"email": cast.teamlid.email})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:code_verify")
    assert not LoginCode.objects.filter(user=cast.teamlid).exists()
    [message] = mail.outbox
    assert "inlogt met je schoolaccount" in message.body and "Entree Federatie" in message.body
    # The code fallback on: a code as before.
    require_sso(cast.school, code=True)
    client.post(reverse("accounts:code_request"), {"email": cast.teamlid.email})
    assert LoginCode.objects.filter(user=cast.teamlid).exists()


def test_the_login_page_shows_a_button_per_provider(client, settings, db):
    response = client.get(reverse("accounts:login"))
    assert "Inloggen met je schoolaccount" not in response.content.decode()  # none configured
    configure(settings, ISSUER)
    response = client.get(reverse("accounts:login") + "?next=/scholen/1/")
    body = response.content.decode()
    assert f'action="{reverse("openid_connect_login", args=[PROVIDER_ID])}"' in body
    assert "Inloggen met Entree Federatie" in body
    assert 'name="next" value="/scholen/1/"' in body
    assert "https://entree.test" in response["Content-Security-Policy"]  # form-action: the provider's host


# A waiting identity is linked by a login of ours ---------------------------------------------------------------


def wait_for_link(client, found: sso.Identity):
    session = client.session
    session[sso.PENDING] = found.as_session()
    session.save()


def code_login(client, user):
    client.post(reverse("accounts:code_request"), {"email": user.email})
    login_code, code = LoginCode.issue(user)
    return client.post(reverse("accounts:code_verify"), {"code": code})


def test_the_email_code_links_the_waiting_identity(cast, entree, client):
    wait_for_link(client, identity(email_verified=False))
    response = code_login(client, cast.teamlid)
    assert response.status_code == 302
    assert SocialAccount.objects.get(provider=PROVIDER_ID, uid="sub-123").user == cast.teamlid
    assert SocialAccount.objects.get(uid="sub-123").extra_data == {"iss": ISSUER, "sub": "sub-123"}
    assert sso.PENDING not in client.session
    assert AuditEvent.objects.filter(action="account.sso_linked", actor=cast.teamlid).count() == 1


def test_a_waiting_identity_allows_the_code_the_school_switched_off(cast, entree, client):
    require_sso(cast.school, code=False)
    wait_for_link(client, identity(email_verified=False))
    response = code_login(client, cast.teamlid)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(cast.teamlid.pk)
    assert SocialAccount.objects.filter(user=cast.teamlid).exists()


def test_a_waiting_identity_expires(cast, entree, client):
    data = identity(email_verified=False).as_session()
    data["at"] = int(time.time()) - sso.PENDING_SECONDS - 1
    session = client.session
    session[sso.PENDING] = data
    session.save()
    client.post(reverse("accounts:login"), {"email": cast.teamlid.email, "password": PASSWORD})
    assert not SocialAccount.objects.exists()


def test_a_waiting_identity_linked_meanwhile_to_someone_else_is_refused(cast, entree, client):
    wait_for_link(client, identity(email_verified=False))
    link(cast.kartrekker, "sub-123")
    response = client.post(reverse("accounts:login"), {"email": cast.teamlid.email, "password": PASSWORD}, follow=True)
    assert "al gekoppeld aan een ander Groeiwijzer-account" in response.content.decode()
    assert SocialAccount.objects.get(uid="sub-123").user == cast.kartrekker
    assert AuditEvent.objects.filter(action="account.sso_refused", data__reason="linked_elsewhere").exists()


def test_with_an_authenticator_app_the_link_waits_for_the_second_step(cast, entree, client):
    """A first factor alone (here the password) never links a waiting identity: only the app's code completes it."""
    device = make_device(cast.teamlid)
    wait_for_link(client, identity(email_verified=False))
    response = client.post(reverse("accounts:login"), {"email": cast.teamlid.email, "password": PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(cast.teamlid.pk)
    assert not SocialAccount.objects.exists()
    assert sso.PENDING in client.session
    wrong = client.post(reverse("accounts:twofactor_verify"), {"code": "000000"})
    assert wrong.status_code == 400 and not SocialAccount.objects.exists()
    reset_throttle(cast.teamlid)  # a wrong code makes the next check wait a second (accounts.SecondFactorThrottle)
    response = client.post(reverse("accounts:twofactor_verify"), {"code": code_for(device)})
    assert response.status_code == 302
    assert SocialAccount.objects.get(provider=PROVIDER_ID, uid="sub-123").user == cast.teamlid
    assert sso.PENDING not in client.session
    assert AuditEvent.objects.filter(action="account.sso_linked", actor=cast.teamlid).count() == 1


def test_a_platform_admin_links_only_after_setting_up_the_app(cast, entree, client):
    admin = User.objects.create_user(email="beheer@platform.test", password=PASSWORD, name="Beheer", is_staff=True)
    wait_for_link(client, identity(email=admin.email, email_verified=False))
    client.post(reverse("accounts:login"), {"email": admin.email, "password": PASSWORD})
    assert not SocialAccount.objects.exists()
    setup = client.get(reverse("accounts:twofactor"))
    key = setup.context["setup"].key
    response = client.post(
        reverse("accounts:twofactor"), {"form": "aanzetten", "key": signed(key), "code": code_for(key)}
    )
    assert response.status_code == 200
    assert SocialAccount.objects.get(uid="sub-123").user == admin


def test_the_sso_pages_of_an_unknown_provider_are_404(client, entree):
    assert client.get(reverse("openid_connect_login", args=["onbekend"])).status_code == 404
    assert client.get(reverse("openid_connect_callback", args=["onbekend"])).status_code == 404


def test_the_start_page_shows_the_button(client, entree):
    response = client.get(reverse("openid_connect_login", args=[PROVIDER_ID]) + "?next=/scholen/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Je gaat naar Entree Federatie om in te loggen" in body and 'value="/scholen/"' in body


def test_an_unreachable_provider_is_a_dutch_page(client, settings):
    configure(settings, "http://127.0.0.1:9/openid")  # nothing listens on port 9
    response = client.post(reverse("openid_connect_login", args=[PROVIDER_ID]))
    assert response.status_code == 400
    assert "Entree Federatie is nu niet bereikbaar" in response.content.decode()
    assert AuditEvent.objects.filter(action="account.sso_refused", data__reason="unreachable").exists()


def test_a_discovery_document_of_another_issuer_is_refused_before_leaving(client, entree):
    from unittest import mock

    from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter

    lying = mock.PropertyMock(return_value={"issuer": "https://een-ander.test", "authorization_endpoint": "x"})
    with mock.patch.object(OpenIDConnectOAuth2Adapter, "openid_config", new=lying):
        response = client.post(reverse("openid_connect_login", args=[PROVIDER_ID]))
    assert response.status_code == 400
    assert "Het antwoord kwam niet van de inlogdienst die voor Entree Federatie is ingesteld" in (
        response.content.decode()
    )
    assert AuditEvent.objects.filter(action="account.sso_refused", data__reason="wrong_issuer").exists()


def test_mijn_gegevens_shows_and_unlinks_the_school_account(cast, entree, login):
    link(cast.teamlid, "sub-123", issuer=ISSUER)
    link(cast.kartrekker, "sub-456", issuer=ISSUER)
    client = login(cast.teamlid)
    body = client.get(reverse("accounts:account")).content.decode()
    assert "Gekoppeld met Entree Federatie sinds" in body and "Ontkoppelen van Entree Federatie" in body
    response = client.post(reverse("accounts:sso_unlink"), {"provider": PROVIDER_ID}, follow=True)
    assert "Je account bij Entree Federatie is ontkoppeld" in response.content.decode()
    assert not SocialAccount.objects.filter(user=cast.teamlid).exists()
    assert SocialAccount.objects.filter(user=cast.kartrekker).exists()  # only one's own
    assert AuditEvent.objects.filter(action="account.sso_unlinked", actor=cast.teamlid).count() == 1
    body = client.get(reverse("accounts:account")).content.decode()
    assert "Koppelen met Entree Federatie" in body
    assert client.get(reverse("accounts:sso_unlink")).status_code == 405


def test_mijn_gegevens_without_providers_says_nothing_about_them(cast, login):
    assert "schoolaccount" not in login(cast.teamlid).get(reverse("accounts:account")).content.decode()


# The key is (issuer, sub) -----------------------------------------------------------------------------------------


def test_a_sub_linked_under_another_issuer_is_refused(cast, entree):
    link(cast.teamlid, "sub-123", issuer="https://oude-entree.test/openid")
    with pytest.raises(sso.SSORefused) as refused:
        sso.linked_user(identity())
    assert refused.value.reason == "wrong_issuer"
    with pytest.raises(sso.SSORefused) as refused:
        sso.resolve(identity(email=cast.teamlid.email))
    assert refused.value.reason == "wrong_issuer"
    with pytest.raises(sso.SSORefused):  # nor linked to someone else under the new issuer
        sso.do_link_identity(user=cast.kartrekker, identity=identity(), acting_user=cast.kartrekker)
    assert SocialAccount.objects.get(uid="sub-123").user == cast.teamlid


def test_a_row_without_its_issuer_is_read_from_the_stored_id_token(cast, entree):
    SocialAccount.objects.create(
        user=cast.teamlid, provider=PROVIDER_ID, uid="sub-123", extra_data={"id_token": {"iss": ISSUER + "/"}}
    )
    assert sso.linked_user(identity()) == cast.teamlid
    SocialAccount.objects.update(extra_data={"userinfo": {"sub": "sub-123"}})  # nothing says which issuer
    with pytest.raises(sso.SSORefused):
        sso.linked_user(identity())


def test_allauth_overwriting_the_claims_keeps_the_linked_issuer(cast, entree):
    """allauth's login stores the new login's claims on the linked row before our adapter sees them
    (SocialLogin.lookup); the issuer it was linked with stays beside them (keep_linked_issuer)."""
    account = link(cast.teamlid, "sub-123", issuer="https://oude-entree.test/openid")
    account.extra_data = {"id_token": {"iss": ISSUER, "sub": "sub-123"}, "userinfo": {"sub": "sub-123"}}
    account.save()
    account.refresh_from_db()
    assert account.extra_data["iss"] == "https://oude-entree.test/openid"
    with pytest.raises(sso.SSORefused):
        sso.linked_user(identity())
    sso.forget_claims(account)  # what a refused login leaves
    account.refresh_from_db()
    assert account.extra_data == {"iss": "https://oude-entree.test/openid", "sub": "sub-123"}


# A board requires it, the school switches the code off ------------------------------------------------------


def test_board_requires_and_school_switches_the_code_off(cast, entree, client, django_capture_on_commit_callbacks):
    from organisations.sso import login_policy_for

    type(cast.board).objects.filter(pk=cast.board.pk).update(sso_required=True)
    type(cast.school).objects.filter(pk=cast.school.pk).update(sso_required=False, sso_code_fallback=False)
    assert login_policy_for(cast.teamlid) == sso.LoginPolicy(sso_required=True, code_allowed=False)
    assert sso.login_policy(cast.teamlid) == sso.LoginPolicy(True, False)
    # The sister school keeps its code: its members have (True, True).
    assert login_policy_for(cast.trainer) == sso.LoginPolicy(True, False)  # the strictest of their two schools
    horizon = Membership.objects.get(school=cast.sister_school, is_schoolleiding=True).user
    assert login_policy_for(horizon) == sso.LoginPolicy(True, True)
    # The login pages behave accordingly: no password, no code.
    response = client.post(reverse("accounts:login"), {"email": cast.teamlid.email, "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    body = response.content.decode()
    assert "niet met een wachtwoord" in body and "of log in met een code per e-mail" not in body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:code_request"), {"email": cast.teamlid.email})
    assert not LoginCode.objects.filter(user=cast.teamlid).exists()
    [message] = mail.outbox
    assert "inlogt met je schoolaccount" in message.body
    # The sister school's schoolleider is told the code is still there.
    response = client.post(reverse("accounts:login"), {"email": horizon.email, "password": PASSWORD})
    assert "of log in met een code per e-mail" in response.content.decode()


# A waiting identity and the requirement (the audit's probe) ------------------------------------------------------

ATTACKER = {"uid": "aanvaller-sub", "email": "aanvaller@elders.test", "email_verified": False, "name": "Mallory"}


def password_login(client, user, **kwargs):
    return client.post(reverse("accounts:login"), {"email": user.email, "password": PASSWORD}, **kwargs)


@pytest.mark.parametrize("attacker_email", ["aanvaller@elders.test", "teamlid@regenboog.test"])
def test_a_waiting_identity_never_lets_the_password_in_for_a_linked_member(cast, entree, client, attacker_email):
    """Required, code off, the member has a school account: someone else's identity waiting in the session (even one
    claiming the member's address) does not make the member's password enough."""
    require_sso(cast.school, code=False)
    link(cast.teamlid, "eigen-sub")
    wait_for_link(client, identity(**{**ATTACKER, "email": attacker_email}))
    response = password_login(client, cast.teamlid)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "niet met een wachtwoord" in response.content.decode()
    assert not SocialAccount.objects.filter(uid="aanvaller-sub").exists()
    assert list(SocialAccount.objects.values_list("user_id", "uid")) == [(cast.teamlid.pk, "eigen-sub")]
    refused = AuditEvent.objects.get(action="account.login_refused")
    assert refused.data == {"method": "password", "pending": "already_linked"}
    assert not AuditEvent.objects.filter(action="account.logged_in").exists()


def test_a_waiting_identity_of_another_address_lets_nobody_in_nor_links(
    cast, entree, client, django_capture_on_commit_callbacks
):
    """Required, code off, the member has no school account yet: the attacker's identity with another address is
    not linked and does not lift the requirement, for the password nor for the code."""
    require_sso(cast.school, code=False)
    wait_for_link(client, identity(**ATTACKER))
    response = password_login(client, cast.teamlid)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:code_request"), {"email": cast.teamlid.email})
    assert not LoginCode.objects.filter(user=cast.teamlid).exists()
    assert "inlogt met je schoolaccount" in mail.outbox[0].body
    assert not SocialAccount.objects.exists()
    refused = AuditEvent.objects.filter(action="account.login_refused").values_list("data", flat=True)
    assert sorted(refused, key=str) == [
        {"method": "code", "pending": "mismatch"},
        {"method": "password", "pending": "mismatch"},
    ]


def test_with_the_code_on_the_code_logs_in_and_the_attackers_identity_is_not_linked(cast, entree, client):
    """The code fallback on: the code alone may log in (it proves the mailbox), the waiting identity is linked only
    by its own rules: here refused (the member has another one), and the login stands."""
    require_sso(cast.school, code=True)
    link(cast.teamlid, "eigen-sub")
    wait_for_link(client, identity(**{**ATTACKER, "email": cast.teamlid.email}))
    assert password_login(client, cast.teamlid).status_code == 200  # the password still is not enough
    assert "_auth_user_id" not in client.session
    response = code_login(client, cast.teamlid)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(cast.teamlid.pk)
    assert not SocialAccount.objects.filter(uid="aanvaller-sub").exists()
    assert AuditEvent.objects.filter(action="account.sso_refused", data__reason="other_identity").exists()
    assert sso.PENDING not in client.session


def test_the_members_own_waiting_identity_lets_the_password_link_and_log_in(cast, entree, client):
    """The legitimate first link: required, code off, the provider sent the member's address unverified."""
    require_sso(cast.school, code=False)
    found = sso.identity_from_claims(
        provider_id=PROVIDER_ID,
        id_token={"iss": ISSUER, "sub": "eigen-sub", "email": "TeamLid@Regenboog.TEST", "email_verified": False},
    )
    assert not found.email_verified
    wait_for_link(client, found)
    response = password_login(client, cast.teamlid, follow=True)
    assert response.redirect_chain[0][1] == 302
    assert client.session["_auth_user_id"] == str(cast.teamlid.pk)
    assert "Je account bij Entree Federatie is gekoppeld" in response.content.decode()
    assert SocialAccount.objects.get(uid="eigen-sub").user == cast.teamlid
    assert sso.PENDING not in client.session and sso.LIFTED not in client.session
    assert AuditEvent.objects.filter(action="account.logged_in", data__method="password").count() == 1
    # From now on the requirement holds: the password alone is refused again.
    client.post(reverse("accounts:logout"))
    assert password_login(client, cast.teamlid).status_code == 200 and "_auth_user_id" not in client.session


def test_a_refused_link_undoes_the_login_it_let_through(cast, entree, client):
    """The link fails at the login itself (here: linked elsewhere by a parallel request in between): nobody stays
    logged in, a Dutch message, audited."""
    from unittest import mock

    require_sso(cast.school, code=False)
    wait_for_link(client, identity(email_verified=False))
    with mock.patch.object(sso, "do_link_identity", side_effect=sso.SSORefused("linked_elsewhere", identity())):
        response = password_login(client, cast.teamlid)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "kon niet aan dit Groeiwijzer-account worden gekoppeld" in page and "ook niet ingelogd" in page
    assert not SocialAccount.objects.exists()
    assert not AuditEvent.objects.filter(action="account.logged_in").exists()
    refused = AuditEvent.objects.get(action="account.login_refused")
    assert refused.data == {"method": "sso_link", "pending": "linked_elsewhere"}
    assert AuditEvent.objects.filter(action="account.sso_refused", data__reason="linked_elsewhere").exists()


def test_a_code_sent_while_the_identity_waited_does_not_log_in_after_it_expired(cast, entree, client):
    require_sso(cast.school, code=False)
    wait_for_link(client, identity(email_verified=False))
    client.post(reverse("accounts:code_request"), {"email": cast.teamlid.email})
    assert LoginCode.objects.filter(user=cast.teamlid).exists()  # the waiting identity let the code be sent
    session = client.session
    session[sso.PENDING] = {**session[sso.PENDING], "at": int(time.time()) - sso.PENDING_SECONDS - 1}
    session.save()
    _login_code, code = LoginCode.issue(cast.teamlid)
    response = client.post(reverse("accounts:code_verify"), {"code": code}, follow=True)
    assert "_auth_user_id" not in client.session
    assert "niet met een code per e-mail" in response.content.decode()
    assert not SocialAccount.objects.exists()
    assert AuditEvent.objects.filter(action="account.login_refused", data__method="code").exists()


def test_a_login_over_another_persons_session_still_needs_the_link(cast, entree, client):
    """Logging in over someone else's session empties it (Django's login): the identity that lifted the requirement
    is kept for the link all the same."""
    require_sso(cast.school, code=False)
    client.force_login(cast.outsider)
    wait_for_link(client, identity(email_verified=False))
    response = password_login(client, cast.teamlid)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(cast.teamlid.pk)
    assert SocialAccount.objects.get(uid="sub-123").user == cast.teamlid


def test_without_a_requirement_another_address_is_not_linked_but_the_login_stands(cast, entree, client):
    """A shared computer: someone's school account waiting in the browser never ends up on the next person's
    account; the next person's own login is not affected."""
    wait_for_link(client, identity(**ATTACKER))
    response = password_login(client, cast.teamlid, follow=True)
    assert client.session["_auth_user_id"] == str(cast.teamlid.pk)
    assert "heeft een ander e-mailadres dan dit Groeiwijzer-account" in response.content.decode()
    assert not SocialAccount.objects.exists() and sso.PENDING not in client.session
    assert AuditEvent.objects.filter(action="account.sso_refused", data__reason="mismatch").exists()


def test_with_an_app_the_refused_link_undoes_the_login_after_the_code(cast, entree, client):
    """Someone with an authenticator app: the password the waiting identity let through leads to the app's code; the
    link (and so the login) is decided after it. Linked elsewhere in between: logged out after the code."""
    require_sso(cast.school, code=False)
    device = make_device(cast.teamlid)
    wait_for_link(client, identity(email_verified=False))
    response = password_login(client, cast.teamlid)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(cast.teamlid.pk)
    assert client.session[sso.LIFTED] == cast.teamlid.pk and not SocialAccount.objects.exists()
    link(cast.kartrekker, "sub-123")
    response = client.post(reverse("accounts:twofactor_verify"), {"code": code_for(device)}, follow=True)
    assert response.redirect_chain[0] == (reverse("accounts:login"), 302)
    assert "_auth_user_id" not in client.session
    assert "kon niet aan dit Groeiwijzer-account worden gekoppeld" in response.content.decode()
    assert SocialAccount.objects.get(uid="sub-123").user == cast.kartrekker
    refused = AuditEvent.objects.get(action="account.login_refused")
    assert refused.data == {"method": "sso_link", "pending": "linked_elsewhere"}


def test_with_an_app_an_identity_that_expires_before_the_code_undoes_the_login(cast, entree, client):
    require_sso(cast.school, code=False)
    device = make_device(cast.teamlid)
    wait_for_link(client, identity(email_verified=False))
    password_login(client, cast.teamlid)
    session = client.session
    session[sso.PENDING] = {**session[sso.PENDING], "at": int(time.time()) - sso.PENDING_SECONDS - 1}
    session.save()
    client.post(reverse("accounts:twofactor_verify"), {"code": code_for(device)})
    assert "_auth_user_id" not in client.session and not SocialAccount.objects.exists()
    assert AuditEvent.objects.filter(action="account.sso_refused", data__reason="expired").exists()


def test_with_an_app_a_linked_member_is_refused_before_the_code(cast, entree, client):
    require_sso(cast.school, code=False)
    make_device(cast.teamlid)
    link(cast.teamlid, "eigen-sub")
    wait_for_link(client, identity(**ATTACKER))
    assert password_login(client, cast.teamlid).status_code == 200
    assert "_auth_user_id" not in client.session


def test_with_an_app_the_own_identity_links_after_the_code(cast, entree, client):
    require_sso(cast.school, code=False)
    device = make_device(cast.teamlid)
    wait_for_link(client, identity(email_verified=False))
    password_login(client, cast.teamlid)
    response = client.post(reverse("accounts:twofactor_verify"), {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"] != reverse("accounts:login")
    assert client.session["_auth_user_id"] == str(cast.teamlid.pk)
    assert SocialAccount.objects.get(uid="sub-123").user == cast.teamlid
    assert sso.LIFTED not in client.session
