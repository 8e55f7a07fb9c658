"""Trainees' targets per exercise (table trainee_target): first targets when a workout starts, training
maxes (/tm) and a coach's targets; the rules applied when workouts finish are bot.services.target_batch.

The rules themselves are pure functions in bot.services.progression; this module reads and writes the
rows. Nothing here commits.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import and_, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import ProgressionKind, TargetReason, TrackingType, WeightUnit
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
from bot.i18n import _, exercise_name
from bot.services import history_cache
from bot.services.errors import DomainError
from bot.services.loading import loading_of
from bot.services.plates import Scale, scale_of
from bot.services.progression import (
    Reason,
    Rule,
    Target,
    prescribed_weight,
)
from bot.services.records import SESSION_MOMENT, bests_before
from bot.services.timezones import local_today

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


def target_columns(target: Target) -> dict[str, Any]:
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


def moment_of(moment: object) -> datetime:
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
                {"id": uuid.uuid4(), "user_id": user.id, "exercise_id": exercise_id, **target_columns(target)}
                for exercise_id, target in created.items()
            ],
        )
        await history_cache.bump(session, user)  # a view cached before these targets is stale
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
    return Decimal(heaviest), moment_of(moment)


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
        raise DomainError(_("A weight goes from more than 0 to under 1000 kg."))
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
        raise DomainError(_("That exercise does not exist."))
    if exercise.tracking_type is not TrackingType.WEIGHT_REPS:
        raise DomainError(
            _("{exercise} is not lifted with a weight: it has no target weight.").format(
                exercise=exercise_name(exercise.name)
            )
        )
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
    await history_cache.bump(session, user)  # the workout card shows the new target at once
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
    await history_cache.bump(session, trainee)  # the trainee's workout card shows it at once
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
