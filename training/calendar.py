"""Training sessions as calendar events, for the school's .ics export (built by the lead)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import TrainingSession


def session_events(school) -> list[dict]:
    """One dict per session of the school: uid, summary, start, end, location, description.

    start/end are aware datetimes in the site's time zone, or dates (an all-day event, end exclusive)
    when the session has no times.
    """
    tz = timezone.get_current_timezone()
    events = []
    sessions = (
        TrainingSession.objects.filter(school=school)
        .select_related("plan", "group")
        .order_by("date", "start_time", "id")
    )
    for s in sessions:
        start: datetime.date  # a datetime (a subclass of date) or, for an all-day event, a date
        end: datetime.date
        if s.start_time and s.end_time:
            start = datetime.datetime.combine(s.date, s.start_time, tzinfo=tz)
            end = datetime.datetime.combine(s.date, s.end_time, tzinfo=tz)
        else:
            start, end = s.date, s.date + datetime.timedelta(days=1)
        parts = [_("Teamtraining TSO %(year)s") % {"year": s.plan.school_year_label}]
        if s.group is not None:  # select_related: no query
            parts.append(_("Trainingsgroep: %(name)s") % {"name": s.group.name})
        events.append(
            {
                "uid": f"training-session-{s.pk}@groeiwijzer",
                "summary": s.title,
                "start": start,
                "end": end,
                "location": s.location,
                "description": "\n".join(parts),
            }
        )
    return events
