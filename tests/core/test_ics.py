"""core/ics.py: calendars built with the icalendar library, parsed back with it."""

from __future__ import annotations

import datetime

import icalendar

from core import ics


def _parse(raw: bytes):
    return icalendar.Calendar.from_ical(raw)


def test_a_timed_and_an_all_day_event_parse_back():
    utc_start = datetime.datetime(2027, 3, 1, 14, 30, tzinfo=datetime.UTC)  # 15:30 in Amsterdam (winter time)
    raw = ics.calendar(
        [
            ics.Event("a@test", "Werkgroep; agenda, nu", utc_start, description="regel 1\nregel 2", location="Kamer"),
            ics.Event("b@test", "Studiedag", datetime.date(2027, 4, 12), end=datetime.date(2027, 4, 13)),
            ics.Event("c@test", "Zonder eind", datetime.datetime(2027, 7, 1, 9, 0)),  # naive: Amsterdam time
        ],
        name="Mijn agenda",
    )
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    cal = _parse(raw)
    assert cal["VERSION"] == "2.0" and cal["METHOD"] == "PUBLISH"
    assert cal["X-WR-CALNAME"] == "Mijn agenda" and cal["X-WR-TIMEZONE"] == "Europe/Amsterdam"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    timed = events["a@test"]
    start = timed.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/Amsterdam" and (start.hour, start.minute) == (15, 30)
    assert timed.decoded("DTEND") - start == datetime.timedelta(hours=1)  # no end: one hour
    assert str(timed["SUMMARY"]) == "Werkgroep; agenda, nu"
    assert str(timed["DESCRIPTION"]) == "regel 1\nregel 2"
    assert str(timed["LOCATION"]) == "Kamer"
    day = events["b@test"]
    assert day.decoded("DTSTART") == datetime.date(2027, 4, 12)
    assert day.decoded("DTEND") == datetime.date(2027, 4, 14)  # the last day inclusive → exclusive end
    assert str(day["TRANSP"]) == "TRANSPARENT"
    naive = events["c@test"].decoded("DTSTART")
    assert str(naive.tzinfo) == "Europe/Amsterdam" and naive.hour == 9
    summer = ics.calendar([ics.Event("d@test", "Zomer", datetime.datetime(2027, 7, 1, 7, 0, tzinfo=datetime.UTC))])
    assert _parse(summer).walk("VEVENT")[0].decoded("DTSTART").hour == 9  # CEST: UTC+2


def test_long_lines_fold_at_75_octets_never_inside_a_character():
    summary = "Terugkoppeling één-op-één met de kartrekkers — " * 6
    raw = ics.calendar([ics.Event("x@test", summary, datetime.date(2027, 1, 1), url="https://example.nl/" + "a" * 90)])
    lines = raw.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    for line in lines:
        line.decode("utf-8")  # every physical line is valid UTF-8 on its own
    event = _parse(raw).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == summary
    assert str(event["URL"]) == "https://example.nl/" + "a" * 90


def test_an_invitation_and_a_cancellation():
    start = datetime.datetime(2027, 2, 3, 15, 0, tzinfo=ics.AMSTERDAM)
    raw = ics.calendar([ics.Event("m@test", "Werkgroep", start, sequence=2)], method="REQUEST")
    cal = _parse(raw)
    assert cal["METHOD"] == "REQUEST"
    assert int(cal.walk("VEVENT")[0]["SEQUENCE"]) == 2
    cancelled = _parse(ics.calendar([ics.Event("m@test", "Werkgroep", start, cancelled=True)], method="CANCEL"))
    assert str(cancelled.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"


def test_the_same_events_give_the_same_uids_and_a_fixed_stamp():
    now = datetime.datetime(2027, 1, 1, 12, 0, tzinfo=datetime.UTC)
    events = [ics.Event("s@test", "Sessie", datetime.date(2027, 1, 5))]
    assert ics.calendar(events, now=now) == ics.calendar(events, now=now)
    stamp = _parse(ics.calendar(events, now=now)).walk("VEVENT")[0].decoded("DTSTAMP")
    assert stamp == now
