"""Conversation state and per-user / per-chat bot data, kept by bot.persistence.SQLAlchemyPersistence.

One row per (kind, key): ``kind`` says what the row is ("conversation:<handler name>", "user_data",
"chat_data") and ``key`` which entry (a user or chat id, or a conversation key as JSON). ``data`` is the
JSON value: a conversation's state, or the user's/chat's dict. Rows are deleted, never left empty: a
conversation that ended or a dict that became empty has no row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, updated_ts

KIND_LENGTH = 64
KEY_LENGTH = 200


class BotState(Base):
    """One persisted entry of python-telegram-bot's state (see bot.persistence)."""

    __tablename__ = "bot_persistence"

    kind: Mapped[str] = mapped_column(String(KIND_LENGTH), primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_LENGTH), primary_key=True)
    data: Mapped[Any] = mapped_column(JSON(), nullable=False)
    updated_at: Mapped[updated_ts]

    def __repr__(self) -> str:
        return f"BotState(kind={self.kind!r}, key={self.key!r}, data={self.data!r})"
