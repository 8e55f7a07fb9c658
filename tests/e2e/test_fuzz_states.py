"""The conversation-state fuzz, short form: a few hundred seeded random inputs across every state.

The long form is bench/fuzz_states.py (same driver, tests/fuzz_driver.py)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.sandbox import BotApiEmulator
from bot.sandbox.harness import Clock
from bot.ui import progress as progress_ui
from bot.ui import texts
from tests.fuzz_driver import STATES, ErrorCapture, Fuzzer

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PER_STATE = 16  # x 28 states = 448 inputs


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY)


async def test_random_inputs_in_every_state_break_nothing(
    emulator: BotApiEmulator, bot_app: BotApplication, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    fuzzer = Fuzzer(emulator, bot_app, session_factory, MONDAY, seed=17)
    await fuzzer.setup()
    report = await fuzzer.run(PER_STATE)
    assert report.failures == []
    assert report.total == PER_STATE * len(STATES)
    unreached = [state for state in STATES if report.reached[state] == 0]
    assert unreached == []


async def test_the_checks_can_fail(
    emulator: BotApiEmulator, bot_app: BotApplication, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """The invariants are live: an apology, an over-long text, an error logged and a changed bystander
    are each reported."""
    fuzzer = Fuzzer(emulator, bot_app, session_factory, MONDAY, seed=1)
    await fuzzer.setup()
    before = await fuzzer.snapshot()
    assert before[2] and before[-2]  # Bob has a measurement and a logged set
    bob = fuzzer.bystander
    assert bob is not None
    await bot_app.bot.send_message(bob.chat_id, texts.APOLOGY)
    await bot_app.bot.send_message(bob.chat_id, "x" * 4096)
    fuzzer.check("s", "input", bob.messages[-2:], [])
    assert len(fuzzer.report.failures) == 1 and "apology" in fuzzer.report.failures[0]
    with ErrorCapture() as errors:
        logging.getLogger("bot.handlers.common").error("boom")
    assert [record.getMessage() for record in errors.records] == ["boom"]
    await bob.send("/measure weight 90")
    assert await fuzzer.snapshot() != before


async def test_a_forged_history_page_is_refused_once_not_apologised_for(
    emulator: BotApiEmulator, bot_app: BotApplication, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """Found by the fuzz: `hi:p:` with a page out of range answered the button twice and got the apology."""
    fuzzer = Fuzzer(emulator, bot_app, session_factory, MONDAY, seed=1)
    await fuzzer.setup()
    bob = fuzzer.bystander
    assert bob is not None
    before = await fuzzer.snapshot()
    await bob.send("/history")
    page = bob.messages[-1]
    with ErrorCapture() as errors:
        for data in ("hi:p:-1", "hi:p:" + "A" * 70, "hi:p:99999"):
            replies = await bob.press_data(data, page.message_id)
            assert all(texts.APOLOGY not in reply.content for reply in replies), data
            assert bob.callback_answers[-1].text == progress_ui.NOT_YOURS, data
    assert errors.records == []
    assert bob.messages[-1].content == page.content  # the page stays as it was
    assert await fuzzer.snapshot() == before
