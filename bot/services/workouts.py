"""Doing a workout: starting a session, logging sets as they happen, rating, finishing, skipping.

Every set is written as it arrives, together with its exercise's summary row (user_exercise_performance:
sets_completed = working sets, reps_completed = total reps, weight_used_kg = heaviest working weight,
duration_seconds = total time), so an abandoned chat loses nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import SessionStatus, TrackingType
from bot.db.models import (
    Exercise,
    ExerciseInstruction,
    ProgramDaySession,
    User,
    UserExercisePerformance,
    UserExerciseSet,
    UserProgramEnrollment,
    UserWorkoutSession,
    Workout,
)
from bot.services.errors import DomainError, NotFound
from bot.services.program_day import DayAdvance, advance_if_day_done
from bot.services.records import Record, SetLike, bests_before, new_records

Performance = UserExercisePerformance
SMALLINT_MAX = 32767
NOTES_LIMIT = 2000
REASON_LIMIT = 500
FINISHED = (SessionStatus.COMPLETED, SessionStatus.SKIPPED, SessionStatus.CANCELLED)


class WorkoutInProgress(DomainError):
    """Another workout is already in progress; `session_id` says which."""

    def __init__(self, reason: str, session_id: uuid.UUID) -> None:
        super().__init__(reason)
        self.session_id = session_id


class AlreadyLogged(DomainError):
    """A button pressed twice (or an old button): the set it stood for is already logged."""


@dataclass(frozen=True, slots=True)
class SetView:
    number: int
    reps: int | None
    weight_kg: Decimal | None
    duration_seconds: int | None
    is_warmup: bool


@dataclass(frozen=True, slots=True)
class ExerciseView:
    index: int
    instruction_id: uuid.UUID
    exercise_id: uuid.UUID
    name: str
    tracking: TrackingType
    target_sets: int
    reps_min: int | None
    reps_max: int | None
    target_weight_kg: Decimal | None
    target_duration_seconds: int | None
    rest_seconds: int | None
    notes: str | None
    adhoc: bool
    sets: tuple[SetView, ...]
    difficulty: int | None
    performance_id: uuid.UUID | None = None
    """The exercise's user_exercise_performance row in this session, once it has one."""

    @property
    def working_sets(self) -> tuple[SetView, ...]:
        return tuple(s for s in self.sets if not s.is_warmup)

    @property
    def last_weight_kg(self) -> Decimal | None:
        """The weight a bare "8" means: the last working set's, else the prescription's, else a warm-up's."""
        for logged in reversed(self.working_sets):
            if logged.weight_kg is not None:
                return logged.weight_kg
        if self.target_weight_kg is not None:
            return self.target_weight_kg
        return next((s.weight_kg for s in reversed(self.sets) if s.weight_kg is not None), None)


@dataclass(frozen=True, slots=True)
class SessionView:
    id: uuid.UUID
    workout_name: str
    status: SessionStatus
    started_at: datetime | None
    enrollment_id: uuid.UUID | None
    day_number: int | None
    exercises: tuple[ExerciseView, ...]
    locked: bool = False
    """Read with the session row locked (FOR UPDATE on PostgreSQL) in the current transaction."""

    def exercise(self, index: int) -> ExerciseView:
        if not 0 <= index < len(self.exercises):
            raise NotFound("That exercise is not part of this workout.")
        return self.exercises[index]


@dataclass(frozen=True, slots=True)
class LogResult:
    exercise: ExerciseView
    added: tuple[SetView, ...]
    records: tuple[Record, ...]
    view: SessionView


@dataclass(frozen=True, slots=True)
class LastTime:
    when: datetime
    sets: tuple[SetView, ...]


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


@dataclass(frozen=True, slots=True)
class SessionEnd:
    summary: SessionSummary
    advance: DayAdvance | None


# ---------------------------------------------------------------------------------------------------------
# reading


async def own_session(
    session: AsyncSession, user: User, session_id: uuid.UUID, *, lock: bool = False
) -> UserWorkoutSession:
    """The user's workout session, or NotFound (someone else's id proves nothing)."""
    query = select(UserWorkoutSession).where(
        UserWorkoutSession.id == session_id, UserWorkoutSession.user_id == user.id
    )
    if lock:
        query = query.with_for_update()
    found = await session.scalar(query)
    if found is None:
        raise NotFound("That workout does not exist.")
    return found


# The queries of every logged set are built once: constructing a statement costs SQLAlchemy more than
# compiling (cached) and running it. Parameters are bindparams named after the arguments.


@cache
def _in_progress_query() -> Select[uuid.UUID]:
    return (
        select(UserWorkoutSession.id)
        .where(
            UserWorkoutSession.user_id == bindparam("user_id"),
            UserWorkoutSession.session_status == SessionStatus.IN_PROGRESS,
        )
        .order_by(UserWorkoutSession.started_at.desc())
        .limit(1)
    )


@cache
def _view_queries(
    lock: bool,
) -> tuple[Select[Any, Any, Any], Select[Any, Any], Select[Any, Any, Any, Any, Any, Any]]:
    """session_view's queries: the session's head (with its workout's name and program day), the
    prescription, and what was logged."""
    head = (
        select(UserWorkoutSession, Workout.name, ProgramDaySession.day_number)
        .outerjoin(Workout, Workout.id == UserWorkoutSession.workout_id)
        .outerjoin(ProgramDaySession, ProgramDaySession.session_id == UserWorkoutSession.id)
        .where(
            UserWorkoutSession.id == bindparam("session_id"),
            UserWorkoutSession.user_id == bindparam("user_id"),
        )
    )
    if lock:
        head = head.with_for_update(of=UserWorkoutSession)
    prescribed = (
        select(ExerciseInstruction, Exercise)
        .join(Exercise, Exercise.id == ExerciseInstruction.exercise_id)
        .where(
            ExerciseInstruction.workout_id == bindparam("workout_id"), ExerciseInstruction.is_active.is_(True)
        )
        .order_by(ExerciseInstruction.order_index)
    )
    logged = (
        select(
            UserExercisePerformance,
            UserExerciseSet.set_number,
            UserExerciseSet.reps,
            UserExerciseSet.weight_kg,
            UserExerciseSet.duration_seconds,
            UserExerciseSet.is_warmup,
        )
        .outerjoin(UserExerciseSet, UserExerciseSet.performance_id == UserExercisePerformance.id)
        .where(UserExercisePerformance.user_workout_session_id == bindparam("session_id"))
        .order_by(UserExercisePerformance.created_at, UserExercisePerformance.id, UserExerciseSet.set_number)
    )
    return head, prescribed, logged


async def in_progress_session(session: AsyncSession, user: User) -> uuid.UUID | None:
    found: uuid.UUID | None = await session.scalar(_in_progress_query(), {"user_id": user.id})
    return found


async def session_view(
    session: AsyncSession, user: User, session_id: uuid.UUID, *, lock: bool = False
) -> SessionView:
    """The workout as the trainee works through it: prescribed exercises in order, then their extras.

    Four queries: the session with its workout's name and program day; the prescription; what was
    logged (summary rows with their sets); the extras' instructions, only if there are any. `lock`
    takes the session row FOR UPDATE (PostgreSQL), as `own_session(lock=True)` does.
    """
    head, prescription, logged_query = _view_queries(lock)
    found = (await session.execute(head, {"session_id": session_id, "user_id": user.id})).first()
    if found is None:
        raise NotFound("That workout does not exist.")
    workout_session, workout_name, day = found
    prescribed = (await session.execute(prescription, {"workout_id": workout_session.workout_id})).all()
    performances: dict[uuid.UUID, UserExercisePerformance] = {}
    sets_by_performance: dict[uuid.UUID, list[SetView]] = {}
    logged = await session.execute(logged_query, {"session_id": session_id})
    for performance, number, reps, weight_kg, duration_seconds, is_warmup in logged:
        performances.setdefault(performance.exercise_instruction_id, performance)
        logged_sets = sets_by_performance.setdefault(performance.id, [])
        if number is not None:
            logged_sets.append(SetView(number, reps, weight_kg, duration_seconds, is_warmup))
    known = {instruction.id for instruction, _ in prescribed}
    extra_ids = [i for i in performances if i not in known]
    extra_rows = (
        await session.execute(
            select(ExerciseInstruction, Exercise)
            .join(Exercise, Exercise.id == ExerciseInstruction.exercise_id)
            .where(ExerciseInstruction.id.in_(extra_ids))
        )
        if extra_ids
        else ()
    )
    extras = sorted(
        ((instruction, exercise) for instruction, exercise in extra_rows),
        key=lambda pair: performances[pair[0].id].created_at,
    )
    exercises = []
    pairs = [(instruction, exercise) for instruction, exercise in prescribed] + extras
    for index, (instruction, exercise) in enumerate(pairs):
        performance = performances.get(instruction.id)
        exercises.append(
            ExerciseView(
                index=index,
                instruction_id=instruction.id,
                exercise_id=exercise.id,
                name=exercise.name,
                tracking=exercise.tracking_type,
                target_sets=instruction.target_sets,
                reps_min=instruction.target_reps_min,
                reps_max=instruction.target_reps_max,
                target_weight_kg=instruction.target_weight_kg,
                target_duration_seconds=instruction.target_duration_seconds,
                rest_seconds=instruction.rest_seconds,
                notes=instruction.notes,
                adhoc=instruction.workout_id is None,
                sets=tuple(sets_by_performance.get(performance.id, ())) if performance else (),
                difficulty=performance.difficulty_rating if performance else None,
                performance_id=performance.id if performance else None,
            )
        )
    return SessionView(
        id=workout_session.id,
        workout_name=workout_name or "Workout",
        status=workout_session.session_status,
        started_at=workout_session.started_at,
        enrollment_id=workout_session.program_enrollment_id,
        day_number=day,
        exercises=tuple(exercises),
        locked=lock,
    )


def with_exercise(view: SessionView, exercise: ExerciseView) -> SessionView:
    """The view with one exercise replaced (after a change this transaction made)."""
    return replace(
        view, exercises=tuple(exercise if e.index == exercise.index else e for e in view.exercises)
    )


async def _locked_in_progress(
    session: AsyncSession, user: User, session_id: uuid.UUID, view: SessionView | None
) -> SessionView:
    """The session's view with its row locked, read again unless `view` is that already; DomainError
    unless the workout is in progress."""
    if view is None or view.id != session_id or not view.locked:
        view = await session_view(session, user, session_id, lock=True)
    if view.status != SessionStatus.IN_PROGRESS:
        raise DomainError("That workout is not in progress any more.")
    return view


def _set_view(row: UserExerciseSet) -> SetView:
    return SetView(row.set_number, row.reps, row.weight_kg, row.duration_seconds, row.is_warmup)


@cache
def _last_time_queries() -> tuple[Select[uuid.UUID, datetime | None, datetime], Select[UserExerciseSet]]:
    latest = (
        select(UserExercisePerformance.id, UserWorkoutSession.started_at, UserWorkoutSession.created_at)
        .join(UserWorkoutSession, UserWorkoutSession.id == UserExercisePerformance.user_workout_session_id)
        .join(ExerciseInstruction, ExerciseInstruction.id == UserExercisePerformance.exercise_instruction_id)
        .where(
            UserWorkoutSession.user_id == bindparam("user_id"),
            UserWorkoutSession.id != bindparam("exclude_session"),
            ExerciseInstruction.exercise_id == bindparam("exercise_id"),
            UserExercisePerformance.sets_completed > 0,
        )
        .order_by(func.coalesce(UserWorkoutSession.started_at, UserWorkoutSession.created_at).desc())
        .limit(1)
    )
    sets = (
        select(UserExerciseSet)
        .where(
            UserExerciseSet.performance_id == bindparam("performance_id"),
            UserExerciseSet.is_warmup.is_(False),
        )
        .order_by(UserExerciseSet.set_number)
    )
    return latest, sets


async def last_time(
    session: AsyncSession, user: User, exercise_id: uuid.UUID, *, exclude_session: uuid.UUID
) -> LastTime | None:
    """What the user did on this exercise the last time, in another session."""
    latest_query, sets_query = _last_time_queries()
    parameters = {"user_id": user.id, "exclude_session": exclude_session, "exercise_id": exercise_id}
    latest = (await session.execute(latest_query, parameters)).first()
    if latest is None:
        return None
    performance_id, started_at, created_at = latest
    sets = await session.scalars(sets_query, {"performance_id": performance_id})
    return LastTime(when=started_at or created_at, sets=tuple(_set_view(s) for s in sets))


# ---------------------------------------------------------------------------------------------------------
# starting


async def start_session(
    session: AsyncSession, user: User, session_id: uuid.UUID, now: datetime
) -> SessionView:
    """PLANNED -> IN_PROGRESS (an IN_PROGRESS one is simply resumed). One workout at a time."""
    workout_session = await own_session(session, user, session_id, lock=True)
    if workout_session.session_status in FINISHED:
        raise DomainError("That workout is already over.")
    if workout_session.session_status == SessionStatus.PLANNED:
        other = await in_progress_session(session, user)
        if other is not None and other != session_id:
            raise WorkoutInProgress("You have a workout in progress: finish or cancel it first.", other)
        try:
            async with session.begin_nested():
                workout_session.session_status = SessionStatus.IN_PROGRESS
                workout_session.started_at = now
                workout_session.updated_by = user.id
                await session.flush()
        except IntegrityError:  # another process started one meanwhile (uq_user_workout_in_progress)
            other = await in_progress_session(session, user)
            if other is None:
                raise
            raise WorkoutInProgress(
                "You have a workout in progress: finish or cancel it first.", other
            ) from None
    return await session_view(session, user, session_id)


# ---------------------------------------------------------------------------------------------------------
# logging


async def _in_progress(session: AsyncSession, user: User, session_id: uuid.UUID) -> UserWorkoutSession:
    workout_session = await own_session(session, user, session_id, lock=True)
    if workout_session.session_status != SessionStatus.IN_PROGRESS:
        raise DomainError("That workout is not in progress any more.")
    return workout_session


async def _performance(
    session: AsyncSession, user: User, session_id: uuid.UUID, instruction_id: uuid.UUID
) -> UserExercisePerformance:
    """The exercise's summary row in this session, created on first use."""
    query = select(UserExercisePerformance).where(
        UserExercisePerformance.user_workout_session_id == session_id,
        UserExercisePerformance.exercise_instruction_id == instruction_id,
    )
    performance = await session.scalar(query)
    if performance is not None:
        return performance
    performance = UserExercisePerformance(
        user_workout_session_id=session_id,
        exercise_instruction_id=instruction_id,
        sets_completed=0,
        created_by=user.id,
    )
    try:
        async with session.begin_nested():
            session.add(performance)
    except IntegrityError:  # created meanwhile by a concurrent update of the same chat
        existing = await session.scalar(query)
        if existing is None:
            raise
        return existing
    return performance


async def _performance_id(
    session: AsyncSession, user: User, session_id: uuid.UUID, exercise: ExerciseView
) -> uuid.UUID:
    """The id of the exercise's summary row: the view's, or that of the row created now."""
    if exercise.performance_id is not None:
        return exercise.performance_id
    return (await _performance(session, user, session_id, exercise.instruction_id)).id


def _summary_values(sets: Sequence[SetLike], user: User) -> dict[str, Any]:
    """The summary rule: sets_completed = working sets, reps_completed = their total reps,
    weight_used_kg = the heaviest working weight, duration_seconds = their total time."""
    working = [s for s in sets if not s.is_warmup]
    reps = [s.reps for s in working if s.reps is not None]
    weights = [s.weight_kg for s in working if s.weight_kg is not None]
    durations = [s.duration_seconds for s in working if s.duration_seconds is not None]
    return {
        "sets_completed": min(len(working), SMALLINT_MAX),
        "reps_completed": min(sum(reps), SMALLINT_MAX) if reps else None,
        "weight_used_kg": max(weights) if weights else None,
        "duration_seconds": min(sum(durations), SMALLINT_MAX) if durations else None,
        "updated_by": user.id,
    }


async def _store_summary(
    session: AsyncSession, performance_id: uuid.UUID, sets: Sequence[SetLike], user: User
) -> None:
    """UPDATE the summary row from the exercise's sets as they now are. A statement, not a unit of work:
    the ORM's flush cost more than everything else a logged set does; the ORM-enabled UPDATE still
    brings a loaded copy of the row up to date."""
    await session.execute(
        update(UserExercisePerformance)
        .where(UserExercisePerformance.id == performance_id)
        .values(**_summary_values(sets, user))
    )


async def summarise(session: AsyncSession, performance: UserExercisePerformance, user: User) -> None:
    """Recompute the summary row from its sets as stored: editing a past session's sets
    (bot.services.progress) keeps its summary consistent too."""
    await session.flush()
    rows = (
        await session.scalars(select(UserExerciseSet).where(UserExerciseSet.performance_id == performance.id))
    ).all()
    await _store_summary(session, performance.id, rows, user)


async def log_sets(
    session: AsyncSession,
    user: User,
    session_id: uuid.UUID,
    exercise_index: int,
    sets: Sequence[SetLike],
    *,
    expected_count: int | None = None,
    view: SessionView | None = None,
) -> LogResult:
    """Append sets to an exercise of an in-progress workout and update its summary.

    `expected_count` is how many sets the exercise had when the user's button was drawn: a second press
    of the same button finds more and is refused with AlreadyLogged, so nothing is logged twice.
    `view` is the session as the caller just read it in this transaction (saves reading it again).
    """
    if not sets:
        raise DomainError("There is no set to log.")
    view = await _locked_in_progress(session, user, session_id, view)
    exercise = view.exercise(exercise_index)
    if expected_count is not None and len(exercise.sets) != expected_count:
        raise AlreadyLogged("Already logged.")
    previous = await bests_before(session, user.id, exercise.exercise_id, exclude_session=session_id)
    _, bests_so_far = new_records(previous, exercise.sets)
    # Records are against the user's history: with none yet, today's sets only set the bar.
    records = [] if previous.empty else new_records(bests_so_far, sets)[0]
    performance_id = await _performance_id(session, user, session_id, exercise)
    added = tuple(
        SetView(len(exercise.sets) + number, item.reps, item.weight_kg, item.duration_seconds, item.is_warmup)
        for number, item in enumerate(sets, start=1)
    )
    await session.execute(  # ORM bulk INSERT: ids and created_at come from the columns' defaults
        insert(UserExerciseSet),
        [
            {
                "performance_id": performance_id,
                "set_number": row.number,
                "reps": row.reps,
                "weight_kg": row.weight_kg,
                "duration_seconds": row.duration_seconds,
                "is_warmup": row.is_warmup,
            }
            for row in added
        ],
    )
    updated = replace(exercise, sets=exercise.sets + added, performance_id=performance_id)
    await _store_summary(session, performance_id, updated.sets, user)
    return LogResult(
        exercise=updated, added=tuple(added), records=tuple(records), view=with_exercise(view, updated)
    )


async def undo_last_set(
    session: AsyncSession,
    user: User,
    session_id: uuid.UUID,
    exercise_index: int,
    *,
    view: SessionView | None = None,
) -> tuple[SessionView, SetView]:
    """Remove the exercise's last set; the view after it and the set removed."""
    view = await _locked_in_progress(session, user, session_id, view)
    exercise = view.exercise(exercise_index)
    if not exercise.sets:
        raise DomainError("There is no set to undo.")
    performance_id = await _performance_id(session, user, session_id, exercise)
    last = exercise.sets[-1]
    await session.execute(
        delete(UserExerciseSet).where(
            UserExerciseSet.performance_id == performance_id, UserExerciseSet.set_number == last.number
        )
    )
    remaining = replace(exercise, sets=exercise.sets[:-1], performance_id=performance_id)
    await _store_summary(session, performance_id, remaining.sets, user)
    return with_exercise(view, remaining), last


async def rate_exercise(
    session: AsyncSession,
    user: User,
    session_id: uuid.UUID,
    exercise_index: int,
    difficulty: int,
    *,
    view: SessionView | None = None,
) -> SessionView:
    """Rate an exercise of a workout in progress (or finished: a late rating); the view after it."""
    if not 1 <= difficulty <= 10:
        raise DomainError("Difficulty goes from 1 (very easy) to 10 (maximal).")
    if view is None or view.id != session_id:
        view = await session_view(session, user, session_id)
    if view.status not in (SessionStatus.IN_PROGRESS, SessionStatus.COMPLETED):
        raise DomainError("That workout is not in progress any more.")
    exercise = view.exercise(exercise_index)
    performance_id = await _performance_id(session, user, session_id, exercise)
    await session.execute(
        update(UserExercisePerformance)
        .where(UserExercisePerformance.id == performance_id)
        .values(difficulty_rating=difficulty, updated_by=user.id)
    )
    return with_exercise(view, replace(exercise, difficulty=difficulty, performance_id=performance_id))


async def search_exercises(session: AsyncSession, query: str, *, limit: int = 8) -> list[Exercise]:
    """Catalog exercises whose name contains every word of the query (case-insensitive)."""
    words = [w for w in query.lower().split() if w][:5]
    statement = select(Exercise).where(Exercise.is_active.is_(True))
    for word in words:
        statement = statement.where(func.lower(Exercise.name).contains(word[:40], autoescape=True))
    return list((await session.scalars(statement.order_by(Exercise.name).limit(limit))).all())


async def add_extra_exercise(
    session: AsyncSession, user: User, session_id: uuid.UUID, exercise_id: uuid.UUID
) -> ExerciseView:
    """Add a catalog exercise to an in-progress workout (an ad-hoc extra, the user's own instruction)."""
    await _in_progress(session, user, session_id)
    exercise = await session.get(Exercise, exercise_id)
    if exercise is None or not exercise.is_active:
        raise NotFound("That exercise is not in the catalog.")
    instruction = await session.scalar(
        select(ExerciseInstruction).where(
            ExerciseInstruction.workout_id.is_(None),
            ExerciseInstruction.created_by == user.id,
            ExerciseInstruction.exercise_id == exercise_id,
        )
    )
    if instruction is None:
        instruction = ExerciseInstruction(
            workout_id=None, exercise_id=exercise_id, order_index=0, target_sets=1, created_by=user.id
        )
        session.add(instruction)
        await session.flush()
    view = await session_view(session, user, session_id)
    for existing in view.exercises:
        if existing.instruction_id == instruction.id or (
            existing.exercise_id == exercise_id and not existing.sets and not existing.adhoc
        ):
            return existing
    await _performance(session, user, session_id, instruction.id)
    view = await session_view(session, user, session_id)
    return next(e for e in view.exercises if e.instruction_id == instruction.id)


# ---------------------------------------------------------------------------------------------------------
# ending


def _check_rating(value: int | None, low: int, high: int, what: str) -> None:
    if value is not None and not low <= value <= high:
        raise DomainError(f"{what} goes from {low} to {high}.")


def check_notes(notes: str | None, limit: int = NOTES_LIMIT) -> str | None:
    if notes is None:
        return None
    notes = notes.strip()
    if len(notes) > limit:
        raise DomainError(f"That note has {len(notes)} characters; the limit is {limit}. Please shorten it.")
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
    workout_session = await _in_progress(session, user, session_id)
    workout_session.session_status = SessionStatus.COMPLETED
    workout_session.completed_at = now
    started = workout_session.started_at or now
    workout_session.actual_duration_seconds = max(1, min(int((now - started).total_seconds()), SMALLINT_MAX))
    workout_session.effort_rating = effort
    workout_session.soreness_rating = soreness
    workout_session.session_notes = notes
    workout_session.updated_by = user.id
    await session.flush()
    advance = await _advance_enrollment(session, user, workout_session, now)
    return SessionEnd(summary=await session_summary(session, user, session_id), advance=advance)


async def skip_session(
    session: AsyncSession, user: User, session_id: uuid.UUID, now: datetime, *, reason: str | None
) -> SessionEnd:
    """PLANNED or IN_PROGRESS -> SKIPPED with the reason; the program moves on as if it were done."""
    reason = check_notes(reason, REASON_LIMIT)
    workout_session = await own_session(session, user, session_id, lock=True)
    if workout_session.session_status in FINISHED:
        raise DomainError("That workout is already over.")
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
    workout_session = await _in_progress(session, user, session_id)
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


async def session_summary(session: AsyncSession, user: User, session_id: uuid.UUID) -> SessionSummary:
    """Sets, reps, volume (working sets, weight x reps), duration, ratings and the records set."""
    workout_session = await own_session(session, user, session_id)
    view = await session_view(session, user, session_id)
    sets = reps = 0
    volume = Decimal(0)
    records: list[tuple[str, Record]] = []
    for exercise in view.exercises:
        working = exercise.working_sets
        sets += len(working)
        reps += sum(s.reps or 0 for s in working)
        volume += sum((s.weight_kg * s.reps for s in working if s.weight_kg and s.reps), Decimal(0))
        if working:
            history = await bests_before(session, user.id, exercise.exercise_id, exclude_session=session_id)
            found, _ = new_records(history, working)
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
    )
