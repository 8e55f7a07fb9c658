"""Personal records: the best a user has done on an exercise, and which new sets beat it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Numeric, Select, and_, bindparam, case, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import ExerciseInstruction, UserExercisePerformance, UserExerciseSet, UserWorkoutSession

TWO_PLACES = Decimal("0.01")
E1RM_MAX_REPS = 12
"""Only a set of at most this many reps gives an estimated one-rep max: Epley's formula says nothing
useful about a set of 20 or 50 (a stray "50" logged as reps would announce an absurd record)."""


class RecordKind(StrEnum):
    WEIGHT = "weight"  # heaviest working weight
    E1RM = "e1rm"  # best estimated one-rep max (Epley)
    REPS = "reps"  # most reps in a set without added weight
    DURATION = "duration"  # longest timed set


class SetLike(Protocol):
    @property
    def reps(self) -> int | None: ...
    @property
    def weight_kg(self) -> Decimal | None: ...
    @property
    def duration_seconds(self) -> int | None: ...
    @property
    def is_warmup(self) -> bool: ...


def epley(weight_kg: Decimal, reps: int) -> Decimal:
    """Epley's formula: weight x (1 + reps / 30); a single is itself. See `e1rm` for when it applies."""
    if reps <= 1:
        return weight_kg.quantize(TWO_PLACES)
    return (weight_kg * (1 + Decimal(reps) / 30)).quantize(TWO_PLACES)


def e1rm(weight_kg: Decimal | None, reps: int | None) -> Decimal | None:
    """The estimated one-rep max of a weighted set of 1 to E1RM_MAX_REPS reps; None for any other set."""
    if weight_kg is None or reps is None or not 1 <= reps <= E1RM_MAX_REPS:
        return None
    return epley(weight_kg, reps)


@dataclass(frozen=True, slots=True)
class Bests:
    weight_kg: Decimal | None = None
    e1rm_kg: Decimal | None = None
    reps: int | None = None
    duration_seconds: int | None = None

    @property
    def empty(self) -> bool:
        return all(v is None for v in (self.weight_kg, self.e1rm_kg, self.reps, self.duration_seconds))


@dataclass(frozen=True, slots=True)
class Record:
    kind: RecordKind
    value: Decimal | int
    previous: Decimal | int


def e1rm_column() -> ColumnElement[Any]:
    """`e1rm` in SQL: NULL unless the set is weighted with 1 to E1RM_MAX_REPS reps."""
    weighted = UserExerciseSet.weight_kg.is_not(None)
    return case(
        (and_(weighted, UserExerciseSet.reps == 1), UserExerciseSet.weight_kg),  # a single is itself
        (
            and_(weighted, UserExerciseSet.reps > 1, UserExerciseSet.reps <= E1RM_MAX_REPS),
            UserExerciseSet.weight_kg * (1 + cast(UserExerciseSet.reps, Numeric(10, 4)) / 30),
        ),
        else_=None,
    )


SESSION_MOMENT = func.coalesce(UserWorkoutSession.started_at, UserWorkoutSession.created_at)
"""When a session happened (its sets were logged): it started, or else it was created."""


@cache
def _bests_query(excluding: bool, until: bool = False) -> Select[Decimal | None, Any, Any, int | None]:
    """Built once (statement construction costs more than running it); parameters user_id,
    exercise_id and, when `excluding`, exclude_session, when `until`, until."""
    working = UserExerciseSet.is_warmup.is_(False)
    query = (
        select(
            func.max(UserExerciseSet.weight_kg),
            func.max(e1rm_column()),
            func.max(case((UNLOADED_SET, UserExerciseSet.reps), else_=None)),
            func.max(UserExerciseSet.duration_seconds),
        )
        .join(UserExercisePerformance, UserExercisePerformance.id == UserExerciseSet.performance_id)
        .join(UserWorkoutSession, UserWorkoutSession.id == UserExercisePerformance.user_workout_session_id)
        .join(ExerciseInstruction, ExerciseInstruction.id == UserExercisePerformance.exercise_instruction_id)
        .where(
            UserWorkoutSession.user_id == bindparam("user_id"),
            ExerciseInstruction.exercise_id == bindparam("exercise_id"),
            working,
        )
    )
    if excluding:
        query = query.where(UserWorkoutSession.id != bindparam("exclude_session"))
    if until:
        query = query.where(bindparam("until") > SESSION_MOMENT)
    return query


def _bests(row: Any) -> Bests:
    weight, best_e1rm, reps, duration = row
    return Bests(
        weight_kg=Decimal(weight).quantize(TWO_PLACES) if weight is not None else None,
        e1rm_kg=Decimal(best_e1rm).quantize(TWO_PLACES) if best_e1rm is not None else None,
        reps=int(reps) if reps is not None else None,
        duration_seconds=int(duration) if duration is not None else None,
    )


async def bests_before(
    session: AsyncSession, user_id: uuid.UUID, exercise_id: uuid.UUID, *, exclude_session: uuid.UUID | None
) -> Bests:
    """The user's bests on an exercise over every working set outside `exclude_session`."""
    parameters: dict[str, Any] = {"user_id": user_id, "exercise_id": exercise_id}
    if exclude_session is not None:
        parameters["exclude_session"] = exclude_session
    query = _bests_query(exclude_session is not None)
    return _bests((await session.execute(query, parameters)).one())


async def bests_until(
    session: AsyncSession, user_id: uuid.UUID, exercise_id: uuid.UUID, until: datetime
) -> Bests:
    """The user's bests on an exercise over the working sets of sessions that happened before `until`
    (whatever became of them: a cancelled workout's sets count, as they did when they were logged)."""
    parameters = {"user_id": user_id, "exercise_id": exercise_id, "until": until}
    return _bests((await session.execute(_bests_query(False, True), parameters)).one())


_FIELDS = {
    RecordKind.WEIGHT: "weight_kg",
    RecordKind.E1RM: "e1rm_kg",
    RecordKind.REPS: "reps",
    RecordKind.DURATION: "duration_seconds",
}


UNLOADED_SET = and_(UserExerciseSet.weight_kg.is_(None), UserExerciseSet.assistance_kg.is_(None))
"""A bodyweight set: neither loaded nor assisted (an assisted set's reps are no bodyweight record)."""


def measures(item: SetLike) -> dict[RecordKind, Decimal | int]:
    """What a working set scores on each record kind it can count for (an assisted set: none for its
    reps)."""
    scores: dict[RecordKind, Decimal | int] = {}
    if item.weight_kg is not None:
        scores[RecordKind.WEIGHT] = item.weight_kg
        estimate = e1rm(item.weight_kg, item.reps)
        if estimate is not None:
            scores[RecordKind.E1RM] = estimate
    elif item.reps is not None and getattr(item, "assistance_kg", None) is None:
        scores[RecordKind.REPS] = item.reps
    if item.duration_seconds is not None:
        scores[RecordKind.DURATION] = item.duration_seconds
    return scores


def new_records(previous: Bests, sets: Iterable[SetLike]) -> tuple[list[Record], Bests]:
    """The records these sets set, in order, against `previous`, and the bests after them.

    A record needs history: a first-ever attempt at something sets the bar but is no record. Each kind
    is reported once, with its best new value and the best before these sets.
    """
    history: dict[RecordKind, Decimal | int | None] = {k: getattr(previous, f) for k, f in _FIELDS.items()}
    running = dict(history)
    found: dict[RecordKind, Record] = {}
    for item in sets:
        if item.is_warmup:
            continue
        for kind, value in measures(item).items():
            best, before = running[kind], history[kind]
            if before is not None and best is not None and value > best:
                found[kind] = Record(kind, value, before)
            if best is None or value > best:
                running[kind] = value
    after = Bests(**{f: running[k] for k, f in _FIELDS.items()})  # type: ignore[arg-type]
    return list(found.values()), after
