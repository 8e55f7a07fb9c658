"""Swapping an exercise of a workout for another, for this session only.

The program's instruction stays as it is; a new ad-hoc instruction of the user's (workout_id NULL) gets
the original's prescription (sets, reps, duration, rest; the weight only when both exercises are tracked
the same way) and a `session_exercise_swap` row says which instruction it replaces in which session, so
the session's view (bot.services.workout_views) shows it in the original's place, prescribed like it.
Sets logged to it are the new exercise's: its records, history and "last time".

Only an exercise with no set logged in this session can be swapped: its sets would otherwise belong to
the wrong exercise (undo them first). Swapping a swapped exercise again replaces the replacement;
choosing the program's own exercise again undoes the swap. Never commits.
"""

from __future__ import annotations

import uuid

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Exercise, ExerciseInstruction, SessionExerciseSwap, User
from bot.i18n import _, exercise_name
from bot.services.custom_exercises import visible_exercise, visible_to
from bot.services.errors import DomainError
from bot.services.workout_views import ExerciseView, SessionView, in_progress_row, session_view

SUGGESTIONS = 8
EQUIPMENT_FAMILIES = (
    frozenset({"barbell", "dumbbell", "kettlebell"}),
    frozenset({"machine", "cable"}),
    frozenset({"bodyweight", "none", "pull_up_bar", "band"}),
)


class SetsLogged(DomainError):
    """The exercise already has sets in this session."""


def family(equipment: str) -> frozenset[str]:
    return next((f for f in EQUIPMENT_FAMILIES if equipment in f), frozenset({equipment}))


def swappable(view: SessionView, index: int) -> ExerciseView:
    exercise = view.exercise(index)
    if exercise.adhoc:
        raise DomainError(_("An extra exercise can't be swapped: add the other exercise instead."))
    if exercise.sets:
        raise SetsLogged(
            _(
                "{name} already has sets logged in this workout, so it can't be swapped "
                "(they would belong to the other exercise). Undo them first, or add the other exercise "
                "as an extra."
            ).format(name=exercise_name(exercise.name))
        )
    return exercise


async def suggestions(session: AsyncSession, user: User, view: SessionView, index: int) -> list[Exercise]:
    """Alternatives to the exercise: the same muscle group with the same equipment first, then similar
    equipment, then any equipment, then other muscle groups with the same equipment; never one the
    workout already has. The catalog's and the user's own exercises only (never another user's)."""
    exercise = view.exercise(index)
    similar = family(exercise.equipment)
    taken = {e.exercise_id for e in view.exercises}
    candidates = await session.scalars(
        select(Exercise).where(
            Exercise.is_active.is_(True),
            visible_to(user.id),
            or_(Exercise.muscle_group == exercise.muscle_group, Exercise.equipment.in_(similar)),
        )
    )

    def rank(candidate: Exercise) -> tuple[int, str]:
        same_group = candidate.muscle_group == exercise.muscle_group
        if same_group and candidate.equipment == exercise.equipment:
            tier = 0
        elif same_group and candidate.equipment in similar:
            tier = 1
        elif same_group:
            tier = 2
        else:
            tier = 3 if candidate.equipment == exercise.equipment else 4
        return tier, candidate.name.lower()

    found = sorted((c for c in candidates if c.id not in taken), key=rank)
    return found[:SUGGESTIONS]


async def search(session: AsyncSession, user: User, view: SessionView, query: str) -> list[Exercise]:
    """Exercises the user can see (the catalog and their own) whose name contains every typed word, but
    none the workout already has."""
    words = [w for w in query.lower().split() if w][:5]
    taken = [e.exercise_id for e in view.exercises]
    statement = select(Exercise).where(
        Exercise.is_active.is_(True), visible_to(user.id), Exercise.id.not_in(taken)
    )
    for word in words:
        statement = statement.where(func.lower(Exercise.name).contains(word[:40], autoescape=True))
    return list((await session.scalars(statement.order_by(Exercise.name).limit(SUGGESTIONS))).all())


async def swap_exercise(
    session: AsyncSession, user: User, session_id: uuid.UUID, index: int, exercise_id: uuid.UUID
) -> ExerciseView:
    """Replace the workout's exercise at `index` by `exercise_id` for this session; the new view of it."""
    await in_progress_row(session, user, session_id)  # owned and in progress, its row locked
    view = await session_view(session, user, session_id, lock=True)
    current = swappable(view, index)
    target = await visible_exercise(session, user, exercise_id)  # NotFound for another user's own
    existing = await session.scalar(
        select(SessionExerciseSwap).where(
            SessionExerciseSwap.session_id == session_id,
            SessionExerciseSwap.replacement_instruction_id == current.instruction_id,
        )
    )
    original_id = existing.original_instruction_id if existing is not None else current.instruction_id
    original = await session.get(ExerciseInstruction, original_id)
    assert original is not None
    if target.id == current.exercise_id:
        return current
    if existing is not None:  # the replacement (no set logged) goes, unless a summary row uses it
        await session.execute(delete(SessionExerciseSwap).where(SessionExerciseSwap.id == existing.id))
        if current.performance_id is None:
            await session.execute(
                delete(ExerciseInstruction).where(ExerciseInstruction.id == current.instruction_id)
            )
        if target.id == original.exercise_id:  # back to the program's own exercise
            await session.flush()
            return (await session_view(session, user, session_id)).exercise(index)
    if any(e.exercise_id == target.id for e in view.exercises):
        raise DomainError(_("{name} is already in this workout.").format(name=exercise_name(target.name)))
    source = await session.get(Exercise, original.exercise_id)
    same_tracking = source is not None and source.tracking_type == target.tracking_type
    replacement = ExerciseInstruction(
        workout_id=None,
        exercise_id=target.id,
        order_index=0,
        target_sets=original.target_sets,
        target_reps_min=original.target_reps_min,
        target_reps_max=original.target_reps_max,
        target_weight_kg=original.target_weight_kg if same_tracking else None,
        target_duration_seconds=original.target_duration_seconds,
        rest_seconds=original.rest_seconds,
        created_by=user.id,
    )
    session.add(replacement)
    await session.flush()
    session.add(
        SessionExerciseSwap(
            session_id=session_id,
            original_instruction_id=original.id,
            replacement_instruction_id=replacement.id,
        )
    )
    await session.flush()
    return (await session_view(session, user, session_id)).exercise(index)
