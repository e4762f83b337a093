"""iCalendar (RFC 5545) files that Outlook, Google Calendar and Apple Calendar open as they should.

- CRLF line endings, lines folded at 75 octets (never inside a UTF-8 character), text escaped.
- Timed events carry TZID=Europe/Amsterdam with a VTIMEZONE that Outlook needs (CET/CEST rules since 1996);
  all-day events are DATE values, DTEND the day after (exclusive), as RFC 5545 says.
- UIDs are stable (the caller builds them from primary keys), so importing again updates instead of doubling.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

TZID = "Europe/Amsterdam"
AMSTERDAM = ZoneInfo(TZID)
PRODID = "-//Groeiwijzer TSO//Traject//NL"
CONTENT_TYPE = "text/calendar; charset=utf-8"

VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19810329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19961027T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
)


@dataclass(frozen=True)
class Event:
    uid: str
    summary: str
    start: datetime.date | datetime.datetime  # a date: an all-day event
    end: datetime.date | datetime.datetime | None = None  # all-day: the last day (inclusive); None: one day
    description: str = ""
    location: str = ""
    url: str = ""


def escape(text: str) -> str:
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, continuation lines starting with a space."""
    out: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not out else 74  # a continuation line's leading space counts
        if size + width > limit:
            out.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    out.append("".join(current))
    return "\r\n ".join(out)


def _local(value: datetime.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(AMSTERDAM)
    return value.strftime("%Y%m%dT%H%M%S")


def _event_lines(event: Event, stamp: str) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{event.uid}", f"DTSTAMP:{stamp}"]
    if isinstance(event.start, datetime.datetime):
        # A timed event ends at a time; an end without one (a date) falls back to an hour, like no end at all.
        end = event.end if isinstance(event.end, datetime.datetime) else event.start + datetime.timedelta(hours=1)
        lines += [f"DTSTART;TZID={TZID}:{_local(event.start)}", f"DTEND;TZID={TZID}:{_local(end)}"]
    else:
        last = event.end or event.start
        lines += [
            f"DTSTART;VALUE=DATE:{event.start:%Y%m%d}",
            f"DTEND;VALUE=DATE:{last + datetime.timedelta(days=1):%Y%m%d}",
            "TRANSP:TRANSPARENT",  # a reminder, not a busy day
        ]
    lines.append(f"SUMMARY:{escape(event.summary)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape(event.description)}")
    if event.location:
        lines.append(f"LOCATION:{escape(event.location)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    lines.append("END:VEVENT")
    return lines


def calendar(events, *, name: str, now: datetime.datetime | None = None) -> bytes:
    stamp = (now or datetime.datetime.now(datetime.UTC)).astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        f"X-WR-TIMEZONE:{TZID}",
        *VTIMEZONE,
    ]
    for event in events:
        lines += _event_lines(event, stamp)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
