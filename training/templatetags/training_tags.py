"""The team training section of the school dashboard: next session, and for a member what they missed.

Also which growth layers of the Ontwikkelmodel each training module serves (Tabel 1.2 of the handbook,
read from the reference content): ``training_module_layers`` for the list, ``module_layers`` for a session.
"""

from django import template
from django.utils import timezone

from reference.content import layers_for_module, training_modules
from training.models import MISSED_STATUSES, Attendance, TrainingSession

register = template.Library()


@register.simple_tag
def training_module_layers():
    """The four modules as named in the handbook (figure 1.2), each with the growth layers it serves."""
    return training_modules()


def module_numbers(kind_code: str) -> tuple[int, ...]:
    """The modules a session kind holds: "module1" is module 1, the combined day "module34" is modules 3 and 4."""
    digits = kind_code.removeprefix("module") if kind_code else ""
    if not kind_code or not kind_code.startswith("module") or not digits.isdigit():
        return ()
    numbers = tuple(int(d) for d in digits)
    return numbers if all(1 <= n <= 4 for n in numbers) else ()


@register.filter
def module_layers(kind_code) -> tuple[int, ...]:
    """The growth layers the module(s) of a session kind serve, sorted; () for sessions that are not a module."""
    return tuple(sorted({layer for n in module_numbers(str(kind_code or "")) for layer in layers_for_module(n)}))


@register.inclusion_tag("training/_dashboard.html")
def training_dashboard(acc):
    if acc is None or not acc.can_view_training:
        return {"show": False}
    today = timezone.localdate()
    next_session = (
        TrainingSession.objects.filter(school=acc.school, date__gte=today)
        .select_related("plan")
        .order_by("date", "start_time", "id")
        .first()
    )
    missed = list(
        Attendance.objects.filter(
            session__school=acc.school, user=acc.user, status__in=MISSED_STATUSES, session__date__lte=today
        )
        .select_related("session")
        .order_by("session__date")
    )
    return {"show": True, "acc": acc, "school": acc.school, "next_session": next_session, "missed": missed}
