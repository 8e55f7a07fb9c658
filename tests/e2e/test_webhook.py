"""Webhook mode: requests without Telegram's secret token are refused and change nothing."""

from __future__ import annotations

import aiohttp
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.db.models import User
from bot.sandbox import SandboxUser

pytestmark = pytest.mark.parametrize("mode", ["webhook"], indirect=True)


async def _user(factory: async_sessionmaker[AsyncSession], telegram_id: int) -> User | None:
    async with factory() as session:
        return await session.scalar(select(User).where(User.telegram_id == telegram_id))


async def test_webhook_refuses_requests_without_the_secret(
    alice: SandboxUser, bot_app: BotApplication, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    url = bot_app.bot_data.extras["webhook_url"]
    forged = {
        "update_id": 10**9,
        "message": {
            "message_id": 1, "date": 0, "text": "/start", "chat": {"id": 7, "type": "private"},
            "from": {"id": 7, "is_bot": False, "first_name": "Eve"},
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }  # fmt: skip
    async with aiohttp.ClientSession() as http:
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
            async with http.post(url, json=forged, headers=headers) as response:
                assert response.status == 403
    assert await _user(session_factory, 7) is None
    # the real delivery path still works
    assert "Welcome" in (await alice.send("/start"))[0].text
