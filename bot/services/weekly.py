"""The week in numbers, for the Sunday-evening summary: workouts done against those scheduled, the work
done (sets, volume, time) and the records set - the same records the bot announced as the sets were
logged. Domain only: no Telegram, never commits.

The week is Monday to Sunday in the user's zone. A session belongs to the week in which it happened
(it started, or else was created: `records.SESSION_MOMENT`), as a record belongs to the set that made it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import SessionStatus
from bot.db.models import (
    Exercise,
    ExerciseInstruction,
    User,
    UserExercisePerformance,
    UserExerciseSet,
    UserWorkoutSession,
)
from bot.services.records import SESSION_MOMENT, Bests, Record, bests_until, new_records
from bot.services.timezones import local_datetime

MIDNIGHT = time(0, 0)


@dataclass(frozen=True, slots=True)
class WeekReport:
    """A user's week: workouts done vs scheduled, the work done, the new records."""

    week_start: date
    week_end: date
    scheduled: int  # program workouts scheduled in the week (a cancelled one is offered again: not counted)
    done: int  # workouts completed in the week, scheduled or not
    done_scheduled: int  # of the scheduled ones, how many were completed
    skipped: int
    sets: int  # working sets logged in the week's sessions (a cancelled workout's sets are kept: counted)
    reps: int
    volume_kg: Decimal
    seconds: int  # the time of timed sets
    records: tuple[tuple[str, Record], ...] = field(default_factory=tuple)
    distance_m: Decimal = Decimal(0)  # the distance of sets with one (a run, a row)
    distance_seconds: int = 0  # the time of those sets (for the pace)
    calories: int = 0  # the calories of sets with them (a rower, a bike)

    @property
    def extra(self) -> int:
        """Completed workouts beyond the scheduled ones (ad-hoc workouts, a late one of last week)."""
        return max(self.done - self.done_scheduled, 0)


async def week_report(session: AsyncSession, user: User, today: date) -> WeekReport | None:
    """The report of the local week containing `today` (None for a week without any workout)."""
    tz = user.timezone
    monday = today - timedelta(days=today.weekday())
    start = local_datetime(tz, monday, MIDNIGHT)
    end = local_datetime(tz, monday + timedelta(days=7), MIDNIGHT)
    last = end - timedelta(microseconds=1)
    mine = UserWorkoutSession.user_id == user.id
    scheduled_rows = (
        await session.execute(
            select(UserWorkoutSession.session_status).where(
                mine,
                UserWorkoutSession.program_enrollment_id.is_not(None),
                UserWorkoutSession.session_status != SessionStatus.CANCELLED,
                UserWorkoutSession.scheduled_at.between(start, last),
            )
        )
    ).all()
    scheduled = len(scheduled_rows)
    done_scheduled = sum(1 for (status,) in scheduled_rows if status == SessionStatus.COMPLETED)
    rows = await session.execute(
        select(UserWorkoutSession.session_status, func.count())
        .where(mine, UserWorkoutSession.completed_at.between(start, last))
        .group_by(UserWorkoutSession.session_status)
    )
    counts: dict[SessionStatus, int] = {status: n for status, n in rows}  # noqa: C416
    done = counts.get(SessionStatus.COMPLETED, 0)
    skipped = counts.get(SessionStatus.SKIPPED, 0)
    if not scheduled and not done:
        return None
    working = await _week_sets(session, user.id, start, last)
    records = await _records(session, user.id, working, start)
    return WeekReport(
        week_start=monday,
        week_end=monday + timedelta(days=6),
        scheduled=scheduled,
        done=done,
        done_scheduled=done_scheduled,
        skipped=skipped,
        sets=len(working),
        reps=sum(row.reps or 0 for row in working),
        volume_kg=sum(
            (row.weight_kg * row.reps for row in working if row.weight_kg is not None and row.reps),
            Decimal(0),
        ),
        seconds=sum(row.duration_seconds or 0 for row in working),
        records=records,
        distance_m=sum((row.distance_m for row in working if row.distance_m is not None), Decimal(0)),
        distance_seconds=sum(row.duration_seconds or 0 for row in working if row.distance_m is not None),
        calories=sum(row.calories or 0 for row in working),
    )


async def _week_sets(session: AsyncSession, user_id: uuid.UUID, start: datetime, last: datetime) -> list[Any]:
    """The working sets of the sessions that happened in the week, in the order they were logged."""
    rows = await session.execute(
        select(
            UserWorkoutSession.id.label("session_id"),
            ExerciseInstruction.exercise_id,
            Exercise.name,
            UserExerciseSet.reps,
            UserExerciseSet.weight_kg,
            UserExerciseSet.duration_seconds,
            UserExerciseSet.is_warmup,
            UserExerciseSet.distance_m,
            UserExerciseSet.calories,
        )
        .join(UserExercisePerformance, UserExercisePerformance.id == UserExerciseSet.performance_id)
        .join(UserWorkoutSession, UserWorkoutSession.id == UserExercisePerformance.user_workout_session_id)
        .join(ExerciseInstruction, ExerciseInstruction.id == UserExercisePerformance.exercise_instruction_id)
        .join(Exercise, Exercise.id == ExerciseInstruction.exercise_id)
        .where(
            UserWorkoutSession.user_id == user_id,
            SESSION_MOMENT.between(start, last),
            UserExerciseSet.is_warmup.is_(False),
        )
        .order_by(
            SESSION_MOMENT,
            UserWorkoutSession.id,
            UserExercisePerformance.created_at,
            UserExerciseSet.set_number,
        )
    )
    return list(rows)


async def _records(
    session: AsyncSession, user_id: uuid.UUID, working: list[Any], start: datetime
) -> tuple[tuple[str, Record], ...]:
    """Each exercise's records of the week: its sets in order against the bests before the week, then
    against each other (a first-ever Monday sets the bar that Thursday beats), as they were announced.
    A kind is reported once, with the week's best and the best before it (before Monday, or Monday's)."""
    by_exercise: dict[uuid.UUID, list[Any]] = {}
    for row in working:
        by_exercise.setdefault(row.exercise_id, []).append(row)
    found: list[tuple[str, Record]] = []
    for exercise_id, sets in by_exercise.items():
        before = await bests_until(session, user_id, exercise_id, start)
        name = sets[0].name
        if before.empty:  # a first-ever session sets the bar and no record (as when it was logged)
            first = sets[0].session_id
            _, before = new_records(Bests(), [row for row in sets if row.session_id == first])
            sets = [row for row in sets if row.session_id != first]
        records, _ = new_records(before, sets)
        found += [(name, record) for record in records]
    return tuple(found)


__all__ = ["WeekReport", "week_report"]
