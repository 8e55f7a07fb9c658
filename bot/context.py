"""The application's shared state and the callback context handlers receive."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.db.base import utcnow
from bot.db.session import session_scope
from bot.inbox import mark_handled


@dataclass
class BotData:
    """Application-wide state, built before the application starts. Never holds a session."""

    settings: Settings | None = None
    engine: AsyncEngine | None = None
    session_factory: async_sessionmaker[AsyncSession] | None = None
    clock: Callable[[], datetime] = utcnow
    extras: dict[str, Any] = field(default_factory=dict)

    def db(self) -> AbstractAsyncContextManager[AsyncSession]:
        """One unit of work: commits on success, rolls back on error."""
        if self.session_factory is None:
            raise RuntimeError("the database is not configured")
        return _unit_of_work(self.session_factory)


@asynccontextmanager
async def _unit_of_work(factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """session_scope, and the update being handled (if any) marked handled in the same transaction
    (bot.inbox: a set stored and its update handled commit together)."""
    async with session_scope(factory) as session:
        yield session
        await mark_handled(session)


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """Callback context with typed access to settings and the database."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)

    @property
    def settings(self) -> Settings:
        settings = self.bot_data.settings
        assert settings is not None
        return settings

    def db(self) -> AbstractAsyncContextManager[AsyncSession]:
        return self.bot_data.db()

    def now(self) -> datetime:
        """The current instant (UTC); tests move the application's clock."""
        return self.bot_data.clock()
