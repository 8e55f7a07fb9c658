"""/start and /help through the emulator, in polling and in webhook mode."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.db.enums import Role
from bot.db.models import User
from bot.sandbox import BotApiEmulator, SandboxUser

pytestmark = pytest.mark.parametrize("mode", ["polling", "webhook"], indirect=True)


async def _user(factory: async_sessionmaker[AsyncSession], telegram_id: int) -> User | None:
    async with factory() as session:
        return await session.scalar(select(User).where(User.telegram_id == telegram_id))


async def test_start_registers_and_greets(
    alice: SandboxUser, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    replies = await alice.send("/start")
    assert len(replies) == 1
    assert "Welcome, Alice" in replies[0].text
    user = await _user(session_factory, alice.user_id)
    assert user is not None
    assert (user.first_name, user.username, user.chat_id, user.role) == (
        "Alice",
        "alice",
        alice.user_id,
        Role.TRAINEE,
    )

    again = await alice.send("/start")
    assert "Welcome back, Alice" in again[0].text
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 1


async def test_deep_link_payload_is_kept(
    alice: SandboxUser, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await alice.send("/start coach-invite_42")
    user = await _user(session_factory, alice.user_id)
    assert user is not None and user.start_payload == "coach-invite_42"


async def test_hostile_names_are_escaped(
    make_user: object, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    mallory = make_user("<b>M&M</b> 💪" + "x" * 80)  # type: ignore[operator]
    replies = await mallory.send("/start")
    assert "<b>M&M</b> 💪" in replies[0].text  # shown literally, not as markup
    user = await _user(session_factory, mallory.user_id)
    assert user is not None and len(user.first_name) == 64


async def test_help_lists_commands(
    alice: SandboxUser, emulator: BotApiEmulator, bot_app: BotApplication
) -> None:
    replies = await alice.send("/help")
    assert "/start" in replies[0].text and "/help" in replies[0].text
    menu = [c["command"] for c in emulator.visible_commands(alice.chat_id)]
    assert {"start", "help"} <= set(menu)


async def test_unknown_command_points_to_help(alice: SandboxUser) -> None:
    replies = await alice.send("/frobnicate")
    assert "/help" in replies[0].text


async def test_group_chat_asks_for_private(
    alice: SandboxUser, emulator: BotApiEmulator, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    group = emulator.add_group("Gym buddies", members=[alice.user_id])
    replies = await alice.in_chat(group).send("/start")
    assert "private" in replies[0].text
    assert await _user(session_factory, alice.user_id) is None


async def test_stray_buttons_are_answered(alice: SandboxUser, bot_app: BotApplication) -> None:
    await bot_app.bot.send_message(alice.chat_id, "an old message")
    await alice.press_data("zz:nobody-claims-this", alice.messages[-1].message_id)
    assert alice.callback_answers[-1].text == "This button is no longer valid."
