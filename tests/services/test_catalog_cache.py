"""The process's catalog cache (bot.services.catalog_cache): used while the catalog's version stays,
dropped when a program is imported, an exercise of a user's own is created, or another process bumps it."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import TrackingType
from bot.db.models import ExerciseInstruction, UserWorkoutSession
from bot.db.models.state import BotState
from bot.services import catalog_cache, enrollment, quick_workouts, workouts
from bot.services.custom_exercises import create_exercise
from tests.factories import make_program, make_user, seed_catalog

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def _planned(session: AsyncSession) -> tuple[object, uuid.UUID]:
    await seed_catalog(session)
    program = await make_program(session)
    user = await make_user(session)
    info = await enrollment.enroll(session, user, program.id, date(2026, 3, 2), NOW)
    sid = await session.scalar(
        select(UserWorkoutSession.id).where(UserWorkoutSession.program_enrollment_id == info.id)
    )
    assert sid is not None
    return user, sid


async def _another_process_bumps(session: AsyncSession) -> None:
    """What `bump` does in another process: a new token in the database, this process's cache untouched."""
    dialect = session.bind.dialect.name
    native = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = native(BotState).values(
        kind=catalog_cache.KIND, key=catalog_cache.KEY, data=uuid.uuid4().hex, updated_at=NOW
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[BotState.kind, BotState.key], set_={"data": statement.excluded["data"]}
        )
    )


async def test_prescriptions_are_cached_until_the_version_changes(session: AsyncSession) -> None:
    user, sid = await _planned(session)
    view = await workouts.session_view(session, user, sid)  # type: ignore[arg-type]
    first = view.exercises[0]
    assert first.target_sets == 3
    reads = catalog_cache.CACHE.misses
    await workouts.session_view(session, user, sid)  # type: ignore[arg-type]
    assert catalog_cache.CACHE.misses == reads  # served from the cache

    # a change behind the cache's back (no bump) is not seen: the cache is really used...
    await session.execute(
        update(ExerciseInstruction)
        .where(ExerciseInstruction.id == first.instruction_id)
        .values(target_sets=5)
    )
    view = await workouts.session_view(session, user, sid)  # type: ignore[arg-type]
    assert view.exercises[0].target_sets == 3
    # ...and once another process bumps the version, the next read takes the database's rows
    await _another_process_bumps(session)
    view = await workouts.session_view(session, user, sid)  # type: ignore[arg-type]
    assert view.exercises[0].target_sets == 5


async def test_a_program_import_drops_the_cache(session: AsyncSession) -> None:
    user, sid = await _planned(session)
    await workouts.session_view(session, user, sid)  # type: ignore[arg-type]
    assert catalog_cache.CACHE.workouts
    await make_program(session, name="Another Program")  # import_program bumps the version
    assert not catalog_cache.CACHE.workouts
    assert await catalog_cache.current_version(session) is not None


async def test_a_custom_exercise_is_matched_at_once(session: AsyncSession) -> None:
    await seed_catalog(session)
    user = await make_user(session)
    index = await quick_workouts.exercise_index(session, user)
    assert index.read("zottman curl 12x10") is not None
    assert index.read("zottman curl 12x10")[2].exercise is None  # type: ignore[index]
    assert await quick_workouts.exercise_index(session, user) is index  # cached
    exercise = await create_exercise(
        session,
        user,
        "Zottman Curl",
        muscle_group="biceps",
        equipment="dumbbell",
        tracking=TrackingType.WEIGHT_REPS,
    )
    found = (await quick_workouts.exercise_index(session, user)).read("zottman curl 12x10")
    assert found is not None and found[2].exercise is not None and found[2].exercise.id == exercise.id
    # someone else still gets the catalog alone
    other = await make_user(session, 2002, first_name="Bob")
    other_read = (await quick_workouts.exercise_index(session, other)).read("zottman curl 12x10")
    assert other_read is not None and other_read[2].exercise is None
    assert await session.scalar(select(func.count()).select_from(BotState)) >= 1
