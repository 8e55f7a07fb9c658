"""Benchmark: every target of 10,000 trainees after their sessions (bot.services.target_batch.update_targets).

    .venv/bin/python -m bench.progression [--quick] [--trainees N]                       # SQLite
    .venv/bin/python -m bench.progression --postgres postgresql+asyncpg://postgres@127.0.0.1/wb_bench

The PostgreSQL database given is WIPED (schema public dropped) and migrated: pass a scratch database.
Setup (not timed): migrate, seed the catalog, import a program of three progressed lifts (linear squat,
double-progression row, percent bench press), register N trainees (10,000; 1,000 with --quick), give
each a current target on every lift and one finished session of 3 working sets per lift (9 sets each),
some done and some missed; one trainee in ten has their own bar (15 kg) and plates (no 1.25 kg), which
their targets are rounded to. Timed, in one transaction each: `update_targets` over all N sessions at once
(the batch: six column-only queries, a DELETE and a multi-row INSERT per 2,000 sessions), then each phase
again (read, the rules alone, write), then, as the baseline, the same
function one session at a time (what finishing N workouts one by one costs) over a sample of 500
sessions, scaled to N. Printed: both times, targets changed per second and the ratio. Target: the
batch under 1 s for 10,000 trainees.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.base import Base
from bot.db.enums import Role, SessionStatus, TargetReason, WarmupMode, WeightUnit
from bot.db.migrate import upgrade
from bot.db.models import (
    Exercise,
    ExerciseInstruction,
    TraineeTarget,
    User,
    UserExercisePerformance,
    UserExerciseSet,
    UserLoading,
    UserPlate,
    UserWorkoutSession,
    Workout,
)
from bot.db.session import create_engine, create_sessionmaker
from bot.services.program_format import parse_program
from bot.services.seed import ensure_system_user, import_program, seed_reference_data
from bot.services.target_batch import CHUNK, compute_batch, read_batch, update_targets, write_batch

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SAMPLE = 500
PROGRAM = """
name: Bench Progression Three Lifts
description: Three progressed lifts, for the benchmark.
difficulty: intermediate
categories: [strength]
schedule: {length_days: 2, rest_days_per_week: 0}
workouts:
  a:
    name: Three Lifts
    exercises:
      - {exercise: back-squat, sets: 3, reps: 5, weight_kg: 60,
         progression: {rule: linear, increment_kg: 2.5, deload_after: 2, deload_percent: 10}}
      - {exercise: dumbbell-row, sets: 3, reps: 8-12, weight_kg: 20,
         progression: {rule: double, increment_kg: 2}}
      - {exercise: bench-press, sets: 3, reps: 5,
         progression: {rule: percent, percent: 85, training_max_percent: 90}}
cycle: [[a]]
"""


async def reset(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        else:
            await connection.run_sync(Base.metadata.drop_all)
            await connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def _sets(kind: int, rng: random.Random) -> list[tuple[Decimal, int]]:
    """Three working sets of one lift: mostly done, sometimes a missed rep."""
    if kind == 0:  # squat at 60-100 kg, 5 reps (20% miss one)
        weight = Decimal(60 + 2.5 * rng.randrange(17))
        return [(weight, 5), (weight, 5), (weight, 4 if rng.random() < 0.2 else 5)]
    if kind == 1:  # row at 20 kg, 8-12 reps
        reps = rng.randrange(8, 13)
        return [(Decimal(20), reps), (Decimal(20), reps), (Decimal(20), max(8, reps - rng.randrange(2)))]
    weight = Decimal(50 + 2.5 * rng.randrange(20))  # bench, some e1RM records
    return [(weight, 5), (weight, 5), (weight, rng.randrange(5, 9))]


async def populate(engine: AsyncEngine, trainees: int) -> list[uuid.UUID]:
    """The catalog, the program, N trainees with targets and one finished session each: their ids."""
    factory = create_sessionmaker(engine)
    rng = random.Random(13)
    async with factory() as session, session.begin():
        await seed_reference_data(session)
        system = await ensure_system_user(session)
        program = await import_program(session, parse_program(PROGRAM), owner=system)
        workout_id = await session.scalar(select(Workout.id).where(Workout.name == "Three Lifts"))
        instructions = list(
            await session.execute(
                select(ExerciseInstruction.id, ExerciseInstruction.exercise_id)
                .where(ExerciseInstruction.workout_id == workout_id)
                .order_by(ExerciseInstruction.order_index)
            )
        )
        assert program is not None and len(instructions) == 3
        users, sessions, performances, sets, targets = [], [], [], [], []
        loadings, plates = [], []
        for n in range(trainees):
            user_id, session_id = uuid.uuid4(), uuid.uuid4()
            users.append(
                {
                    "id": user_id,
                    "telegram_id": 10_000_000 + n,
                    "chat_id": 10_000_000 + n,
                    "first_name": f"T{n}",
                    "role": Role.TRAINEE,
                    "timezone": "Europe/Berlin",
                    "weight_unit": WeightUnit.LB if n % 5 == 0 else WeightUnit.KG,
                }
            )
            if n % 10 == 3:  # a home gym: a 15 kg bar, no 1.25 kg plates
                loadings.append(
                    {"user_id": user_id, "bar_weight_kg": Decimal(15), "warmup_mode": WarmupMode.SHOW}
                )
                plates += [{"user_id": user_id, "weight_kg": Decimal(p)} for p in ("20", "10", "5", "2.5")]
            sessions.append(
                {
                    "id": session_id,
                    "user_id": user_id,
                    "workout_id": workout_id,
                    "session_status": SessionStatus.COMPLETED,
                    "started_at": NOW - timedelta(hours=1),
                    "completed_at": NOW,
                    "created_by": user_id,
                }
            )
            for kind, (instruction_id, exercise_id) in enumerate(instructions):
                performance_id = uuid.uuid4()
                done = _sets(kind, rng)
                performances.append(
                    {
                        "id": performance_id,
                        "user_workout_session_id": session_id,
                        "exercise_instruction_id": instruction_id,
                        "sets_completed": 3,
                        "created_by": user_id,
                    }
                )
                sets += [
                    {"performance_id": performance_id, "set_number": i + 1, "reps": reps, "weight_kg": weight}
                    for i, (weight, reps) in enumerate(done)
                ]
                targets.append(
                    {
                        "id": uuid.uuid4(),
                        "user_id": user_id,
                        "exercise_id": exercise_id,
                        "weight_kg": done[0][0] if kind == 0 else (Decimal(20) if kind == 1 else None),
                        "reps": 8 if kind == 1 else None,
                        "e1rm_kg": Decimal(80) if kind == 2 else None,
                        "reason_kind": TargetReason.PROGRAM,
                        "fail_streak": 1 if n % 7 == 0 else 0,
                    }
                )
        for table, rows in (
            (User, users),
            (UserWorkoutSession, sessions),
            (UserExercisePerformance, performances),
            (UserExerciseSet, sets),
            (TraineeTarget, targets),
            (UserLoading, loadings),
            (UserPlate, plates),
        ):
            for start in range(0, len(rows), 5000):
                await session.execute(insert(table), rows[start : start + 5000])
    return [row["id"] for row in sessions]


async def run(url: str, trainees: int) -> None:
    engine = create_engine(url)
    try:
        await reset(engine)
        await upgrade(engine)
        started = time.perf_counter()
        ids = await populate(engine, trainees)
        print(f"setup: {trainees:,} trainees, {trainees * 9:,} sets in {time.perf_counter() - started:.1f} s")
        factory = create_sessionmaker(engine)
        async with factory() as session, session.begin():
            started, cpu_started = time.perf_counter(), time.process_time()
            changes = await update_targets(session, ids)
            await session.flush()
            batch = time.perf_counter() - started
            batch_cpu = time.process_time() - cpu_started
            await session.rollback()  # the phases and the baseline start from the same targets
        reading = computing = writing = 0.0
        async with factory() as session, session.begin():
            for start in range(0, len(ids), CHUNK):
                began = time.process_time()
                read = await read_batch(session, ids[start : start + CHUNK])
                assert read is not None
                reading += time.process_time() - began
                began = time.process_time()
                _, touched = compute_batch(read)
                computing += time.process_time() - began
                began = time.process_time()
                await write_batch(session, read, touched)
                writing += time.process_time() - began
            await session.rollback()
        sample = ids[:SAMPLE]
        async with factory() as session, session.begin():
            started = time.perf_counter()
            for session_id in sample:
                await update_targets(session, [session_id])
            one_by_one = (time.perf_counter() - started) * len(ids) / len(sample)
            await session.rollback()
        async with factory() as session:
            exercises = await session.scalar(select(func.count()).select_from(Exercise))
        kinds: dict[str, int] = {}
        for change in changes:
            kinds[change.after.reason.kind.value] = kinds.get(change.after.reason.kind.value, 0) + 1
        print(
            f"database: {engine.dialect.name}, {exercises} exercises in the catalog,"
            f" load {os.getloadavg()[0]:.2f}"
        )
        print(
            f"batch: {trainees:,} sessions -> {len(changes):,} targets changed in {batch * 1000:.0f} ms"
            f" ({len(changes) / batch:,.0f} targets/s; target < 1 s for 10,000 trainees);"
            f" {batch_cpu * 1000:.0f} ms of CPU in this process (SQLite runs in it; with the machine"
            " busy, the CPU time is the fairer figure)"
        )
        print(f"  changes: {', '.join(f'{k} {v:,}' for k, v in sorted(kinds.items()))}")
        print(
            f"  CPU time per phase (a second run): read {reading * 1000:.0f} ms"
            f" (6 queries per {CHUNK:,} sessions),"
            f" rules {computing * 1000:.0f} ms (pure Python), write {writing * 1000:.0f} ms"
        )
        print(
            f"one session at a time (baseline, {SAMPLE} sampled, scaled): {one_by_one:.2f} s"
            f" - the batch is {one_by_one / batch:.1f}x faster"
        )
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="1,000 trainees")
    parser.add_argument("--trainees", type=int, default=None)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args(argv)
    trainees = args.trainees or (1000 if args.quick else 10_000)
    if args.postgres:
        asyncio.run(run(args.postgres, trainees))
        return
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(run(f"sqlite+aiosqlite:///{Path(folder) / 'progression.db'}", trainees))


if __name__ == "__main__":
    main()
