"""The application's shared state and the callback context handlers receive."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.db.base import utcnow
from bot.db.session import session_scope
from bot.inbox import mark_handled
from bot.persistence import USER_DATA, RowKey, SQLAlchemyPersistence


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
        self._next_states: dict[RowKey, object] = {}

    @property
    def settings(self) -> Settings:
        settings = self.bot_data.settings
        assert settings is not None
        return settings

    def db(self) -> AbstractAsyncContextManager[AsyncSession]:
        """The update's unit of work: commits on success, rolls back on error.

        With the bot's persistence (bot.persistence), the transaction also writes what the update changed
        in ``user_data`` and the conversation states given to `next_state`, so a prompt shown after the
        block never runs ahead of the state that reads its answer, even if the process dies right after.
        """
        persistence = self.application.persistence
        if not isinstance(persistence, SQLAlchemyPersistence):
            return self.bot_data.db()
        return self._db_with_state(persistence)

    @asynccontextmanager
    async def _db_with_state(self, persistence: SQLAlchemyPersistence) -> AsyncIterator[AsyncSession]:
        async with self.bot_data.db() as session:
            yield session
            written = await persistence.write_in(session, self._state_rows(persistence))
        persistence.remember_committed(written)  # committed: the write-through has nothing to redo

    def _state_rows(self, persistence: SQLAlchemyPersistence) -> dict[RowKey, object]:
        rows = dict(self._next_states)
        self._next_states.clear()
        if persistence.store_data.user_data and self._user_id is not None:
            rows[(USER_DATA, str(self._user_id))] = dict(self.application.user_data[self._user_id])
        return rows

    def next_state(self, update: Update, conversation: str, state: object) -> None:
        """Write the state the callback is about to return for `conversation` (a persistent
        ConversationHandler's name) in this update's transaction: call it inside ``async with
        context.db()``, before the block ends. None (stay in the current state) writes nothing."""
        persistence = self.application.persistence
        if state is None or not isinstance(persistence, SQLAlchemyPersistence):
            return
        row = persistence.conversation_row(conversation, update)
        if row is not None:
            self._next_states[row] = state

    def now(self) -> datetime:
        """The current instant (UTC); tests move the application's clock."""
        return self.bot_data.clock()
