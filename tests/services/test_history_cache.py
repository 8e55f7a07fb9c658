"""The per-user history cache (bot.services.history_cache): a note, the bests and last time are served
from the process once the workout's query has checked the user's token; a note written, a past set
edited, or another process's bump makes the next read go to the database."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import UserExerciseNote, UserWorkoutSession
from bot.db.models.state import BotState
from bot.services import enrollment, exercise_notes, history_cache, workouts
from bot.services.set_input import SetInput
from bot.services.workout_views import load_user_view
from tests.factories import make_program, make_user, seed_catalog

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def _started(factory: async_sessionmaker[AsyncSession]) -> tuple[int, uuid.UUID, uuid.UUID]:
    async with factory() as session, session.begin():
        await seed_catalog(session)
        program = await make_program(session)
        user = await make_user(session)
        info = await enrollment.enroll(session, user, program.id, date(2026, 3, 2), NOW)
        sid = await session.scalar(
            select(UserWorkoutSession.id).where(UserWorkoutSession.program_enrollment_id == info.id)
        )
        assert sid is not None
        view = await workouts.start_session(session, user, sid, NOW)
        return user.telegram_id, sid, view.exercises[0].exercise_id


async def _note(
    factory: async_sessionmaker[AsyncSession], telegram_id: int, exercise_id: uuid.UUID
) -> str | None:
    """The note as an update of the workout reads it (the user's token checked first)."""
    async with factory() as session, session.begin():
        user = await load_user_view(session, telegram_id, None)
        assert user is not None
        return await exercise_notes.note_for(session, user, exercise_id)


async def test_a_note_is_cached_and_a_change_is_seen(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    telegram_id, _, exercise_id = await _started(session_factory)
    assert await _note(session_factory, telegram_id, exercise_id) is None
    async with session_factory() as session, session.begin():  # behind the cache's back: not seen
        user = await load_user_view(session, telegram_id, None)
        assert user is not None
        session.add(
            UserExerciseNote(
                user_id=user.id, exercise_id=exercise_id, note="raw", created_at=NOW, updated_at=NOW
            )
        )
    assert await _note(session_factory, telegram_id, exercise_id) is None  # the cache is really used

    async with session_factory() as session, session.begin():  # through the service: bumped
        user = await load_user_view(session, telegram_id, None)
        assert user is not None
        await exercise_notes.set_note(session, user, exercise_id, "seat at 4", NOW)
    assert await _note(session_factory, telegram_id, exercise_id) == "seat at 4"


async def test_another_process_bump_drops_the_users_entries(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    telegram_id, sid, exercise_id = await _started(session_factory)
    async with session_factory() as session, session.begin():
        user = await load_user_view(session, telegram_id, None)
        assert user is not None
        view = await workouts.session_view(session, user, sid, lock=True)
        bests = await workouts.exercise_history(session, user, sid, view.exercises[0])
        assert bests.empty
    async with session_factory() as session, session.begin():  # a finished workout with a heavy set
        user = await load_user_view(session, telegram_id, None)
        assert user is not None
        workout_id = await session.scalar(
            select(UserWorkoutSession.workout_id).where(UserWorkoutSession.id == sid)
        )
        other = UserWorkoutSession(
            user_id=user.id,
            workout_id=workout_id,
            session_status="COMPLETED",
            started_at=NOW,
            completed_at=NOW,
            created_by=user.id,
        )
        session.add(other)
        await session.flush()
        await workouts.log_sets(
            session, user, other.id, 0, [SetInput(reps=5, weight_kg=Decimal("100"))], late=True
        )
    async with session_factory() as session, session.begin():
        user = await load_user_view(session, telegram_id, None)
        assert user is not None
        view = await workouts.session_view(session, user, sid, lock=True)
        bests = await workouts.exercise_history(session, user, sid, view.exercises[0])
        assert bests.weight_kg == Decimal("100")  # the late set bumped the token

    # another process's bump: the token changes in the database only
    async with session_factory() as session, session.begin():
        user = await load_user_view(session, telegram_id, None)
        assert user is not None
        assert await exercise_notes.note_for(session, user, exercise_id) is None
        session.add(
            UserExerciseNote(
                user_id=user.id, exercise_id=exercise_id, note="elsewhere", created_at=NOW, updated_at=NOW
            )
        )
        native = postgresql_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
        statement = native(BotState).values(
            kind=history_cache.KIND, key=str(telegram_id), data="another", updated_at=NOW
        )
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=[BotState.kind, BotState.key], set_={"data": "another"}
            )
        )
    assert await _note(session_factory, telegram_id, exercise_id) == "elsewhere"
