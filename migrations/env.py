"""Alembic environment: async engines, the models' naming convention, batch mode for SQLite.

The URL comes from bot.config.Settings (DATABASE_URL) unless the caller passes one through
``config.attributes["url"]``, or hands over an open connection in ``config.attributes["connection"]``
(bot.db.migrate does, in a transaction of bot.db.migrate.migration_connection: on SQLite, foreign keys
are off while batch mode copies tables others refer to; its module doc says why).
"""

from __future__ import annotations

import asyncio
import warnings
from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection

import bot.db.models  # noqa: F401 - registers every table on Base.metadata
from bot.db.base import Base
from bot.db.migrate import migration_connection
from bot.db.session import create_engine

# SQLite's batch mode reflects tables, and SQLAlchemy cannot reflect the expression index
# uq_exercise_owner_name (owner_id, lower(name)); the index is kept all the same (only `exercise` batch
# operations would drop it, and any such revision must create it again).
warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based index")

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def _url() -> str:
    url = config.attributes.get("url")
    if url:
        return str(url)
    from bot.config import load_settings

    return load_settings().database_url


def _configure(connection: Connection | None = None, url: str | None = None) -> None:
    dialect = connection.dialect.name if connection is not None else (url or "").split("+")[0].split(":")[0]
    context.configure(
        connection=connection,
        url=url,
        target_metadata=target_metadata,
        render_as_batch=dialect == "sqlite",
        compare_type=True,
        compare_server_default=False,
        literal_binds=connection is None,
    )


def run_migrations_offline() -> None:
    _configure(url=_url())
    with context.begin_transaction():
        context.run_migrations()


def _run_sync(connection: Connection) -> None:
    _configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    engine = create_engine(_url())
    try:
        async with migration_connection(engine) as connection:  # SQLite: foreign keys off, checked after
            await connection.run_sync(_run_sync)
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_sync(connection)
        return
    asyncio.run(_run_async())


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
