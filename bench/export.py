"""Benchmark: /export of ~100,000 sets, and another user's replies while it runs.

    .venv/bin/python -m bench.export                                   # SQLite (a temporary file)
    .venv/bin/python -m bench.export --postgres postgresql+asyncpg://postgres@127.0.0.1/wb_export
    .venv/bin/python -m bench.export --quick                           # one year of history (~20,000 sets)

The PostgreSQL database given is WIPED and migrated: pass a scratch database. Setup (not timed): the
history of bench.progress (five years, four sessions a week, ~100,000 sets) for one trainee, and a second
user. Then the real bot runs against the in-process emulator: the other user sends /today a few times
(the idle figure), then the trainee sends /export and, until the archive arrives, the other user sends
/today again and again. Printed: the export's time and archive size, the other user's reply times idle
and during the export (min / median / max, how many), and the peak of Python memory allocated in the
bot's process during a second export (tracemalloc: slower, so not timed; the archive is made in a worker
process, bot.export_process, whose memory this does not see). Figures only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from bench import progress as history
from bot.config import Settings
from bot.db.session import create_engine, create_sessionmaker
from bot.sandbox import BotApiEmulator, SandboxUser
from bot.sandbox.harness import Clock, running_bot
from bot.services.users import TelegramProfile, register_user

PROBE = "/today"
"""The other user's command: a few reads and one reply."""


async def export_with_traffic(trainee: SandboxUser, other: SandboxUser) -> tuple[float, int, list[float]]:
    """The export's seconds and bytes; the other user's reply times (ms) while it ran."""
    began = time.perf_counter()
    exporting = asyncio.create_task(trainee.send("/export", timeout=600))
    timings: list[float] = []
    while not exporting.done():
        start = time.perf_counter()
        await other.send(PROBE, timeout=600)
        timings.append((time.perf_counter() - start) * 1000)
    replies = await exporting
    seconds = time.perf_counter() - began
    size = len(replies[-1].file or b"") if replies else 0
    return seconds, size, timings


async def run(url: str) -> None:
    engine = create_engine(url)
    await history.reset(engine)
    await history.upgrade(engine)
    async with BotApiEmulator() as emulator:
        trainee = emulator.add_user(first_name="Lifter")
        other = emulator.add_user(first_name="Other")
        began = time.perf_counter()
        count = await history.populate(engine, trainee.user_id)
        async with create_sessionmaker(engine)() as session, session.begin():
            profile = TelegramProfile(telegram_id=other.user_id, chat_id=other.chat_id, first_name="Other")
            await register_user(session, profile, default_timezone="UTC")
        print(f"  setup: {count:,} sets in {time.perf_counter() - began:.1f} s")
        settings = Settings(_env_file=None, database_url=url, default_timezone="UTC")  # type: ignore[call-arg]
        async with running_bot(emulator, settings, engine=engine, clock=Clock(history.NOW)):
            idle = []
            for _ in range(5):
                start = time.perf_counter()
                await other.send(PROBE)
                idle.append((time.perf_counter() - start) * 1000)
            print(f"  other user idle  min {min(idle):7.1f} ms  median {statistics.median(idle):7.1f} ms")
            seconds, size, timings = await export_with_traffic(trainee, other)
            print(f"  /export          {seconds:7.2f} s  archive {size / 1e6:.1f} MB")
            if timings:
                median = statistics.median(timings)
                print(
                    f"  other user       min {min(timings):7.1f} ms  median {median:7.1f} ms"
                    f"  max {max(timings):7.1f} ms  ({len(timings)} replies during the export)"
                )
            tracemalloc.start()
            await trainee.send("/export", timeout=600)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print(f"  /export memory   peak {peak / 1e6:7.1f} MB of Python allocations (tracemalloc)")
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", help="a scratch PostgreSQL database URL (it is wiped)")
    parser.add_argument("--quick", action="store_true", help="one year of history instead of five")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    if args.quick:
        history.YEARS = 1
    postgres = args.postgres or os.environ.get("BENCH_DATABASE_URL")
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            print("SQLite")
            asyncio.run(run(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"))
    if postgres:
        if postgres.startswith(("postgresql://", "postgres://")):
            postgres = "postgresql+asyncpg://" + postgres.split("://", 1)[1]
        print("PostgreSQL")
        asyncio.run(run(postgres))


if __name__ == "__main__":
    main()
