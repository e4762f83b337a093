"""Dates of the route: months relative to the start of the team training, as the handbook counts them."""

from __future__ import annotations

import datetime

from core.dates import add_months


def step_dates(training_start: datetime.date, content, occurrence: int = 1) -> tuple[datetime.date, datetime.date]:
    """(start, due) of a step's occurrence: occurrence 2 of a yearly step lies repeat_months after the first."""
    shift = (content.repeat_months or 0) * (occurrence - 1)
    return (
        add_months(training_start, content.start_month + shift),
        add_months(training_start, content.due_month + shift),
    )
