"""Staff accounts: name and work email only (AVG: data minimisation)."""

import hashlib
import secrets
from datetime import timedelta
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
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


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class LoginCode(models.Model):
    """A one-time login code sent by email. Only its hash is stored."""

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
            code_hash=_hash(code),
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
        return secrets.compare_digest(self.code_hash, _hash(code.strip()))


class LoginFailure(models.Model):
    """A failed password login, kept for the throttle (accounts.throttle) and no longer than its window.

    The address is not stored: only a keyed hash of it (HMAC with SECRET_KEY), enough to count attempts per
    address. No IP address either.
    """

    key = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"login failure ({self.created_at:%Y-%m-%d %H:%M})"
