"""A werkgroep meeting as an .ics invitation attached to its mail (METHOD:REQUEST).

Built with ``core.ics.calendar`` (the one place that writes iCalendar); the UID is stable per meeting, so a changed
meeting updates the event the calendar already holds, and SEQUENCE is the meeting's version (it rises with every
saved change). RFC 5546 wants an ORGANIZER on a request: the product's sending address. No ATTENDEE lines: the
invitation does not hand every colleague's address around.
"""

from __future__ import annotations

import datetime
from email.utils import parseaddr

import icalendar
from django.conf import settings

from core import ics


def meeting_uid(meeting) -> str:
    return f"werkgroep-{meeting.pk}@groeiwijzer-tso"


def meeting_invitation(meeting, *, summary: str, description: str, url: str) -> str:
    """The .ics text (CRLF lines) of one meeting."""
    if meeting.start_time:
        start: datetime.date | datetime.datetime = datetime.datetime.combine(meeting.date, meeting.start_time)
        end: datetime.date | datetime.datetime | None = (
            datetime.datetime.combine(meeting.date, meeting.end_time) if meeting.end_time else None
        )
    else:
        start, end = meeting.date, None
    event = ics.Event(
        uid=meeting_uid(meeting),
        summary=summary,
        start=start,
        end=end,
        description=description,
        location=meeting.location,
        url=url,
        sequence=meeting.version,
    )
    cal = icalendar.Calendar.from_ical(ics.calendar([event], name=summary, method="REQUEST"))
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    for vevent in cal.walk("VEVENT"):
        organizer = icalendar.vCalAddress(f"mailto:{address}")
        organizer.params["cn"] = icalendar.vText(name or "Groeiwijzer TSO")
        vevent.add("organizer", organizer)
    return cal.to_ical().decode("utf-8")
