"""Conversations and user_data in the database: they survive a restart and hold across bot processes.

A toy persistent conversation (begin -> reps -> weight) runs in the real bot, through the emulator. Each
application labels its replies ("A", "B") so the tests see which process answered.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from enum import IntEnum
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import ConversationHandler, MessageHandler, filters

from bot.app import BotApplication
from bot.config import Settings
from bot.context import BotContext
from bot.db.models import BotState
from bot.handlers import fallback
from bot.sandbox import BotApiEmulator, SandboxUser
from bot.sandbox.harness import Mode, running_bot

TOY = "toy"
TOY_GROUP = 7  # its own group: whatever the features register in group 0 cannot take its messages


class Step(IntEnum):
    REPS = 1
    WEIGHT = 2


def _label(context: BotContext) -> str:
    return str(context.bot_data.extras["label"])


async def begin(update: Update, context: BotContext) -> Step:
    assert update.effective_message is not None
    await update.effective_message.reply_text(f"{_label(context)}: reps?")
    return Step.REPS


async def reps(update: Update, context: BotContext) -> Step:
    assert update.effective_message is not None and update.effective_message.text is not None
    user_data = context.user_data
    assert user_data is not None
    user_data["reps"] = int(update.effective_message.text)
    await update.effective_message.reply_text(f"{_label(context)}: weight for {user_data['reps']} reps?")
    return Step.WEIGHT


async def weight(update: Update, context: BotContext) -> int:
    assert update.effective_message is not None and update.effective_message.text is not None
    user_data = context.user_data
    assert user_data is not None
    user_data["logged"] = user_data.get("logged", 0) + 1
    await update.effective_message.reply_text(
        f"{_label(context)}: logged {user_data['reps']} x {update.effective_message.text}"
        f" (set {user_data['logged']})"
    )
    return ConversationHandler.END


async def cancel(update: Update, context: BotContext) -> int:
    assert update.effective_message is not None
    await update.effective_message.reply_text(f"{_label(context)}: cancelled")
    return ConversationHandler.END


def toy(label: str) -> Callable[[BotApplication], None]:
    """`running_bot(configure=...)`: add the toy conversation and label the replies."""

    def configure(application: BotApplication) -> None:
        application.bot_data.extras["label"] = label
        number = filters.Regex(r"^\d+$")
        conversation: ConversationHandler[BotContext] = ConversationHandler(
            entry_points=[MessageHandler(filters.Regex("^begin$"), begin)],
            states={
                Step.REPS: [MessageHandler(number, reps)],
                Step.WEIGHT: [MessageHandler(number, weight)],
            },
            fallbacks=[MessageHandler(filters.Regex("^cancel$"), cancel)],
            name=TOY,
            persistent=True,
        )
        application.add_handler(conversation, group=TOY_GROUP)
        # The toy's text would also get the bot's general reply (bot.handlers.fallback, last of group 0).
        for handler in list(application.handlers[0]):
            if getattr(handler, "callback", None) is fallback.on_message:
                application.remove_handler(handler)

    return configure


async def texts(user: SandboxUser, text: str) -> list[str | None]:
    return [message.text for message in await user.send(text)]


async def stored(factory: async_sessionmaker[AsyncSession], user: SandboxUser) -> dict[str, Any]:
    """The user's toy conversation state and user_data rows, by kind."""
    async with factory() as session:
        found = await session.execute(
            select(BotState.kind, BotState.key, BotState.data).where(
                BotState.kind.in_([f"conversation:{TOY}", "user_data"])
            )
        )
        keys = {f"[{user.chat_id},{user.user_id}]", str(user.user_id)}
        return {kind: data for kind, key, data in found if key in keys}


async def written(
    factory: async_sessionmaker[AsyncSession], user: SandboxUser, expected: dict[str, Any]
) -> None:
    """Wait (briefly) until the rows are as expected: they are written right after the update is handled,
    just after the emulator was told it was processed."""
    for _ in range(100):
        if await stored(factory, user) == expected:
            return
        await asyncio.sleep(0.02)
    assert await stored(factory, user) == expected


CONVERSATION = f"conversation:{TOY}"


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_conversation_and_user_data_survive_a_restart(
    emulator: BotApiEmulator,
    settings: Settings,
    engine: AsyncEngine,
    session_factory: async_sessionmaker[AsyncSession],
    mode: Mode,
) -> None:
    alice = emulator.add_user(first_name="Alice")
    async with running_bot(emulator, settings, engine=engine, mode=mode, configure=toy("A")):
        assert await texts(alice, "begin") == ["A: reps?"]
        assert await texts(alice, "8") == ["A: weight for 8 reps?"]
        # in the database while the bot still runs (written through, not at shutdown)
        await written(session_factory, alice, {CONVERSATION: Step.WEIGHT, "user_data": {"reps": 8}})

    async with running_bot(emulator, settings, engine=engine, mode=mode, configure=toy("B")):
        assert await texts(alice, "60") == ["B: logged 8 x 60 (set 1)"]
        await written(session_factory, alice, {"user_data": {"reps": 8, "logged": 1}})


async def test_two_processes_share_the_conversation(
    emulator: BotApiEmulator,
    settings: Settings,
    engine: AsyncEngine,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    """A handles, then B (while A lives on with what it had in memory), then A again, and so on: each
    update continues from the state the previous one left in the database, whichever process had it."""
    alice = emulator.add_user(first_name="Alice")

    async def handled_by_b(*steps: tuple[str, list[str]]) -> None:
        async with running_bot(emulator, settings, engine=engine, configure=toy("B")):
            for text, replies in steps:
                assert await texts(alice, text) == replies
        emulator.track_processing = True  # B's exit turned it off; A is still tracked

    async with running_bot(emulator, settings, engine=engine, configure=toy("A")) as a:
        updater = a.updater
        assert updater is not None
        assert await texts(alice, "begin") == ["A: reps?"]
        assert await texts(alice, "8") == ["A: weight for 8 reps?"]
        await written(session_factory, alice, {CONVERSATION: Step.WEIGHT, "user_data": {"reps": 8}})

        await updater.stop()  # A stays up, remembering: waiting for a weight, reps=8
        await handled_by_b(("50", ["B: logged 8 x 50 (set 1)"]), ("begin", ["B: reps?"]))
        await written(
            session_factory, alice, {CONVERSATION: Step.REPS, "user_data": {"reps": 8, "logged": 1}}
        )

        await updater.start_polling(poll_interval=0, timeout=10, allowed_updates=Update.ALL_TYPES)
        # A's memory said "weight" (it would log 8 x 12); the database says "reps"
        assert await texts(alice, "12") == ["A: weight for 12 reps?"]
        await written(
            session_factory, alice, {CONVERSATION: Step.WEIGHT, "user_data": {"reps": 12, "logged": 1}}
        )

        await updater.stop()
        await handled_by_b(("cancel", ["B: cancelled"]))  # ends the conversation A believes is running
        await written(session_factory, alice, {"user_data": {"reps": 12, "logged": 1}})

        await updater.start_polling(poll_interval=0, timeout=10, allowed_updates=Update.ALL_TYPES)
        assert await texts(alice, "100") == []  # no conversation any more: nothing handles a number
        assert await texts(alice, "begin") == ["A: reps?"]
        assert await texts(alice, "9") == ["A: weight for 9 reps?"]
        assert await texts(alice, "70") == ["A: logged 9 x 70 (set 2)"]  # B's set 1 counted
        await written(session_factory, alice, {"user_data": {"reps": 9, "logged": 2}})
