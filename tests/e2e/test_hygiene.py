"""Input hygiene through the emulator: control characters in every kind of input.

PostgreSQL refuses a NUL character in text; every string of an incoming update is cleaned once, before
any handler sees it (bot.handlers.hygiene). Each test sends a NUL (and other control characters) where a
user can type, and checks both the reply and what the database holds.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.app import BotApplication
from bot.db.enums import Role, SessionStatus
from bot.db.models import User, UserMeasurement, UserWorkoutSession
from bot.sandbox import SandboxUser
from bot.sandbox.harness import Clock
from bot.services import enrollment as enrollments
from bot.services.users import TelegramProfile, register_user
from bot.ui.callback import workout_skip, workout_start
from bot.ui.texts import APOLOGY
from tests.factories import make_program, seed_catalog

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
Factory = async_sessionmaker[AsyncSession]
NUL = "\x00"


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY)


@pytest.fixture
async def trainee(alice: SandboxUser, session_factory: Factory) -> AsyncIterator[dict[str, Any]]:
    """Alice, onboarded (Berlin, kg), enrolled today in the mini program: day 1 is Workout A."""
    async with session_factory() as session, session.begin():
        await seed_catalog(session)
        program = await make_program(session)
        user = (
            await register_user(
                session,
                TelegramProfile(telegram_id=alice.user_id, chat_id=alice.chat_id, first_name="Alice"),
                default_timezone="Europe/Berlin",
            )
        ).user
        user.onboarded_at = MONDAY
        info = await enrollments.enroll(session, user, program.id, date(2026, 3, 2), MONDAY)
        planned = await session.scalar(
            select(UserWorkoutSession.id).where(UserWorkoutSession.program_enrollment_id == info.id)
        )
        assert planned is not None
    yield {"user_id": user.id, "session_id": planned}


async def offer(bot_app: BotApplication, user: SandboxUser, session_id: uuid.UUID) -> None:
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton("▶ Start", callback_data=workout_start(session_id)),
          InlineKeyboardButton("⏭ Skip", callback_data=workout_skip(session_id))]]
    )  # fmt: skip
    await bot_app.bot.send_message(user.chat_id, "Today: Workout A", reply_markup=markup)


def no_apology(user: SandboxUser) -> None:
    assert all(APOLOGY not in m.content for m in user.messages)


async def test_a_nul_in_a_skip_reason_is_dropped(
    alice: SandboxUser, bot_app: BotApplication, trainee: dict[str, Any], session_factory: Factory
) -> None:
    await offer(bot_app, alice, trainee["session_id"])
    await alice.press("⏭ Skip")
    await alice.send(f"knee{NUL} hurts\x07\x1b")
    assert "Workout skipped" in alice.last_text
    no_apology(alice)
    async with session_factory() as session:
        row = await session.get(UserWorkoutSession, trainee["session_id"])
        assert row is not None and row.session_status == SessionStatus.SKIPPED
        assert row.session_notes == "Skipped: knee hurts"


async def test_a_nul_in_a_workout_note_and_a_search_is_dropped(
    alice: SandboxUser, bot_app: BotApplication, trainee: dict[str, Any], session_factory: Factory
) -> None:
    sid = trainee["session_id"]
    await offer(bot_app, alice, sid)
    await alice.press("▶ Start")
    await alice.press("➕ Add exercise")
    await alice.send(f"pla{NUL}nk")
    assert "matching “plank”" in alice.last_text
    assert any("Plank" in label for row in alice.buttons() for label in row)
    await alice.press("Plank")
    await alice.press("🏁 Finish")
    await alice.press("🏁 Finish anyway")  # nothing logged: it asks first
    await alice.press("8")
    await alice.press("3")
    await alice.send(f"Good{NUL} one\ttoday\r\nreally")
    assert "Workout complete" in alice.last_text
    no_apology(alice)
    async with session_factory() as session:
        row = await session.get(UserWorkoutSession, sid)
        assert row is not None and row.session_notes == "Good one\ttoday\nreally"


async def test_a_nul_in_a_measurement_and_progress(
    alice: SandboxUser, bot_app: BotApplication, trainee: dict[str, Any], session_factory: Factory
) -> None:
    await alice.send("/measure")
    await alice.press("Body weight")
    await alice.send(f"82.5, yesterday, after{NUL} breakfast")
    assert "Saved: Body weight 82.5 kg on 1 Mar" in alice.last_text
    await alice.send(f"/progress squ{NUL}at")
    await alice.send(f"/progress {NUL}")
    assert "Progress" in alice.last_text  # nothing left of the argument: the menu
    no_apology(alice)
    async with session_factory() as session:
        notes = list(await session.scalars(select(UserMeasurement.measurement_notes)))
    assert notes == ["after breakfast"]


async def test_a_nul_in_makecoach_and_in_a_name(make_user: Any, session_factory: Factory) -> None:
    ada = make_user("Ada", user_id=999000, username="ada")
    eve = make_user(f"Eve{NUL}\x08", last_name=f"Null{NUL}", username="eve")
    await eve.send("/start")
    await ada.send("/start")
    await ada.send(f"/makecoach @ev{NUL}e")
    assert "is now a coach" in ada.last_text
    no_apology(ada)
    no_apology(eve)
    async with session_factory() as session:
        row = await session.scalar(select(User).where(User.telegram_id == eve.user_id))
        assert row is not None and (row.first_name, row.last_name, row.role) == ("Eve", "Null", Role.COACH)


async def test_the_longest_search_and_note_fit(
    alice: SandboxUser, bot_app: BotApplication, trainee: dict[str, Any], session_factory: Factory
) -> None:
    sid = trainee["session_id"]
    await offer(bot_app, alice, sid)
    await alice.press("▶ Start")
    await alice.press("➕ Add exercise")
    await alice.send("<&> " * 1024)
    assert "<&> <&>" in alice.last_text and len(alice.last_text) < 200
    no_apology(alice)
    async with session_factory() as session:
        row = await session.get(UserWorkoutSession, sid)
        assert row is not None and row.session_status == SessionStatus.IN_PROGRESS
