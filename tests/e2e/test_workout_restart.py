"""A workout survives a restart of the bot: its conversation state and position come from the database."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.db.enums import SessionStatus
from bot.db.models import UserExercisePerformance, UserExerciseSet, UserWorkoutSession
from bot.sandbox import BotApiEmulator
from bot.sandbox.harness import Clock, running_bot
from bot.services import enrollment as enrollments
from bot.services.users import TelegramProfile, register_user
from tests.e2e.test_workout import MONDAY, offer
from tests.factories import make_program, seed_catalog


async def test_restart_in_the_middle_of_a_workout(
    emulator: BotApiEmulator,
    settings: Settings,
    engine: AsyncEngine,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    alice = emulator.add_user(first_name="Alice")
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
        sid: uuid.UUID | None = await session.scalar(
            select(UserWorkoutSession.id).where(UserWorkoutSession.program_enrollment_id == info.id)
        )
    assert sid is not None

    async with running_bot(emulator, settings, engine=engine, clock=Clock(MONDAY)) as first:
        await offer(first, alice, sid)
        await alice.press("▶ Start")
        await alice.send("60x5")
        prompt = (await alice.press("Next ▶"))[-1]
        assert "How hard was" in prompt.text
    # the bot is down; then a new process starts on the same database
    async with running_bot(emulator, settings, engine=engine, clock=Clock(MONDAY)):
        card = (await alice.send("8"))[-1]  # still answering the difficulty question
        assert "Plank" in card.text and "exercise 2 of 2" in card.text
        await alice.send("45s")
        assert "Today: 45 s" in alice.last_text

    async with session_factory() as session:
        performances = (
            await session.scalars(
                select(UserExercisePerformance)
                .where(UserExercisePerformance.user_workout_session_id == sid)
                .order_by(UserExercisePerformance.created_at)
            )
        ).all()
        assert [(p.sets_completed, p.difficulty_rating) for p in performances] == [(1, 8), (1, None)]
        durations = await session.scalars(
            select(UserExerciseSet.duration_seconds).where(
                UserExerciseSet.performance_id == performances[1].id
            )
        )
        assert list(durations) == [45]
        row = await session.get(UserWorkoutSession, sid)
        assert row is not None and row.session_status == SessionStatus.IN_PROGRESS
