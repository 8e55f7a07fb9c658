"""An empty keyboard is never sent: /history with nothing finished offers a way to start a workout.

Before, ``history_keyboard`` built ``InlineKeyboardMarkup([])`` (python-telegram-bot sends it as ``{}``),
the emulator refused it and the user got "Sorry, something went wrong".
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.db.models import User, UserWorkoutSession
from bot.sandbox import SandboxUser
from bot.sandbox.harness import Clock
from bot.services.users import TelegramProfile, register_user
from bot.ui import history, today
from tests.factories import make_program, seed_catalog

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


async def sessions_of(session_factory: async_sessionmaker[AsyncSession], telegram_id: int) -> int:
    async with session_factory() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(UserWorkoutSession)
            .join(User, User.id == UserWorkoutSession.user_id)
            .where(User.telegram_id == telegram_id)
        )
    return int(count or 0)


async def test_history_without_workouts_offers_todays_plan(
    alice: SandboxUser, bot_app: BotApplication, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    async with session_factory() as session, session.begin():
        await seed_catalog(session)
        await make_program(session)
        profile = TelegramProfile(telegram_id=alice.user_id, chat_id=alice.chat_id, first_name="Alice")
        user = (await register_user(session, profile, default_timezone="UTC")).user
        user.onboarded_at = NOW

    [reply] = await alice.send("/history")
    assert reply.text == history.NO_HISTORY
    assert "No workouts yet" in reply.text
    assert reply.buttons == [[history.START_FROM_TODAY]]
    assert await sessions_of(session_factory, alice.user_id) == 0

    await alice.press(history.START_FROM_TODAY, reply)
    shown = alice.emulator.message(alice.chat_id, reply.message_id)
    assert shown.edited and "📅 Today" in shown.content and today.NO_ENROLLMENT.split(".")[0] in shown.content
    assert "Sorry" not in " ".join(m.content for m in alice.messages)
    assert await sessions_of(session_factory, alice.user_id) == 0
