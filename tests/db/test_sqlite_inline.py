"""bot.db.sqlite_inline: SQLite on the event loop's thread, lock waits as asyncio sleeps.

These always run on a SQLite file of their own, whatever TEST_DATABASE_URL says.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.session import create_engine
from bot.db.sqlite_inline import InlineConnection, inline_creator, is_busy


@pytest.fixture
async def url(tmp_path: Path) -> AsyncIterator[str]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'inline.db'}"
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE t (n INTEGER NOT NULL)"))
    await engine.dispose()
    yield url


async def _count(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text("SELECT count(*) FROM t"))).scalar_one())


async def test_connections_are_inline_and_start_no_thread(url: str) -> None:
    engine = create_engine(url)
    threads = threading.active_count()
    async with engine.begin() as connection:
        raw = await connection.get_raw_connection()
        assert isinstance(raw.driver_connection, InlineConnection)
        await connection.execute(text("INSERT INTO t (n) VALUES (1)"))
        journal = (await connection.execute(text("PRAGMA journal_mode"))).scalar_one()
        busy = (await connection.execute(text("PRAGMA busy_timeout"))).scalar_one()
        foreign_keys = (await connection.execute(text("PRAGMA foreign_keys"))).scalar_one()
    assert threading.active_count() == threads
    assert (journal, busy, foreign_keys) == ("wal", 0, 1)  # lock waits are ours, not SQLite's
    assert await _count(engine) == 1
    await engine.dispose()


async def test_a_locked_database_is_waited_for_without_blocking_the_loop(url: str) -> None:
    holder, waiter = create_engine(url), create_engine(url)  # two processes' worth of connections
    ticks = 0
    released = asyncio.Event()

    async def ticker() -> None:
        nonlocal ticks
        while not released.is_set():
            ticks += 1
            await asyncio.sleep(0.005)

    async def hold_the_lock() -> None:
        async with holder.begin() as connection:  # BEGIN IMMEDIATE: the write lock
            await connection.execute(text("INSERT INTO t (n) VALUES (1)"))
            await asyncio.sleep(0.3)
        released.set()

    async def write_meanwhile() -> float:
        await asyncio.sleep(0.05)  # the holder has the lock by now
        started = time.perf_counter()
        async with waiter.begin() as connection:
            await connection.execute(text("INSERT INTO t (n) VALUES (2)"))
        return time.perf_counter() - started

    ticking = asyncio.create_task(ticker())
    _, waited = await asyncio.gather(hold_the_lock(), write_meanwhile())
    await ticking
    assert waited >= 0.2  # it waited for the holder's commit...
    assert ticks >= 20  # ...while the loop went on running other tasks
    assert await _count(waiter) == 2  # and both writes are in
    await holder.dispose()
    await waiter.dispose()


async def test_waiting_for_a_lock_gives_up_after_busy_seconds(url: str) -> None:
    holder = create_engine(url)
    impatient = create_engine(url, async_creator=inline_creator(url, busy_seconds=0.1))
    async with holder.begin() as connection:
        await connection.execute(text("INSERT INTO t (n) VALUES (1)"))
        started = time.perf_counter()
        with pytest.raises(OperationalError, match="locked"):
            async with impatient.begin() as other:
                await other.execute(text("INSERT INTO t (n) VALUES (2)"))
        assert 0.1 <= time.perf_counter() - started < 2
    assert await _count(holder) == 1  # the holder's write stands, the refused one left nothing
    await holder.dispose()
    await impatient.dispose()


async def test_memory_databases_work_too() -> None:
    engine = create_engine("sqlite+aiosqlite://")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE t (n INTEGER NOT NULL)"))
        await connection.execute(text("INSERT INTO t (n) VALUES (1), (2)"))
    assert await _count(engine) == 2
    await engine.dispose()


async def test_the_thread_based_driver_stays_available(url: str) -> None:
    engine = create_engine(url, sqlite_inline=False)
    async with engine.begin() as connection:
        raw = await connection.get_raw_connection()
        assert not isinstance(raw.driver_connection, InlineConnection)
        await connection.execute(text("INSERT INTO t (n) VALUES (1)"))
    assert await _count(engine) == 1
    await engine.dispose()


def test_busy_errors_are_recognised() -> None:
    assert is_busy(sqlite3.OperationalError("database is locked"))
    assert not is_busy(sqlite3.OperationalError("no such table: t"))
