"""The weekly summary of a busy week (#11 items 7 and 22): workouts done of those scheduled plus the
extra ones, the records the bot announced during the week (against each other too, and a cancelled
workout's), and timed work as time. Runs the real tick against the emulator, like test_reminders.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import SessionStatus
from bot.db.models import (
    Exercise,
    ExerciseInstruction,
    User,
    UserExercisePerformance,
    UserExerciseSet,
    UserWorkoutSession,
    Workout,
)
from bot.services import workouts
from bot.services.set_input import SetInput
from tests.e2e.test_reminders import MONDAY, World, at, catalog, world

__all__ = ["catalog", "world"]  # the fixtures, shared with test_reminders

Sets = list[tuple[Decimal | None, int | None, int | None]]  # (kg, reps, seconds)


async def add_session(
    session: AsyncSession, user: User, start: datetime, status: SessionStatus, sets: dict[str, Sets]
) -> uuid.UUID:
    """A workout outside the program (ad hoc), started at `start`, with sets per exercise code."""
    workout = await session.scalar(select(Workout).where(Workout.name == "Workout A"))
    assert workout is not None
    row = UserWorkoutSession(
        id=uuid.uuid4(), user_id=user.id, workout_id=workout.id, session_status=status, started_at=start,
        completed_at=start + timedelta(minutes=40) if status == SessionStatus.COMPLETED else None,
        created_by=user.id,
    )  # fmt: skip
    session.add(row)
    await session.flush()
    for code, logged in sets.items():
        instruction = await session.scalar(
            select(ExerciseInstruction.id)
            .join(Exercise, Exercise.id == ExerciseInstruction.exercise_id)
            .where(ExerciseInstruction.workout_id == workout.id, Exercise.code == code)
        )
        assert instruction is not None
        performance = UserExercisePerformance(
            user_workout_session_id=row.id, exercise_instruction_id=instruction, created_by=user.id
        )
        session.add(performance)
        await session.flush()
        for number, (kg, reps, seconds) in enumerate(logged, start=1):
            session.add(
                UserExerciseSet(
                    performance_id=performance.id,
                    set_number=number,
                    reps=reps,
                    weight_kg=kg,
                    duration_seconds=seconds,
                )
            )
        await session.flush()
        await workouts.summarise(session, performance, user)
    return row.id


async def test_a_busy_week(world: World) -> None:
    alice = await world.trainee()
    await alice.sandbox.send("/reminders weekly on")
    await world.tick(at(MONDAY, 7, 0))
    monday = at(MONDAY, 18, 0)
    async with world.factory() as session, session.begin():
        user = await session.get(User, alice.user_id)
        planned = await session.scalar(
            select(UserWorkoutSession.id).where(
                UserWorkoutSession.program_enrollment_id == alice.enrollment_id
            )
        )
        assert user is not None and planned is not None
        # Monday, the program's Workout A: the first squats ever set the bar (no record)
        await workouts.start_session(session, user, planned, monday)
        five = SetInput(reps=5, weight_kg=Decimal(60), duration_seconds=None, is_warmup=False)
        await workouts.log_sets(session, user, planned, 0, [five, five, five])
        await workouts.finish_session(session, user, planned, monday + timedelta(minutes=40),
                                      effort=7, soreness=3, notes=None)  # fmt: skip
        kg = Decimal
        # Wednesday, on her own: heavier (records: 70 kg, e1RM 81.67 kg)
        await add_session(session, user, at(MONDAY + timedelta(days=2), 18), SessionStatus.COMPLETED,
                          {"back-squat": [(kg(70), 5, None)] * 3})  # fmt: skip
        # Thursday, cancelled after one heavy set: its sets count (records: 75 kg, e1RM 82.5 kg)
        await add_session(session, user, at(MONDAY + timedelta(days=3), 18), SessionStatus.CANCELLED,
                          {"back-squat": [(kg(75), 3, None)]})  # fmt: skip
        # Friday: a set of 20 gives no e1RM (Epley would say 108.33 kg); planks are time
        friday = {"back-squat": [(kg(65), 20, None)], "plank": [(None, None, 60), (None, None, 90)]}
        await add_session(session, user, at(MONDAY + timedelta(days=4), 18), SessionStatus.COMPLETED, friday)
    sunday = MONDAY + timedelta(days=6)
    await world.tick(at(sunday, 19, 0))
    (summary,) = [m.content for m in world.messages(alice) if "Your week" in m.content]
    assert "Workouts: 1 of 3 scheduled done + 2 more" in summary  # not "3 of 3"
    # 10 sets; reps 15 + 15 + 3 + 20; volume 900 + 1,050 + 225 + 1,300; planks 60 + 90 s
    assert "Work: 10 sets · 53 reps · volume 3,475 kg · time 2 min 30 s" in summary
    assert "New record: heaviest Barbell Back Squat, 75 kg (was 60 kg)" in summary
    assert "New record: estimated 1RM on Barbell Back Squat 82.5 kg" in summary and "was 70 kg" in summary
    assert "108.33" not in summary and "Plank" not in summary  # a first-ever plank is no record
    assert "No new records" not in summary
    user_row = await world.user(alice.user_id)
    assert user_row.next_summary_at == at(sunday + timedelta(days=7), 19, 0)


async def test_a_week_of_timed_work_only(world: World) -> None:
    alice = await world.trainee(start=None)
    await alice.sandbox.send("/reminders weekly on")
    async with world.factory() as session, session.begin():
        user = await session.get(User, alice.user_id)
        assert user is not None
        await add_session(session, user, at(MONDAY, 18), SessionStatus.COMPLETED,
                          {"plank": [(None, None, 45), (None, None, 45)]})  # fmt: skip
    await world.tick(at(MONDAY + timedelta(days=6), 19, 0))
    (summary,) = [m.content for m in world.messages(alice) if "Your week" in m.content]
    assert "Workouts: 1 done" in summary
    assert "Work: 2 sets · time 1 min 30 s" in summary
    assert "0 reps" not in summary and "volume" not in summary
