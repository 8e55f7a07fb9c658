"""Benchmark: memory the bot keeps for users who wrote once, with idle users released (bot.idle).

    .venv/bin/python -m bench.idle_memory            # 3 waves of 400 new users
    .venv/bin/python -m bench.idle_memory --quick    # 3 waves of 100

The real bot (`running_bot`, polling the in-process emulator, a temporary SQLite database) gets one
`/start` from each new user of a wave (registration and the first onboarding question: a conversation
in progress, user_data, the persistence's remembered rows); then every user counts as idle (the
processor's `idle_after` set to 0, after PTB's periodic persistence run) and one sweep releases them.
Python's tracemalloc counts the memory still allocated by anything but the emulator and the transport
(an allocation with bot/sandbox, aiohttp or asyncio anywhere in its stack is left out), from a baseline
taken after a warm-up user, after each wave and after each release.

Printed per wave: KB held after the wave wrote and after the release; per user of the wave, the bytes
its updates left and the bytes the release gave back; and the per-user entries the bot still holds
after the release (user_data, chat_data, conversation states, the persistence's remembered rows, the
processor's known chats, PTB's chat ids marked for persistence): 0 when everything idle was released.
What the tracemalloc figure keeps growing by after a release is mostly the emulator's own per-user
state (its users, chats and messages: an object census shows nothing else growing) that the stack
filter cannot fully separate. Figures only; the exit status is 0 unless it crashed.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import tempfile
import tracemalloc
from pathlib import Path

from bot.app import BotApplication
from bot.config import Settings
from bot.db.migrate import upgrade
from bot.db.session import create_engine
from bot.persistence import SQLAlchemyPersistence
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.harness import running_bot
from bot.update_processor import PerChatUpdateProcessor

WAVES = 3
FRAMES = 10
"""Frames kept per allocation: enough to see whether the emulator or aiohttp is anywhere in its stack."""
EXCLUDED = ("*/bot/sandbox/*", "*/aiohttp/*", "*/asyncio/*", "*/tracemalloc.py", "*/linecache.py")


def held_bytes() -> int:
    """Bytes allocated now and still alive, outside the emulator and the transport."""
    gc.collect()
    snapshot = tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(False, pattern, all_frames=True) for pattern in EXCLUDED]
    )
    return sum(stat.size for stat in snapshot.statistics("filename"))


def entries(app: BotApplication) -> int:
    """Per-user entries the bot holds: user_data, chat_data, conversations, remembered rows, chats
    known to the processor, chat ids PTB marked for persistence."""
    persistence = app.persistence
    assert isinstance(persistence, SQLAlchemyPersistence)
    processor = app.update_processor
    assert isinstance(processor, PerChatUpdateProcessor)
    conversations = sum(len(states) for states in app._conversation_handler_conversations.values())
    return (
        len(app.user_data)
        + len(app.chat_data)
        + conversations
        + len(persistence._seen)
        + processor.known_chats
        + len(app._chat_ids_to_be_updated_in_persistence)
    )


async def measure(users: int, waves: int) -> list[tuple[int, int, int]]:
    """Per wave of `users` new users: (bytes held after they wrote, after the release, per-user entries
    left after the release), from a baseline."""
    figures: list[tuple[int, int, int]] = []
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'idle.db'}"
        engine = create_engine(url)
        try:
            await upgrade(engine)
            settings = Settings(_env_file=None, database_url=url, default_timezone="UTC", log_level="WARNING")  # type: ignore[call-arg]
            async with BotApiEmulator() as emulator, running_bot(emulator, settings, engine=engine) as app:
                processor = app.update_processor
                assert isinstance(processor, PerChatUpdateProcessor)
                await emulator.add_user(first_name="Warm-up").send("/start")  # caches, statements
                tracemalloc.start(FRAMES)
                baseline = held_bytes()
                for wave in range(waves):
                    people = [emulator.add_user(first_name=f"User {wave}.{n}") for n in range(users)]
                    for person in people:
                        await person.send("/start")
                    await processor.wait_quiet()  # the processor's bookkeeping of the last update
                    await app.update_persistence()  # PTB's periodic run
                    after = held_bytes() - baseline
                    processor.idle_after = 0
                    released = await processor.sweep()
                    assert released >= users, f"only {released} of {users} released"
                    figures.append((after, held_bytes() - baseline, entries(app)))
                tracemalloc.stop()
        finally:
            await engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="3 waves of 100 users instead of 3 of 400")
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)  # a slow traced run may time a long poll out: noise
    users = 100 if args.quick else 400
    figures = asyncio.run(measure(users, WAVES))
    print(f"idle memory: {WAVES} waves of {users} new users, each writing /start once (KB held)")
    print("wave  users so far  after writing  after release  per user: written  released  entries left")
    for number, (after, gone, left) in enumerate(figures, start=1):
        before = figures[number - 2][1] if number > 1 else 0
        written, released = (after - before) / users, (after - gone) / users
        print(
            f"{number:>4} {number * users:>13} {after / 1024:>14.1f} {gone / 1024:>14.1f} "
            f"{written:>16.0f} B {released:>7.0f} B {left:>13}"
        )


if __name__ == "__main__":
    main()
