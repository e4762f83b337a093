"""Dates of the route: months relative to the start of the team training, as the handbook counts them."""

from __future__ import annotations

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (or earlier); the last day of the month where that day does not exist."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise OverflowError("date out of range")
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def step_dates(training_start: datetime.date, content, occurrence: int = 1) -> tuple[datetime.date, datetime.date]:
    """(start, due) of a step's occurrence: occurrence 2 of a yearly step lies repeat_months after the first."""
    shift = (content.repeat_months or 0) * (occurrence - 1)
    return (
        add_months(training_start, content.start_month + shift),
        add_months(training_start, content.due_month + shift),
    )
