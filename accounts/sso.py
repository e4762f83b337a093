"""Single sign-on with a school account (OpenID Connect: Entree Federatie, SURFconext, Microsoft Entra ID).

django-allauth speaks the protocol (discovery, state, PKCE, the code for tokens, the ID token's issuer, audience and
expiry); what happens with the identity it returns is decided here, and the login itself is ours (the same session,
audit row and second step as the password and e-mail code logins). allauth's own account pages are not used.

The rules (``resolve``):
- A person is their (issuer, ``sub``): the provider id stands for one issuer (accounts/sso_settings.py), the ID
  token's ``iss`` must be that issuer, and a linked identity keeps the issuer it was linked with (``extra_data["iss"]``,
  kept when allauth overwrites the claims, ``keep_linked_issuer``); a link made under another issuer is refused
  (``wrong_issuer``). An e-mail claim alone never logs anyone in.
- An identity already linked logs in its user. When someone else is logged in on this browser, it is refused.
- A first login links the identity to the account with the same address (case-insensitive), or accepts the open
  invitations for that address (organisations registers the handler), only when the provider vouches for the
  address (``email_verified`` true). A verified address without account or invitation: no account is made.
- Otherwise the identity waits in the session (``PENDING``, 30 minutes) and the page explains: log in once with the
  e-mail code, the password or the invitation link; that login links it (``link_pending_on_login``, on Django's
  user_logged_in; for someone with an authenticator app only after the app's code), but only to the account with
  the same address (case-insensitive, the provider's address even though it did not vouch for it). A waiting
  identity with another address, or none, is not linked (``mismatch``; the login itself stands): on a shared
  computer someone else's waiting school account must never end up on the next person's account. An address that
  differs is linked by logging in first and then pressing the provider's button (next rule).
- Someone already logged in who starts a login with a provider links that identity to their own account.

Which logins a person's school allows (a school or board may require single sign-on and switch off the e-mail
code) is decided in organisations (it registers ``register_login_policy``); platform admins are exempt. Where single
sign-on is required, the password (and, with the code switched off, the e-mail code) is refused, with one exception,
the first link: a waiting identity lifts the requirement for one login of ``user`` only when it can rightly become
their school account (``lift_refusal``):
- the user has no school account linked yet, of any provider (a linked one logs in by itself; for them a password or
  a switched-off code is never enough, whatever waits in the session);
- the waiting identity's address equals the user's (case-insensitive; unverified is enough here: the password or
  code proves the account, the address ties the identity to it);
- it is not linked to someone else (nor under another issuer).
Such a login stands only if the link is made: a refused link (``mismatch``, ``other_identity``, ``linked_elsewhere``,
the identity ``expired`` in the meantime) logs the person out again with a Dutch message (``LIFTED``; for someone
with an authenticator app after the app's code, the second step's views). Every refusal is audited.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers.base.constants import AuthError
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.models import record
from core.errors import ServiceError
from core.urls_safe import safe_local_path

from . import twofactor
from .sso_settings import normalise_issuer

BACKEND = "accounts.backends.EmailBackend"
PENDING = "sso_pending"  # the identity that waits for a login of ours to be linked
PENDING_SECONDS = 30 * 60
SESSION_PROVIDER = "sso_provider"  # the provider id of this session's login, for the logout offer
LOGOUT_OFFER = "sso_logout_offer"  # after the logout: {"name", "url"} of the provider's own logout
LIFTED = "sso_lifted"  # the user pk whose requirement a waiting identity lifted: that login stands only with the link
LIFT_ATTR = "_sso_lift"  # on the request, from the check to the login: (user pk, the waiting identity's session data)
DISCOVERY_CACHE_SECONDS = 3600


# Configured providers -----------------------------------------------------------------------------------------


def configured_apps() -> list[dict]:
    """The openid_connect apps of SOCIALACCOUNT_PROVIDERS (settings from the environment; tests set their own)."""
    providers = getattr(settings, "SOCIALACCOUNT_PROVIDERS", {}) or {}
    return list((providers.get("openid_connect") or {}).get("APPS") or [])


def app_for(provider_id: str) -> dict | None:
    return next((app for app in configured_apps() if app.get("provider_id") == provider_id), None)


def provider_name(provider_id: str) -> str:
    app = app_for(provider_id)
    return str(app.get("name") or provider_id) if app else provider_id


def configured_issuer(provider_id: str) -> str:
    app = app_for(provider_id)
    return normalise_issuer(str((app or {}).get("settings", {}).get("server_url", "")))


def verified_email_claim(provider_id: str) -> str:
    """The claim by which this provider vouches for the e-mail address (accounts/sso_settings.py: email_verified by
    default, xms_edov for Entra ID); "" when it vouches for none."""
    app_settings = (app_for(provider_id) or {}).get("settings", {})
    return str(app_settings.get("verified_email_claim", "email_verified") or "")


# The identity and the rules -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    provider_id: str
    issuer: str
    uid: str  # the ``sub``
    email: str  # lower-case, "" when the provider sent none
    email_verified: bool
    name: str

    @property
    def provider_name(self) -> str:
        return provider_name(self.provider_id)

    def as_session(self) -> dict:
        return {
            "provider": self.provider_id,
            "issuer": self.issuer,
            "uid": self.uid,
            "email": self.email,
            "verified": self.email_verified,
            "name": self.name,
            "at": int(time.time()),
        }

    @classmethod
    def from_session(cls, data) -> Identity | None:
        if not isinstance(data, dict) or not isinstance(data.get("at"), int):
            return None
        if time.time() - data["at"] > PENDING_SECONDS:
            return None
        try:
            return cls(
                provider_id=str(data["provider"]),
                issuer=str(data["issuer"]),
                uid=str(data["uid"]),
                email=str(data.get("email") or ""),
                email_verified=bool(data.get("verified")),
                name=str(data.get("name") or ""),
            )
        except KeyError:
            return None


class SSORefused(Exception):
    """No login (or no link) for this identity; ``reason`` is a code for the audit row, the page says why in Dutch."""

    def __init__(self, reason: str, identity: Identity | None = None, provider_id: str = "", email: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.identity = identity
        self.provider_id = provider_id or (identity.provider_id if identity else "")
        self.email = email


def is_true(value) -> bool:
    """A claim that says yes: true, or the text "true" some providers send."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def identity_from_claims(*, provider_id: str, id_token: dict, userinfo: dict | None = None) -> Identity:
    """The identity from the ID token's claims (and the userinfo's, which the provider sends over the same TLS
    connection; the ID token wins). Refused when there is no ID token, its ``sub`` differs from the userinfo's, or
    its ``iss`` is not the configured issuer."""
    userinfo = userinfo or {}
    if not id_token or not id_token.get("sub"):
        raise SSORefused("invalid_token", provider_id=provider_id)
    if userinfo and str(userinfo.get("sub", "")) != str(id_token["sub"]):
        raise SSORefused("invalid_token", provider_id=provider_id)
    issuer = normalise_issuer(str(id_token.get("iss", "")))
    if not issuer or issuer != configured_issuer(provider_id):
        raise SSORefused("wrong_issuer", provider_id=provider_id)
    claims = {**userinfo, **id_token}
    email = str(claims.get("email") or "").strip().lower()
    verified_claim = verified_email_claim(provider_id)
    name = str(claims.get("name") or " ".join(str(claims.get(k) or "") for k in ("given_name", "family_name")))
    return Identity(
        provider_id=provider_id,
        issuer=issuer,
        uid=str(id_token["sub"]),
        email=email,
        email_verified=bool(email and verified_claim) and is_true(claims.get(verified_claim)),
        name=name.strip()[:150],
    )


@dataclass(frozen=True)
class Decision:
    """What a returning identity leads to: "login" (a linked user), "link" (link to ``user``, then log in, or for a
    logged-in person stay), "invitation" (accept the open invitations for the verified address) or "pending"."""

    kind: str
    user: object = None


def stored_issuer(extra_data) -> str:
    """The issuer a linked identity was linked with: ``extra_data["iss"]`` (or, for a row allauth overwrote with the
    claims before ``keep_linked_issuer`` existed, the ID token's ``iss`` in them); "" when unknown."""
    data = extra_data if isinstance(extra_data, dict) else {}
    token = data.get("id_token")
    token_issuer = token.get("iss") if isinstance(token, dict) else None
    return normalise_issuer(str(data.get("iss") or token_issuer or ""))


def linked_user(identity: Identity):
    """The user this (issuer, sub) is linked to, or None; SSORefused("wrong_issuer") when the provider id's ``sub`` is
    linked under another issuer (the provider's issuer was changed: the same ``sub`` may be someone else)."""
    account = SocialAccount.objects.filter(provider=identity.provider_id, uid=identity.uid).select_related("user")
    found = account.first()
    if found is None:
        return None
    if stored_issuer(found.extra_data) != identity.issuer:
        raise SSORefused("wrong_issuer", identity)
    return found.user


def keep_linked_issuer(sender, instance, raw=False, **kwargs) -> None:
    """pre_save of SocialAccount: allauth's login (SocialLogin.lookup) overwrites a linked identity's extra_data with
    the new login's claims before the adapter sees them; the issuer it was linked with stays beside them, so
    ``linked_user`` compares the stored issuer and not the one that just arrived. The claims go again right after
    (``do_sso_login`` keeps only issuer and sub; a refusal too, ``forget_claims``)."""
    if raw or instance.pk is None:
        return
    data = instance.extra_data if isinstance(instance.extra_data, dict) else {}
    if "iss" in data:
        return
    stored = SocialAccount.objects.filter(pk=instance.pk).values_list("extra_data", flat=True).first()
    instance.extra_data = {**data, "iss": stored_issuer(stored)}


def forget_claims(account) -> None:
    """After a refused login with a linked identity: keep only the stored issuer and sub, as a login does."""
    if account is not None and account.pk is not None:
        SocialAccount.objects.filter(pk=account.pk).update(
            extra_data={"iss": stored_issuer(account.extra_data), "sub": account.uid}
        )


def has_linked_identity(user) -> bool:
    """The user has linked a school account (of any provider)."""
    return SocialAccount.objects.filter(user=user).exists()


def has_other_identity(user, identity: Identity) -> bool:
    """The user already has another identity of this provider linked (one per provider and person)."""
    return SocialAccount.objects.filter(user=user, provider=identity.provider_id).exclude(uid=identity.uid).exists()


def resolve(identity: Identity, *, current_user=None) -> Decision:
    """The rules of the module docstring; raises SSORefused."""
    current = current_user if current_user is not None and current_user.is_authenticated else None
    user = linked_user(identity)
    if user is not None:
        if current is not None and current.pk != user.pk:
            raise SSORefused("linked_elsewhere", identity)
        if not user.is_active:
            raise SSORefused("inactive", identity)
        return Decision("login", user)
    if current is not None:
        if has_other_identity(current, identity):
            raise SSORefused("other_identity", identity)
        return Decision("link", current)
    if not identity.email_verified:
        return Decision("pending")
    user = get_user_model().objects.filter(email__iexact=identity.email).first()
    if user is not None:
        if not user.is_active:
            raise SSORefused("inactive", identity)
        if has_other_identity(user, identity):
            raise SSORefused("other_identity", identity)
        return Decision("link", user)
    if has_open_invitation(identity.email):
        return Decision("invitation")
    raise SSORefused("no_account", identity, email=identity.email)


# Hooks the organisations app registers (accounts may not import it) ----------------------------------------------


@dataclass(frozen=True)
class LoginPolicy:
    """Which of our own logins a person may use: ``sso_required`` (no password), ``code_allowed`` (the e-mail code)."""

    sso_required: bool = False
    code_allowed: bool = True


_policies: list[Callable] = []
_invitation_handlers: list[tuple[Callable, Callable]] = []


def register_login_policy(policy: Callable) -> None:
    """``policy(user) -> LoginPolicy``; the strictest of all registered policies counts."""
    if policy not in _policies:
        _policies.append(policy)


def register_invitation_handler(*, has_open: Callable, accept: Callable) -> None:
    """``has_open(email) -> bool``; ``accept(email=, name=) -> (user, redirect path or "")``, atomic and audited, the
    user made when there is none (no password)."""
    if (has_open, accept) not in _invitation_handlers:
        _invitation_handlers.append((has_open, accept))


def login_policy(user) -> LoginPolicy:
    if user is None or not user.is_authenticated or user.is_staff:
        return LoginPolicy()  # platform admins are exempt
    required, code = False, True
    for policy in _policies:
        found = policy(user)
        required = required or found.sso_required
        code = code and found.code_allowed
    return LoginPolicy(sso_required=required, code_allowed=code or not required)


def has_open_invitation(email: str) -> bool:
    return any(has_open(email) for has_open, _accept in _invitation_handlers)


def accept_invitations(*, email: str, name: str):
    for has_open, accept in _invitation_handlers:
        if has_open(email):
            try:
                return accept(email=email, name=name)
            except ServiceError:  # the invitation was used or revoked a moment ago
                break
    raise SSORefused("no_account", email=email)


# Logging in and linking -----------------------------------------------------------------------------------------


def _minimal_extra_data(identity: Identity) -> dict:
    """What is kept of the identity: its issuer and subject, nothing else of the claims (data minimisation)."""
    return {"iss": identity.issuer, "sub": identity.uid}


def do_link_identity(*, user, identity: Identity, acting_user) -> SocialAccount:
    """Link the identity to ``user`` (audited). Refused when it is linked to someone else meanwhile, or the user has
    another identity of this provider."""
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        other = linked_user(identity)
        if other is not None and other.pk != user.pk:
            raise SSORefused("linked_elsewhere", identity)
        if other is not None:
            return SocialAccount.objects.get(provider=identity.provider_id, uid=identity.uid)
        if has_other_identity(user, identity):
            raise SSORefused("other_identity", identity)
        try:
            with transaction.atomic():
                account = SocialAccount.objects.create(
                    user=user, provider=identity.provider_id, uid=identity.uid, extra_data=_minimal_extra_data(identity)
                )
        except IntegrityError:  # linked at the same moment by another request
            raise SSORefused("linked_elsewhere", identity) from None
        record(
            action="account.sso_linked",
            acting_user=acting_user,
            target=user,
            data={"provider": identity.provider_id},
        )
    return account


@transaction.atomic
def do_unlink_identity(*, user, provider_id: str, acting_user) -> bool:
    """Remove the link of one's school account of this provider (Mijn gegevens); audited. Returns whether there was
    one. Logging in with it again links it again by the same rules as a first login."""
    deleted, _rows = SocialAccount.objects.filter(user=user, provider=provider_id).delete()
    if deleted:
        record(action="account.sso_unlinked", acting_user=acting_user, target=user, data={"provider": provider_id})
    return bool(deleted)


def linked_accounts(user) -> list[dict]:
    """One's linked school accounts for Mijn gegevens: provider id, name, since when."""
    return [
        {"provider_id": a.provider, "name": provider_name(a.provider), "since": a.date_joined}
        for a in SocialAccount.objects.filter(user=user).order_by("provider")
    ]


def _log_in(request, user, identity: Identity) -> None:
    """Our login (the second step follows when the person has an authenticator app), audited."""
    request.session.pop(PENDING, None)  # nothing left to link by this login
    login(request, user, backend=BACKEND)  # starts the session clock (accounts.services.start_session_clock)
    request.session[SESSION_PROVIDER] = identity.provider_id
    record(
        action="account.logged_in",
        acting_user=user,
        target=user,
        data={"method": "sso", "provider": identity.provider_id},
    )


def do_sso_login(*, request, identity: Identity) -> tuple[str, object, str]:
    """Act on ``resolve``: returns ("login", user, path), ("linked", user, "") for a logged-in person, or
    ("pending", None, ""); ``path`` is the school of an accepted invitation, else "". Raises SSORefused (audited by
    the caller)."""
    current = request.user if request.user.is_authenticated else None
    decision = resolve(identity, current_user=current)
    path = ""
    if decision.kind == "pending":
        request.session[PENDING] = identity.as_session()
        record(action="account.sso_pending", data={"provider": identity.provider_id})
        return "pending", None, ""
    with transaction.atomic():
        if decision.kind == "invitation":
            user, path = accept_invitations(email=identity.email, name=identity.name)
            do_link_identity(user=user, identity=identity, acting_user=user)
        else:
            user = decision.user
            if decision.kind == "link":
                do_link_identity(user=user, identity=identity, acting_user=user)
            else:
                SocialAccount.objects.filter(provider=identity.provider_id, uid=identity.uid).update(
                    extra_data=_minimal_extra_data(identity)  # allauth stored every claim; keep only these
                )
        if current is not None:
            return "linked", user, ""
        _log_in(request, user, identity)
    return "login", user, path


def record_refusal(refusal: SSORefused) -> None:
    record(action="account.sso_refused", data={"provider": refusal.provider_id, "reason": refusal.reason})


def link_pending_on_login(sender, request=None, user=None, **kwargs) -> None:
    """Django's user_logged_in: a login of ours (password, e-mail code, invitation) in the session that holds a
    waiting identity links it to the person who just proved their account: at once when that login is the whole
    proof, after the second step (link_pending, from the second step's views) for someone with an authenticator
    app or who must set one up. A first factor alone never makes a link.

    A login the waiting identity let through (``LIFT_ATTR``, set by the checks below) is marked ``LIFTED`` in the
    session, with that identity put back (a login that replaces another person's session empties it): it stands only
    if the link is made."""
    session = getattr(request, "session", None)
    if session is None or user is None:
        return
    session.pop(LIFTED, None)  # every login starts without it
    lift = getattr(request, LIFT_ATTR, None)
    if lift is not None:
        delattr(request, LIFT_ATTR)
        if lift[0] == user.pk:
            session[PENDING] = lift[1]
            session[LIFTED] = user.pk
    if twofactor.has_second_factor(user) or twofactor.required_for(user):
        return  # the identity keeps waiting in the session (its 30 minutes) for the second step
    link_pending(request, user)


def link_pending(request, user) -> bool:
    """Link the session's waiting identity, if any, to ``user``, who has just proved the account in full; only when
    its address is the user's (the module docstring). Returns False when this login was let through by that
    identity (``LIFTED``) and the link is refused: the person is logged out again (audited, a Dutch message)."""
    lifted = request.session.pop(LIFTED, None) == user.pk
    data = request.session.pop(PENDING, None)
    identity = Identity.from_session(data)
    try:
        if identity is None:
            if not lifted:
                return True
            provider_id = str(data.get("provider") or "") if isinstance(data, dict) else ""
            raise SSORefused("expired", provider_id=provider_id)
        if not identity.email or identity.email != (user.email or "").strip().lower():
            raise SSORefused("mismatch", identity)
        if lifted and has_linked_identity(user):
            raise SSORefused("other_identity", identity)  # linked meanwhile: the requirement holds again
        do_link_identity(user=user, identity=identity, acting_user=user)
    except SSORefused as refusal:
        record_refusal(refusal)
        if lifted:
            _undo_lifted_login(request, user, refusal)
            return False
        messages.error(request, refusal_message(refusal), fail_silently=True)
        return True
    messages.success(
        request,
        _("Je account bij %(provider)s is gekoppeld. Voortaan kun je daarmee inloggen.")
        % {"provider": identity.provider_name},
        fail_silently=True,
    )
    return True


def _undo_lifted_login(request, user, refusal: SSORefused) -> None:
    """The login a waiting identity let through, whose link was refused: logged out again, audited, a Dutch page."""
    record(
        action="account.login_refused",
        acting_user=None,
        target=user,
        data={"method": "sso_link", "pending": refusal.reason},
    )
    logout(request)
    name = provider_name(refusal.provider_id) if refusal.provider_id else _("de inlogdienst")
    messages.error(
        request,
        _(
            "Je account bij %(provider)s kon niet aan dit Groeiwijzer-account worden gekoppeld. Je school vraagt om "
            "in te loggen met je schoolaccount, dus je bent ook niet ingelogd. Log in met het schoolaccount dat bij "
            "dit Groeiwijzer-account hoort, of vraag je schoolleiding om hulp."
        )
        % {"provider": name},
        fail_silently=True,
    )


def pending_identity(request) -> Identity | None:
    session = getattr(request, "session", None)
    return Identity.from_session(session.get(PENDING)) if session is not None else None


# What our own login pages allow ------------------------------------------------------------------------------------


def lift_refusal(user, identity: Identity | None) -> str:
    """Why the waiting identity may not lift the single sign-on requirement for ``user`` (the module docstring):
    "none" (nothing waits), "already_linked", "mismatch", "linked_elsewhere", "wrong_issuer"; "" when it may."""
    if identity is None:
        return "none"
    if has_linked_identity(user):
        return "already_linked"
    if not identity.email or identity.email != (user.email or "").strip().lower():
        return "mismatch"
    try:
        other = linked_user(identity)
    except SSORefused as refusal:
        return refusal.reason
    return "linked_elsewhere" if other is not None else ""


def _lift(request, user) -> str:
    """``lift_refusal`` for the session's waiting identity; when it may lift the requirement, the request remembers it
    for the login that follows (``link_pending_on_login``)."""
    reason = lift_refusal(user, pending_identity(request))
    if not reason:
        setattr(request, LIFT_ATTR, (user.pk, dict(request.session[PENDING])))
    return reason


def _record_login_refused(user, method: str, reason: str) -> None:
    data = {"method": method}
    if reason != "none":
        data["pending"] = reason  # an identity waited but could not lift the requirement
    record(action="account.login_refused", acting_user=None, target=user, data=data)


def password_login_refusal(request, user) -> str | None:
    """The message when the person's school requires single sign-on (no password), else None. A waiting identity
    that may become their first school account lets the password through, for a login that stands only with the
    link (the module docstring)."""
    if not login_policy(user).sso_required:
        return None
    reason = _lift(request, user)
    if not reason:
        return None
    _record_login_refused(user, "password", reason)
    if login_policy(user).code_allowed:
        return _(
            "Je school heeft ingesteld dat je inlogt met je schoolaccount, niet met een wachtwoord. Gebruik de knop "
            "van je schoolaccount bij 'Inloggen met je schoolaccount', of log in met een code per e-mail."
        )
    return _(
        "Je school heeft ingesteld dat je inlogt met je schoolaccount, niet met een wachtwoord. Gebruik de knop van "
        "je schoolaccount bij 'Inloggen met je schoolaccount'."
    )


def code_login_refused(*, email: str, request) -> bool:
    """True when the address belongs to someone whose school switched the e-mail code off (and no waiting identity
    may lift that, ``lift_refusal``): no code is sent, but a mail that says how to log in, so the page answers the
    same for every address. The code's own login is checked again (``code_login_refusal``)."""
    user = get_user_model().objects.filter(email=email.strip().lower(), is_active=True).first()
    if user is None or login_policy(user).code_allowed:
        return False
    reason = lift_refusal(user, pending_identity(request))
    if not reason:
        return False
    from django.template.loader import render_to_string

    from core.mail import in_language, queue_mail

    with in_language(user.language):  # in the person's own language, like every mail
        subject = _("Inloggen bij Groeiwijzer TSO")
        body = render_to_string("accounts/email/code_refused.txt", {"user": user, "providers": configured_apps()})
    with transaction.atomic():
        queue_mail(subject=subject, body=body, to=user.email)
        _record_login_refused(user, "code", reason)
    return True


def code_login_refusal(request, user) -> str | None:
    """At the login with a correct e-mail code: the message when the code is switched off for this person and no
    waiting identity may lift that (it may have expired, or the setting changed, since the code was sent), else
    None; a lifting identity is remembered for the login, which stands only with the link."""
    if login_policy(user).code_allowed:
        return None
    reason = _lift(request, user)
    if not reason:
        return None
    _record_login_refused(user, "code", reason)
    return _(
        "Je school heeft ingesteld dat je inlogt met je schoolaccount, niet met een code per e-mail. Gebruik de knop "
        "van je schoolaccount bij 'Inloggen met je schoolaccount'."
    )


# Logging out at the provider too ------------------------------------------------------------------------------


def discovery(provider_id: str) -> dict:
    """The provider's discovery document (cached an hour); {} when it cannot be read."""
    issuer = configured_issuer(provider_id)
    if not issuer:
        return {}
    key = "accounts.sso.discovery." + hashlib.sha256(issuer.encode()).hexdigest()
    found = cache.get(key)
    if isinstance(found, dict):
        return found
    import requests

    try:
        response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=5)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError):
        return {}
    if not isinstance(document, dict):
        return {}
    cache.set(key, document, DISCOVERY_CACHE_SECONDS)
    return document


def logout_offer(request) -> dict | None:
    """Before logging out: the provider's own logout (RP-initiated logout) when this session logged in with it and
    the provider's discovery names an end_session_endpoint."""
    provider_id = request.session.get(SESSION_PROVIDER) if hasattr(request, "session") else None
    app = app_for(str(provider_id)) if provider_id else None
    if app is None:
        return None
    endpoint = discovery(app["provider_id"]).get("end_session_endpoint")
    if not isinstance(endpoint, str) or not endpoint.startswith(("https://", "http://")):
        return None
    params = {
        "client_id": app["client_id"],
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("accounts:login")),
    }
    separator = "&" if "?" in endpoint else "?"
    return {"name": str(app.get("name") or app["provider_id"]), "url": f"{endpoint}{separator}{urlencode(params)}"}


def remember_logout_offer(request, offer: dict | None) -> None:
    """After logging out (a fresh session): the login page shows the offer once."""
    if offer:
        request.session[LOGOUT_OFFER] = offer


# The pages -------------------------------------------------------------------------------------------------------


def refusal_message(refusal: SSORefused) -> str:
    name = provider_name(refusal.provider_id) if refusal.provider_id else _("de inlogdienst")
    messages_by_reason = {
        "linked_elsewhere": _(
            "Je account bij %(provider)s is al gekoppeld aan een ander Groeiwijzer-account. Je bent daarom niet "
            "ingelogd met %(provider)s. Log uit en log in met het account waaraan het gekoppeld is, of vraag je "
            "schoolleiding om hulp."
        ),
        "other_identity": _(
            "Aan dit Groeiwijzer-account is al een ander account bij %(provider)s gekoppeld. Log in met dat "
            "account, of met een code per e-mail."
        ),
        "mismatch": _(
            "Je account bij %(provider)s heeft een ander e-mailadres dan dit Groeiwijzer-account. Daarom is het niet "
            "gekoppeld. Wil je het toch koppelen? Kies dan bij Mijn gegevens 'Koppelen met %(provider)s'."
        ),
        "inactive": _("Dit Groeiwijzer-account is uitgeschakeld. Vraag je schoolleiding om hulp."),
        "no_account": _(
            "Er is geen Groeiwijzer-account voor dit e-mailadres, en er is ook geen uitnodiging voor. Groeiwijzer "
            "maakt bij het inloggen geen accounts aan: vraag je schoolleiding om je uit te nodigen."
        ),
        "wrong_issuer": _(
            "Het antwoord kwam niet van de inlogdienst die voor %(provider)s is ingesteld. Je bent niet ingelogd. "
            "Probeer het later opnieuw of log in met een code per e-mail."
        ),
        "expired": _(
            "Het bewijs van %(provider)s dat je bent ingelogd, was al verlopen. Je bent niet ingelogd. Probeer het "
            "opnieuw."
        ),
        "invalid_token": _(
            "Het bewijs van %(provider)s dat je bent ingelogd, klopt niet. Je bent niet ingelogd. Probeer het "
            "opnieuw of log in met een code per e-mail."
        ),
        "state": _(
            "Deze inlogpoging is al gebruikt of verlopen. Je bent niet ingelogd. Begin opnieuw op de inlogpagina."
        ),
        "cancelled": _("Je hebt het inloggen bij %(provider)s afgebroken. Je bent niet ingelogd."),
        "discovery": _(
            "Groeiwijzer vindt de inlogdienst van %(provider)s niet op het ingestelde adres. Je bent niet "
            "ingelogd. Meld dit aan de beheerder van Groeiwijzer en log intussen in met een code per e-mail."
        ),
        "unreachable": _(
            "%(provider)s is nu niet bereikbaar. Je bent niet ingelogd. Probeer het later opnieuw of log in met een "
            "code per e-mail."
        ),
    }
    message = messages_by_reason.get(
        refusal.reason,
        _(
            "Inloggen met %(provider)s is niet gelukt. Je bent niet ingelogd. Probeer het opnieuw of log in met "
            "een code."
        ),
    )
    return message % {"provider": name}


REFUSAL_STATUS = {"linked_elsewhere": 403, "other_identity": 403, "inactive": 403, "no_account": 403}


def refused_response(request, refusal: SSORefused):
    return render(
        request,
        "accounts/sso_message.html",
        {
            "title": _("Inloggen is niet gelukt"),
            "message": refusal_message(refusal),
            "provider_name": provider_name(refusal.provider_id) if refusal.provider_id else "",
            "refused": True,
        },
        status=REFUSAL_STATUS.get(refusal.reason, 400),
    )


def pending_response(request, identity: Identity):
    return render(
        request,
        "accounts/sso_message.html",
        {"title": _("Nog één keer anders inloggen"), "pending": identity, "provider_name": identity.provider_name},
    )


def _next_path(sociallogin) -> str:
    state = getattr(sociallogin, "state", None) or {}
    return safe_local_path(state.get("next")) or reverse(settings.LOGIN_REDIRECT_URL)


def _refusal_from_error(provider_id: str, error, exception) -> SSORefused:
    """The reason of a failed callback, from allauth's error and the exception behind it."""
    import jwt
    import requests

    if error == AuthError.CANCELLED:
        return SSORefused("cancelled", provider_id=provider_id)
    if exception is None:
        return SSORefused("state", provider_id=provider_id)  # no (or a used) state: a replayed or stale callback
    cause = exception.__cause__
    if isinstance(cause, jwt.ExpiredSignatureError):
        return SSORefused("expired", provider_id=provider_id)
    if isinstance(cause, jwt.InvalidIssuerError):
        return SSORefused("wrong_issuer", provider_id=provider_id)
    if isinstance(cause, jwt.PyJWTError) or "token already used" in str(exception):
        return SSORefused("invalid_token", provider_id=provider_id)
    if isinstance(exception, requests.RequestException):
        return SSORefused("unreachable", provider_id=provider_id)
    return SSORefused("invalid_token", provider_id=provider_id)


# The adapters: allauth asks these ----------------------------------------------------------------------------


class AccountAdapter(DefaultAccountAdapter):
    """allauth's account pages are not used; nobody signs up through allauth."""

    def is_open_for_signup(self, request):
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Takes over right after allauth validated the provider's answer: every outcome is a response of ours."""

    def is_open_for_signup(self, request, sociallogin):
        return False  # strangers never get an account

    def pre_social_login(self, request, sociallogin):
        provider_id = sociallogin.account.provider
        data = sociallogin.account.extra_data or {}
        try:
            identity = identity_from_claims(
                provider_id=provider_id, id_token=data.get("id_token") or {}, userinfo=data.get("userinfo")
            )
            outcome, _user, path = do_sso_login(request=request, identity=identity)
        except SSORefused as refusal:
            if sociallogin.is_existing:
                forget_claims(sociallogin.account)  # allauth stored the claims of this refused login
            record_refusal(refusal)
            raise ImmediateHttpResponse(refused_response(request, refusal)) from None
        if outcome == "pending":
            raise ImmediateHttpResponse(pending_response(request, identity))
        from django.shortcuts import redirect

        if outcome == "linked":
            messages.success(
                request,
                _("Je account bij %(provider)s is gekoppeld. Voortaan kun je daarmee inloggen.")
                % {"provider": identity.provider_name},
            )
            raise ImmediateHttpResponse(redirect("accounts:account"))
        state = getattr(sociallogin, "state", None) or {}
        raise ImmediateHttpResponse(redirect(safe_local_path(state.get("next")) or path or _next_path(sociallogin)))

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        provider_id = getattr(provider, "sub_id", "") or ""
        refusal = _refusal_from_error(provider_id, error, exception)
        record_refusal(refusal)
        raise ImmediateHttpResponse(refused_response(request, refusal))
