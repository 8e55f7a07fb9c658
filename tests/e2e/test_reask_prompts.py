"""/workout during the swap and the sticky-note prompts asks that question again (as it does for effort,
soreness, the note and the rating), and the answer typed after it still goes to that prompt; once the
exercise can no longer be swapped, /workout shows its card instead."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.app import BotApplication
from bot.db.models import (
    Exercise,
    ExerciseInstruction,
    SessionExerciseSwap,
    UserExerciseNote,
    UserExerciseSet,
)
from bot.sandbox import SandboxUser
from bot.ui.callback import pack
from tests.e2e import test_exercise_swap
from tests.e2e.test_workout import offer

Factory = test_exercise_swap.Factory
clock = test_exercise_swap.clock  # the fixtures of the swap's tests
trainee = test_exercise_swap.trainee


async def test_workout_asks_the_swap_again_and_the_typed_search_still_answers_it(
    alice: SandboxUser, bot_app: BotApplication, trainee: Any, session_factory: Factory
) -> None:
    sid = trainee["session_id"]
    await offer(bot_app, alice, sid)
    await alice.press("▶ Start")
    await alice.press("🔁 Swap")
    asked = alice.last_text
    assert "🔁 Swap Barbell Back Squat for another exercise" in asked
    await alice.send("/workout")
    assert alice.last_text == asked
    assert ["Front Squat"] in alice.buttons() and alice.buttons()[-1] == ["↩ Back"]
    await alice.send("leg press")  # still the swap's search, not a set
    assert "matching “leg press”" in alice.last_text
    await alice.press("Leg Press")
    async with session_factory() as session:
        swapped_in = (
            await session.scalars(
                select(Exercise.name)
                .join(ExerciseInstruction, ExerciseInstruction.exercise_id == Exercise.id)
                .join(
                    SessionExerciseSwap,
                    SessionExerciseSwap.replacement_instruction_id == ExerciseInstruction.id,
                )
                .where(SessionExerciseSwap.session_id == sid)
            )
        ).all()
    assert swapped_in == ["Leg Press"]
    # the swap is done: /workout shows the exercise's card, not the swap's question
    await alice.send("/workout")
    assert "for another exercise" not in alice.last_text and "Leg Press" in alice.last_text


async def test_workout_asks_the_note_again_and_the_typed_note_is_kept(
    alice: SandboxUser, bot_app: BotApplication, trainee: Any, session_factory: Factory
) -> None:
    sid = trainee["session_id"]
    await offer(bot_app, alice, sid)
    await alice.press("▶ Start")
    await alice.press("📝 Note")
    asked = alice.last_text
    assert "📝 Note for Barbell Back Squat" in asked
    await alice.send("/workout")
    assert alice.last_text == asked
    await alice.send("60x5")  # the note's answer, not a set
    assert "📝 Note saved." in alice.last_text
    async with session_factory() as session:
        notes = (await session.scalars(select(UserExerciseNote.note))).all()
    assert notes == ["60x5"]


async def test_workout_shows_the_card_once_the_exercise_cannot_be_swapped(
    alice: SandboxUser, bot_app: BotApplication, trainee: Any, session_factory: Factory
) -> None:
    sid = trainee["session_id"]
    await offer(bot_app, alice, sid)
    await alice.press("▶ Start")
    await alice.press("🔁 Swap")
    swap_message = alice.last_reply
    assert swap_message is not None
    # a set of the squat is logged meanwhile (its card's ✓, pressed on an older message)
    await alice.press_data(pack("wk", "done", sid, 0, 0), swap_message.message_id)
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(UserExerciseSet)) == 1
    await alice.send("/workout")
    assert "🔁 Swap" not in alice.last_text.splitlines()[0]
    assert "Barbell Back Squat" in alice.last_text and "for another exercise" not in alice.last_text
    async with session_factory() as session:
        assert (await session.scalars(select(SessionExerciseSwap))).all() == []
