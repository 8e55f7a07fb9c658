"""Two processes racing on PostgreSQL: two Start taps, a double tap on a start-date button (issue #17.7).

"The other process" is a second database connection running the same service in a transaction the test
holds open: the bot's update then reads before the other commits, writes, and waits on the database's lock
(the test waits for exactly that in pg_stat_activity - ordering, not timing), and the other commits. On
SQLite no such race exists (one writer at a time, BEGIN IMMEDIATE: the second transaction starts after the
first ended); there the unique index is checked by tests/db/test_constraints.py.
"""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import BotApplication
from bot.db.enums import EnrollmentStatus, SessionStatus
from bot.db.models import User, UserWorkoutSession
from bot.sandbox import BotApiEmulator, SandboxUser
from bot.services import enrollment as enrollments
from bot.services import workouts
from bot.ui import programs as ui
from tests.e2e.test_programs import (  # noqa: F401 - fixtures
    BEGINNER,
    NOW,
    TODAY,
    WORKOUT_FIRST,
    Factory,
    add_program,
    alice_id,
    catalog,
    clock,
    enroll_directly,
    enrollment_rows,
    open_enroll,
    sessions_of,
)
from tests.e2e.test_workout import offer

pytestmark = pytest.mark.usefixtures("postgresql_only")

APOLOGY = "Sorry"


@pytest.fixture
def postgresql_only(engine: AsyncEngine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("two transactions cannot interleave on SQLite (one writer at a time)")


async def blocked_on_a_lock(engine: AsyncEngine, at_least: int = 1) -> None:
    """Return once `at_least` backends of this database wait for a lock (the bot's write behind ours)."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    for _ in range(3000):
        async with engine.connect() as connection:
            if (await connection.scalar(query) or 0) >= at_least:
                return
        await asyncio.sleep(0.01)
    raise AssertionError("the bot's transaction never waited for the other one")


async def user_row(factory: Factory, person: SandboxUser) -> User:
    async with factory() as session:
        found = await session.scalar(select(User).where(User.telegram_id == person.user_id))
        assert found is not None
        return found


async def test_double_tap_on_a_start_date_is_already_enrolled(
    alice: SandboxUser,
    alice_id: uuid.UUID,  # noqa: F811
    catalog: dict[str, uuid.UUID],  # noqa: F811
    session_factory: Factory,
    engine: AsyncEngine,
    emulator: BotApiEmulator,
) -> None:
    await open_enroll(alice)
    user = await user_row(session_factory, alice)
    async with session_factory() as other:  # the first tap, handled by another process
        await other.begin()
        await enrollments.enroll(other, user, catalog[BEGINNER], TODAY, NOW)
        second = asyncio.create_task(alice.press("Today · Tue 24 Nov"))
        await blocked_on_a_lock(engine)
        await other.commit()
    await second

    text_seen = alice.last_text
    assert ui.refused_text(f"You are already following {BEGINNER}.") == text_seen
    assert APOLOGY not in text_seen
    assert alice.callback_answers[-1].text == f"You are already following {BEGINNER}."
    assert emulator.unanswered_callback_queries() == []
    [row] = await enrollment_rows(session_factory, alice_id)
    assert row.enrollment_status == EnrollmentStatus.ACTIVE and row.program_id == catalog[BEGINNER]


async def test_two_start_taps_leave_one_workout_in_progress(
    alice: SandboxUser,
    alice_id: uuid.UUID,  # noqa: F811
    catalog: dict[str, uuid.UUID],  # noqa: F811
    session_factory: Factory,
    engine: AsyncEngine,
    bot_app: BotApplication,
) -> None:
    program_id = await add_program(session_factory, "Race Program", days=WORKOUT_FIRST)
    enrollment_id = await enroll_directly(session_factory, alice, program_id, TODAY)
    first, second = await sessions_of(session_factory, enrollment_id)  # Workout A, Mobility B
    assert first.session_status == second.session_status == SessionStatus.PLANNED
    await offer(bot_app, alice, first.id)
    user = await user_row(session_factory, alice)

    async with session_factory() as other:  # Start on the other workout, handled by another process
        await other.begin()
        await workouts.start_session(other, user, second.id, NOW)
        tap = asyncio.create_task(alice.press("▶ Start"))
        await blocked_on_a_lock(engine)
        await other.commit()
    replies = await tap

    assert "Mobility B" in replies[0].text and "in progress - here it is" in replies[0].text
    assert all(APOLOGY not in reply.text for reply in replies)
    async with session_factory() as session:
        rows = dict(
            (await session.execute(select(UserWorkoutSession.id, UserWorkoutSession.session_status))).all()
        )
        in_progress = await session.scalar(
            select(func.count())
            .select_from(UserWorkoutSession)
            .where(UserWorkoutSession.session_status == SessionStatus.IN_PROGRESS)
        )
    assert in_progress == 1
    assert rows[second.id] == SessionStatus.IN_PROGRESS and rows[first.id] == SessionStatus.PLANNED
