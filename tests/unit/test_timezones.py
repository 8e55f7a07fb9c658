"""Time zones and reminder times (bot.services.timezones)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.errors import DomainError
from bot.services.timezones import (
    ALIASES,
    COMMON_TIMEZONES,
    HALF_HOUR_ZONES,
    ReminderTimeError,
    TimezoneError,
    local_datetime,
    local_today,
    parse_time_of_day,
    parse_timezone,
    timezone_exists,
    utc_offset_label,
)

HELP = "Send a city like Berlin or New York, a zone like Europe/Berlin, or an offset like UTC+2."
TIME_HELP = "Send it like 7:30, 19:30 or 7:30 pm."


# --- parse_timezone ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        # IANA names, any case, spaces for underscores
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("  EUROPE/BERLIN  ", "Europe/Berlin"),
        ("America/New_York", "America/New_York"),
        ("america/new york", "America/New_York"),
        ("America / New York", "America/New_York"),
        ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("Etc/GMT-5", "Etc/GMT-5"),
        ("CET", "CET"),
        ("Japan", "Japan"),
        # cities
        ("Berlin", "Europe/Berlin"),
        ("berlin", "Europe/Berlin"),
        ("new york", "America/New_York"),
        ("New_York", "America/New_York"),
        ("los angeles", "America/Los_Angeles"),
        ("São Paulo", "America/Sao_Paulo"),
        ("sao paulo", "America/Sao_Paulo"),
        ("Sao-Paulo", "America/Sao_Paulo"),
        ("Port au Prince", "America/Port-au-Prince"),
        ("st. john's", "America/St_Johns"),
        ("Kyiv", "Europe/Kyiv"),
        ("Kiev", "Europe/Kyiv"),
        ("Singapore", "Asia/Singapore"),  # the city zone, not the legacy link "Singapore"
        ("buenos aires", "America/Argentina/Buenos_Aires"),  # the canonical, deeper name
        ("Indianapolis", "America/Indiana/Indianapolis"),
        ("Zürich", "Europe/Zurich"),
        # big cities and abbreviations that are not zone names
        ("New Delhi", "Asia/Kolkata"),
        ("Mumbai", "Asia/Kolkata"),
        ("Beijing", "Asia/Shanghai"),
        ("San Francisco", "America/Los_Angeles"),
        ("Washington DC", "America/New_York"),
        ("Munich", "Europe/Berlin"),
        ("EST", "America/New_York"),
        ("pst", "America/Los_Angeles"),
        ("IST", "Asia/Kolkata"),
        ("MSK", "Europe/Moscow"),
        # offsets
        ("UTC", "UTC"),
        ("utc", "UTC"),
        ("GMT", "UTC"),
        ("Z", "UTC"),
        ("UTC+0", "UTC"),
        ("+00:00", "UTC"),
        ("-00:00", "UTC"),
        ("UTC+2", "Etc/GMT-2"),
        ("utc +2", "Etc/GMT-2"),
        ("UTC+02:00", "Etc/GMT-2"),
        ("+02:00", "Etc/GMT-2"),
        ("+2", "Etc/GMT-2"),
        ("+2h", "Etc/GMT-2"),
        ("GMT-5", "Etc/GMT+5"),
        ("UTC−5", "Etc/GMT+5"),  # a real minus sign
        ("-05:00", "Etc/GMT+5"),
        ("UTC+14", "Etc/GMT-14"),
        ("UTC-12", "Etc/GMT+12"),
        ("+5:30", "Asia/Kolkata"),
        ("UTC+5:30", "Asia/Kolkata"),
        ("+0530", "Asia/Kolkata"),
        ("+530", "Asia/Kolkata"),
        ("+05.30", "Asia/Kolkata"),
        ("+5:45", "Asia/Kathmandu"),
        ("+9:30", "Australia/Darwin"),
        ("-3:30", "America/St_Johns"),
        ("-9:30", "Pacific/Marquesas"),
        ("+3:30", "Asia/Tehran"),
    ],
)
def test_parse_timezone(text: str, zone: str) -> None:
    assert parse_timezone(text) == zone
    ZoneInfo(zone)  # loads


@pytest.mark.parametrize(("offset", "zone"), sorted(HALF_HOUR_ZONES.items()))
def test_half_hour_zones_have_that_offset_for_part_of_the_year(offset: tuple[int, int], zone: str) -> None:
    hours, minutes = offset
    expected = timedelta(hours=hours, minutes=minutes)
    offsets = {
        datetime(2026, month, 1, tzinfo=UTC).astimezone(ZoneInfo(zone)).utcoffset() for month in (1, 7)
    }
    assert expected in offsets


@pytest.mark.parametrize("hours", range(-12, 15))
def test_whole_hour_offsets(hours: int) -> None:
    zone = parse_timezone(f"UTC{hours:+d}")
    now = datetime(2026, 7, 1, tzinfo=UTC)
    assert now.astimezone(ZoneInfo(zone)).utcoffset() == timedelta(hours=hours)


def test_every_zone_name_with_a_slash_parses_to_itself() -> None:
    for name in available_timezones():
        if "/" in name:
            assert parse_timezone(name) == name
            assert parse_timezone(name.lower()) == name


@pytest.mark.parametrize(("label", "zone"), COMMON_TIMEZONES)
def test_common_timezones(label: str, zone: str) -> None:
    assert timezone_exists(zone)
    assert parse_timezone(label) == zone
    assert parse_timezone(zone) == zone


def test_aliases_are_zones() -> None:
    assert all(timezone_exists(zone) for zone in ALIASES.values())
    assert 10 <= len(COMMON_TIMEZONES) <= 14


@pytest.mark.parametrize(
    ("text", "suggestions"),
    [
        ("Europe/Berlni", ["Europe/Berlin", "Europe/Dublin", "Europe/Riga"]),
        ("Berlni", ["Europe/Berlin", "Asia/Brunei", "America/Belize"]),
        ("Londn", ["Europe/London"]),
        ("new yrok", ["America/New_York"]),
    ],
)
def test_unknown_zone_suggests(text: str, suggestions: list[str]) -> None:
    with pytest.raises(TimezoneError) as error:
        parse_timezone(text)
    assert error.value.suggestions[: len(suggestions)] == suggestions
    assert len(error.value.suggestions) <= 3
    assert isinstance(error.value, DomainError)


def test_unknown_zone_reason() -> None:
    with pytest.raises(TimezoneError) as error:
        parse_timezone("Europe/Berlni")
    assert error.value.reason == (
        f"I don't know the time zone “Europe/Berlni”. Did you mean Europe/Berlin, Europe/Dublin or Europe/Riga? {HELP}"
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", f"Which time zone are you in? {HELP}"),
        ("   ", f"Which time zone are you in? {HELP}"),
        ("xyzzy", f"I don't know the time zone “xyzzy”. {HELP}"),
        ("💪", f"I don't know the time zone “💪”. {HELP}"),
        ("+15", f"“+15” is not a UTC offset: they go from UTC-12 to UTC+14. {HELP}"),
        ("UTC-13", f"“UTC-13” is not a UTC offset: they go from UTC-12 to UTC+14. {HELP}"),
        ("+2:75", f"“+2:75” is not a UTC offset: they go from UTC-12 to UTC+14. {HELP}"),
        (
            "+3:15",
            "No time zone is at UTC+3:15. Offsets are whole hours, or :30 and :45 in a few places "
            f"(India is UTC+5:30). {HELP}",
        ),
        ("a" * 65, f"“{'a' * 29}…” is too long for a time zone. {HELP}"),
    ],
)
def test_parse_timezone_rejections(text: str, reason: str) -> None:
    with pytest.raises(TimezoneError) as error:
        parse_timezone(text)
    assert error.value.reason == reason


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=70) | st.from_regex(r"(utc|gmt)?[+-−]\d{1,3}(:\d{1,3})?"))
def test_parse_timezone_never_raises_anything_else(text: str) -> None:
    try:
        zone = parse_timezone(text)
    except TimezoneError as error:
        assert error.reason
        assert all(timezone_exists(name) for name in error.suggestions)
    else:
        assert timezone_exists(zone)


# --- parse_time_of_day -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7:30", time(7, 30)),
        ("07:30", time(7, 30)),
        ("7.30", time(7, 30)),
        ("7", time(7, 0)),
        ("07", time(7, 0)),
        ("0", time(0, 0)),
        ("0:00", time(0, 0)),
        ("7am", time(7, 0)),
        ("7 AM", time(7, 0)),
        ("7 a.m.", time(7, 0)),
        ("7:30 pm", time(19, 30)),
        ("7:30pm", time(19, 30)),
        ("7:30 P.M.", time(19, 30)),
        ("12am", time(0, 0)),
        ("12:15 am", time(0, 15)),
        ("12pm", time(12, 0)),
        ("12:45 pm", time(12, 45)),
        ("19:30", time(19, 30)),
        ("19h30", time(19, 30)),
        ("19h", time(19, 0)),
        ("23:59", time(23, 59)),
        ("  19 : 30  ", time(19, 30)),
        ("noon", time(12, 0)),
        ("Midnight", time(0, 0)),
    ],
)
def test_parse_time_of_day(text: str, expected: time) -> None:
    assert parse_time_of_day(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", f"What time? {TIME_HELP}"),
        ("730", f"Is “730” hours and minutes? Write it with a colon. {TIME_HELP}"),
        ("1930", f"Is “1930” hours and minutes? Write it with a colon. {TIME_HELP}"),
        ("24:00", f"“24:00” is not a time: hours go from 0 to 23. {TIME_HELP}"),
        ("25", f"“25” is not a time: hours go from 0 to 23. {TIME_HELP}"),
        ("7:60", f"“7:60” is not a time: minutes go from 00 to 59. {TIME_HELP}"),
        ("13pm", f"“13pm” is not a time: with am/pm hours go from 1 to 12. {TIME_HELP}"),
        ("0am", f"“0am” is not a time: with am/pm hours go from 1 to 12. {TIME_HELP}"),
        ("7:5", f"I couldn't read “7:5” as a time of day. {TIME_HELP}"),
        ("7:30:00", f"I couldn't read “7:30:00” as a time of day. {TIME_HELP}"),
        ("-7", f"I couldn't read “-7” as a time of day. {TIME_HELP}"),
        ("morning", f"I couldn't read “morning” as a time of day. {TIME_HELP}"),
        ("⏰", f"I couldn't read “⏰” as a time of day. {TIME_HELP}"),
    ],
)
def test_parse_time_of_day_rejections(text: str, reason: str) -> None:
    with pytest.raises(ReminderTimeError) as error:
        parse_time_of_day(text)
    assert error.value.reason == reason
    assert isinstance(error.value, DomainError)


@given(st.text(max_size=20))
def test_parse_time_of_day_never_raises_anything_else(text: str) -> None:
    try:
        parse_time_of_day(text)
    except ReminderTimeError as error:
        assert error.reason


# --- local days and instants -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "now", "today"),
    [
        ("Europe/Berlin", datetime(2026, 3, 1, 22, 59, tzinfo=UTC), date(2026, 3, 1)),
        ("Europe/Berlin", datetime(2026, 3, 1, 23, 0, tzinfo=UTC), date(2026, 3, 2)),
        ("America/New_York", datetime(2026, 3, 2, 3, 0, tzinfo=UTC), date(2026, 3, 1)),
        ("Pacific/Kiritimati", datetime(2026, 3, 1, 10, 0, tzinfo=UTC), date(2026, 3, 2)),
        ("UTC", datetime(2026, 3, 1, 23, 59, tzinfo=UTC), date(2026, 3, 1)),
        ("Asia/Tokyo", datetime(2026, 3, 1, 15, 0, tzinfo=ZoneInfo("Europe/Berlin")), date(2026, 3, 1)),
        ("Asia/Tokyo", datetime(2026, 3, 1, 16, 0, tzinfo=ZoneInfo("Europe/Berlin")), date(2026, 3, 2)),
    ],
)
def test_local_today(tz: str, now: datetime, today: date) -> None:
    assert local_today(tz, now) == today


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2026, 1, 1)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="timezone-aware"):
        local_today("UTC", naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        utc_offset_label("UTC", naive)


@pytest.mark.parametrize(
    ("tz", "day", "at", "utc"),
    [
        # ordinary days
        ("Europe/Berlin", date(2026, 1, 15), time(7, 30), datetime(2026, 1, 15, 6, 30, tzinfo=UTC)),
        ("Europe/Berlin", date(2026, 7, 15), time(7, 30), datetime(2026, 7, 15, 5, 30, tzinfo=UTC)),
        ("UTC", date(2026, 7, 15), time(7, 30), datetime(2026, 7, 15, 7, 30, tzinfo=UTC)),
        ("Asia/Kolkata", date(2026, 7, 15), time(7, 0), datetime(2026, 7, 15, 1, 30, tzinfo=UTC)),
        # Berlin springs forward on 29 March 2026: 02:00 CET -> 03:00 CEST (01:00 UTC)
        ("Europe/Berlin", date(2026, 3, 29), time(1, 59), datetime(2026, 3, 29, 0, 59, tzinfo=UTC)),
        ("Europe/Berlin", date(2026, 3, 29), time(2, 0), datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
        ("Europe/Berlin", date(2026, 3, 29), time(2, 30), datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
        ("Europe/Berlin", date(2026, 3, 29), time(2, 59, 59), datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
        ("Europe/Berlin", date(2026, 3, 29), time(3, 0), datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
        ("Europe/Berlin", date(2026, 3, 29), time(3, 30), datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
        # Berlin falls back on 25 October 2026: 03:00 CEST -> 02:00 CET; 02:30 happens twice
        ("Europe/Berlin", date(2026, 10, 25), time(2, 30), datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        ("Europe/Berlin", date(2026, 10, 25), time(3, 0), datetime(2026, 10, 25, 2, 0, tzinfo=UTC)),
        ("Europe/Berlin", date(2026, 10, 25), time(1, 59), datetime(2026, 10, 24, 23, 59, tzinfo=UTC)),
        # New York springs forward on 8 March 2026: 02:00 EST -> 03:00 EDT (07:00 UTC)
        ("America/New_York", date(2026, 3, 8), time(2, 30), datetime(2026, 3, 8, 7, 0, tzinfo=UTC)),
        ("America/New_York", date(2026, 3, 8), time(3, 30), datetime(2026, 3, 8, 7, 30, tzinfo=UTC)),
        ("America/New_York", date(2026, 3, 8), time(1, 30), datetime(2026, 3, 8, 6, 30, tzinfo=UTC)),
        # New York falls back on 1 November 2026: 02:00 EDT -> 01:00 EST; 01:30 happens twice
        ("America/New_York", date(2026, 11, 1), time(1, 30), datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
        ("America/New_York", date(2026, 11, 1), time(2, 30), datetime(2026, 11, 1, 7, 30, tzinfo=UTC)),
        # a tzinfo or fold on `at` is ignored
        (
            "Europe/Berlin",
            date(2026, 10, 25),
            time(2, 30, fold=1, tzinfo=UTC),
            datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        ),
    ],
)
def test_local_datetime(tz: str, day: date, at: time, utc: datetime) -> None:
    result = local_datetime(tz, day, at)
    assert result == utc
    assert result.tzinfo is UTC


_ZONES = st.sampled_from(
    ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/St_Johns", "Asia/Kolkata", "UTC"]
)


@settings(max_examples=300, deadline=None)
@given(
    tz=_ZONES,
    day=st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31)),
    at=st.times(),
)
def test_local_datetime_property(tz: str, day: date, at: time) -> None:
    result = local_datetime(tz, day, at)
    assert result.utcoffset() == timedelta(0)
    local = result.astimezone(ZoneInfo(tz))
    wall = datetime.combine(day, at)
    if local.replace(tzinfo=None) != wall:
        # only in a spring-forward gap: the result is the first instant after it
        assert local.replace(tzinfo=None) > wall
        assert (result - timedelta(seconds=1)).astimezone(ZoneInfo(tz)).replace(tzinfo=None) < wall
    else:
        # the first occurrence: an hour earlier is not the same wall time
        earlier = (result - timedelta(hours=1)).astimezone(ZoneInfo(tz)).replace(tzinfo=None)
        assert earlier != wall
    assert local_today(tz, result) == day


@pytest.mark.parametrize(
    ("tz", "now", "label"),
    [
        ("Europe/Berlin", datetime(2026, 1, 15, tzinfo=UTC), "UTC+01:00"),
        ("Europe/Berlin", datetime(2026, 7, 15, tzinfo=UTC), "UTC+02:00"),
        ("America/New_York", datetime(2026, 1, 15, tzinfo=UTC), "UTC-05:00"),
        ("America/St_Johns", datetime(2026, 1, 15, tzinfo=UTC), "UTC-03:30"),
        ("Asia/Kolkata", datetime(2026, 1, 15, tzinfo=UTC), "UTC+05:30"),
        ("Asia/Kathmandu", datetime(2026, 1, 15, tzinfo=UTC), "UTC+05:45"),
        ("UTC", datetime(2026, 1, 15, tzinfo=UTC), "UTC+00:00"),
        ("Etc/GMT-2", datetime(2026, 1, 15, tzinfo=UTC), "UTC+02:00"),
    ],
)
def test_utc_offset_label(tz: str, now: datetime, label: str) -> None:
    assert utc_offset_label(tz, now) == label
