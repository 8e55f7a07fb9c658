"""AiohttpRequest writes each request in one send: headers and form body leave in one socket write, so
the Bot API server (and the kernel) handle one segment per call instead of two."""

from __future__ import annotations

import asyncio.selector_events
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from tests.transport.conftest import FakeBotApi


async def test_a_request_is_one_write(
    open_bot: Callable[..., Awaitable[Bot]], fake_api: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = await open_bot("aiohttp")
    await bot.send_message(1, "warm-up: the connection is open and pooled")
    writes: list[int] = []
    transport_class = asyncio.selector_events._SelectorSocketTransport
    write, writelines = transport_class.write, transport_class.writelines

    def to_api(transport: Any) -> bool:
        peer = transport.get_extra_info("peername")
        return bool(peer) and peer[1] == fake_api.port

    def counted_write(self: Any, data: Any) -> None:
        if to_api(self):
            writes.append(len(data))
        write(self, data)

    def counted_writelines(self: Any, chunks: Any) -> None:
        chunks = list(chunks)
        if to_api(self):
            writes.append(sum(len(chunk) for chunk in chunks))
        writelines(self, chunks)

    monkeypatch.setattr(transport_class, "write", counted_write)
    monkeypatch.setattr(transport_class, "writelines", counted_writelines)
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("✓ 60×5", callback_data="wk:done:x:0:1")]])
    await bot.send_message(1, "✅ Logged 60×5\n\n🏋️ Workout A · exercise 1 of 2", reply_markup=markup)
    assert len(writes) == 1, writes
    assert writes[0] > 300  # the headers and the body together
