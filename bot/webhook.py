"""The webhook server: Telegram's POSTs in, checked before they are read, stored before they are answered.

It replaces python-telegram-bot's tornado WebhookServer (which reads a body of up to 100 MB before it
looks at the secret). For each request, in this order:

1. the path must be the webhook's path (404), the method POST (405);
2. the secret header ``X-Telegram-Bot-Api-Secret-Token`` must match (compared in constant time): 403,
   without reading the body;
3. the body must be JSON (415) of at most `MAX_BODY` bytes: a larger Content-Length is refused (413)
   without reading the body, and a body without one is read no further than that;
4. the update is stored in the durable inbox (bot.inbox), then queued for the application; only then
   does Telegram get its 200. A redelivered update is answered 200 and not queued again. If the
   database cannot store it, 500: Telegram delivers it again later.

Refused requests close the connection at once (no lingering read of what the client still sends).

The same server answers ``GET /healthz`` and ``GET /metrics`` (bot.metrics). With ``reuse_port`` several
processes listen on the same port (SO_REUSEPORT: ``python -m bot run --webhook --workers N``) and the
kernel spreads Telegram's connections over them.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Final

from aiohttp import web
from telegram.ext import Application, ExtBot

from bot import metrics
from bot.inbox import parse_update

if TYPE_CHECKING:
    from telegram import Bot

    from bot.inbox import Inbox

log = logging.getLogger(__name__)

SECRET_HEADER: Final = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY: Final = 1024 * 1024
"""Largest request body accepted (Telegram's updates are a few KB; a message is at most 4096 chars)."""


def _refuse(status: HTTPStatus) -> web.Response:
    response = web.Response(status=status, text=status.phrase)
    response.force_close()
    return response


class WebhookServer:
    """An aiohttp server for Telegram's webhook; `serve_forever` / `shutdown` like PTB's WebhookServer."""

    def __init__(
        self,
        *,
        listen: str,
        port: int,
        path: str,
        bot: Bot,
        update_queue: asyncio.Queue[object],
        inbox: Inbox | None,
        secret_token: str | None,
        max_body: int = MAX_BODY,
        application_of: Callable[[], Application[Any, Any, Any, Any, Any, Any] | None] = lambda: None,
        reuse_port: bool = False,
    ) -> None:
        self.listen = listen
        self.port = port
        self.path = "/" + path.strip("/")
        self.bot = bot
        self.update_queue = update_queue
        self.inbox = inbox
        self.max_body = max_body
        self._secret = secret_token.encode() if secret_token else None
        self.application_of = application_of
        self.reuse_port = reuse_port
        self._runner: web.AppRunner | None = None
        self.is_running = False

    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=self.max_body)
        if self.path not in ("/healthz", "/metrics"):
            metrics.add_routes(app, self.application_of)
        app.router.add_route("*", self.path, self.receive)
        if self.path != "/":
            app.router.add_route("*", self.path + "/", self.receive)
        return app

    async def receive(self, request: web.Request) -> web.Response:
        if request.method != "POST":
            return _refuse(HTTPStatus.METHOD_NOT_ALLOWED)
        if self._secret is not None:
            given = request.headers.get(SECRET_HEADER, "").encode()
            if not hmac.compare_digest(given, self._secret):
                log.debug("webhook request without the right secret token refused")
                return _refuse(HTTPStatus.FORBIDDEN)
        if request.content_type != "application/json":
            return _refuse(HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
        if request.content_length is not None and request.content_length > self.max_body:
            return _refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        try:
            body = await request.read()  # client_max_size stops a body without Content-Length
        except web.HTTPRequestEntityTooLarge:
            return _refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        try:
            payload = json.loads(body)
            update = parse_update(payload, self.bot)  # `payload` stays as Telegram sent it, for the inbox
        except Exception:
            log.warning("webhook request with a body that is not an update refused", exc_info=True)
            return _refuse(HTTPStatus.BAD_REQUEST)
        if isinstance(self.bot, ExtBot):
            self.bot.insert_callback_data(update)
        if self.inbox is None:
            await self.update_queue.put(update)
            return web.Response(status=HTTPStatus.OK)
        try:
            fresh = await self.inbox.admit([update], [payload])
        except Exception:
            log.exception("could not store update %d: Telegram will deliver it again", update.update_id)
            return _refuse(HTTPStatus.INTERNAL_SERVER_ERROR)
        for item in fresh:
            await self.update_queue.put(item)
        return web.Response(status=HTTPStatus.OK)

    async def serve_forever(self, ready: asyncio.Event | None = None) -> None:
        """Start listening (returns once it listens, like PTB's WebhookServer)."""
        # lingering_time=0: a refused request's unread body is not read and thrown away for 10 s
        runner = web.AppRunner(self.make_app(), access_log=None, lingering_time=0)
        await runner.setup()
        site = web.TCPSite(runner, self.listen, self.port, reuse_port=self.reuse_port or None)
        await site.start()
        self._runner = runner
        self.is_running = True
        log.debug("webhook server listening on %s:%d%s", self.listen, self.port, self.path)
        if ready is not None:
            ready.set()

    async def shutdown(self) -> None:
        runner, self._runner = self._runner, None
        self.is_running = False
        if runner is not None:
            await runner.cleanup()
