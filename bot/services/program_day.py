"""The program day: which workouts are today's, when the day advances, completion and expiry.

Rules (the user's local date is "today"):
- The active schedule's days are 1..length_days; a day's workouts are its schedule_workout rows by
  order_index, and a day without any is a rest day.
- When a day becomes current, each of its workouts gets a PLANNED session (scheduled at that local date
  and the user's reminder time), linked to its schedule slot by program_day_session.
- The day advances when every non-optional workout has a COMPLETED or SKIPPED session; the next day is
  then for the next local date. A rest day advances once its date has passed (the daily rollover).
- Past length_days the enrollment is COMPLETED. An ACTIVE enrollment more than 28 days past its target
  date with no workout activity in 28 days is EXPIRED.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import EnrollmentStatus, SessionStatus
from bot.db.models import (
    EnrollmentDayState,
    Program,
    ProgramDaySession,
    ProgramPhase,
    ProgramSchedule,
    ProgramTranslation,
    ScheduleWorkout,
    User,
    UserExercisePerformance,
    UserExerciseSet,
    UserProgramEnrollment,
    UserWorkoutSession,
    Workout,
)
from bot.services import programs
from bot.services.programs import active_schedule
from bot.services.timezones import local_datetime, local_today

EXPIRY_GRACE = timedelta(days=28)
DONE = (SessionStatus.COMPLETED, SessionStatus.SKIPPED)
OPEN = (EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED)


@dataclass(frozen=True, slots=True)
class DayWorkout:
    schedule_workout_id: uuid.UUID
    workout_id: uuid.UUID
    name: str
    estimated_minutes: int | None
    is_optional: bool
    notes: str | None
    session_id: uuid.UUID | None
    status: SessionStatus | None


@dataclass(frozen=True, slots=True)
class DayPlan:
    """One enrollment's program day as /today shows it."""

    enrollment_id: uuid.UUID
    program_name: str
    status: EnrollmentStatus
    day_number: int
    length_days: int
    phase: str | None
    current_since: date
    start_date: date
    workouts: list[DayWorkout] = field(default_factory=list)

    @property
    def is_rest_day(self) -> bool:
        return not self.workouts

    @property
    def is_done(self) -> bool:
        required = [w for w in self.workouts if not w.is_optional]
        return bool(required) and all(w.status in DONE for w in required)


@dataclass(frozen=True, slots=True)
class ProgramStats:
    """The summary a trainee gets when they finish a program."""

    program_name: str
    days: int
    workouts_completed: int
    workouts_skipped: int
    sets: int
    volume_kg: float
    seconds_trained: int


@dataclass(frozen=True, slots=True)
class DayAdvance:
    """What happened to an enrollment after a session ended or a date passed."""

    enrollment_id: uuid.UUID
    advanced: bool
    day_number: int
    completed: ProgramStats | None = None


async def get_day_state(session: AsyncSession, enrollment: UserProgramEnrollment) -> EnrollmentDayState:
    state = await session.get(EnrollmentDayState, enrollment.id)
    if state is None:
        state = EnrollmentDayState(enrollment_id=enrollment.id, current_since=enrollment.start_date)
        session.add(state)
        await session.flush()
    return state


async def day_slots(
    session: AsyncSession, schedule_id: uuid.UUID, day_number: int
) -> list[tuple[ScheduleWorkout, Workout]]:
    rows = await session.execute(
        select(ScheduleWorkout, Workout)
        .join(Workout, Workout.id == ScheduleWorkout.workout_id)
        .where(
            ScheduleWorkout.schedule_id == schedule_id,
            ScheduleWorkout.day_number == day_number,
            ScheduleWorkout.is_active.is_(True),
        )
        .order_by(ScheduleWorkout.order_index)
    )
    return [(slot, workout) for slot, workout in rows]


async def _linked_sessions(
    session: AsyncSession, enrollment_id: uuid.UUID, day_number: int
) -> dict[uuid.UUID, UserWorkoutSession]:
    """The current run's sessions of one program day, by schedule slot."""
    rows = await session.execute(
        select(ProgramDaySession.schedule_workout_id, UserWorkoutSession)
        .join(UserWorkoutSession, UserWorkoutSession.id == ProgramDaySession.session_id)
        .where(
            ProgramDaySession.enrollment_id == enrollment_id,
            ProgramDaySession.day_number == day_number,
            ProgramDaySession.is_current.is_(True),
        )
    )
    return {slot_id: found for slot_id, found in rows}  # noqa: C416 - a Result is not a mapping


async def ensure_planned_sessions(
    session: AsyncSession,
    user: User,
    enrollment: UserProgramEnrollment,
    schedule: ProgramSchedule,
    state: EnrollmentDayState,
) -> dict[uuid.UUID, UserWorkoutSession]:
    """Give every workout of the current day a session (PLANNED unless one exists); idempotent.

    Safe against a concurrent caller (a reminder tick and /today at the same moment): the unique link
    index lets one of them plan the day, and the other takes what was planned.
    """
    slots = await day_slots(session, schedule.id, enrollment.current_day)
    existing = await _linked_sessions(session, enrollment.id, enrollment.current_day)
    missing = [slot for slot, _workout in slots if slot.id not in existing]
    if not missing:
        return existing
    scheduled_at = local_datetime(user.timezone, state.current_since, user.reminder_time)
    try:
        async with session.begin_nested():
            for slot in missing:
                planned = UserWorkoutSession(
                    id=uuid.uuid4(),
                    user_id=user.id,
                    workout_id=slot.workout_id,
                    program_enrollment_id=enrollment.id,
                    session_status=SessionStatus.PLANNED,
                    scheduled_at=scheduled_at,
                    created_by=user.id,
                )
                session.add(planned)
                session.add(
                    ProgramDaySession(
                        session_id=planned.id,
                        enrollment_id=enrollment.id,
                        schedule_workout_id=slot.id,
                        day_number=enrollment.current_day,
                    )
                )
                existing[slot.id] = planned
    except IntegrityError:  # planned meanwhile by another transaction
        return await _linked_sessions(session, enrollment.id, enrollment.current_day)
    return existing


async def _phase_name(
    session: AsyncSession, program_id: uuid.UUID, day: int, translated: ProgramTranslation | None = None
) -> str | None:
    """The name of the phase `day` falls in, as `translated` (the program's translation) gives it."""
    phases = (
        await session.execute(
            select(ProgramPhase.name, ProgramPhase.start_day, ProgramPhase.end_day)
            .where(ProgramPhase.program_id == program_id, ProgramPhase.is_active.is_(True))
            .order_by(ProgramPhase.order_index)
        )
    ).all()
    names = [str(name) for name, _start, _end in phases]
    given = translated.phases if translated is not None else []
    if len(given) == len(names):  # the translation lists the phases in the same order (bot.services.programs)
        names = [
            str(t.get("name") or n) if isinstance(t, dict) else n for n, t in zip(names, given, strict=True)
        ]
    for name, (_name, start, end) in zip(names, phases, strict=True):
        if start <= day <= end:
            return name
    return None


async def plan_for(
    session: AsyncSession, user: User, enrollment: UserProgramEnrollment, today: date
) -> DayPlan | None:
    """The current program day of one enrollment, creating its PLANNED sessions once it has begun."""
    schedule = await active_schedule(session, enrollment.program_id)
    if schedule is None:
        return None
    program_name = await session.scalar(select(Program.name).where(Program.id == enrollment.program_id))
    state = await get_day_state(session, enrollment)
    slots = await day_slots(session, schedule.id, enrollment.current_day)
    sessions: dict[uuid.UUID, UserWorkoutSession] = {}
    if enrollment.enrollment_status == EnrollmentStatus.ACTIVE and enrollment.start_date <= today:
        sessions = await ensure_planned_sessions(session, user, enrollment, schedule, state)
    else:
        sessions = await _linked_sessions(session, enrollment.id, enrollment.current_day)
    translated = (await programs.program_translations(session, [enrollment.program_id])).get(
        enrollment.program_id
    )
    workouts = [
        DayWorkout(
            schedule_workout_id=slot.id,
            workout_id=workout.id,
            name=programs.workout_name(translated, workout.id, workout.name),
            estimated_minutes=workout.estimated_duration_minutes,
            is_optional=slot.is_optional,
            notes=slot.notes,
            session_id=sessions[slot.id].id if slot.id in sessions else None,
            status=sessions[slot.id].session_status if slot.id in sessions else None,
        )
        for slot, workout in slots
    ]
    return DayPlan(
        enrollment_id=enrollment.id,
        program_name=(translated.name if translated is not None else None) or program_name or "",
        status=enrollment.enrollment_status,
        day_number=enrollment.current_day,
        length_days=schedule.length_days,
        phase=await _phase_name(session, enrollment.program_id, enrollment.current_day, translated),
        current_since=state.current_since,
        start_date=enrollment.start_date,
        workouts=workouts,
    )


async def open_enrollments(session: AsyncSession, user_id: uuid.UUID) -> Sequence[UserProgramEnrollment]:
    """The user's ACTIVE and PAUSED enrollments, newest start first."""
    return (
        await session.scalars(
            select(UserProgramEnrollment)
            .where(
                UserProgramEnrollment.user_id == user_id,
                UserProgramEnrollment.enrollment_status.in_(
                    (EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED)
                ),
                UserProgramEnrollment.is_active.is_(True),
            )
            .order_by(UserProgramEnrollment.start_date.desc())
        )
    ).all()


async def today_plans(session: AsyncSession, user: User, now: datetime) -> list[DayPlan]:
    """/today: every open enrollment's current day, after catching up on passed rest days."""
    await rollover(session, user, now)
    today = local_today(user.timezone, now)
    plans = []
    for enrollment in await open_enrollments(session, user.id):
        plan = await plan_for(session, user, enrollment, today)
        if plan is not None:
            plans.append(plan)
    return plans


async def program_stats(session: AsyncSession, enrollment: UserProgramEnrollment) -> ProgramStats:
    """Totals of the enrollment's current run."""
    linked = select(ProgramDaySession.session_id).where(
        ProgramDaySession.enrollment_id == enrollment.id, ProgramDaySession.is_current.is_(True)
    )
    rows = await session.execute(
        select(UserWorkoutSession.session_status, func.count())
        .where(UserWorkoutSession.id.in_(linked))
        .group_by(UserWorkoutSession.session_status)
    )
    counts: dict[SessionStatus, int] = {status: n for status, n in rows}  # noqa: C416
    seconds = await session.scalar(
        select(func.coalesce(func.sum(UserWorkoutSession.actual_duration_seconds), 0)).where(
            UserWorkoutSession.id.in_(linked)
        )
    )
    sets, volume = (
        await session.execute(
            select(
                func.count(UserExerciseSet.id),
                func.coalesce(func.sum(UserExerciseSet.weight_kg * UserExerciseSet.reps), 0),
            )
            .join(UserExercisePerformance, UserExercisePerformance.id == UserExerciseSet.performance_id)
            .where(
                UserExercisePerformance.user_workout_session_id.in_(linked),
                UserExerciseSet.is_warmup.is_(False),
            )
        )
    ).one()
    name = await session.scalar(select(Program.name).where(Program.id == enrollment.program_id))
    return ProgramStats(
        program_name=name or "",
        days=enrollment.current_day,
        workouts_completed=counts.get(SessionStatus.COMPLETED, 0),
        workouts_skipped=counts.get(SessionStatus.SKIPPED, 0),
        sets=int(sets or 0),
        volume_kg=float(volume or 0),
        seconds_trained=int(seconds or 0),
    )


async def _advance(
    session: AsyncSession,
    enrollment: UserProgramEnrollment,
    state: EnrollmentDayState,
    length_days: int,
    next_since: date,
    today: date,
) -> DayAdvance:
    """Move to the next day, or complete the program after its last day."""
    if enrollment.current_day >= length_days:
        enrollment.enrollment_status = EnrollmentStatus.COMPLETED
        enrollment.actual_completion_date = today
        await session.flush()
        stats = await program_stats(session, enrollment)
        return DayAdvance(enrollment.id, advanced=True, day_number=enrollment.current_day, completed=stats)
    enrollment.current_day += 1
    state.current_since = next_since
    await session.flush()
    return DayAdvance(enrollment.id, advanced=True, day_number=enrollment.current_day)


async def advance_if_day_done(
    session: AsyncSession, user: User, enrollment: UserProgramEnrollment, now: datetime
) -> DayAdvance:
    """After a session ends: advance when every non-optional workout of the day is done."""
    unchanged = DayAdvance(enrollment.id, advanced=False, day_number=enrollment.current_day)
    if enrollment.enrollment_status != EnrollmentStatus.ACTIVE:
        return unchanged
    schedule = await active_schedule(session, enrollment.program_id)
    if schedule is None:
        return unchanged
    slots = await day_slots(session, schedule.id, enrollment.current_day)
    required = [slot.id for slot, _ in slots if not slot.is_optional]
    if not required:
        return unchanged  # a rest day (or only optional work): the date moves it on
    sessions = await _linked_sessions(session, enrollment.id, enrollment.current_day)
    if not all(slot in sessions and sessions[slot].session_status in DONE for slot in required):
        return unchanged
    for slot, _ in slots:  # optional work left untouched is no longer on offer
        planned = sessions.get(slot.id)
        if planned is not None and planned.session_status == SessionStatus.PLANNED:
            planned.session_status = SessionStatus.SKIPPED
            planned.updated_by = user.id
    state = await get_day_state(session, enrollment)
    today = local_today(user.timezone, now)
    result = await _advance(
        session,
        enrollment,
        state,
        schedule.length_days,
        max(today, state.current_since) + timedelta(days=1),
        today,
    )
    if result.completed is None:
        await ensure_planned_sessions(session, user, enrollment, schedule, state)
    return result


async def _last_activity(session: AsyncSession, enrollment_id: uuid.UUID) -> datetime | None:
    latest: datetime | None = await session.scalar(
        select(func.max(func.coalesce(UserWorkoutSession.completed_at, UserWorkoutSession.started_at))).where(
            UserWorkoutSession.program_enrollment_id == enrollment_id,
            or_(UserWorkoutSession.started_at.is_not(None), UserWorkoutSession.completed_at.is_not(None)),
        )
    )
    return latest


async def rollover(session: AsyncSession, user: User, now: datetime) -> list[DayAdvance]:
    """The daily rollover for one user: passed rest days advance, stale enrollments expire.

    Safe to call any number of times a day (the reminder job calls it at local midnight, /today too).
    """
    today = local_today(user.timezone, now)
    results: list[DayAdvance] = []
    for enrollment in await open_enrollments(session, user.id):
        if enrollment.enrollment_status != EnrollmentStatus.ACTIVE:
            continue
        target = enrollment.target_completion_date
        if target is not None and today - target > EXPIRY_GRACE:
            last = await _last_activity(session, enrollment.id)
            if last is None or now - last > EXPIRY_GRACE:
                enrollment.enrollment_status = EnrollmentStatus.EXPIRED
                await session.execute(
                    update(UserWorkoutSession)
                    .where(
                        UserWorkoutSession.program_enrollment_id == enrollment.id,
                        UserWorkoutSession.session_status == SessionStatus.PLANNED,
                    )
                    .values(session_status=SessionStatus.CANCELLED)
                )
                results.append(DayAdvance(enrollment.id, advanced=False, day_number=enrollment.current_day))
                continue
        schedule = await active_schedule(session, enrollment.program_id)
        if schedule is None or enrollment.start_date > today:
            continue
        state = await get_day_state(session, enrollment)
        for _ in range(schedule.length_days):
            if state.current_since >= today or enrollment.enrollment_status != EnrollmentStatus.ACTIVE:
                break
            slots = await day_slots(session, schedule.id, enrollment.current_day)
            if any(not slot.is_optional for slot, _workout in slots):
                break  # a workout day waits for its workouts, however late
            results.append(
                await _advance(
                    session,
                    enrollment,
                    state,
                    schedule.length_days,
                    state.current_since + timedelta(days=1),
                    today,
                )
            )
        if enrollment.enrollment_status == EnrollmentStatus.ACTIVE:
            await ensure_planned_sessions(session, user, enrollment, schedule, state)
    return results
