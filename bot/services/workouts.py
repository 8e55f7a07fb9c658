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
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import SessionStatus
from bot.db.models import (
    Exercise,
    ExerciseInstruction,
    User,
    UserExercisePerformance,
    UserExerciseSet,
)
from bot.i18n import _
from bot.services import history_cache
from bot.services.custom_exercises import visible_exercise, visible_to
from bot.services.errors import DomainError
from bot.services.records import Bests, Record, SetLike, bests_before, new_records
from bot.services.set_input import SetInput
from bot.services.targets import prepare_targets
from bot.services.workout_end import (
    FINISHED,
    NOTES_LIMIT,
    REASON_LIMIT,
    SMALLINT_MAX,
    SessionEnd,
    SessionSummary,
    cancel_session,
    check_notes,
    day_outcome,
    finish_session,
    session_summary,
    skip_session,
)
from bot.services.workout_views import (
    CONDITIONING,
    ExerciseView,
    LastTime,
    SessionView,
    SetView,
    in_progress_row,
    in_progress_session,
    last_time,
    own_session,
    recently_finished,
    session_view,
    with_exercise,
)

Performance = UserExercisePerformance


class WorkoutInProgress(DomainError):
    """Another workout is already in progress; `session_id` says which."""

    def __init__(self, reason: str, session_id: uuid.UUID) -> None:
        super().__init__(reason)
        self.session_id = session_id


class AlreadyLogged(DomainError):
    """A button pressed twice (or an old button): the set it stood for is already logged."""


@dataclass(frozen=True, slots=True)
class LogResult:
    exercise: ExerciseView
    added: tuple[SetView, ...]
    records: tuple[Record, ...]
    view: SessionView


# ---------------------------------------------------------------------------------------------------------
# starting


async def start_session(
    session: AsyncSession, user: User, session_id: uuid.UUID, now: datetime
) -> SessionView:
    """PLANNED -> IN_PROGRESS (an IN_PROGRESS one is simply resumed). One workout at a time."""
    workout_session = await own_session(session, user, session_id, lock=True)
    if workout_session.session_status in FINISHED:
        raise DomainError(_("That workout is already over."))
    if workout_session.session_status == SessionStatus.PLANNED:
        other = await in_progress_session(session, user)
        if other is not None and other != session_id:
            raise WorkoutInProgress(_("You have a workout in progress: finish or cancel it first."), other)
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
                _("You have a workout in progress: finish or cancel it first."), other
            ) from None
        await prepare_targets(session, user, workout_session.workout_id, now)
    return await session_view(session, user, session_id)


# ---------------------------------------------------------------------------------------------------------
# logging


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


def summary_values(sets: Sequence[SetLike], user: User) -> dict[str, Any]:
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
        .values(**summary_values(sets, user))
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
    late: bool = False,
    history: Bests | None = None,
) -> LogResult:
    """Append sets to an exercise of an in-progress workout and update its summary.

    `expected_count` is how many sets the exercise had when the user's button was drawn: a second press
    of the same button finds more and is refused with AlreadyLogged, so nothing is logged twice.
    `view` is the session as the caller just read it in this transaction (saves reading it again).
    `late` adds a forgotten set to a workout just completed instead (DomainError if it is not).
    `history` is `exercise_history` for the exercise, when the caller has just read it.
    """
    if not sets:
        raise DomainError(_("There is no set to log."))
    if late:
        view = await session_view(session, user, session_id, lock=True)
        if view.status != SessionStatus.COMPLETED:
            raise DomainError(_("That workout is not finished: log the set in it as usual."))
        await history_cache.bump(session, user)  # a finished workout's sets are the next one's history
    else:
        view = await _locked_in_progress(session, user, session_id, view)
    exercise = view.exercise(exercise_index)
    if expected_count is not None and len(exercise.sets) != expected_count:
        raise AlreadyLogged(_("Already logged."))
    previous = history if history is not None else await exercise_history(session, user, session_id, exercise)
    _found, bests_so_far = new_records(previous, exercise.sets)
    # Records are against the user's history: with none yet, today's sets only set the bar.
    records = [] if previous.empty else new_records(bests_so_far, sets)[0]
    performance_id = await _performance_id(session, user, session_id, exercise)
    added = tuple(
        SetView.of(len(exercise.sets) + number, item)
        if isinstance(item, SetInput | SetView)
        else SetView(
            len(exercise.sets) + number, item.reps, item.weight_kg, item.duration_seconds, item.is_warmup
        )
        for number, item in enumerate(sets, start=1)
    )
    await session.execute(  # ORM bulk INSERT: ids and created_at come from the columns' defaults
        insert(UserExerciseSet),
        [{"performance_id": performance_id, "set_number": row.number, **row.columns()} for row in added],
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
        raise DomainError(_("There is no set to undo."))
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
        raise DomainError(_("Difficulty goes from 1 (very easy) to 10 (maximal)."))
    if view is None or view.id != session_id:
        view = await session_view(session, user, session_id)
    if view.status not in (SessionStatus.IN_PROGRESS, SessionStatus.COMPLETED):
        raise DomainError(_("That workout is not in progress any more."))
    exercise = view.exercise(exercise_index)
    performance_id = await _performance_id(session, user, session_id, exercise)
    await session.execute(
        update(UserExercisePerformance)
        .where(UserExercisePerformance.id == performance_id)
        .values(difficulty_rating=difficulty, updated_by=user.id)
    )
    return with_exercise(view, replace(exercise, difficulty=difficulty, performance_id=performance_id))


async def search_exercises(
    session: AsyncSession, query: str, *, limit: int = 8, user_id: uuid.UUID | None = None
) -> list[Exercise]:
    """Catalog exercises (and the user's own) whose name contains every word of the query
    (case-insensitive)."""
    words = [w for w in query.lower().split() if w][:5]
    statement = select(Exercise).where(Exercise.is_active.is_(True), visible_to(user_id))
    for word in words:
        statement = statement.where(func.lower(Exercise.name).contains(word[:40], autoescape=True))
    return list((await session.scalars(statement.order_by(Exercise.name).limit(limit))).all())


async def add_extra_exercise(
    session: AsyncSession, user: User, session_id: uuid.UUID, exercise_id: uuid.UUID
) -> ExerciseView:
    """Add a catalog exercise to an in-progress workout (an ad-hoc extra, the user's own instruction)."""
    await in_progress_row(session, user, session_id)
    await visible_exercise(session, user, exercise_id)
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


async def _locked_in_progress(
    session: AsyncSession, user: User, session_id: uuid.UUID, view: SessionView | None
) -> SessionView:
    """The session's view with its row locked, read again unless `view` is that already; DomainError
    unless the workout is in progress."""
    if view is None or view.id != session_id or not view.locked:
        view = await session_view(session, user, session_id, lock=True)
    if view.status != SessionStatus.IN_PROGRESS:
        raise DomainError(_("That workout is not in progress any more."))
    return view


__all__ = [
    "CONDITIONING",
    "FINISHED",
    "NOTES_LIMIT",
    "OUTLIER_REPS",
    "OUTLIER_WEIGHT_JUMP",
    "REASON_LIMIT",
    "SMALLINT_MAX",
    "AlreadyLogged",
    "ExerciseView",
    "LastTime",
    "LogResult",
    "Outlier",
    "SessionEnd",
    "SessionSummary",
    "SessionView",
    "SetView",
    "WorkoutInProgress",
    "add_extra_exercise",
    "cancel_session",
    "check_notes",
    "day_outcome",
    "exercise_history",
    "finish_session",
    "in_progress_session",
    "last_time",
    "log_sets",
    "outlier",
    "own_session",
    "rate_exercise",
    "recently_finished",
    "search_exercises",
    "session_summary",
    "session_view",
    "skip_session",
    "start_session",
    "summarise",
    "summary_values",
    "undo_last_set",
    "with_exercise",
]


OUTLIER_REPS = 30
"""More reps than this in one set asks for a confirmation before it is logged."""
OUTLIER_WEIGHT_JUMP = Decimal("1.5")
"""A weight more than 50% over the trainee's best on the exercise asks too."""


@dataclass(frozen=True, slots=True)
class Outlier:
    """Why typed sets look like a typo: too many reps, or too big a jump over `best_kg`."""

    reps: int | None
    weight_kg: Decimal | None
    best_kg: Decimal | None


async def exercise_history(
    session: AsyncSession, user: User, session_id: uuid.UUID, exercise: ExerciseView
) -> Bests:
    """The trainee's bests on the exercise before this session (records and outliers are against it)."""
    key = (exercise.exercise_id, session_id)
    cached = history_cache.get(session, user.id, "bests", key)
    if cached is not history_cache.MISSING:
        found: Bests = cached
        return found
    bests = await bests_before(session, user.id, exercise.exercise_id, exclude_session=session_id)
    history_cache.put(session, user.id, "bests", key, bests)
    return bests


def outlier(exercise: ExerciseView, sets: Sequence[SetLike], history: Bests) -> Outlier | None:
    """The first set far outside the trainee's history (reps over 30, or a weight more than 50% over
    their best for the exercise, today's sets included), or None when every set looks plausible."""
    weights = [s.weight_kg for s in exercise.sets if s.weight_kg is not None]
    if history.weight_kg is not None:
        weights.append(history.weight_kg)
    best = max(weights) if weights else None
    for item in sets:
        if item.reps is not None and item.reps > OUTLIER_REPS and item.reps > (history.reps or 0):
            return Outlier(reps=item.reps, weight_kg=None, best_kg=best)
        if item.weight_kg is not None and best is not None and item.weight_kg > best * OUTLIER_WEIGHT_JUMP:
            return Outlier(reps=None, weight_kg=item.weight_kg, best_kg=best)
    return None
