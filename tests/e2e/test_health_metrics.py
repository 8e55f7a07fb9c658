"""GET /healthz and GET /metrics: on the webhook server, and on METRICS_PORT in polling mode (bot.metrics).

The figures come from prometheus-client's default registry, which the whole test run shares: each test
compares what it reads after some updates with what it read before.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.app import METRICS_PORT, BotApplication
from bot.config import Settings
from bot.db.models import User
from bot.db.session import create_engine
from bot.sandbox import BotApiEmulator, SandboxUser
from bot.sandbox.harness import free_port, running_bot

Factory = async_sessionmaker[AsyncSession]
DEAD_DATABASE = "postgresql+asyncpg://nobody:hunter2@127.0.0.1:1/none"  # nothing listens on port 1


async def get(url: str) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, response.content_type, await response.text()


def figure(exposition: str, name: str, **labels: str) -> float:
    """A sample's value in Prometheus' text format (0 when absent)."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    pattern = re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "") + r" ([0-9.e+-]+)$"
    found = re.search(pattern, exposition, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


async def metrics_once(url: str, before: str, name: str, grown_by: float, **labels: str) -> str:
    """The exposition once `name` has grown by `grown_by` since `before` (an update is counted after its
    state is written, a moment after the harness saw it processed); the last one read after 5 s."""
    after = before
    for _ in range(50):
        _, _, after = await get(url)
        if figure(after, name, **labels) - figure(before, name, **labels) >= grown_by:
            break
        await asyncio.sleep(0.1)
    return after


def server_of(application: BotApplication) -> str:
    return str(application.bot_data.extras["webhook_url"]).rsplit("/", 1)[0]


@pytest.mark.parametrize("mode", ["webhook"], indirect=True)
async def test_healthz_is_200_when_the_database_and_the_scheduler_are_up_else_503(
    bot_app: BotApplication, alice: SandboxUser
) -> None:
    base = server_of(bot_app)
    status, content_type, body = await get(f"{base}/healthz")
    assert (status, content_type) == (200, "application/json")
    assert '"status": "ok"' in body and '"database": "ok"' in body and '"scheduler": "running"' in body

    job_queue = bot_app.job_queue
    assert job_queue is not None
    job_queue.scheduler.pause()
    try:
        status, _, body = await get(f"{base}/healthz")
    finally:
        job_queue.scheduler.resume()
    assert status == 503
    assert '"scheduler": "paused"' in body and '"database": "ok"' in body

    working, dead = bot_app.bot_data.engine, create_engine(DEAD_DATABASE)
    bot_app.bot_data.engine = dead
    try:
        status, _, body = await get(f"{base}/healthz")
    finally:
        bot_app.bot_data.engine = working
        await dead.dispose()
    assert status == 503
    assert '"status": "unavailable"' in body and '"database": "unreachable: ' in body
    assert "hunter2" not in body

    assert (await get(f"{base}/healthz"))[0] == 200  # back to normal
    assert "Welcome" in (await alice.send("/start"))[0].text  # the bot itself never stopped


@pytest.mark.parametrize("mode", ["webhook"], indirect=True)
async def test_metrics_count_updates_latency_api_calls_and_statements(
    bot_app: BotApplication, alice: SandboxUser, session_factory: Factory
) -> None:
    base = server_of(bot_app)
    status, content_type, before = await get(f"{base}/metrics")
    assert (status, content_type) == (200, "text/plain")
    await alice.send("/start")
    await alice.send("/help")
    await alice.send("hello there")
    after = await metrics_once(f"{base}/metrics", before, "workout_bot_updates_total", 3, kind="message")

    def grew(name: str, **labels: str) -> float:
        return figure(after, name, **labels) - figure(before, name, **labels)

    assert grew("workout_bot_updates_total", kind="message") == 3
    assert grew("workout_bot_update_seconds_count", kind="message") == 3
    assert grew("workout_bot_update_seconds_sum", kind="message") > 0
    assert grew("workout_bot_api_calls_total", method="sendMessage") >= 3
    assert grew("workout_bot_db_statements_total") >= 3
    assert grew("workout_bot_errors_total", kind="message") == 0
    assert 'workout_bot_reminders_total{outcome="dropped"}' in after  # shown before any reminder
    async with session_factory() as session:  # the updates did what they do
        assert await session.scalar(select(User.first_name).where(User.telegram_id == alice.user_id))


@pytest.fixture
async def polling_with_metrics_port(
    emulator: BotApiEmulator, settings: Settings, engine: AsyncEngine, session_factory: Factory
) -> AsyncIterator[tuple[BotApplication, int]]:
    port = free_port()

    def configure(application: Any) -> None:  # what build_application(metrics_port=...) does
        application.bot_data.extras[METRICS_PORT] = port

    settings = settings.model_copy(update={"webhook_listen": "127.0.0.1"})
    async with running_bot(emulator, settings, engine=engine, configure=configure) as application:
        yield application, port


async def test_polling_mode_serves_metrics_and_health_on_metrics_port(
    polling_with_metrics_port: tuple[BotApplication, int], emulator: BotApiEmulator
) -> None:
    _, port = polling_with_metrics_port
    bob = emulator.add_user(first_name="Bob")
    _, _, before = await get(f"http://127.0.0.1:{port}/metrics")
    assert "Welcome" in (await bob.send("/start"))[0].text
    kind = {"kind": "message"}
    url = f"http://127.0.0.1:{port}/metrics"
    after = await metrics_once(url, before, "workout_bot_updates_total", 1, **kind)
    assert (
        figure(after, "workout_bot_updates_total", **kind)
        - figure(before, "workout_bot_updates_total", **kind)
        == 1
    )
    status, _, body = await get(f"http://127.0.0.1:{port}/healthz")
    assert status == 200 and '"scheduler": "running"' in body


async def test_metrics_port_is_off_by_default(bot_app: BotApplication) -> None:
    assert METRICS_PORT not in bot_app.bot_data.extras
    assert Settings(_env_file=None).metrics_port is None  # type: ignore[call-arg]
