"""Settings services: validation, and PLANNED sessions following the reminder time and the time zone."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import SessionStatus, WeightUnit
from bot.db.models import User, UserWorkoutSession, Workout
from bot.services.settings import (
    WeightUnitError,
    mark_onboarded,
    parse_weight_unit,
    reschedule_planned_sessions,
    set_reminder_time,
    set_reminders_enabled,
    set_rest_timer,
    set_timezone,
    set_weight_unit,
    settings_of,
)
from bot.services.timezones import TimezoneError


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def _user(session: AsyncSession, telegram_id: int, tz: str, at: time) -> User:
    user = User(telegram_id=telegram_id, first_name="Alice", timezone=tz, reminder_time=at)
    session.add(user)
    await session.flush()
    return user


async def _sessions(
    session: AsyncSession, user: User, *planned: tuple[SessionStatus, datetime | None]
) -> list[uuid.UUID]:
    workout = Workout(name=f"Full body {user.telegram_id}", created_by=user.id)
    session.add(workout)
    await session.flush()
    rows = [
        UserWorkoutSession(
            user_id=user.id, workout_id=workout.id, created_by=user.id, session_status=status, scheduled_at=at
        )
        for status, at in planned
    ]
    session.add_all(rows)
    await session.flush()
    return [row.id for row in rows]


async def _scheduled(session: AsyncSession, ids: list[uuid.UUID]) -> list[datetime | None]:
    session.expire_all()
    found = {
        row.id: row.scheduled_at
        for row in await session.scalars(select(UserWorkoutSession).where(UserWorkoutSession.id.in_(ids)))
    }
    return [found[i] for i in ids]


async def test_reminder_time_moves_planned_sessions_on_their_local_date(session: AsyncSession) -> None:
    # Tokyo (UTC+9), 06:00 local: 20 Jan 06:00 JST is 19 Jan 21:00 UTC - the local date is the 20th
    alice = await _user(session, 1, "Asia/Tokyo", time(6, 0))
    bob = await _user(session, 2, "Asia/Tokyo", time(6, 0))
    ids = await _sessions(
        session,
        alice,
        (SessionStatus.PLANNED, utc(2026, 1, 19, 21, 0)),
        (SessionStatus.PLANNED, utc(2026, 1, 22, 21, 0)),
        (SessionStatus.COMPLETED, utc(2026, 1, 17, 21, 0)),
        (SessionStatus.SKIPPED, utc(2026, 1, 18, 21, 0)),
        (SessionStatus.IN_PROGRESS, utc(2026, 1, 18, 21, 0)),
        (SessionStatus.PLANNED, None),
    )
    (other,) = await _sessions(session, bob, (SessionStatus.PLANNED, utc(2026, 1, 19, 21, 0)))

    moved = await set_reminder_time(session, alice, time(20, 0))
    await session.commit()

    assert moved == 2
    assert (alice.reminder_time, alice.reminders_enabled) == (time(20, 0), True)
    assert await _scheduled(session, ids) == [
        utc(2026, 1, 20, 11, 0),  # 20 Jan 20:00 JST - the same local date, not the UTC date (19th)
        utc(2026, 1, 23, 11, 0),
        utc(2026, 1, 17, 21, 0),  # done or started sessions keep their time
        utc(2026, 1, 18, 21, 0),
        utc(2026, 1, 18, 21, 0),
        None,
    ]
    assert await _scheduled(session, [other]) == [utc(2026, 1, 19, 21, 0)]  # another user's


async def test_time_zone_moves_planned_sessions(session: AsyncSession) -> None:
    # Berlin 07:00 on 20 Jan (UTC+1) is 06:00 UTC; New York 07:00 on 20 Jan (UTC-5) is 12:00 UTC
    alice = await _user(session, 1, "Europe/Berlin", time(7, 0))
    ids = await _sessions(
        session,
        alice,
        (SessionStatus.PLANNED, utc(2026, 1, 20, 6, 0)),
        (SessionStatus.PLANNED, utc(2026, 7, 20, 5, 0)),  # summer: 07:00 CEST
        (SessionStatus.CANCELLED, utc(2026, 1, 21, 6, 0)),
    )
    moved = await set_timezone(session, alice, "America/New_York")
    await session.commit()
    assert moved == 2 and alice.timezone == "America/New_York"
    assert await _scheduled(session, ids) == [
        utc(2026, 1, 20, 12, 0),
        utc(2026, 7, 20, 11, 0),  # 07:00 EDT
        utc(2026, 1, 21, 6, 0),
    ]


async def test_a_new_time_in_a_daylight_saving_gap_moves_to_the_end_of_the_gap(session: AsyncSession) -> None:
    alice = await _user(session, 1, "Europe/Berlin", time(7, 0))
    (spring,) = await _sessions(session, alice, (SessionStatus.PLANNED, utc(2026, 3, 29, 5, 0)))  # 07:00 CEST
    await set_reminder_time(session, alice, time(2, 30))  # 02:30 does not exist on 29 Mar in Berlin
    await session.commit()
    assert await _scheduled(session, [spring]) == [utc(2026, 3, 29, 1, 0)]  # 03:00 CEST


async def test_unchanged_values_and_reminders_off_move_nothing(session: AsyncSession) -> None:
    alice = await _user(session, 1, "Europe/Berlin", time(7, 0))
    ids = await _sessions(session, alice, (SessionStatus.PLANNED, utc(2026, 1, 20, 6, 0)))
    assert await set_reminder_time(session, alice, time(7, 0)) == 0
    assert await set_timezone(session, alice, "Europe/Berlin") == 0
    assert await set_reminder_time(session, alice, None) == 0
    await session.commit()
    assert (alice.reminders_enabled, alice.reminder_time) == (False, time(7, 0))  # the time is kept
    assert await _scheduled(session, ids) == [utc(2026, 1, 20, 6, 0)]
    await set_reminders_enabled(session, alice, True)
    assert alice.reminders_enabled is True


async def test_reschedule_planned_sessions_directly(session: AsyncSession) -> None:
    alice = await _user(session, 1, "UTC", time(7, 0))
    ids = await _sessions(session, alice, (SessionStatus.PLANNED, utc(2026, 1, 20, 23, 30)))
    moved = await reschedule_planned_sessions(
        session, alice, old_timezone="UTC", new_timezone="Asia/Kolkata", at=time(6, 0)
    )
    await session.commit()
    assert moved == 1
    assert await _scheduled(session, ids) == [utc(2026, 1, 20, 0, 30)]  # 20 Jan 06:00 IST


@pytest.mark.parametrize("zone", ["Mars/Base", "", "europe/berlin", "localtime", "../etc/passwd", "Berlin"])
async def test_unknown_time_zone_is_refused(session: AsyncSession, zone: str) -> None:
    alice = await _user(session, 1, "UTC", time(7, 0))
    with pytest.raises(TimezoneError):
        await set_timezone(session, alice, zone)
    assert alice.timezone == "UTC"


async def test_unit_rest_timer_and_onboarding(session: AsyncSession) -> None:
    alice = await _user(session, 1, "Europe/Berlin", time(7, 0))
    now = utc(2026, 1, 15, 9, 0)
    await set_weight_unit(session, alice, WeightUnit.LB)
    await set_rest_timer(session, alice, False)
    assert await mark_onboarded(session, alice, now) is True
    assert await mark_onboarded(session, alice, utc(2026, 2, 1)) is False  # the first time is kept
    await session.commit()
    session.expire_all()
    stored = await session.scalar(select(User).where(User.telegram_id == 1))
    assert stored is not None
    assert (stored.weight_unit, stored.rest_timer_enabled, stored.onboarded_at) == (WeightUnit.LB, False, now)
    view = settings_of(stored, now)
    assert (view.timezone, view.utc_offset, view.onboarded) == ("Europe/Berlin", "UTC+01:00", True)
    assert settings_of(stored, utc(2026, 7, 1)).utc_offset == "UTC+02:00"


@pytest.mark.parametrize(
    ("text", "unit"),
    [("kg", WeightUnit.KG), (" KG ", WeightUnit.KG), ("kilos", WeightUnit.KG), ("lb", WeightUnit.LB),
     ("lbs.", WeightUnit.LB), ("Pounds", WeightUnit.LB)],
)  # fmt: skip
def test_parse_weight_unit(text: str, unit: WeightUnit) -> None:
    assert parse_weight_unit(text) is unit


@pytest.mark.parametrize("text", ["", "stone", "💪", "kgg", "x" * 5000])
def test_parse_weight_unit_refuses(text: str) -> None:
    with pytest.raises(WeightUnitError) as error:
        parse_weight_unit(text)
    assert "kg or lb" in error.value.reason and len(error.value.reason) < 100
