"""A user's settings: time zone, daily reminder, weight unit, rest timer, the bar, plates and warm-up
mode (loading), and finishing onboarding.

No Telegram, never commits (the caller's unit of work does). Every setter validates its value and raises
a DomainError with a reason a user can read, before it changes anything.

The user's PLANNED workout sessions are scheduled at their local date and the reminder time, in the
user's zone (see bot.services.program_day). When the zone or the reminder time changes, each PLANNED
session keeps its local date - read from the old scheduled_at in the old zone - and moves to the new
time in the new zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from typing import Final
from zoneinfo import ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import SessionStatus, WeightUnit
from bot.db.models import User, UserWorkoutSession
from bot.i18n import LOCALES, N_, _
from bot.services import loading
from bot.services.errors import DomainError
from bot.services.reminders import reschedule_reminders
from bot.services.timezones import (
    TIMEZONE_HELP,
    TimezoneError,
    local_datetime,
    local_today,
    timezone_exists,
    utc_offset_label,
)

UNIT_HELP: Final = N_("Send kg or lb.")
_UNIT_WORDS: Final[dict[str, WeightUnit]] = {
    "kg": WeightUnit.KG,
    "kgs": WeightUnit.KG,
    "kilo": WeightUnit.KG,
    "kilos": WeightUnit.KG,
    "kilogram": WeightUnit.KG,
    "kilograms": WeightUnit.KG,
    "lb": WeightUnit.LB,
    "lbs": WeightUnit.LB,
    "pound": WeightUnit.LB,
    "pounds": WeightUnit.LB,
    "кг": WeightUnit.KG,
    "килограмм": WeightUnit.KG,
    "килограммы": WeightUnit.KG,
    "фнт": WeightUnit.LB,
    "фунт": WeightUnit.LB,
    "фунты": WeightUnit.LB,
}


class WeightUnitError(DomainError):
    """Not a weight unit."""


@dataclass(frozen=True, slots=True)
class UserSettings:
    """A user's settings as plain values, ready to render."""

    timezone: str
    utc_offset: str
    reminder_time: time
    reminders_enabled: bool
    weight_unit: WeightUnit
    rest_timer_enabled: bool
    onboarded: bool
    exercise_rating_enabled: bool = True


def settings_of(user: User, now: datetime) -> UserSettings:
    """The user's settings; the zone's UTC offset is the one in force at `now`."""
    try:
        offset = utc_offset_label(user.timezone, now)
    except (ZoneInfoNotFoundError, ValueError):  # a zone the tz database no longer has
        offset = _("UTC offset unknown")
    return UserSettings(
        timezone=user.timezone,
        utc_offset=offset,
        reminder_time=user.reminder_time,
        reminders_enabled=user.reminders_enabled,
        weight_unit=user.weight_unit,
        rest_timer_enabled=user.rest_timer_enabled,
        onboarded=user.onboarded_at is not None,
        exercise_rating_enabled=user.exercise_rating_enabled,
    )


def parse_weight_unit(text: str) -> WeightUnit:
    """'kg', 'KG', 'kilos', 'lb', 'lbs', 'pounds' ... Raises WeightUnitError."""
    folded = re.sub(r"[\s.]+", "", text.lower()) if isinstance(text, str) else ""
    unit = _UNIT_WORDS.get(folded)
    if unit is None:
        shown = " ".join(text.split()) if isinstance(text, str) else ""
        shown = shown if len(shown) <= 30 else shown[:29] + "…"
        if not shown:
            raise WeightUnitError(_(UNIT_HELP))
        raise WeightUnitError(
            _("“{text}” is not a weight unit. {help}").format(text=shown, help=_(UNIT_HELP))
        )
    return unit


async def reschedule_planned_sessions(
    session: AsyncSession, user: User, *, old_timezone: str, new_timezone: str, at: time
) -> int:
    """Move the user's PLANNED sessions to `at` on their local date, in `new_timezone`.

    The local date of each session is read from its scheduled_at in `old_timezone`. Sessions without a
    scheduled_at are left alone. Returns how many sessions moved.
    """
    planned = await session.scalars(
        select(UserWorkoutSession).where(
            UserWorkoutSession.user_id == user.id,
            UserWorkoutSession.session_status == SessionStatus.PLANNED,
            UserWorkoutSession.scheduled_at.is_not(None),
        )
    )
    moved = 0
    for workout_session in planned:
        old = workout_session.scheduled_at
        assert old is not None
        new = local_datetime(new_timezone, local_today(old_timezone, old), at)
        if new != old:
            workout_session.scheduled_at = new
            workout_session.updated_by = user.id
            moved += 1
    await session.flush()
    return moved


async def set_timezone(session: AsyncSession, user: User, timezone: str) -> int:
    """Set the user's IANA zone (exact name, e.g. from parse_timezone) and move their PLANNED sessions.

    Raises TimezoneError for a name zoneinfo does not know. Returns how many sessions moved.
    """
    if not isinstance(timezone, str) or not timezone_exists(timezone):
        raise TimezoneError(_("That is not a time zone I know. {help}").format(help=_(TIMEZONE_HELP)))
    old = user.timezone
    if old == timezone:
        return 0
    user.timezone = timezone
    await reschedule_reminders(session, user)  # the reminder schedule follows (next tick)
    if not timezone_exists(old):  # a zone that no longer exists: nothing to read the old dates in
        return 0
    return await reschedule_planned_sessions(
        session, user, old_timezone=old, new_timezone=timezone, at=user.reminder_time
    )


async def set_reminder_time(session: AsyncSession, user: User, at: time | None) -> int:
    """Remind the user daily at `at` (local time), which turns reminders on; None turns them off and
    keeps the time. A new time moves the PLANNED sessions; returns how many moved."""
    if at is None:
        user.reminders_enabled = False
        await reschedule_reminders(session, user)
        return 0
    at = at.replace(second=0, microsecond=0, tzinfo=None)
    changed = at != user.reminder_time
    user.reminder_time = at
    user.reminders_enabled = True
    await reschedule_reminders(session, user)
    if not changed:
        return 0
    return await reschedule_planned_sessions(
        session, user, old_timezone=user.timezone, new_timezone=user.timezone, at=at
    )


async def set_reminders_enabled(session: AsyncSession, user: User, enabled: bool) -> None:
    """Turn the daily reminder on or off; the reminder time is kept."""
    user.reminders_enabled = enabled
    await reschedule_reminders(session, user)


async def set_weight_unit(session: AsyncSession, user: User, unit: WeightUnit) -> bool:
    """Show and read weights in `unit` (they are stored in kg either way). A bar and plates set in the
    other unit go back to the new unit's defaults (plates are marked in one unit); True when they did."""
    unit = WeightUnit(unit)
    changed = unit is not user.weight_unit
    user.weight_unit = unit
    reset = changed and await loading.reset_bar_and_plates(session, user)
    await session.flush()
    return reset


async def set_rest_timer(session: AsyncSession, user: User, enabled: bool) -> None:
    """Turn the rest timer between sets on or off."""
    user.rest_timer_enabled = enabled
    await session.flush()


async def set_exercise_rating(session: AsyncSession, user: User, enabled: bool) -> None:
    """Ask (or not) for a difficulty rating after each exercise of a workout."""
    user.exercise_rating_enabled = enabled
    await session.flush()


class LanguageError(DomainError):
    """Not a language the bot speaks."""


async def set_language(session: AsyncSession, user: User, locale: str) -> None:
    """Speak `locale` ('en' or 'ru') to the user from now on, whatever their Telegram language says."""
    if locale not in LOCALES:
        raise LanguageError(_("I speak English and Russian only."))
    user.language = locale
    await session.flush()


async def mark_onboarded(session: AsyncSession, user: User, now: datetime) -> bool:
    """Record that the user finished onboarding (the first time only); True if it was the first time."""
    if user.onboarded_at is not None:
        return False
    user.onboarded_at = now
    await session.flush()
    return True


__all__ = [
    "UNIT_HELP",
    "UserSettings",
    "WeightUnitError",
    "mark_onboarded",
    "parse_weight_unit",
    "reschedule_planned_sessions",
    "set_exercise_rating",
    "set_reminder_time",
    "set_reminders_enabled",
    "set_rest_timer",
    "set_timezone",
    "set_weight_unit",
    "settings_of",
]
