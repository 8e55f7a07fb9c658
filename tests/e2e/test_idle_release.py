"""Memory of users who went quiet is released; what is persisted comes back at their next message."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.db.models import UserExercisePerformance
from bot.persistence import SQLAlchemyPersistence
from bot.sandbox import SandboxUser
from bot.update_processor import PerChatUpdateProcessor
from tests.e2e.test_workout import clock, offer, trainee

__all__ = ["clock", "trainee"]  # fixtures of test_workout used here


async def settled(bot_app: BotApplication) -> PerChatUpdateProcessor:
    """The processor, once it has finished with every update (a test sees an update processed just
    before the processor's own bookkeeping of it)."""
    processor = bot_app.update_processor
    assert isinstance(processor, PerChatUpdateProcessor)
    await processor.wait_quiet()
    assert processor.waiting_updates == 0
    return processor


def held(bot_app: BotApplication, user: SandboxUser) -> list[str]:
    """What the process keeps in memory for the user."""
    found = []
    if user.user_id in bot_app.user_data:
        found.append("user_data")
    if user.chat_id in bot_app.chat_data:
        found.append("chat_data")
    for name, states in bot_app._conversation_handler_conversations.items():
        if any(user.user_id in key[:2] for key in states):
            found.append(f"conversation {name}")
    persistence = bot_app.persistence
    assert isinstance(persistence, SQLAlchemyPersistence)
    if any(str(user.user_id) in key for _kind, key in persistence._seen):
        found.append("rows seen")
    return found


async def test_an_idle_user_is_released_and_resumes_where_they_were(
    alice: SandboxUser,
    make_user: Any,
    bot_app: BotApplication,
    trainee: dict[str, Any],
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    sid = trainee["session_id"]
    await offer(bot_app, alice, sid)
    await alice.press("▶ Start")
    await alice.send("60x5")
    assert "How hard was" in (await alice.press("Next ▶"))[-1].text
    bob = make_user("Bob")
    await bob.send("/help")
    assert "conversation workout" in held(bot_app, alice) and "rows seen" in held(bot_app, alice)
    assert held(bot_app, bob)  # an entry for Bob too, though he has nothing persisted

    processor = await settled(bot_app)
    await bot_app.update_persistence()  # PTB's periodic run (every 60 s) after the last update
    processor.idle_after = 0  # everyone seen so far counts as idle
    assert await processor.sweep() == 2
    assert held(bot_app, alice) == [] and held(bot_app, bob) == []
    assert processor.known_chats == 0

    # Alice answers the question she was asked before: the state comes back from the database
    card = (await alice.send("8"))[-1]
    assert "Plank" in card.text and "exercise 2 of 2" in card.text
    assert "conversation workout" in held(bot_app, alice)
    async with session_factory() as session:
        ratings = await session.scalars(
            select(UserExercisePerformance.difficulty_rating)
            .where(UserExercisePerformance.user_workout_session_id == sid)
            .order_by(UserExercisePerformance.created_at)
        )
        assert next(iter(ratings)) == 8
    assert "Commands" in (await bob.send("/help"))[-1].text


async def test_unwritten_changes_keep_a_user_in_memory(
    alice: SandboxUser, bot_app: BotApplication, trainee: dict[str, Any]
) -> None:
    await alice.send("/help")
    processor = await settled(bot_app)
    await bot_app.update_persistence()
    bot_app.user_data[alice.user_id]["note"] = "changed by a job"
    bot_app._user_ids_to_be_updated_in_persistence.add(alice.user_id)  # as PTB marks a job's user
    processor.idle_after = 0
    assert await processor.sweep() == 0
    assert bot_app.user_data[alice.user_id]["note"] == "changed by a job"
    await bot_app.update_persistence()  # written: the next idle period releases it
    assert await processor.sweep() == 1
    assert alice.user_id not in bot_app.user_data
    await alice.send("/help")
    assert bot_app.user_data[alice.user_id]["note"] == "changed by a job"  # from the database
