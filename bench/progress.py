"""Benchmark: /progress, /records and /history for a user with five years of history (~100,000 sets).

    .venv/bin/python -m bench.progress                                   # SQLite (a temporary file)
    .venv/bin/python -m bench.progress --postgres postgresql+asyncpg://postgres@127.0.0.1/wb_progress
    BENCH_DATABASE_URL=... .venv/bin/python -m bench.progress            # the same, from the environment

The PostgreSQL database given is WIPED (schema public dropped) and migrated: pass a scratch database.
Setup (not timed): migrate, seed the catalog and the tests' mini program, register one trainee and bulk
insert (SQLAlchemy Core) five years of workouts: four sessions a week, five barbell exercises of four
working sets (plus a warm-up) each, ~19 sets per exercise... about 100,000 sets. Then the real bot runs
against the in-process emulator and each command is sent --repeat times; printed: the time from sending
the command to the bot's last reply (chart rendering included), min / median / max. Figures only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.db.base import Base
from bot.db.enums import SessionStatus
from bot.db.migrate import upgrade
from bot.db.models import (
    Exercise,
    ExerciseInstruction,
    UserExercisePerformance,
    UserExerciseSet,
    UserWorkoutSession,
    Workout,
)
from bot.db.session import create_engine, create_sessionmaker
from bot.sandbox import BotApiEmulator
from bot.sandbox.harness import Clock, running_bot
from bot.services.seed import ensure_system_user, seed_reference_data
from bot.services.users import TelegramProfile, register_user

EXERCISES = ("back-squat", "bench-press", "deadlift", "overhead-press", "barbell-row")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
YEARS = 5


async def reset(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        else:
            await connection.run_sync(Base.metadata.drop_all)
            await connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


async def populate(engine: AsyncEngine, telegram_id: int) -> int:
    """The catalog, one trainee, five years of workouts; returns the number of sets inserted."""
    factory = create_sessionmaker(engine)
    async with factory() as session, session.begin():
        await seed_reference_data(session)
        system = await ensure_system_user(session)
        user = (
            await register_user(
                session,
                TelegramProfile(telegram_id=telegram_id, chat_id=telegram_id, first_name="Lifter"),
                default_timezone="Europe/Berlin",
            )
        ).user
        user.onboarded_at = NOW
        workout = Workout(name="Five lifts", created_by=system.id)
        session.add(workout)
        await session.flush()
        exercise_ids = [
            (await session.scalar(select(Exercise.id).where(Exercise.code == code))) for code in EXERCISES
        ]
        instructions = []
        for index, exercise_id in enumerate(exercise_ids):
            if exercise_id is None:
                continue
            instruction = ExerciseInstruction(
                workout_id=workout.id, exercise_id=exercise_id, order_index=index, target_sets=4,
                target_reps_min=5, created_by=system.id,
            )  # fmt: skip
            session.add(instruction)
            instructions.append(instruction)
        await session.flush()
        user_id, workout_id = user.id, workout.id
        instruction_ids = [i.id for i in instructions]
    sessions, performances, sets = [], [], []
    start = NOW - timedelta(days=365 * YEARS)
    day = 0
    while start + timedelta(days=day) < NOW - timedelta(days=1):
        for offset in (0, 1, 3, 5):  # four sessions a week
            begun = start + timedelta(days=day + offset, hours=8)
            if begun >= NOW:
                break
            sid = uuid.uuid4()
            weeks = (day + offset) / 7
            sessions.append(
                {"id": sid, "user_id": user_id, "workout_id": workout_id,
                 "session_status": SessionStatus.COMPLETED, "started_at": begun,
                 "completed_at": begun + timedelta(minutes=70), "actual_duration_seconds": 4200,
                 "effort_rating": 5 + (day // 7) % 5, "soreness_rating": (day // 7) % 6,
                 "created_by": user_id,
                 "created_at": begun}
            )  # fmt: skip
            for rank, instruction_id in enumerate(instruction_ids):
                pid = uuid.uuid4()
                base = Decimal(40 + 10 * rank) + Decimal(int(weeks * 0.4 * 2)) / 2
                performances.append(
                    {"id": pid, "user_workout_session_id": sid, "exercise_instruction_id": instruction_id,
                     "sets_completed": 18, "reps_completed": 90, "weight_used_kg": base,
                     "created_by": user_id,
                     "created_at": begun}
                )  # fmt: skip
                sets.append({"id": uuid.uuid4(), "performance_id": pid, "set_number": 1, "reps": 10,
                             "weight_kg": (base / 2).quantize(Decimal("0.01")), "is_warmup": True,
                             "created_at": begun})  # fmt: skip
                for number in range(2, 20):
                    sets.append(
                        {"id": uuid.uuid4(), "performance_id": pid, "set_number": number,
                         "reps": 3 + (number % 6), "weight_kg": base - (number % 4) * Decimal("2.5"),
                         "is_warmup": False, "created_at": begun}
                    )  # fmt: skip
        day += 7
    async with engine.begin() as connection:
        for table, rows in (
            (UserWorkoutSession, sessions),
            (UserExercisePerformance, performances),
            (UserExerciseSet, sets),
        ):
            for chunk in range(0, len(rows), 5000):
                await connection.execute(insert(table), rows[chunk : chunk + 5000])
    if engine.dialect.name == "postgresql":
        async with engine.connect() as connection:
            await connection.execute(text("ANALYZE"))
    else:
        async with engine.begin() as connection:
            await connection.execute(text("ANALYZE"))
    return len(sets)


async def run(url: str, repeat: int) -> None:
    engine = create_engine(url)
    await reset(engine)
    await upgrade(engine)
    async with BotApiEmulator() as emulator:
        trainee = emulator.add_user(first_name="Lifter")
        began = time.perf_counter()
        count = await populate(engine, trainee.user_id)
        print(f"  setup: {count:,} sets in {time.perf_counter() - began:.1f} s")
        settings = Settings(_env_file=None, database_url=url, default_timezone="UTC")  # type: ignore[call-arg]
        async with running_bot(emulator, settings, engine=engine, clock=Clock(NOW)):
            for command in ("/progress squat", "/records", "/history"):
                timings = []
                for _ in range(repeat):
                    start = time.perf_counter()
                    replies = await trainee.send(command)
                    timings.append((time.perf_counter() - start) * 1000)
                kind = replies[-1].kind if replies else "none"
                print(
                    f"  {command:<16} min {min(timings):7.1f} ms  "
                    f"median {statistics.median(timings):7.1f} ms  "
                    f"max {max(timings):7.1f} ms  ({kind})"
                )
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", help="a scratch PostgreSQL database URL (it is wiped)")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    postgres = args.postgres or os.environ.get("BENCH_DATABASE_URL")
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            print("SQLite")
            asyncio.run(run(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}", args.repeat))
    if postgres:
        if postgres.startswith(("postgresql://", "postgres://")):
            postgres = "postgresql+asyncpg://" + postgres.split("://", 1)[1]
        print("PostgreSQL")
        asyncio.run(run(postgres, args.repeat))


if __name__ == "__main__":
    main()
