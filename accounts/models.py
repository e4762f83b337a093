"""Staff accounts: name and work email only (AVG: data minimisation)."""

import secrets
from datetime import timedelta
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email, name="", password=None, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), name=name, **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email, name="", password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, name=name, password=password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mailadres (werk)"), unique=True, max_length=254)
    name = models.CharField(_("naam"), max_length=150, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    is_staff = models.BooleanField(_("platformbeheerder"), default=False)
    date_joined = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    # The language of the pages and of the mail one gets (accounts/middleware.py UserLanguage; the mail services
    # render each message in it). Dutch unless the person chooses English.
    # db_default too: rows written by code that does not know the column yet (an older release, a migration test) get it
    language = models.CharField(_("taal"), max_length=8, choices=settings.LANGUAGES, default="nl", db_default="nl")

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["name", "email"]

    def __str__(self):
        return self.name or self.email

    @property
    def display_name(self) -> str:
        return self.name or self.email

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.display_name


def _code_hash(user_id, code: str) -> str:
    """A keyed hash (HMAC with SECRET_KEY) of a code and its user: six digits have only a million values, so a bare
    hash would be reversed by trying them all; without the secret key this one cannot be."""
    return salted_hmac("accounts.LoginCode", f"{user_id}:{code}", algorithm="sha256").hexdigest()


class LoginCode(models.Model):
    """A one-time login code sent by email. Only a keyed hash of it is stored. Issued, checked and used through
    accounts.services (the attempts are counted in the database before a code is compared)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self):
        return f"login code for {self.user_id} ({self.created_at:%Y-%m-%d %H:%M})"

    @classmethod
    def issue(cls, user) -> tuple["LoginCode", str]:
        code = f"{secrets.randbelow(10**6):06d}"
        now = timezone.now()
        obj = cls.objects.create(
            user=user,
            code_hash=_code_hash(user.pk, code),
            created_at=now,
            expires_at=now + timedelta(minutes=settings.LOGIN_CODE_VALID_MINUTES),
        )
        return obj, code

    @classmethod
    def recently_issued(cls, user) -> int:
        return cls.objects.filter(user=user, created_at__gte=timezone.now() - timedelta(hours=1)).count()

    def is_usable(self) -> bool:
        return (
            self.used_at is None
            and self.expires_at > timezone.now()
            and self.attempts < settings.LOGIN_CODE_MAX_ATTEMPTS
        )

    def matches(self, code: str) -> bool:
        return constant_time_compare(self.code_hash, _code_hash(self.user_id, code.strip()))


class LoginFailure(models.Model):
    """Password logins counted for the throttle (accounts.throttle): one row per key and window.

    A key is a keyed hash (HMAC with SECRET_KEY) of what is counted: an e-mail address, a client's network address,
    or everything together (the global ceiling). Neither address itself is stored. ``created_at`` is the start of
    the window; after the window the row counts from zero again and the daily purge removes it.
    """

    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    count = models.PositiveIntegerField(default=1)

    def __str__(self):
        return f"login failures: {self.count} since {self.created_at:%Y-%m-%d %H:%M}"


def calendar_feed_hash(token: str) -> str:
    """A keyed hash (HMAC with SECRET_KEY) of a calendar feed's token: the database alone never opens a feed."""
    return salted_hmac("accounts.CalendarFeed", token, algorithm="sha256").hexdigest()


class CalendarFeed(models.Model):
    """A personal calendar subscription (a secret URL for Outlook, Google or Apple Calendar). Only a keyed hash of
    the token is stored, so the URL is shown once, when it is made; making a new one revokes the old one. Issued,
    revoked and looked up through accounts.calendar_feeds; the feed itself is pages/calendar_feed.py."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("agenda-abonnement")
        verbose_name_plural = _("agenda-abonnementen")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(revoked_at__isnull=True), name="one_active_calendar_feed"
            )
        ]

    def __str__(self):
        return f"calendar feed of {self.user_id} ({self.created_at:%Y-%m-%d})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class SecondFactorThrottle(models.Model):
    """Wrong second-factor codes in a row, per person, counted in the database (accounts/twofactor.check_code).

    After ``failures`` wrong codes in a row the next code is checked only once SECOND_FACTOR_THROTTLE_SECONDS ×
    2^(failures-1) seconds have passed since ``last_failure_at``; a code that arrives earlier is refused unchecked (the
    right one too). The row is locked (select_for_update) while a code is checked, so guesses sent in parallel are
    counted one after the other, also across app servers. ``last_totp_step`` is the time step (30 s) of the last
    accepted app code: that code and older ones are refused (a code works once, whatever the cache)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="second_factor_throttle"
    )
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    last_totp_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("foute codes voor de tweede stap")
        verbose_name_plural = _("foute codes voor de tweede stap")

    def __str__(self):
        return f"second factor throttle of {self.user_id}"

    def wait_until(self):
        """When the next code will be checked (None: now)."""
        if not self.failures or self.last_failure_at is None:
            return None
        first = getattr(settings, "SECOND_FACTOR_THROTTLE_SECONDS", 1)
        seconds = min(first * 2 ** min(self.failures - 1, 30), 24 * 3600)  # never more than a day
        return self.last_failure_at + timedelta(seconds=seconds)
