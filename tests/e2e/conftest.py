"""End-to-end fixtures: the emulator, the real bot running against it, and users to drive it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.config import Settings
from bot.sandbox import BotApiEmulator, SandboxUser
from bot.sandbox.harness import Clock, Mode, running_bot


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=database_url,
        admin_telegram_ids="999000",  # type: ignore[arg-type]
        default_timezone="UTC",
    )


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator() as emulator:
        yield emulator


@pytest.fixture(params=["polling"])
def mode(request: pytest.FixtureRequest) -> Iterator[Mode]:
    """The update delivery mode; a test module parametrizes it to run in both."""
    yield request.param


@pytest.fixture
def clock() -> Clock:
    """The bot's clock; a module may override this fixture to start at a fixed instant."""
    return Clock()


@pytest.fixture
async def bot_app(
    emulator: BotApiEmulator,
    settings: Settings,
    engine: AsyncEngine,
    session_factory: async_sessionmaker[AsyncSession],
    mode: Mode,
    clock: Clock,
) -> AsyncIterator[BotApplication]:
    async with running_bot(emulator, settings, engine=engine, mode=mode, clock=clock) as application:
        yield application


@pytest.fixture
def make_user(emulator: BotApiEmulator, bot_app: BotApplication) -> Any:
    """A factory of users; each call adds a new one to the emulator's world."""

    def make(first_name: str = "Alice", **kwargs: Any) -> SandboxUser:
        return emulator.add_user(first_name=first_name, **kwargs)

    return make


@pytest.fixture
def alice(make_user: Any) -> SandboxUser:
    user: SandboxUser = make_user("Alice", username="alice")
    return user
