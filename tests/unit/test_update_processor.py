"""PerChatUpdateProcessor: a chat's backlog waits on its own lock without taking worker slots."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Update

from bot.update_processor import PerChatUpdateProcessor


def message(update_id: int, chat: int) -> Update:
    data: dict[str, Any] = {
        "update_id": update_id,
        "message": {
            "message_id": update_id, "date": 0, "text": "x", "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": "U"},
        },
    }  # fmt: skip
    return Update.de_json(data, None)


async def settle(until: asyncio.Task[Any] | None = None, rounds: int = 200) -> None:
    """Let every ready task run (a fixed number of loop turns; no clock involved)."""
    for _ in range(rounds):
        if until is not None and until.done():
            return
        await asyncio.sleep(0)


async def test_a_flooding_chat_holds_one_slot_and_other_chats_go_on() -> None:
    processor = PerChatUpdateProcessor(max_concurrent_updates=2)
    release = asyncio.Event()
    order: list[str] = []

    async def flood(number: int) -> None:
        order.append(f"A{number}")
        await release.wait()

    async def other(name: str) -> None:
        order.append(name)

    backlog = [asyncio.create_task(processor.process_update(message(n, chat=1), flood(n))) for n in range(50)]
    await settle()
    # one of the flooding chat's updates runs; the other 49 wait for the chat's lock, in no slot
    assert order == ["A0"]
    assert processor.current_concurrent_updates == 1
    assert processor.waiting_updates == 50

    # another chat's updates are handled meanwhile, one after the other in the free slot
    for name, update_id in (("B", 100), ("C", 101), ("B2", 102)):
        task = asyncio.create_task(processor.process_update(message(update_id, chat=update_id), other(name)))
        await settle(task)
        assert task.done(), f"{name} waited behind the flooding chat"
    assert order == ["A0", "B", "C", "B2"]

    release.set()
    await asyncio.gather(*backlog)
    assert order[4:] == [f"A{n}" for n in range(1, 50)]  # the chat's own order is kept
    assert processor.current_concurrent_updates == 0 and processor.waiting_updates == 0


async def test_slots_still_bound_the_updates_handled_at_once() -> None:
    processor = PerChatUpdateProcessor(max_concurrent_updates=3)
    release = asyncio.Event()
    running: list[int] = []

    async def work(chat: int) -> None:
        running.append(chat)
        await release.wait()

    tasks = [asyncio.create_task(processor.process_update(message(c, chat=c), work(c))) for c in range(10)]
    await settle()
    assert running == [0, 1, 2]  # ten chats, three slots
    assert processor.current_concurrent_updates == 3
    release.set()
    await asyncio.gather(*tasks)
    assert sorted(running) == list(range(10))


async def test_idle_chats_are_passed_on_once_and_busy_ones_kept() -> None:
    now = [0.0]
    processor = PerChatUpdateProcessor(4, clock=lambda: now[0])
    processor.idle_after = 100.0
    released: list[int] = []

    async def on_idle(key: int) -> None:
        released.append(key)

    processor.on_idle = on_idle

    async def nothing() -> None:
        return None

    for chat in (1, 2, 3):
        now[0] += 10
        await processor.process_update(message(chat, chat=chat), nothing())
    assert processor.known_chats == 3
    now[0] = 125  # chats 1 and 2 idle for 100 s or more, 3 for 95 s
    assert await processor.sweep() == 2
    assert released == [1, 2] and processor.known_chats == 1
    assert await processor.sweep() == 0  # passed on once
    now[0] = 200
    await processor.process_update(message(4, chat=3), nothing())  # chat 3 came back
    assert await processor.sweep() == 0 and processor.known_chats == 1
