"""Soak: kill -9 the bot again and again under load; every set typed must be stored exactly once.

    .venv/bin/python -m bench.kill_loop                      # 40 kills, 20 trainees, SQLite and PostgreSQL
    .venv/bin/python -m bench.kill_loop --quick              # 5 kills, 5 trainees
    .venv/bin/python -m bench.kill_loop --database sqlite --kills 20
    .venv/bin/python -m bench.kill_loop --no-inbox           # the bot without its durable inbox (losses)

The Bot API emulator and the simulated trainees live in this process; the bot (`build_application`,
polling the emulator, the same database) runs in a child process (`python -m bench.kill_loop --child
...`) that reports each update it has handled over a local TCP connection. Setup (not measured): a
fresh database (a temporary SQLite file, or a scratch PostgreSQL database created and dropped here),
migrated and seeded; the trainees registered, enrolled today and in the first exercise of their workout.

Then every trainee types sets ("20x5", "20.5x5", ... each weight once) at its own random pace without
waiting for the bot, while a killer SIGKILLs the child at a random moment after it became ready
(0.05-0.6 s), starts a new one, waits until it is ready, and so on. After the last kill the trainees
stop, the last child handles what is left, and the run compares, per trainee, the weights it typed with
the sets in user_exercise_set: "lost" (typed, not stored), "twice" (stored more than once). It also
counts updates the emulator still holds (never acknowledged) and inbox rows left unhandled.

Printed: kills, inputs, lost, stored twice, unacknowledged, unhandled inbox rows, and the run's wall
time. Exit status 1 if anything was lost or stored twice (0 otherwise, however slow); every loop is
bounded (kills, sets per trainee, and timeouts on every wait).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bench.child_bot import READY_TIMEOUT, ReportingChild
from bot.config import Settings
from bot.db.migrate import upgrade
from bot.db.models import InboxUpdate, UserExercisePerformance, UserExerciseSet, UserWorkoutSession
from bot.db.session import create_engine, create_sessionmaker
from bot.sandbox.client import SandboxUser
from bot.sandbox.emulator import BotApiEmulator
from bot.services.enrollment import enroll
from bot.services.users import TelegramProfile, register_user
from bot.ui.callback import workout_skip, workout_start
from tests.factories import make_program, seed_catalog

"""Seconds a child may take to start (imports, migrations done already) on a loaded machine."""
SETTLE_TIMEOUT = 180.0
"""Seconds the last child gets to handle everything left after the load."""
MAX_SETS = 400
"""Sets a trainee types at most (bounds the load whatever the kill timings)."""
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"

log = logging.getLogger("bench.kill_loop")


# ---------------------------------------------------------------------------------------------- the child


async def _child(api_url: str, file_url: str, token: str, database_url: str, port: int, inbox: bool) -> None:
    from bot.app import build_application
    from bot.jobs.reminders import unschedule_jobs
    from bot.sandbox.harness import TrackingApplication, serving

    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=database_url,
        default_timezone="UTC",
        log_level="WARNING",
        telegram_api_url=api_url,
        telegram_file_url=file_url,
    )

    def report(line: str) -> None:
        writer.write(line.encode() + b"\n")

    application = build_application(
        settings,
        token=token,
        inbox=inbox,
        application_class=TrackingApplication,
        application_kwargs={"on_processed": lambda update_id: report(f"done {update_id}")},
    )
    unschedule_jobs(application)
    async with serving(application):
        report("ready")
        while await reader.readline():
            pass  # the parent closes the connection to stop the bot cleanly


# --------------------------------------------------------------------------------------------- the parent


@dataclass
class BotChild(ReportingChild):
    """The bot's process (`--child`): polling the emulator, with or without the inbox."""

    emulator: BotApiEmulator
    token: str
    database_url: str
    inbox: bool
    done: set[int] = field(default_factory=set)

    def command(self, report_port: int) -> list[str]:
        args = [self.emulator.base_url, self.emulator.base_file_url, self.token, self.database_url]
        no_inbox = [] if self.inbox else ["--no-inbox"]
        return [sys.executable, "-m", "bench.kill_loop", "--child", *args, str(report_port), *no_inbox]

    def report(self, kind: str, rest: str) -> None:
        if kind == "done":
            self.done.add(int(rest))
            self.emulator.mark_processed(int(rest))


@dataclass
class Trainee:
    user: SandboxUser
    session_id: uuid.UUID
    typed: list[Decimal] = field(default_factory=list)
    update_ids: list[int] = field(default_factory=list)


@dataclass
class KillResult:
    database: str
    inbox: bool
    kills: int
    inputs: int
    lost: int
    twice: int
    unacknowledged: int
    unhandled_inbox: int
    seconds: float

    @property
    def ok(self) -> bool:
        return self.lost == 0 and self.twice == 0


async def prepare(engine: AsyncEngine, emulator: BotApiEmulator, count: int) -> list[Trainee]:
    """Migrate and seed; register `count` trainees enrolled today in the tests' mini program."""
    await upgrade(engine)
    now = datetime.now(UTC)
    trainees = []
    async with create_sessionmaker(engine)() as session, session.begin():
        await seed_catalog(session)
        program = await make_program(session)
        for number in range(count):
            user = emulator.add_user(first_name=f"Trainee {number}")
            profile = TelegramProfile(telegram_id=user.user_id, chat_id=user.chat_id, first_name="T")
            row = (await register_user(session, profile, default_timezone="UTC")).user
            row.onboarded_at = now
            row.reminders_enabled = False
            info = await enroll(session, row, program.id, now.date(), now)
            planned = await session.scalar(
                select(UserWorkoutSession.id).where(UserWorkoutSession.program_enrollment_id == info.id)
            )
            assert planned is not None
            trainees.append(Trainee(user, planned))
    return trainees


async def start_workouts(emulator: BotApiEmulator, token: str, trainees: list[Trainee]) -> None:
    """Show each trainee its Start button and press it (the bot running)."""
    async with Bot(token, base_url=emulator.base_url) as bot:
        for trainee in trainees:
            markup = InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton("▶ Start", callback_data=workout_start(trainee.session_id)),
                        InlineKeyboardButton("⏭ Skip", callback_data=workout_skip(trainee.session_id)),
                    ]
                ]
            )
            await bot.send_message(trainee.user.chat_id, "Today: Workout A", reply_markup=markup)
            await trainee.user.press("▶ Start", timeout=READY_TIMEOUT)


async def type_sets(
    emulator: BotApiEmulator, trainee: Trainee, stop: asyncio.Event, rng: random.Random
) -> None:
    """Type sets of rising weight, at a random pace, without waiting for the bot, until `stop`."""
    for number in range(MAX_SETS):
        if stop.is_set():
            return
        weight = Decimal(20) + Decimal(number) / 2
        update = emulator.inject_message(trainee.user.user_id, f"{weight}x5")
        trainee.typed.append(weight)
        trainee.update_ids.append(int(update["update_id"]))
        await asyncio.sleep(rng.uniform(0.1, 0.6))


async def unhandled_rows(engine: AsyncEngine) -> int:
    async with create_sessionmaker(engine)() as session:
        count = await session.scalar(
            select(func.count()).select_from(InboxUpdate).where(InboxUpdate.handled_at.is_(None))
        )
        return count or 0


async def settle(emulator: BotApiEmulator, engine: AsyncEngine, inbox: bool) -> None:
    """Wait until the emulator holds no update (all acknowledged) and, with the inbox, none is left
    unhandled in it (at most SETTLE_TIMEOUT seconds)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SETTLE_TIMEOUT
    while loop.time() < deadline:
        if not emulator.pending_updates() and (not inbox or await unhandled_rows(engine) == 0):
            return
        await asyncio.sleep(0.2)
    log.warning("the bot did not catch up within %g s", SETTLE_TIMEOUT)


async def stored_sets(engine: AsyncEngine, session_id: uuid.UUID) -> Counter[Decimal]:
    async with create_sessionmaker(engine)() as session:
        weights = await session.scalars(
            select(UserExerciseSet.weight_kg)
            .join(UserExercisePerformance, UserExerciseSet.performance_id == UserExercisePerformance.id)
            .where(UserExercisePerformance.user_workout_session_id == session_id)
        )
        return Counter(Decimal(w).normalize() for w in weights if w is not None)


async def run_kill_loop(
    database_url: str, *, trainees: int, kills: int, inbox: bool = True, seed: int = 17
) -> KillResult:
    """The whole run against a migrated-or-empty database at `database_url` (its tables are written)."""
    rng = random.Random(seed)
    started = time.perf_counter()
    engine = create_engine(database_url)
    try:
        async with BotApiEmulator() as emulator:
            people = await prepare(engine, emulator, trainees)
            token = emulator.make_token()
            child = BotChild(emulator, token, database_url, inbox)
            emulator.track_processing = True
            try:
                await child.start()
                await start_workouts(emulator, token, people)
                stop = asyncio.Event()
                typists = [asyncio.create_task(type_sets(emulator, t, stop, rng)) for t in people]
                for _ in range(kills):
                    await asyncio.sleep(rng.uniform(0.05, 0.6))
                    await child.kill()
                    await child.start()
                stop.set()
                await asyncio.gather(*typists)
                await settle(emulator, engine, inbox)
            finally:
                await child.stop()  # a clean stop: what it holds is handled first
            unacknowledged = len(emulator.pending_updates())
        lost = twice = inputs = 0
        for trainee in people:
            typed = Counter(w.normalize() for w in trainee.typed)
            stored = await stored_sets(engine, trainee.session_id)
            inputs += len(trainee.typed)
            lost += sum((typed - stored).values())
            twice += sum((stored - typed).values())
        unhandled = await unhandled_rows(engine)
        database = "postgresql" if engine.dialect.name == "postgresql" else "sqlite"
    finally:
        await engine.dispose()
    return KillResult(
        database,
        inbox,
        kills,
        inputs,
        lost,
        twice,
        unacknowledged,
        unhandled or 0,
        time.perf_counter() - started,
    )


@asynccontextmanager
async def scratch_database(kind: str, postgres_dsn: str) -> AsyncIterator[str]:
    """A new empty database: a temporary SQLite file, or a PostgreSQL database created and dropped."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite+aiosqlite:///{Path(folder) / 'kill_loop.db'}"
        return
    import asyncpg  # type: ignore[import-untyped]

    name = f"kill_loop_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(postgres_dsn)
    try:
        await admin.execute(f"CREATE DATABASE {name}")
        base = postgres_dsn.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
        yield f"{base}/{name}"
    finally:
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await admin.close()


def row(result: KillResult) -> str:
    return (
        f"{result.database:<10} {'on' if result.inbox else 'off':>5} {result.kills:>5} {result.inputs:>6} "
        f"{result.lost:>5} {result.twice:>5} {result.unacknowledged:>7} {result.unhandled_inbox:>9} "
        f"{result.seconds:>6.0f}"
    )


async def _main(args: argparse.Namespace) -> int:
    kinds = ("sqlite", "postgres") if args.database == "both" else (args.database,)
    kills = args.kills if args.kills is not None else (5 if args.quick else 40)
    trainees = args.trainees if args.trainees is not None else (5 if args.quick else 20)
    print(f"kill -9 loop: {kills} kills, {trainees} trainees, load average {os.getloadavg()[0]:.1f}")
    print("database   inbox kills inputs  lost twice unacked unhandled      s")
    status = 0
    for kind in kinds:
        async with scratch_database(kind, args.postgres) as url:
            result = await run_kill_loop(url, trainees=trainees, kills=kills, inbox=not args.no_inbox)
        print(row(result), flush=True)
        if not result.ok:
            status = 1
    return status


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="5 kills, 5 trainees")
    parser.add_argument("--kills", type=int, default=None)
    parser.add_argument("--trainees", type=int, default=None)
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES", DEFAULT_POSTGRES))
    parser.add_argument("--no-inbox", action="store_true", help="run the bot without its durable inbox")
    parser.add_argument(
        "--child", nargs=5, metavar=("API", "FILE", "TOKEN", "DB", "PORT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        api, file, token, database, port = args.child
        logging.basicConfig(level=logging.WARNING)
        asyncio.run(_child(api, file, token, database, int(port), inbox=not args.no_inbox))
        return
    logging.basicConfig(level=logging.WARNING)
    sys.exit(asyncio.run(_main(args)))


if __name__ == "__main__":
    main()
