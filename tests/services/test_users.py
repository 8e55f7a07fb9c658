"""User registration: idempotent, refreshes Telegram details, admins from settings."""

from __future__ import annotations

import asyncio
from datetime import time

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.enums import Role, WeightUnit
from bot.db.models import User
from bot.services.users import TelegramProfile, register_user

ALICE = TelegramProfile(telegram_id=42, chat_id=42, first_name="Alice", username="alice", language_code="en")


async def test_first_registration_creates_the_user(session: AsyncSession) -> None:
    result = await register_user(
        session, ALICE, default_timezone="Europe/Berlin", default_reminder_time=time(6, 30)
    )
    await session.commit()
    assert result.created is True
    user = await session.scalar(select(User).where(User.telegram_id == 42))
    assert user is not None
    assert (user.first_name, user.username, user.chat_id, user.timezone) == (
        "Alice",
        "alice",
        42,
        "Europe/Berlin",
    )
    assert user.reminder_time == time(6, 30)
    assert user.role == Role.TRAINEE and user.weight_unit == WeightUnit.KG and user.reminders_enabled


async def test_second_registration_updates_in_place(session: AsyncSession) -> None:
    await register_user(session, ALICE)
    await session.commit()
    renamed = TelegramProfile(
        telegram_id=42, chat_id=42, first_name="Alicia", username=None, last_name="B" * 100
    )
    result = await register_user(session, renamed, start_payload="coach_abc")
    await session.commit()
    assert result.created is False
    assert await session.scalar(select(func.count()).select_from(User)) == 1
    user = result.user
    assert (user.first_name, user.username, user.last_name, user.start_payload) == (
        "Alicia",
        None,
        "B" * 64,
        "coach_abc",
    )


async def test_admin_ids_grant_the_admin_role(session: AsyncSession) -> None:
    result = await register_user(session, ALICE, admin_ids=frozenset({42}))
    assert result.user.role == Role.ADMIN


async def test_concurrent_registrations_make_one_row(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async def register() -> bool:
        async with session_factory() as session, session.begin():
            return (await register_user(session, ALICE)).created

    results = await asyncio.gather(*(register() for _ in range(5)), return_exceptions=True)
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 1
    assert all(isinstance(r, bool) for r in results), results
    created = [r for r in results if r is True]
    assert len(created) == 1, results
