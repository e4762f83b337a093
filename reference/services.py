"""Writes of the Naslag: only the school's pupil count (for the estimate). Atomic and audited."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import record
from core.errors import ConflictError, ServiceError
from organisations.models import School

from .estimate import MAX_PUPILS, MIN_PUPILS


@transaction.atomic
def do_set_pupil_count(*, school: School, pupil_count: int, expected: int | None, acting_user) -> School:
    """Store the school's (approximate) pupil count.

    ``expected`` is the count the form showed; if someone changed it since, ConflictError and nothing changes.
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
    if locked.pupil_count != expected:
        raise ConflictError(
            _(
                "Iemand anders heeft het aantal leerlingen intussen veranderd in %(n)s. "
                "Controleer het en sla opnieuw op."
            )
            % {"n": locked.pupil_count if locked.pupil_count is not None else _("leeg")}
        )
    if locked.pupil_count == pupil_count:
        return locked
    before = locked.pupil_count
    locked.pupil_count = pupil_count
    locked.save(update_fields=["pupil_count"])
    record(
        action="school.pupil_count_set",
        acting_user=acting_user,
        school=locked,
        target=locked,
        data={"pupil_count": [before, pupil_count]},
    )
    school.pupil_count = pupil_count
    return locked
