"""A program upload is parsed and validated in a worker thread, outside any transaction (issue #17.6):
while it is being parsed, another user is answered; then the program is written in full."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from sqlalchemy import select

from bot.db.models import Program
from bot.services.seed import KnownCodes
from bot.ui import progress as progress_ui
from tests.e2e.test_coaching import Factory, clock, program_yaml, world  # noqa: F401 - fixtures


async def test_another_user_is_answered_while_an_upload_is_parsed(
    world: dict[str, Any],  # noqa: F811
    session_factory: Factory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cole, tess = world["people"]["cole"], world["people"]["tess"]
    parsing = threading.Event()
    resume = threading.Event()
    parse = KnownCodes.parse

    def slow_parse(self: KnownCodes, source: Any) -> Any:
        parsing.set()
        # On the event loop this wait would freeze the bot: Tess's reply would come after it, not before.
        assert resume.wait(timeout=30), "the upload's parse was never released"
        return parse(self, source)

    monkeypatch.setattr(KnownCodes, "parse", slow_parse)
    uploading = asyncio.create_task(cole.upload(program_yaml(length=7), filename="squats.yaml"))
    assert await asyncio.to_thread(parsing.wait, 30), "the upload was never parsed"
    replies = await tess.send("/records")  # answered while Cole's document is being parsed
    assert [reply.text for reply in replies] == [progress_ui.NO_RECORDS]
    assert not uploading.done()
    resume.set()
    await uploading

    assert "Program added (private" in cole.last_text and "Cole Squats" in cole.last_text
    async with session_factory() as session:
        program = await session.scalar(select(Program).where(Program.name == "Cole Squats"))
        assert program is not None and program.created_by == world["ids"]["cole"]


async def test_a_refused_upload_writes_nothing(world: dict[str, Any], session_factory: Factory) -> None:  # noqa: F811
    cole = world["people"]["cole"]
    await cole.upload(program_yaml(length=7, exercise="moon-walk"), filename="squats.yaml")
    assert "moon-walk" in cole.last_text
    async with session_factory() as session:
        assert await session.scalar(select(Program).where(Program.name == "Cole Squats")) is None
