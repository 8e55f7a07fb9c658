"""Flood control for what the bot sends: interactive replies go first, background messages are paced.

Telegram allows about 30 messages a second overall and about one a second per chat (short bursts are
tolerated); beyond that it answers 429 with ``retry_after``. python-telegram-bot's AIORateLimiter puts
every request in one queue, so during a burst of reminders a user's reply would wait behind hundreds of
them (bench.reminders measures it). `PriorityRateLimiter` keeps two kinds of traffic apart:

- interactive requests (the default) pass straight through as long as no background message was sent
  in the last window - the limiter then costs nothing; during a background burst they wait only when
  the shared window is full, and are served before any background message;
- background requests (``rate_limit_args=BULK``: the reminder job) are paced under the overall limit:
  evenly spaced (a generic cell rate algorithm, so a request that left late does not delay the next
  ones), never more than `overall_per_second` in any `window` seconds counting all traffic, at most one
  per chat per `per_chat_interval`; and they give way while an interactive request is waiting.

Both kinds honour a 429's retry_after and retry up to `max_retries` times; a 429 to a background
request also holds back all background traffic for retry_after (one to an interactive request may be
that chat's own limit, so it only delays that request). Only message-sending and -editing methods
count (those are what Telegram limits); getUpdates never passes through a rate limiter.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import logging
import time
import warnings
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any, Final

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot import metrics
from bot.ui.fit import fit_request

log = logging.getLogger(__name__)

JSONDict = dict[str, Any]

BULK: Final[dict[str, Any]] = {"bulk": True}
"""`rate_limit_args` of background messages (reminders, summaries)."""

LIMITED_ENDPOINTS: Final = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendVideo",
        "sendAudio",
        "sendVoice",
        "sendAnimation",
        "sendSticker",
        "sendVideoNote",
        "sendMediaGroup",
        "sendLocation",
        "sendVenue",
        "sendContact",
        "sendPoll",
        "sendDice",
        "copyMessage",
        "copyMessages",
        "forwardMessage",
        "forwardMessages",
        "editMessageText",
        "editMessageCaption",
        "editMessageMedia",
        "editMessageReplyMarkup",
    }
)


def retry_seconds(error: RetryAfter) -> float:
    """RetryAfter.retry_after in seconds (an int or a timedelta, depending on PTB's settings)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = error.retry_after
    if isinstance(value, dtm.timedelta):
        return value.total_seconds()
    return float(value)


class PriorityRateLimiter(BaseRateLimiter[dict[str, Any]]):
    """Paces background messages under Telegram's limits without slowing interactive replies.

    `window` is a little over a second on purpose: Telegram (and the emulator) count requests as they
    arrive, and a request can arrive a few milliseconds later or earlier than it left; 30 per 1.05 s is
    28.6 a second. `clock` is injectable for tests.
    """

    def __init__(
        self,
        *,
        overall_per_second: int = 30,
        window: float = 1.05,
        per_chat_interval: float = 1.0,
        max_retries: int = 3,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if overall_per_second < 1 or window <= 0:
            raise ValueError("overall_per_second must be >= 1 and window > 0")
        self.overall = overall_per_second
        self.window = window
        self.per_chat_interval = per_chat_interval
        self.max_retries = max_retries
        self._clock = clock
        self._spacing = window / overall_per_second
        self._sent: deque[tuple[float, bool]] = deque()  # (when, background?) in the last window
        self._background_in_window = 0
        self._next_background = 0.0  # GCRA: when the next background request is due
        self._catch_up = self._spacing  # how early it may go after late ones (two close together)
        self._last_by_chat: dict[int | str, float] = {}
        self._paused_until = 0.0
        self._interactive_waiting = 0
        self._background_turn = asyncio.Lock()
        self.retried = 0
        """How many requests were repeated after a 429 (for benchmarks and tests)."""

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    # --- bookkeeping -------------------------------------------------------------------------------

    def _prune(self, now: float) -> None:
        sent = self._sent
        while sent and sent[0][0] <= now - self.window:
            _when, background = sent.popleft()
            if background:
                self._background_in_window -= 1
        if len(self._last_by_chat) > 4096:
            horizon = now - self.per_chat_interval
            self._last_by_chat = {c: t for c, t in self._last_by_chat.items() if t > horizon}

    def _record(self, now: float, chat_id: int | str | None, background: bool) -> None:
        self._sent.append((now, background))
        if background:
            self._background_in_window += 1
            self._next_background = max(self._next_background, now) + self._spacing
        if chat_id is not None:
            self._last_by_chat[chat_id] = now

    def _forget(self, chat_id: int | str | None, slot: tuple[float, bool] | None) -> None:
        """The request of `slot` was answered 429: Telegram did not count it, so neither do we."""
        if slot is None:
            return
        try:
            self._sent.remove(slot)
        except ValueError:  # already out of the window
            return
        if slot[1]:
            self._background_in_window -= 1
        if chat_id is not None and self._last_by_chat.get(chat_id) == slot[0]:
            del self._last_by_chat[chat_id]

    def _window_wait(self, now: float) -> float:
        """Seconds until the window has room (0: it has)."""
        if len(self._sent) < self.overall:
            return 0.0
        return self._sent[len(self._sent) - self.overall][0] + self.window - now

    # --- the two kinds of traffic ------------------------------------------------------------------

    async def _interactive_slot(self, chat_id: int | str | None) -> tuple[float, bool]:
        now = self._clock()
        self._prune(now)
        if self._background_in_window == 0 or len(self._sent) < self.overall:
            self._record(now, chat_id, background=False)
            return now, False
        self._interactive_waiting += 1
        try:
            while (wait := self._window_wait(now)) > 0:
                await asyncio.sleep(wait)
                now = self._clock()
                self._prune(now)
            self._record(now, chat_id, background=False)
            return now, False
        finally:
            self._interactive_waiting -= 1

    async def _background_slot(self, chat_id: int | str | None) -> tuple[float, bool]:
        async with self._background_turn:  # one background request at a time, in order
            while True:
                now = self._clock()
                self._prune(now)
                waits = [
                    self._paused_until - now,
                    self._window_wait(now),
                    self._next_background - self._catch_up - now,
                ]
                if chat_id is not None and chat_id in self._last_by_chat:
                    waits.append(self._last_by_chat[chat_id] + self.per_chat_interval - now)
                if self._interactive_waiting:
                    waits.append(0.002)  # let the waiting reply take the free slot first
                wait = max(waits)
                if wait <= 0:
                    self._record(now, chat_id, background=True)
                    return now, True
                await asyncio.sleep(wait)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict[str, Any] | None,
    ) -> bool | JSONDict | list[JSONDict]:
        """Wait for a slot (message methods only), call, and repeat after a 429's retry_after.

        First, a text or caption over Telegram's limit is cut to fit (bot.ui.fit.fit_request)."""
        fit_request(endpoint, data)
        background = bool(rate_limit_args and rate_limit_args.get("bulk"))
        limited = endpoint in LIMITED_ENDPOINTS
        chat_id = data.get("chat_id")
        if not isinstance(chat_id, int | str):
            chat_id = None
        retries = 0
        while True:
            slot = None
            if limited:
                if background:
                    slot = await self._background_slot(chat_id)
                else:
                    slot = await self._interactive_slot(chat_id)
            metrics.api_calls(endpoint).inc()
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                metrics.api_retry_after(endpoint).inc()
                self._forget(chat_id, slot)
                if retries >= self.max_retries:
                    raise
                retries += 1
                self.retried += 1
                delay = retry_seconds(error)
                if background:  # background traffic went too fast: all of it holds back
                    self._paused_until = max(self._paused_until, self._clock() + delay)
                log.info("%s to %s: 429, retrying in %.1f s (retry %d)", endpoint, chat_id, delay, retries)
                await asyncio.sleep(delay)


__all__ = ["BULK", "LIMITED_ENDPOINTS", "PriorityRateLimiter", "retry_seconds"]
