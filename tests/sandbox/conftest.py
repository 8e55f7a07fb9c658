"""Fixtures of the sandbox tests: a running emulator and a PTB Bot talking to it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from bot.sandbox import BotApiEmulator
from tests.sandbox.helpers import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def emu(clock: FakeClock) -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(clock=clock, webhook_retry_delays=(0.01, 0.02)) as emulator:
        yield emulator


@pytest.fixture
def token(emu: BotApiEmulator) -> str:
    return emu.make_token()


@pytest.fixture
async def bot(emu: BotApiEmulator, token: str) -> AsyncIterator[Bot]:
    async with Bot(token, base_url=emu.base_url, base_file_url=emu.base_file_url) as ptb_bot:
        yield ptb_bot
