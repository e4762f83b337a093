"""A werkgroep meeting as an .ics invitation attached to its mail (METHOD:REQUEST), and its cancellation
(METHOD:CANCEL) when the meeting is deleted.

Built with ``core.ics.calendar`` (the one place that writes iCalendar); the UID is stable per meeting, so a changed
meeting updates the event the calendar already holds, and SEQUENCE is the meeting's version (it rises with every
saved change, with the delete and with a restore: a cancellation outranks the invitations before it, a restored
meeting's new invitation outranks the cancellation). RFC 5546 wants an ORGANIZER on a request and a cancellation:
the product's sending address; and the ATTENDEE it is about: each mail's .ics names only its own recipient
(RSVP=FALSE: nobody is asked to answer the sending address), so the invitation does not hand every colleague's
address around.
"""

from __future__ import annotations

import datetime
from email.utils import parseaddr

import icalendar
from django.conf import settings

from core import ics


def meeting_uid(meeting) -> str:
    return f"werkgroep-{meeting.pk}@groeiwijzer-tso"


def meeting_invitation(
    meeting,
    *,
    summary: str,
    description: str,
    url: str,
    attendee=None,
    cancelled: bool = False,
) -> str:
    """The .ics text (CRLF lines) of one meeting: a REQUEST, or with ``cancelled`` a CANCEL (STATUS:CANCELLED, the
    same UID). ``attendee``: the recipient (a user with ``email`` and ``display_name``), or None for no ATTENDEE."""
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
        cancelled=cancelled,
    )
    method = "CANCEL" if cancelled else "REQUEST"
    cal = icalendar.Calendar.from_ical(ics.calendar([event], name=summary, method=method))
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    for vevent in cal.walk("VEVENT"):
        organizer = icalendar.vCalAddress(f"mailto:{address}")
        organizer.params["cn"] = icalendar.vText(name or "Groeiwijzer TSO")
        vevent.add("organizer", organizer)
        if attendee is not None and attendee.email:
            person = icalendar.vCalAddress(f"mailto:{attendee.email}")
            person.params["cn"] = icalendar.vText(attendee.display_name)
            person.params["role"] = icalendar.vText("REQ-PARTICIPANT")
            if not cancelled:
                person.params["partstat"] = icalendar.vText("NEEDS-ACTION")
            person.params["rsvp"] = icalendar.vText("FALSE")
            vevent.add("attendee", person)
    return cal.to_ical().decode("utf-8")
