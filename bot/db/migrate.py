"""Run Alembic migrations programmatically, on a held connection (the async-safe way).

On SQLite, migrations run with foreign key enforcement off. Batch mode changes a table by copying it: it
creates the new table, copies the rows, DROPs the old table and renames the new one. With enforcement on,
that DROP deletes every row first, which fails ("FOREIGN KEY constraint failed") when other rows refer to
the table, or - where they refer ON DELETE CASCADE - deletes them. SQLite ignores the pragma inside a
transaction, so it is switched off before BEGIN and on again after COMMIT or ROLLBACK; before COMMIT,
`PRAGMA foreign_key_check` must find no row that refers to a missing one, or everything is rolled back.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

_PACKAGED = Path(__file__).resolve().parents[1] / "migrations"  # bot/migrations, in an installed wheel
_CHECKOUT = Path(__file__).resolve().parents[2] / "migrations"  # migrations/ of a source checkout
MIGRATIONS_DIR = _PACKAGED if (_PACKAGED / "env.py").is_file() else _CHECKOUT


def alembic_config(url: str | None = None) -> Config:
    """An Alembic Config pointing at migrations/, independent of the working directory."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["configure_logging"] = False
    if url:
        config.attributes["url"] = url
    return config


def _run(connection: Connection, action: str, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    getattr(command, action)(config, revision)


class MigrationError(RuntimeError):
    """The migrations ran but would leave the database inconsistent: nothing was committed."""


DANGLING_SHOWN = 5
"""How many rows that refer to missing rows a MigrationError names."""


def _set_foreign_keys(connection: Connection, enabled: bool) -> None:
    """Switch SQLite's enforcement on the DB-API connection itself: SQLAlchemy would BEGIN first."""
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(f"PRAGMA foreign_keys={'ON' if enabled else 'OFF'}")
        cursor.execute("PRAGMA foreign_keys")
        row = cursor.fetchone()
    finally:
        cursor.close()
    if row is None or bool(row[0]) != enabled:  # a transaction was open: the pragma did nothing
        raise MigrationError(
            f"cannot switch SQLite foreign keys {'on' if enabled else 'off'} in a transaction"
        )


def _check_foreign_keys(connection: Connection) -> None:
    rows = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if not rows:
        return
    shown = "; ".join(f"{table} row {rowid} -> {parent}" for table, rowid, parent, _ in rows[:DANGLING_SHOWN])
    more = f" and {len(rows) - DANGLING_SHOWN} more" if len(rows) > DANGLING_SHOWN else ""
    count = f"{len(rows)} rows point at rows that do" if len(rows) > 1 else "1 row points at a row that does"
    raise MigrationError(
        f"{count} not exist ({shown}{more}): nothing was migrated; "
        "fix or delete those rows (PRAGMA foreign_key_check lists them) and migrate again"
    )


@asynccontextmanager
async def migration_connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection in a transaction to run migrations in; on SQLite with foreign keys off (module doc).

    Commits when the block ends without an error (on SQLite only when no row dangles), else rolls back.
    """
    async with engine.connect() as connection:
        if connection.dialect.name != "sqlite":
            async with connection.begin():
                yield connection
            return
        await connection.run_sync(_set_foreign_keys, False)
        try:
            async with connection.begin():
                yield connection
                await connection.run_sync(_check_foreign_keys)
        finally:
            await connection.run_sync(_set_foreign_keys, True)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    async with migration_connection(engine) as connection:
        await connection.run_sync(_run, "upgrade", revision)


async def downgrade(engine: AsyncEngine, revision: str = "base") -> None:
    async with migration_connection(engine) as connection:
        await connection.run_sync(_run, "downgrade", revision)


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def known_revision(revision: str) -> bool:
    """Whether migrations/ has this revision (a database migrated by a newer version has one it lacks)."""
    from alembic.util import CommandError

    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False


async def current_revision(engine: AsyncEngine) -> str | None:
    def _current(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as connection:
        return await connection.run_sync(_current)
