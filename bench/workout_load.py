"""Benchmark: 100 trainees logging a whole workout at once against the real bot, on SQLite and PostgreSQL.

    .venv/bin/python -m bench.workout_load                       # 100 trainees, both databases
    .venv/bin/python -m bench.workout_load --quick               # 30 trainees, a 10 s budget each
    .venv/bin/python -m bench.workout_load --database sqlite     # one database only
    .venv/bin/python -m bench.workout_load --transport httpx     # the bot on PTB's default transport
    .venv/bin/python -m bench.workout_load --processes 1,2       # 1 and 2 webhook processes, PostgreSQL

The real application (`build_application` through `bot.sandbox.harness.running_bot`, polling, the
project's `AiohttpRequest` for both requests unless --transport httpx) runs against the in-process Bot API
emulator. Each simulated trainee has a PLANNED session of "Workout A" (Barbell Back Squat 3x5, Plank
2x45s) and is shown its Start button; then all trainees run at once, each sending its next update as soon
as the bot has finished the previous one (closed loop, `track=True`: the harness marks an update processed
when the bot's `process_update` returns, so a trainee never acts on a half-drawn screen). The 18 updates
of a trainee: Start; a warm-up, sets typed ("60x5x2", "62.5x5", "45s", "1:30") and tapped ("✓ ...",
"↻ Same again"); an Undo; Next, a difficulty rating tapped and one typed; Finish, effort, soreness and a
note. Eight sets stay logged per trainee. Each step is checked (the toast or message that confirms it);
the first failure stops that trainee.

Setup (not timed): a fresh database (a temporary SQLite file, or a scratch PostgreSQL database created
and dropped here), migrated, the catalog seeded, the tests' mini program, the trainees registered (time
zones around the world, reminders off: bench.reminders measures those) and enrolled today; one extra
trainee does the whole workout first as a warm-up. No trainee starts a step after the time budget
(--budget, 70 s per database by default), so a slow bot cannot make the run long; the updates done by
then are measured.

Printed per database: updates, updates/s, sets saved/s, p50/p99 latency (inject -> processed), CPU time
and SQL statements per update; the sets the trainees saw confirmed against the rows in user_exercise_set
("lost" = expected - actual) and completed workouts; failures (timeouts, unexpected replies, the bot's
apology, alerts) and ERROR log records of the bot, PTB, aiohttp and asyncio. In the same run the bare
echo bot (bench.echo) with the same load shape gives the baseline, for PTB's default transport and
AiohttpRequest; the ratios bot/echo are printed, then our figures next to the issue's targets.

Nothing asserts on timings. The exit status is 0 unless the run crashed (2) or lost data (1: confirmed
sets missing or duplicated, or fewer completed workouts in the database than trainees were told).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import math
import os
import sys
import tempfile
import time
import traceback
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bench.bot_cluster import bot_cluster
from bench.bot_process import remote_bot
from bench.echo import (
    TRANSPORTS,
    EchoResult,
    SignalEmulator,
    Transport,
    busy_share,
    format_share,
    machine_summary,
    machine_ticks,
    new_request,
    percentile,
    run_echo,
    source_revision,
)
from bot.app import BotApplication
from bot.config import Settings
from bot.db.enums import SessionStatus
from bot.db.migrate import upgrade
from bot.db.models import UserExerciseSet, UserProgramEnrollment, UserWorkoutSession
from bot.db.session import create_engine, create_sessionmaker
from bot.sandbox.emulator import SentMessage
from bot.sandbox.harness import running_bot
from bot.services.enrollment import enroll
from bot.services.timezones import local_today
from bot.services.users import TelegramProfile, register_user
from bot.ui import texts
from bot.ui.callback import workout_skip, workout_start
from tests.factories import make_program, seed_catalog

Database = Literal["sqlite", "postgres"]
DATABASES: tuple[Database, ...] = ("sqlite", "postgres")
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
STEP_TIMEOUT = 30.0
"""Seconds a trainee waits for the bot to finish one update before it counts a timeout and stops."""
SETTLE_TIMEOUT = 60.0
"""Seconds more it waits for that update, so that its sets are accounted for either way."""
ZONES = (
    "Europe/Berlin",
    "America/New_York",
    "Asia/Tokyo",
    "Australia/Sydney",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Europe/London",
    "Pacific/Auckland",
    "UTC",
    "America/Los_Angeles",
)
WATCHED_LOGGERS = ("bot", "telegram", "aiohttp", "asyncio")
TRANSPORT_NAMES: dict[Transport, str] = {"aiohttp": "AiohttpRequest", "httpx": "PTB's default HTTPXRequest"}

# The figures (#14): a peer workout bot (aiogram, SQLAlchemy, SQLite) at 100 trainees.
PEER_UPDATES_PER_S = 293
PEER_P99_MS = 4200
PEER_LOST_PERCENT = "4.5-13"
TARGET_UPDATES_PER_S = 2 * PEER_UPDATES_PER_S
TARGET_P99_MS = 250
TARGET_CPU_RATIO = {"sqlite": 4.0, "postgres": 5.0}
"""CPU per update of the bot process, at most this many times the bare echo bot's (its own process)."""


# ------------------------------------------------------------------------------------------------- the script


@dataclass(frozen=True)
class Step:
    """One update a trainee sends: a typed text or a button press, and what confirms it.

    `expect` must appear in the callback answer (`in_answer`) or in a message the bot sent or edited for
    this update; `sets` is how many sets the trainee then believes were added (negative: removed).
    """

    text: str
    press: bool = False
    prefix: bool = False
    expect: str = ""
    in_answer: bool = False
    sets: int = 0

    @property
    def label(self) -> str:
        """How the step reads in a failure report."""
        return f"press {self.text!r}" if self.press else f"send {self.text!r}"


WORKOUT: tuple[Step, ...] = (
    Step("▶ Start", press=True, expect="exercise 1 of 2"),
    Step("w 40x10", expect="✅ Logged", sets=1),
    Step("✓", press=True, prefix=True, expect="✅ Logged", in_answer=True, sets=1),
    Step("60x5x2", expect="✅ Logged", sets=2),
    Step("↻ Same again", press=True, expect="✅ Logged", in_answer=True, sets=1),
    Step("62.5x5", expect="✅ Logged", sets=1),
    Step("↶ Undo", press=True, expect="Removed set", in_answer=True, sets=-1),
    Step("Next ▶", press=True, expect="How hard was"),
    Step("7", press=True, expect="exercise 2 of 2"),
    Step("45s", expect="✅ Logged", sets=1),
    Step("✓", press=True, prefix=True, expect="✅ Logged", in_answer=True, sets=1),
    Step("1:30", expect="✅ Logged", sets=1),
    Step("Next ▶", press=True, expect="How hard was"),
    Step("8", expect="last exercise"),
    Step("🏁 Finish", press=True, expect="How hard was the whole workout"),
    Step("8", press=True, expect="How sore"),
    Step("3", press=True, expect="Anything to note"),
    Step("Great session 💪 <b>not bold</b>", expect="Workout complete"),
)
SETS_PER_WORKOUT = sum(step.sets for step in WORKOUT)


@dataclass
class Trainee:
    """A simulated user: its emulator id, its planned session and what it saw."""

    user_id: int
    session_id: uuid.UUID
    updates: int = 0
    sets_confirmed: int = 0
    sets_unsettled: int = 0
    """Sets added or removed by an update still not processed when the trainee gave up on it."""
    completed: bool = False
    cut: bool = False
    """Stopped by the time budget before the end of the workout (not a failure)."""
    failure: str | None = None
    screens: list[SentMessage] = field(default_factory=list)
    """The bot's messages with buttons from the last step that showed any, newest first."""


@dataclass
class Failures:
    """What went wrong, by kind, with the first few examples."""

    counts: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    def add(self, kind: str, detail: str) -> None:
        """Count one failure of `kind`; keep `detail` among the first examples."""
        self.counts[kind] += 1
        if len(self.examples) < 8:
            self.examples.append(f"{kind}: {detail}")

    @property
    def total(self) -> int:
        """All failures."""
        return sum(self.counts.values())


def _find_button(emulator: SignalEmulator, trainee: Trainee, step: Step) -> tuple[int, str]:
    """(message id, callback data) of the button the step presses: on the screens of the trainee's last
    step with buttons (other messages, such as a reminder, may have come meanwhile), else on the chat's
    latest message with buttons."""
    latest = emulator.keyboard_message(trainee.user_id)
    candidates = [*trainee.screens, *([latest] if latest is not None else [])]
    for message in candidates:
        for row in message.inline_keyboard:
            for button in row:
                label = str(button.get("text", ""))
                matches = label.startswith(step.text) if step.prefix else label == step.text
                if matches and "callback_data" in button:
                    return message.message_id, str(button["callback_data"])
    shown = [(message.content[:50], message.buttons) for message in candidates]
    raise LookupError(f"{step.label}: no such button; the screens were {shown}")


def _problem(emulator: SignalEmulator, trainee: Trainee, step: Step) -> tuple[str, str] | None:
    """None when the bot confirmed the step as expected, else (failure kind, what it showed instead)."""
    shown = [message.content for message in emulator.step_messages(trainee.user_id)]
    if any(texts.APOLOGY in content for content in shown):
        return "bot error message", f"{step.label}: the bot apologised"
    if step.in_answer:
        answers = emulator.callback_answers(trainee.user_id)
        answer = answers[-1] if answers else None
        text = (answer.text or "") if answer else ""
        if step.expect in text:
            return None
        kind = "alert" if answer is not None and answer.show_alert else "unexpected reply"
        return kind, f"{step.label}: expected {step.expect!r}, got the answer {text!r}"
    if any(step.expect in content for content in shown):
        return None
    return "unexpected reply", f"{step.label}: expected {step.expect!r}, got {[c[:60] for c in shown]}"


async def run_trainee(
    emulator: SignalEmulator,
    trainee: Trainee,
    latencies: list[float],
    failures: Failures,
    deadline: float = math.inf,
) -> None:
    """Do the whole workout as fast as the bot allows, starting no step after `deadline` (perf_counter).

    The first failure stops the trainee. An update not processed within STEP_TIMEOUT is a failure, but
    the trainee still waits up to SETTLE_TIMEOUT for it, so that its sets can be accounted for.
    """
    chat_id = trainee.user_id
    for step in WORKOUT:
        if time.perf_counter() >= deadline:
            trainee.cut = True
            return
        try:
            target = _find_button(emulator, trainee, step) if step.press else None
        except LookupError as error:
            trainee.failure = str(error)
            failures.add("unexpected reply", trainee.failure)
            return
        emulator.start_step(chat_id)
        injected = time.perf_counter()
        if target is not None:
            update = emulator.inject_callback(trainee.user_id, *target)
        else:
            update = emulator.inject_message(trainee.user_id, step.text)
        trainee.updates += 1
        processed = emulator.processed(int(update["update_id"]))
        try:
            done = await asyncio.wait_for(asyncio.shield(processed), STEP_TIMEOUT)
        except TimeoutError:
            trainee.failure = f"{step.label}: not processed within {STEP_TIMEOUT:g} s"
            failures.add("timeout", trainee.failure)
            try:
                done = await asyncio.wait_for(processed, SETTLE_TIMEOUT)
            except TimeoutError:
                trainee.sets_unsettled += abs(step.sets)
                return
        latencies.append(done - injected)
        problem = _problem(emulator, trainee, step)
        if problem is not None:
            if trainee.failure is None:
                trainee.failure = problem[1]
                failures.add(*problem)
            return
        trainee.sets_confirmed += step.sets
        screens = [
            message for message in reversed(emulator.step_messages(chat_id)) if message.inline_keyboard
        ]
        trainee.screens = screens or trainee.screens
        if trainee.failure is not None:  # a late but successful update: counted, then stop
            return
    trainee.completed = True


# ------------------------------------------------------------------------------------------------ databases


@asynccontextmanager
async def scratch_database(kind: Database, postgres_dsn: str) -> AsyncIterator[str]:
    """A new, empty database for one run (SQLAlchemy URL); removed afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="wb_bench_") as directory:
            yield f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}"
        return
    name = f"wb_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(postgres_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            url = make_url(postgres_dsn).set(drivername="postgresql+asyncpg", database=name)
            yield url.render_as_string(hide_password=False)
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def check_postgres(postgres_dsn: str) -> None:
    """Connect once, so that an unreachable server stops the run before anything is measured."""
    connection = await asyncpg.connect(postgres_dsn, timeout=10)
    await connection.close()


async def prepare(engine: AsyncEngine, emulator: SignalEmulator, count: int) -> list[Trainee]:
    """Migrate, seed, create the program; register and enroll `count` trainees today."""
    await upgrade(engine)
    factory = create_sessionmaker(engine)
    now = datetime.now(UTC)
    trainees: list[Trainee] = []
    async with factory() as session, session.begin():
        await seed_catalog(session)
        program = await make_program(session)
        for number in range(count):
            zone = ZONES[number % len(ZONES)]
            sandbox = emulator.add_user(first_name=f"Trainee {number}", username=f"trainee_{number}")
            profile = TelegramProfile(
                telegram_id=sandbox.user_id, chat_id=sandbox.chat_id, first_name=f"Trainee {number}"
            )
            user = (await register_user(session, profile, default_timezone=zone)).user
            user.onboarded_at = now
            user.reminders_enabled = False  # a reminder is another screen, measured by bench.reminders
            info = await enroll(session, user, program.id, local_today(zone, now), now)
            planned = await session.scalar(
                select(UserWorkoutSession.id).where(
                    UserWorkoutSession.program_enrollment_id == info.id,
                    UserWorkoutSession.session_status == SessionStatus.PLANNED,
                )
            )
            assert planned is not None, "enrolling today planned no session"
            trainees.append(Trainee(sandbox.user_id, planned))
    return trainees


async def offer(bot: Bot, emulator: SignalEmulator, trainee: Trainee) -> SentMessage:
    """The bot shows the Start/Skip buttons of the planned session, as /today and the reminder do;
    returns that message as the emulator holds it."""
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("▶ Start", callback_data=workout_start(trainee.session_id)),
                InlineKeyboardButton("⏭ Skip", callback_data=workout_skip(trainee.session_id)),
            ]
        ]
    )
    sent = await bot.send_message(trainee.user_id, "Today: Workout A", reply_markup=markup)
    return emulator.message(trainee.user_id, sent.message_id)


async def database_counts(engine: AsyncEngine) -> tuple[int, int]:
    """(rows in user_exercise_set, COMPLETED sessions of the trainees' enrollments)."""
    factory = create_sessionmaker(engine)
    async with factory() as session:
        sets = await session.scalar(select(func.count()).select_from(UserExerciseSet))
        completed = await session.scalar(
            select(func.count())
            .select_from(UserWorkoutSession)
            .join(UserProgramEnrollment, UserProgramEnrollment.id == UserWorkoutSession.program_enrollment_id)
            .where(UserWorkoutSession.session_status == SessionStatus.COMPLETED)
        )
    return int(sets or 0), int(completed or 0)


# ------------------------------------------------------------------------------------------------ logging


class _Collect(logging.Handler):
    """Keeps the log records it is given."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@asynccontextmanager
async def collected_errors() -> AsyncIterator[list[logging.LogRecord]]:
    """ERROR (and worse) records of the watched loggers while the block runs."""
    handler = _Collect()
    loggers = [logging.getLogger(name) for name in WATCHED_LOGGERS]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def describe(record: logging.LogRecord) -> str:
    """One line: logger, message and the exception's last line."""
    line = f"{record.name}: {record.getMessage()}"
    if record.exc_info and record.exc_info[1] is not None:
        error = record.exc_info[1]
        line += f" [{type(error).__name__}: {str(error)[:160]}]"
    return line


# --------------------------------------------------------------------------------------------------- a run


@dataclass
class WorkoutResult:
    """One database's run: the timed phase, then what the database holds."""

    database: Database
    trainees: list[Trainee]
    seconds: float
    latencies: list[float]
    sets_actual: int
    completed_actual: int
    failures: Failures
    errors: list[str]
    statements: int
    cpu_seconds: float
    emulator_seconds: float
    machine_busy: float | None
    setup_seconds: float
    bot_process: bool = False
    transactions: int = 0
    sqlite_driver: str = ""
    """SQLite only: ``inline`` (sqlite3 on the event loop's thread, bot.db.sqlite_inline, the default)
    or ``thread`` (aiosqlite's own worker thread)."""
    bot_cpu_seconds: float | None = None
    """The bot process's own CPU time (bot proc runs); in-process runs count the whole process."""
    api_calls: int = 0
    """Bot API calls the bot made in the timed phase (getUpdates excluded)."""

    def as_json(self) -> dict[str, Any]:
        """The run's figures for --json."""
        updates = max(self.updates, 1)
        cpu = self.cpu_seconds if self.bot_cpu_seconds is None else self.bot_cpu_seconds
        return {
            "bench": "workout_load",
            "database": self.database,
            "sqlite_driver": self.sqlite_driver or None,
            "placement": "bot-process" if self.bot_process else "in-process",
            "trainees": len(self.trainees) - 1,
            "updates": self.updates,
            "updates_per_s": round(self.per_second, 1),
            "p50_ms": round(self.p50_ms, 2),
            "p99_ms": round(self.p99_ms, 2),
            "cpu_ms_per_update": round(1000 * cpu / updates, 3),
            "sql_per_update": round(self.statements / updates, 2),
            "transactions_per_update": round(self.transactions / updates, 2),
            "api_calls_per_update": round(self.api_calls / updates, 3),
            "lost_sets": self.lost_sets,
            "extra_sets": self.extra_sets,
            "failures": self.failures.total + len(self.errors),
        }

    processes: int = 0
    """Webhook bot processes (bench.bot_cluster), 0: polling (in-process or bench.bot_process)."""

    @property
    def label(self) -> str:
        """The run's name in the tables: database and where the bot ran."""
        if self.processes:
            return f"{self.database}, {self.processes} webhook"
        driver = " thread" if self.sqlite_driver == "thread" else ""
        return f"{self.database}{driver}, {'bot proc' if self.bot_process else '1 proc'}"

    @property
    def updates(self) -> int:
        """Updates the trainees sent in the timed phase (the warm-up trainee's excluded)."""
        return sum(trainee.updates for trainee in self.trainees[1:])

    @property
    def per_second(self) -> float:
        """Updates processed per second of wall time."""
        return self.updates / self.seconds if self.seconds else 0.0

    @property
    def sets_expected(self) -> int:
        """Sets the trainees (warm-up included) saw confirmed."""
        return sum(trainee.sets_confirmed for trainee in self.trainees)

    @property
    def sets_per_second(self) -> float:
        """Sets saved per second of wall time (those confirmed in the timed phase)."""
        timed = sum(trainee.sets_confirmed for trainee in self.trainees[1:])
        return timed / self.seconds if self.seconds else 0.0

    @property
    def sets_unsettled(self) -> int:
        """Sets whose fate the trainees could not learn (their update was never processed)."""
        return sum(trainee.sets_unsettled for trainee in self.trainees)

    @property
    def lost_sets(self) -> int:
        """Sets the trainees saw confirmed that are not in the database."""
        return max(0, self.sets_expected - self.sets_unsettled - self.sets_actual)

    @property
    def extra_sets(self) -> int:
        """Rows in the database beyond the confirmed sets (logged twice)."""
        return max(0, self.sets_actual - self.sets_expected - self.sets_unsettled)

    @property
    def lost_workouts(self) -> int:
        """Workouts the trainees were told are complete that the database does not hold as COMPLETED."""
        return max(0, sum(trainee.completed for trainee in self.trainees) - self.completed_actual)

    @property
    def completed(self) -> int:
        """Trainees of the timed phase who finished the whole workout."""
        return sum(trainee.completed for trainee in self.trainees[1:])

    @property
    def cut(self) -> int:
        """Trainees of the timed phase stopped by the time budget."""
        return sum(trainee.cut for trainee in self.trainees[1:])

    @property
    def p50_ms(self) -> float:
        """Median latency, milliseconds."""
        return 1000 * percentile(self.latencies, 0.50)

    @property
    def p99_ms(self) -> float:
        """99th percentile latency, milliseconds."""
        return 1000 * percentile(self.latencies, 0.99)

    @property
    def data_lost(self) -> bool:
        """Sets or completed workouts missing, or sets duplicated: a bug."""
        return bool(self.lost_sets or self.extra_sets or self.lost_workouts)


def bench_settings(url: str) -> Settings:
    """The bot's settings for a run: only the database differs from the defaults."""
    return Settings(_env_file=None, database_url=url, default_timezone="UTC", log_level="WARNING")


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
"""Statements that only open or close a transaction: counted as transactions, not as SQL statements."""


class StatementCounter:
    """Counts the SQL statements an engine executes while `counting` is on, and its transactions.

    `count` leaves out transaction control (SQLite's ``BEGIN IMMEDIATE``, savepoints), which PostgreSQL's
    driver sends outside the cursor: the figure is the same kind of thing on both databases.
    `transactions` counts commits and rollbacks of the engine's connections.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.counting = False
        self.count = 0
        self.transactions = 0
        event.listen(engine.sync_engine, "before_cursor_execute", self._seen)
        event.listen(engine.sync_engine, "commit", self._ended)
        event.listen(engine.sync_engine, "rollback", self._ended)

    def _seen(self, _connection: object, _cursor: object, statement: str, *_args: object) -> None:
        if self.counting and not statement.lstrip()[:9].upper().startswith(TRANSACTION_CONTROL):
            self.count += 1

    def _ended(self, *_args: object) -> None:
        if self.counting:
            self.transactions += 1


async def run_workouts(
    database: Database,
    trainees_count: int,
    postgres_dsn: str,
    *,
    budget: float = math.inf,
    transport: Transport = "aiohttp",
    bot_process: bool = False,
    engine_options: dict[str, Any] | None = None,
    configure: Callable[[BotApplication], None] | None = None,
    processes: int = 0,
) -> WorkoutResult:
    """Set up a fresh database, run every trainee's workout at once (no step starts after `budget`
    seconds), then count what the database holds. `transport` "httpx" leaves build_application's default.

    `bot_process`: the bot runs in a child process (bench.bot_process), the emulator and the trainees
    in this one; CPU time then counts both processes. `engine_options` go to
    bot.db.session.create_engine and `configure` to running_bot (in-process only): for experiments.
    `processes` > 0: that many bot processes in webhook mode sharing one port (bench.bot_cluster,
    PostgreSQL only) instead; CPU time then counts all of them.
    """
    bot_process = bot_process or processes > 0
    setup_started = time.perf_counter()
    failures = Failures()
    latencies: list[float] = []
    remote_errors: list[str] = []
    async with (
        scratch_database(database, postgres_dsn) as url,
        SignalEmulator() as emulator,
        collected_errors() as records,
    ):
        engine = create_engine(url, **(engine_options or {}))
        statements = StatementCounter(engine)
        try:
            trainees = await prepare(engine, emulator, trainees_count + 1)
            async with AsyncExitStack() as stack:
                if processes:
                    remote = await stack.enter_async_context(bot_cluster(emulator, url, processes))
                    remote_errors = remote.errors
                    sender = Bot(remote.token, base_url=emulator.base_url, request=new_request("aiohttp"))
                    await stack.enter_async_context(sender)
                elif bot_process:
                    sqlite_thread = (engine_options or {}).get("sqlite_inline") is False
                    remote = await stack.enter_async_context(
                        remote_bot(emulator, url, sqlite_thread=sqlite_thread)
                    )
                    remote_errors = remote.errors
                    sender = Bot(remote.token, base_url=emulator.base_url, request=new_request("aiohttp"))
                    await stack.enter_async_context(sender)
                else:
                    application = await stack.enter_async_context(
                        running_bot(
                            emulator,
                            bench_settings(url),
                            engine=engine,
                            mode="polling",
                            track=True,
                            request=new_request(transport),
                            get_updates_request=new_request(transport),
                            configure=configure,
                        )
                    )
                    sender = application.bot
                for trainee in trainees:
                    trainee.screens = [await offer(sender, emulator, trainee)]
                await run_trainee(emulator, trainees[0], [], failures)  # the warm-up
                setup_seconds = time.perf_counter() - setup_started
                emulator.server_seconds = 0.0
                statements.counting = True
                emulator.api_calls = 0
                remote_before = await remote.counts() if bot_process else (0, 0, 0.0)
                ticks, cpu, started = machine_ticks(), time.process_time(), time.perf_counter()
                await asyncio.gather(
                    *(
                        run_trainee(emulator, trainee, latencies, failures, started + budget)
                        for trainee in trainees[1:]
                    )
                )
                seconds = time.perf_counter() - started
                cpu = time.process_time() - cpu
                busy = busy_share(ticks, machine_ticks())
                statements.counting = False
                emulator_seconds = emulator.server_seconds
                api_calls = emulator.api_calls
                bot_cpu = None
                if bot_process:
                    remote_after = await remote.counts()
                    statements.count = remote_after[0] - remote_before[0]
                    statements.transactions = remote_after[1] - remote_before[1]
                    bot_cpu = remote_after[2] - remote_before[2]
                    cpu += bot_cpu
            # the bot has stopped now, which waits for every update in hand
            sets_actual, completed_actual = await database_counts(engine)
        finally:
            await engine.dispose()
        errors = [describe(record) for record in records] + remote_errors
    return WorkoutResult(
        database=database,
        trainees=trainees,
        seconds=seconds,
        latencies=latencies,
        sets_actual=sets_actual,
        completed_actual=completed_actual,
        failures=failures,
        errors=errors,
        statements=statements.count,
        transactions=statements.transactions,
        bot_cpu_seconds=bot_cpu,
        api_calls=api_calls,
        cpu_seconds=cpu,
        emulator_seconds=emulator_seconds,
        machine_busy=busy,
        setup_seconds=setup_seconds,
        bot_process=bot_process,
        processes=processes,
    )


# ------------------------------------------------------------------------------------------------ printing

HEADER = (
    f"{'case':<18} {'updates':>7} {'seconds':>7} {'updates/s':>9} {'sets/s':>6} {'p50 ms':>7} {'p99 ms':>7} "
    f"{'CPU ms/upd':>10} {'SQL/upd':>7} {'proc CPU':>8} {'machine':>7} {'emulator':>8} {'fail':>4} "
    f"{'errors':>6}"
)
LEGEND = (
    "latency: inject -> the bot's process_update returned (echo: -> its reply reached the emulator). "
    "CPU ms/upd: this process's\nCPU time (bot, emulator, simulated users) per update; SQL/upd: statements "
    "the bot ran per update; proc CPU: this process\nas a share of one core; machine: all CPUs busy "
    "meanwhile (PostgreSQL and anything else running); emulator: wall time\ninside its request handlers; "
    "fail: trainees stopped by a timeout, an unexpected reply or the bot's apology; errors: ERROR logs."
)


def echo_row(result: EchoResult, label: str | None = None) -> str:
    """A table row for an echo baseline."""
    return (
        f"{label or 'echo, ' + result.transport:<18} {result.updates:>7} {result.seconds:7.2f} "
        f"{result.per_second:9.0f} {'':>6} {result.p50_ms:7.1f} {result.p99_ms:7.1f} "
        f"{1000 * result.cpu_seconds / max(result.updates, 1):10.2f} {'':>7} "
        f"{format_share(result.cpu_seconds / result.seconds):>8} {format_share(result.machine_busy):>7} "
        f"{format_share(result.emulator_share):>8} {result.timeouts:>4} {'':>6}"
    )


def workout_row(result: WorkoutResult, label: str | None = None) -> str:
    """A table row for a workout run."""
    stopped = sum(trainee.failure is not None for trainee in result.trainees)
    return (
        f"{label or result.label:<18} {result.updates:>7} {result.seconds:7.2f} "
        f"{result.per_second:9.0f} {result.sets_per_second:6.0f} {result.p50_ms:7.1f} {result.p99_ms:7.1f} "
        f"{1000 * result.cpu_seconds / max(result.updates, 1):10.2f} "
        f"{result.statements / max(result.updates, 1):7.1f} "
        f"{format_share(result.cpu_seconds / result.seconds):>8} {format_share(result.machine_busy):>7} "
        f"{format_share(result.emulator_seconds / result.seconds):>8} {stopped:>4} {len(result.errors):>6}"
    )


def print_details(result: WorkoutResult) -> None:
    """The database check, the failures and the error records of a run."""
    timed = len(result.trainees) - 1
    print(
        f"  {result.label}: {result.completed}/{timed} trainees finished the workout"
        + (f", {result.cut} stopped by the time budget" if result.cut else "")
        + f"; sets confirmed {result.sets_expected}, in user_exercise_set {result.sets_actual}: "
        f"lost {result.lost_sets}"
        + (f", EXTRA {result.extra_sets}" if result.extra_sets else "")
        + f" (warm-up trainee included; setup {result.setup_seconds:.1f} s)"
    )
    if result.lost_workouts:
        print(f"    {result.lost_workouts} workouts shown complete are not COMPLETED in the database")
    if result.failures.total:
        kinds = ", ".join(f"{kind} {count}" for kind, count in result.failures.counts.items())
        print(f"    failures: {kinds}")
        for example in result.failures.examples:
            print(f"      {example}")
    if result.errors:
        print(f"    {len(result.errors)} ERROR log records:")
        for line, count in Counter(result.errors).most_common(8):
            print(f"      {count} x {' '.join(line.split())[:300]}")


def cpu_ratio(result: WorkoutResult, echo: EchoResult) -> float:
    """CPU per update against the echo's: the bot processes' own when both ran in one, else the whole
    process's (emulator and users included)."""
    if result.bot_cpu_seconds is not None and echo.bot_cpu_seconds is not None:
        return (result.bot_cpu_seconds / max(result.updates, 1)) / (echo.bot_cpu_ms_per_update / 1000)
    return (result.cpu_seconds / max(result.updates, 1)) / (echo.cpu_seconds / max(echo.updates, 1))


def ratios(result: WorkoutResult, echo: EchoResult) -> str:
    """Throughput, latency and CPU per update of a workout run relative to an echo baseline."""
    return (
        f"throughput {result.per_second / echo.per_second:5.3f}x, p50 {result.p50_ms / echo.p50_ms:6.1f}x, "
        f"p99 {result.p99_ms / echo.p99_ms:6.1f}x, CPU per update {cpu_ratio(result, echo):5.1f}x"
    )


def print_targets(results: list[WorkoutResult], echo: EchoResult | None = None) -> None:
    """Our figures next to the peer bot's and the issue's targets."""
    print(
        f"\nThe issue (#14): a peer workout bot (aiogram, SQLAlchemy, SQLite) handles about "
        f"{PEER_UPDATES_PER_S} updates/s in such a flow, with a p99 of {PEER_P99_MS / 1000:g} s, and loses "
        f"{PEER_LOST_PERCENT}% of the sets.\nTargets (100 trainees, bot in its own process): at least "
        f"{TARGET_UPDATES_PER_S} updates/s, p99 under {TARGET_P99_MS} ms, zero lost sets, CPU per update at "
        "most 4x the echo bot's (SQLite), 5x (PostgreSQL)."
    )

    def verdict(ok: bool) -> str:
        return "ok" if ok else "MISS"

    print(f"{'':<14} {'peer bot':>10} {'target':>10}" + "".join(f" {r.label:>16} {'':>4}" for r in results))
    rows = [
        (
            "updates/s",
            str(PEER_UPDATES_PER_S),
            f">= {TARGET_UPDATES_PER_S}",
            [(f"{r.per_second:.0f}", r.per_second >= TARGET_UPDATES_PER_S) for r in results],
        ),
        (
            "p99 latency",
            f"{PEER_P99_MS} ms",
            f"< {TARGET_P99_MS} ms",
            [(f"{r.p99_ms:.0f} ms", r.p99_ms < TARGET_P99_MS) for r in results],
        ),
        (
            "lost",
            f"{PEER_LOST_PERCENT}% wkts",
            "0 sets",
            [(f"{r.lost_sets} sets", not r.data_lost) for r in results],
        ),
        (
            "failures",
            "",
            "0",
            [(str(r.failures.total + len(r.errors)), not r.failures.total and not r.errors) for r in results],
        ),
    ]
    if echo is not None:
        rows.append(
            (
                "CPU / echo",
                "",
                "<= 4x / 5x",
                [
                    (f"{cpu_ratio(r, echo):.1f}x", cpu_ratio(r, echo) <= TARGET_CPU_RATIO[r.database])
                    for r in results
                ],
            )
        )
    for name, peer, target, ours in rows:
        cells = "".join(f" {value:>16} {verdict(ok):>4}" for value, ok in ours)
        print(f"{name:<14} {peer:>10} {target:>10}{cells}")


async def _run(
    databases: tuple[Database, ...],
    trainees: int,
    budget: float,
    transport: Transport,
    postgres_dsn: str,
    placements: tuple[bool, ...] = (False, True),
    as_json: bool = False,
    sqlite_drivers: tuple[str, ...] = ("inline",),
) -> int:
    if "postgres" in databases:
        try:
            await check_postgres(postgres_dsn)
        except (OSError, TimeoutError, asyncpg.PostgresError) as error:
            shown = make_url(postgres_dsn).render_as_string(hide_password=True)
            print(f"cannot reach PostgreSQL at {shown}: {error} (use --postgres DSN or --database sqlite)")
            return 2
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(logging.WARNING)
    print(
        f"{machine_summary()}; {trainees} trainees x {len(WORKOUT)} updates ({SETS_PER_WORKOUT} sets "
        f"each), time budget {budget:g} s per database;\nthe bot ({source_revision()}) on "
        f"{TRANSPORT_NAMES[transport]}, polling; echo: {trainees} users x {len(WORKOUT)} messages, "
        "concurrent_updates 256"
    )
    print(LEGEND)
    print(HEADER, flush=True)
    echoes: dict[Transport, EchoResult] = {}
    for echo_transport in TRANSPORTS:
        echoes[echo_transport] = await run_echo(echo_transport, 256, trainees, len(WORKOUT))
        print(echo_row(echoes[echo_transport]), flush=True)
    echo_alone: EchoResult | None = None
    if True in placements:
        echo_alone = await run_echo("aiohttp", 256, trainees, len(WORKOUT), bot_process=True)
        print(echo_row(echo_alone, "echo, bot proc"), flush=True)
    results: list[WorkoutResult] = []
    for database in databases:
        for driver in sqlite_drivers if database == "sqlite" else ("",):
            for bot_process in placements:
                options = {"sqlite_inline": False} if driver == "thread" else None
                result = await run_workouts(
                    database,
                    trainees,
                    postgres_dsn,
                    budget=budget,
                    transport=transport,
                    bot_process=bot_process,
                    engine_options=options,
                )
                result.sqlite_driver = driver
                results.append(result)
                print(workout_row(result), flush=True)
    print()
    for result in results:
        print_details(result)
    print("\nbot / echo baseline")
    for result in results:
        for transport, echo in echoes.items():
            print(f"  {result.label:<18} / echo {transport:<7} {ratios(result, echo)}")
        if result.bot_process and echo_alone is not None:
            print(f"  {result.label:<18} / echo bot proc {ratios(result, echo_alone)}")
    for result in results:
        if result.bot_cpu_seconds is not None:
            bot_cpu_ms = 1000 * result.bot_cpu_seconds / max(result.updates, 1)
            print(
                f"  {result.label}: the bot process alone {bot_cpu_ms:.2f} ms of CPU, "
                f"{result.statements / max(result.updates, 1):.1f} SQL statements, "
                f"{result.transactions / max(result.updates, 1):.2f} transactions and "
                f"{result.api_calls / max(result.updates, 1):.2f} Bot API calls per update"
            )
    if echo_alone is not None:
        print(
            f"  echo, bot proc: the echo bot process alone {echo_alone.bot_cpu_ms_per_update:.3f} ms of CPU "
            "per update"
        )
    print_targets(results, echo_alone or echoes.get("aiohttp"))
    lost = [r for r in results if r.data_lost]
    if lost:
        print(
            "\nDATA LOST: "
            + "; ".join(
                f"{r.database}: {r.lost_sets} sets lost, {r.extra_sets} extra, {r.lost_workouts} workouts"
                for r in lost
            )
        )
    if as_json:
        for echo in [*echoes.values(), *([echo_alone] if echo_alone is not None else [])]:
            print(json.dumps(echo.as_json()))
        for result in results:
            print(json.dumps(result.as_json()))
    return 1 if lost else 0


async def _run_processes(counts: list[int], trainees: int, budget: float, postgres_dsn: str) -> int:
    """`--processes`: the workout on PostgreSQL with each number of webhook bot processes in turn, then
    the throughput of each against the first."""
    try:
        await check_postgres(postgres_dsn)
    except (OSError, TimeoutError, asyncpg.PostgresError) as error:
        shown = make_url(postgres_dsn).render_as_string(hide_password=True)
        print(f"cannot reach PostgreSQL at {shown}: {error} (use --postgres DSN)")
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    print(
        f"{machine_summary()}; {trainees} trainees x {len(WORKOUT)} updates, time budget {budget:g} s per "
        f"run;\nthe bot ({source_revision()}) in 1..N processes, webhook mode on one port (SO_REUSEPORT), "
        "PostgreSQL, each chat taken in turn across processes (bot.cluster)"
    )
    print(LEGEND)
    print(HEADER, flush=True)
    results = []
    for count in counts:
        result = await run_workouts("postgres", trainees, postgres_dsn, budget=budget, processes=count)
        results.append(result)
        print(workout_row(result), flush=True)
    print()
    for result in results:
        print_details(result)
    base = results[0]
    print("\nthroughput against the first run")
    for result in results:
        ratio = result.per_second / base.per_second if base.per_second else 0.0
        print(f"  {result.label:<20} {result.per_second:7.0f} updates/s  {ratio:5.2f}x")
    return 1 if any(r.data_lost for r in results) else 0


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a short run: 30 trainees, 10 s budget")
    parser.add_argument("--trainees", type=int, help="simulated trainees (default 100, 30 with --quick)")
    parser.add_argument(
        "--budget",
        type=float,
        help="seconds after which no trainee starts a new step, per database (default 70, 10 with --quick)",
    )
    parser.add_argument(
        "--database", choices=("sqlite", "postgres", "both"), default="both", help="default: both"
    )
    parser.add_argument(
        "--transport",
        choices=TRANSPORTS,
        default="aiohttp",
        help="the bot's HTTP transport: aiohttp (bot.transport.AiohttpRequest, the default) or httpx "
        "(what build_application uses when given none: PTB's HTTPXRequest)",
    )
    parser.add_argument(
        "--placement",
        choices=("in-process", "bot-process", "both"),
        default="both",
        help="where the bot runs: in the process of the emulator and the trainees, in a process of its "
        "own (bench.bot_process, with the aiohttp transport), or both, one after the other (default)",
    )
    parser.add_argument(
        "--postgres",
        default=DEFAULT_POSTGRES,
        help=f"a PostgreSQL DSN to create the scratch databases from (default {DEFAULT_POSTGRES})",
    )
    parser.add_argument(
        "--json", action="store_true", help="end with one JSON object per run (echo runs too), one per line"
    )
    parser.add_argument(
        "--sqlite-driver",
        choices=("inline", "thread", "both"),
        default="inline",
        help="SQLite on the event loop's thread (inline, bot.db.sqlite_inline: the bot's default) or on "
        "aiosqlite's worker thread (thread), or both one after the other",
    )
    parser.add_argument(
        "--processes",
        default=None,
        metavar="N,M",
        help="instead: the bot in N, then M, ... webhook processes on PostgreSQL (bench.bot_cluster), "
        "e.g. 1,2; prints each run's throughput against the first",
    )
    args = parser.parse_args()
    trainees = max(1, args.trainees or (30 if args.quick else 100))
    budget = args.budget or (10.0 if args.quick else 70.0)
    databases = DATABASES if args.database == "both" else (args.database,)
    if args.processes:
        try:
            counts = [int(part) for part in args.processes.split(",") if part.strip()]
            if not counts or min(counts) < 1:
                raise ValueError
        except ValueError:
            parser.error("--processes takes numbers of processes, e.g. 1,2")
        try:
            status = asyncio.run(_run_processes(counts, trainees, max(budget, 0.1), args.postgres))
        except Exception:
            traceback.print_exc()
            print("the benchmark crashed", file=sys.stderr)
            status = 2
        sys.exit(status)
    try:
        placements = {"in-process": (False,), "bot-process": (True,), "both": (False, True)}[args.placement]
        status = asyncio.run(
            _run(
                databases,
                trainees,
                max(budget, 0.1),
                args.transport,
                args.postgres,
                placements,
                args.json,
                {"inline": ("inline",), "thread": ("thread",), "both": ("inline", "thread")}[
                    args.sqlite_driver
                ],
            )
        )
    except Exception:
        traceback.print_exc()
        print("the benchmark crashed", file=sys.stderr)
        status = 2
    sys.exit(status)


if __name__ == "__main__":
    main()
