"""Concurrent update processing that keeps each chat's updates in order.

Different chats are handled concurrently (up to `max_concurrent_updates`); updates of one chat run one
after another, in the order Telegram sent them, so a conversation never sees its second message
before the first one is handled.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class PerChatUpdateProcessor(BaseUpdateProcessor):
    __slots__ = ("_locks", "_users", "after_update")

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}
        self.after_update: Callable[[], Awaitable[object]] | None = None
        """Awaited when an update has been handled, still under its chat's lock, before the chat's next
        update starts (bot.persistence.install sets it to write the chat's state through)."""

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
            await self._handle(coroutine)
            return
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                await self._handle(coroutine)
        finally:
            remaining = self._users[key] - 1
            if remaining:
                self._users[key] = remaining
            else:  # last user of this chat's lock: forget it so the map stays small
                del self._users[key]
                del self._locks[key]

    async def _handle(self, coroutine: Awaitable[Any]) -> None:
        try:
            await coroutine
        finally:
            if self.after_update is not None:
                await self.after_update()

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
