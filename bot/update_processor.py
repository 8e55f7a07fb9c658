"""Concurrent update processing that keeps each chat's updates in order.

Different chats are handled concurrently (up to `max_concurrent_updates`); updates of one chat run one
after another, in the order Telegram sent them, so a conversation never sees its second message
before the first one is handled.

A worker slot is taken only once the update holds its chat's lock: a chat with a backlog (a user, or a
script, sending a thousand messages) has one update in a slot at a time and the rest of its backlog
waits on its own lock, so every other chat still finds free slots. (python-telegram-bot's
BaseUpdateProcessor takes its slot before `do_process_update`, i.e. before the chat's lock; its
semaphore is therefore made unbounded here and the slots are this class's own.)

Updates that came through the durable inbox (bot.inbox) are handled with their inbox ticket as the
task's current one, and marked handled when their handlers are done. Chats that sent nothing for
`idle_after` seconds are passed to `on_idle` (bot.idle releases their in-memory state).

With several bot processes on one PostgreSQL (`cluster`, bot.cluster), the chat's turn is also taken
across processes, after this process's own lock for the chat and before a slot: an update another
process handled already is skipped, earlier updates of a process that died are handled first, and the
chat is released once the update's state is written and its inbox row marked. Each update handled is
counted and timed for /metrics (bot.metrics).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import sys
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor
from telegram.ext._utils.asyncio import TrackedBoundedSemaphore

from bot import i18n, metrics
from bot.cluster import Cluster, Turn

if TYPE_CHECKING:
    from bot.inbox import Inbox

Adopt = Callable[[Sequence[tuple[int, Any]]], list[tuple[Update, Awaitable[Any]]]]
"""Turns taken-over inbox rows (update_id, payload) into (update, its processing coroutine)."""

log = logging.getLogger(__name__)


class PerChatUpdateProcessor(BaseUpdateProcessor):
    __slots__ = (
        "_clock",
        "_last_seen",
        "_locks",
        "_quiet",
        "_slots",
        "_sweeper",
        "_users",
        "adopt",
        "after_update",
        "cluster",
        "idle_after",
        "inbox",
        "on_idle",
        "sweep_every",
    )

    def __init__(
        self, max_concurrent_updates: int = 256, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(max_concurrent_updates)
        # PTB's own semaphore is taken before the chat's lock: make it a no-op and take ours after it.
        self._semaphore = TrackedBoundedSemaphore(sys.maxsize)
        self._slots = TrackedBoundedSemaphore(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}
        self.after_update: Callable[[], Awaitable[object]] | None = None
        """Awaited when an update has been handled, still under its chat's lock, before the chat's next
        update starts (bot.persistence.install sets it to write the chat's state through)."""
        self.inbox: Inbox | None = None
        """The durable inbox (bot.intake sets it): its updates are marked handled when done."""
        self.cluster: Cluster | None = None
        """Cross-process chat locks (bot.cluster; bot.intake sets it when several processes share the
        database): None, this process's order only."""
        self.adopt: Adopt | None = None
        """Makes the updates of a dead process, taken over with a chat, ready to handle (bot.intake)."""
        self.on_idle: Callable[[int], Awaitable[object]] | None = None
        """Awaited with a chat's key when the chat sent nothing for `idle_after` seconds and has nothing
        in hand (bot.idle sets it to release the chat's in-memory state); False: try again later."""
        self.idle_after = 600.0
        self.sweep_every = 60.0
        self._clock = clock
        self._last_seen: OrderedDict[int, float] = OrderedDict()
        self._sweeper: asyncio.Task[None] | None = None
        self._quiet = asyncio.Event()
        self._quiet.set()

    @property
    def current_concurrent_updates(self) -> int:
        """Updates being handled now (in a slot); updates waiting for their chat's lock do not count."""
        return self.max_concurrent_updates - self._slots.current_value

    @property
    def waiting_updates(self) -> int:
        """Updates in hand: handled now, or waiting for their chat's lock or for a slot."""
        return sum(self._users.values())

    async def wait_quiet(self) -> None:
        """Return once no chat has an update in hand (handled, its state written, its inbox row marked)."""
        await self._quiet.wait()

    @staticmethod
    def _key(update: object) -> int | None:
        if not isinstance(update, Update):
            return None
        if update.effective_chat is not None:
            return update.effective_chat.id
        if update.effective_user is not None:
            return update.effective_user.id
        return None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = self._key(update)
        if key is None:
            async with self._slots:
                await self._handle(update, coroutine)
            return
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        self._users[key] = self._users.get(key, 0) + 1
        self._quiet.clear()
        try:
            async with lock:  # the chat's turn first, then a slot: waiting costs no slot
                if self.cluster is not None and isinstance(update, Update):
                    await self._handle_shared(self.cluster, key, update, coroutine)
                else:
                    async with self._slots:
                        await self._handle(update, coroutine)
        finally:
            remaining = self._users[key] - 1
            if remaining:
                self._users[key] = remaining
            else:  # last user of this chat's lock: forget it so the map stays small
                del self._users[key]
                del self._locks[key]
            self._last_seen[key] = self._clock()
            self._last_seen.move_to_end(key)
            if not self._users:
                self._quiet.set()

    async def _handle_shared(
        self, cluster: Cluster, key: int, update: Update, coroutine: Awaitable[Any]
    ) -> None:
        """Handle the update once its chat's turn is taken across processes too (bot.cluster)."""
        taken = await cluster.take(key, update.update_id)
        if taken.turn is Turn.DONE:  # another process handled it (it took over this one's rows)
            if inspect.iscoroutine(coroutine):
                coroutine.close()
            if self.inbox is not None:
                self.inbox.forget(update.update_id)
            return
        try:
            async with self._slots:
                if taken.adopted and self.adopt is not None:
                    for adopted, adopted_coroutine in self.adopt(taken.adopted):
                        await self._handle(adopted, adopted_coroutine)
                await self._handle(update, coroutine)
        finally:
            if taken.turn is Turn.TAKEN:
                await cluster.release(key)

    async def _handle(self, update: object, coroutine: Awaitable[Any]) -> None:
        inbox = self.inbox
        ticket = inbox.open(update) if inbox is not None else None
        token = inbox.enter(ticket) if inbox is not None else None
        started = time.perf_counter()
        sender = update.effective_user if isinstance(update, Update) else None
        locale = i18n.set_locale(
            i18n.locale_of_sender(sender.id, sender.language_code) if sender is not None else None
        )
        try:
            await coroutine
        finally:
            i18n.reset_locale(locale)
            if inbox is not None:
                inbox.leave(token)
            if self.after_update is not None:
                await self.after_update()
            if inbox is not None and ticket is not None:
                await inbox.finish(ticket)
            metrics.observe_update(update, time.perf_counter() - started)

    # ------------------------------------------------------------------------------------- idle chats

    def busy(self, key: int) -> bool:
        """The chat has an update in hand (handled now or waiting)."""
        return key in self._users

    @property
    def known_chats(self) -> int:
        """Chats seen and not yet released as idle."""
        return len(self._last_seen)

    async def sweep(self) -> int:
        """Pass every chat idle for `idle_after` seconds to `on_idle` (oldest first); how many."""
        horizon = self._clock() - self.idle_after
        released = 0
        while self._last_seen:
            key, seen = next(iter(self._last_seen.items()))
            if seen > horizon:
                break
            del self._last_seen[key]
            if self.busy(key) or self.on_idle is None:
                continue  # in hand again: its finish puts it back
            try:
                done = await self.on_idle(key)
            except Exception:
                log.exception("could not release the idle chat %s", key)
                continue
            if done is False:  # not now (unwritten changes): look again after another idle period
                self._last_seen[key] = self._clock()
                continue
            released += 1
        return released

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(self.sweep_every)
            await self.sweep()

    async def initialize(self) -> None:
        if self.cluster is not None:  # before the inbox's restart drain, which asks who is alive
            await self.cluster.start()
        if self._sweeper is None and self.on_idle is not None:
            self._sweeper = asyncio.create_task(self._sweep_forever(), name="PerChatUpdateProcessor:sweep")

    async def shutdown(self) -> None:
        sweeper, self._sweeper = self._sweeper, None
        if sweeper is not None:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper
        if self.cluster is not None:
            await self.cluster.close()
