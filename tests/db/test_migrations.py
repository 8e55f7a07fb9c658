"""Migrations: upgrade to head matches the models exactly; downgrade to base and up again works."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import models as m
from bot.db.base import Base
from bot.db.enums import SessionStatus
from bot.db.migrate import current_revision, downgrade, head_revision, upgrade

# Indexes with DESC columns: SQLite's reflection drops the direction, so autogenerate cannot compare
# them there; test_index_definitions checks their exact SQL instead.
DESC_INDEXES = {
    "idx_user_program_status": "(user_id, enrollment_status, start_date DESC)",
    "idx_user_workout_status": "(user_id, session_status, scheduled_at DESC)",
    "idx_user_workout_completed": "(user_id, completed_at DESC) WHERE completed_at IS NOT NULL",
    "idx_user_exercise_progress": "(exercise_instruction_id, created_at DESC)",
    "idx_user_measurement_date": "(user_id, metric_id, measurement_date DESC)",
    "idx_user_measurement_metric": "(metric_id, measurement_date DESC)",
}
PARTIAL_INDEXES = {
    "idx_user_workout_program": "(program_enrollment_id, session_status) WHERE program_enrollment_id IS NOT NULL",
}


def _diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    diffs = compare_metadata(context, Base.metadata)
    if connection.dialect.name == "sqlite":
        diffs = [
            d for d in diffs if not (d[0] in ("add_index", "remove_index") and d[1].name in DESC_INDEXES)
        ]
    return diffs


async def test_upgrade_head_matches_models(scratch_engine: AsyncEngine) -> None:
    await upgrade(scratch_engine)
    assert await current_revision(scratch_engine) == head_revision()
    async with scratch_engine.connect() as connection:
        assert await connection.run_sync(_diff) == []


async def test_downgrade_to_base_and_up_again(scratch_engine: AsyncEngine) -> None:
    await upgrade(scratch_engine)
    await downgrade(scratch_engine, "base")
    async with scratch_engine.connect() as connection:
        tables = await connection.run_sync(lambda c: inspect(c).get_table_names())
    assert set(tables) <= {"alembic_version"}
    await upgrade(scratch_engine)
    async with scratch_engine.connect() as connection:
        tables = await connection.run_sync(lambda c: inspect(c).get_table_names())
        assert await connection.run_sync(_diff) == []
    assert set(Base.metadata.tables) <= set(tables)


def _normalise(sql: str) -> str:
    sql = re.sub(r"\s+", " ", sql).replace('"', "")
    sql = re.sub(r"::[a-z ]+", "", sql)
    return sql.replace("( ", "(").replace(" )", ")").strip()


async def test_index_definitions(engine: AsyncEngine) -> None:
    """DESC and partial indexes exist exactly as the ERD gives them, on either database."""
    async with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            rows = await connection.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'index'"))
        else:
            rows = await connection.execute(
                text("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()")
            )
        found = {name: _normalise(sql or "") for name, sql in rows}
    for name, tail in {**DESC_INDEXES, **PARTIAL_INDEXES}.items():
        assert name in found, f"missing index {name}"
        definition = found[name].replace("USING btree ", "")
        expected = tail.replace(" WHERE ", " WHERE (") + ")" if "WHERE" in tail else tail
        assert definition.endswith((tail, expected)), (name, definition)


async def test_every_erd_table_exists(engine: AsyncEngine) -> None:
    expected = {
        "program", "program_category", "program_tag", "program_schedule", "schedule_workout", "program_phase",
        "user_program_enrollment", "user_workout_session", "user_exercise_performance", "user_measurement",
    }  # fmt: skip
    async with engine.connect() as connection:
        tables = set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
    assert expected <= tables


async def test_one_workout_in_progress_migration_keeps_the_latest(scratch_engine: AsyncEngine) -> None:
    """0007 builds uq_user_workout_in_progress on a database that already has a user with two workouts
    in progress: the most recently started stays IN_PROGRESS, the other becomes CANCELLED."""
    await upgrade(scratch_engine, "0006")
    user, other, workout = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    older, newer, alone = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    async with scratch_engine.begin() as connection:
        for person, telegram_id in ((user, 1), (other, 2)):
            await connection.execute(
                m.User.__table__.insert().values(id=person, telegram_id=telegram_id, first_name="A")
            )
        await connection.execute(m.Workout.__table__.insert().values(id=workout, name="W", created_by=user))
        sessions = m.UserWorkoutSession.__table__
        for sid, owner, started in (
            (older, user, datetime(2026, 3, 1, 8, tzinfo=UTC)),
            (newer, user, datetime(2026, 3, 2, 8, tzinfo=UTC)),
            (alone, other, datetime(2026, 3, 1, 8, tzinfo=UTC)),
        ):
            await connection.execute(
                sessions.insert().values(
                    id=sid, user_id=owner, workout_id=workout, created_by=owner,
                    session_status="IN_PROGRESS", started_at=started,
                )
            )  # fmt: skip
    await upgrade(scratch_engine)
    async with scratch_engine.connect() as connection:
        rows = dict((await connection.execute(select(sessions.c.id, sessions.c.session_status))).all())
    assert rows == {
        older: SessionStatus.CANCELLED,
        newer: SessionStatus.IN_PROGRESS,
        alone: SessionStatus.IN_PROGRESS,
    }


async def test_the_progression_migration_gives_the_seeded_linear_program_its_rules(
    scratch_engine: AsyncEngine,
) -> None:
    """A database seeded before 0017 has the linear program without rules: the upgrade adds them."""
    from bot.db.session import create_sessionmaker
    from bot.services.seed import seed_reference_data

    await upgrade(scratch_engine)
    async with create_sessionmaker(scratch_engine)() as session, session.begin():
        await seed_reference_data(session)
    query = text(
        "SELECT e.code, r.rule, r.increment_kg, r.deload_after FROM progression_rule r"
        " JOIN exercise_instruction i ON i.id = r.instruction_id JOIN exercise e ON e.id = i.exercise_id"
        " JOIN workout w ON w.id = i.workout_id WHERE w.name IN ('Full Body A', 'Full Body B')"
        " ORDER BY w.name, i.order_index"
    )
    async with scratch_engine.connect() as connection:
        seeded = [tuple(row) for row in await connection.execute(query)]
    await downgrade(scratch_engine, "0016")  # as before the revision: the program, no rules
    await upgrade(scratch_engine)
    async with scratch_engine.connect() as connection:
        migrated = [tuple(row) for row in await connection.execute(query)]
    assert [(code, rule) for code, rule, _, _ in migrated] == [
        ("back-squat", "LINEAR"),
        ("bench-press", "LINEAR"),
        ("barbell-row", "LINEAR"),
        ("back-squat", "LINEAR"),
        ("overhead-press", "LINEAR"),
        ("deadlift", "LINEAR"),
        ("lat-pulldown", "DOUBLE"),
    ]
    assert [(c, r, float(i), d) for c, r, i, d in migrated] == [(c, r, float(i), d) for c, r, i, d in seeded]
