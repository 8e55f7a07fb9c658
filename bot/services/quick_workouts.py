"""Quick workouts: a workout without a program, started with /log, filled by typing named sets.

Within the existing model: a `workout` row of the user's own (no instructions) and a user_workout_session
without a program enrollment; each exercise typed is an ad-hoc instruction (workout_id NULL), as "Add
exercise" does in a program workout (`workouts.add_extra_exercise`). A past date ("/log yesterday") puts
the start on that local date at the current local time of day; finishing it puts the end one hour later
on the same date (`bot.services.workout_end.end_time`).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from babel.dates import format_date
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import SessionStatus
from bot.db.models import Exercise, User, UserWorkoutSession, Workout
from bot.i18n import N_, _, current_locale
from bot.services import catalog_cache
from bot.services.custom_exercises import visible_to
from bot.services.dates import WEEKDAYS, parse_date
from bot.services.errors import DomainError
from bot.services.exercise_match import Candidate, ExerciseIndex, Match, split_named_set
from bot.services.timezones import local_today
from bot.services.workout_views import ExerciseView, SessionView, in_progress_session
from bot.services.workouts import WorkoutInProgress, add_extra_exercise

QUICK_NAME: Final = N_("Quick workout")
OLDEST_DAYS: Final = 366


def workout_day(text: str, user: User, now: datetime) -> date:
    """The local date `/log` names: today without one; DomainError for a date in the future or over a
    year back (InvalidDate, a DomainError, when it is not a date)."""
    today = local_today(user.timezone, now)
    if not text.strip():
        return today
    day = parse_date(text, today)
    if day > today and text.strip().lower() in WEEKDAYS:
        day -= timedelta(days=7)  # "mon" in /log means the last Monday
    if day > today:
        raise DomainError(_("That date is in the future: a workout can be logged for today or a past day."))
    if day < today - timedelta(days=OLDEST_DAYS):
        raise DomainError(_("That is more than a year ago: pick a date within the last year."))
    return day


def start_time(user: User, now: datetime, day: date) -> datetime:
    """Now for today; for a past day, the same local time of day on that date (as UTC)."""
    zone = ZoneInfo(user.timezone)
    local_now = now.astimezone(zone)
    if day == local_now.date():
        return now
    clock = time(local_now.hour, local_now.minute)
    return datetime.combine(day, clock, tzinfo=zone).astimezone(now.tzinfo)


def workout_name(user: User, now: datetime, day: date) -> str:
    today = local_today(user.timezone, now)
    name = _(QUICK_NAME)  # stored as the workout's name, in the language of the trainee who logs it
    if day == today:
        return name
    # Babel's abbreviated month without its dot, as bot.ui.formatting.format_date writes it ('22 нояб 2026')
    return f"{name} · {format_date(day, 'd MMM y', locale=current_locale()).replace('.', '')}"


async def start_quick(session: AsyncSession, user: User, now: datetime, day: date) -> uuid.UUID:
    """A new quick workout in progress (WorkoutInProgress when one already is)."""
    await none_in_progress(session, user)
    workout = Workout(name=workout_name(user, now, day), created_by=user.id)
    session.add(workout)
    await session.flush()
    return await open_session(session, user, workout.id, start_time(user, now, day))


async def none_in_progress(session: AsyncSession, user: User) -> None:
    """WorkoutInProgress when the user has a workout in progress."""
    other = await in_progress_session(session, user)
    if other is not None:
        raise WorkoutInProgress(_("You have a workout in progress: finish or cancel it first."), other)


async def open_session(
    session: AsyncSession, user: User, workout_id: uuid.UUID, started_at: datetime
) -> uuid.UUID:
    """A session of `workout_id` in progress, outside any program (a quick workout, a routine)."""
    row = UserWorkoutSession(
        user_id=user.id,
        workout_id=workout_id,
        program_enrollment_id=None,
        session_status=SessionStatus.IN_PROGRESS,
        started_at=started_at,
        created_by=user.id,
    )
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError:  # another process started one meanwhile (uq_user_workout_in_progress)
        other = await in_progress_session(session, user)
        if other is None:
            raise
        raise WorkoutInProgress(
            _("You have a workout in progress: finish or cancel it first."), other
        ) from None
    return row.id


async def exercise_index(session: AsyncSession, user: User) -> ExerciseIndex:
    """The exercises the user may log, ready for matching a typed name: from the process's catalog
    cache (one short read of its version), built on a miss."""
    cache = catalog_cache.CACHE
    cache.check(await catalog_cache.current_version(session))
    found = cache.own_indexes.get(user.id) or (cache.catalog_index if user.id in cache.no_own else None)
    if found is not None:
        return found
    index, has_own = await _build_index(session, user)
    if has_own:
        cache.put_own_index(user.id, index)
    else:
        cache.catalog_index = index
        cache.no_own.add(user.id)
    return index


async def _build_index(session: AsyncSession, user: User) -> tuple[ExerciseIndex, bool]:
    """The user's index (catalog and own exercises, their programs' included), and whether they have
    any besides the catalog's."""
    cache = catalog_cache.CACHE
    if cache.catalog_index is not None:  # the catalog is known: only the user's own are read
        own_rows = await session.execute(
            select(Exercise.id, Exercise.name, Exercise.tracking_type).where(
                Exercise.is_active.is_(True), Exercise.owner_id.is_not(None), visible_to(user.id)
            )
        )
        own_only = [Candidate(i, name, None, str(tracking)) for i, name, tracking in own_rows]
        if not own_only:
            return cache.catalog_index, False
    rows = await session.execute(
        select(Exercise.id, Exercise.name, Exercise.code, Exercise.tracking_type, Exercise.owner_id).where(
            Exercise.is_active.is_(True), visible_to(user.id)
        )
    )
    catalog: list[Candidate] = []
    own: list[Candidate] = []
    for exercise_id, name, code, tracking, owner in rows:
        if owner is None:
            catalog.append(Candidate(exercise_id, name, code, str(tracking)))
        else:
            own.append(Candidate(exercise_id, name, None, str(tracking)))
    if own and cache.catalog_index is None:
        cache.catalog_index = ExerciseIndex.build(catalog)
    return ExerciseIndex.build(catalog, own), bool(own)


async def read_named(session: AsyncSession, user: User, text: str) -> tuple[str, str, Match] | None:
    """(name, set part, what the name means) for a named set such as "bench press 60x8"; None when the
    text has no name in front."""
    if split_named_set(text) is None:
        return None  # no name: no query
    return (await exercise_index(session, user)).read(text)


async def exercise_in(
    session: AsyncSession, user: User, view: SessionView, exercise_id: uuid.UUID
) -> ExerciseView:
    """The workout's exercise for `exercise_id`: the one already in it, else added as an extra."""
    for existing in view.exercises:
        if existing.exercise_id == exercise_id:
            return existing
    return await add_extra_exercise(session, user, view.id, exercise_id)


__all__ = [
    "QUICK_NAME",
    "exercise_in",
    "exercise_index",
    "none_in_progress",
    "open_session",
    "read_named",
    "start_quick",
    "start_time",
    "workout_day",
]
