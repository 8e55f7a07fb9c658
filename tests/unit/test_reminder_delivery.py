"""Sending one reminder: which failures are retried (with backoff) and what ends up in the log."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.db.enums import ReminderStatus
from bot.jobs.reminders import BACKOFF, SEND_ATTEMPTS, deliver

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


class FakeBot:
    """send_message raises the given errors in turn, then succeeds."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls: list[dict[str, Any]] = []

    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> Any:
        self.calls.append({"chat_id": chat_id, "text": text, **kwargs})
        if self.errors:
            raise self.errors.pop(0)
        return SimpleNamespace(message_id=42)


async def run(bot: FakeBot) -> tuple[Any, list[float]]:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    delivery = await deliver(bot, 7, "hi", sleep=sleep)  # type: ignore[arg-type]
    return delivery, slept


async def test_sent_as_background_traffic() -> None:
    bot = FakeBot()
    delivery, slept = await run(bot)
    assert (delivery.status, delivery.attempts, delivery.message_id, slept) == (
        ReminderStatus.SENT,
        1,
        42,
        [],
    )
    assert bot.calls[0]["rate_limit_args"] == {"bulk": True}


async def test_network_errors_are_retried_with_backoff() -> None:
    delivery, slept = await run(FakeBot(NetworkError("reset"), NetworkError("refused")))
    assert (delivery.status, delivery.attempts) == (ReminderStatus.SENT, 3)
    assert slept == list(BACKOFF[:2])
    delivery, slept = await run(FakeBot(*[NetworkError("down")] * SEND_ATTEMPTS))
    assert (delivery.status, delivery.attempts, delivery.error) == (
        ReminderStatus.FAILED,
        SEND_ATTEMPTS,
        "down",
    )


async def test_429_is_waited_out() -> None:
    delivery, slept = await run(FakeBot(RetryAfter(3)))
    assert (delivery.status, slept) == (ReminderStatus.SENT, [3.0])


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (Forbidden("Forbidden: bot was blocked by the user"), ReminderStatus.BLOCKED),
        (BadRequest("Chat not found"), ReminderStatus.FAILED),
        (TimedOut("Timed out"), ReminderStatus.FAILED),  # it may have arrived: not sent twice
    ],
)
async def test_final_failures_are_not_retried(error: Exception, status: ReminderStatus) -> None:
    bot = FakeBot(error)
    delivery, slept = await run(bot)
    assert (delivery.status, delivery.attempts, slept, len(bot.calls)) == (status, 1, [], 1)
    assert delivery.error
