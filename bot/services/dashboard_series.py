"""The Mini App's dashboard series: the exercises logged, volume per muscle group per week, and the
history with every set, paged by date.

Domain only: no Telegram, no HTTP, never writes. Weights are kg here; bot.webapp applies the unit.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import SessionStatus
from bot.db.models import (
    Exercise,
    ExerciseInstruction,
    User,
    UserExercisePerformance,
    UserExerciseSet,
    UserWorkoutSession,
    Workout,
)
from bot.services.dashboard import local_midnight, week_start
from bot.services.records import SESSION_MOMENT as session_moment
from bot.services.timezones import local_today

HISTORY_LIMIT_MAX: Final = 100
WEEKS_MAX: Final = 104

_SETS = (
    select()
    .select_from(UserExerciseSet)
    .join(UserExercisePerformance, UserExercisePerformance.id == UserExerciseSet.performance_id)
    .join(UserWorkoutSession, UserWorkoutSession.id == UserExercisePerformance.user_workout_session_id)
    .join(ExerciseInstruction, ExerciseInstruction.id == UserExercisePerformance.exercise_instruction_id)
    .join(Exercise, Exercise.id == ExerciseInstruction.exercise_id)
)


def _dec(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


# ---------------------------------------------------------------------------------------------------------
# the exercises


@dataclass(frozen=True, slots=True)
class ExerciseSummary:
    id: uuid.UUID
    name: str
    catalog: bool  # a catalog exercise (its name is translated), not the user's own
    sets: int  # working sets logged
    last: date  # the last day one was logged (local)


async def exercise_summaries(session: AsyncSession, user: User) -> list[ExerciseSummary]:
    """The exercises the user logged working sets of, the most recently logged first.

    Read from the per-exercise summary rows (user_exercise_performance.sets_completed counts the working
    sets; bot.services.workouts keeps it equal to them), not from every set: five years of history are
    a few thousand summary rows and tens of thousands of sets.
    """
    rows = await session.execute(
        select(
            Exercise.id,
            Exercise.name,
            Exercise.owner_id,
            func.sum(UserExercisePerformance.sets_completed),
            func.max(session_moment),
        )
        .select_from(UserExercisePerformance)
        .join(UserWorkoutSession, UserWorkoutSession.id == UserExercisePerformance.user_workout_session_id)
        .join(ExerciseInstruction, ExerciseInstruction.id == UserExercisePerformance.exercise_instruction_id)
        .join(Exercise, Exercise.id == ExerciseInstruction.exercise_id)
        .where(UserWorkoutSession.user_id == user.id, UserExercisePerformance.sets_completed > 0)
        .group_by(Exercise.id, Exercise.name, Exercise.owner_id)
    )
    zone = ZoneInfo(user.timezone)
    found = [
        ExerciseSummary(ex_id, name, owner is None, int(count), moment.astimezone(zone).date())
        for ex_id, name, owner, count, moment in rows
    ]
    found.sort(key=lambda e: (-e.last.toordinal(), -e.sets, e.name))
    return found


# ---------------------------------------------------------------------------------------------------------
# volume per muscle group


@dataclass(frozen=True, slots=True)
class WeekVolume:
    start: date  # Monday
    groups: dict[str, Decimal]  # muscle group -> kg lifted (weight x reps of working sets)


async def muscle_volume(
    session: AsyncSession, user: User, now: datetime, *, weeks: int = 12
) -> list[WeekVolume]:
    """Kg lifted per muscle group in each of the last `weeks` local weeks (this one included), oldest
    first; every week is listed, an empty one with no groups."""
    weeks = max(1, min(weeks, WEEKS_MAX))
    this_week = week_start(local_today(user.timezone, now))
    first = this_week - timedelta(weeks=weeks - 1)
    volume = func.sum(UserExerciseSet.weight_kg * UserExerciseSet.reps)
    rows = await session.execute(
        _SETS.add_columns(session_moment, Exercise.muscle_group, volume)
        .where(
            UserWorkoutSession.user_id == user.id,
            UserExerciseSet.is_warmup.is_(False),
            UserExerciseSet.weight_kg.is_not(None),
            UserExerciseSet.reps.is_not(None),
            session_moment >= local_midnight(first, user.timezone),
        )
        .group_by(UserWorkoutSession.id, session_moment, Exercise.muscle_group)
    )
    zone = ZoneInfo(user.timezone)
    buckets = {first + timedelta(weeks=n): WeekVolume(first + timedelta(weeks=n), {}) for n in range(weeks)}
    for moment, group, kg in rows:
        bucket = buckets.get(week_start(moment.astimezone(zone).date()))
        if bucket is None or kg is None:
            continue
        bucket.groups[group] = bucket.groups.get(group, Decimal(0)) + _dec(kg)
    return [buckets[w] for w in sorted(buckets)]


# ---------------------------------------------------------------------------------------------------------
# the history


@dataclass(frozen=True, slots=True)
class HistorySet:
    id: uuid.UUID
    exercise_id: uuid.UUID
    exercise: str
    catalog: bool
    set_number: int
    weight_kg: Decimal | None
    reps: int | None
    duration_seconds: int | None
    distance_m: Decimal | None
    is_warmup: bool


@dataclass(frozen=True, slots=True)
class HistorySession:
    id: uuid.UUID
    day: date
    name: str
    status: SessionStatus
    sets: tuple[HistorySet, ...]


@dataclass(frozen=True, slots=True)
class HistorySlice:
    sessions: tuple[HistorySession, ...]
    next_before: date | None  # ask with before=this for the older ones; None: no more


_IN_HISTORY = or_(
    UserWorkoutSession.completed_at.is_not(None),
    and_(
        UserWorkoutSession.session_status.in_((SessionStatus.CANCELLED, SessionStatus.SKIPPED)),
        UserWorkoutSession.started_at.is_not(None),
    ),
)
_when = func.coalesce(UserWorkoutSession.started_at, UserWorkoutSession.completed_at)


async def history_slice(
    session: AsyncSession, user: User, *, before: date | None = None, limit: int = 20
) -> HistorySlice:
    """Past workouts (as /history lists them) on local dates before `before`, newest first, about
    `limit` of them: a date's workouts are never split between two slices."""
    limit = max(1, min(limit, HISTORY_LIMIT_MAX))
    query = (
        select(UserWorkoutSession.id, _when, Workout.name, UserWorkoutSession.session_status)
        .join(Workout, Workout.id == UserWorkoutSession.workout_id)
        .where(UserWorkoutSession.user_id == user.id, _IN_HISTORY)
        .order_by(_when.desc(), UserWorkoutSession.id)
        .limit(limit + 20)
    )
    if before is not None:
        query = query.where(_when < local_midnight(before, user.timezone))
    zone = ZoneInfo(user.timezone)
    rows = [
        (sid, when.astimezone(zone).date(), name, status)
        for sid, when, name, status in await session.execute(query)
    ]
    shown = rows[:limit]
    rest = rows[limit:]
    while rest and shown and rest[0][1] == shown[-1][1]:  # the rest of the last date's workouts
        shown.append(rest.pop(0))
    more = bool(rest)
    if not more and len(rows) == limit + 20:  # a date with more than 20 workouts: stop before it
        shown = [r for r in shown if r[1] != shown[-1][1]] or shown
        more = True
    sets: dict[uuid.UUID, list[HistorySet]] = {sid: [] for sid, *_ in shown}
    if shown:
        set_rows = await session.execute(
            _SETS.add_columns(
                UserWorkoutSession.id,
                UserExerciseSet.id,
                Exercise.id,
                Exercise.name,
                Exercise.owner_id,
                UserExerciseSet.set_number,
                UserExerciseSet.weight_kg,
                UserExerciseSet.reps,
                UserExerciseSet.duration_seconds,
                UserExerciseSet.distance_m,
                UserExerciseSet.is_warmup,
            )
            .where(UserWorkoutSession.id.in_(list(sets)))
            .order_by(
                UserWorkoutSession.id,
                ExerciseInstruction.workout_id.is_(None),
                ExerciseInstruction.order_index,
                UserExercisePerformance.created_at,
                UserExerciseSet.set_number,
            )
        )
        for sid, set_id, ex_id, ex_name, owner, number, weight, reps, seconds, metres, warmup in set_rows:
            sets[sid].append(
                HistorySet(
                    set_id,
                    ex_id,
                    ex_name,
                    owner is None,
                    number,
                    None if weight is None else _dec(weight),
                    reps,
                    seconds,
                    None if metres is None else _dec(metres),
                    bool(warmup),
                )
            )
    sessions = tuple(
        HistorySession(sid, day, name, status, tuple(sets[sid])) for sid, day, name, status in shown
    )
    return HistorySlice(sessions, shown[-1][1] if more and shown else None)


__all__ = [
    "HISTORY_LIMIT_MAX",
    "WEEKS_MAX",
    "ExerciseSummary",
    "HistorySession",
    "HistorySet",
    "HistorySlice",
    "WeekVolume",
    "exercise_summaries",
    "history_slice",
    "muscle_volume",
]
