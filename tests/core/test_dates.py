"""core.dates: the school-year rule every app shares (1 August to 31 July)."""

import datetime

import pytest

from core.dates import school_year_label, school_year_of


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (datetime.date(2026, 7, 31), 2025),
        (datetime.date(2026, 8, 1), 2026),
        (datetime.date(2026, 12, 31), 2026),
        (datetime.date(2027, 1, 1), 2026),
    ],
)
def test_the_school_year_begins_on_the_first_of_august(day, year):
    assert school_year_of(day) == year


def test_a_school_year_as_people_write_it():
    assert school_year_label(2026) == "2026-2027"
