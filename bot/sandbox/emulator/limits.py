"""Telegram's size limits and flood control (sliding windows over message-sending requests)."""

from __future__ import annotations

import math
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Final

MAX_MESSAGE_LENGTH: Final = 4096
MAX_CAPTION_LENGTH: Final = 1024
MAX_CALLBACK_DATA_BYTES: Final = 64
MAX_CALLBACK_ANSWER_LENGTH: Final = 200
MAX_COMMANDS: Final = 100
MAX_UPLOAD_BYTES: Final = 50 * 1024 * 1024
MAX_DOWNLOAD_BYTES: Final = 20 * 1024 * 1024


@dataclass(frozen=True)
class RateLimits:
    """Flood-control thresholds, counted over sliding windows of message-sending/editing requests."""

    global_per_second: int = 30
    private_chat_per_second: int = 3
    group_chat_per_minute: int = 20


_RATE_LIMITED_METHODS: Final = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "editMessageText",
        "editMessageCaption",
        "editMessageReplyMarkup",
    }
)


class _RateLimiter:
    def __init__(self, limits: RateLimits) -> None:
        self.limits = limits
        self._global: deque[float] = deque()
        self._chats: dict[int, deque[float]] = defaultdict(deque)

    @staticmethod
    def _wait(stamps: deque[float], limit: int, window: float, now: float) -> float | None:
        while stamps and stamps[0] <= now - window:
            stamps.popleft()
        if len(stamps) < limit:
            return None
        return stamps[len(stamps) - limit] + window - now

    def _windows(self, chat_id: int | None) -> list[tuple[deque[float], int, float]]:
        windows = [(self._global, self.limits.global_per_second, 1.0)]
        if chat_id is not None:
            if chat_id < 0:
                windows.append((self._chats[chat_id], self.limits.group_chat_per_minute, 60.0))
            else:
                windows.append((self._chats[chat_id], self.limits.private_chat_per_second, 1.0))
        return windows

    def check(self, chat_id: int | None, now: float) -> int | None:
        """Seconds to wait before this request is allowed, or None if it is allowed now."""
        waits = [self._wait(stamps, limit, window, now) for stamps, limit, window in self._windows(chat_id)]
        worst = max((wait for wait in waits if wait is not None), default=None)
        if worst is None:
            return None
        return max(1, math.ceil(worst))

    def record(self, chat_id: int | None, now: float) -> None:
        for stamps, _limit, _window in self._windows(chat_id):
            stamps.append(now)
