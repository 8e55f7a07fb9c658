"""The reminder schedule's instants: local times in IANA zones, exact across daylight saving time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.reminders import (
    SUMMARY_TIME,
    first_occurrence,
    following_reminder,
    schedule_of,
)

H = timedelta(hours=1)

ZONES = (
    "UTC", "Europe/Berlin", "America/New_York", "America/Los_Angeles", "America/Sao_Paulo",
    "America/St_Johns", "Europe/London", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Tokyo",
    "Australia/Sydney", "Australia/Lord_Howe", "Pacific/Chatham", "Pacific/Apia", "America/Santiago",
    "Asia/Tehran", "Africa/Cairo", "America/Havana", "Etc/GMT+12", "Pacific/Kiritimati",
)  # fmt: skip


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("tz", "day", "at", "expected"),
    [
        # Berlin springs forward on 29 Mar 2026 at 02:00 -> 03:00: 02:30 does not exist, 03:00 CEST.
        ("Europe/Berlin", date(2026, 3, 29), time(2, 30), utc(2026, 3, 29, 1, 0)),
        # ... and falls back on 25 Oct 2026 at 03:00 -> 02:00: the first 02:30 (CEST).
        ("Europe/Berlin", date(2026, 10, 25), time(2, 30), utc(2026, 10, 25, 0, 30)),
        # New York springs forward on 8 Mar 2026 at 02:00 -> 03:00, falls back on 1 Nov 2026 at 02:00.
        ("America/New_York", date(2026, 3, 8), time(2, 30), utc(2026, 3, 8, 7, 0)),
        ("America/New_York", date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 5, 30)),
        ("Asia/Kolkata", date(2026, 3, 2), time(7, 0), utc(2026, 3, 2, 1, 30)),
    ],
)
def test_first_occurrence_across_dst(tz: str, day: date, at: time, expected: datetime) -> None:
    start = datetime.combine(day, time(0, 0), ZoneInfo(tz)).astimezone(UTC)
    assert first_occurrence(tz, at, start) == expected
    assert first_occurrence(tz, at, expected) == expected  # not before: inclusive
    assert first_occurrence(tz, at, expected + timedelta(seconds=1)) > expected + 20 * H


def test_the_day_after_a_transition_is_back_to_the_wall_clock() -> None:
    spring = utc(2026, 3, 29, 1, 0)
    nxt = following_reminder("Europe/Berlin", time(2, 30), spring, spring)
    assert nxt == utc(2026, 3, 30, 0, 30)  # 02:30 CEST
    fall = utc(2026, 10, 25, 0, 30)
    nxt = following_reminder("Europe/Berlin", time(2, 30), fall, fall)
    assert nxt == utc(2026, 10, 26, 1, 30)  # 02:30 CET: the second 02:30 of the 25th is skipped


def test_after_an_outage_the_latest_missed_one_comes_next() -> None:
    due = utc(2026, 3, 2, 6, 0)  # 07:00 in Berlin
    three_days_later = utc(2026, 3, 5, 12, 0)
    assert following_reminder("Europe/Berlin", time(7, 0), due, three_days_later) == utc(2026, 3, 5, 6, 0)
    before_todays = utc(2026, 3, 5, 5, 0)
    assert following_reminder("Europe/Berlin", time(7, 0), due, before_todays) == utc(2026, 3, 4, 6, 0)
    in_time = utc(2026, 3, 2, 6, 0, 30)
    assert following_reminder("Europe/Berlin", time(7, 0), due, in_time) == utc(2026, 3, 3, 6, 0)


def _user(**values: Any) -> Any:
    defaults: dict[str, Any] = {
        "timezone": "Europe/Berlin",
        "reminder_time": time(7, 0),
        "reminders_enabled": True,
        "weekly_summary_enabled": False,
    }
    return SimpleNamespace(**{**defaults, **values})


def test_schedule_takes_the_earliest_occurrence_within_the_grace_period() -> None:
    monday_9 = utc(2026, 3, 2, 9, 0)  # 10:00 in Berlin
    schedule = schedule_of(_user(), monday_9, timedelta(hours=3))
    assert schedule.next_reminder_at == utc(2026, 3, 2, 6, 0)  # 07:00 today: 3 h ago, due now
    assert schedule.next_rollover_at == utc(2026, 3, 2, 23, 0)  # the coming midnight
    assert schedule.next_summary_at is None
    schedule = schedule_of(_user(), monday_9, timedelta(hours=2))
    assert schedule.next_reminder_at == utc(2026, 3, 3, 6, 0)  # too late today: tomorrow
    assert schedule_of(_user(reminders_enabled=False), monday_9).next_reminder_at is None
    weekly = schedule_of(_user(weekly_summary_enabled=True), monday_9).next_summary_at
    assert weekly == datetime.combine(date(2026, 3, 8), SUMMARY_TIME, ZoneInfo("Europe/Berlin"))


@settings(max_examples=60, deadline=None)
@given(
    tz=st.sampled_from(ZONES),
    at=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    start=st.datetimes(
        min_value=datetime(2025, 1, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
        max_value=datetime(2027, 1, 1),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
)
def test_one_reminder_per_local_day_for_400_days(tz: str, at: time, start: datetime) -> None:
    """Whatever the zone and time: strictly increasing instants, one per local date, no date skipped,
    each at the wall-clock time unless that time does not exist that day."""
    zone = ZoneInfo(tz)
    instant = first_occurrence(tz, at, start)
    local_day = instant.astimezone(zone).date()
    for _ in range(400):
        nxt = following_reminder(tz, at, instant, instant)
        assert nxt > instant
        next_local = nxt.astimezone(zone)
        if next_local.time().replace(tzinfo=None) != at:  # only in a gap: the first instant after it
            wall = datetime.combine(next_local.date(), at, zone)
            assert wall.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall.replace(tzinfo=None)
        days = (next_local.date() - local_day).days
        assert days == 1, (instant, nxt)
        instant, local_day = nxt, next_local.date()
