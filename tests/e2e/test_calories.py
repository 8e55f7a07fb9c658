"""Calories on a cardio machine (`10 cal`, `20 min 250 cal`, issue #12): logged in a quick workout, refused
on a lift, stored in user_exercise_set.calories, shown on the card, in the finish summary, /history and
its detail, the weekly summary and /export; timed work is summed as time, distance, pace and calories,
never "0 reps" or "volume 0 kg"."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.db.enums import SessionStatus, SetType
from bot.db.models import (
    Exercise,
    ExerciseInstruction,
    User,
    UserExercisePerformance,
    UserExerciseSet,
    UserWorkoutSession,
)
from bot.sandbox import SandboxUser
from bot.sandbox.harness import Clock
from tests.e2e.test_export import rows_of
from tests.e2e.test_quick_workout import WEDNESDAY, clock, trainee
from tests.e2e.test_reminders import MONDAY, World, at, catalog, world
from tests.e2e.test_weekly_summary import add_session

__all__ = ["catalog", "clock", "trainee", "world"]  # the fixtures, shared with the other modules

Factory = async_sessionmaker[AsyncSession]
D = Decimal
ROWER = "Rowing Machine"


async def calorie_rows(factory: Factory, user_id: uuid.UUID) -> list[tuple[object, ...]]:
    """(exercise, reps, kg, seconds, metres, calories, set type) of every set of the user, in order."""
    async with factory() as session:
        found = await session.execute(
            select(Exercise.name, UserExerciseSet.reps, UserExerciseSet.weight_kg,
                   UserExerciseSet.duration_seconds, UserExerciseSet.distance_m, UserExerciseSet.calories,
                   UserExerciseSet.set_type)
            .join(UserExercisePerformance, UserExercisePerformance.id == UserExerciseSet.performance_id)
            .join(UserWorkoutSession, UserWorkoutSession.id == UserExercisePerformance.user_workout_session_id)
            .join(ExerciseInstruction, ExerciseInstruction.id == UserExercisePerformance.exercise_instruction_id)
            .join(Exercise, Exercise.id == ExerciseInstruction.exercise_id)
            .where(UserWorkoutSession.user_id == user_id)
            .order_by(UserExercisePerformance.created_at, UserExerciseSet.set_number)
        )  # fmt: skip
        return [tuple(r) for r in found]


async def test_calories_on_a_rower_are_logged_summed_and_shown_everywhere(
    alice: SandboxUser,
    bot_app: BotApplication,
    trainee: uuid.UUID,
    clock: Clock,
    session_factory: Factory,
) -> None:
    await alice.send("/log")
    card = (await alice.send("rower 20 min 250 cal"))[-1].text or ""
    assert card.startswith("✅ Logged 20 min 250 cal") and ROWER in card
    await alice.send("2km 8:00 150 cal")  # a bare set: the rower again, with a distance
    card = (await alice.send("3x10 cal"))[-1].text or ""  # three calorie intervals
    assert "Today: 20 min 250 cal · 2 km in 8 min 150 cal · 10 cal · 10 cal · 10 cal" in card
    refused = (await alice.send("squat 10 cal"))[-1].text or ""  # a lift takes no calories
    assert "“10 cal” is calories, but this exercise is counted in reps." in refused
    refused = (await alice.send("0 cal"))[-1].text or ""
    assert "A set needs at least 1 cal" in refused
    await alice.send("bench 60x8")
    expected = [
        (ROWER, None, None, 1200, None, 250, SetType.WORKING),
        (ROWER, None, None, 480, D("2000.0"), 150, SetType.WORKING),
        *[(ROWER, None, None, None, None, 10, SetType.WORKING)] * 3,
        ("Barbell Bench Press", 8, D("60.00"), None, None, None, SetType.WORKING),
    ]
    assert await calorie_rows(session_factory, trainee) == expected

    await alice.press("🏁 Finish")
    await alice.press("7")
    await alice.press("2")
    clock.now = WEDNESDAY + timedelta(minutes=45)
    summary = (await alice.press("Skip"))[-1].text or ""
    assert (
        "2 of 2 exercises · 6 sets · 8 reps · volume 480 kg · distance 2 km · time 28 min · pace 4:00 /km"
        " · 430 cal" in summary
    )

    await alice.send("/history")
    assert "6 sets · 8 reps · volume 480 kg · distance 2 km · time 28 min · pace 4:00 /km · 430 cal" in (
        alice.last_text
    )
    await alice.press("1. Quick workout")
    assert "1) 20 min 250 cal, 2) 2 km in 8 min 150 cal, 3) 10 cal, 4) 10 cal, 5) 10 cal" in alice.last_text

    [document] = await alice.send("/export")
    exported = rows_of(document.file, "sets.csv")

    def number(text: str) -> Decimal | None:
        return Decimal(text) if text else None

    assert [
        (r["exercise"], number(r["duration_seconds"]), number(r["distance_m"]), number(r["calories"]))
        for r in exported
    ] == [
        (ROWER, 1200, None, 250),
        (ROWER, 480, 2000, 150),
        *[(ROWER, None, None, 10)] * 3,
        ("Barbell Bench Press", None, None, None),
    ]
    # the timed exercise's summary row holds its time, never 0 reps
    async with session_factory() as session:
        performance = await session.scalar(
            select(UserExercisePerformance)
            .join(
                ExerciseInstruction, ExerciseInstruction.id == UserExercisePerformance.exercise_instruction_id
            )
            .join(Exercise, Exercise.id == ExerciseInstruction.exercise_id)
            .where(Exercise.name == ROWER)
        )
    assert performance is not None
    assert (performance.sets_completed, performance.reps_completed, performance.duration_seconds) == (
        5,
        None,
        1680,
    )


async def test_a_week_on_the_rower_shows_time_and_calories(world: World) -> None:
    alice = await world.trainee(start=None)
    await alice.sandbox.send("/reminders weekly on")
    async with world.factory() as session, session.begin():
        user = await session.get(User, alice.user_id)
        assert user is not None
        # 20 min and 10 min on the plank's place in the workout, then given their calories
        sid = await add_session(session, user, at(MONDAY, 18), SessionStatus.COMPLETED,
                                {"plank": [(None, None, 1200), (None, None, 600)]})  # fmt: skip
        performance = UserExercisePerformance.user_workout_session_id == sid
        for number, calories in ((1, 250), (2, 120)):
            await session.execute(
                update(UserExerciseSet)
                .where(
                    UserExerciseSet.set_number == number,
                    UserExerciseSet.performance_id.in_(select(UserExercisePerformance.id).where(performance)),
                )
                .values(calories=calories)
            )
    await world.tick(at(MONDAY + timedelta(days=6), 19, 0))
    (summary,) = [m.content for m in world.messages(alice) if "Your week" in m.content]
    assert "Work: 2 sets · time 30 min · 370 cal" in summary
    assert "0 reps" not in summary and "volume" not in summary
