"""Benchmark: the Mini App's dashboard API for a user with five years of history (target: < 100 ms).

    .venv/bin/python -m bench.webapp_api                       # SQLite (a temporary file), 50 calls each
    .venv/bin/python -m bench.webapp_api --quick               # 10 calls each
    .venv/bin/python -m bench.webapp_api --postgres postgresql+asyncpg://postgres@127.0.0.1/wb_bench
    BENCH_DATABASE_URL=... .venv/bin/python -m bench.webapp_api

The PostgreSQL database given is WIPED (schema public dropped) and migrated: pass a scratch database.
Setup (not timed): migrate, seed the catalog, register one trainee (a coach too, with the trainee on
his roster) and bulk insert five years of workouts: three a week, five exercises of four working sets
each (about 15,600 sets), a weekly body weight, and an enrollment in a bundled program. Then the Mini
App's aiohttp app serves on loopback and each endpoint is called N times over HTTP with signed init
data (auth, one database session, JSON: everything a real call does); printed: p50 / p99 / max in ms,
and the median CPU time of this process per call (client and server: what the machine's load does not
inflate; SQLite's work is in it, PostgreSQL's is not). Figures only, never asserted.
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

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.progress import reset
from bot.db.enums import CoachLinkStatus, Role, SessionStatus
from bot.db.migrate import upgrade
from bot.db.models import (
    CoachTrainee,
    Exercise,
    ExerciseInstruction,
    Metric,
    Program,
    UserExercisePerformance,
    UserExerciseSet,
    UserMeasurement,
    UserWorkoutSession,
    Workout,
)
from bot.db.session import create_engine, create_sessionmaker
from bot.services import enrollment
from bot.services.seed import ensure_system_user, seed_reference_data
from bot.services.users import TelegramProfile, register_user
from bot.webapp.app import create_app
from bot.webapp.initdata import sign_init_data

EXERCISES = ("back-squat", "bench-press", "deadlift", "overhead-press", "barbell-row")
NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
YEARS = 5
TOKEN = "123456789:" + "B" * 35
TRAINEE, COACH = 5001, 5002
TARGET_MS = 100.0


async def populate(engine: AsyncEngine) -> tuple[int, uuid.UUID, uuid.UUID]:
    """The catalog, the trainee and a coach, five years of workouts; (sets, trainee id, squat id)."""
    factory = create_sessionmaker(engine)
    async with factory() as session, session.begin():
        await seed_reference_data(session)
        system = await ensure_system_user(session)
        user = (
            await register_user(
                session,
                TelegramProfile(telegram_id=TRAINEE, chat_id=TRAINEE, first_name="Lifter"),
                default_timezone="Europe/Berlin",
            )
        ).user
        coach = (
            await register_user(
                session, TelegramProfile(telegram_id=COACH, chat_id=COACH, first_name="Coach")
            )
        ).user
        coach.role = Role.COACH
        user.onboarded_at = NOW
        session.add(CoachTrainee(coach_id=coach.id, trainee_id=user.id, status=CoachLinkStatus.ACTIVE))
        workout = Workout(name="Five lifts", created_by=system.id)
        session.add(workout)
        await session.flush()
        exercise_ids = [
            await session.scalar(select(Exercise.id).where(Exercise.code == code)) for code in EXERCISES
        ]
        instructions = []
        for index, exercise_id in enumerate(exercise_ids):
            assert exercise_id is not None
            instruction = ExerciseInstruction(
                workout_id=workout.id, exercise_id=exercise_id, order_index=index, target_sets=4,
                target_reps_min=5, created_by=system.id,
            )  # fmt: skip
            session.add(instruction)
            instructions.append(instruction)
        program = await session.scalar(select(Program).order_by(Program.name).limit(1))
        assert program is not None
        await session.flush()
        await enrollment.enroll(session, user, program.id, NOW.date() - timedelta(days=3), NOW)
        metric = await session.scalar(select(Metric.id).where(Metric.code == "body_weight"))
        user_id, workout_id, squat = user.id, workout.id, exercise_ids[0]
        instruction_ids = [i.id for i in instructions]
    assert squat is not None
    sessions, performances, sets, measurements = [], [], [], []
    start = NOW - timedelta(days=365 * YEARS)
    day = 0
    while start + timedelta(days=day) < NOW - timedelta(days=1):
        measurements.append(
            {"id": uuid.uuid4(), "user_id": user_id, "metric_id": metric, "unit": "kg",
             "measured_value": Decimal(80) + Decimal(day % 50) / 10,
             "measurement_date": (start + timedelta(days=day)).date(), "created_by": user_id}
        )  # fmt: skip
        for offset in (0, 2, 4):  # three sessions a week
            begun = start + timedelta(days=day + offset, hours=8)
            if begun >= NOW - timedelta(days=1):
                break
            sid = uuid.uuid4()
            sessions.append(
                {"id": sid, "user_id": user_id, "workout_id": workout_id,
                 "session_status": SessionStatus.COMPLETED, "started_at": begun, "scheduled_at": begun,
                 "completed_at": begun + timedelta(minutes=60), "actual_duration_seconds": 3600,
                 "created_by": user_id, "created_at": begun}
            )  # fmt: skip
            for rank, instruction_id in enumerate(instruction_ids):
                pid = uuid.uuid4()
                base = Decimal(40 + 10 * rank) + Decimal(int(day / 7 * 0.4 * 2)) / 2
                performances.append(
                    {"id": pid, "user_workout_session_id": sid, "exercise_instruction_id": instruction_id,
                     "sets_completed": 4, "reps_completed": 20, "weight_used_kg": base,
                     "created_by": user_id, "created_at": begun}
                )  # fmt: skip
                for number in range(1, 5):
                    sets.append(
                        {"id": uuid.uuid4(), "performance_id": pid, "set_number": number,
                         "reps": 4 + number % 3, "weight_kg": base - (number % 2) * Decimal("2.5"),
                         "is_warmup": False, "created_at": begun}
                    )  # fmt: skip
        day += 7
    async with engine.begin() as connection:
        for table, rows in (
            (UserWorkoutSession, sessions),
            (UserExercisePerformance, performances),
            (UserExerciseSet, sets),
            (UserMeasurement, measurements),
        ):
            for chunk in range(0, len(rows), 5000):
                await connection.execute(insert(table), rows[chunk : chunk + 5000])
    async with engine.begin() as connection:
        await connection.execute(text("ANALYZE"))
    return len(sets), user_id, squat


async def run(url: str, calls: int) -> None:
    engine = create_engine(url)
    await reset(engine)
    await upgrade(engine)
    began = time.perf_counter()
    count, trainee_id, squat = await populate(engine)
    print(f"  setup: {count:,} sets in {time.perf_counter() - began:.1f} s")
    app = create_app(session_factory=create_sessionmaker(engine), bot_token=TOKEN, clock=lambda: NOW)
    endpoints = [
        (TRAINEE, "/app/api/me"),
        (TRAINEE, "/app/api/calendar"),
        (TRAINEE, "/app/api/exercises"),
        (TRAINEE, f"/app/api/progress/{squat}"),
        (TRAINEE, "/app/api/measurements"),
        (TRAINEE, "/app/api/volume"),
        (TRAINEE, "/app/api/volume?weeks=52"),
        (TRAINEE, "/app/api/history"),
        (TRAINEE, "/app/api/program"),
        (COACH, "/app/api/trainees"),
        (COACH, f"/app/api/calendar?trainee={trainee_id}"),
        (COACH, "/app/api/catalog"),
    ]
    worst = 0.0
    async with TestClient(TestServer(app)) as client:
        for who, path in endpoints:
            header = {"Authorization": "tma " + sign_init_data({"id": who}, TOKEN, auth_date=NOW)}
            timings, cpu = [], []
            size = 0
            for _ in range(calls + 2):
                start, start_cpu = time.perf_counter(), time.process_time()
                async with client.get(path, headers=header) as response:
                    body = await response.read()
                    assert response.status == 200, (path, response.status, body[:200])
                timings.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
                size = len(body)
            timings = sorted(timings[2:])  # the first two warm the caches
            cpu_ms = statistics.median(cpu[2:])
            p99 = timings[min(len(timings) - 1, round(0.99 * (len(timings) - 1)))]
            worst = max(worst, statistics.median(timings))
            print(
                f"  {path[:44]:<44} p50 {statistics.median(timings):6.1f} ms  p99 {p99:6.1f} ms  "
                f"max {timings[-1]:6.1f} ms  CPU {cpu_ms:5.1f} ms  {size / 1024:6.1f} KB"
            )
    verdict = "met" if worst < TARGET_MS else "MISSED"
    print(f"  target: p50 < {TARGET_MS:.0f} ms for every endpoint - {verdict} (worst p50 {worst:.1f} ms)")
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", help="a scratch PostgreSQL database URL (it is wiped)")
    parser.add_argument("--calls", type=int, default=50, help="calls per endpoint (default 50)")
    parser.add_argument("--quick", action="store_true", help="10 calls per endpoint")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    calls = 10 if args.quick else args.calls
    postgres = args.postgres or os.environ.get("BENCH_DATABASE_URL")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            print("SQLite")
            asyncio.run(run(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}", calls))
    if postgres:
        if postgres.startswith(("postgresql://", "postgres://")):
            postgres = "postgresql+asyncpg://" + postgres.split("://", 1)[1]
        print("PostgreSQL")
        asyncio.run(run(postgres, calls))


if __name__ == "__main__":
    main()
