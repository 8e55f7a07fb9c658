"""Swapping a workout's exercise for another through the emulator: suggestions and search, the
prescription carried over, sets logged to the new exercise, a swap refused once sets are logged, and
forged buttons that change nothing. The program's own rows stay as they are."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.db.enums import TrackingType
from bot.db.models import (
    Exercise,
    ExerciseInstruction,
    SessionExerciseSwap,
    UserExercisePerformance,
    UserExerciseSet,
    UserWorkoutSession,
)
from bot.sandbox import SandboxUser
from bot.sandbox.harness import Clock
from bot.services import custom_exercises
from bot.services import enrollment as enrollments
from bot.ui.callback import pack
from tests.e2e.test_progress import NOW, register
from tests.e2e.test_workout import offer
from tests.factories import make_program, seed_catalog

Factory = async_sessionmaker[AsyncSession]


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
async def trainee(alice: SandboxUser, session_factory: Factory) -> AsyncIterator[dict[str, Any]]:
    """Alice enrolled today: Workout A (back squat 3 × 5 @ 60 kg, rest 2 min; plank) is planned."""
    async with session_factory() as session, session.begin():
        await seed_catalog(session)
        program = await make_program(session)
        user = await register(session, alice, "Alice")
        info = await enrollments.enroll(session, user, program.id, date(2026, 3, 2), NOW)
        planned = await session.scalar(
            select(UserWorkoutSession.id).where(UserWorkoutSession.program_enrollment_id == info.id)
        )
        codes = {row.code: row.id for row in await session.execute(select(Exercise.code, Exercise.id))}
    yield {"user_id": user.id, "session_id": planned, "codes": codes}


async def program_instructions(factory: Factory) -> list[tuple[Any, ...]]:
    """Every instruction of a workout (the program's), as stored."""
    async with factory() as session:
        rows = await session.execute(
            select(ExerciseInstruction.id, ExerciseInstruction.exercise_id, ExerciseInstruction.target_sets,
                   ExerciseInstruction.target_reps_min, ExerciseInstruction.target_weight_kg,
                   ExerciseInstruction.rest_seconds, ExerciseInstruction.is_active)
            .where(ExerciseInstruction.workout_id.is_not(None))
            .order_by(ExerciseInstruction.id)
        )  # fmt: skip
        return [tuple(r) for r in rows]


async def swaps_of(factory: Factory, sid: uuid.UUID) -> list[tuple[Any, ...]]:
    """(replacement's exercise, sets, reps, kg, rest) of each swap in the session."""
    async with factory() as session:
        rows = await session.execute(
            select(ExerciseInstruction.exercise_id, ExerciseInstruction.target_sets,
                   ExerciseInstruction.target_reps_min, ExerciseInstruction.target_weight_kg,
                   ExerciseInstruction.rest_seconds)
            .join(SessionExerciseSwap,
                  SessionExerciseSwap.replacement_instruction_id == ExerciseInstruction.id)
            .where(SessionExerciseSwap.session_id == sid)
        )  # fmt: skip
        return [tuple(r) for r in rows]


async def logged_by_exercise(factory: Factory, sid: uuid.UUID) -> list[tuple[Any, ...]]:
    async with factory() as session:
        rows = await session.execute(
            select(ExerciseInstruction.exercise_id, UserExerciseSet.reps, UserExerciseSet.weight_kg)
            .join(UserExercisePerformance, UserExercisePerformance.id == UserExerciseSet.performance_id)
            .join(ExerciseInstruction, ExerciseInstruction.id == UserExercisePerformance.exercise_instruction_id)
            .where(UserExercisePerformance.user_workout_session_id == sid)
            .order_by(UserExerciseSet.set_number)
        )  # fmt: skip
        return [tuple(r) for r in rows]


async def test_swap_carries_the_prescription_and_logs_to_the_new_exercise(
    alice: SandboxUser, bot_app: BotApplication, trainee: Any, session_factory: Factory
) -> None:
    sid, codes = trainee["session_id"], trainee["codes"]
    program_before = await program_instructions(session_factory)
    await offer(bot_app, alice, sid)
    await alice.press("▶ Start")
    assert ["📝 Note", "🔁 Swap"] in alice.buttons()
    await alice.press("🔁 Swap")
    assert "🔁 Swap Barbell Back Squat for another exercise" in alice.last_text
    # the same muscle group with the same equipment, then similar equipment, then the others
    assert alice.buttons()[:-1] == [
        ["Front Squat"],  # quads, barbell
        ["Bulgarian Split Squat"], ["Dumbbell Step-Up"], ["Dumbbell Walking Lunge"], ["Goblet Squat"],  # dumbbell
        ["Bodyweight Split Squat"], ["Bodyweight Squat"], ["Jump Squat"],  # quads, any equipment
    ]  # fmt: skip
    assert alice.buttons()[-1] == ["↩ Back"]
    await alice.send("leg press")
    assert "matching “leg press”" in alice.last_text and alice.buttons() == [["Leg Press"], ["↩ Back"]]
    await alice.send("zzz")
    assert "No other exercise matches “zzz”" in alice.last_text and alice.buttons() == [["↩ Back"]]
    await alice.send("press")
    await alice.press("Leg Press")
    text = alice.last_text
    assert text.startswith("🔁 Swapped Barbell Back Squat for Leg Press in this workout.")
    assert "Leg Press\n🔁 instead of Barbell Back Squat, this workout only" in text
    assert "Target: 3 × 5 @ 60 kg · rest 2 min" in text and "(extra)" not in text
    assert alice.buttons()[0] == ["✓ 60×5"]
    assert await swaps_of(session_factory, sid) == [(codes["leg-press"], 3, 5, Decimal("60.00"), 120)]
    assert await program_instructions(session_factory) == program_before  # the program is untouched

    # sets go to Leg Press; then the swap is refused
    await alice.press("✓ 60×5")
    replies = await alice.send("65x5")
    assert (replies[0].text or "").startswith("✅ Logged 65×5\n\n🏋️ Workout A · exercise 1 of 2\nLeg Press")
    assert all("🔁 Swap" not in row for row in alice.buttons())
    assert await logged_by_exercise(session_factory, sid) == [
        (codes["leg-press"], 5, Decimal("60.00")),
        (codes["leg-press"], 5, Decimal("65.00")),
    ]
    card = alice.messages[-1]
    await alice.press_data(pack("wk", "swp", sid, 0), card.message_id)
    assert "Leg Press already has sets logged" in alice.callback_answers[-1].text
    await alice.press_data(pack("wk", "swx", sid, 0, codes["front-squat"]), card.message_id)
    assert "already has sets logged" in alice.callback_answers[-1].text
    assert await swaps_of(session_factory, sid) == [(codes["leg-press"], 3, 5, Decimal("60.00"), 120)]

    # records and the workout's history are under Leg Press
    await alice.send("/records")
    assert "Leg Press" in alice.last_text and "Barbell Back Squat" not in alice.last_text
    await alice.send("/workout")
    await alice.press("📋 All exercises")
    assert "1. Leg Press - 2 sets" in alice.last_text and "Barbell Back Squat" not in alice.last_text
    await alice.press("🏁 Finish")
    assert "How hard was the whole workout?" in alice.last_text
    await alice.send("7")
    await alice.send("2")
    await alice.press("Skip")
    assert "🎉 Workout complete" in alice.last_text
    await alice.send("/history")
    await alice.press("1. Workout A")
    assert "Leg Press" in alice.last_text and "1) 60×5" in alice.last_text


async def test_weight_only_for_the_same_tracking_and_swapping_back(
    alice: SandboxUser, bot_app: BotApplication, trainee: Any, session_factory: Factory
) -> None:
    sid, codes = trainee["session_id"], trainee["codes"]
    await offer(bot_app, alice, sid)
    await alice.press("▶ Start")
    await alice.press("🔁 Swap")
    await alice.press("Bodyweight Squat")  # tracked by reps: no weight
    assert "Target: 3 × 5 · rest 2 min" in alice.last_text
    assert await swaps_of(session_factory, sid) == [(codes["bodyweight-squat"], 3, 5, None, 120)]
    await alice.press("🔁 Swap")  # a swapped exercise can be swapped again: the original's weight
    assert alice.buttons()[0] == ["Bodyweight Split Squat"]  # suggested after the current exercise
    await alice.send("goblet")
    await alice.press("Goblet Squat")
    assert "Goblet Squat\n🔁 instead of Barbell Back Squat" in alice.last_text
    assert "Target: 3 × 5 @ 60 kg · rest 2 min" in alice.last_text
    assert await swaps_of(session_factory, sid) == [(codes["goblet-squat"], 3, 5, Decimal("60.00"), 120)]
    await alice.press("🔁 Swap")
    await alice.send("back squat")
    await alice.press("Barbell Back Squat")  # back to the program's own
    assert (
        "Barbell Back Squat\nTarget: 3 × 5 @ 60 kg" in alice.last_text and "instead of" not in alice.last_text
    )
    assert await swaps_of(session_factory, sid) == []
    async with session_factory() as session:  # the replaced ad-hoc instructions went with their swaps
        adhoc = (
            select(func.count())
            .select_from(ExerciseInstruction)
            .where(ExerciseInstruction.workout_id.is_(None))
        )
        assert await session.scalar(adhoc) == 0
    # an exercise already in the workout is not offered; ↩ Back changes nothing
    await alice.press("🔁 Swap")
    assert ["Plank"] not in alice.buttons()
    await alice.press("↩ Back")
    assert "Barbell Back Squat" in alice.last_text and await swaps_of(session_factory, sid) == []


async def test_forged_swap_buttons_change_nothing(
    alice: SandboxUser, make_user: Any, bot_app: BotApplication, trainee: Any, session_factory: Factory
) -> None:
    sid, codes = trainee["session_id"], trainee["codes"]
    await offer(bot_app, alice, sid)
    await alice.press("▶ Start")
    mallory: SandboxUser = make_user("Mallory")
    decoy = await bot_app.bot.send_message(mallory.chat_id, "decoy")
    for data in (pack("wk", "swp", sid, 0), pack("wk", "swx", sid, 0, codes["leg-press"])):
        await mallory.press_data(data, decoy.message_id)
        assert mallory.callback_answers[-1].text == "That workout isn't available."
    await mallory.send("leg")  # no search is waiting for Mallory
    for data in ("wk:swx:" + "A" * 22 + ":0:" + "B" * 22, "wk:swx:zz:0:zz", "wk:swp"):
        await mallory.press_data(data, decoy.message_id)
    card = alice.messages[-1]
    await alice.press_data(pack("wk", "swx", sid, 0, uuid.uuid4()), card.message_id)  # not an exercise
    await alice.press_data(pack("wk", "swx", sid, 7, codes["leg-press"]), card.message_id)  # no such index
    await alice.press_data(pack("wk", "swx", sid, 0, codes["plank"]), card.message_id)  # already in it
    assert "Plank is already in this workout" in alice.callback_answers[-1].text
    assert await swaps_of(session_factory, sid) == []
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(SessionExerciseSwap)) == 0


async def test_another_users_own_exercise_is_never_offered_nor_swapped_in(
    alice: SandboxUser, make_user: Any, bot_app: BotApplication, trainee: Any, session_factory: Factory
) -> None:
    """Bob's own "Bob's Squat" (quads, barbell: the best suggestion there could be) stays Bob's."""
    sid = trainee["session_id"]
    bob_chat: SandboxUser = make_user("Bob")
    async with session_factory() as session, session.begin():
        bob = await register(session, bob_chat, "Bob")
        own = await custom_exercises.create_exercise(
            session,
            bob,
            "Bob's Squat",
            muscle_group="quads",
            equipment="barbell",
            tracking=TrackingType.WEIGHT_REPS,
        )
        own_id = own.id
    await offer(bot_app, alice, sid)
    await alice.press("▶ Start")
    await alice.press("🔁 Swap")
    assert ["Front Squat"] in alice.buttons() and ["Bob's Squat"] not in alice.buttons()
    await alice.send("bob")
    assert alice.buttons() == [["↩ Back"]]  # not found by search either
    card = alice.messages[-1]
    await alice.press_data(pack("wk", "swx", sid, 0, own_id), card.message_id)  # forged: Bob's id
    assert await swaps_of(session_factory, sid) == []
