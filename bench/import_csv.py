"""Importing a big export: a Strong CSV at the size limit (5 MB), parsed and imported on SQLite.

Prints, for a generated file of about 5 MB (1 MB with --quick): the parse (`parse_export`, what the bot
runs in a worker thread) against the baseline of Python's csv module reading the same text, in the same
run; the dry run (`plan_import`) and the import (`run_import`, one transaction: the time SQLite's writer
lock is held) on a fresh database; and the import again (nothing new). Figures, never asserted.

    .venv/bin/python -m bench.import_csv [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import hashlib
import io
import os
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.db.base import Base
from bot.db.enums import WeightUnit
from bot.db.models import User
from bot.db.session import create_engine, create_sessionmaker
from bot.services.importing import parse_export, plan_import, run_import
from bot.services.seed import seed_reference_data
from bot.services.users import TelegramProfile, register_user

HEADER = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE"
)
EXERCISES = (
    "Bench Press (Barbell)", "Squat (Barbell)", "Deadlift (Barbell)", "Overhead Press (Barbell)",
    "Bent Over Row (Barbell)", "Lat Pulldown (Machine)", "Bicep Curl (Dumbbell)", "Triceps Pushdown (Cable)",
    "Leg Press", "Cable Crunch", "Chest Press (Machine)", "Seated Row (Cable)", "Plank",
)  # fmt: skip
TODAY = date(2026, 12, 1)


def strong_file(size: int) -> bytes:
    """A Strong export of about `size` bytes: workouts of 5 exercises with a warm-up and 4 sets each."""
    rng = random.Random(12)
    lines = [HEADER]
    length = len(HEADER) + 1
    start = datetime(2018, 1, 1, 18, 0)  # noqa: DTZ001 - Strong's local time
    while length < size:
        start += timedelta(days=1, minutes=rng.randrange(-60, 60))
        name = rng.choice(("Push", "Pull", "Legs", "Upper", "Lower"))
        for exercise in rng.sample(EXERCISES, 5):
            for order in ("W", "1", "2", "3", "4"):
                weight = rng.randrange(20, 200) / 2 if exercise != "Plank" else 0
                reps, seconds = (0, 60) if exercise == "Plank" else (rng.randrange(3, 13), 0)
                when = f"{start:%Y-%m-%d %H:%M:%S}"
                rpe = rng.choice(("", "8", "9"))
                line = f'{when},"{name}",1h 5m,"{exercise}",{order},{weight},{reps},0,{seconds},"","",{rpe}'
                lines.append(line)
                length += len(line) + 1
    return ("\n".join(lines) + "\n").encode()


async def database_figures(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}")
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        factory = create_sessionmaker(engine)
        async with factory() as session, session.begin():
            await seed_reference_data(session)
            profile = TelegramProfile(telegram_id=4242, chat_id=4242, first_name="Bench")
            user_id = (await register_user(session, profile, default_timezone="Europe/Berlin")).user.id
        parsed = parse_export(content, unit=WeightUnit.KG, today=TODAY)
        digest = hashlib.sha256(content).hexdigest()
        now = datetime.now(UTC)
        for label in ("import", "again"):
            async with factory() as session, session.begin():
                user = await session.get(User, user_id)
                assert user is not None
                started = time.perf_counter()
                plan = await plan_import(session, user, parsed)
                planned = time.perf_counter() - started
                result = await run_import(session, user, parsed, digest, now)
                elapsed = time.perf_counter() - started
            rate = result.sets / max(elapsed, 1e-9)
            print(
                f"{label:7} dry run {planned * 1000:8.1f} ms; dry run + import {elapsed:6.2f} s in one "
                f"transaction: {result.workouts} workouts, {result.sets} sets ({rate:,.0f} sets/s)"
            )
            assert plan.new_workouts == result.workouts
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a 1 MB file instead of 5 MB")
    args = parser.parse_args()
    content = strong_file((1 if args.quick else 5) * 1024 * 1024 - 4096)
    text = content.decode()
    started = time.perf_counter()
    rows = sum(1 for _ in csv.reader(io.StringIO(text, newline="")))
    baseline = time.perf_counter() - started
    started = time.perf_counter()
    parsed = parse_export(content, unit=WeightUnit.KG, today=TODAY)
    parse = time.perf_counter() - started
    print(f"file {len(content) / 1024 / 1024:.2f} MB, {rows - 1:,} rows, {len(parsed.workouts):,} workouts; "
          f"load {os.getloadavg()[0]:.2f}")  # fmt: skip
    print(f"baseline, csv.reader alone: {baseline * 1000:8.1f} ms")
    print(f"parse_export:               {parse * 1000:8.1f} ms ({parse / baseline:.1f}x the baseline, "
          f"{parse / (rows - 1) * 1e6:.1f} µs per row)")  # fmt: skip
    asyncio.run(database_figures(content))


if __name__ == "__main__":
    main()
