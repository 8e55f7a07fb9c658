"""Pending updates and long polling: getMe, logOut/close, getUpdates."""

from __future__ import annotations

import asyncio
import copy
import itertools
from typing import Any

from bot.sandbox.emulator.core import _EmulatorCore
from bot.sandbox.emulator.errors import (
    ERR_CONFLICT_POLL,
    ERR_CONFLICT_WEBHOOK,
    JSONDict,
    TelegramApiError,
    _bad_request,
)
from bot.sandbox.emulator.state import _DEFAULT_ALLOWED_UPDATES, _Ctx, _PendingUpdate, _Poll


class _UpdatesMixin(_EmulatorCore):
    """The update queue and getUpdates."""

    def _enqueue_update(self, kind: str, payload: JSONDict, chat_id: int | None) -> JSONDict:
        update_id = self._next_update_id
        self._next_update_id += 1
        update: JSONDict = {"update_id": update_id, kind: payload}
        if kind in self._allowed_updates:
            self._updates[update_id] = _PendingUpdate(update_id, kind, copy.deepcopy(update), chat_id)
            self._updates_signal.notify_all()
        else:
            self._dropped.add(update_id)
        self._feed.notify_all()
        return update

    def _discard_update(self, update_id: int) -> None:
        self._updates.pop(update_id, None)
        self._feed.notify_all()

    def _confirm_updates(self, offset: int) -> None:
        if offset > 0:
            for update_id in [uid for uid in self._updates if uid < offset]:
                del self._updates[update_id]
        elif offset < 0:
            keep = -offset
            ids = list(self._updates)
            for update_id in ids[: max(len(ids) - keep, 0)]:
                del self._updates[update_id]

    def _drop_pending_updates(self) -> None:
        self._dropped.update(self._updates)
        self._updates.clear()
        self._feed.notify_all()

    def _set_allowed_updates(self, raw: Any) -> None:
        if raw is None:
            return
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            raise _bad_request("can't parse allowed updates JSON object")
        self._allowed_updates = frozenset(raw) if raw else _DEFAULT_ALLOWED_UPDATES

    def _m_get_me(self, ctx: _Ctx) -> JSONDict:
        return {
            **self._bot_user(ctx.bot_id),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _m_trivial(self, ctx: _Ctx) -> bool:
        return True

    async def _m_get_updates(self, ctx: _Ctx) -> list[JSONDict]:
        params = ctx.params
        if self._webhook is not None:
            raise TelegramApiError(409, ERR_CONFLICT_WEBHOOK)
        offset = params.get_int("offset", 0) or 0
        limit = min(max(params.get_int("limit", 100) or 0, 1), 100)  # Telegram clamps to 1..100
        timeout = max(params.get_int("timeout", 0) or 0, 0)
        self._set_allowed_updates(params.get_json("allowed_updates", error="can't parse allowed updates"))
        if self._active_poll is not None:
            self._active_poll.terminated = True
            self._updates_signal.notify_all()
        poll = _Poll()
        self._active_poll = poll
        self._feed.notify_all()
        try:
            self._confirm_updates(offset)
            loop = asyncio.get_running_loop()
            deadline = loop.time() + timeout
            while True:
                if poll.terminated:
                    raise TelegramApiError(409, ERR_CONFLICT_POLL)
                if self._webhook is not None:
                    raise TelegramApiError(409, ERR_CONFLICT_WEBHOOK)
                if self._closing:
                    return []
                pending = list(itertools.islice(self._updates.values(), limit))
                if pending:
                    return [pending_update.update for pending_update in pending]
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return []
                await self._updates_signal.wait(remaining)
        finally:
            if self._active_poll is poll:
                self._active_poll = None
                self._feed.notify_all()

    @property
    def is_polling(self) -> bool:
        """Whether a getUpdates request is currently waiting (long polling)."""
        return self._active_poll is not None

    def pending_updates(self) -> list[JSONDict]:
        """Updates not yet confirmed (getUpdates) or delivered (webhook)."""
        return [copy.deepcopy(pending.update) for pending in self._updates.values()]
