"""python-telegram-bot persistence in the project's database, safe for several bot processes.

`SQLAlchemyPersistence` keeps the state of persistent ConversationHandlers, ``user_data`` and
``chat_data`` in the ``bot_persistence`` table (bot.db.models.state.BotState) as JSON, so a conversation
survives a restart and several processes (webhooks behind a load balancer) can share one PostgreSQL.
``bot_data`` and callback data are not persisted (``bot_data`` holds the engine and the settings).

Three things make it hold across processes; `install` wires the last two:

* **Write-through.** Every method writes in its own short transaction, at once: nothing is buffered, so
  `flush` has nothing left to do. `write_through` (PTB's `Application.update_persistence`, which only
  writes what changed and serialises concurrent calls with its own lock) runs after each update, still
  under the chat's lock of bot.update_processor.PerChatUpdateProcessor, so the state an update produced is
  in the database before the chat's next update starts, in this process or in another one.
* **With the update's data.** A handler's ``context.db()`` transaction (bot.context.BotContext) also writes
  what the update changed in ``user_data`` and the conversation state the handler declared with
  ``context.next_state`` (`write_in`), so the state commits with the data it goes with, before any prompt
  is shown: a process killed between the prompt and the write-through cannot leave the old state to read
  the answer. The write-through then finds those rows unchanged and skips them.
* **Read before handling.** PTB calls `refresh_user_data` / `refresh_chat_data` before an update is
  handled; they re-read that user's/chat's row. Conversations have no such hook, so `install` registers
  `refresh_conversations` in group `REFRESH_GROUP` (before every other handler): it re-reads the rows of
  the update's keys of every persistent ConversationHandler. In a private chat those rows come with the
  user's row, in one SELECT outside any transaction (`refresh_user_data` reads the conversations listed
  in `prefetch_conversations` along with it), so an update costs one query before it is handled.
* **Only what changed elsewhere.** The persistence remembers the last value it read from or wrote to each
  row. A refresh replaces the in-memory value only when the row differs from that (another process wrote
  it), so changes this process has not written yet (a job's, a handler's still running) are never
  overwritten by an older row; and a write is skipped when the value equals the row, so an update that
  changed nothing writes nothing.

Startup: with ``preload=True`` (the default, PTB's usual behaviour) `get_user_data`, `get_chat_data` and
`get_conversations` load every row of their kind when the application initializes. Those are bounded
by the users who have data or are mid-conversation (ended conversations and emptied dicts leave no row),
but nothing needs them up front once `install` has added the per-update refresh: the bot builds its
persistence with ``preload=False`` and loads each user's, chat's and conversation's row when an update
of theirs arrives. Code that reads another user's entry from ``application.user_data`` directly would
see it only after that user's first update in this process.

Values must be JSON: ``user_data`` / ``chat_data`` dicts with ``str`` keys and JSON values (no tuples,
sets, datetimes or Decimals), conversation keys ints/strs and states ints (IntEnum), strs or None. Anything
else is refused with a TypeError when it would be written, instead of coming back changed.

The rows' kinds and keys, their JSON and the statements that read and write them are in
bot.persistence_rows (re-exported here).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Collection, Iterable, MutableMapping
from contextlib import AsyncExitStack, asynccontextmanager
from contextvars import ContextVar
from typing import Any, Final, cast

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import (
    BasePersistence,
    CallbackContext,
    ConversationHandler,
    PersistenceInput,
    TypeHandler,
)
from telegram.ext._handlers.conversationhandler import PendingState

from bot.db.models.state import BotState
from bot.db.session import single_read_options
from bot.persistence_rows import (
    CHAT_DATA,
    CONVERSATION,
    USER_DATA,
    AnyApplication,
    ConversationKey,
    Data,
    RowKey,
    canonical_json,
    conversation_key,
    conversation_kind,
    decode_conversation_key,
    encode_conversation_key,
    json_text,
    persistent_conversation_handlers,
    read_query,
    upsert_row,
)
from bot.update_processor import PerChatUpdateProcessor

__all__ = [
    "CHAT_DATA",
    "CONVERSATION",
    "REFRESH_GROUP",
    "USER_DATA",
    "AnyApplication",
    "ConversationKey",
    "Data",
    "RowKey",
    "SQLAlchemyPersistence",
    "canonical_json",
    "conversation_key",
    "conversation_kind",
    "decode_conversation_key",
    "encode_conversation_key",
    "install",
    "persistent_conversation_handlers",
    "refresh_conversations",
    "write_through",
]

log = logging.getLogger(__name__)

REFRESH_GROUP: Final = -100
"""The handler group of `refresh_conversations`: before every other group of the bot."""

_PREFETCHED: ContextVar[dict[RowKey, str | None] | None] = ContextVar("persistence_prefetched", default=None)
"""Conversation rows read along with the user's row by `refresh_user_data`, for the same update's
`reload_conversations`. A context variable: each update is handled in a task of its own."""


class _KeyLocks:
    """asyncio locks by row, created on demand and forgotten when nobody holds or waits for them.

    A refresh and a write of the same row never interleave in this process: otherwise a refresh that read
    the row just before a local write committed would take the older row for another process's change.
    """

    def __init__(self) -> None:
        self._locks: dict[RowKey, asyncio.Lock] = {}
        self._users: dict[RowKey, int] = {}

    @asynccontextmanager
    async def hold(self, keys: Iterable[RowKey]) -> AsyncIterator[None]:
        ordered = sorted(set(keys))  # one global order: two holders of several locks never deadlock
        for key in ordered:
            if key not in self._locks:
                self._locks[key] = asyncio.Lock()
            self._users[key] = self._users.get(key, 0) + 1
        try:
            async with AsyncExitStack() as stack:
                for key in ordered:
                    await stack.enter_async_context(self._locks[key])
                yield
        finally:
            for key in ordered:
                remaining = self._users[key] - 1
                if remaining:
                    self._users[key] = remaining
                else:
                    del self._users[key]
                    del self._locks[key]


class SQLAlchemyPersistence(BasePersistence[Data, Data, Data]):
    """PTB persistence on SQLAlchemy (SQLite or PostgreSQL); see the module docstring.

    Args:
        session_factory: opens a session per call; no session is kept between calls.
        update_interval: seconds between PTB's periodic `Application.update_persistence` runs. With
            `install` every update is written through anyway; the interval then only catches changes
            made outside updates (jobs).
        preload: load every row at startup (PTB's usual behaviour). ``False`` loads rows lazily and needs
            `install`'s per-update refresh.
        chat_data: also persist chat_data (off: the bot's chats are private, user_data covers them).
    """

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        *,
        update_interval: float = 60,
        preload: bool = True,
        chat_data: bool = False,
    ) -> None:
        super().__init__(
            # The bot talks in private chats only, where chat_data would duplicate user_data: leaving it
            # out saves a read per update. Pass chat_data=True for group features.
            store_data=PersistenceInput(
                bot_data=False, chat_data=chat_data, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self._session_factory = session_factory
        engine = session_factory.kw.get("bind")
        if not isinstance(engine, AsyncEngine):
            raise TypeError("the session factory must be bound to an AsyncEngine")
        self._engine: AsyncEngine = engine
        self._read_options = single_read_options(engine)  # reads are one SELECT: no transaction
        self._preload = preload
        self.prefetch_conversations: tuple[str, ...] = ()
        """Kinds of conversation rows keyed (chat id, user id) to read along with a user's row (set by
        `install`): in a private chat, chat id = user id, so the update's conversation rows come with the
        user_data read instead of a second query."""
        self._conversation_handlers: dict[str, ConversationHandler[Any]] = {}
        """Persistent ConversationHandlers by name (set by `install`), for `conversation_row`."""
        self._seen: dict[RowKey, str] = {}
        """Canonical JSON of each row as this process last read or wrote it; no entry: no row."""
        self._locks = _KeyLocks()
        self._exclusive = False
        self._walked: tuple[int, tuple[ConversationHandler[Any], ...]] | None = None
        self._current: set[RowKey] = set()
        """With `exclusive`: rows whose value in memory is the database's (read or written here since)."""

    @property
    def exclusive(self) -> bool:
        """This process is the only one that handles updates (polling: Telegram answers getUpdates to one
        caller at a time), so a row it has read or written since cannot have changed: it is not read
        again before each update. False (webhooks, several processes): every update reads its rows."""
        return self._exclusive

    def become_exclusive(self, exclusive: bool = True) -> None:
        """Start (or stop) trusting memory: called when polling starts. Whatever another process did
        before that is read again: the rows known current are forgotten."""
        self._exclusive = exclusive
        self._current.clear()

    def _fresh(self, rows: Iterable[RowKey]) -> bool:
        """Every row is known current in memory (exclusive mode): no need to read them."""
        return self._exclusive and all(row in self._current for row in rows)

    def _mark_current(self, rows: Iterable[RowKey]) -> None:
        if self._exclusive:
            self._current.update(rows)

    # ------------------------------------------------------------------------------------------------
    # reading and writing rows
    # ------------------------------------------------------------------------------------------------

    def _remember(self, row: RowKey, text: str | None) -> None:
        if text is None:
            self._seen.pop(row, None)
        else:
            self._seen[row] = text

    def forget(self, rows: Iterable[RowKey]) -> None:
        """Drop what this process remembers of these rows (bot.idle releases an idle chat's memory): the
        next refresh takes each row as it is in the database."""
        for row in rows:
            self._seen.pop(row, None)
            self._current.discard(row)

    async def _load_kind(self, kind: str) -> list[tuple[str, Any]]:
        """Every row of a kind (startup, with ``preload``)."""
        async with self._engine.connect() as connection:
            connection = await connection.execution_options(**self._read_options)
            rows = (
                await connection.execute(select(BotState.key, BotState.data).where(BotState.kind == kind))
            ).all()
        for key, data in rows:
            self._remember((kind, key), canonical_json(data))
        return [(key, data) for key, data in rows]

    async def _read(self, rows: Collection[RowKey]) -> dict[RowKey, str]:
        """The canonical JSON of those rows that exist."""
        parameters: dict[str, str] = {}
        for number, (kind, key) in enumerate(rows):
            parameters[f"kind_{number}"] = kind
            parameters[f"key_{number}"] = key
        async with self._engine.connect() as connection:
            connection = await connection.execution_options(**self._read_options)
            found = (await connection.execute(read_query(len(rows)), parameters)).all()
        return {(kind, key): canonical_json(data) for kind, key, data in found}

    async def _write(self, kind: str, key: str, value: object, *, force: bool = False) -> None:
        """Upsert the row, or delete it when ``value`` is None or empty; skip it if the row already holds
        that value as far as this process knows (``force``: never skip)."""
        text = None if value is None or value == {} else canonical_json(value)
        row = (kind, key)
        async with self._locks.hold([row]):
            if not force and self._seen.get(row) == text:
                return
            async with self._engine.begin() as connection:
                if text is None:
                    await connection.execute(
                        delete(BotState).where(BotState.kind == kind, BotState.key == key)
                    )
                else:
                    await upsert_row(connection, kind, key, json.loads(text))
            self._remember(row, text)
            self._mark_current([row])

    async def _refresh_dict(self, kind: str, key: str, target: MutableMapping[str, Any]) -> None:
        """Replace ``target``'s content by the row's if another process changed the row."""
        row = (kind, key)
        if self._fresh([row]):
            return
        async with self._locks.hold([row]):
            self._take_dict(row, (await self._read([row])).get(row), target)
            self._mark_current([row])

    def _take_dict(self, row: RowKey, text: str | None, target: MutableMapping[str, Any]) -> None:
        if text == self._seen.get(row):
            return  # unchanged since this process last saw it: memory is as new or newer
        self._remember(row, text)
        target.clear()
        if text is not None:
            target.update(json.loads(text))

    # ------------------------------------------------------------------------------------------------
    # user_data and chat_data
    # ------------------------------------------------------------------------------------------------

    async def get_user_data(self) -> dict[int, Data]:
        """Every user's data by user id when ``preload``, else nothing (loaded per update)."""
        if not self._preload:
            return {}
        return {int(key): data for key, data in await self._load_kind(USER_DATA)}

    async def get_chat_data(self) -> dict[int, Data]:
        """Every chat's data by chat id when ``preload``, else nothing (loaded per update)."""
        if not self._preload:
            return {}
        return {int(key): data for key, data in await self._load_kind(CHAT_DATA)}

    async def update_user_data(self, user_id: int, data: Data) -> None:
        """Store a user's data; an empty dict deletes the row."""
        await self._write(USER_DATA, str(user_id), data)

    async def update_chat_data(self, chat_id: int, data: Data) -> None:
        """Store a chat's data; an empty dict deletes the row."""
        await self._write(CHAT_DATA, str(chat_id), data)

    async def drop_user_data(self, user_id: int) -> None:
        """Delete a user's row (`Application.drop_user_data`)."""
        await self._write(USER_DATA, str(user_id), None, force=True)

    async def drop_chat_data(self, chat_id: int) -> None:
        """Delete a chat's row (`Application.drop_chat_data`)."""
        await self._write(CHAT_DATA, str(chat_id), None, force=True)

    async def refresh_user_data(self, user_id: int, user_data: Data) -> None:
        """Before an update is handled: take the user's row if another process changed it (in place).

        The same query reads the rows of the user's private-chat conversations (`prefetch_conversations`)
        for `reload_conversations` to use.
        """
        row = (USER_DATA, str(user_id))
        if not self.prefetch_conversations:
            await self._refresh_dict(*row, user_data)
            return
        private = encode_conversation_key((user_id, user_id))
        conversations = [(kind, private) for kind in self.prefetch_conversations]
        if self._fresh([row, *conversations]):
            _PREFETCHED.set(None)
            return  # exclusive: memory holds what the database holds
        async with self._locks.hold([row, *conversations]):
            found = await self._read([row, *conversations])
            self._take_dict(row, found.get(row), user_data)
            self._mark_current([row, *conversations])
        _PREFETCHED.set({conversation: found.get(conversation) for conversation in conversations})

    async def refresh_chat_data(self, chat_id: int, chat_data: Data) -> None:
        """Before an update is handled: take the chat's row if another process changed it (in place)."""
        await self._refresh_dict(CHAT_DATA, str(chat_id), chat_data)

    # ------------------------------------------------------------------------------------------------
    # conversations
    # ------------------------------------------------------------------------------------------------

    async def get_conversations(self, name: str) -> dict[ConversationKey, object]:
        """The handler's conversations {key: state} when ``preload``, else nothing (loaded per update)."""
        kind = conversation_kind(name)  # a name too long to persist fails at startup, not at first use
        if not self._preload:
            return {}
        return {decode_conversation_key(key): state for key, state in await self._load_kind(kind)}

    async def update_conversation(self, name: str, key: ConversationKey, new_state: object | None) -> None:
        """Store a conversation's state; None (the conversation ended) deletes the row."""
        await self._write(conversation_kind(name), encode_conversation_key(key), new_state)

    async def reload_conversations(self, application: AnyApplication, update: Update) -> None:
        """Before an update is handled: take the state of the update's conversation in every persistent
        ConversationHandler from the database if another process changed it.

        The handler's conversation dict is changed without marking the entry as written (it is what the
        database holds). A conversation whose non-blocking callback is still running here is left alone.
        """
        # PTB keeps each persistent handler's conversations in a TrackingDict, by handler name.
        conversations = application._conversation_handler_conversations
        wanted: dict[RowKey, tuple[str, ConversationKey]] = {}
        for handler in self._persistent_handlers(application):
            name = cast(str, handler.name)
            key = conversation_key(handler, update)
            if key is not None and name in conversations:
                wanted[(conversation_kind(name), encode_conversation_key(key))] = (name, key)
        prefetched = _PREFETCHED.get() or {}
        _PREFETCHED.set(None)
        if not wanted or (not prefetched and self._fresh(wanted)):
            return  # exclusive, and known current: memory holds what the database holds
        async with self._locks.hold(wanted):
            missing = [row for row in wanted if row not in prefetched]
            found = await self._read(missing) if missing else {}
            found.update(
                (row, text) for row, text in prefetched.items() if row in wanted and text is not None
            )
            for row, (name, key) in wanted.items():
                text = found.get(row)
                if text == self._seen.get(row):
                    self._mark_current([row])
                    continue
                states = conversations[name]
                if isinstance(states.get(key), PendingState):
                    continue  # a non-blocking callback of this process decides; PTB writes its result
                self._remember(row, text)
                self._mark_current([row])
                state = None if text is None else json.loads(text)
                if state is None or state == ConversationHandler.END:
                    states.data.pop(key, None)
                else:
                    states.update_no_track({key: state})

    def _persistent_handlers(self, application: AnyApplication) -> tuple[ConversationHandler[Any], ...]:
        """`persistent_conversation_handlers`, walked again only when handlers were added or removed
        (walking every group per update cost as much as the rest of the refresh)."""
        count = sum(len(handlers) for handlers in application.handlers.values())
        if self._walked is None or self._walked[0] != count:
            self._walked = (count, tuple(persistent_conversation_handlers(application)))
        return self._walked[1]

    # ------------------------------------------------------------------------------------------------
    # writing in the handler's own transaction
    # ------------------------------------------------------------------------------------------------

    def conversation_row(self, name: str, update: Update) -> RowKey | None:
        """The row of the update's conversation in the persistent ConversationHandler `name`."""
        handler = self._conversation_handlers.get(name)
        key = conversation_key(handler, update) if handler is not None else None
        if key is None:
            return None
        return conversation_kind(name), encode_conversation_key(key)

    async def write_in(self, session: AsyncSession, values: dict[RowKey, object]) -> dict[RowKey, str | None]:
        """Write rows in the caller's transaction (the update's own, so the state commits with the data
        it goes with); the rows written, for `remember_committed` once that transaction has committed.

        A value of None or ``{}`` deletes the row (ConversationHandler.END: the state is None too). Rows
        that hold the value already (as far as this process knows) are skipped, and so is a value that
        is not JSON: the write-through after the update reports it, as before.
        """
        written: dict[RowKey, str | None] = {}
        connection = await session.connection()
        for row, value in values.items():
            if value == ConversationHandler.END:
                value = None
            try:
                text = None if value is None or value == {} else json_text(value)
                if self._seen.get(row) == text:
                    continue  # unchanged: what is in the row came back from JSON already
                if text is not None:
                    canonical_json(value)  # checks the round trip before it is written
            except TypeError:
                continue
            kind, key = row
            if text is None:
                await connection.execute(delete(BotState).where(BotState.kind == kind, BotState.key == key))
            else:
                await upsert_row(connection, kind, key, json.loads(text))
            written[row] = text
        return written

    def remember_committed(self, written: dict[RowKey, str | None]) -> None:
        """After the transaction of `write_in` committed: the rows hold these values now (so the
        write-through after the update skips them)."""
        for row, text in written.items():
            self._remember(row, text)
        self._mark_current(written)

    # ------------------------------------------------------------------------------------------------
    # not persisted: bot_data, callback data
    # ------------------------------------------------------------------------------------------------

    async def get_bot_data(self) -> Data:
        """bot_data is not persisted."""
        return {}

    async def update_bot_data(self, data: Data) -> None:
        """bot_data is not persisted."""

    async def refresh_bot_data(self, bot_data: Data) -> None:
        """bot_data is not persisted."""

    async def get_callback_data(self) -> None:
        """Callback data is not persisted."""

    async def update_callback_data(self, data: object) -> None:
        """Callback data is not persisted."""

    async def flush(self) -> None:
        """Nothing to do: every change was written, in its own transaction, when PTB handed it over.

        `Application.stop` calls `Application.update_persistence` just before this, which writes what the
        last updates and jobs changed.
        """


# ----------------------------------------------------------------------------------------------------
# the hooks: refresh before an update, write through after it
# ----------------------------------------------------------------------------------------------------


async def refresh_conversations(update: object, context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Handler callback (group `REFRESH_GROUP`): reload this update's conversation states.

    Building the context for it also made PTB call `refresh_user_data` / `refresh_chat_data`.
    """
    persistence = context.application.persistence
    if isinstance(persistence, SQLAlchemyPersistence) and isinstance(update, Update):
        await persistence.reload_conversations(context.application, update)


async def write_through(application: AnyApplication) -> None:
    """Write what changed to the database now (PTB's update_persistence; failures are logged)."""
    try:
        await application.update_persistence()
    except Exception:
        log.exception("could not write the bot's state to the database")


def install(application: AnyApplication) -> SQLAlchemyPersistence:
    """Add the multi-process hooks to an application built with a SQLAlchemyPersistence.

    Registers `refresh_conversations` in group `REFRESH_GROUP` and makes the PerChatUpdateProcessor call
    `write_through` after each update. Call it after building the application; calling it again does
    nothing.
    """
    persistence = application.persistence
    if not isinstance(persistence, SQLAlchemyPersistence):
        raise TypeError("install() needs an application built with a SQLAlchemyPersistence")
    hooks = application.handlers.get(REFRESH_GROUP, [])
    if any(isinstance(hook, TypeHandler) and hook.callback is refresh_conversations for hook in hooks):
        return persistence  # installed already
    application.add_handler(TypeHandler(Update, refresh_conversations, block=True), group=REFRESH_GROUP)
    persistence._conversation_handlers = {
        cast(str, handler.name): handler for handler in persistent_conversation_handlers(application)
    }
    persistence.prefetch_conversations = tuple(
        conversation_kind(cast(str, handler.name))
        for handler in persistent_conversation_handlers(application)
        if handler.per_chat and handler.per_user and not handler.per_message
    )
    processor = application.update_processor
    if isinstance(processor, PerChatUpdateProcessor):

        async def after_update() -> None:
            await write_through(application)

        processor.after_update = after_update
    else:
        log.warning(
            "the update processor is not a PerChatUpdateProcessor: state is written every %g s only",
            persistence.update_interval,
        )
    return persistence
