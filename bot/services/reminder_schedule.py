"""When each user's reminder, local-midnight rollover and weekly summary are next due (bot.services.reminders
has the rules of taking them exactly once; this module only computes and writes the instants).

The schedule lives on the user row as three UTC instants (next_reminder_at, next_rollover_at,
next_summary_at), computed with zoneinfo so daylight saving time is exact. Scheduling rule (new users, a
changed zone, time or switch): the earliest local occurrence that is not older than the grace period.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import ReminderLog, User
from bot.services.timezones import local_datetime, local_today

DEFAULT_GRACE: Final = timedelta(hours=3)
MIDNIGHT: Final = time(0, 0)
SUMMARY_WEEKDAY: Final = 6  # Sunday (date.weekday())
SUMMARY_TIME: Final = time(19, 0)
ERROR_LIMIT: Final = 500  # reminder_log.error
TICK: Final = timedelta(microseconds=1)  # "strictly after": first_occurrence(..., now + TICK)

# --- instants ------------------------------------------------------------------------------------------


def first_occurrence(tz: str, at: time, not_before: datetime, *, weekday: int | None = None) -> datetime:
    """The first instant, not before `not_before`, at which the clock in `tz` shows `at` (on `weekday`
    only, if given: 0 is Monday). DST-exact through `local_datetime`."""
    day = local_today(tz, not_before) - timedelta(days=1)
    while True:
        if weekday is None or day.weekday() == weekday:
            instant = local_datetime(tz, day, at)
            if instant >= not_before:
                return instant
        day += timedelta(days=1)


def following_reminder(tz: str, at: time, due_at: datetime, now: datetime) -> datetime:
    """The reminder after the one due at `due_at`: the next local date's.

    After a long outage that one may be long past too; then it is the latest one already due, so an
    outage drops at most two reminders (its first and, if older than the grace period, its last), not
    one per day: the days between are skipped.
    """
    day = local_today(tz, due_at) + timedelta(days=1)
    latest = local_today(tz, now)
    if local_datetime(tz, latest, at) > now:
        latest -= timedelta(days=1)
    return local_datetime(tz, max(day, latest), at)


@dataclass(frozen=True, slots=True)
class Schedule:
    """When the scheduler next acts for a user (UTC)."""

    next_reminder_at: datetime | None
    next_rollover_at: datetime
    next_summary_at: datetime | None


def schedule_of(user: User, now: datetime, grace: timedelta = DEFAULT_GRACE) -> Schedule:
    """The user's schedule from their zone, reminder time and switches: for each, the earliest local
    occurrence not older than `grace` (see the module doc)."""
    since = now - grace
    tz = user.timezone
    return Schedule(
        next_reminder_at=first_occurrence(tz, user.reminder_time, since) if user.reminders_enabled else None,
        next_rollover_at=first_occurrence(tz, MIDNIGHT, since),
        next_summary_at=(
            first_occurrence(tz, SUMMARY_TIME, since, weekday=SUMMARY_WEEKDAY)
            if user.weekly_summary_enabled
            else None
        ),
    )


async def reschedule_reminders(
    session: AsyncSession, user: User, now: datetime | None = None, *, grace: timedelta = DEFAULT_GRACE
) -> None:
    """Recompute the user's schedule after their zone, reminder time or switches changed.

    With `now`, at once; without, the user is marked unscheduled and the next minute tick schedules
    them (for callers that have no clock at hand). Either way no reminder is sent twice for one local
    date (the reminder log) and a time moved to later today still reminds today.
    """
    if now is None:
        user.next_reminder_at = user.next_rollover_at = user.next_summary_at = None
        await session.flush()
        return
    schedule = schedule_of(user, now, grace)
    next_reminder = schedule.next_reminder_at
    if next_reminder is not None and await _reminded_on(
        session, user.id, local_today(user.timezone, next_reminder)
    ):
        # That day's reminder went out already (or was dropped): the next one is the next day's.
        next_reminder = following_reminder(user.timezone, user.reminder_time, next_reminder, now)
    user.next_reminder_at = next_reminder
    user.next_rollover_at = schedule.next_rollover_at
    user.next_summary_at = schedule.next_summary_at
    await session.flush()


async def _reminded_on(session: AsyncSession, user_id: uuid.UUID, local_date: date) -> bool:
    found = await session.scalar(
        select(ReminderLog.id)
        .where(ReminderLog.user_id == user_id, ReminderLog.local_date == local_date)
        .limit(1)
    )
    return found is not None


@dataclass(frozen=True, slots=True)
class ReminderState:
    """A user's reminder settings as /reminders shows them."""

    enabled: bool
    at: time
    timezone: str
    weekly: bool
    today: date
    next_local: datetime | None
    """The next reminder in the user's zone, when it is still ahead."""


def reminder_state(user: User, now: datetime) -> ReminderState:
    upcoming = user.next_reminder_at if user.reminders_enabled else None
    next_local = None
    if upcoming is not None and upcoming > now:
        next_local = upcoming.astimezone(ZoneInfo(user.timezone))
    return ReminderState(
        enabled=user.reminders_enabled,
        at=user.reminder_time,
        timezone=user.timezone,
        weekly=user.weekly_summary_enabled,
        today=local_today(user.timezone, now),
        next_local=next_local,
    )


async def set_weekly_summary(
    session: AsyncSession, user: User, enabled: bool, now: datetime, *, grace: timedelta = DEFAULT_GRACE
) -> None:
    """Turn the Sunday-evening summary on or off."""
    user.weekly_summary_enabled = enabled
    await reschedule_reminders(session, user, now, grace=grace)


async def schedule_unscheduled(
    session: AsyncSession, now: datetime, *, grace: timedelta = DEFAULT_GRACE, limit: int = 500
) -> int:
    """Schedule up to `limit` users who have no schedule yet (new users, rows from before the schedule
    existed, users whose settings changed without a clock). Returns how many were looked at."""
    users = (
        await session.scalars(
            select(User).where(User.next_rollover_at.is_(None)).order_by(User.id).limit(limit)
        )
    ).all()
    if not users:
        return 0
    rows = []
    for user in users:
        schedule = schedule_of(user, now, grace)
        rows.append(
            {
                "user_id": user.id,
                "reminder": schedule.next_reminder_at,
                "rollover": schedule.next_rollover_at,
                "summary": schedule.next_summary_at,
            }
        )
    table = table_of(User.__table__)
    # One executemany; compare-and-set: a schedule written meanwhile (a settings change, another
    # process) stands.
    await session.execute(
        update(table)
        .where(table.c.id == bindparam("user_id"), table.c.next_rollover_at.is_(None))
        .values(
            next_reminder_at=bindparam("reminder", type_=table.c.next_reminder_at.type),
            next_rollover_at=bindparam("rollover", type_=table.c.next_rollover_at.type),
            next_summary_at=bindparam("summary", type_=table.c.next_summary_at.type),
        ),
        rows,
    )
    return len(users)


# --- the due queries -----------------------------------------------------------------------------------


def table_of(table: Any) -> Table:
    """A mapped class's __table__, typed as the Table it is."""
    assert isinstance(table, Table)
    return table


__all__ = [
    "DEFAULT_GRACE",
    "ERROR_LIMIT",
    "MIDNIGHT",
    "SUMMARY_TIME",
    "SUMMARY_WEEKDAY",
    "TICK",
    "ReminderState",
    "Schedule",
    "first_occurrence",
    "following_reminder",
    "reminder_state",
    "reschedule_reminders",
    "schedule_of",
    "schedule_unscheduled",
    "set_weekly_summary",
    "table_of",
]
