"""Calendar arithmetic the apps share."""

from __future__ import annotations

import calendar
import datetime


def school_year_of(day: datetime.date) -> int:
    """The school year a day falls in, by its first calendar year: a school year runs from 1 August to 31 July."""
    return day.year if day.month >= 8 else day.year - 1


def school_year_label(start: int) -> str:
    """A school year as people write it: "2026-2027" for 2026."""
    return f"{start}-{start + 1}"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (or earlier); the last day of the month where that day does not exist."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise OverflowError("date out of range")
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
