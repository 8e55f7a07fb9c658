"""aiosqlite connections that run SQLite on the event loop's thread instead of a worker thread.

aiosqlite hands every call (cursor, execute, fetchall, close, commit...) to a thread of its own and
waits for the answer. On the 2-core machines this bot runs on, one such round trip costs about 0.3 ms of
CPU (a queue put, a thread wake-up, call_soon_threadsafe, a loop wake-up) while the SQLite work it
carries for this bot's statements - indexed lookups and single-row writes on a local file - takes a few
microseconds: on the development machine a ``SELECT 1`` cost 0.9 ms of CPU through aiosqlite and 3 us
through sqlite3. SQLAlchemy makes three or four such calls per statement, so the threads, not SQLite,
capped the bot's throughput (bench.workout_load at 30 trainees: 17 updates/s before, 35 with this module
alone).

`InlineConnection` is an ``aiosqlite.Connection`` (SQLAlchemy's aiosqlite dialect drives it unchanged)
whose work queue runs each call at once, on the calling thread. What a worker thread gave for free is
kept as follows:

* **Waiting for a lock never blocks the loop.** The connection's busy timeout is 0; a statement that
  finds the database locked by another connection (another process, another engine of this process)
  while no transaction of ours is open - the ``BEGIN IMMEDIATE`` of every transaction
  (bot.db.session), or a statement in autocommit mode - had no effect, and is retried after an
  asyncio sleep (1 ms, doubling to 50 ms) until `busy_seconds` have passed; then the error is raised as
  before. Inside a transaction the write lock is already ours, so a busy error there is raised at once.
* **Long statements do block the loop.** That is the trade: this bot's statements are short. A WAL
  checkpoint (every 1,000 pages written) is the longest thing that runs inline.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Generator
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import make_url

BUSY_SECONDS = 10.0
"""How long a statement waits for another connection's write lock (SQLite's busy timeout before)."""
FIRST_DELAY = 0.001
MAX_DELAY = 0.05


def is_busy(error: sqlite3.OperationalError) -> bool:
    """SQLITE_BUSY / SQLITE_LOCKED: another connection holds a lock we need."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    message = str(error).lower()
    return "database is locked" in message or "database table is locked" in message


class _InlineQueue:
    """Stands in for aiosqlite's queue to its worker thread: runs each call as it is put."""

    def put_nowait(self, item: tuple[asyncio.Future[Any] | None, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as error:
            if future is None:
                raise
            future.set_exception(error)
        else:
            if future is not None:
                future.set_result(result)


class InlineConnection(aiosqlite.Connection):
    """An aiosqlite connection without its thread: see the module docstring."""

    def __init__(
        self,
        connector: Callable[[], sqlite3.Connection],
        iter_chunk_size: int = 64,
        *,
        busy_seconds: float = BUSY_SECONDS,
    ) -> None:
        super().__init__(connector, iter_chunk_size)
        self._tx = _InlineQueue()  # type: ignore[assignment]
        self.busy_seconds = busy_seconds

    def __await__(self) -> Generator[Any, None, aiosqlite.Connection]:
        return self._connect().__await__()  # connects at once; no thread to start

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self._running or self._connection is None:
            raise ValueError("Connection closed")
        connection = self._connection
        delay, deadline = FIRST_DELAY, None
        while True:
            try:
                return fn(*args, **kwargs)
            except sqlite3.OperationalError as error:
                if connection.in_transaction or not is_busy(error):
                    raise
                loop = asyncio.get_running_loop()
                if deadline is None:
                    deadline = loop.time() + self.busy_seconds
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise
                await asyncio.sleep(min(delay, remaining))
                delay = min(delay * 2, MAX_DELAY)

    def stop(self) -> asyncio.Future[Any] | None:
        """Close the sqlite3 connection (there is no thread to stop)."""
        self._running = False
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        return None


def inline_creator(url: str, *, busy_seconds: float = BUSY_SECONDS) -> Callable[[], Any]:
    """An ``async_creator`` for create_async_engine: InlineConnections to the URL's database.

    The URL's database and query options (``?mode=ro&uri=true``, ``timeout``...) are read the way
    SQLAlchemy's pysqlite dialect reads them. Transactions are left to SQLAlchemy (autocommit mode at
    the sqlite3 level) and the busy timeout to `InlineConnection`.
    """
    args, kwargs = SQLiteDialect_pysqlite().create_connect_args(make_url(url))
    kwargs.pop("timeout", None)
    kwargs.pop("check_same_thread", None)
    kwargs["isolation_level"] = None
    database = args[0] if args else ":memory:"

    def connector() -> sqlite3.Connection:
        return sqlite3.connect(database, timeout=0, **kwargs)

    async def creator() -> InlineConnection:
        connection = InlineConnection(connector, busy_seconds=busy_seconds)
        await connection
        return connection

    return creator
