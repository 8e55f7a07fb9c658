"""Shared fixtures: one migrated database per test process, emptied after every test.

SQLite (a temporary file) by default; PostgreSQL when TEST_DATABASE_URL is set. A PostgreSQL URL that
cannot be reached is an error, never a skip.

Under pytest-xdist (`pytest -n 2`) every worker has a database of its own: its own SQLite file (the
temporary directory is per worker), or on PostgreSQL `<database>_gw0`, `<database>_gw1`, ... on the same
server, created through the server's `postgres` database when missing; its schema is rebuilt like the
single database's.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import traceback
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy import delete, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram.request import BaseRequest

from bot.db.base import Base
from bot.db.migrate import upgrade
from bot.db.session import create_engine, create_sessionmaker, transaction_open
from bot.services import catalog_cache, history_cache


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        if url.startswith(("postgresql://", "postgres://")):
            url = "postgresql+asyncpg://" + url.split("://", 1)[1]
        worker = os.environ.get("PYTEST_XDIST_WORKER")
        if worker and url.startswith("postgresql"):
            url = _worker_database(url, worker)
        yield url
        return
    path: Path = tmp_path_factory.mktemp("db") / "test.db"
    yield f"sqlite+aiosqlite:///{path}"


def _worker_database(url: str, worker: str) -> str:
    """`url` with the database `<name>_<worker>`, created (empty) when the server lacks it."""
    base = make_url(url)
    own = base.set(database=f"{base.database}_{worker}")
    try:
        asyncio.run(_create_database(base, own.database or ""))
    except (OSError, asyncpg.PostgresError) as error:  # PostgreSQL down: fail loudly, never skip
        pytest.fail(f"cannot create the worker's test database {own.render_as_string()}: {error}")
    return own.render_as_string(hide_password=False)


async def _create_database(base: URL, name: str) -> None:
    connection = await asyncpg.connect(
        host=base.host,
        port=base.port,
        user=base.username,
        password=base.password,
        database="postgres",
        **{str(k): v for k, v in base.query.items() if k in ("ssl",)},
    )
    try:
        exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            with contextlib.suppress(asyncpg.DuplicateDatabaseError):  # another run made it meanwhile
                await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def reset_schema(engine: AsyncEngine) -> None:
    """Drop everything (tables and Alembic's version table) so the run starts from scratch."""
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        else:
            await connection.run_sync(Base.metadata.drop_all)
            await connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    try:
        await reset_schema(engine)
    except OSError as error:  # PostgreSQL down: fail loudly, never skip
        pytest.fail(f"cannot reach the test database {engine.url.render_as_string()}: {error}")
    await upgrade(engine)
    yield engine
    await engine.dispose()


async def empty_all_tables(engine: AsyncEngine) -> None:
    # The process's caches of catalog and history facts go with the rows they were read from (the next
    # test's database starts without a version token, like a fresh install).
    catalog_cache.CACHE.clear()
    history_cache.forget_all()
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(t.name for t in Base.metadata.sorted_tables)
            await connection.execute(text(f"TRUNCATE {names} CASCADE"))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                await connection.execute(delete(table))


@pytest.fixture
async def session_factory(engine: AsyncEngine) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    yield create_sessionmaker(engine)
    await empty_all_tables(engine)


@pytest.fixture
async def session(session_factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with session_factory() as session:
        yield session


@pytest.fixture(autouse=True)
def no_bot_api_call_in_a_transaction(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Fail the test when the bot calls the Bot API while its task holds a database transaction.

    A request inside `session_scope` keeps the transaction (on SQLite the only connection) open for as long
    as Telegram takes - seconds under a 429 - and every other user waits. The violation is recorded where it
    happens (raising there would only turn into the bot's apology) and fails the test at teardown.
    """
    violations: list[str] = []
    original = BaseRequest._request_wrapper

    async def guarded(self: BaseRequest, url: str, *args: Any, **kwargs: Any) -> bytes:
        if transaction_open():
            method = url.rsplit("/", 1)[-1]
            where = "".join(traceback.format_stack(limit=16)[:-1])
            violations.append(f"{method} called inside a database transaction:\n{where}")
        return await original(self, url, *args, **kwargs)

    monkeypatch.setattr(BaseRequest, "_request_wrapper", guarded)
    yield violations
    if violations:
        pytest.fail("Bot API called while a transaction was open:\n\n" + "\n\n".join(violations))
