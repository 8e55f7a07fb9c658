"""SQLAlchemyPersistence against the test database (SQLite, or PostgreSQL with TEST_DATABASE_URL).

Two persistence instances on one database stand for two bot processes.
"""

from __future__ import annotations

import asyncio
import math
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.ext._handlers.conversationhandler import PendingState

from bot import persistence as persistence_module
from bot import persistence_rows
from bot.db.models import BotState
from bot.persistence import (
    SQLAlchemyPersistence,
    conversation_key,
    decode_conversation_key,
    encode_conversation_key,
    install,
    persistent_conversation_handlers,
)

Rows = dict[tuple[str, str], Any]


async def rows(factory: async_sessionmaker[AsyncSession]) -> Rows:
    async with factory() as session:
        found = await session.execute(select(BotState.kind, BotState.key, BotState.data))
        return {(kind, key): data for kind, key, data in found}


async def stamp(factory: async_sessionmaker[AsyncSession], kind: str, key: str) -> Any:
    async with factory() as session:
        return await session.scalar(
            select(BotState.updated_at).where(BotState.kind == kind, BotState.key == key)
        )


@pytest.fixture
def persistence(session_factory: async_sessionmaker[AsyncSession]) -> SQLAlchemyPersistence:
    return SQLAlchemyPersistence(session_factory)


@pytest.fixture
def other(session_factory: async_sessionmaker[AsyncSession]) -> SQLAlchemyPersistence:
    """The persistence of a second bot process on the same database."""
    return SQLAlchemyPersistence(session_factory)


async def test_user_and_chat_data_round_trip(
    persistence: SQLAlchemyPersistence,
    other: SQLAlchemyPersistence,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await persistence.update_user_data(42, {"unit": "kg", "sets": [{"reps": 8, "kg": 62.5}], "n": None})
    await persistence.update_chat_data(-1001, {"pinned": True})
    assert await rows(session_factory) == {
        ("user_data", "42"): {"n": None, "sets": [{"kg": 62.5, "reps": 8}], "unit": "kg"},
        ("chat_data", "-1001"): {"pinned": True},
    }
    assert await other.get_user_data() == {42: {"unit": "kg", "sets": [{"reps": 8, "kg": 62.5}], "n": None}}
    assert await other.get_chat_data() == {-1001: {"pinned": True}}
    assert await other.get_bot_data() == {}
    assert await other.get_callback_data() is None  # type: ignore[func-returns-value]


async def test_conversations_round_trip(
    persistence: SQLAlchemyPersistence,
    other: SQLAlchemyPersistence,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await persistence.update_conversation("log_workout", (7, 7), 2)
    await persistence.update_conversation("log_workout", (-100123, 7, "inline-1"), 1)
    await persistence.update_conversation("other", (7, 7), "STATE")
    assert await rows(session_factory) == {
        ("conversation:log_workout", "[7,7]"): 2,
        ("conversation:log_workout", '[-100123,7,"inline-1"]'): 1,
        ("conversation:other", "[7,7]"): "STATE",
    }
    assert await other.get_conversations("log_workout") == {(7, 7): 2, (-100123, 7, "inline-1"): 1}
    assert await other.get_conversations("other") == {(7, 7): "STATE"}
    assert await other.get_conversations("nothing") == {}


async def test_ending_and_emptying_delete_rows(
    persistence: SQLAlchemyPersistence, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await persistence.update_conversation("flow", (1, 1), 3)
    await persistence.update_user_data(1, {"a": 1})
    await persistence.update_chat_data(1, {"b": 2})
    await persistence.update_conversation("flow", (1, 1), None)
    await persistence.update_user_data(1, {})
    await persistence.update_chat_data(1, {})
    assert await rows(session_factory) == {}


async def test_drop_deletes_rows_this_process_never_saw(
    persistence: SQLAlchemyPersistence,
    other: SQLAlchemyPersistence,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await persistence.update_user_data(5, {"a": 1})
    await persistence.update_chat_data(5, {"a": 1})
    await other.drop_user_data(5)
    await other.drop_chat_data(5)
    assert await rows(session_factory) == {}


async def test_upsert_is_idempotent_and_skips_unchanged_values(
    persistence: SQLAlchemyPersistence,
    other: SQLAlchemyPersistence,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await persistence.update_user_data(9, {"a": 1})
    first = await stamp(session_factory, "user_data", "9")
    await persistence.update_user_data(9, {"a": 1})  # nothing changed: no write at all
    assert await stamp(session_factory, "user_data", "9") == first
    await other.update_user_data(9, {"a": 1})  # another process, same value: an upsert, still one row
    await other.update_user_data(9, {"a": 2})
    await persistence.update_user_data(9, {"a": 3})
    assert await rows(session_factory) == {("user_data", "9"): {"a": 3}}
    assert await stamp(session_factory, "user_data", "9") > first


async def test_portable_upsert_without_on_conflict(
    persistence: SQLAlchemyPersistence,
    other: SQLAlchemyPersistence,
    session_factory: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(persistence_rows, "NATIVE_UPSERT", frozenset())  # the update-then-insert path
    await persistence.update_conversation("flow", (1, 2), 1)  # insert
    await other.update_conversation("flow", (1, 2), 2)  # update
    await persistence.update_user_data(1, {"x": [1, 2]})
    assert await rows(session_factory) == {
        ("conversation:flow", "[1,2]"): 2,
        ("user_data", "1"): {"x": [1, 2]},
    }


@pytest.mark.parametrize(
    "data",
    [{1: "int key"}, {"t": (1, 2)}, {"s": {1, 2}}, {"f": math.nan}, {"o": object()}],
    ids=["int-key", "tuple", "set", "nan", "object"],
)
async def test_values_that_json_would_change_are_refused(
    persistence: SQLAlchemyPersistence, session_factory: async_sessionmaker[AsyncSession], data: Any
) -> None:
    with pytest.raises(TypeError):
        await persistence.update_user_data(1, data)
    assert await rows(session_factory) == {}


def test_conversation_keys_and_names() -> None:
    keys: list[tuple[int | str, ...]] = [(1, 2), (-1001234567890, 42), (5, "AgAAAOQ"), ()]
    for key in keys:
        assert decode_conversation_key(encode_conversation_key(key)) == key
    with pytest.raises(TypeError):
        encode_conversation_key((1.5,))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="too long"):
        persistence_module.conversation_kind("x" * 60)


async def test_refresh_picks_up_what_another_process_wrote(
    persistence: SQLAlchemyPersistence, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    lazy = SQLAlchemyPersistence(session_factory, preload=False)
    assert await lazy.get_user_data() == {} and await lazy.get_conversations("flow") == {}
    user_data: dict[str, Any] = {}
    chat_data: dict[str, Any] = {}
    await persistence.update_user_data(3, {"reps": 8})
    await persistence.update_chat_data(3, {"menu": 1})
    await lazy.refresh_user_data(3, user_data)
    await lazy.refresh_chat_data(3, chat_data)
    assert (user_data, chat_data) == ({"reps": 8}, {"menu": 1})

    await persistence.update_user_data(3, {"reps": 10, "logged": 1})
    same = user_data
    await lazy.refresh_user_data(3, user_data)
    assert user_data is same and user_data == {"reps": 10, "logged": 1}  # changed in place

    await persistence.drop_user_data(3)
    await lazy.refresh_user_data(3, user_data)
    assert user_data == {}


async def test_refresh_keeps_local_changes_not_yet_written(
    persistence: SQLAlchemyPersistence, other: SQLAlchemyPersistence
) -> None:
    user_data: dict[str, Any] = {}
    await persistence.update_user_data(4, {"a": 1})
    await other.refresh_user_data(4, user_data)
    user_data["b"] = 2  # e.g. changed by a job; update_persistence has not run yet
    await other.refresh_user_data(4, user_data)  # the row did not change since: memory is newer
    assert user_data == {"a": 1, "b": 2}
    fresh: dict[str, Any] = {"local": True}  # created here before this process ever saw a row...
    await other.refresh_user_data(5, fresh)  # ...and there is none: kept
    assert fresh == {"local": True}


# ----------------------------------------------------------------------------------------------------
# conversations: the refresh hook, on a real (not started) Application
# ----------------------------------------------------------------------------------------------------


async def _noop(update: Update, context: Any) -> int:
    return 1


def _flow(name: str = "flow", **kwargs: Any) -> ConversationHandler[Any]:
    inner = ConversationHandler(
        entry_points=[CommandHandler("inner", _noop)],
        states={1: [MessageHandler(filters.TEXT, _noop)]},
        fallbacks=[],
        name="inner",
        persistent=True,
        map_to_parent={ConversationHandler.END: 1},
    )
    return ConversationHandler(
        entry_points=[CommandHandler("go", _noop)],
        states={1: [inner, MessageHandler(filters.TEXT, _noop)], 2: [MessageHandler(filters.TEXT, _noop)]},
        fallbacks=[],
        name=name,
        persistent=True,
        **kwargs,
    )


def _message_update(chat_id: int, user_id: int, text: str = "hi") -> Update:
    return Update.de_json(
        {
            "update_id": 1,
            "message": {
                "message_id": 10, "date": 0, "text": text, "chat": {"id": chat_id, "type": "private"},
                "from": {"id": user_id, "is_bot": False, "first_name": "A"},
            },
        },
        None,
    )  # fmt: skip


async def test_reload_conversations_sets_and_ends_states_without_marking_them(
    persistence: SQLAlchemyPersistence, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    lazy = SQLAlchemyPersistence(session_factory, preload=False)
    application = ApplicationBuilder().token("123:ABC").persistence(lazy).build()
    flow = _flow()
    application.add_handler(flow)
    application.add_handler(
        ConversationHandler(entry_points=[], states={}, fallbacks=[], name="volatile")  # not persistent
    )
    install(application)
    install(application)  # a second call adds nothing
    assert len(application.handlers[persistence_module.REFRESH_GROUP]) == 1
    assert sorted(h.name or "" for h in persistent_conversation_handlers(application)) == ["flow", "inner"]
    await application._add_ch_to_persistence(flow)  # what Application.initialize does
    states = application._conversation_handler_conversations
    update = _message_update(7, 7)
    assert conversation_key(flow, update) == (7, 7)

    await persistence.update_conversation("flow", (7, 7), 2)
    await persistence.update_conversation("inner", (7, 7), 1)
    await persistence.update_conversation("flow", (8, 8), 1)  # another chat: not loaded
    await lazy.reload_conversations(application, update)
    assert dict(states["flow"]) == {(7, 7): 2} and dict(states["inner"]) == {(7, 7): 1}
    assert states["flow"].pop_accessed_keys() == set()  # not written back: it is what the database holds

    states["flow"][(7, 7)] = 1  # this process moved on; not written yet
    await lazy.reload_conversations(application, update)
    assert states["flow"][(7, 7)] == 1  # the row did not change since it was read: memory wins

    await persistence.update_conversation("flow", (7, 7), None)  # ended in another process
    await lazy.reload_conversations(application, update)
    assert (7, 7) not in states["flow"]
    assert states["flow"].pop_accessed_keys() == {(7, 7)}  # only the local write of above


async def test_an_update_reads_its_user_and_private_conversation_rows_in_one_select(
    persistence: SQLAlchemyPersistence, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    lazy = SQLAlchemyPersistence(session_factory, preload=False)
    application = ApplicationBuilder().token("123:ABC").persistence(lazy).build()
    flow = _flow()
    application.add_handler(flow)
    install(application)
    assert lazy.prefetch_conversations == ("conversation:flow", "conversation:inner")
    await application._add_ch_to_persistence(flow)
    await persistence.update_user_data(7, {"unit": "kg"})  # written by another process
    await persistence.update_conversation("flow", (7, 7), 2)
    statements: list[str] = []
    engine = session_factory.kw["bind"].sync_engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        user_data: dict[str, Any] = {}

        async def handle_update() -> None:  # as PTB does: context.refresh_data, then the refresh hook
            await lazy.refresh_user_data(7, user_data)
            await lazy.reload_conversations(application, _message_update(7, 7))

        await asyncio.create_task(handle_update())  # each update runs in a task of its own
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert user_data == {"unit": "kg"}
    assert dict(application._conversation_handler_conversations["flow"]) == {(7, 7): 2}
    assert len(statements) == 1 and statements[0].lstrip().upper().startswith("SELECT")

    group_update = _message_update(-100, 7)  # a group chat's key is not prefetched: read on its own
    await persistence.update_conversation("flow", (-100, 7), 1)
    await lazy.reload_conversations(application, group_update)
    assert application._conversation_handler_conversations["flow"][(-100, 7)] == 1


async def test_reload_conversations_leaves_running_non_blocking_callbacks_alone(
    persistence: SQLAlchemyPersistence, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    lazy = SQLAlchemyPersistence(session_factory, preload=False)
    application = ApplicationBuilder().token("123:ABC").persistence(lazy).build()
    flow = _flow()
    application.add_handler(flow)
    await application._add_ch_to_persistence(flow)
    states = application._conversation_handler_conversations["flow"]
    task = asyncio.get_running_loop().create_future()
    pending = PendingState(old_state=1, task=task)  # type: ignore[arg-type]
    states.update_no_track({(7, 7): pending})
    await persistence.update_conversation("flow", (7, 7), 2)
    await lazy.reload_conversations(application, _message_update(7, 7))
    assert states[(7, 7)] is pending
    task.cancel()


async def test_conversation_key_matches_the_handlers_own(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    per_message = ConversationHandler(
        entry_points=[CallbackQueryHandler(_noop)],
        states={},
        fallbacks=[],
        name="m",
        persistent=True,
        per_message=True,
    )
    query = Update.de_json(
        {
            "update_id": 2,
            "callback_query": {
                "id": "q", "chat_instance": "c", "data": "x",
                "from": {"id": 5, "is_bot": False, "first_name": "A"},
                "message": {"message_id": 77, "date": 0, "chat": {"id": 5, "type": "private"}},
            },
        },
        None,
    )  # fmt: skip
    assert conversation_key(per_message, query) == (5, 5, 77)
    assert conversation_key(per_message, _message_update(5, 5)) is None  # no callback query: no key
    channel = Update.de_json(
        {
            "update_id": 3,
            "channel_post": {"message_id": 1, "date": 0, "chat": {"id": -100, "type": "channel"}},
        },
        None,
    )
    assert conversation_key(_flow(), channel) is None
