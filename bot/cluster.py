"""Several bot processes on one PostgreSQL: each chat's updates in order across processes.

With ``python -m bot run --webhook --workers N`` (or several bot containers behind one webhook URL) the
updates of one chat may reach different processes: the webhook server answers Telegram as soon as an
update is stored in the inbox (bot.inbox), so Telegram sends the chat's next update, maybe to another
process, while the first one is still being handled. `Cluster` keeps them apart and in order:

* **The chat's turn.** Before an update is handled (after this process's own per-chat lock, before a
  concurrency slot: bot.update_processor), one statement on the cluster's own connection asks, in this
  order: is this update still unhandled (else another process handled it: skip it); is an earlier update
  of the same chat still unhandled in the inbox (then wait: another process has it, in order); and takes
  the PostgreSQL session advisory lock keyed by the chat (``pg_try_advisory_lock(chat key)``; busy: wait).
  Waiting polls with a short backoff (1 ms, doubling, at most `MAX_WAIT`): the wait is rare (two
  updates of one chat in flight in two processes at once). After the update's state is written and its
  inbox row marked, ``pg_advisory_unlock``. So updates of a chat never run at the same time in two
  processes, and run in update_id order, Telegram's order. The persisted state (bot.persistence) is read
  again when an update starts, so a process takes the chat as the previous process left it.
* **Liveness.** Each process holds, for its lifetime, the advisory lock (`WORKER_LOCK_CLASS`, worker id)
  on the same connection, and writes its worker id in the inbox rows it admits (``owner``). A process
  that dies (kill -9 included) loses the connection and so its locks at once: its chats are free, and
  its rows are known to be orphaned. A process whose update waits behind an earlier update of a dead
  owner takes that update over (handles it first, in line); `Inbox.pending` at a start takes only
  orphaned rows, never those of a live process. A row of a live owner that stays unhandled for
  `STALE_AFTER` seconds (its owner could not mark it) is taken over too.

The statement is evaluated on a snapshot taken when it starts: an earlier update it sees unhandled may
have been handled meanwhile (then the next poll sees it), never the other way round, because an earlier
update of a chat was stored before Telegram sent the later one.

Only on PostgreSQL; SQLite has one writer at a time and the bot refuses several workers on it.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Final

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot import metrics
from bot.db.base import utcnow

log = logging.getLogger(__name__)

WORKER_LOCK_CLASS: Final = 0x5742_0001
"""First key of the two-key advisory lock each process holds for its lifetime (the second: its id).
Chats use the one-key (bigint) form: PostgreSQL keeps the two forms apart."""
FIRST_WAIT: Final = 0.001
MAX_WAIT: Final = 0.02
"""Seconds between two looks when the chat is busy in another process (doubling from `FIRST_WAIT`)."""
STALE_AFTER: Final = timedelta(seconds=120)
"""An unhandled row older than this blocks nobody, even if its owner is alive."""

_TAKE = text(
    """
    SELECT CASE
        WHEN NOT EXISTS (
            SELECT 1 FROM update_inbox WHERE update_id = :update_id AND handled_at IS NULL
        ) THEN 'done'
        WHEN EXISTS (
            SELECT 1 FROM update_inbox
            WHERE chat_key = :chat AND update_id < :update_id AND handled_at IS NULL
        ) THEN 'behind'
        WHEN pg_try_advisory_lock(:chat) THEN 'taken'
        ELSE 'busy'
    END
    """
)
_EARLIER = text(
    """
    SELECT update_id, owner, received_at, payload FROM update_inbox
    WHERE chat_key = :chat AND update_id < :update_id AND handled_at IS NULL
    ORDER BY update_id
    """
)
_LOCK = text("SELECT pg_try_advisory_lock(:chat)")
_UNLOCK = text("SELECT pg_advisory_unlock(:chat)")
_ALIVE = text("SELECT NOT pg_try_advisory_xact_lock(:class, :worker)")
_HOLD_WORKER = text("SELECT pg_advisory_lock(:class, :worker)")


class Turn(enum.Enum):
    TAKEN = "taken"
    """The chat is this process's now (release it when done)."""
    DONE = "done"
    """Another process handled this update already: skip it."""
    FREE = "free"
    """No lock was taken (the cluster could not ask the database): handle it anyway."""


@dataclass(slots=True)
class Taken:
    turn: Turn
    adopted: list[tuple[int, Any]] = field(default_factory=list)
    """Earlier updates of the chat whose process died: (update_id, payload), to handle first."""


def new_worker_id() -> int:
    return secrets.randbelow(2**31 - 2) + 1


class Cluster:
    """Cross-process chat locks and liveness on one dedicated connection (see the module docstring)."""

    def __init__(self, engine: AsyncEngine, *, worker_id: int | None = None) -> None:
        if engine.dialect.name != "postgresql":
            raise ValueError("several bot processes need PostgreSQL")
        self._engine = engine
        self.worker_id = worker_id or new_worker_id()
        self._connection: AsyncConnection | None = None
        self._lock = asyncio.Lock()
        """One statement at a time on the connection."""
        self.local_open: Iterable[int] = ()
        """Update ids this process has in hand (the inbox's open set; set by bot.intake)."""

    async def start(self) -> None:
        """Open the connection and take this process's liveness lock."""
        if self._connection is not None:
            return
        connection = await self._engine.connect()
        connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(_HOLD_WORKER, {"class": WORKER_LOCK_CLASS, "worker": self.worker_id})
        self._connection = connection
        log.info("bot process %d (worker id %d) joined the cluster", _pid(), self.worker_id)

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:  # closed for real, not returned to the pool: its session's advisory locks go with it
            await connection.invalidate()
        finally:
            await connection.close()

    async def _run(self, statement: Any, parameters: dict[str, Any]) -> Any:
        async with self._lock:
            if self._connection is None:
                await self.start()
            assert self._connection is not None
            try:
                return (await self._connection.execute(statement, parameters)).all()
            except Exception:
                # a broken connection lost its locks anyway: the next call opens a new one
                connection, self._connection = self._connection, None
                try:
                    await connection.invalidate()
                except Exception:
                    log.debug("could not invalidate the cluster connection", exc_info=True)
                raise

    # ------------------------------------------------------------------------------------ the chat

    async def take(self, chat: int, update_id: int) -> Taken:
        """Wait for the chat's turn for this update (see the module docstring)."""
        wait = FIRST_WAIT
        waited = False
        while True:
            try:
                state = (await self._run(_TAKE, {"chat": chat, "update_id": update_id}))[0][0]
                if state == "behind":
                    taken = await self._take_over(chat, update_id)
                    if taken is not None:
                        return taken
                elif state != "busy":
                    return Taken(Turn(state))
            except Exception:
                log.exception("could not take chat %s across processes: handling update %d anyway",
                              chat, update_id)  # fmt: skip
                return Taken(Turn.FREE)
            if not waited:
                waited = True
                metrics.CROSS_PROCESS_WAITS.inc()
            await asyncio.sleep(wait)
            wait = min(wait * 2, MAX_WAIT)

    async def _take_over(self, chat: int, update_id: int) -> Taken | None:
        """Earlier updates of the chat are unhandled: if every one of them is orphaned (its process
        died, or it is stale), take the chat and them; None to wait (a live process has one)."""
        earlier = await self._run(_EARLIER, {"chat": chat, "update_id": update_id})
        if not await self._all_orphaned(earlier):
            return None
        if not (await self._run(_LOCK, {"chat": chat}))[0][0]:
            return None
        # the chat is ours: what is still unhandled before our update is ours to handle, in order
        earlier = await self._run(_EARLIER, {"chat": chat, "update_id": update_id})
        if not await self._all_orphaned(earlier):  # pragma: no cover - owners do not change
            await self.release(chat)
            return None
        adopted = [(row.update_id, row.payload) for row in earlier if row.payload is not None]
        if adopted:
            log.warning("chat %s: taking over %d update(s) of a stopped bot process", chat, len(adopted))
        return Taken(Turn.TAKEN, adopted)

    async def _all_orphaned(self, rows: Iterable[Any]) -> bool:
        horizon = utcnow() - STALE_AFTER
        mine = set(self.local_open)
        for row in rows:
            if row.received_at < horizon:
                continue
            if row.owner == self.worker_id:
                if row.update_id in mine:
                    return False  # in hand here: it comes first anyway
                continue
            if row.owner is not None and await self.alive(row.owner):
                return False
        return True

    async def release(self, chat: int) -> None:
        try:
            await self._run(_UNLOCK, {"chat": chat})
        except Exception:
            log.exception("could not release chat %s across processes", chat)

    async def alive(self, worker: int) -> bool:
        """Whether the bot process with that worker id still runs (holds its liveness lock)."""
        if worker == self.worker_id:
            return True
        return bool((await self._run(_ALIVE, {"class": WORKER_LOCK_CLASS, "worker": worker}))[0][0])


def _pid() -> int:
    import os

    return os.getpid()
