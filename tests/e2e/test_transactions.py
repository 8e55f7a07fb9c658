"""No Bot API call while a database transaction is open (issue #17.4).

tests/conftest.py fails every test in which the bot calls Telegram inside `session_scope`; these tests
show that the guard catches such a call, and drive the replies that used to be sent inside one.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import ApplicationHandlerStop, CommandHandler

from bot.app import BotApplication
from bot.config import Settings
from bot.context import BotContext
from bot.db.enums import SessionStatus
from bot.db.models import BotState, User, UserExerciseSet, UserWorkoutSession
from bot.sandbox import BotApiEmulator
from bot.sandbox.harness import Clock, running_bot
from bot.services import workouts
from bot.ui import workout as ui
from tests.e2e.test_crash_state import planned_workout
from tests.e2e.test_workout import MONDAY, offer

Factory = async_sessionmaker[AsyncSession]


async def test_the_guard_catches_a_reply_inside_a_transaction(
    emulator: BotApiEmulator,
    settings: Settings,
    engine: AsyncEngine,
    session_factory: Factory,
    no_bot_api_call_in_a_transaction: list[str],
) -> None:
    async def inside(update: Update, context: BotContext) -> None:
        assert update.effective_message is not None
        async with context.db():
            await update.effective_message.reply_text("inside")
        raise ApplicationHandlerStop  # not an unknown command for group 0

    async def after(update: Update, context: BotContext) -> None:
        assert update.effective_message is not None
        async with context.db():
            pass
        await update.effective_message.reply_text("after")
        raise ApplicationHandlerStop

    def configure(application: BotApplication) -> None:
        application.add_handler(CommandHandler("inside", inside), group=-3)
        application.add_handler(CommandHandler("after", after), group=-3)

    alice = emulator.add_user(first_name="Alice")
    async with running_bot(emulator, settings, engine=engine, configure=configure):
        assert [m.text for m in await alice.send("/after")] == ["after"]
        assert no_bot_api_call_in_a_transaction == []
        assert [m.text for m in await alice.send("/inside")] == ["inside"]
    [violation] = no_bot_api_call_in_a_transaction
    assert violation.startswith("sendMessage called inside a database transaction")
    assert "in inside" in violation  # where it happened
    no_bot_api_call_in_a_transaction.clear()  # seen: this test does not fail for it


async def test_typing_a_set_when_the_workout_ended_elsewhere(
    emulator: BotApiEmulator, settings: Settings, engine: AsyncEngine, session_factory: Factory
) -> None:
    """The conversation waits for a set, but the workout was cancelled meanwhile (another process):
    the reply says so, after the commit; nothing is logged and the conversation ends."""
    alice = emulator.add_user(first_name="Alice")
    sid = await planned_workout(session_factory, alice)
    async with running_bot(emulator, settings, engine=engine, clock=Clock(MONDAY)) as bot_app:
        await offer(bot_app, alice, sid)
        await alice.press("▶ Start")
        await cancel_elsewhere(session_factory, alice.user_id, sid)
        assert [m.text for m in await alice.send("60x5")] == [ui.NOTHING_IN_PROGRESS]

    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(UserExerciseSet)) == 0
        row = await session.get(UserWorkoutSession, sid)
        assert row is not None and row.session_status == SessionStatus.CANCELLED
        kinds = await session.scalars(select(BotState.kind))
        assert "conversation:workout" not in list(kinds)


async def cancel_elsewhere(factory: Factory, telegram_id: int, sid: uuid.UUID) -> None:
    async with factory() as session, session.begin():
        user = await session.scalar(select(User).where(User.telegram_id == telegram_id))
        assert user is not None
        await workouts.cancel_session(session, user, sid, MONDAY)
