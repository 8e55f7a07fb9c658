"""bot.cluster on PostgreSQL: a chat's turn across processes, liveness, taking over a dead process's rows.

Two `Cluster` objects on two engines stand for two processes (each has its own connection and its own
worker lock, as a process does). On SQLite there is no cluster (several workers are refused there).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram import Bot

from bot.cluster import STALE_AFTER, Cluster, Turn
from bot.db.models import InboxUpdate
from bot.db.session import create_engine
from bot.inbox import Inbox

Factory = async_sessionmaker[AsyncSession]
DEAD = 424242  # a worker id no process holds


@pytest.fixture(autouse=True)
def postgresql_only(engine: AsyncEngine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("the cluster's locks are PostgreSQL advisory locks")


@pytest.fixture
async def two(engine: AsyncEngine, session_factory: Factory) -> AsyncIterator[tuple[Cluster, Cluster]]:
    engines = [create_engine(engine.url.render_as_string(hide_password=False)) for _ in range(2)]
    clusters = [Cluster(e) for e in engines]
    for cluster in clusters:
        await cluster.start()
    try:
        yield clusters[0], clusters[1]
    finally:
        for cluster in clusters:
            await cluster.close()
        for e in engines:
            await e.dispose()


def payload(update_id: int, chat: int) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id, "date": 0, "text": f"{update_id}x5",
            "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": "T"},
        },
    }  # fmt: skip


async def admit(factory: Factory, update_id: int, chat: int, owner: int | None, **extra: Any) -> None:
    async with factory() as session, session.begin():
        session.add(
            InboxUpdate(
                update_id=update_id,
                digest="0" * 32,
                payload=payload(update_id, chat),
                received_at=extra.get("received_at", datetime.now(UTC)),
                chat_key=chat,
                owner=owner,
            )
        )


async def handled(factory: Factory, update_id: int) -> None:
    async with factory() as session, session.begin():
        await session.execute(
            update(InboxUpdate)
            .where(InboxUpdate.update_id == update_id)
            .values(handled_at=datetime.now(UTC), payload=None)
        )


async def still_waiting(call: Any, seconds: float = 0.3) -> asyncio.Task[Any]:
    task = asyncio.ensure_future(call)
    await asyncio.sleep(seconds)
    assert not task.done(), "it should wait"
    return task


async def test_a_chat_is_taken_by_one_process_at_a_time(
    two: tuple[Cluster, Cluster], session_factory: Factory
) -> None:
    first, second = two
    await admit(session_factory, 10, chat=7, owner=first.worker_id)
    await admit(session_factory, 11, chat=8, owner=second.worker_id)  # another chat: not in the way
    assert (await first.take(7, 10)).turn is Turn.TAKEN
    await admit(session_factory, 12, chat=7, owner=second.worker_id)
    waiting = await still_waiting(second.take(7, 12))  # update 10 unhandled, its process alive
    await handled(session_factory, 10)
    await asyncio.sleep(0.1)
    assert not waiting.done()  # handled, but the first process still has the chat
    await first.release(7)
    taken = await asyncio.wait_for(waiting, 5)
    assert (taken.turn, taken.adopted) == (Turn.TAKEN, [])
    await second.release(7)


async def test_an_update_handled_elsewhere_is_skipped(
    two: tuple[Cluster, Cluster], session_factory: Factory
) -> None:
    first, _ = two
    await admit(session_factory, 20, chat=7, owner=first.worker_id)
    await handled(session_factory, 20)
    assert (await first.take(7, 20)).turn is Turn.DONE


async def test_earlier_updates_of_a_dead_process_are_taken_over_in_order(
    two: tuple[Cluster, Cluster], session_factory: Factory
) -> None:
    first, second = two
    for update_id in (30, 31):
        await admit(session_factory, update_id, chat=7, owner=DEAD)
    await admit(session_factory, 32, chat=7, owner=None)  # from before the cluster columns: no owner
    await admit(session_factory, 33, chat=7, owner=first.worker_id)
    assert not await first.alive(DEAD) and await first.alive(second.worker_id)
    taken = await first.take(7, 33)
    assert taken.turn is Turn.TAKEN
    assert [update_id for update_id, _ in taken.adopted] == [30, 31, 32]
    assert taken.adopted[0][1]["message"]["text"] == "30x5"
    # while the chat is taken, the other process waits for it
    await admit(session_factory, 34, chat=7, owner=second.worker_id)
    waiting = await still_waiting(second.take(7, 34))
    for update_id in (30, 31, 32, 33):
        await handled(session_factory, update_id)
    await first.release(7)
    assert (await asyncio.wait_for(waiting, 5)).adopted == []
    await second.release(7)


async def test_a_stale_row_of_a_live_process_blocks_nobody(
    two: tuple[Cluster, Cluster], session_factory: Factory
) -> None:
    first, second = two
    old = datetime.now(UTC) - STALE_AFTER - timedelta(seconds=5)
    await admit(session_factory, 40, chat=7, owner=second.worker_id, received_at=old)
    await admit(session_factory, 41, chat=7, owner=first.worker_id)
    taken = await asyncio.wait_for(first.take(7, 41), 5)
    assert [update_id for update_id, _ in taken.adopted] == [40]
    await first.release(7)


async def test_a_dead_process_frees_its_chats_at_once(engine: AsyncEngine, session_factory: Factory) -> None:
    url = engine.url.render_as_string(hide_password=False)
    engines = [create_engine(url) for _ in range(2)]
    dying, survivor = Cluster(engines[0]), Cluster(engines[1])
    try:
        await dying.start()
        await survivor.start()
        await admit(session_factory, 50, chat=9, owner=dying.worker_id)
        await admit(session_factory, 51, chat=9, owner=survivor.worker_id)
        assert (await dying.take(9, 50)).turn is Turn.TAKEN
        waiting = await still_waiting(survivor.take(9, 51))
        await dying.close()  # its connection goes, as when the process is killed: its locks with it
        taken = await asyncio.wait_for(waiting, 5)
        assert [update_id for update_id, _ in taken.adopted] == [50]
        assert not await survivor.alive(dying.worker_id)
        await survivor.release(9)
    finally:
        await survivor.close()
        for e in engines:
            await e.dispose()


async def test_the_restart_drain_takes_only_rows_of_processes_that_are_gone(
    two: tuple[Cluster, Cluster], engine: AsyncEngine, session_factory: Factory
) -> None:
    first, second = two
    await admit(session_factory, 60, chat=7, owner=second.worker_id)  # alive: it handles its own
    await admit(session_factory, 61, chat=8, owner=DEAD)
    await admit(session_factory, 62, chat=9, owner=None)
    inbox = Inbox(engine)
    inbox.owner, inbox.alive = first.worker_id, first.alive
    drained = await inbox.pending(Bot("1:" + "a" * 35))
    assert [item.update_id for item in drained] == [61, 62]
    assert inbox.open_ids == {61, 62}
