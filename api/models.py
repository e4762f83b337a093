"""Per-board API tokens (issue 16): made and revoked by the board's beheerder (api/tokens.py), shown once; the
database keeps a keyed hash of the token (HMAC with SECRET_KEY, like accounts.CalendarFeed), so the database alone
opens nothing. A token reads its own board's data only (api/endpoints.py), until it is revoked or its last day
(``expires_on``) has passed."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


def api_token_hash(token: str) -> str:
    """A keyed hash (HMAC with SECRET_KEY) of an API token."""
    return salted_hmac("api.ApiToken", token, algorithm="sha256").hexdigest()


class ApiToken(models.Model):
    board = models.ForeignKey(
        "organisations.Board", on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("bestuur")
    )
    name = models.CharField(_("naam"), max_length=100, help_text=_("Waarvoor je de sleutel gebruikt."))
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)  # the first characters, so the beheerder recognises the token
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_on = models.DateField(_("geldig tot en met"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, today=None) -> bool:
        return self.expires_on is not None and self.expires_on < (today or timezone.localdate())

    def is_active(self, today=None) -> bool:
        return not self.is_revoked and not self.is_expired(today)
