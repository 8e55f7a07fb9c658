"""Engine and session factory; one update = one session = one transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import Executable, Row, event
from sqlalchemy.engine import Connection
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from bot.db.sqlite_inline import BUSY_SECONDS, inline_creator


def _sqlite_pragmas(busy_timeout_ms: int) -> Callable[[DBAPIConnection, ConnectionPoolEntry], None]:
    def on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy's "begin" event start transactions (below) instead of the sqlite3 module.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms:d}")
        cursor.close()

    return on_connect


def _sqlite_begin_immediate(connection: Connection) -> None:
    """Take SQLite's write lock when a transaction starts, not halfway through it.

    A deferred transaction that reads and then writes fails at once with "database is locked" when
    another writer got in between (the busy timeout cannot help it); an immediate one waits its turn.
    A connection marked `NO_TRANSACTION` (single reads, bot.persistence) starts none at all.
    """
    if connection.get_execution_options().get(NO_TRANSACTION):
        return
    connection.exec_driver_sql("BEGIN IMMEDIATE")


NO_TRANSACTION = "workout_bot_no_transaction"
"""Execution option: on SQLite, run the connection's statements without BEGIN (autocommit reads)."""


def single_read_options(engine: AsyncEngine) -> dict[str, Any]:
    """Execution options for a connection that runs one read and needs no transaction around it.

    PostgreSQL: AUTOCOMMIT (no BEGIN/COMMIT round trips). SQLite: our own marker, which skips the
    BEGIN IMMEDIATE - not AUTOCOMMIT, whose reset on checkin (PRAGMA read_uncommitted) makes SQLite
    prepare every cached statement again: ~0.2 ms on each of the update's next statements.
    """
    if engine.dialect.name == "sqlite":
        return {NO_TRANSACTION: True}
    return {"isolation_level": "AUTOCOMMIT"}


class DatabaseUrlError(ValueError):
    """DATABASE_URL cannot work as given (one line, naming the problem; never contains a password)."""


DEFAULT_SQLITE_FOLDER = Path("data")
"""The default DATABASE_URL's folder (./data, relative to the working directory): created on first use."""


def check_sqlite_folder(path: Path) -> None:
    """The folder of an SQLite file must exist; only the default `./data` is created when missing.

    Any other missing folder is a mistake in DATABASE_URL (a typo, an unmounted volume): creating it
    would hide the mistake behind an empty database.
    """
    folder = path.parent
    if folder.is_dir():
        return
    if folder == DEFAULT_SQLITE_FOLDER:
        folder.mkdir(parents=True, exist_ok=True)
        return
    what = "is not a folder" if folder.exists() else "does not exist"
    raise DatabaseUrlError(f"the SQLite file's folder {folder} {what}: create it or fix the path")


Reader = Callable[[Executable], Awaitable[Sequence[Row[Any]]]]
"""Runs one SELECT and returns its rows (see `single_reads`)."""


def single_reads(engine: AsyncEngine) -> Reader:
    """A reader whose every call is one short SELECT on a pooled connection, outside any transaction.

    For long reads done in pages (bot.services.export): between two pages the connection goes back to the
    pool - on SQLite, the only one - and no transaction (SQLite: no write lock) spans the whole read.
    """
    options = single_read_options(engine)

    async def read(statement: Executable) -> Sequence[Row[Any]]:
        async with engine.connect() as connection:
            connection = await connection.execution_options(**options)
            return (await connection.execute(statement)).all()

    return read


def create_engine(url: str, *, echo: bool = False, sqlite_inline: bool = True, **kwargs: Any) -> AsyncEngine:
    """An async engine; SQLite gets foreign keys, WAL and a busy timeout on every connection.

    SQLite runs on the event loop's thread (bot.db.sqlite_inline: aiosqlite's API without its worker
    thread, which cost far more than the statements themselves); ``sqlite_inline=False`` keeps
    aiosqlite's thread.
    """
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1].split("?", 1)[0] if ":///" in url else ""
        if path and path != ":memory:" and not path.startswith("file:"):  # a file (memory: StaticPool)
            check_sqlite_folder(Path(path))
            # One connection: SQLite runs one writer at a time anyway, and with BEGIN IMMEDIATE every
            # transaction is a writer. Waiting for the pool's connection is FIFO and wakes at once, where
            # many connections would sleep in SQLite's busy handler (and could time out as "locked").
            kwargs.setdefault("pool_size", 1)
            kwargs.setdefault("max_overflow", 0)
            kwargs.setdefault("pool_timeout", 60)
        if sqlite_inline:  # lock waits become asyncio sleeps there: SQLite's own busy timeout is 0
            kwargs.setdefault("async_creator", inline_creator(url))
        busy_timeout_ms = 0 if "async_creator" in kwargs else int(BUSY_SECONDS * 1000)
        engine = create_async_engine(url, echo=echo, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas(busy_timeout_ms))
        event.listen(engine.sync_engine, "begin", _sqlite_begin_immediate)
        return engine
    # One event loop keeps a few connections busy at most, and each connection prepares every statement
    # once more (asyncpg's cache is per connection). bench.workout_load at 100 trainees ran as fast with
    # 5 + 5 as with 10 + 20 (within its run-to-run noise), which leaves the server's connections to more
    # bot processes.
    kwargs.setdefault("pool_size", 5)
    kwargs.setdefault("max_overflow", 5)
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(url, echo=echo, **kwargs)


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


_TRANSACTION_OPEN: ContextVar[bool] = ContextVar("workout_bot_transaction_open", default=False)
"""True while the current task is inside `session_scope` (each update and job runs in a task of its own)."""


def transaction_open() -> bool:
    """Whether this task holds a `session_scope` transaction right now.

    No Bot API call may happen then: a slow or rate-limited (429) request would keep the transaction, and on
    SQLite the only connection, for every other user. The tests fail any request made while this is True.
    """
    return _TRANSACTION_OPEN.get()


@asynccontextmanager
async def session_scope(factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """Open a session and a transaction: commit on success, roll back on any error."""
    token = _TRANSACTION_OPEN.set(True)
    try:
        async with factory() as session, session.begin():
            yield session
    finally:
        _TRANSACTION_OPEN.reset(token)
