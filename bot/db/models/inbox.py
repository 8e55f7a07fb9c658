"""The durable inbox of Telegram updates (bot.inbox): every update the bot has taken from Telegram.

One row per ``update_id``, with a ``digest`` of the update's content: a redelivery has the same id and
the same content; an id Telegram gives again to a new update (it may restart a bot's ids at random after
a week without updates; a local emulator restarts them at 1) has another digest. A row is written
before Telegram is told the update arrived (the next getUpdates offset, or the webhook's 200), so an
update Telegram no longer holds is always here; it gets ``handled_at`` in the transaction of the handler
that handled it (or right after a handler that wrote nothing), and its ``payload`` is dropped then.
Rows without ``handled_at`` are handled at the next start; an update_id that already has a row is a
redelivery and is skipped. Handled rows are pruned after `bot.inbox.KEEP_HANDLED` (Telegram redelivers
for up to 24 hours).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime

DIGEST_LENGTH = 32


class InboxUpdate(Base):
    """One update taken from Telegram: its JSON until it is handled, then only its id and times."""

    __tablename__ = "update_inbox"
    __table_args__ = (
        Index("idx_update_inbox_handled", "handled_at"),
        Index(
            "idx_update_inbox_chat_unhandled",
            "chat_key",
            "update_id",
            postgresql_where=text("handled_at IS NULL"),
            sqlite_where=text("handled_at IS NULL"),
        ),
    )

    update_id: Mapped[int] = mapped_column(BigInteger(), primary_key=True, autoincrement=False)
    digest: Mapped[str] = mapped_column(String(DIGEST_LENGTH), nullable=False)
    payload: Mapped[Any | None] = mapped_column(JSON(), nullable=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    chat_key: Mapped[int | None] = mapped_column(BigInteger(), nullable=True)
    owner: Mapped[int | None] = mapped_column(Integer(), nullable=True)

    def __repr__(self) -> str:
        return f"InboxUpdate(update_id={self.update_id}, handled_at={self.handled_at!r})"
