"""The durable inbox on the database: admission dedups by update_id, marks and drains (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from contextlib import nullcontext
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram import Message, Update

from bot.db.base import utcnow
from bot.db.models import InboxUpdate, User
from bot.inbox import KEEP_HANDLED, Inbox, UpdateAlreadyHandled, current_ticket, mark_handled, parse_update


def message(update_id: int, text: str = "hi", chat: int = 7) -> Update:
    data: dict[str, Any] = {
        "update_id": update_id,
        "message": {
            "message_id": update_id, "date": 0, "text": text, "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": "Eve"},
        },
    }  # fmt: skip
    return Update.de_json(data, None)


async def rows(factory: async_sessionmaker[AsyncSession]) -> dict[int, tuple[bool, bool]]:
    """update_id -> (handled, payload kept)."""
    async with factory() as session:
        found = await session.execute(
            select(InboxUpdate.update_id, InboxUpdate.handled_at, InboxUpdate.payload)
        )
        return {uid: (handled is not None, payload is not None) for uid, handled, payload in found}


async def test_admit_returns_only_updates_not_seen_before(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    inbox = Inbox(engine)
    first = await inbox.admit([message(1), message(2)])
    assert [u.update_id for u in first] == [1, 2]
    # a batch fetched again (not acknowledged before a crash) plus a new one: only the new one
    again = await inbox.admit([message(1), message(2), message(3)])
    assert [u.update_id for u in again] == [3]
    # another process (its own Inbox) sees them as redeliveries too
    assert await Inbox(engine).admit([message(3)]) == []
    assert await rows(session_factory) == {1: (False, True), 2: (False, True), 3: (False, True)}


async def test_pending_gives_unhandled_updates_back_in_order(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    dead = Inbox(engine)  # the process that died with these in hand
    await dead.admit([message(12, "b"), message(11, "a"), message(13, "c")])
    ticket = dead.open(message(11))
    assert ticket is not None
    await dead.finish(ticket)  # 11 was handled before the crash

    restarted = Inbox(engine)
    pending = await restarted.pending(None)  # type: ignore[arg-type]
    assert [(u.update_id, u.message and u.message.text) for u in pending] == [(12, "b"), (13, "c")]
    # drained updates are this process's own now: a second drain does not queue them again
    assert await restarted.pending(None) == []  # type: ignore[arg-type]
    assert await rows(session_factory) == {11: (True, False), 12: (False, True), 13: (False, True)}


async def test_mark_handled_commits_with_the_handler_transaction(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    inbox = Inbox(engine)
    await inbox.admit([message(21), message(22)])

    # 21: the handler's transaction stores a user and marks the update; 22: it fails and rolls back
    for update_id, fail in ((21, False), (22, True)):
        ticket = inbox.open(message(update_id))
        token = inbox.enter(ticket)
        try:
            assert current_ticket() is ticket
            with pytest.raises(RuntimeError) if fail else nullcontext():
                async with session_factory() as session, session.begin():
                    session.add(User(telegram_id=1000 + update_id, chat_id=1000 + update_id, first_name="U"))
                    await session.flush()
                    if fail:
                        raise RuntimeError("handler failed")
                    await mark_handled(session)
                    await mark_handled(session)  # a second unit of work of the same update: no-op
        finally:
            inbox.leave(token)
        assert ticket is not None
        await inbox.finish(ticket)
    assert current_ticket() is None
    async with session_factory() as session:
        users = set(await session.scalars(select(User.telegram_id)))
    assert users == {1021}
    assert await rows(session_factory) == {21: (True, False), 22: (True, False)}


async def test_a_row_handled_elsewhere_rolls_the_second_handler_back(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    mine, theirs = Inbox(engine), Inbox(engine)
    await mine.admit([message(31)])
    await theirs.pending(None)  # type: ignore[arg-type]  # a second process drained it too
    their_ticket = theirs.open(message(31))
    assert their_ticket is not None
    await theirs.finish(their_ticket)

    ticket = mine.open(message(31))
    token = mine.enter(ticket)
    try:
        with pytest.raises(UpdateAlreadyHandled):
            async with session_factory() as session, session.begin():
                session.add(User(telegram_id=1031, chat_id=1031, first_name="U"))
                await session.flush()
                await mark_handled(session)
    finally:
        mine.leave(token)
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 0


async def test_old_handled_rows_are_pruned_unhandled_ones_kept(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    now = utcnow()
    clock = [now - KEEP_HANDLED - timedelta(hours=1)]
    inbox = Inbox(engine, clock=lambda: clock[0])
    await inbox.admit([message(41), message(42)])
    ticket = inbox.open(message(41))
    assert ticket is not None
    await inbox.finish(ticket)  # handled long ago
    clock[0] = now
    await inbox.admit([message(43)])
    assert await inbox.prune() == 1
    assert set(await rows(session_factory)) == {42, 43}


async def test_a_handled_id_reused_by_a_new_update_is_new(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    inbox = Inbox(engine)
    await inbox.admit([message(51, "old")])
    ticket = inbox.open(message(51))
    assert ticket is not None
    await inbox.finish(ticket)
    assert await inbox.admit([message(51, "old")]) == []  # the same update again: a redelivery
    # Telegram gave the id to another update (ids restart after a week without updates)
    reused = await Inbox(engine).admit([message(51, "new")])
    assert [u.message and u.message.text for u in reused] == ["new"]
    assert await rows(session_factory) == {51: (False, True)}


async def test_admit_stores_the_payloads_given_and_rebuilds_a_mismatched_batch(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    inbox = Inbox(engine)
    raw = message(61).to_dict() | {"future_field": {"x": 1}}
    assert [u.update_id for u in await inbox.admit([message(61)], [raw])] == [61]
    # payloads that do not belong to the updates (another id, another count) are not trusted
    await inbox.admit([message(62)], [message(63).to_dict()])
    await inbox.admit([message(64), message(65)], [message(64).to_dict()])
    async with session_factory() as session:
        stored: dict[int, Any] = dict(
            (await session.execute(select(InboxUpdate.update_id, InboxUpdate.payload))).all()
        )
    assert stored[61] == raw
    assert {k: stored[k]["update_id"] for k in (62, 64, 65)} == {62: 62, 64: 64, 65: 65}
    # an update in the inbox already is not admitted again, whichever way its copy was stored
    assert await inbox.admit([message(61)]) == [] and await inbox.admit([message(62)], [raw]) == []


async def test_the_message_under_a_button_is_parsed_without_its_formatting(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    bold = {"type": "bold", "offset": 0, "length": 4}
    raw: dict[str, Any] = {
        "update_id": 71,
        "callback_query": {
            "id": "q1", "chat_instance": "c", "data": "set:done",
            "from": {"id": 7, "is_bot": False, "first_name": "Eve"},
            "message": {
                "message_id": 5, "date": 0, "text": "Squat 3×5", "entities": [bold],
                "chat": {"id": 7, "type": "private"},
                "reply_markup": {"inline_keyboard": [[{"text": "✓", "callback_data": "set:done"}]]},
            },
        },
    }  # fmt: skip
    sent = json.loads(json.dumps(raw))
    update = parse_update(raw, None)
    assert raw == sent  # the JSON itself is left alone
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    assert (query.data, query.message.text, query.message.message_id) == ("set:done", "Squat 3×5", 5)
    assert query.message.reply_markup is not None and query.message.entities == ()
    # the inbox stores it as sent; a restart parses it the same way
    inbox = Inbox(engine)
    await inbox.admit([update], [raw])
    async with session_factory() as session:
        assert await session.scalar(select(InboxUpdate.payload).where(InboxUpdate.update_id == 71)) == sent
    [again] = await Inbox(engine).pending(None)  # type: ignore[arg-type]
    assert again.callback_query is not None and again.callback_query.message is not None
    assert again.callback_query.message.entities == () and again.to_dict() == update.to_dict()
    # any other update is parsed whole
    assert message(72, "hi").to_dict() == parse_update(message(72, "hi").to_dict(), None).to_dict()
