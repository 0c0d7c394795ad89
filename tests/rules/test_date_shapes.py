"""The YYYYMMDD shortcut of the date rules gives the verdict of the format's pattern and the calendar."""

from __future__ import annotations

import itertools

import pytest

from onixfeed.validate.rules import dates


def _pattern_and_calendar(value: str) -> bool:
    """The long way: FORMATS["00"]'s pattern, then a real calendar day."""
    return bool(dates.FORMATS["00"][0].match(value)) and dates.calendar_day(value) is not None


def test_every_day_around_the_years_and_months_the_pattern_bounds():
    years = ("0999", "1000", "1600", "1899", "1900", "1999", "2000", "2023", "2024", "2099", "2100", "9999")
    months = [f"{month:02d}" for month in range(0, 14)]
    days = [f"{day:02d}" for day in range(0, 33)]
    values = ["".join(parts) for parts in itertools.product(years, months, days)]
    accepted = [value for value in values if dates.day_shape_ok(value)]
    assert [dates.day_shape_ok(value) for value in values] == [_pattern_and_calendar(value) for value in values]
    assert "20240229" in accepted and "20230229" not in accepted and "19000229" not in accepted
    assert "20000229" in accepted and "21000101" not in accepted and "09991231" not in accepted


@pytest.mark.parametrize("value", [
    "", "2024", "2024010", "202401011", " 20240101", "20240101 ", "2024-01-01", "+2024011",
    "２０２４０１０１",  # fullwidth digits: isdigit() says yes, [0-9] says no
    "2024٠١٠١",  # Arabic-Indic digits
    "202401²1", "20240a01", "2024013١",
])
def test_junk_is_judged_as_the_pattern_judges_it(value):
    assert dates.day_shape_ok(value) is _pattern_and_calendar(value)


def test_a_rejected_month_stays_rejected_when_asked_again():
    assert not dates.day_shape_ok("20241301")
    assert not dates.day_shape_ok("20241301")
    assert dates.day_shape_ok("20241231") and dates.day_shape_ok("20241231")


def test_shape_ok_takes_the_shortcut_for_format_00_only():
    assert dates.shape_ok("20240229", "00") and not dates.shape_ok("20230229", "00")
    assert dates.shape_ok("202402", "01") and not dates.shape_ok("20240229", "01")
