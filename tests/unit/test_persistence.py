"""The write-through hook of PerChatUpdateProcessor and the JSON rules of bot.persistence (no database)."""

from __future__ import annotations

import asyncio
from enum import IntEnum

import pytest
from telegram import Update

from bot.persistence import canonical_json
from bot.update_processor import PerChatUpdateProcessor


def _update(update_id: int, chat_id: int) -> Update:
    return Update.de_json(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id, "date": 0, "text": "x", "chat": {"id": chat_id, "type": "private"},
                "from": {"id": chat_id, "is_bot": False, "first_name": "A"},
            },
        },
        None,
    )  # fmt: skip


async def test_after_update_runs_under_the_chat_lock_before_the_next_update() -> None:
    processor = PerChatUpdateProcessor(8)
    events: list[str] = []

    async def handle(name: str, fail: bool = False) -> None:
        events.append(f"start {name}")
        await asyncio.sleep(0.01)
        events.append(f"end {name}")
        if fail:
            raise RuntimeError("handler failed")

    async def after_update() -> None:
        events.append("write")
        await asyncio.sleep(0.01)
        events.append("written")

    processor.after_update = after_update
    first = asyncio.create_task(processor.process_update(_update(1, 5), handle("1", fail=True)))
    await asyncio.sleep(0)
    second = asyncio.create_task(processor.process_update(_update(2, 5), handle("2")))
    results = await asyncio.gather(first, second, return_exceptions=True)
    assert isinstance(results[0], RuntimeError) and results[1] is None
    assert events == ["start 1", "end 1", "write", "written", "start 2", "end 2", "write", "written"]


async def test_without_a_hook_nothing_changes() -> None:
    processor = PerChatUpdateProcessor(8)
    done: list[int] = []

    async def handle() -> None:
        done.append(1)

    await processor.process_update(_update(1, 5), handle())
    await processor.process_update(object(), handle())  # no chat: not serialised, still handled
    assert done == [1, 1]


class Step(IntEnum):
    REPS = 1
    WEIGHT = 2


def test_canonical_json_is_stable_and_strict() -> None:
    assert canonical_json({"b": [1, 2.5, None], "a": {"z": True}}) == '{"a":{"z":true},"b":[1,2.5,null]}'
    assert canonical_json(Step.WEIGHT) == "2"  # IntEnum states are stored as their int
    assert canonical_json("Ünïcode") == '"Ünïcode"'
    for bad in ({1: "x"}, {"t": (1,)}, float("inf"), b"bytes"):
        with pytest.raises(TypeError):
            canonical_json(bad)
