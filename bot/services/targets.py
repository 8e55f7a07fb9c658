"""Trainees' targets per exercise (table trainee_target): first targets when a workout starts, the rules
applied when workouts finish (in batches), training maxes (/tm) and a coach's targets.

The rules themselves are pure functions in bot.services.progression; this module reads and writes the
rows. Nothing here commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Final
from typing import cast as typing_cast

from sqlalchemy import String, Table, and_, cast, delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.enums import ProgressionKind, SessionStatus, TargetReason, TrackingType, WeightUnit
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
from bot.services.errors import DomainError
from bot.services.loading import Loading, loading_of, loadings_of
from bot.services.plates import Scale, scale_of
from bot.services.progression import (
    Done,
    Reason,
    Rule,
    Target,
    next_target,
    prescribed_weight,
)
from bot.services.records import SESSION_MOMENT, bests_before
from bot.services.timezones import local_today

CHUNK: Final = 2000
"""Sessions per round of queries (bound parameters stay well under SQLite's and asyncpg's limits)."""
WEIGHT_MAX: Final = Decimal(1000)


def rule_of(row: ProgressionRule, instruction: ExerciseInstruction) -> Rule:
    return Rule(
        kind=ProgressionKind(row.rule),
        sets=instruction.target_sets,
        reps_min=instruction.target_reps_min,
        reps_max=instruction.target_reps_max,
        increment_kg=row.increment_kg,
        deload_after=row.deload_after,
        deload_percent=row.deload_percent,
        percent=row.percent,
        training_max_percent=row.training_max_percent,
    )


def target_of(row: TraineeTarget) -> Target:
    return Target(
        weight_kg=row.weight_kg,
        reps=row.reps,
        reason=Reason(
            TargetReason(row.reason_kind),
            row.reason_on,
            amount_kg=row.reason_amount_kg,
            percent=row.reason_percent,
            reps=row.reason_reps,
            missed=row.reason_missed,
        ),
        fail_streak=row.fail_streak,
        training_max_kg=row.training_max_kg,
        e1rm_kg=row.e1rm_kg,
    )


def _columns(target: Target) -> dict[str, Any]:
    return {
        "weight_kg": target.weight_kg,
        "reps": target.reps,
        "training_max_kg": target.training_max_kg,
        "e1rm_kg": target.e1rm_kg,
        "reason_kind": target.reason.kind,
        "reason_on": target.reason.on,
        "reason_amount_kg": target.reason.amount_kg,
        "reason_percent": target.reason.percent,
        "reason_reps": target.reason.reps,
        "reason_missed": target.reason.missed,
        "fail_streak": target.fail_streak,
    }


@dataclass(frozen=True, slots=True)
class TargetChange:
    """What a finished session did to a target."""

    user_id: uuid.UUID
    session_id: uuid.UUID
    exercise_id: uuid.UUID
    exercise_name: str
    rule: Rule
    before: Target | None
    after: Target


def _aware(moment: object) -> datetime:
    """A session's moment as read by a COALESCE (SQLite gives text, PostgreSQL an aware datetime)."""
    when = moment if isinstance(moment, datetime) else datetime.fromisoformat(str(moment))
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


# ---------------------------------------------------------------------------------------------------------
# first targets, when a workout starts


async def prepare_targets(session: AsyncSession, user: User, workout_id: uuid.UUID, now: datetime) -> int:
    """Give each exercise of the workout that has a rule and no target yet its first target: the
    program's weight, else what the trainee lifted last time (for a percent rule: their best estimated
    1RM). Returns how many were created; an exercise with nothing to go on gets none (its card asks for
    a first weight, which the session then sets)."""
    rows = (
        await session.execute(
            select(ExerciseInstruction, ProgressionRule, Exercise.equipment)
            .join(ProgressionRule, ProgressionRule.instruction_id == ExerciseInstruction.id)
            .join(Exercise, Exercise.id == ExerciseInstruction.exercise_id)
            .outerjoin(
                TraineeTarget,
                and_(
                    TraineeTarget.user_id == user.id,
                    TraineeTarget.exercise_id == ExerciseInstruction.exercise_id,
                ),
            )
            .where(
                ExerciseInstruction.workout_id == workout_id,
                ExerciseInstruction.is_active.is_(True),
                TraineeTarget.id.is_(None),
            )
        )
    ).all()
    today = local_today(user.timezone, now)
    created: dict[uuid.UUID, Target] = {}
    loading = await loading_of(session, user) if rows else None
    for instruction, rule_row, equipment in rows:
        if instruction.exercise_id in created or loading is None:
            continue
        rule = rule_of(rule_row, instruction)
        scale = loading.scale(equipment, user.weight_unit)
        target: Target | None = None
        if rule.kind is ProgressionKind.PERCENT:
            bests = await bests_before(session, user.id, instruction.exercise_id, exclude_session=None)
            if bests.e1rm_kg is not None:
                target = Target(None, None, Reason(TargetReason.TRAINING_MAX, today), e1rm_kg=bests.e1rm_kg)
        elif instruction.target_weight_kg is not None:
            weight = scale.round(instruction.target_weight_kg)
            target = Target(weight, rule.reps_min, Reason(TargetReason.PROGRAM, today))
        else:
            last = await last_working_weight(session, user.id, instruction.exercise_id)
            if last is not None:
                weight_kg, when = last
                on = local_today(user.timezone, when)
                weight = scale.round(weight_kg)
                target = Target(weight, rule.reps_min, Reason(TargetReason.HISTORY, on))
        if rule.kind is not ProgressionKind.DOUBLE and target is not None:
            target = replace(target, reps=None)
        if target is not None:
            created[instruction.exercise_id] = target
    if created:
        await session.execute(
            insert(TraineeTarget),
            [
                {"id": uuid.uuid4(), "user_id": user.id, "exercise_id": exercise_id, **_columns(target)}
                for exercise_id, target in created.items()
            ],
        )
    return len(created)


async def last_working_weight(
    session: AsyncSession, user_id: uuid.UUID, exercise_id: uuid.UUID
) -> tuple[Decimal, datetime] | None:
    """The heaviest working set of the user's latest session with this exercise, and when it was."""
    latest = (
        select(UserWorkoutSession.id, SESSION_MOMENT.label("moment"))
        .join(
            UserExercisePerformance, UserExercisePerformance.user_workout_session_id == UserWorkoutSession.id
        )
        .join(ExerciseInstruction, ExerciseInstruction.id == UserExercisePerformance.exercise_instruction_id)
        .join(UserExerciseSet, UserExerciseSet.performance_id == UserExercisePerformance.id)
        .where(
            UserWorkoutSession.user_id == user_id,
            ExerciseInstruction.exercise_id == exercise_id,
            UserExerciseSet.is_warmup.is_(False),
            UserExerciseSet.weight_kg.is_not(None),
        )
        .order_by(SESSION_MOMENT.desc())
        .limit(1)
    )
    found = (await session.execute(latest)).first()
    if found is None:
        return None
    session_id, moment = found
    heaviest = await session.scalar(
        select(func.max(UserExerciseSet.weight_kg))
        .join(UserExercisePerformance, UserExercisePerformance.id == UserExerciseSet.performance_id)
        .join(ExerciseInstruction, ExerciseInstruction.id == UserExercisePerformance.exercise_instruction_id)
        .where(
            UserExercisePerformance.user_workout_session_id == session_id,
            ExerciseInstruction.exercise_id == exercise_id,
            UserExerciseSet.is_warmup.is_(False),
        )
    )
    if heaviest is None:
        return None
    return Decimal(heaviest), _aware(moment)


# ---------------------------------------------------------------------------------------------------------
# after workouts: the rules, in batches


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
                on = days[(zone, moment)] = local_today(zone, _aware(moment))
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
                **_columns(target),
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


# ---------------------------------------------------------------------------------------------------------
# training maxes and a coach's targets


@dataclass(frozen=True, slots=True)
class ExerciseTarget:
    """A target as listed (/tm, a coach's /trainee): the exercise and its row."""

    exercise_id: uuid.UUID
    exercise_name: str
    target: Target
    scale: Scale | None = None
    """What the trainee can load on the exercise (their bar and plates, or 2.5 kg / 5 lb steps)."""


def check_weight(weight_kg: Decimal) -> Decimal:
    if not Decimal(0) < weight_kg < WEIGHT_MAX:
        raise DomainError("A weight goes from more than 0 to under 1000 kg.")
    return weight_kg.quantize(Decimal("0.01"))


async def _row(session: AsyncSession, user_id: uuid.UUID, exercise_id: uuid.UUID) -> TraineeTarget | None:
    found: TraineeTarget | None = await session.scalar(
        select(TraineeTarget)
        .where(TraineeTarget.user_id == user_id, TraineeTarget.exercise_id == exercise_id)
        .with_for_update()
    )
    return found


async def _weighted(session: AsyncSession, exercise_id: uuid.UUID) -> Exercise:
    exercise = await session.get(Exercise, exercise_id)
    if exercise is None:
        raise DomainError("That exercise does not exist.")
    if exercise.tracking_type is not TrackingType.WEIGHT_REPS:
        raise DomainError(f"{exercise.name} is not lifted with a weight: it has no target weight.")
    return exercise


async def set_training_max(
    session: AsyncSession, user: User, exercise_id: uuid.UUID, weight_kg: Decimal, now: datetime, *, by: User
) -> Target:
    """Set the user's training max on an exercise (a percent rule works from it). `by` is the user or
    their coach."""
    weight_kg = check_weight(weight_kg)
    await _weighted(session, exercise_id)
    today = local_today(user.timezone, now)
    reason = Reason(TargetReason.TRAINING_MAX, today)
    row = await _row(session, user.id, exercise_id)
    if row is None:
        row = TraineeTarget(
            user_id=user.id, exercise_id=exercise_id, reason_kind=reason.kind, reason_on=today, fail_streak=0
        )
        session.add(row)
    row.training_max_kg = weight_kg
    row.set_by = by.id if by.id != user.id else None
    if row.weight_kg is None:  # nothing else to say why: the max is the news
        row.reason_kind, row.reason_on = reason.kind, today
    await session.flush()
    return target_of(row)


async def set_target(
    session: AsyncSession,
    trainee: User,
    exercise_id: uuid.UUID,
    weight_kg: Decimal,
    now: datetime,
    *,
    coach: User,
) -> Target:
    """A coach sets the trainee's target weight on an exercise; the rules go on from it. The caller
    checks that `coach` coaches `trainee`."""
    weight_kg = check_weight(weight_kg)
    await _weighted(session, exercise_id)
    today = local_today(trainee.timezone, now)
    row = await _row(session, trainee.id, exercise_id)
    if row is None:
        row = TraineeTarget(user_id=trainee.id, exercise_id=exercise_id)
        session.add(row)
    before = row.weight_kg
    row.weight_kg = weight_kg
    row.reason_kind = TargetReason.COACH
    row.reason_on = today
    row.reason_amount_kg = weight_kg - before if before is not None else None
    row.reason_percent = row.reason_reps = row.reason_missed = None
    row.fail_streak = 0
    row.set_by = coach.id
    await session.flush()
    return target_of(row)


async def targets_of(session: AsyncSession, user: User) -> list[ExerciseTarget]:
    """The user's targets and training maxes, by exercise name."""
    rows = (
        await session.execute(
            select(TraineeTarget, Exercise.name, Exercise.equipment)
            .join(Exercise, Exercise.id == TraineeTarget.exercise_id)
            .where(TraineeTarget.user_id == user.id)
            .order_by(Exercise.name)
        )
    ).all()
    if not rows:
        return []
    loading = await loading_of(session, user)
    return [
        ExerciseTarget(row.exercise_id, name, target_of(row), loading.scale(equipment, user.weight_unit))
        for row, name, equipment in rows
    ]


async def exercise_rules(session: AsyncSession, user: User) -> dict[uuid.UUID, Rule]:
    """A rule per exercise the user's active programs progress (the first found), for showing targets
    outside a workout (a percent rule's weight needs its rule)."""
    from bot.db.enums import EnrollmentStatus
    from bot.db.models import ProgramSchedule, ScheduleWorkout, UserProgramEnrollment

    rows = await session.execute(
        select(ExerciseInstruction, ProgressionRule)
        .join(ProgressionRule, ProgressionRule.instruction_id == ExerciseInstruction.id)
        .join(ScheduleWorkout, ScheduleWorkout.workout_id == ExerciseInstruction.workout_id)
        .join(ProgramSchedule, ProgramSchedule.id == ScheduleWorkout.schedule_id)
        .join(UserProgramEnrollment, UserProgramEnrollment.program_id == ProgramSchedule.program_id)
        .where(
            UserProgramEnrollment.user_id == user.id,
            UserProgramEnrollment.enrollment_status == EnrollmentStatus.ACTIVE,
        )
        .order_by(ExerciseInstruction.order_index)
    )
    rules: dict[uuid.UUID, Rule] = {}
    for instruction, rule_row in rows:
        rules.setdefault(instruction.exercise_id, rule_of(rule_row, instruction))
    return rules


def shown_weight(rule: Rule | None, item: ExerciseTarget, unit: WeightUnit) -> Decimal | None:
    """The weight a listed target stands for (a percent rule's from the training max), rounded to what
    the trainee can load, as their workout shows it."""
    scale = item.scale or scale_of(unit, None, None)
    weight = prescribed_weight(rule, item.target, scale, None)
    return scale.round(weight) if weight is not None else None


def local_day(user: User, now: datetime) -> date:
    return local_today(user.timezone, now)
