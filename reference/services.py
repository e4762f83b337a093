"""Writes of the Naslag: only the school's pupil count (for the estimate). Atomic, audited, with a version."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import record
from core.errors import ServiceError
from core.versions import check_version
from organisations.models import School

from .estimate import MAX_PUPILS, MIN_PUPILS

PUPIL_COUNT_FIELDS = ("pupil_count",)  # compared on a conflict (core.editing.edit)


@transaction.atomic
def do_set_pupil_count(*, school: School, pupil_count: int, expected_version=None, acting_user) -> School:
    """Store the school's (approximate) pupil count and raise its ``version``.

    ``expected_version`` is the version the form was loaded with (core.versions.check_version); if someone saved the
    count since, ConflictError and nothing changes. None means no check (a script; the edit form always sends one).
    """
    if isinstance(pupil_count, bool) or not isinstance(pupil_count, int) or not MIN_PUPILS <= pupil_count <= MAX_PUPILS:
        raise ServiceError(
            _("Het aantal leerlingen moet een heel getal van %(min)s tot en met %(max)s zijn.")
            % {
                "min": MIN_PUPILS,
                "max": MAX_PUPILS,
            }
        )
    locked = School.objects.select_for_update().get(pk=school.pk)
    check_version(locked.version, expected_version)
    if locked.pupil_count == pupil_count:
        return locked
    before = locked.pupil_count
    locked.pupil_count = pupil_count
    locked.version += 1
    locked.save(update_fields=["pupil_count", "version"])
    record(
        action="school.pupil_count_set",
        acting_user=acting_user,
        school=locked,
        target=locked,
        data={"pupil_count": [before, pupil_count]},
    )
    school.pupil_count, school.version = pupil_count, locked.version
    return locked
