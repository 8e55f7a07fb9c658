"""Helpers shared by the sandbox tests."""

from __future__ import annotations

import contextlib
import datetime as dtm
import struct
import warnings
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

from aiohttp import web
from telegram.error import RetryAfter, TelegramError
from telegram.ext import Application, ApplicationBuilder, BaseHandler

from bot.sandbox import BotApiEmulator
from bot.sandbox.harness import TrackingApplication, free_port


class FakeClock:
    """A monotonic clock that only moves when told to."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make_png(width: int = 4, height: int = 3) -> bytes:
    """A valid (tiny, grey) PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@contextlib.asynccontextmanager
async def running_app(
    emulator: BotApiEmulator,
    handlers: Sequence[BaseHandler[Any, Any, Any]],
    *,
    webhook: bool = False,
    track: bool = False,
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """Run a PTB Application against the emulator, polling or behind a webhook."""
    builder = (
        ApplicationBuilder()
        .token(emulator.make_token())
        .base_url(emulator.base_url)
        .base_file_url(emulator.base_file_url)
    )
    if track:
        builder = builder.application_class(
            TrackingApplication, kwargs={"on_processed": emulator.mark_processed}
        )
        emulator.track_processing = True
    app = builder.build()
    for handler in handlers:
        app.add_handler(handler)
    await app.initialize()
    await app.start()
    assert app.updater is not None
    if webhook:
        port = free_port()
        await app.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="hook",
            webhook_url=f"http://127.0.0.1:{port}/hook",
            secret_token="s3cret",
        )
    else:
        await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


@contextlib.asynccontextmanager
async def webhook_receiver(
    handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
) -> AsyncIterator[str]:
    """A tiny aiohttp server on 127.0.0.1 (free port) answering POST /hook with ``handler``; yields its URL."""
    app = web.Application()
    app.router.add_post("/hook", handler)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    finally:
        await runner.cleanup()


def retry_seconds(error: RetryAfter) -> int:
    """RetryAfter.retry_after in seconds, without PTB's deprecation warning about its type."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = error.retry_after
    if isinstance(value, dtm.timedelta):
        return int(value.total_seconds())
    return int(value)


def ptb_message(description: str) -> str:
    """The message PTB shows for a Telegram error description (it strips "Bad Request: " and capitalizes)."""
    return TelegramError(description).message
