"""Reading typed start dates (bot.services.dates), relative to the user's local today."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services.dates import (
    EARLIEST,
    ImpossibleDate,
    InvalidDate,
    check_bounds,
    next_weekday,
    parse_date,
    weekday_on_or_after,
)

TODAY = date(2026, 11, 24)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-24", date(2026, 11, 24)),
        ("2027-1-5", date(2027, 1, 5)),
        ("24.11", date(2026, 11, 24)),
        ("24.11.2026", date(2026, 11, 24)),
        ("24.11.26", date(2026, 11, 24)),
        ("1.12", date(2026, 12, 1)),
        ("24/11", date(2026, 11, 24)),
        ("24/11/2026", date(2026, 11, 24)),
        ("11/24", date(2026, 11, 24)),  # month first when day first is impossible
        ("24-11", date(2026, 11, 24)),
        ("24 Nov", date(2026, 11, 24)),
        ("24nov", date(2026, 11, 24)),
        ("24th November", date(2026, 11, 24)),
        ("24 nov 2026", date(2026, 11, 24)),
        ("Nov 24", date(2026, 11, 24)),
        ("Nov. 24, 2026", date(2026, 11, 24)),
        ("  3   Dec  ", date(2026, 12, 3)),
        ("5 sept", date(2026, 9, 5)),  # 80 days ago is nearer than 285 days ahead
        ("today", TODAY),
        ("TODAY", TODAY),
        ("tomorrow", date(2026, 11, 25)),
        ("tmrw", date(2026, 11, 25)),
        ("yesterday", date(2026, 11, 23)),
        ("tue", TODAY),  # today is a Tuesday
        ("tuesday", TODAY),
        ("wed", date(2026, 11, 25)),
        ("Thursday", date(2026, 11, 26)),
        ("sun", date(2026, 11, 29)),
        ("mon", date(2026, 11, 30)),
        ("monday", date(2026, 11, 30)),
        ("next tue", date(2026, 12, 1)),
        ("next monday", date(2026, 11, 30)),
    ],
)
def test_accepted_forms(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


def test_a_date_without_a_year_is_the_nearest_one() -> None:
    assert parse_date("1.1", TODAY) == date(2027, 1, 1)  # 38 days ahead, not 327 days ago
    assert parse_date("20.11", TODAY) == date(2026, 11, 20)  # 4 days ago, not next year
    assert parse_date("30 dec", date(2027, 1, 2)) == date(2026, 12, 30)
    assert parse_date("2 jan", date(2026, 12, 30)) == date(2027, 1, 2)
    assert parse_date("29.02", TODAY) == date(2028, 2, 29)  # the next one there is


def test_29_february_only_in_leap_years() -> None:
    assert parse_date("29.02", date(2027, 11, 24)) == date(2028, 2, 29)
    with pytest.raises(InvalidDate, match="not a real date"):
        parse_date("29.02.2027", TODAY)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "not a date"),
        ("   ", "not a date"),
        ("soon", "couldn't read “soon”"),
        ("31.02", "not a real date"),
        ("2026-02-30", "not a real date"),
        ("24.13", "months go from 1 to 12"),
        ("13/13", "months go from 1 to 12"),
        ("32 nov", "not a real date"),
        ("24 foo", "couldn't read"),
        ("next month", "couldn't read"),
        ("x" * 100, "too long"),
        ("24.11.2026.1", "couldn't read"),
    ],
)
def test_refused_forms(text: str, reason: str) -> None:
    with pytest.raises(InvalidDate, match=reason):
        parse_date(text, TODAY)


def test_long_text_is_shortened_in_the_reason() -> None:
    with pytest.raises(InvalidDate) as caught:
        parse_date("a" * 39, TODAY)
    assert len(caught.value.reason) < 80


def test_weekday_helpers() -> None:
    assert weekday_on_or_after(TODAY, 1) == TODAY
    assert next_weekday(TODAY, 1) == TODAY + timedelta(days=7)
    assert next_weekday(TODAY, 0) == date(2026, 11, 30)
    assert next_weekday(date(2026, 11, 29), 0) == date(2026, 11, 30)  # Sunday -> tomorrow


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2098, 12, 31)), st.integers(-200, 200))
def test_any_formatted_date_reads_back(today: date, offset: int) -> None:
    day = today + timedelta(days=offset)
    assert parse_date(day.isoformat(), today) == day
    assert parse_date(f"{day.day}.{day.month}.{day.year}", today) == day
    assert parse_date(day.strftime("%d %b %Y"), today) == day
    if abs(offset) < 180:  # without a year: the nearest one
        assert parse_date(f"{day.day}.{day.month}", today) == day


@given(st.text(max_size=50), st.dates(min_value=date(2001, 1, 1), max_value=date(2098, 12, 31)))
def test_never_crashes(text: str, today: date) -> None:
    with contextlib.suppress(InvalidDate):
        parse_date(text, today)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("0001-01-01", "“0001-01-01” is too long ago: dates start in 1900."),
        ("31.12.1899", "“31.12.1899” is too long ago: dates start in 1900."),
        ("9999-12-31", "“9999-12-31” is too far ahead: at most 100 years ahead."),
        ("30.02", "“30.02” is not a real date."),
        ("1.13.2026", "months go from 1 to 12"),
    ],
)
def test_dates_with_a_dates_form_but_out_of_bounds_are_impossible(text: str, reason: str) -> None:
    with pytest.raises(ImpossibleDate) as caught:
        parse_date(text, TODAY)
    assert reason in caught.value.reason


def test_not_a_date_is_not_impossible() -> None:
    with pytest.raises(InvalidDate) as caught:
        parse_date("after breakfast", TODAY)
    assert not isinstance(caught.value, ImpossibleDate)
    assert parse_date("1.1.1900", TODAY) == EARLIEST


def test_check_bounds() -> None:
    assert check_bounds(TODAY + timedelta(days=1), TODAY) == TODAY + timedelta(days=1)
    with pytest.raises(ImpossibleDate, match="tomorrow at the latest"):
        check_bounds(TODAY + timedelta(days=2), TODAY)
    with pytest.raises(ImpossibleDate, match="today at the latest"):
        check_bounds(TODAY + timedelta(days=1), TODAY, days_ahead=0)
    with pytest.raises(ImpossibleDate, match="dates start in 1900"):
        check_bounds(date(1, 1, 1), TODAY)
