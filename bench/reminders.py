"""Benchmark: the reminder tick's due query on 100,000 users, and delivering a burst of reminders.

    .venv/bin/python -m bench.reminders            # 100,000 users in 50 zones; a burst of 600 reminders
    .venv/bin/python -m bench.reminders --quick    # 20,000 users; a burst of 150
    BENCH_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1/SCRATCH .venv/bin/python -m bench.reminders

1. The due query (bot.services.reminders.due_query: `next_reminder_at <= now ORDER BY next_reminder_at,
   id LIMIT 200`, one batch of the minute tick) against N users with an active enrollment each, spread
   over 50 time zones and 13 reminder times (06:00-09:00), bulk-inserted with Core inserts; `now` is a
   busy minute with about 2 % of the users due. Prints the median of several runs of one batch and of
   the whole due set, and the query plan (EXPLAIN QUERY PLAN / EXPLAIN ANALYZE) showing the index.
2. Delivery: a burst of reminders all due at one instant, sent by `tick()` through the Bot API emulator
   with its flood control on (30 a second overall, 3 a second per chat): messages per second and the
   emulator's 429 answers. Then a second burst while three users chat with the bot (/help, each about
   twice a second): their replies share the 30 a second, and their latency is compared with the same
   users chatting while the bot is idle. The project's PriorityRateLimiter is compared with
   python-telegram-bot's AIORateLimiter set on the whole application (the same run, the same database
   kind). Bot, emulator and users share one process and one core, as in the end-to-end tests.

SQLite runs in a temporary file; PostgreSQL (when BENCH_DATABASE_URL is set) in a scratch schema of that
database, dropped afterwards. Figures are printed next to their targets; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, insert, text
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update
from telegram.ext import AIORateLimiter, BaseRateLimiter

from bot.app import BotApplication, build_application
from bot.config import Settings
from bot.db.enums import EnrollmentStatus
from bot.db.migrate import upgrade
from bot.db.models import User, UserProgramEnrollment
from bot.db.session import create_engine, create_sessionmaker
from bot.jobs.reminders import tick, unschedule_jobs
from bot.ratelimit import PriorityRateLimiter
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.harness import emulator_settings
from bot.services import reminders
from bot.services.program_format import parse_program
from bot.services.seed import ensure_system_user, import_program, seed_reference_data

ZONES: tuple[str, ...] = (
    "UTC", "Europe/London", "Europe/Lisbon", "Europe/Berlin", "Europe/Paris", "Europe/Madrid",
    "Europe/Rome", "Europe/Warsaw", "Europe/Athens", "Europe/Kyiv", "Europe/Istanbul", "Europe/Moscow",
    "Africa/Cairo", "Africa/Lagos", "Africa/Johannesburg", "Africa/Nairobi", "Asia/Dubai", "Asia/Tehran",
    "Asia/Karachi", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Dhaka", "Asia/Bangkok", "Asia/Jakarta",
    "Asia/Singapore", "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Manila", "Asia/Seoul", "Asia/Tokyo",
    "Australia/Perth", "Australia/Adelaide", "Australia/Sydney", "Pacific/Auckland", "Pacific/Honolulu",
    "America/Anchorage", "America/Los_Angeles", "America/Denver", "America/Phoenix", "America/Chicago",
    "America/Mexico_City", "America/New_York", "America/Toronto", "America/Bogota", "America/Lima",
    "America/Caracas", "America/Santiago", "America/Sao_Paulo", "America/Buenos_Aires", "America/St_Johns",
)  # fmt: skip
TIMES = tuple(clock_time(6 + quarter // 4, 15 * (quarter % 4)) for quarter in range(13))  # 06:00..09:00
NOW = datetime(2026, 3, 3, 6, 0, tzinfo=UTC)  # a Tuesday: mornings from Moscow to Lisbon
BACKLOG = timedelta(minutes=30)  # due: reminders of the last half hour (a busy moment)
DUE_QUERY_TARGET_MS = 200.0
RATE_TARGET = 28.0
PROGRAM = """
name: Bench Program
description: One workout a day.
difficulty: beginner
visibility: PUBLIC
categories: [strength]
tags: [barbell]
schedule: {length_days: 2, rest_days_per_week: 0}
workouts:
  a:
    name: Workout A
    estimated_minutes: 45
    exercises:
      - {exercise: back-squat, sets: 3, reps: 5, weight_kg: 60, rest: 120}
days:
  - {day: 1, workouts: [a]}
  - {day: 2, workouts: [a]}
"""

log = logging.getLogger("bench.reminders")


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (`fraction` in 0..1); NaN when there are none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


# --- databases -----------------------------------------------------------------------------------------


@asynccontextmanager
async def scratch_database(kind: str, pg_url: str | None) -> AsyncIterator[AsyncEngine]:
    """A migrated, empty database: a temporary SQLite file, or a scratch schema in `pg_url`."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as directory:
            engine = create_engine(f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}")
            try:
                await upgrade(engine)
                yield engine
            finally:
                await engine.dispose()
        return
    assert pg_url is not None
    schema = f"bench_reminders_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg_url)
    async with admin.begin() as connection:
        await connection.execute(text(f"CREATE SCHEMA {schema}"))
    engine = create_engine(pg_url, connect_args={"server_settings": {"search_path": schema}})
    try:
        await upgrade(engine)
        yield engine
    finally:
        await engine.dispose()
        async with admin.begin() as connection:
            await connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        await admin.dispose()


async def seed_program(engine: AsyncEngine) -> tuple[uuid.UUID, uuid.UUID]:
    """The reference data and one program; (program id, system user id)."""
    async with create_sessionmaker(engine)() as session, session.begin():
        await seed_reference_data(session)
        owner = await ensure_system_user(session)
        program = await import_program(session, parse_program(PROGRAM), owner=owner)
        return program.id, owner.id


async def bulk_users(
    engine: AsyncEngine,
    program_id: uuid.UUID,
    people: Sequence[tuple[int, str, clock_time]],
    *,
    scheduled_from: datetime,
    chunk: int = 5000,
) -> None:
    """Users (telegram id, zone, reminder time), each ACTIVE in the program from today, their reminder
    scheduled from `scheduled_from` on: Core executemany inserts."""
    stamp = datetime.now(UTC)
    users: list[dict[str, Any]] = []
    enrollments: list[dict[str, Any]] = []
    for telegram_id, zone, at in people:
        user_id = uuid.uuid4()
        users.append(
            {
                "id": user_id,
                "telegram_id": telegram_id,
                "chat_id": telegram_id,
                "first_name": f"User {telegram_id}",
                "timezone": zone,
                "reminder_time": at,
                "reminders_enabled": True,
                "rest_timer_enabled": True,
                "weekly_summary_enabled": False,
                "next_reminder_at": reminders.first_occurrence(zone, at, scheduled_from),
                "next_rollover_at": reminders.first_occurrence(zone, clock_time(0), NOW),
                "next_summary_at": None,
                "created_at": stamp,
                "updated_at": stamp,
                "is_active": True,
            }
        )
        enrollments.append(
            {
                "id": uuid.uuid4(),
                "user_id": user_id,
                "program_id": program_id,
                "enrollment_status": EnrollmentStatus.ACTIVE,
                "start_date": date(2026, 3, 2),
                "current_day": 1,
                "created_by": user_id,
                "created_at": stamp,
                "updated_at": stamp,
                "is_active": True,
            }
        )
    async with engine.begin() as connection:
        for start in range(0, len(users), chunk):
            await connection.execute(insert(User), users[start : start + chunk])
        for start in range(0, len(enrollments), chunk):
            await connection.execute(insert(UserProgramEnrollment), enrollments[start : start + chunk])


async def analyze(engine: AsyncEngine) -> None:
    if engine.dialect.name == "postgresql":
        async with engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(text("VACUUM ANALYZE app_user"))
    else:
        async with engine.begin() as connection:
            await connection.execute(text("ANALYZE"))


# --- part 1: the due query -----------------------------------------------------------------------------


@dataclass
class QueryResult:
    database: str
    users: int
    due: int
    batch_ms: float
    all_due_ms: float
    plan: list[str]


async def _timed(engine: AsyncEngine, statement: Any, runs: int) -> tuple[float, int]:
    """Median milliseconds of `runs` executions (each on a fresh connection checkout), and the rows."""
    times: list[float] = []
    rows = 0
    for _ in range(runs):
        async with engine.connect() as connection:
            began = time.perf_counter()
            rows = len((await connection.execute(statement)).all())
            times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), rows


async def query_plan(engine: AsyncEngine, statement: Any) -> list[str]:
    """EXPLAIN QUERY PLAN (SQLite) / EXPLAIN ANALYZE (PostgreSQL) of the statement as it is executed."""
    captured: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, sql: str, parameters: Any, _context: Any, _many: bool) -> None:
        captured.append((sql, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", capture)
    try:
        async with engine.connect() as connection:
            await connection.execute(statement)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", capture)
    sql, parameters = captured[-1]
    prefix = "EXPLAIN ANALYZE " if engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN "
    async with engine.connect() as connection:
        result = await connection.exec_driver_sql(prefix + sql, parameters)
        rows = result.all()
    if engine.dialect.name == "postgresql":
        return [row[0] for row in rows]
    return [str(row[-1]) for row in rows]


async def bench_due_query(kind: str, pg_url: str | None, users: int, runs: int) -> QueryResult:
    rng = random.Random(5)
    people = [(10_000_000 + i, ZONES[i % len(ZONES)], rng.choice(TIMES)) for i in range(users)]
    async with scratch_database(kind, pg_url) as engine:
        program_id, _owner = await seed_program(engine)
        began = time.perf_counter()
        await bulk_users(engine, program_id, people, scheduled_from=NOW - BACKLOG)
        inserted = time.perf_counter() - began
        await analyze(engine)
        print(f"  {kind}: {users:,} users and enrollments inserted in {inserted:.1f} s")
        batch = reminders.due_query("reminder", NOW, limit=200)
        everything = reminders.due_query("reminder", NOW, limit=users)
        await _timed(engine, batch, 2)  # warm the cache
        batch_ms, _ = await _timed(engine, batch, runs)
        all_ms, due = await _timed(engine, everything, runs)
        plan = await query_plan(engine, batch)
    return QueryResult(kind, users, due, batch_ms, all_ms, plan)


def print_query(result: QueryResult) -> None:
    verdict = "OK" if result.batch_ms < DUE_QUERY_TARGET_MS else "OVER"
    print(
        f"  {result.database:<10} {result.users:>8,} users {result.due:>6,} due | one batch (200): "
        f"{result.batch_ms:7.2f} ms (target < {DUE_QUERY_TARGET_MS:.0f} ms: {verdict}) | "
        f"all {result.due:,} due rows: {result.all_due_ms:7.2f} ms"
    )
    print("    plan:")
    for line in result.plan:
        print(f"      {line}")


# --- part 2: delivery ----------------------------------------------------------------------------------


@dataclass
class Burst:
    """One burst of reminders: how many went out, how fast, how many 429s the emulator answered."""

    due: int
    sent: int
    seconds: float
    rate: float
    too_many: int
    replies: int = 0


@dataclass
class DeliveryResult:
    label: str
    quiet: Burst
    chatting: Burst
    retried: int | None
    idle_ms: list[float]
    burst_ms: list[float]


class AppWideAIO(AIORateLimiter):
    """PTB's AIORateLimiter (30/s overall, retries 429s) for every request; the reminder job's
    rate_limit_args (which this limiter does not know) are ignored."""

    def __init__(self) -> None:
        super().__init__(max_retries=5)

    async def process_request(
        self,
        callback: Any,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Any,
    ) -> Any:
        return await super().process_request(callback, args, kwargs, endpoint, data, None)


@asynccontextmanager
async def polling_bot(
    emulator: BotApiEmulator, engine: AsyncEngine, limiter: BaseRateLimiter[Any]
) -> AsyncIterator[BotApplication]:
    """The real application, polling the emulator, the tick jobs taken out (ticks are run here)."""
    settings = emulator_settings(Settings(_env_file=None, database_url="sqlite+aiosqlite://"), emulator)  # type: ignore[call-arg]
    app = build_application(
        settings, token=emulator.make_token(), engine=engine, persistence=False, rate_limiter=limiter
    )
    unschedule_jobs(app)
    app.bot_data.clock = lambda: NOW
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=10, allowed_updates=Update.ALL_TYPES)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


async def probe(emulator: BotApiEmulator, chats: Sequence[int], stop: Callable[[], bool]) -> list[float]:
    """Users sending /help one after another (each about twice a second, under the per-chat limit)
    until `stop()`; the reply latencies (ms)."""
    latencies: list[float] = []
    users = [emulator.user(chat) for chat in chats]
    while not stop():
        for user in users:
            began = time.perf_counter()
            await user.send("/help", timeout=60)
            latencies.append((time.perf_counter() - began) * 1000)
            await asyncio.sleep(0.2)
    return latencies


def _due_at(instant: datetime, zone: str) -> clock_time:
    """The reminder time that makes a user in `zone` due at `instant`."""
    return instant.astimezone(ZoneInfo(zone)).time().replace(tzinfo=None)


async def _burst(app: BotApplication, emulator: BotApiEmulator, chats: Sequence[int], at: datetime) -> Burst:
    """Run the tick at `at`; the burst's figures (rate: from the first reminder landing to the last)."""
    emulator.stats.reset()
    began = time.perf_counter()
    report = await tick(app, at)
    seconds = time.perf_counter() - began
    landed = sorted(message.date for chat in chats for message in emulator.messages(chat))
    spread = (landed[-1] - landed[0]).total_seconds() if len(landed) > 1 else math.nan
    rate = (len(landed) - 1) / spread if spread and spread > 0 else math.nan
    return Burst(len(chats), report.sent, seconds, rate, emulator.stats.too_many_requests)


async def bench_delivery(
    kind: str, pg_url: str | None, due: int, label: str, limiter: BaseRateLimiter[Any]
) -> DeliveryResult:
    """Two bursts of `due` reminders: one with nobody chatting, one while three users chat."""
    zones = [ZONES[i % len(ZONES)] for i in range(due)]
    first = [(20_000_000 + i, zone, _due_at(NOW, zone)) for i, zone in enumerate(zones)]
    later = NOW + timedelta(minutes=1)
    second = [(30_000_000 + i, zone, _due_at(later, zone)) for i, zone in enumerate(zones)]
    async with scratch_database(kind, pg_url) as engine, BotApiEmulator(rate_limit=True) as emulator:
        program_id, _owner = await seed_program(engine)
        await bulk_users(engine, program_id, first + second, scheduled_from=NOW)
        for telegram_id, _zone, _at in first + second:
            emulator.add_user(telegram_id, first_name=f"User {telegram_id}")
        probes = [emulator.add_user(first_name=f"Probe {i}").chat_id for i in range(3)]
        async with polling_bot(emulator, engine, limiter) as app:
            quiet = await _burst(app, emulator, [chat for chat, _, _ in first], NOW)
            deadline = time.perf_counter() + 2.0
            idle = await probe(emulator, probes, lambda: time.perf_counter() > deadline)
            done = asyncio.Event()
            prober = asyncio.create_task(probe(emulator, probes, done.is_set))
            chats = [chat for chat, _, _ in second]
            chatting = await _burst(app, emulator, chats, later)
            done.set()
            during = await prober
            chatting.replies = len(during)
            chatting.too_many = emulator.stats.too_many_requests
            return DeliveryResult(label, quiet, chatting, getattr(limiter, "retried", None), idle, during)


def print_delivery(result: DeliveryResult) -> None:
    quiet, chatting = result.quiet, result.chatting
    verdict = "OK" if quiet.rate >= RATE_TARGET and quiet.too_many == 0 else "MISSED"
    print(
        f"  {result.label}\n"
        f"    quiet:    {quiet.sent:>4}/{quiet.due} sent in {quiet.seconds:5.1f} s, {quiet.rate:5.1f} msg/s "
        f"(target >= {RATE_TARGET:.0f}), 429 answers {quiet.too_many} (target 0) -> {verdict}"
    )
    replies_rate = chatting.replies / chatting.seconds if chatting.seconds else math.nan
    print(
        f"    chatting: {chatting.sent:>4}/{chatting.due} sent in {chatting.seconds:5.1f} s, "
        f"{chatting.rate:5.1f} msg/s while 3 users chat (~{replies_rate:.1f} replies/s share the 30/s), "
        f"429 answers {chatting.too_many}; retried by the limiter: "
        f"{'not counted' if result.retried is None else result.retried}"
    )
    idle50, burst50 = percentile(result.idle_ms, 0.5), percentile(result.burst_ms, 0.5)
    print(
        f"    /help reply, bot idle: p50 {idle50:6.1f} ms, p95 {percentile(result.idle_ms, 0.95):6.1f} ms | "
        f"during the burst: p50 {burst50:6.1f} ms, p95 {percentile(result.burst_ms, 0.95):6.1f} ms, "
        f"max {max(result.burst_ms, default=math.nan):6.1f} ms ({len(result.burst_ms)} replies; "
        f"p50 x{burst50 / idle50:.1f} of idle)"
    )


# --- main ----------------------------------------------------------------------------------------------


async def run(quick: bool, pg_url: str | None) -> None:
    users = 20_000 if quick else 100_000
    burst = 150 if quick else 600
    runs = 5 if quick else 9
    kinds = ["sqlite"] + (["postgresql"] if pg_url else [])
    print(f"workout-bot reminders benchmark ({'quick' if quick else 'full'}), {os.cpu_count()} CPUs")
    if not pg_url:
        print("  (PostgreSQL skipped: set BENCH_DATABASE_URL to a scratch database to include it)")
    print(f"\n1. the due query: {users:,} users in {len(ZONES)} zones, now = {NOW:%Y-%m-%d %H:%M} UTC")
    results = [await bench_due_query(kind, pg_url, users, runs) for kind in kinds]
    for result in results:
        print_query(result)
    print(
        f"\n2. delivery: {burst} reminders due at once, emulator flood control on (30/s, 3/s per chat); "
        f"then {burst} more while 3 users chat (/help, each about twice a second)"
    )
    deliveries = [
        await bench_delivery(kind, pg_url, burst, f"{kind}, PriorityRateLimiter", PriorityRateLimiter())
        for kind in kinds
    ]
    deliveries.append(
        await bench_delivery("sqlite", pg_url, burst, "sqlite, PTB AIORateLimiter (app-wide)", AppWideAIO())
    )
    for delivery in deliveries:
        print_delivery(delivery)
    base, other = deliveries[0], deliveries[-1]
    print(
        f"\n  /help p50 during the burst, AIORateLimiter / PriorityRateLimiter: "
        f"x{percentile(other.burst_ms, 0.5) / percentile(base.burst_ms, 0.5):.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer users and a smaller burst")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="a scratch PostgreSQL URL (default: $BENCH_DATABASE_URL); a schema is created and dropped",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    url = args.postgres
    if url and url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+asyncpg://" + url.split("://", 1)[1]
    asyncio.run(run(args.quick, url))


if __name__ == "__main__":
    main()
