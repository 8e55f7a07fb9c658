"""Release the in-memory state of chats that went quiet; what is persisted comes back when they return.

python-telegram-bot keeps, for every user who ever wrote, an entry in ``application.user_data`` (and
``chat_data``), the state of their conversations, and bot.persistence remembers the last row it read or
wrote for each of those: nothing is ever dropped, so memory grows with every user the process has seen.
All of it is persisted (bot.persistence) and re-read before each update, so for a chat that sent
nothing for `IDLE_AFTER` seconds it can go: the PerChatUpdateProcessor passes such chats to `release`,
which drops them unless something is still unwritten (then it waits for another idle period). The
chat's next update reads its rows again (one query, as every update does).

Only what is persisted is released: non-persistent conversations and everything without a
SQLAlchemyPersistence stay in memory.
"""

from __future__ import annotations

import logging
from typing import Any, Final, cast

from telegram.ext import Application

from bot.persistence import (
    CHAT_DATA,
    USER_DATA,
    RowKey,
    SQLAlchemyPersistence,
    conversation_kind,
    encode_conversation_key,
    persistent_conversation_handlers,
)
from bot.update_processor import PerChatUpdateProcessor

log = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]

IDLE_AFTER: Final = 600.0
"""Seconds without an update after which a chat's in-memory state is released."""
SWEEP_EVERY: Final = 60.0
"""Seconds between two looks for idle chats."""


async def release(application: AnyApplication, key: int) -> bool:
    """Drop the in-memory state of chat (or user) `key`; False if some of it is not written yet."""
    persistence = application.persistence
    if not isinstance(persistence, SQLAlchemyPersistence):
        return False
    stored = persistence.store_data
    pending = (
        (stored.user_data, application._user_ids_to_be_updated_in_persistence),
        (stored.chat_data, application._chat_ids_to_be_updated_in_persistence),
    )
    for persisted, ids in pending:
        if persisted and key in ids:
            return False  # a job changed it and PTB has not written it yet
    for persisted, ids in pending:
        if not persisted:  # PTB marks them all the same and never clears them: one more id per chat
            ids.discard(key)
    rows: list[RowKey] = [(USER_DATA, str(key)), (CHAT_DATA, str(key))]
    conversations = application._conversation_handler_conversations
    drops: list[tuple[Any, tuple[int | str, ...]]] = []
    for handler in persistent_conversation_handlers(application):
        name = cast(str, handler.name)
        states = conversations.get(name)
        if states is None:
            continue
        for conversation in list(states.data):
            if key not in conversation[:2]:  # (chat id, user id) / (chat id,) / (user id,)
                continue
            if conversation in states._write_access_keys:
                return False  # changed and not written yet
            drops.append((states, conversation))
            rows.append((conversation_kind(name), encode_conversation_key(conversation)))
    for states, conversation in drops:
        states.data.pop(conversation, None)  # not a tracked delete: the row stays
    application._user_data.pop(key, None)
    application._chat_data.pop(key, None)
    persistence.forget(rows)
    return True


def install(
    application: AnyApplication, *, idle_after: float = IDLE_AFTER, sweep_every: float = SWEEP_EVERY
) -> None:
    """Let the application's PerChatUpdateProcessor release chats idle for `idle_after` seconds."""
    processor = application.update_processor
    if not isinstance(processor, PerChatUpdateProcessor):
        raise TypeError("releasing idle chats needs a PerChatUpdateProcessor")
    if not isinstance(application.persistence, SQLAlchemyPersistence):
        raise TypeError("releasing idle chats needs the SQLAlchemyPersistence: nothing else is persisted")

    async def on_idle(key: int) -> bool:
        return await release(application, key)

    processor.on_idle = on_idle
    processor.idle_after = idle_after
    processor.sweep_every = sweep_every
