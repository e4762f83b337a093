"""Consent for research (issue 13, part 4).

``ResearchConsent``: one row each time the schoolleiding gives consent: which version of the consent text
(``content/toestemming-*.json``) and that text itself, who gave it and when. Withdrawing fills ``withdrawn_at`` and
``withdrawn_by``; the row stays (what was agreed, and until when). At most one consent per school is in force
(a partial unique constraint); giving it again after a withdrawal makes a new row.

The benchmark's opt-in is a setting of the school itself (``organisations.School.benchmark_opt_in``).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ResearchConsent(models.Model):
    school = models.ForeignKey("organisations.School", on_delete=models.CASCADE, related_name="research_consents")
    text_version = models.CharField(_("versie van de tekst"), max_length=20)
    text = models.TextField(_("tekst waarmee is ingestemd"))
    given_at = models.DateTimeField(_("gegeven op"), default=timezone.now)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("gegeven door")
    )
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingetrokken door"),
    )

    class Meta:
        verbose_name = _("toestemming voor onderzoek")
        verbose_name_plural = _("toestemmingen voor onderzoek")
        ordering = ["-given_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school"], condition=models.Q(withdrawn_at__isnull=True), name="one_active_research_consent"
            ),
        ]

    def __str__(self):
        return f"{self.school} · {self.text_version} · {self.given_at:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class BenchmarkChange(models.Model):
    """One row per write that may move the benchmark's figures (research/signals.py): a round that closes, reopens
    or is changed or deleted while closed, a school saved (its opt-in, its onderwijstype) or deleted. The newest
    row's ``token`` is the version the cached figures are keyed by (research.benchmark.figures_version): reading it
    is one lookup on the primary key, whatever the number of schools. The token is random, so a database that
    starts again (a test, a restore) never meets figures cached for another one. Old rows are removed as new ones
    come (only the newest counts)."""

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("wijziging voor de vergelijking")
        verbose_name_plural = _("wijzigingen voor de vergelijking")

    def __str__(self):
        return self.token
