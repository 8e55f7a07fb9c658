"""The rows of bot.persistence: their kinds and keys, the JSON they hold, and the statements that read and
write them (``bot_persistence``, bot.db.models.state.BotState).

Split from bot.persistence, which keeps the persistence class and the hooks that install it; everything
here is re-exported there.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import chain
from typing import Any, Final, cast

from sqlalchemy import CursorResult, Insert, Select, and_, bindparam, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection
from telegram import Update
from telegram.ext import Application, BaseHandler, ConversationHandler

from bot.db.base import utcnow
from bot.db.models.state import KEY_LENGTH, KIND_LENGTH, BotState

Data = dict[str, Any]
"""``user_data`` and ``chat_data``: a JSON object."""
ConversationKey = tuple[int | str, ...]
RowKey = tuple[str, str]
"""(kind, key) of a bot_persistence row."""

USER_DATA: Final = "user_data"
CHAT_DATA: Final = "chat_data"
CONVERSATION: Final = "conversation:"
AnyApplication = Application[Any, Any, Any, Any, Any, Any]
NATIVE_UPSERT: frozenset[str] = frozenset({"postgresql", "sqlite"})
"""Dialects written with INSERT ... ON CONFLICT DO UPDATE; others update, then insert."""


def conversation_kind(name: str) -> str:
    """The ``kind`` of a ConversationHandler's rows: ``conversation:<name>``."""
    kind = CONVERSATION + name
    if len(kind) > KIND_LENGTH:
        raise ValueError(
            f"ConversationHandler name {name!r} is too long to persist "
            f"(at most {KIND_LENGTH - len(CONVERSATION)} characters)"
        )
    return kind


def encode_conversation_key(key: ConversationKey) -> str:
    """A conversation key (a tuple of chat/user/message ids) as a JSON array: ``(1, 2)`` -> ``[1,2]``."""
    if not all(isinstance(part, int | str) and not isinstance(part, bool) for part in key):
        raise TypeError(f"conversation key {key!r}: only ints and strs can be persisted")
    text = json.dumps(list(key), separators=(",", ":"), ensure_ascii=False)
    if len(text) > KEY_LENGTH:
        raise ValueError(f"conversation key {key!r} is too long to persist")
    return text


def decode_conversation_key(text: str) -> ConversationKey:
    """The inverse of `encode_conversation_key`."""
    return tuple(json.loads(text))


def canonical_json(value: object) -> str:
    """The value as compact JSON with sorted keys; TypeError unless it comes back from JSON unchanged."""
    try:
        text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{value!r} cannot be persisted as JSON: {error}") from error
    if json.loads(text) != value:
        raise TypeError(
            f"{value!r} would not come back from JSON unchanged (only str keys, lists, "
            "str/int/float/bool/None values)"
        )
    return text


def json_text(value: object) -> str:
    """`canonical_json`'s text without its round-trip check (TypeError if it is no JSON at all)."""
    try:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{value!r} cannot be persisted as JSON: {error}") from error


@cache
def read_query(rows: int) -> Select[str, str, Any]:
    """SELECT of `rows` rows by (kind, key), parameters kind_<n> and key_<n>; built once per count
    (constructing a statement costs more than running it)."""
    wanted = (
        and_(BotState.kind == bindparam(f"kind_{number}"), BotState.key == bindparam(f"key_{number}"))
        for number in range(rows)
    )
    return select(BotState.kind, BotState.key, BotState.data).where(or_(*wanted))


@cache
def native_upsert(dialect: str) -> Insert:
    """INSERT ... ON CONFLICT (kind, key) DO UPDATE for the dialect, built once; parameters kind, key,
    data and updated_at."""
    native_insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = native_insert(BotState).values(
        kind=bindparam("kind"),
        key=bindparam("key"),
        data=bindparam("data", type_=BotState.__table__.c.data.type),
        updated_at=bindparam("updated_at", type_=BotState.__table__.c.updated_at.type),
    )
    return statement.on_conflict_do_update(
        index_elements=[BotState.kind, BotState.key],
        set_={"data": statement.excluded["data"], "updated_at": statement.excluded["updated_at"]},
    )


async def upsert_row(connection: AsyncConnection, kind: str, key: str, data: Any) -> None:
    """INSERT ... ON CONFLICT (kind, key) DO UPDATE on SQLite and PostgreSQL; update-then-insert elsewhere."""
    now = utcnow()
    dialect = connection.dialect.name
    if dialect in NATIVE_UPSERT:
        parameters = {"kind": kind, "key": key, "data": data, "updated_at": now}
        await connection.execute(native_upsert(dialect), parameters)
        return
    change = (
        update(BotState).where(BotState.kind == kind, BotState.key == key).values(data=data, updated_at=now)
    )
    result = cast(CursorResult[Any], await connection.execute(change))
    if result.rowcount:
        return
    try:
        async with connection.begin_nested():
            await connection.execute(insert(BotState).values(kind=kind, key=key, data=data, updated_at=now))
    except IntegrityError:  # another process inserted it in between: update its row instead
        await connection.execute(change)


def persistent_conversation_handlers(application: AnyApplication) -> Iterator[ConversationHandler[Any]]:
    """Every persistent, named ConversationHandler of the application, nested ones included."""

    def walk(handlers: Iterable[BaseHandler[Any, Any, Any]]) -> Iterator[ConversationHandler[Any]]:
        for handler in handlers:
            if isinstance(handler, ConversationHandler):
                if handler.persistent and handler.name:
                    yield handler
                nested = chain(handler.entry_points, *handler.states.values(), handler.fallbacks)
                yield from walk(nested)

    return walk(chain.from_iterable(application.handlers.values()))


def conversation_key(handler: ConversationHandler[Any], update: Update) -> ConversationKey | None:
    """The key the handler would file this update's conversation under, or None if it has none."""
    if update.channel_post or update.edited_channel_post:
        return None
    if (handler.per_chat and update.effective_chat is None) or (
        handler.per_user and update.effective_user is None
    ):
        return None
    query = update.callback_query
    if (handler.per_message and query is None) or (query and handler.per_chat and not query.message):
        return None
    get_key = handler._get_key  # PTB's own key function, so the key is exactly the one check_update uses
    try:
        return get_key(update)
    except RuntimeError:
        return None
