"""Ending a workout: finishing it with ratings, skipping it, cancelling it, and its summary."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import SessionStatus
from bot.db.models import (
    ProgramDaySession,
    ScheduleWorkout,
    User,
    UserProgramEnrollment,
    UserWorkoutSession,
    Workout,
)
from bot.i18n import _
from bot.services.errors import DomainError
from bot.services.program_day import DayAdvance, advance_if_day_done
from bot.services.records import Record, bests_before, new_records
from bot.services.target_batch import update_targets
from bot.services.targets import TargetChange
from bot.services.workout_views import in_progress_row, own_session, session_view

SMALLINT_MAX = 32767
NOTES_LIMIT = 2000
REASON_LIMIT = 500
FINISHED = (SessionStatus.COMPLETED, SessionStatus.SKIPPED, SessionStatus.CANCELLED)


@dataclass(frozen=True, slots=True)
class SessionSummary:
    session_id: uuid.UUID
    workout_name: str
    status: SessionStatus
    exercises_done: int
    exercises_total: int
    sets: int
    reps: int
    volume_kg: Decimal
    duration_seconds: int | None
    effort: int | None
    soreness: int | None
    records: tuple[tuple[str, Record], ...]
    seconds: int = 0  # the time of timed working sets (a plank, a run): their work is time, not volume
    distance_m: Decimal = Decimal(0)  # the distance of working sets with one (a run, a row)
    distance_seconds: int = 0  # the time of those sets (for the pace)
    calories: int = 0  # the calories of working sets with them (a rower, a bike)


@dataclass(frozen=True, slots=True)
class SessionEnd:
    summary: SessionSummary
    advance: DayAdvance | None
    targets: tuple[TargetChange, ...] = ()
    """What the session did to the trainee's targets (progression rules), in exercise order."""


def _check_rating(value: int | None, low: int, high: int, what: str) -> None:
    if value is not None and not low <= value <= high:
        message = (
            _("Effort goes from {low} to {high}.")
            if what == "Effort"
            else _("Soreness goes from {low} to {high}.")
        )
        raise DomainError(message.format(low=low, high=high))


def check_notes(notes: str | None, limit: int = NOTES_LIMIT) -> str | None:
    if notes is None:
        return None
    notes = notes.strip()
    if len(notes) > limit:
        raise DomainError(
            _("That note has {length} characters; the limit is {limit}. Please shorten it.").format(
                length=len(notes), limit=limit
            )
        )
    return notes or None


async def _advance_enrollment(
    session: AsyncSession, user: User, workout_session: UserWorkoutSession, now: datetime
) -> DayAdvance | None:
    if workout_session.program_enrollment_id is None:
        return None
    enrollment = await session.get(UserProgramEnrollment, workout_session.program_enrollment_id)
    if enrollment is None:
        return None
    return await advance_if_day_done(session, user, enrollment, now)


BACKDATED_LENGTH: Final = timedelta(hours=1)


def end_time(workout_session: UserWorkoutSession, user: User, now: datetime) -> datetime:
    """When a workout ends: now, except a quick workout logged for a past day (/log yesterday) ends an
    hour after its start, on that day."""
    started = workout_session.started_at
    if workout_session.program_enrollment_id is not None or started is None:
        return now
    zone = ZoneInfo(user.timezone)
    if started.astimezone(zone).date() >= now.astimezone(zone).date():
        return now
    return started + BACKDATED_LENGTH


async def finish_session(
    session: AsyncSession,
    user: User,
    session_id: uuid.UUID,
    now: datetime,
    *,
    effort: int | None,
    soreness: int | None,
    notes: str | None,
) -> SessionEnd:
    """IN_PROGRESS -> COMPLETED with ratings; advances the program day when it was its last workout."""
    _check_rating(effort, 1, 10, "Effort")
    _check_rating(soreness, 0, 10, "Soreness")
    notes = check_notes(notes)
    workout_session = await in_progress_row(session, user, session_id)
    workout_session.session_status = SessionStatus.COMPLETED
    now = end_time(workout_session, user, now)
    workout_session.completed_at = now
    started = workout_session.started_at or now
    workout_session.actual_duration_seconds = max(1, min(int((now - started).total_seconds()), SMALLINT_MAX))
    workout_session.effort_rating = effort
    workout_session.soreness_rating = soreness
    workout_session.session_notes = notes
    workout_session.updated_by = user.id
    await session.flush()
    changes = await update_targets(session, [session_id])
    advance = await _advance_enrollment(session, user, workout_session, now)
    return SessionEnd(
        summary=await session_summary(session, user, session_id), advance=advance, targets=tuple(changes)
    )


async def skip_session(
    session: AsyncSession, user: User, session_id: uuid.UUID, now: datetime, *, reason: str | None
) -> SessionEnd:
    """PLANNED or IN_PROGRESS -> SKIPPED with the reason; the program moves on as if it were done."""
    reason = check_notes(reason, REASON_LIMIT)
    workout_session = await own_session(session, user, session_id, lock=True)
    if workout_session.session_status in FINISHED:
        raise DomainError(_("That workout is already over."))
    workout_session.session_status = SessionStatus.SKIPPED
    workout_session.session_notes = f"Skipped: {reason}" if reason else "Skipped"
    workout_session.updated_by = user.id
    await session.flush()
    advance = await _advance_enrollment(session, user, workout_session, now)
    return SessionEnd(summary=await session_summary(session, user, session_id), advance=advance)


async def cancel_session(
    session: AsyncSession, user: User, session_id: uuid.UUID, now: datetime
) -> SessionSummary:
    """IN_PROGRESS -> CANCELLED, keeping every logged set. A program workout stays on offer for the
    day: its slot gets a fresh PLANNED session."""
    workout_session = await in_progress_row(session, user, session_id)
    workout_session.session_status = SessionStatus.CANCELLED
    workout_session.completed_at = None
    workout_session.updated_by = user.id
    link = await session.get(ProgramDaySession, session_id)
    if link is not None and link.is_current:
        link.is_current = False
        await session.flush()
        replacement = UserWorkoutSession(
            id=uuid.uuid4(),
            user_id=user.id,
            workout_id=workout_session.workout_id,
            program_enrollment_id=workout_session.program_enrollment_id,
            session_status=SessionStatus.PLANNED,
            scheduled_at=workout_session.scheduled_at,
            created_by=user.id,
        )
        session.add(replacement)
        session.add(
            ProgramDaySession(
                session_id=replacement.id,
                enrollment_id=link.enrollment_id,
                schedule_workout_id=link.schedule_workout_id,
                day_number=link.day_number,
            )
        )
    await session.flush()
    return await session_summary(session, user, session_id)


async def day_outcome(
    session: AsyncSession, enrollment_id: uuid.UUID, day_number: int
) -> list[tuple[str, SessionStatus]]:
    """The workouts of an enrollment's program day as they ended (name, status), in plan order."""
    rows = await session.execute(
        select(Workout.name, UserWorkoutSession.session_status)
        .join(ProgramDaySession, ProgramDaySession.session_id == UserWorkoutSession.id)
        .join(Workout, Workout.id == UserWorkoutSession.workout_id)
        .join(ScheduleWorkout, ScheduleWorkout.id == ProgramDaySession.schedule_workout_id)
        .where(
            ProgramDaySession.enrollment_id == enrollment_id,
            ProgramDaySession.day_number == day_number,
            ProgramDaySession.is_current.is_(True),
        )
        .order_by(ScheduleWorkout.order_index)
    )
    return [(name, status) for name, status in rows]


async def session_summary(session: AsyncSession, user: User, session_id: uuid.UUID) -> SessionSummary:
    """Sets, reps, volume (working sets, weight x reps), duration, ratings and the records set."""
    workout_session = await own_session(session, user, session_id)
    view = await session_view(session, user, session_id)
    sets = reps = seconds = distance_seconds = calories = 0
    volume = distance = Decimal(0)
    records: list[tuple[str, Record]] = []
    for exercise in view.exercises:
        working = exercise.working_sets
        sets += len(working)
        reps += sum(s.reps or 0 for s in working)
        seconds += sum(s.duration_seconds or 0 for s in working)
        distance += sum((s.distance_m for s in working if s.distance_m is not None), Decimal(0))
        distance_seconds += sum(s.duration_seconds or 0 for s in working if s.distance_m is not None)
        calories += sum(s.calories or 0 for s in working)
        volume += sum((s.weight_kg * s.reps for s in working if s.weight_kg and s.reps), Decimal(0))
        if working:
            history = await bests_before(session, user.id, exercise.exercise_id, exclude_session=session_id)
            found, _bests = new_records(history, working)
            records.extend((exercise.name, r) for r in found)
    return SessionSummary(
        session_id=session_id,
        workout_name=view.workout_name,
        status=workout_session.session_status,
        exercises_done=sum(1 for e in view.exercises if e.working_sets),
        exercises_total=len(view.exercises),
        sets=sets,
        reps=reps,
        volume_kg=volume,
        duration_seconds=workout_session.actual_duration_seconds,
        effort=workout_session.effort_rating,
        soreness=workout_session.soreness_rating,
        records=tuple(records),
        seconds=seconds,
        distance_m=distance,
        distance_seconds=distance_seconds,
        calories=calories,
    )
