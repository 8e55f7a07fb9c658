"""How updates come in: nothing taken from Telegram is lost or handled twice; the webhook's limits."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram import Bot

from bot.app import BotApplication
from bot.config import Settings
from bot.db.models import InboxUpdate, User, UserWorkoutSession
from bot.inbox import Inbox
from bot.sandbox import BotApiEmulator, SandboxUser
from bot.sandbox.harness import WEBHOOK_SECRET, Clock, running_bot
from bot.services import enrollment as enrollments
from bot.services.users import TelegramProfile, register_user
from bot.update_processor import PerChatUpdateProcessor
from bot.webhook import MAX_BODY, SECRET_HEADER
from tests.e2e.test_workout import MONDAY, clock, offer, sets_of, trainee
from tests.factories import make_program, seed_catalog

__all__ = ["clock", "trainee"]  # fixtures of test_workout used here

webhook = pytest.mark.parametrize("mode", ["webhook"], indirect=True)


async def inbox_rows(factory: async_sessionmaker[AsyncSession]) -> dict[int, bool]:
    """update_id -> handled."""
    async with factory() as session:
        found = await session.execute(select(InboxUpdate.update_id, InboxUpdate.handled_at))
        return {update_id: handled is not None for update_id, handled in found}


def replies(emulator: BotApiEmulator, user: SandboxUser) -> list[str]:
    return [message.text or "" for message in emulator.messages(user.chat_id)]


# ----------------------------------------------------------------------------------- redelivery (webhook)


@webhook
async def test_an_update_delivered_twice_is_stored_once(
    emulator: BotApiEmulator,
    alice: SandboxUser,
    bot_app: BotApplication,
    trainee: dict[str, Any],
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    sid = trainee["session_id"]
    await offer(bot_app, alice, sid)
    await alice.press("▶ Start")
    before = len(replies(emulator, alice))
    update = emulator.inject_message(alice.user_id, "60x5")
    await emulator.wait_processed(update["update_id"])
    seen = len(replies(emulator, alice))
    per_set = seen - before  # messages the bot sends for a set typed

    # Telegram did not get our 200 in time and delivers the same update again (twice)
    url = bot_app.bot_data.extras["webhook_url"]
    async with aiohttp.ClientSession() as http:
        for _ in range(2):
            async with http.post(url, json=update, headers={SECRET_HEADER: WEBHOOK_SECRET}) as response:
                assert response.status == 200
    await alice.send("62.5x5")  # handled after anything queued before it in this chat

    assert [(number, reps, weight) for number, reps, weight, *_ in await sets_of(session_factory, sid)] == [
        (1, 5, 60),
        (2, 5, 62.5),
    ]
    assert len(replies(emulator, alice)) == seen + per_set  # the redeliveries got no answer
    assert (await inbox_rows(session_factory))[update["update_id"]] is True


# ------------------------------------------------------------------------------- a restart (polling)


async def test_updates_taken_before_a_crash_are_handled_once_after_the_restart(
    emulator: BotApiEmulator,
    settings: Settings,
    engine: AsyncEngine,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    alice = emulator.add_user(first_name="Alice")
    async with session_factory() as session, session.begin():
        await seed_catalog(session)
        program = await make_program(session)
        profile = TelegramProfile(telegram_id=alice.user_id, chat_id=alice.chat_id, first_name="Alice")
        user = (await register_user(session, profile, default_timezone="Europe/Berlin")).user
        user.onboarded_at = MONDAY
        info = await enrollments.enroll(session, user, program.id, MONDAY.date(), MONDAY)
        sid: uuid.UUID | None = await session.scalar(
            select(UserWorkoutSession.id).where(UserWorkoutSession.program_enrollment_id == info.id)
        )
    assert sid is not None
    async with running_bot(emulator, settings, engine=engine, clock=Clock(MONDAY)) as first:
        await offer(first, alice, sid)
        await alice.press("▶ Start")
    seen = len(replies(emulator, alice))

    # The bot (now down) had fetched two sets and stored them in its inbox, then died: it had
    # acknowledged the first (its next getUpdates' offset), not the second.
    one = emulator.inject_message(alice.user_id, "60x5")["update_id"]
    two = emulator.inject_message(alice.user_id, "62.5x5")["update_id"]
    dying = Bot(emulator.make_token(), base_url=emulator.base_url)
    async with dying:
        batch = await dying.get_updates(timeout=0)
        assert [u.update_id for u in batch] == [one, two]
        assert len(await Inbox(engine).admit(batch)) == 2
        assert await dying.get_updates(offset=one + 1, timeout=0)  # acknowledges `one` only
    assert {one, two} <= set(await inbox_rows(session_factory))

    async with running_bot(emulator, settings, engine=engine, clock=Clock(MONDAY)):
        await emulator.wait_processed(one)
        await emulator.wait_processed(two)  # drained from the inbox, and fetched again: handled once
        await alice.send("/help")  # anything queued for the chat is handled by now
    assert [(n, reps, weight) for n, reps, weight, *_ in await sets_of(session_factory, sid)] == [
        (1, 5, 60),
        (2, 5, 62.5),
    ]
    answers = replies(emulator, alice)[seen:]
    logged = [text.splitlines()[0] for text in answers if text.startswith("✅ Logged")]
    assert logged == ["✅ Logged 60×5", "✅ Logged 62.5×5"]  # each handled once, in order
    assert len(answers) == 3 and answers[-1].startswith("Commands")  # one message per set, then /help
    rows = await inbox_rows(session_factory)
    assert rows[one] is True and rows[two] is True


# ----------------------------------------------------------------------------------- webhook limits


async def _raw_post(url: str, headers: dict[str, str], sent: bytes) -> int:
    """Send a request's headers and only the first bytes of its body; the status of the answer.

    A server that waited for the whole body would never answer (the test would fail on its timeout).
    """
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    try:
        head = [f"POST {parts.path} HTTP/1.1", f"Host: {parts.netloc}"]
        head += [f"{name}: {value}" for name, value in headers.items()]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + sent)
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), 30)
        await asyncio.wait_for(reader.read(), 30)  # refused: the server closes the connection
        return int(status_line.split()[1])
    finally:
        writer.close()


@webhook
async def test_the_webhook_checks_the_secret_and_the_size_before_reading_the_body(
    emulator: BotApiEmulator,
    alice: SandboxUser,
    bot_app: BotApplication,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    url = bot_app.bot_data.extras["webhook_url"]

    def start(update_id: int) -> bytes:
        user = {"id": alice.user_id, "is_bot": False, "first_name": "Alice"}
        update = {
            "update_id": update_id,
            "message": {
                "message_id": 1, "date": 0, "text": "/start", "from": user,
                "chat": {"id": alice.chat_id, "type": "private"},
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        }  # fmt: skip
        return json.dumps(update).encode()

    huge = {"Content-Type": "application/json", "Content-Length": str(90 * 1024 * 1024)}
    # 90 MB announced, 64 KB sent: no secret or a wrong one -> 403, the right one -> 413; the server
    # answers without reading the rest (or the test would hang)
    assert await _raw_post(url, huge, b" " * 65536) == 403
    assert await _raw_post(url, {**huge, SECRET_HEADER: "wrong"}, b" " * 65536) == 403
    assert await _raw_post(url, {**huge, SECRET_HEADER: WEBHOOK_SECRET}, b" " * 65536) == 413

    secret = {SECRET_HEADER: WEBHOOK_SECRET, "Content-Type": "application/json"}
    async with aiohttp.ClientSession() as http:
        refused = start(10**9 + 1)

        async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: read up to 1 MB, no further
            yield refused[:-1]
            yield b" " * MAX_BODY
            yield b"}"

        async with http.post(url, data=chunks(), headers=secret) as response:
            assert response.status == 413
        # an update padded to exactly 1 MB is taken
        body = start(10**9)
        padded = body[:-1] + b" " * (MAX_BODY - len(body)) + b"}"
        assert len(padded) == MAX_BODY
        async with http.post(url, data=padded, headers=secret) as response:
            assert response.status == 200
    await emulator.wait_processed(10**9)
    processor = bot_app.update_processor
    assert isinstance(processor, PerChatUpdateProcessor)
    await processor.wait_quiet()  # its inbox row marked too

    assert await inbox_rows(session_factory) == {10**9: True}  # nothing of the refused requests
    assert "Welcome" in replies(emulator, alice)[-1]
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 1
    # and the real delivery path still works
    assert "Welcome back" in (await alice.send("/start"))[0].text


async def test_a_batch_the_inbox_cannot_store_is_not_acknowledged(
    emulator: BotApiEmulator, tmp_path: Any
) -> None:
    from telegram.error import NetworkError

    from bot.db.session import create_engine
    from bot.intake import InboxBot

    alice = emulator.add_user(first_name="Alice")
    sent = emulator.inject_message(alice.user_id, "60x5")["update_id"]
    broken = create_engine(f"sqlite+aiosqlite:///{tmp_path}/no_tables.db")  # the inbox table is missing
    try:
        bot = InboxBot(emulator.make_token(), base_url=emulator.base_url, inbox=Inbox(broken))
        async with bot:
            with pytest.raises(NetworkError):  # PTB's poller logs it, backs off and polls again
                await bot.get_updates(timeout=0)
            with pytest.raises(NetworkError):
                await bot.get_updates(timeout=0)
    finally:
        await broken.dispose()
    assert [update["update_id"] for update in emulator.pending_updates()] == [sent]  # not acknowledged


async def test_the_inbox_stores_each_update_as_telegram_sent_it(
    emulator: BotApiEmulator, engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """Polling stores the getUpdates JSON itself, not the update rebuilt from PTB's objects (which drops
    e.g. empty lists): what a restart parses again is exactly what Telegram delivered."""
    from bot.intake import InboxBot

    alice = emulator.add_user(first_name="Alice")
    sent = emulator.inject_message(alice.user_id, "60x5")["update_id"]
    queued = emulator._updates[sent].update
    queued["message"]["entities"] = []  # Telegram may send it; Update.to_dict() would leave it out
    expected = json.loads(json.dumps(queued))
    bot = InboxBot(emulator.make_token(), base_url=emulator.base_url, inbox=Inbox(engine))
    async with bot:
        [update] = await bot.get_updates(timeout=0)
    assert update.update_id == sent and update.message is not None and update.message.text == "60x5"
    async with session_factory() as session:
        stored = await session.scalar(select(InboxUpdate.payload).where(InboxUpdate.update_id == sent))
    assert stored == expected
    assert "entities" not in update.to_dict()["message"]  # what was stored before
