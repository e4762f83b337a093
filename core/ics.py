"""iCalendar (RFC 5545) files that Outlook, Google Calendar and Apple Calendar open as they should, built with the
``icalendar`` library (which escapes text, folds lines at 75 octets and writes CRLF line endings).

- Timed events carry TZID=Europe/Amsterdam with a VTIMEZONE that Outlook needs (the CET/CEST rules since 1996);
  all-day events are DATE values, DTEND the day after (exclusive), as RFC 5545 says, and do not block the day.
- UIDs are stable (the caller builds them from primary keys), so importing again, or a subscribed calendar that
  refreshes, updates instead of doubling.

The one entry point: ``calendar(events) -> bytes`` with a list of ``Event``; e.g. the route's export
(trajectory/exports.py), the calendar feeds (pages/calendar_feed.py) and a meeting invitation attached to a mail.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import icalendar

TZID = "Europe/Amsterdam"
AMSTERDAM = ZoneInfo(TZID)
PRODID = "-//Groeiwijzer TSO//Traject//NL"
CONTENT_TYPE = "text/calendar; charset=utf-8"
DEFAULT_NAME = "Groeiwijzer TSO"


@dataclass(frozen=True)
class Event:
    uid: str
    summary: str
    start: datetime.date | datetime.datetime  # a date: an all-day event
    end: datetime.date | datetime.datetime | None = None  # all-day: the last day (inclusive); None: one day
    description: str = ""
    location: str = ""
    url: str = ""
    sequence: int | None = None  # raise it when an invitation changes (METHOD:REQUEST)
    cancelled: bool = False  # STATUS:CANCELLED, e.g. a meeting that no longer takes place


def _vtimezone() -> icalendar.Timezone:
    """Europe/Amsterdam as rules (last Sunday of March and of October), not as a list of transitions."""
    tz = icalendar.Timezone()
    tz.add("tzid", TZID)
    for kind, name, offset_from, offset_to, start, month in (
        (icalendar.TimezoneDaylight, "CEST", 1, 2, datetime.datetime(1981, 3, 29, 2), 3),
        (icalendar.TimezoneStandard, "CET", 2, 1, datetime.datetime(1996, 10, 27, 3), 10),
    ):
        part = kind()
        part.add("tzoffsetfrom", datetime.timedelta(hours=offset_from))
        part.add("tzoffsetto", datetime.timedelta(hours=offset_to))
        part.add("tzname", name)
        part.add("dtstart", start)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1SU"})
        tz.add_component(part)
    return tz


def _local(value: datetime.datetime) -> datetime.datetime:
    """In Amsterdam time (a naive value is taken to be Amsterdam time already)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=AMSTERDAM)
    return value.astimezone(AMSTERDAM)


def _vevent(event: Event, stamp: datetime.datetime) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", stamp)
    if isinstance(event.start, datetime.datetime):
        # A timed event ends at a time; an end without one (a date) falls back to an hour, like no end at all.
        end = event.end if isinstance(event.end, datetime.datetime) else event.start + datetime.timedelta(hours=1)
        vevent.add("dtstart", _local(event.start))
        vevent.add("dtend", _local(end))
    else:
        last = event.end or event.start
        if isinstance(last, datetime.datetime):
            last = last.date()
        vevent.add("dtstart", event.start)
        vevent.add("dtend", last + datetime.timedelta(days=1))
        vevent.add("transp", "TRANSPARENT")  # a reminder, not a busy day
    vevent.add("summary", event.summary)
    if event.description:
        vevent.add("description", event.description)
    if event.location:
        vevent.add("location", event.location)
    if event.url:
        vevent.add("url", event.url, parameters={"VALUE": "URI"})
    if event.sequence is not None:
        vevent.add("sequence", event.sequence)
    if event.cancelled:
        vevent.add("status", "CANCELLED")
    return vevent


def calendar(
    events: Iterable[Event],
    *,
    name: str = DEFAULT_NAME,
    method: str = "PUBLISH",
    now: datetime.datetime | None = None,
) -> bytes:
    """The events as one .ics file (UTF-8 bytes). ``method``: PUBLISH for an export or a feed, REQUEST or CANCEL
    for an invitation sent by mail."""
    stamp = (now or datetime.datetime.now(datetime.UTC)).astimezone(datetime.UTC)
    cal = icalendar.Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", PRODID)
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", TZID)
    cal.add_component(_vtimezone())
    for event in events:
        cal.add_component(_vevent(event, stamp))
    return cal.to_ical()
