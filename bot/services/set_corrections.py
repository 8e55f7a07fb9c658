"""Correcting a past set by its id (the Mini App): the same services as /history's buttons.

A set is found by id among the user's own past sessions (anyone else's, or an open workout's, is
NotFound), then changed through bot.services.history.edit_past_set / delete_past_set - the same
checks, the summary row and the history cache handled there - and the records of its exercise are
compared before and after, so the caller can say which ones the correction made or unmade.

The new values obey the limits of typed sets (bot.services.set_input): reps 1..1000, weight above 0 and
at most 1000 kg, time 1 s..10 h, and what the exercise tracks (a timed exercise takes no reps or
weight, a reps-only one no duration).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import TrackingType, WeightUnit
from bot.db.models import Exercise, User, UserExercisePerformance, UserExerciseSet, UserWorkoutSession
from bot.i18n import _
from bot.services import history
from bot.services.dashboard_series import HistorySet
from bot.services.errors import DomainError, NotFound
from bot.services.progress import ExerciseRecords, personal_records
from bot.services.set_input import (
    DURATION_SECONDS_MAX,
    DURATION_SECONDS_MIN,
    REPS_MAX,
    REPS_MIN,
    WEIGHT_KG_MAX,
    SetInput,
)
from bot.services.units import kg_from

RECORD_FIELDS = {
    "heaviest": "heaviest_kg",
    "most_reps": "most_reps",
    "e1rm": "e1rm_kg",
    "best_volume": "best_volume_kg",
    "bodyweight_reps": "bodyweight_reps",
    "longest": "longest_seconds",
}
"""The records a correction may change, by the name the API reports."""


class SetValueError(DomainError):
    """A new value of a set is out of range or does not fit the exercise; `field` names it."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field


@dataclass(frozen=True, slots=True)
class SetChange:
    weight: Decimal | None = None  # in the user's unit
    reps: int | None = None
    duration_seconds: int | None = None


@dataclass(frozen=True, slots=True)
class SetRef:
    session_id: uuid.UUID
    exercise_index: int
    exercise_id: uuid.UUID
    tracking: TrackingType
    set_number: int
    row: UserExerciseSet


@dataclass(frozen=True, slots=True)
class Corrected:
    set_id: uuid.UUID | None  # None once deleted
    session_id: uuid.UUID
    records_changed: tuple[str, ...]


async def find_set(session: AsyncSession, user: User, set_id: uuid.UUID) -> SetRef:
    """A set of one of the user's past sessions, located as /history's buttons name it."""
    found = (
        await session.execute(
            select(UserExerciseSet, UserWorkoutSession.id, UserExercisePerformance.exercise_instruction_id)
            .join(UserExercisePerformance, UserExercisePerformance.id == UserExerciseSet.performance_id)
            .join(
                UserWorkoutSession, UserWorkoutSession.id == UserExercisePerformance.user_workout_session_id
            )
            .where(UserExerciseSet.id == set_id, UserWorkoutSession.user_id == user.id)
        )
    ).first()
    if found is None:
        raise NotFound(_("That set does not exist."))
    row, session_id, instruction_id = found
    view = await history.past_session(session, user, session_id)
    if view.status not in history.PAST:
        raise NotFound(_("That set does not exist."))
    for exercise in view.exercises:
        if exercise.instruction_id == instruction_id:
            return SetRef(
                session_id, exercise.index, exercise.exercise_id, exercise.tracking, row.set_number, row
            )
    raise NotFound(_("That set does not exist."))


def _changed(before: list[ExerciseRecords], after: list[ExerciseRecords]) -> tuple[str, ...]:
    old = before[0] if before else None
    new = after[0] if after else None
    return tuple(
        name for name, attr in RECORD_FIELDS.items() if getattr(old, attr, None) != getattr(new, attr, None)
    )


def _checked(ref: SetRef, change: SetChange, unit: WeightUnit) -> SetInput:
    row = ref.row
    new = SetInput(
        reps=row.reps,
        weight_kg=row.weight_kg,
        duration_seconds=row.duration_seconds,
        is_warmup=row.is_warmup,
        set_type=row.set_type,
        rpe=row.rpe,
        rir=row.rir,
        distance_m=row.distance_m,
        assistance_kg=row.assistance_kg,
        calories=row.calories,
    )
    timed = ref.tracking is TrackingType.DURATION
    if change.reps is not None:
        if timed:
            raise SetValueError("reps", _("This exercise is timed: change its time, not reps."))
        if not REPS_MIN <= change.reps <= REPS_MAX:
            raise SetValueError(
                "reps", _("Reps must be from {low} to {high}.").format(low=REPS_MIN, high=REPS_MAX)
            )
        new = replace(new, reps=change.reps)
    if change.weight is not None:
        if timed:
            raise SetValueError("weight", _("This exercise is timed: it takes no weight."))
        if change.weight > 10 * WEIGHT_KG_MAX:
            raise SetValueError("weight", _("That weight is too heavy."))
        kg = kg_from(change.weight, unit)
        if kg <= 0:
            raise SetValueError("weight", _("The weight must be more than 0."))
        if kg > WEIGHT_KG_MAX:
            raise SetValueError("weight", _("That weight is too heavy."))
        new = replace(new, weight_kg=kg, assistance_kg=None)
    if change.duration_seconds is not None:
        if ref.tracking is not TrackingType.DURATION and row.duration_seconds is None:
            raise SetValueError("duration_s", _("This exercise is not timed: change its reps or weight."))
        if not DURATION_SECONDS_MIN <= change.duration_seconds <= DURATION_SECONDS_MAX:
            raise SetValueError(
                "duration_s",
                _("The time must be between {low} s and {high} h.").format(
                    low=DURATION_SECONDS_MIN, high=DURATION_SECONDS_MAX // 3600
                ),
            )
        new = replace(new, duration_seconds=change.duration_seconds)
    return new


async def correct_set(
    session: AsyncSession, user: User, set_id: uuid.UUID, change: SetChange
) -> tuple[Corrected, HistorySet]:
    """Change a past set (history.edit_past_set); the records changed, and the set as it is now."""
    ref = await find_set(session, user, set_id)
    new = _checked(ref, change, user.weight_unit)
    before = await personal_records(session, user, ref.exercise_id)
    await history.edit_past_set(session, user, ref.session_id, ref.exercise_index, ref.set_number, new)
    after = await personal_records(session, user, ref.exercise_id)
    row = await session.get(UserExerciseSet, set_id, populate_existing=True)
    exercise = await session.get(Exercise, ref.exercise_id)
    assert row is not None and exercise is not None
    shown = HistorySet(
        row.id,
        exercise.id,
        exercise.name,
        exercise.owner_id is None,
        row.set_number,
        row.weight_kg,
        row.reps,
        row.duration_seconds,
        row.distance_m,
        row.is_warmup,
    )
    return Corrected(set_id, ref.session_id, _changed(before, after)), shown


async def remove_set(session: AsyncSession, user: User, set_id: uuid.UUID) -> Corrected:
    """Delete a past set (history.delete_past_set: the later ones renumbered); the records changed."""
    ref = await find_set(session, user, set_id)
    before = await personal_records(session, user, ref.exercise_id)
    await history.delete_past_set(session, user, ref.session_id, ref.exercise_index, ref.set_number)
    after = await personal_records(session, user, ref.exercise_id)
    return Corrected(None, ref.session_id, _changed(before, after))


__all__ = [
    "RECORD_FIELDS",
    "Corrected",
    "SetChange",
    "SetRef",
    "SetValueError",
    "correct_set",
    "find_set",
    "remove_set",
]
