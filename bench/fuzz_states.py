"""Fuzz: seeded random inputs in every conversation state of the real bot, long form.

    .venv/bin/python -m bench.fuzz_states                                  # 2,200 inputs, SQLite
    .venv/bin/python -m bench.fuzz_states --inputs 20000 --seed 7
    .venv/bin/python -m bench.fuzz_states --postgres postgresql+asyncpg://postgres@127.0.0.1/wb_fuzz_bench
    .venv/bin/python -m bench.fuzz_states --quick                          # 352 inputs (as the CI test)

The same driver as tests/e2e/test_fuzz_states.py (tests/fuzz_driver.py): every state of STATES gets
--inputs / number of states random inputs (text, commands, forged callback data, photos), a fresh user
walked into the state every few inputs. After each input: no apology, no error logged by the bot, texts
within Telegram's limits; after each state: the bystander's rows unchanged. Printed: inputs and entries
per state (and whether the state was reached), every failure, inputs/s. Exit status 1 when a failure was
found (0 expected). The PostgreSQL database given is WIPED (schema public dropped): pass a scratch one.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.db.base import Base
from bot.db.migrate import upgrade
from bot.db.session import create_engine, create_sessionmaker
from bot.sandbox import BotApiEmulator
from bot.sandbox.harness import Clock, running_bot
from tests.fuzz_driver import STATES, Fuzzer

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def reset(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        else:
            await connection.run_sync(Base.metadata.drop_all)
            await connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


async def run(url: str, inputs: int, seed: int) -> int:
    """Fuzz against the database at `url`; returns the number of failures."""
    engine = create_engine(url)
    await reset(engine)
    await upgrade(engine)
    per_state = max(1, inputs // len(STATES))
    settings = Settings(_env_file=None, database_url=url, default_timezone="UTC", admin_telegram_ids="999000")
    async with (
        BotApiEmulator() as emulator,
        running_bot(emulator, settings, engine=engine, clock=Clock(NOW)) as application,
    ):
        fuzzer = Fuzzer(emulator, application, create_sessionmaker(engine), NOW, seed)
        await fuzzer.setup()
        started = time.perf_counter()
        report = await fuzzer.run(per_state)
        elapsed = time.perf_counter() - started
    await engine.dispose()
    print(f"  {'state':<24}{'inputs':>8}{'entries':>9}  reached")
    for state in STATES:
        reached = report.reached[state]
        entries = report.entries[state]
        print(f"  {state:<24}{report.inputs[state]:>8}{entries:>9}  {reached}/{entries}")
    for failure in report.failures:
        print(f"  FAILURE {failure}")
    print(
        f"  total: {report.total:,} inputs, {len(report.failures)} failures, "
        f"{report.total / elapsed:.1f} inputs/s ({elapsed:.1f} s, state entries included), seed {seed}"
    )
    return len(report.failures)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--inputs", type=int, default=2200, help="random inputs in all (split over states)")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--quick", action="store_true", help="352 inputs, as the CI test")
    parser.add_argument("--postgres", help="a scratch PostgreSQL database URL (it is wiped)")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    inputs = 16 * len(STATES) if args.quick else args.inputs
    postgres = args.postgres or os.environ.get("BENCH_DATABASE_URL")
    failures = 0
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            print("SQLite")
            failures += asyncio.run(run(f"sqlite+aiosqlite:///{Path(folder) / 'fuzz.db'}", inputs, args.seed))
    if postgres:
        if postgres.startswith(("postgresql://", "postgres://")):
            postgres = "postgresql+asyncpg://" + postgres.split("://", 1)[1]
        print("PostgreSQL")
        failures += asyncio.run(run(postgres, inputs, args.seed))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
