"""Run the real bot against the emulator: used by the end-to-end tests, the playground and benchmarks.

The very same `build_application` runs here as against Telegram; only the Bot API base URL differs.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update
from telegram.ext import Application
from telegram.request import BaseRequest

from bot.app import BotApplication, build_application
from bot.config import Settings
from bot.jobs.reminders import unschedule_jobs
from bot.sandbox.emulator import BotApiEmulator

Mode = Literal["polling", "webhook"]
WEBHOOK_SECRET = "sandbox-webhook-secret"


class Clock:
    """A clock tests and benchmarks control: call it for "now", move it with `advance` or `now=`."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


class TrackingApplication(Application[Any, Any, Any, Any, Any, Any]):
    """An Application that reports when it has finished handling each update, so a test can wait for
    exactly that instead of sleeping: `on_processed(update_id)`, usually the emulator's
    `mark_processed` (bench.bot_process reports to another process instead)."""

    def __init__(self, *, on_processed: Callable[[int], object], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_processed = on_processed

    async def process_update(self, update: object) -> None:
        try:
            await super().process_update(update)
        finally:
            if self.persistence is not None:  # what the update changed is saved before it counts as done
                await self.update_persistence()
            if isinstance(update, Update):
                self.on_processed(update.update_id)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def emulator_settings(settings: Settings, emulator: BotApiEmulator, **changes: Any) -> Settings:
    """The same settings, pointed at the emulator."""
    return settings.model_copy(
        update={
            "telegram_api_url": emulator.base_url,
            "telegram_file_url": emulator.base_file_url,
            **changes,
        }
    )


@asynccontextmanager
async def serving(application: BotApplication, mode: Mode = "polling") -> AsyncIterator[None]:
    """Start a built application as run_polling/run_webhook would (post_init included), polling or with
    a webhook on a free local port; stop it cleanly on exit (post_shutdown included)."""
    await application.initialize()
    if application.post_init is not None:  # run_polling/run_webhook would call it; we start by hand
        await application.post_init(application)
    await application.start()
    updater = application.updater
    assert updater is not None
    if mode == "webhook":
        port = free_port()
        application.bot_data.extras["webhook_url"] = f"http://127.0.0.1:{port}/telegram"
        await updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="telegram",
            webhook_url=f"http://127.0.0.1:{port}/telegram",
            secret_token=WEBHOOK_SECRET,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        await updater.start_polling(poll_interval=0, timeout=10, allowed_updates=Update.ALL_TYPES)
    try:
        yield
    finally:
        if updater.running:
            await updater.stop()
        await application.stop()
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


@asynccontextmanager
async def running_bot(
    emulator: BotApiEmulator,
    settings: Settings,
    *,
    engine: AsyncEngine | None = None,
    mode: Mode = "polling",
    track: bool = True,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    configure: Callable[[BotApplication], None] | None = None,
    clock: Callable[[], datetime] | None = None,
    scheduler: bool = False,
) -> AsyncIterator[BotApplication]:
    """Start the bot (polling or webhook) against the emulator; stop it cleanly on exit.

    `configure` is called with the built application before it is initialized (to add handlers).
    `scheduler` keeps the reminder jobs (bot.jobs.reminders: a tick at start and every minute); off by
    default, so that no reminder lands in the middle of a test's conversation - tests run
    `bot.jobs.reminders.tick(application, now)` themselves.
    """
    settings = emulator_settings(settings, emulator)
    kwargs: dict[str, Any] = {}
    if track:
        kwargs = {
            "application_class": TrackingApplication,
            "application_kwargs": {"on_processed": emulator.mark_processed},
        }
        emulator.track_processing = True
    application = build_application(
        settings,
        token=emulator.make_token(),
        engine=engine,
        request=request,
        get_updates_request=get_updates_request,
        **kwargs,
    )
    if clock is not None:  # before anything runs: jobs started with the application read it too
        application.bot_data.clock = clock
    if not scheduler:
        unschedule_jobs(application)
    if configure is not None:
        configure(application)
    try:
        async with serving(application, mode):
            yield application
    finally:
        if track:
            emulator.track_processing = False
