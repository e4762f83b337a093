import functools

from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

from core.prepared import PreparedQuery, instances

from . import services, throttle


@functools.cache
def _user_fields() -> list[str]:
    return [f.attname for f in get_user_model()._meta.concrete_fields]


@functools.cache
def _session_user() -> PreparedQuery:
    return PreparedQuery(
        lambda p: (
            get_user_model()
            ._default_manager.filter(pk=p.user)
            .annotate(
                has_confirmed_totp=Exists(
                    Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
                )
            )
            .values(*_user_fields(), "has_confirmed_totp")
        ),
        ints=("user",),
    )


class EmailBackend(ModelBackend):
    """Log in with email (case-insensitive) and password. Every password check is first counted by the throttle
    (per address, per client, overall); when a limit is reached no password is checked (accounts/throttle.py)."""

    def get_user(self, user_id):
        """The session's user, and in the same query whether they own an authenticator app (allauth.mfa's TOTP
        Authenticator): the second-factor middleware asks that on every request (accounts/twofactor.pending_step),
        so no page pays a query for it. The query is built once per process (core.prepared): every request of a
        logged-in person runs it."""
        User = get_user_model()
        try:
            rows = _session_user().rows(user=int(user_id))
        except (TypeError, ValueError):
            return None
        if not rows:
            return None
        row = rows[0]
        [user] = instances(User, [{f: row[f] for f in _user_fields()}])
        user.has_confirmed_totp = row["has_confirmed_totp"]
        return user if self.user_can_authenticate(user) else None

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        email = (email or username or "").strip().lower()
        if not email or password is None:
            return None
        client = throttle.client_address(request)
        full = throttle.reserve(email=email, client=client)
        if full is not None:
            if request is not None:
                request.login_throttled = full  # the login form says why
            return None  # no password is checked: guessing on stops here
        User = get_user_model()
        try:
            user = User.objects.get(email=email)
        except User.DoesNotExist:
            User().set_password(password)  # equalise timing
            user = None
        if user is not None and user.check_password(password) and self.user_can_authenticate(user):
            throttle.release(email=email, client=client)
            return user
        # Unknown addresses count too: the answer never tells them apart.
        services.do_record_login_failure(method="password", email=email, client=client)
        return None
