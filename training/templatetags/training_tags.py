"""The team training section of the school dashboard: next session, and for a member what they missed."""

from django import template
from django.utils import timezone

from training.models import MISSED_STATUSES, Attendance, TrainingSession

register = template.Library()


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
