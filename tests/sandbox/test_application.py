"""A real PTB Application against the emulator, in polling and in webhook mode."""

from __future__ import annotations

import pytest
from telegram import Update
from telegram.ext import CommandHandler, ContextTypes

from bot.sandbox import BotApiEmulator
from tests.sandbox.helpers import running_app


async def echo_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None and update.effective_user is not None
    payload = " ".join(context.args or [])
    await update.effective_message.reply_text(
        f"Hi <b>{update.effective_user.first_name}</b>{'! payload=' + payload if payload else '!'}",
        parse_mode="HTML",
    )


@pytest.mark.parametrize("webhook", [False, True], ids=["polling", "webhook"])
async def test_start_command_round_trip(emu: BotApiEmulator, webhook: bool) -> None:
    user = emu.add_user(first_name="Dana")
    async with running_app(emu, [CommandHandler("start", echo_start)], webhook=webhook) as app:
        replies = await user.send("/start")
        assert [reply.text for reply in replies] == ["Hi Dana!"]
        assert replies[0].entities == [{"type": "bold", "offset": 3, "length": 4}]
        assert replies[0].html == "Hi <b>Dana</b>!"
        deep_link = await user.send("/start plan_42")
        assert deep_link[0].text == "Hi Dana! payload=plan_42"
        if webhook:
            assert emu.webhook_url is not None and emu.webhook_url.endswith("/hook")
            assert emu.stats.requests["getUpdates"] == 0
        else:
            assert emu.stats.requests["getUpdates"] >= 1
        assert app.bot.username == "workout_test_bot"
    assert user.last_text == "Hi Dana! payload=plan_42"


@pytest.mark.parametrize("webhook", [False, True], ids=["polling", "webhook"])
async def test_processing_tracking(emu: BotApiEmulator, webhook: bool) -> None:
    user = emu.add_user(first_name="Eve")
    async with running_app(emu, [CommandHandler("start", echo_start)], webhook=webhook, track=True):
        assert emu.track_processing
        # the bot ignores plain text: with tracking the action returns when the update was handled
        assert await user.send("no handler for this") == []
        assert [reply.text for reply in await user.send("/start")] == ["Hi Eve!"]
