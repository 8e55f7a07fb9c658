"""The priority rate limiter: background messages paced, interactive ones never held back by them."""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.ratelimit import BULK, PriorityRateLimiter

# RetryAfter(int) warns about its future timedelta type; not what these tests are about.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


class Recorder:
    """A fake Bot API call: records when (and to which chat) each request went out."""

    def __init__(self, fail_first: int = 0) -> None:
        self.calls: list[tuple[float, Any]] = []
        self.fail_first = fail_first

    async def __call__(self, chat_id: Any) -> dict[str, Any]:
        if self.fail_first:
            self.fail_first -= 1
            raise RetryAfter(0)
        self.calls.append((time.monotonic(), chat_id))
        return {"ok": True}


async def send(limiter: PriorityRateLimiter, recorder: Recorder, chat_id: int, *, bulk: bool) -> Any:
    return await limiter.process_request(
        recorder, (chat_id,), {}, "sendMessage", {"chat_id": chat_id}, BULK if bulk else None
    )


def max_in_window(stamps: list[float], window: float) -> int:
    stamps = sorted(stamps)
    return max(sum(1 for t in stamps if start <= t < start + window) for start in stamps)


async def test_interactive_requests_pass_straight_through() -> None:
    limiter = PriorityRateLimiter(overall_per_second=5, window=0.5)
    recorder = Recorder()
    began = time.monotonic()
    await asyncio.gather(*(send(limiter, recorder, chat, bulk=False) for chat in range(40)))
    assert len(recorder.calls) == 40
    assert time.monotonic() - began < 0.2  # no pacing without background traffic


async def test_background_requests_are_paced_under_the_window() -> None:
    limiter = PriorityRateLimiter(overall_per_second=10, window=0.2)
    recorder = Recorder()
    began = time.monotonic()
    await asyncio.gather(*(send(limiter, recorder, chat, bulk=True) for chat in range(30)))
    elapsed = time.monotonic() - began
    stamps = [t for t, _ in recorder.calls]
    assert len(stamps) == 30
    assert max_in_window(stamps, 0.19) <= 10
    assert 0.35 < elapsed < 2.0  # 30 at 50 a second


async def test_one_background_message_per_chat_per_interval() -> None:
    limiter = PriorityRateLimiter(overall_per_second=100, window=1.0, per_chat_interval=0.15)
    recorder = Recorder()
    await asyncio.gather(*(send(limiter, recorder, 7, bulk=True) for _ in range(3)))
    stamps = [t for t, _ in recorder.calls]
    assert all(b - a >= 0.14 for a, b in itertools.pairwise(stamps))


async def test_an_interactive_reply_overtakes_a_background_burst() -> None:
    limiter = PriorityRateLimiter(overall_per_second=10, window=0.2)
    recorder = Recorder()
    burst = [asyncio.create_task(send(limiter, recorder, chat, bulk=True)) for chat in range(40)]
    await asyncio.sleep(0.3)  # the burst is under way, the window full
    began = time.monotonic()
    await send(limiter, recorder, 999, bulk=False)
    waited = time.monotonic() - began
    position = [chat for _, chat in recorder.calls].index(999)
    await asyncio.gather(*burst)
    assert waited < 0.15  # one slot, not the rest of the burst (which takes ~0.5 s more)
    assert position < 25
    assert max_in_window([t for t, _ in recorder.calls], 0.19) <= 10


async def test_429_is_waited_out_and_retried() -> None:
    limiter = PriorityRateLimiter(max_retries=2)
    recorder = Recorder(fail_first=2)
    assert await send(limiter, recorder, 1, bulk=True) == {"ok": True}
    assert limiter.retried == 2
    recorder = Recorder(fail_first=3)
    with pytest.raises(RetryAfter):
        await send(limiter, recorder, 1, bulk=False)


async def test_other_methods_are_not_counted() -> None:
    limiter = PriorityRateLimiter(overall_per_second=1, window=10)
    recorder = Recorder()
    await send(limiter, recorder, 1, bulk=True)
    began = time.monotonic()
    for _ in range(5):
        await limiter.process_request(recorder, (1,), {}, "answerCallbackQuery", {}, BULK)
    assert time.monotonic() - began < 0.1
