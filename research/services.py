"""Writes for the benchmark setting and research consent. Views call these; each is atomic and audited."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent, record
from core.errors import ServiceError
from organisations.models import School

from .content import consent_text
from .models import ResearchConsent


def do_set_benchmark(*, school: School, on: bool, acting_user) -> bool:
    """Switch "vergelijken met andere scholen" on or off. Returns whether it changed (no row when it did not)."""
    with transaction.atomic():
        locked = School.objects.select_for_update().get(pk=school.pk)
        if locked.benchmark_opt_in == on:
            return False
        locked.benchmark_opt_in = on
        locked.save(update_fields=["benchmark_opt_in"])
        school.benchmark_opt_in = on
        if on:
            record(action="research.benchmark_on", acting_user=acting_user, school=school)
        else:
            record(action="research.benchmark_off", acting_user=acting_user, school=school)
    return True


def active_consent(school: School) -> ResearchConsent | None:
    return ResearchConsent.objects.filter(school=school, withdrawn_at__isnull=True).first()


def do_give_consent(*, school: School, text_version: str, acting_user) -> ResearchConsent:
    """Record consent to the current text. ``text_version`` is the version the person read: a text that changed
    meanwhile is refused, so nobody agrees to a text they did not see."""
    current = consent_text()
    if text_version != current.version:
        raise ServiceError(
            _("De toestemmingstekst is intussen gewijzigd. Lees de nieuwe tekst en geef opnieuw toestemming.")
        )
    with transaction.atomic():
        School.objects.select_for_update().filter(pk=school.pk).first()  # one at a time per school
        if active_consent(school) is not None:
            raise ServiceError(_("De school heeft al toestemming gegeven."))
        consent = ResearchConsent.objects.create(
            school=school, text_version=current.version, text=current.full_text, given_by=acting_user
        )
        record(
            action="research.consent_given",
            acting_user=acting_user,
            school=school,
            target=consent,
            data={"version": current.version},
        )
    return consent


def do_withdraw_consent(*, school: School, acting_user) -> ResearchConsent:
    """Withdraw the consent in force: the school is left out of every later export. The record stays."""
    with transaction.atomic():
        School.objects.select_for_update().filter(pk=school.pk).first()
        consent = active_consent(school)
        if consent is None:
            raise ServiceError(_("Er is geen toestemming om in te trekken."))
        consent.withdrawn_at = timezone.now()
        consent.withdrawn_by = acting_user
        consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
        record(
            action="research.consent_withdrawn",
            acting_user=acting_user,
            school=school,
            target=consent,
            data={"version": consent.text_version},
        )
    return consent


def do_record_research_export(*, acting_user, filename: str, school_ids: list[int], level: str) -> None:
    """One platform row for the export (who, which file, how many schools, the generalisation), and one row in the
    log of each school whose data is in it, so its schoolleiding sees when its data went into a data set. Two
    queries, whatever the number of schools."""
    with transaction.atomic():
        record(
            action="export.research",
            acting_user=acting_user,
            data={"file": filename, "format": "zip", "schools": len(school_ids), "generalisation": level},
        )
        now = timezone.now()
        AuditEvent.objects.bulk_create(
            AuditEvent(
                school_id=school_id,
                actor=acting_user,
                action="research.exported",
                data={"file": filename, "format": "zip"},
                created_at=now,
            )
            for school_id in school_ids
        )
