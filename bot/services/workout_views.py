"""Reading a workout as the trainee works through it: the session's view (prescription and what was
logged), its owner check, the workout in progress, and what was done on an exercise last time.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import SessionStatus, SetType, TargetReason, TrackingType
from bot.db.models import (
    Exercise,
    ExerciseInstruction,
    ProgramDaySession,
    ProgressionRule,
    SessionExerciseSwap,
    SessionReadiness,
    TraineeTarget,
    User,
    UserExercisePerformance,
    UserExerciseSet,
    UserLoading,
    UserPlate,
    UserWorkoutSession,
    Workout,
)
from bot.services import readiness
from bot.services.errors import DomainError, NotFound
from bot.services.plates import BARBELL, Scale, default_bar_kg, default_plates_kg, scale_for
from bot.services.progression import Rule, Target, prescribed_weight
from bot.services.set_input import SetInput
from bot.services.targets import rule_of, target_of

CONDITIONING = frozenset({"cardio", "mobility"})


@dataclass(frozen=True, slots=True)
class SetView:
    number: int
    reps: int | None
    weight_kg: Decimal | None
    duration_seconds: int | None
    is_warmup: bool
    set_type: SetType = SetType.WORKING
    rpe: Decimal | None = None
    rir: int | None = None
    distance_m: Decimal | None = None
    assistance_kg: Decimal | None = None
    calories: int | None = None

    @classmethod
    def of(cls, number: int, s: SetInput | SetView | UserExerciseSet) -> SetView:
        """A set as typed (or as stored), numbered."""
        return cls(
            number,
            s.reps,
            s.weight_kg,
            s.duration_seconds,
            s.is_warmup,
            SetType(s.set_type),
            s.rpe,
            s.rir,
            s.distance_m,
            s.assistance_kg,
            s.calories,
        )

    def columns(self) -> dict[str, object]:
        """The set's columns of user_exercise_set (without performance_id and set_number)."""
        return {
            "reps": self.reps,
            "weight_kg": self.weight_kg,
            "duration_seconds": self.duration_seconds,
            "is_warmup": self.is_warmup,
            "set_type": self.set_type,
            "rpe": self.rpe,
            "rir": self.rir,
            "distance_m": self.distance_m,
            "assistance_kg": self.assistance_kg,
            "calories": self.calories,
        }


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
    muscle_group: str = ""
    """The catalog's muscle group: `cardio` and `mobility` items are warm-ups and conditioning."""
    replaces: str | None = None
    """The name of the program's exercise this one was swapped in for, this session only."""
    equipment: str = ""
    reduced_percent: int = 0
    """How much lighter than the program's weight today's target_weight_kg is (low readiness)."""
    target_distance_m: Decimal | None = None
    """A distance to cover in the target time (a routine saved from a run)."""
    rule: Rule | None = None
    """The program's progression rule for this exercise (bot.services.progression)."""
    target: Target | None = None
    """The trainee's current target on the exercise, when it applies here: the exercise has a rule, or
    a coach set it. `target_weight_kg` is then the target's weight."""
    program_weight_kg: Decimal | None = None
    """The weight the program itself prescribes (before any target)."""
    loadable: bool = False
    """`target_weight_kg` was computed (a target, a percent share, a readiness reduction) and is already
    rounded to what the trainee can load on it (bot.services.plates.Scale): shown and logged as it is."""

    @property
    def working_sets(self) -> tuple[SetView, ...]:
        return tuple(s for s in self.sets if not s.is_warmup)

    @property
    def remaining_sets(self) -> int:
        """Prescribed working sets still to do (0 for an extra exercise)."""
        return 0 if self.adhoc else max(self.target_sets - len(self.working_sets), 0)

    @property
    def is_conditioning(self) -> bool:
        """A warm-up, mobility or cardio item: never asked for a difficulty rating."""
        return self.muscle_group in CONDITIONING

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
    reduce_percent: int = 0
    """The day's weight reduction from the readiness answers (0: none)."""

    def exercise(self, index: int) -> ExerciseView:
        if not 0 <= index < len(self.exercises):
            raise NotFound("That exercise is not part of this workout.")
        return self.exercises[index]


@dataclass(frozen=True, slots=True)
class LastTime:
    when: datetime
    sets: tuple[SetView, ...]


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
) -> tuple[Select[Any, Any, Any, Any, Any], Select[Any, Any, Any, Any], Select[Any, *tuple[Any, ...]]]:
    """session_view's queries: the session's head (with its workout's name and program day), the
    prescription, and what was logged."""
    head = (
        select(
            UserWorkoutSession,
            Workout.name,
            ProgramDaySession.day_number,
            SessionReadiness.reduce_percent,
            UserLoading.bar_weight_kg,
        )
        .outerjoin(Workout, Workout.id == UserWorkoutSession.workout_id)
        .outerjoin(UserLoading, UserLoading.user_id == UserWorkoutSession.user_id)
        .outerjoin(ProgramDaySession, ProgramDaySession.session_id == UserWorkoutSession.id)
        .outerjoin(SessionReadiness, SessionReadiness.session_id == UserWorkoutSession.id)
        .where(
            UserWorkoutSession.id == bindparam("session_id"),
            UserWorkoutSession.user_id == bindparam("user_id"),
        )
    )
    if lock:
        head = head.with_for_update(of=UserWorkoutSession)
    prescribed = (
        select(ExerciseInstruction, Exercise, ProgressionRule, TraineeTarget)
        .join(Exercise, Exercise.id == ExerciseInstruction.exercise_id)
        .outerjoin(ProgressionRule, ProgressionRule.instruction_id == ExerciseInstruction.id)
        .outerjoin(
            TraineeTarget,
            and_(TraineeTarget.user_id == bindparam("user_id"), TraineeTarget.exercise_id == Exercise.id),
        )
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
            UserExerciseSet.set_type,
            UserExerciseSet.rpe,
            UserExerciseSet.rir,
            UserExerciseSet.distance_m,
            UserExerciseSet.assistance_kg,
            UserExerciseSet.calories,
        )
        .outerjoin(UserExerciseSet, UserExerciseSet.performance_id == UserExercisePerformance.id)
        .where(UserExercisePerformance.user_workout_session_id == bindparam("session_id"))
        .order_by(UserExercisePerformance.created_at, UserExercisePerformance.id, UserExerciseSet.set_number)
    )
    return head, prescribed, logged


@cache
def _swaps_query() -> Select[uuid.UUID, ExerciseInstruction, Exercise]:
    """The session's swapped exercises: the original instruction's id, the replacement with its exercise."""
    return (
        select(SessionExerciseSwap.original_instruction_id, ExerciseInstruction, Exercise)
        .join(ExerciseInstruction, ExerciseInstruction.id == SessionExerciseSwap.replacement_instruction_id)
        .join(Exercise, Exercise.id == ExerciseInstruction.exercise_id)
        .where(SessionExerciseSwap.session_id == bindparam("session_id"))
    )


async def in_progress_session(session: AsyncSession, user: User) -> uuid.UUID | None:
    found: uuid.UUID | None = await session.scalar(_in_progress_query(), {"user_id": user.id})
    return found


async def session_view(
    session: AsyncSession, user: User, session_id: uuid.UUID, *, lock: bool = False
) -> SessionView:
    """The workout as the trainee works through it: prescribed exercises in order, then their extras.

    Five queries: the session with its workout's name and program day; the prescription; exercises
    swapped this session (bot.services.exercise_swap); what was
    logged (summary rows with their sets); the extras' instructions, only if there are any. `lock`
    takes the session row FOR UPDATE (PostgreSQL), as `own_session(lock=True)` does.
    """
    head, prescription, logged_query = _view_queries(lock)
    found = (await session.execute(head, {"session_id": session_id, "user_id": user.id})).first()
    if found is None:
        raise NotFound("That workout does not exist.")
    workout_session, workout_name, day, reduce, bar_kg = found
    reduce = int(reduce or 0)
    program_rows = (
        await session.execute(prescription, {"workout_id": workout_session.workout_id, "user_id": user.id})
    ).all()
    progression: dict[uuid.UUID, tuple[Rule | None, Target | None]] = {}
    for instruction, _, rule_row, target_row in program_rows:
        rule = rule_of(rule_row, instruction) if rule_row is not None else None
        target = target_of(target_row) if target_row is not None else None
        if rule is None and (target is None or target.reason.kind is not TargetReason.COACH):
            target = None  # a target applies where a rule progresses the exercise, or a coach set it
        if rule is not None or target is not None:
            progression[instruction.id] = (rule, target)
    swapped: dict[uuid.UUID, tuple[ExerciseInstruction, Exercise]] = {
        original: (instruction, exercise)
        for original, instruction, exercise in await session.execute(
            _swaps_query(), {"session_id": session_id}
        )
    }
    replaced = {swapped[i.id][0].id: e.name for i, e, *_ in program_rows if i.id in swapped}
    prescribed = [swapped.get(i.id, (i, e)) for i, e, *_ in program_rows]
    performances: dict[uuid.UUID, UserExercisePerformance] = {}
    sets_by_performance: dict[uuid.UUID, list[SetView]] = {}
    logged = await session.execute(logged_query, {"session_id": session_id})
    for performance, number, *columns in logged:
        performances.setdefault(performance.exercise_instruction_id, performance)
        logged_sets = sets_by_performance.setdefault(performance.id, [])
        if number is not None:
            logged_sets.append(SetView(number, *columns))
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
    scales = _Scales(session, user, bar_kg)
    for index, (instruction, exercise) in enumerate(pairs):
        performance = performances.get(instruction.id)
        rule, target = progression.get(instruction.id, (None, None))
        weight = instruction.target_weight_kg
        computed = rule is not None or target is not None
        loadable = False
        if (computed or reduce) and exercise.tracking_type is TrackingType.WEIGHT_REPS:
            scale = await scales.of(exercise.equipment)
            if computed:
                weight = prescribed_weight(rule, target, scale, weight)
                weight = scale.round(weight) if weight is not None else None
            weight = readiness.prescribed_weight(weight, reduce, scale)
            loadable = weight is not None
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
                target_weight_kg=weight,
                target_duration_seconds=instruction.target_duration_seconds,
                rest_seconds=instruction.rest_seconds,
                notes=instruction.notes,
                adhoc=instruction.workout_id is None and instruction.id not in replaced,
                sets=tuple(sets_by_performance.get(performance.id, ())) if performance else (),
                difficulty=performance.difficulty_rating if performance else None,
                performance_id=performance.id if performance else None,
                muscle_group=exercise.muscle_group,
                replaces=replaced.get(instruction.id),
                equipment=exercise.equipment,
                reduced_percent=reduce if instruction.target_weight_kg is not None else 0,
                target_distance_m=instruction.target_distance_m,
                rule=rule,
                target=target,
                program_weight_kg=instruction.target_weight_kg,
                loadable=loadable,
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
        reduce_percent=reduce,
    )


class _Scales:
    """The trainee's scales per equipment for one view: their bar comes with the session's head, their
    plates are read (one query) only when a barbell exercise has a weight to round."""

    def __init__(self, session: AsyncSession, user: User, bar_kg: Decimal | None) -> None:
        self._session, self._user, self._bar = session, user, bar_kg
        self._plates: tuple[Decimal, ...] | None = None

    async def of(self, equipment: str) -> Scale:
        unit = self._user.weight_unit
        if equipment != BARBELL:
            return scale_for(equipment, unit, None, None)
        if self._plates is None:
            own = await self._session.scalars(_plates_query(), {"user_id": self._user.id})
            self._plates = tuple(own.all()) or default_plates_kg(unit)
        bar = self._bar if self._bar is not None else default_bar_kg(unit)
        return scale_for(equipment, unit, bar, self._plates)


@cache
def _plates_query() -> Select[Decimal]:
    return (
        select(UserPlate.weight_kg)
        .where(UserPlate.user_id == bindparam("user_id"))
        .order_by(UserPlate.weight_kg.desc())
    )


def with_exercise(view: SessionView, exercise: ExerciseView) -> SessionView:
    """The view with one exercise replaced (after a change this transaction made)."""
    return replace(
        view, exercises=tuple(exercise if e.index == exercise.index else e for e in view.exercises)
    )


def _set_view(row: UserExerciseSet) -> SetView:
    return SetView.of(row.set_number, row)


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


async def in_progress_row(session: AsyncSession, user: User, session_id: uuid.UUID) -> UserWorkoutSession:
    workout_session = await own_session(session, user, session_id, lock=True)
    if workout_session.session_status != SessionStatus.IN_PROGRESS:
        raise DomainError("That workout is not in progress any more.")
    return workout_session


async def recently_finished(
    session: AsyncSession, user: User, now: datetime, within: timedelta
) -> uuid.UUID | None:
    """The user's workout completed at most `within` before `now` (the latest), if any."""
    found: uuid.UUID | None = await session.scalar(
        select(UserWorkoutSession.id)
        .where(
            UserWorkoutSession.user_id == user.id,
            UserWorkoutSession.session_status == SessionStatus.COMPLETED,
            UserWorkoutSession.completed_at >= now - within,
        )
        .order_by(UserWorkoutSession.completed_at.desc())
        .limit(1)
    )
    return found
