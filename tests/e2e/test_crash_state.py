"""The bot dies after showing a question, before its state was written (issue #17.1): the answer typed
after the restart is still read as the answer to that question.

The crash is simulated where it hurts: every write PTB's persistence would make after the update
(`update_conversation`, `update_user_data`: the write-through, and the flush when the bot stops) is lost,
as it would be if the process were killed once the prompt was on the screen. Only what the update's own
transaction committed survives; a new process on the same database then gets the user's typed answer.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.db.models import (
    BotState,
    UserExercisePerformance,
    UserExerciseSet,
    UserMeasurement,
    UserWorkoutSession,
)
from bot.persistence import SQLAlchemyPersistence
from bot.sandbox import BotApiEmulator, SandboxUser
from bot.sandbox.harness import Clock, running_bot
from bot.services import enrollment as enrollments
from bot.services.users import TelegramProfile, register_user
from bot.ui import workout as ui
from tests.e2e.test_workout import MONDAY, offer
from tests.factories import make_program, seed_catalog

Factory = async_sessionmaker[AsyncSession]


async def planned_workout(factory: Factory, person: SandboxUser) -> uuid.UUID:
    async with factory() as session, session.begin():
        await seed_catalog(session)
        program = await make_program(session)
        profile = TelegramProfile(telegram_id=person.user_id, chat_id=person.chat_id, first_name="Alice")
        user = (await register_user(session, profile, default_timezone="Europe/Berlin")).user
        user.onboarded_at = MONDAY
        info = await enrollments.enroll(session, user, program.id, date(2026, 3, 2), MONDAY)
        sid = await session.scalar(
            select(UserWorkoutSession.id).where(UserWorkoutSession.program_enrollment_id == info.id)
        )
    assert sid is not None
    return sid


def crash_after_the_update(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, lose every persistence write made after a handler (the process is gone before they
    run) until `monkeypatch.undo()`: the new process writes again."""

    async def lost(*_args: object, **_kwargs: object) -> None:
        return None

    monkeypatch.setattr(SQLAlchemyPersistence, "update_conversation", lost)
    monkeypatch.setattr(SQLAlchemyPersistence, "update_user_data", lost)


async def working_sets(factory: Factory, sid: uuid.UUID) -> list[tuple[int | None, int | None]]:
    async with factory() as session:
        rows = await session.execute(
            select(UserExerciseSet.reps, UserExerciseSet.duration_seconds)
            .join(UserExercisePerformance, UserExercisePerformance.id == UserExerciseSet.performance_id)
            .where(UserExercisePerformance.user_workout_session_id == sid)
            .order_by(UserExercisePerformance.created_at, UserExerciseSet.set_number)
        )
        return [(reps, seconds) for reps, seconds in rows]


async def workout_state(factory: Factory) -> object:
    async with factory() as session:
        return await session.scalar(select(BotState.data).where(BotState.kind == "conversation:workout"))


async def test_a_crash_after_the_difficulty_question(
    emulator: BotApiEmulator,
    settings: Settings,
    engine: AsyncEngine,
    session_factory: Factory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    alice = emulator.add_user(first_name="Alice")
    sid = await planned_workout(session_factory, alice)
    async with running_bot(emulator, settings, engine=engine, clock=Clock(MONDAY)) as first:
        await offer(first, alice, sid)
        await alice.press("▶ Start")
        await alice.send("60x5")
        crash_after_the_update(monkeypatch)
        prompt = (await alice.press("Next ▶"))[-1]
        assert "How hard was" in prompt.text
    monkeypatch.undo()
    assert await workout_state(session_factory) == 2  # RATING, committed with the update's data

    async with running_bot(emulator, settings, engine=engine, clock=Clock(MONDAY)):
        card = (await alice.send("7"))[-1]  # the answer to the question on the screen, not a set
        assert "Plank" in card.text and "exercise 2 of 2" in card.text
        assert "Logged" not in alice.last_text

    assert await working_sets(session_factory, sid) == [(5, None)]
    async with session_factory() as session:
        ratings = await session.scalars(
            select(UserExercisePerformance.difficulty_rating)
            .where(UserExercisePerformance.user_workout_session_id == sid)
            .order_by(UserExercisePerformance.created_at)
        )
        assert list(ratings) == [7]


async def test_a_crash_after_the_effort_question(
    emulator: BotApiEmulator,
    settings: Settings,
    engine: AsyncEngine,
    session_factory: Factory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    alice = emulator.add_user(first_name="Alice")
    sid = await planned_workout(session_factory, alice)
    async with running_bot(emulator, settings, engine=engine, clock=Clock(MONDAY)) as first:
        await offer(first, alice, sid)
        await alice.press("▶ Start")
        await alice.send("60x5")
        crash_after_the_update(monkeypatch)
        assert (await alice.press("🏁 Finish"))[-1].text == ui.EFFORT_PROMPT
    monkeypatch.undo()

    async with running_bot(emulator, settings, engine=engine, clock=Clock(MONDAY)):
        assert (await alice.send("7"))[-1].text == ui.SORENESS_PROMPT  # effort 7, not a set of 7
        await alice.send("3")
        summary = (await alice.send("Felt good"))[-1]
        assert "Logged" not in summary.text

    assert await working_sets(session_factory, sid) == [(5, None)]
    async with session_factory() as session:
        row = await session.get(UserWorkoutSession, sid)
        assert row is not None
        assert (row.session_status.value, row.effort_rating, row.soreness_rating, row.session_notes) == (
            "COMPLETED",
            7,
            3,
            "Felt good",
        )
        state = select(func.count()).select_from(BotState).where(BotState.kind.not_in(["catalog", "history"]))
        assert await session.scalar(state) == 0  # all ended (the catalog and history tokens stay)


async def test_a_crash_after_the_measurement_question_during_a_workout(
    emulator: BotApiEmulator,
    settings: Settings,
    engine: AsyncEngine,
    session_factory: Factory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The workout waits for sets; /measure asks for a body weight; the bot dies. The typed weight is
    still a measurement after the restart, not a set of the workout."""
    alice = emulator.add_user(first_name="Alice")
    sid = await planned_workout(session_factory, alice)
    async with running_bot(emulator, settings, engine=engine, clock=Clock(MONDAY)) as first:
        await offer(first, alice, sid)
        await alice.press("▶ Start")
        await alice.send("/measure")
        crash_after_the_update(monkeypatch)
        await alice.press("Body weight")
    monkeypatch.undo()

    async with running_bot(emulator, settings, engine=engine, clock=Clock(MONDAY)):
        saved = (await alice.send("82.5"))[-1]
        assert "Saved: Body weight 82.5 kg" in saved.text

    assert await working_sets(session_factory, sid) == []
    async with session_factory() as session:
        values = await session.scalars(select(UserMeasurement.measured_value))
        assert list(values) == [Decimal("82.5")]
