"""Several bot processes on one PostgreSQL (bot.cluster, bot.workers): order, kill -9, reminders.

Real processes (bench.bot_cluster: `build_application(..., cluster=True)` in webhook mode) against the
emulator in this process. On SQLite there is nothing to test (the bot refuses several workers there:
tests/unit/test_cli.py); with TEST_DATABASE_URL pointing at an unreachable PostgreSQL the session's
engine fixture fails, never skips.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bench.bot_cluster import bot_cluster, free_port
from bench.kill_loop import prepare, settle, start_workouts, type_sets, unhandled_rows
from bot.db.enums import ReminderStatus
from bot.db.models import InboxUpdate, ReminderLog, UserExercisePerformance, UserExerciseSet
from bot.sandbox import BotApiEmulator
from tests.e2e.test_reminders import add_trainee, at, reminder_texts
from tests.factories import make_program, seed_catalog

Factory = async_sessionmaker[AsyncSession]
REPO = Path(__file__).resolve().parents[2]
PATIENT_RETRIES = (0.05, 0.1, 0.2, 0.4, 0.5, 0.5, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 2.0, 5.0, 5.0, 5.0)
"""Webhook redelivery delays (seconds) long enough for a killed worker's successor: Telegram retries
for much longer than the emulator's default."""


@pytest.fixture(autouse=True)
def postgresql_only(engine: AsyncEngine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("several bot processes need PostgreSQL (refused on SQLite: tests/unit/test_cli.py)")


async def stored_in_order(engine: AsyncEngine, session_id: uuid.UUID) -> list[Decimal]:
    """The weights of the session's sets, in the order the bot numbered them."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(UserExerciseSet.weight_kg)
            .join(UserExercisePerformance, UserExerciseSet.performance_id == UserExercisePerformance.id)
            .where(UserExercisePerformance.user_workout_session_id == session_id)
            .order_by(UserExerciseSet.set_number)
        )
        return [Decimal(weight).normalize() for (weight,) in rows]


async def wait_for(predicate: object, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await predicate():  # type: ignore[operator]
            return
        await asyncio.sleep(0.1)
    raise AssertionError("timed out")


# --------------------------------------------------------------------------------- order across processes


async def test_a_burst_to_one_chat_split_over_two_processes_is_stored_in_order(
    emulator: BotApiEmulator, engine: AsyncEngine, session_factory: Factory
) -> None:
    (trainee,) = await prepare(engine, emulator, 1)
    url = engine.url.render_as_string(hide_password=False)
    async with bot_cluster(emulator, url, 2, split="round-robin") as cluster:
        await start_workouts(emulator, cluster.token, [trainee])
        typed = [Decimal(20) + Decimal(n) / 2 for n in range(40)]
        for weight in typed:  # all at once: the emulator posts them one after another, alternately
            emulator.inject_message(trainee.user.user_id, f"{weight}x5")

        async def all_stored() -> bool:
            return len(await stored_in_order(engine, trainee.session_id)) >= len(typed)

        await wait_for(all_stored)
        await wait_for(lambda: _no_pending(emulator))
        assert cluster.splitter is not None
        handled = [len(worker.done) for worker in cluster.workers]
        errors = cluster.errors
    assert await stored_in_order(engine, trainee.session_id) == [w.normalize() for w in typed]
    assert all(count >= len(typed) // 2 for count in handled), handled  # both processes took part
    assert errors == []
    confirmations = [m for m in emulator.messages(trainee.user.chat_id) if "✅ Logged" in m.content]
    assert len(confirmations) == len(typed)  # each set confirmed once
    assert await unhandled_rows(engine) == 0


async def _no_pending(emulator: BotApiEmulator) -> bool:
    return not emulator.pending_updates()


# ---------------------------------------------------------------------------------------- kill -9 of one


async def test_kill_9_of_one_of_two_processes_loses_no_acknowledged_set(
    emulator: BotApiEmulator, engine: AsyncEngine, session_factory: Factory
) -> None:
    emulator.webhook_retry_delays = PATIENT_RETRIES
    rng = random.Random(14)
    trainees = await prepare(engine, emulator, 4)
    url = engine.url.render_as_string(hide_password=False)
    async with bot_cluster(emulator, url, 2, split="round-robin") as cluster:
        await start_workouts(emulator, cluster.token, trainees)
        stop = asyncio.Event()
        typists = [asyncio.create_task(type_sets(emulator, t, stop, rng)) for t in trainees]
        victim = cluster.workers[1]
        for _ in range(3):
            await asyncio.sleep(rng.uniform(0.5, 1.5))
            await victim.kill()  # mid-workout: it holds updates admitted (acknowledged) and not handled
            await asyncio.sleep(rng.uniform(0.2, 1.0))  # the survivor goes on meanwhile
            await victim.start()  # as the supervisor does
        await asyncio.sleep(1.0)
        stop.set()
        await asyncio.gather(*typists)
        await settle(emulator, engine, inbox=True)
        errors = cluster.errors
    lost = twice = inputs = 0
    for trainee in trainees:
        typed = [w.normalize() for w in trainee.typed]
        stored = await stored_in_order(engine, trainee.session_id)
        inputs += len(typed)
        lost += sum((Counter(typed) - Counter(stored)).values())
        twice += sum((Counter(stored) - Counter(typed)).values())
        assert stored == sorted(stored), "the sets of a chat were stored out of order"
    assert inputs >= 20
    assert (lost, twice) == (0, 0)
    assert emulator.pending_updates() == []  # every update acknowledged
    assert await unhandled_rows(engine) == 0
    assert victim.starts == 4
    assert not [e for e in errors if "Traceback" in e or ("taking over" in e and "error" in e)]


# ----------------------------------------------------------------------------------------------- reminders


async def test_reminders_are_sent_once_by_two_processes_ticking_together(
    emulator: BotApiEmulator, engine: AsyncEngine, session_factory: Factory
) -> None:
    async with session_factory() as session, session.begin():
        await seed_catalog(session)
        program = await make_program(session)
    monday = datetime(2026, 3, 2, tzinfo=UTC).date()
    setup_now = at(monday, 6, 0)
    people = [
        await add_trainee(session_factory, emulator, program.id, f"User {n}", now=setup_now)
        for n in range(40)
    ]
    due = at(monday, 7, 0)
    url = engine.url.render_as_string(hide_password=False)
    async with bot_cluster(emulator, url, 2, split="round-robin") as cluster:
        results = await asyncio.gather(*(worker.tick(due) for worker in cluster.workers))
        errors = cluster.errors
    assert sum(sent for _, sent in results) == len(people)
    assert all(taken > 0 for taken, _ in results), results  # both processes took users
    for person in people:
        assert len(reminder_texts(emulator.messages(person.sandbox.chat_id))) == 1
    async with session_factory() as session:
        statuses = (await session.scalars(select(ReminderLog.status))).all()
    assert Counter(statuses) == {ReminderStatus.SENT: len(people)}
    assert errors == []


# ------------------------------------------------------------------------------- python -m bot --workers 2


async def _health(port: int) -> tuple[int, dict[str, object]] | None:
    connector = aiohttp.TCPConnector(force_close=True)  # a new connection each time: any worker
    async with aiohttp.ClientSession(connector=connector) as http:
        try:
            async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                return response.status, await response.json()
        except aiohttp.ClientError:
            return None


async def _pids(port: int, tries: int = 60) -> set[int]:
    seen: set[int] = set()
    for _ in range(tries):
        answer = await _health(port)
        if answer is not None and answer[0] == 200:
            seen.add(int(answer[1]["pid"]))  # type: ignore[call-overload]
    return seen


async def test_python_m_bot_run_webhook_workers_2(
    emulator: BotApiEmulator, engine: AsyncEngine, session_factory: Factory, tmp_path: Path
) -> None:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "TELEGRAM_BOT_TOKEN": emulator.make_token(),
        "TELEGRAM_API_URL": emulator.base_url,
        "DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram",
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "WEBHOOK_SECRET": "workers-secret",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    supervisor = subprocess.Popen(  # noqa: ASYNC220 - started once, waited for in a thread
        [sys.executable, "-m", "bot", "run", "--webhook", "--workers", "2"], cwd=tmp_path, env=env
    )
    try:

        async def both_serve() -> bool:
            return len(await _pids(port, tries=10)) == 2

        await wait_for(both_serve, seconds=120)  # SO_REUSEPORT: new connections reach both
        assert emulator.webhook_url == f"http://127.0.0.1:{port}/telegram"
        alice = emulator.add_user(first_name="Alice")
        assert "Welcome" in (await alice.send("/start", timeout=60))[0].text

        async def counted() -> bool:  # the update is counted once its state is written (after the reply)
            async with (
                aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as http,
                http.get(f"http://127.0.0.1:{port}/metrics") as response,
            ):
                exposition = await response.text()
            # whichever worker answers shows every worker's figures (multiprocess mode)
            return 'workout_bot_updates_total{kind="message"} 1.0' in exposition

        for _ in range(5):
            await wait_for(counted, seconds=30)
        # kill -9 a worker: the supervisor starts another
        before = await _pids(port)
        victim = sorted(before)[0]
        os.kill(victim, signal.SIGKILL)

        async def replaced() -> bool:
            now = await _pids(port, tries=10)
            return len(now) == 2 and victim not in now

        await wait_for(replaced, seconds=120)
        assert await alice.send("/help", timeout=60)  # still answered
    finally:
        supervisor.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(supervisor.wait, 60)
    assert code == 0
    assert await _health(port) is None  # every worker stopped
    async with session_factory() as session:
        left = await session.scalar(
            select(func.count()).select_from(InboxUpdate).where(InboxUpdate.handled_at.is_(None))
        )
    assert left == 0
