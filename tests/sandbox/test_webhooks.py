"""Webhook delivery by the emulator: secret header, retries, ordering, concurrency, replies in the answer."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import BadRequest

from bot.sandbox import BotApiEmulator
from tests.sandbox.helpers import free_port, webhook_receiver


async def test_delivery_with_secret_header(emu: BotApiEmulator, bot: Bot) -> None:
    received: list[tuple[dict[str, Any], str | None, str]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append(
            (
                await request.json(),
                request.headers.get("X-Telegram-Bot-Api-Secret-Token"),
                request.headers.get("Content-Type", ""),
            )
        )
        return web.Response()

    user = emu.add_user()
    async with webhook_receiver(hook) as url:
        assert await bot.set_webhook(url, secret_token="s3cret_-Token", max_connections=5)
        info = await bot.get_webhook_info()
        assert (info.url, info.max_connections, info.pending_update_count) == (url, 5, 0)
        ids = [emu.inject_message(user.user_id, f"m{i}")["update_id"] for i in range(3)]
        await emu.wait_for(lambda e: e.stats.webhook_deliveries == 3 and not e.pending_updates())
        assert [body["update_id"] for body, _, _ in received] == ids
        assert [body["message"]["text"] for body, _, _ in received] == ["m0", "m1", "m2"]
        assert {secret for _, secret, _ in received} == {"s3cret_-Token"}
        assert {content_type for _, _, content_type in received} == {"application/json"}
        assert (await bot.get_webhook_info()).pending_update_count == 0
        assert emu.webhook_url == url
        assert await bot.delete_webhook()
    assert (await bot.get_webhook_info()).url == ""
    assert emu.webhook_url is None


async def test_no_secret_header_without_secret(emu: BotApiEmulator, bot: Bot) -> None:
    headers: list[str | None] = []

    async def hook(request: web.Request) -> web.Response:
        headers.append(request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        return web.Response()

    user = emu.add_user()
    async with webhook_receiver(hook) as url:
        await bot.set_webhook(url)
        emu.inject_message(user.user_id, "hi")
        await emu.wait_for(lambda e: e.stats.webhook_deliveries == 1)
    assert headers == [None]


async def test_retry_after_a_500(emu: BotApiEmulator, bot: Bot) -> None:
    attempts: list[int] = []

    async def hook(request: web.Request) -> web.Response:
        attempts.append((await request.json())["update_id"])
        return web.Response(status=500 if len(attempts) == 1 else 200)

    user = emu.add_user()
    async with webhook_receiver(hook) as url:
        await bot.set_webhook(url)
        update_id = emu.inject_message(user.user_id, "flaky")["update_id"]
        await emu.wait_for(lambda e: e.stats.webhook_deliveries == 1)
        assert attempts == [update_id, update_id]  # at-least-once: delivered again after the 500
        info = await bot.get_webhook_info()
        assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
        assert info.last_error_date is not None
        assert info.pending_update_count == 0
        assert emu.stats.webhook_failures == 1


async def test_unreachable_webhook_records_connection_errors(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.add_user()
    await bot.set_webhook(f"http://127.0.0.1:{free_port()}/hook")
    emu.inject_message(user.user_id, "anyone?")
    attempts = 1 + len(emu.webhook_retry_delays)
    await emu.wait_for(lambda e: e.stats.webhook_failures == attempts and not e.pending_updates())
    info = await bot.get_webhook_info()
    assert info.last_error_message == "Connection refused"
    assert emu.stats.webhook_deliveries == 0


async def test_in_order_per_chat_and_bounded_concurrency(emu: BotApiEmulator, bot: Bot) -> None:
    active = 0
    most_active = 0
    both_in = asyncio.Event()
    release = asyncio.Event()
    per_chat: dict[int, list[int]] = defaultdict(list)

    async def hook(request: web.Request) -> web.Response:
        nonlocal active, most_active
        body = await request.json()
        per_chat[body["message"]["chat"]["id"]].append(body["update_id"])
        active += 1
        most_active = max(most_active, active)
        if active == 2:
            both_in.set()
        await release.wait()
        active -= 1
        return web.Response()

    users = [emu.add_user() for _ in range(4)]
    expected: dict[int, list[int]] = defaultdict(list)
    async with webhook_receiver(hook) as url:
        await bot.set_webhook(url, max_connections=2)
        for round_ in range(3):
            for user in users:
                expected[user.chat_id].append(emu.inject_message(user.user_id, f"r{round_}")["update_id"])
        await asyncio.wait_for(both_in.wait(), 5)
        assert most_active == 2
        release.set()
        await emu.wait_for(lambda e: e.stats.webhook_deliveries == 12)
    assert most_active == 2
    assert dict(per_chat) == dict(expected)


async def test_method_in_the_webhook_answer_is_executed(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.add_user()

    async def hook(request: web.Request) -> web.Response:
        body = await request.json()
        chat_id = body["message"]["chat"]["id"]
        return web.json_response({"method": "sendMessage", "chat_id": chat_id, "text": "from the answer"})

    async with webhook_receiver(hook) as url:
        await bot.set_webhook(url)
        emu.inject_message(user.user_id, "hi")
        await emu.wait_for(lambda e: user.last_reply is not None)
    assert user.last_text == "from the answer"


async def test_drop_pending_updates_and_webhook_validation(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.add_user()
    dropped = [emu.inject_message(user.user_id, "old")["update_id"] for _ in range(2)]
    delivered: list[int] = []

    async def hook(request: web.Request) -> web.Response:
        delivered.append((await request.json())["update_id"])
        return web.Response()

    async with webhook_receiver(hook) as url:
        with pytest.raises(BadRequest, match="Secret token contains unallowed characters"):
            await bot.set_webhook(url, secret_token="not allowed!")
        with pytest.raises(BadRequest, match="Bad webhook"):
            await bot.set_webhook("ftp://example.com/hook")
        assert await bot.set_webhook(url, drop_pending_updates=True, allowed_updates=["message"])
        for update_id in dropped:
            await emu.wait_processed(update_id, timeout=0.1)
        fresh = emu.inject_message(user.user_id, "new")["update_id"]
        await emu.wait_for(lambda e: e.stats.webhook_deliveries == 1)
        assert delivered == [fresh]
        info = await bot.get_webhook_info()
        assert info.allowed_updates == ("message",)
        assert await bot.delete_webhook(drop_pending_updates=True)
        assert not await bot.get_updates()
