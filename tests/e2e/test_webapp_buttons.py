"""The Mini App with the bot (#16): with WEBAPP_URL set, the menu button opens it, /progress, /history,
/trainees and /myprograms offer "Open dashboard", and the server runs in the bot's process in polling
and webhook mode, answering the user with what the database holds. Without WEBAPP_URL: none of it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import unquote

import aiohttp
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.config import Settings
from bot.db.enums import Role
from bot.db.models import User
from bot.sandbox import BotApiEmulator, SandboxUser
from bot.sandbox.harness import free_port
from bot.webapp.server import dev_link, running_server
from tests.factories import seed_catalog

WEBAPP_URL = "https://bot.example.test/app/"


@pytest.fixture(params=["polling", "webhook"])
def mode(request: pytest.FixtureRequest) -> Any:
    return request.param


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=database_url,
        admin_telegram_ids="999000",  # type: ignore[arg-type]
        default_timezone="UTC",
        webapp_url=WEBAPP_URL,
        webapp_port=free_port(),
    )


@pytest.fixture
async def seeded(session_factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[None]:
    async with session_factory() as session, session.begin():
        await seed_catalog(session)
    yield


def web_app_buttons(message: Any) -> list[str]:
    return [b["web_app"]["url"] for row in message.inline_keyboard for b in row if "web_app" in b]


async def test_menu_button_and_dashboard_buttons(
    emulator: BotApiEmulator,
    bot_app: BotApplication,
    seeded: None,
    make_user: Any,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    menu = emulator.menu_button()
    assert menu is not None and menu["type"] == "web_app" and menu["web_app"]["url"] == WEBAPP_URL
    alice: SandboxUser = make_user("Alice")
    await alice.send("/start")
    replies = await alice.send("/history")
    assert web_app_buttons(replies[-1]) == [WEBAPP_URL + "?view=history"]
    assert "Open dashboard" in str(replies[-1].buttons)
    replies = await alice.send("/progress")
    assert web_app_buttons(replies[-1]) == [WEBAPP_URL + "?view=progress"]
    async with session_factory() as session, session.begin():
        user = await session.scalar(select(User).where(User.telegram_id == alice.user_id))
        assert user is not None
        user.role = Role.COACH
        user_id = user.id
    replies = await alice.send("/trainees")
    assert web_app_buttons(replies[-1]) == [WEBAPP_URL + "?view=trainees"]
    replies = await alice.send("/myprograms")
    assert web_app_buttons(replies[-1]) == [WEBAPP_URL + "?view=programs"]

    # The server runs in the bot's process: the page, and the API for Alice signed with the bot's token.
    server = running_server(bot_app)
    assert server is not None
    link = dev_link(bot_app, {"id": alice.user_id, "first_name": "Alice"}, bot_app.bot_data.clock())
    assert link is not None and link.startswith(server.base_url + "#tgWebAppData=")
    init_data = unquote(link.split("#tgWebAppData=", 1)[1])
    async with aiohttp.ClientSession() as client:
        async with client.get(server.base_url) as response:
            assert response.status == 200
        async with client.get(
            f"{server.base_url}api/me", headers={"Authorization": f"tma {init_data}"}
        ) as response:
            assert response.status == 200
            me = json.loads(await response.text())
        async with client.get(f"{server.base_url}api/me") as response:
            assert response.status == 401
    assert (me["id"], me["name"], me["is_coach"]) == (str(user_id), "Alice", True)


async def test_without_webapp_url_there_is_no_mini_app(
    emulator: BotApiEmulator, database_url: str, engine: Any, session_factory: Any, seeded: None
) -> None:
    from bot.sandbox.harness import running_bot

    plain = Settings(_env_file=None, database_url=database_url, default_timezone="UTC")  # type: ignore[call-arg]
    async with running_bot(emulator, plain, engine=engine) as application:
        alice = emulator.add_user(first_name="Alice")
        await alice.send("/start")
        replies = await alice.send("/history")
        assert web_app_buttons(replies[-1]) == []
        assert running_server(application) is None
        assert emulator.menu_button() in (None, {"type": "commands"})


async def test_the_emulator_refuses_a_web_app_button_without_https(emulator: BotApiEmulator) -> None:
    from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo
    from telegram.error import BadRequest

    alice = emulator.add_user(first_name="Alice")
    async with Bot(emulator.make_token(), base_url=emulator.base_url) as bot:
        good = InlineKeyboardMarkup([[InlineKeyboardButton("Go", web_app=WebAppInfo(WEBAPP_URL))]])
        sent = await bot.send_message(alice.chat_id, "ok", reply_markup=good)
        assert sent.reply_markup is not None
        bad = InlineKeyboardMarkup([[InlineKeyboardButton("Go", web_app=WebAppInfo("http://x.test/app/"))]])
        with pytest.raises(BadRequest, match=r"(?i)only https"):
            await bot.send_message(alice.chat_id, "no", reply_markup=bad)
