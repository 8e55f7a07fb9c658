"""The rules applied after workouts, in batches: every finished session's progressed exercises, their
working sets and the trainees' current targets read in a few column-only queries, the rules run over
them in order (pure Python, text ids inside), the changed targets written back in one DELETE and one
multi-row INSERT per CHUNK sessions. Finishing one workout runs the same functions (`update_targets`
with one session); bench/progression.py runs them over 10,000.

Nothing here commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final
from typing import cast as typing_cast

from sqlalchemy import String, Table, cast, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.enums import ProgressionKind, SessionStatus, TargetReason, WeightUnit
from bot.db.models import (
    Exercise,
    ExerciseInstruction,
    ProgressionRule,
    TraineeTarget,
    User,
    UserExercisePerformance,
    UserExerciseSet,
    UserWorkoutSession,
)
from bot.services.loading import Loading, loadings_of
from bot.services.plates import Scale
from bot.services.progression import Done, Reason, Rule, Target, next_target
from bot.services.records import SESSION_MOMENT
from bot.services.targets import TargetChange, moment_of, target_columns
from bot.services.timezones import local_today

CHUNK: Final = 2000
"""Sessions per round of queries (bound parameters stay well under SQLite's and asyncpg's limits)."""


class _Ids:
    """Ids read as text, each turned into a uuid.UUID once, and only for what leaves the batch (the
    changes, the rows written): inside it, text keys hash much faster than UUIDs."""

    def __init__(self) -> None:
        self.known: dict[str, uuid.UUID] = {}

    def __call__(self, value: str) -> uuid.UUID:
        found = self.known.get(value)
        if found is None:
            found = self.known[value] = uuid.UUID(value)
        return found


def _text(column: Any) -> Any:
    """An id column as text, converted by the database (32 hex digits on SQLite, the dashed form on
    PostgreSQL: never compared across the two, only within one batch)."""
    return cast(column, String)


def _sessions_query(ids: Sequence[uuid.UUID]) -> Any:
    """The finished sessions: id, trainee, when, the trainee's zone and unit, the workout."""
    return (
        select(
            _text(UserWorkoutSession.id),
            _text(UserWorkoutSession.user_id),
            SESSION_MOMENT,
            User.timezone,
            User.weight_unit,
            _text(UserWorkoutSession.workout_id),
        )
        .join(User, User.id == UserWorkoutSession.user_id)
        .where(UserWorkoutSession.id.in_(ids), UserWorkoutSession.session_status == SessionStatus.COMPLETED)
        .order_by(SESSION_MOMENT, UserWorkoutSession.id)
    )


def _rules_query(workout_ids: Sequence[uuid.UUID]) -> Any:
    """The progressed exercises of these workouts, in order: only the columns the rules need."""
    return (
        select(
            _text(ExerciseInstruction.workout_id),
            _text(ExerciseInstruction.id),
            _text(ExerciseInstruction.exercise_id),
            ExerciseInstruction.target_sets,
            ExerciseInstruction.target_reps_min,
            ExerciseInstruction.target_reps_max,
            ProgressionRule.rule,
            ProgressionRule.increment_kg,
            ProgressionRule.deload_after,
            ProgressionRule.deload_percent,
            ProgressionRule.percent,
            ProgressionRule.training_max_percent,
            Exercise.name,
            Exercise.equipment,
        )
        .join(ProgressionRule, ProgressionRule.instruction_id == ExerciseInstruction.id)
        .join(Exercise, Exercise.id == ExerciseInstruction.exercise_id)
        .where(ExerciseInstruction.workout_id.in_(workout_ids), ExerciseInstruction.is_active.is_(True))
        .order_by(ExerciseInstruction.order_index)
    )


def _sets_query(ids: Sequence[uuid.UUID]) -> Any:
    return (
        select(
            _text(UserExercisePerformance.user_workout_session_id),
            _text(UserExercisePerformance.exercise_instruction_id),
            UserExerciseSet.weight_kg,
            UserExerciseSet.reps,
        )
        .join(UserExerciseSet, UserExerciseSet.performance_id == UserExercisePerformance.id)
        .join(
            ProgressionRule, ProgressionRule.instruction_id == UserExercisePerformance.exercise_instruction_id
        )
        .where(UserExercisePerformance.user_workout_session_id.in_(ids), UserExerciseSet.is_warmup.is_(False))
        .order_by(UserExercisePerformance.user_workout_session_id, UserExerciseSet.set_number)
    )


TARGET_COLUMNS: Final = (
    "weight_kg",
    "reps",
    "training_max_kg",
    "e1rm_kg",
    "reason_kind",
    "reason_on",
    "reason_amount_kg",
    "reason_percent",
    "reason_reps",
    "reason_missed",
    "fail_streak",
)


TARGETS: Final = typing_cast(Table, TraineeTarget.__table__)


def _targets_query(users: Sequence[uuid.UUID]) -> Any:
    table = TARGETS
    return select(
        _text(table.c.user_id),
        _text(table.c.exercise_id),
        _text(table.c.id),
        table.c.created_at,
        _text(table.c.set_by),
        *(table.c[name] for name in TARGET_COLUMNS),
    ).where(table.c.user_id.in_(users))


def _target_of_values(values: Sequence[Any]) -> Target:
    weight, reps, maximum, e1rm_kg, kind, on, amount, percent, climb, missed, streak = values
    return Target(
        weight_kg=weight,
        reps=reps,
        reason=Reason(TargetReason(kind), on, amount_kg=amount, percent=percent, reps=climb, missed=missed),
        fail_streak=streak,
        training_max_kg=maximum,
        e1rm_kg=e1rm_kg,
    )


Key = tuple[str, str]
"""A target's trainee and exercise, or a session's instruction, as text ids (see `_text`)."""
Plan = tuple[str, str, Rule, str, str]
"""A progressed exercise of a workout: the instruction's and the exercise's ids, the rule, the exercise's
name and equipment."""


@dataclass(slots=True)
class Batch:
    """What finished sessions need for their rules, read in a few queries (`read_batch`). Ids are text
    (`_text`); `ids` turns them into UUIDs."""

    finished: list[tuple[str, str, object, str, WeightUnit, str]]
    """Each session: id, trainee, when, the trainee's zone and unit, its workout; in the order done."""
    plans: dict[str, list[Plan]]
    """Each workout's progressed exercises."""
    done: dict[Key, list[Done]]
    """The working sets of (session, instruction)."""
    current: dict[Key, Target]
    rows: dict[Key, tuple[str, datetime, str | None]]
    """The existing rows' ids, creation times and who last set them by hand."""
    loadings: dict[str, Loading]
    """Each trainee's bar and plates (what the targets are rounded to)."""
    ids: _Ids


async def read_batch(session: AsyncSession, ids: Sequence[uuid.UUID]) -> Batch | None:
    """Six queries (sessions, rules, sets, targets, bars, plates), columns only, no ORM instances;
    None when no session of `ids` is finished with a progressed exercise."""
    finished = [
        (sid, uid, moment, zone, WeightUnit(unit), wid)
        for sid, uid, moment, zone, unit, wid in await session.execute(_sessions_query(ids))
    ]
    if not finished:
        return None
    as_id = _Ids()
    plans: dict[str, list[Plan]] = {}
    workouts = [as_id(workout) for workout in {row[5] for row in finished}]
    for workout, instruction, exercise, sets, low, high, kind, *rest in await session.execute(
        _rules_query(workouts)
    ):
        increment, deload_after, deload_percent, percent, tm_percent, name, equipment = rest
        rule = Rule(
            ProgressionKind(kind),
            sets,
            low,
            high,
            increment,
            deload_after,
            deload_percent,
            percent,
            tm_percent,
        )
        plans.setdefault(workout, []).append((instruction, exercise, rule, name, equipment))
    if not plans:
        return None
    done: dict[Key, list[Done]] = {}
    for session_id, instruction_id, weight, reps in await session.execute(_sets_query(ids)):
        key = (session_id, instruction_id)
        found = done.get(key)
        if found is None:
            done[key] = [Done(weight, reps)]
        else:
            found.append(Done(weight, reps))
    users = [as_id(user) for user in {row[1] for row in finished}]
    current: dict[Key, Target] = {}
    rows: dict[Key, tuple[str, datetime, str | None]] = {}
    for user_id, exercise_id, row_id, created, set_by, *values in await session.execute(
        _targets_query(users)
    ):
        key = (user_id, exercise_id)
        current[key] = _target_of_values(values)
        rows[key] = (row_id, created, set_by)
    by_user = await loadings_of(session, {as_id(row[1]): row[4] for row in finished})
    loadings = {row[1]: by_user[as_id(row[1])] for row in finished}
    return Batch(finished, plans, done, current, rows, loadings, as_id)


def compute_batch(batch: Batch) -> tuple[list[TargetChange], dict[Key, Target]]:
    """The rules over every session in order (pure): the changes, and the new target per key."""
    changes: list[TargetChange] = []
    touched: dict[Key, Target] = {}
    scales: dict[tuple[int, str, WeightUnit], Scale] = {}
    days: dict[tuple[str, object], date] = {}
    as_id, done, current = batch.ids, batch.done, batch.current
    for session_id, user_id, moment, zone, unit, workout_id in batch.finished:
        loading = batch.loadings[user_id]
        for instruction_id, exercise_id, rule, name, equipment in batch.plans.get(workout_id, ()):
            sets = done.get((session_id, instruction_id))
            if not sets:
                continue
            key = (user_id, exercise_id)
            before = touched.get(key) or current.get(key)
            on = days.get((zone, moment))
            if on is None:
                on = days[(zone, moment)] = local_today(zone, moment_of(moment))
            found = (id(loading), equipment, unit)
            scale = scales.get(found)
            if scale is None:
                scale = scales[found] = loading.scale(equipment, unit)
            after = next_target(rule, before, sets, on, scale)
            if after is None or after == before:
                continue
            touched[key] = after
            changes.append(
                TargetChange(as_id(user_id), as_id(session_id), as_id(exercise_id), name, rule, before, after)
            )
    return changes, touched


async def write_batch(session: AsyncSession, batch: Batch, touched: dict[Key, Target]) -> None:
    """The new targets, as rows: the changed ones are deleted and written again with their id, creation
    time and who last set them by hand (a rule keeps it), in one DELETE and one multi-row INSERT (much
    cheaper than an UPDATE per row)."""
    if not touched:
        return
    now = utcnow()
    as_id = batch.ids
    replaced = [as_id(batch.rows[key][0]) for key in touched if key in batch.rows]
    if replaced:
        await session.execute(delete(TARGETS).where(TARGETS.c.id.in_(replaced)))
    rows = []
    for (user, exercise), target in touched.items():
        existing = batch.rows.get((user, exercise))
        row_id, created, set_by = (
            (as_id(existing[0]), existing[1], as_id(existing[2]) if existing[2] else None)
            if existing is not None
            else (uuid.uuid4(), now, None)
        )
        rows.append(
            {
                "id": row_id,
                "user_id": as_id(user),
                "exercise_id": as_id(exercise),
                **target_columns(target),
                "set_by": set_by,
                "created_at": created,
                "updated_at": now,
            }
        )
    await session.execute(insert(TARGETS), rows)


async def update_targets(session: AsyncSession, session_ids: Iterable[uuid.UUID]) -> list[TargetChange]:
    """Apply each finished (COMPLETED) session's rules to its trainee's targets, sessions in the order
    they happened; exercises without a rule, or not done at all, are left as they are. Four queries
    and two writes per CHUNK sessions, whatever their number."""
    ids = list(dict.fromkeys(session_ids))
    changes: list[TargetChange] = []
    for start in range(0, len(ids), CHUNK):
        batch = await read_batch(session, ids[start : start + CHUNK])
        if batch is None:
            continue
        found, touched = compute_batch(batch)
        await write_batch(session, batch, touched)
        changes += found
    return changes
