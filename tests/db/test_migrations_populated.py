"""Migrations upgrade a database that holds data: every row survives, nothing dangles, and back again.

An install of an older version (tests/db/old_databases.py: users, the seeded catalog, the linear program,
enrollments, workouts, sets, measurements, the bot's persisted state) is upgraded to head; every row it had
reads back the same in the columns it had, every foreign key still finds its row and is enforced again,
and the schema is exactly the models'. Then down to the old revision and up again, with the same checks.
On SQLite that covers the batch rebuilds of tables other tables refer to (0006 app_user, 0009 exercise,
0014's downgrade of workout and exercise_instruction), which dropped or emptied referenced tables
while foreign keys were enforced.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.migrate import MigrationError, current_revision, downgrade, head_revision, upgrade
from tests.db.old_databases import LINEAR_PROGRAM, populate, rows, snapshot
from tests.db.test_migrations import _diff

# The first schema, the two the report named (before 0006's and 0009's rebuilds), and one with the tables
# of 0010-0013 (notes, comments) before 0014, whose downgrade rebuilds workout and exercise_instruction.
OLD_REVISIONS = ["0001", "0004", "0008", "0013"]


def _dangling(connection: Connection) -> list[str]:
    """Every foreign key whose rows point at a missing row (any dialect), as 'table.cols -> parent'."""
    found = inspect(connection)
    problems = []
    for table in found.get_table_names():
        for fk in found.get_foreign_keys(table):
            child, parent = fk["constrained_columns"], fk["referred_columns"]
            on = " AND ".join(f"p.{p} = c.{c}" for c, p in zip(child, parent, strict=True))
            present = " AND ".join(f"c.{c} IS NOT NULL" for c in child)
            count = connection.scalar(
                text(
                    f"SELECT count(*) FROM {table} c WHERE {present}"
                    f" AND NOT EXISTS (SELECT 1 FROM {fk['referred_table']} p WHERE {on})"
                )
            )
            if count:
                problems.append(f"{table}.{child} -> {fk['referred_table']}: {count}")
    return problems


def _foreign_keys_intact(connection: Connection) -> None:
    assert _dangling(connection) == []
    if connection.dialect.name == "sqlite":
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        tables = set(inspect(connection).get_table_names())
        for table in tables:
            referred = {fk["referred_table"] for fk in inspect(connection).get_foreign_keys(table)}
            assert referred <= tables, (table, referred - tables)  # never _alembic_tmp_*
        # Enforcement is back on for the connection the migration used (the pool's only one).
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


async def _check(engine: AsyncEngine, tables: dict[str, sa.Table], before: dict[str, Any]) -> None:
    async with engine.connect() as connection:
        after = await connection.run_sync(snapshot, tables)
        for name in before:  # table by table: a failure names the table
            assert after[name] == before[name], name
        await connection.run_sync(_foreign_keys_intact)
    # Enforced, not only intact: an exercise that workouts refer to cannot be deleted.
    with pytest.raises(IntegrityError):
        async with engine.begin() as connection:
            await connection.execute(text("DELETE FROM exercise WHERE code = 'back-squat'"))


async def _populated(engine: AsyncEngine, revision: str) -> tuple[dict[str, sa.Table], dict[str, Any]]:
    await upgrade(engine, revision)
    async with engine.begin() as connection:
        tables = await connection.run_sync(populate)
        before = await connection.run_sync(snapshot, tables)
    assert {name: len(table_rows) for name, table_rows in before.items()} == {
        name: len(rows()[name]) for name in tables
    }
    assert sum(map(len, before.values())) > 300  # the catalog, the program and the training history
    return tables, before


async def _a_few_values(engine: AsyncEngine) -> None:
    """Spelled out, apart from the snapshots: what a user would miss first."""
    async with engine.connect() as connection:
        ben = (await connection.execute(text("SELECT timezone, weight_unit, first_name FROM app_user"
                                              " WHERE telegram_id = 400"))).one()  # fmt: skip
        heaviest = await connection.scalar(text("SELECT max(weight_kg) FROM user_exercise_set"))
        weights = await connection.scalar(
            text("SELECT count(*) FROM user_measurement WHERE unit = 'kg' AND measured_value > 78")
        )
        in_progress = await connection.scalar(
            text("SELECT count(*) FROM user_workout_session WHERE session_status = 'IN_PROGRESS'")
        )
    assert tuple(ben) == ("America/New_York", "LB", "Ben <b>")
    assert float(heaviest) == 122.5  # the deadlift of the second session (day 3, Full Body B): 120 + 2.5
    assert weights == 8
    assert in_progress == 2


@pytest.mark.parametrize("revision", OLD_REVISIONS)
async def test_a_populated_database_upgrades_and_downgrades_keeping_every_row(
    scratch_engine: AsyncEngine, revision: str
) -> None:
    tables, before = await _populated(scratch_engine, revision)

    await upgrade(scratch_engine)
    assert await current_revision(scratch_engine) == head_revision()
    await _check(scratch_engine, tables, before)
    await _a_few_values(scratch_engine)
    async with scratch_engine.connect() as connection:
        assert await connection.run_sync(_diff) == []
        # What the revisions derive from old rows: set types from is_warmup (0012), the linear program's
        # progression rules (0017).
        types = dict(
            (await connection.execute(text("SELECT is_warmup, count(DISTINCT set_type) FROM user_exercise_set"
                                           " GROUP BY is_warmup"))).all()
        )  # fmt: skip
        warmups = await connection.scalar(
            text("SELECT count(*) FROM user_exercise_set WHERE set_type = 'WARMUP'")
        )
        rules = await connection.scalar(
            text(
                "SELECT count(*) FROM progression_rule r JOIN exercise_instruction i ON i.id = r.instruction_id"
                " JOIN schedule_workout s ON s.workout_id = i.workout_id"
                " JOIN program_schedule ps ON ps.id = s.schedule_id JOIN program p ON p.id = ps.program_id"
                " WHERE p.name = :name AND s.day_number = 1"
            ),
            {"name": LINEAR_PROGRAM},
        )
    assert sorted(types.values()) == [1, 1]
    assert warmups == sum(1 for row in rows()["user_exercise_set"] if row.get("is_warmup"))
    assert rules == 3  # day 1 is Full Body A: squat, bench, row

    await downgrade(scratch_engine, revision)
    assert await current_revision(scratch_engine) == revision
    await _check(scratch_engine, tables, before)
    await _a_few_values(scratch_engine)

    await upgrade(scratch_engine)
    await _check(scratch_engine, tables, before)
    async with scratch_engine.connect() as connection:
        assert await connection.run_sync(_diff) == []


async def test_a_migration_that_would_leave_a_dangling_row_changes_nothing(
    scratch_engine: AsyncEngine,
) -> None:
    """SQLite checks foreign keys after the migrations, before they commit: a row that points at nothing
    (written with enforcement off, as a hand edit could) stops the upgrade with the rows it names, and the
    database stays at its revision with every row."""
    if scratch_engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL never turns foreign keys off")
    tables, before = await _populated(scratch_engine, "0008")
    path = scratch_engine.url.database
    assert path
    with sqlite3.connect(path) as raw:  # the sqlite3 module's default: foreign keys off
        raw.execute(
            "UPDATE user_exercise_set SET performance_id = 'feedfeedfeedfeedfeedfeedfeedfeed' WHERE id = (SELECT min(id) FROM user_exercise_set)"
        )
    raw.close()
    async with scratch_engine.connect() as connection:
        dangling = await connection.run_sync(snapshot, tables)

    with pytest.raises(MigrationError, match=r"user_exercise_set .*user_exercise_performance"):
        await upgrade(scratch_engine)

    assert await current_revision(scratch_engine) == "0008"
    async with scratch_engine.connect() as connection:
        assert await connection.run_sync(snapshot, tables) == dangling
        assert "user_exercise_note" not in await connection.run_sync(lambda c: inspect(c).get_table_names())
        assert (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1
    assert dangling != before
