"""How updates come in: polling and the webhook, both through the durable inbox (bot.inbox).

* `InboxBot` (the application's bot) stores each batch getUpdates returns in the inbox before it hands
  it to python-telegram-bot's Updater; the Updater acknowledges a batch only with its next getUpdates
  call, so nothing acknowledged is missing from the inbox. Redelivered updates are dropped there.
* `InboxUpdater` first queues what the inbox holds unhandled (a previous process died with it), then
  starts polling, or the project's webhook server (bot.webhook) in place of PTB's tornado one.
* `install` wires the inbox into the application's PerChatUpdateProcessor, which marks each update
  handled (bot.inbox.mark_handled in the handler's transaction, else `Inbox.finish` after it).

`Application.run_polling` / `run_webhook` and the sandbox harness use these unchanged, through
`application.updater`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from pathlib import Path
from socket import socket
from typing import Any

from telegram import Update
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import JSONDict, ODVInput, TimePeriod
from telegram.error import NetworkError
from telegram.ext import Application, ExtBot, Updater

from bot.cluster import Cluster
from bot.inbox import Inbox, parseable
from bot.persistence import SQLAlchemyPersistence
from bot.update_processor import PerChatUpdateProcessor
from bot.webhook import WebhookServer

log = logging.getLogger(__name__)

_RAW_BATCH: ContextVar[list[JSONDict] | None] = ContextVar("inbox_bot_raw_batch", default=None)
"""The JSON of the getUpdates answer being parsed, for `InboxBot.get_updates` to store as it came (set by
`InboxBot._post` in the same task; a context variable, so concurrent calls never see each other's)."""


class InboxBot(ExtBot[Any]):
    """ExtBot whose getUpdates stores every batch in the inbox before returning its new updates."""

    __slots__ = ("_inbox", "_next_offset")

    def __init__(self, *args: Any, inbox: Inbox, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._inbox = inbox  # a Bot is frozen after __init__: only _attributes may change
        self._next_offset = 0
        """One past the last update_id fetched: the Updater's offset does not move past a batch that
        held only redeliveries (it sees none of them), this does."""

    async def get_updates(
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: TimePeriod | None = None,  # noqa: ASYNC109 - Bot.get_updates' own signature
        allowed_updates: Sequence[str] | None = None,
        *,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
        api_kwargs: JSONDict | None = None,
    ) -> tuple[Update, ...]:
        if self._next_offset and (offset is None or 0 <= offset < self._next_offset):
            offset = self._next_offset
        token = _RAW_BATCH.set(None)
        try:
            updates = await super().get_updates(
                offset=offset,
                limit=limit,
                timeout=timeout,
                allowed_updates=allowed_updates,
                read_timeout=read_timeout,
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
                api_kwargs=api_kwargs,
            )
            raw = _RAW_BATCH.get()
        finally:
            _RAW_BATCH.reset(token)
        if not updates:
            return updates
        try:
            fresh = await self._inbox.admit(updates, raw)
        except Exception as error:  # nothing is acknowledged: the poller backs off and fetches them again
            raise NetworkError(f"could not store the updates in the inbox: {error!r}") from error
        self._next_offset = max(self._next_offset, updates[-1].update_id + 1)
        return tuple(fresh)

    async def _post(self, endpoint: str, data: JSONDict | None = None, **kwargs: Any) -> Any:
        result = await super()._post(endpoint, data, **kwargs)
        if endpoint == "getUpdates" and isinstance(result, list):
            _RAW_BATCH.set(result)  # for the inbox, as Telegram sent them
            # what Bot.get_updates parses: each update as bot.inbox.parse_update parses it
            return [parseable(item) if isinstance(item, dict) else item for item in result]
        return result

    @property
    def inbox(self) -> Inbox:
        return self._inbox


class InboxUpdater(Updater):
    """PTB's Updater with the inbox's restart drain and the project's webhook server."""

    __slots__ = ("_server", "application", "inbox", "on_start", "reuse_port", "set_webhook")

    def __init__(self, bot: ExtBot[Any], update_queue: asyncio.Queue[object], inbox: Inbox) -> None:
        super().__init__(bot, update_queue)
        self.inbox = inbox
        self._server: WebhookServer | None = None
        self.on_start: Callable[[bool], None] | None = None
        """Called with True when polling starts (this process is then the only one Telegram hands
        updates to), False when the webhook starts (several processes may share the work)."""
        self.application: Application[Any, Any, Any, Any, Any, Any] | None = None
        """For the webhook server's /healthz (set by `install`)."""
        self.reuse_port = False
        """Several processes listen on the webhook's port (SO_REUSEPORT; bot.workers)."""
        self.set_webhook = True
        """Tell Telegram the webhook's URL at the start (the first of several workers does)."""

    async def requeue_pending(self) -> int:
        """Queue the updates the inbox holds unhandled, oldest first; how many."""
        pending = await self.inbox.pending(self.bot)
        for update in pending:
            await self.update_queue.put(update)
        return len(pending)

    async def start_polling(self, *args: Any, **kwargs: Any) -> asyncio.Queue[object]:
        if self.on_start is not None:
            self.on_start(True)
        await self.requeue_pending()
        return await super().start_polling(*args, **kwargs)

    async def start_webhook(self, *args: Any, **kwargs: Any) -> asyncio.Queue[object]:
        if self.on_start is not None:
            self.on_start(False)
        await self.requeue_pending()
        return await super().start_webhook(*args, **kwargs)

    async def _start_webhook(
        self,
        listen: str,
        port: int,
        url_path: str,
        bootstrap_retries: int,
        allowed_updates: Sequence[str] | None,
        cert: str | Path | None = None,
        key: str | Path | None = None,
        drop_pending_updates: bool | None = None,
        webhook_url: str | None = None,
        ready: asyncio.Event | None = None,
        ip_address: str | None = None,
        max_connections: int = 40,
        secret_token: str | None = None,
        unix: str | Path | socket | None = None,
    ) -> None:
        if cert is not None or key is not None or unix is not None:
            raise ValueError("the webhook server serves HTTP on a TCP port: terminate TLS in front of it")
        if not webhook_url:
            webhook_url = f"http://{listen}:{port}/{url_path.lstrip('/')}"
        self._server = WebhookServer(
            listen=listen,
            port=port,
            path=url_path,
            bot=self.bot,
            update_queue=self.update_queue,
            inbox=self.inbox,
            secret_token=secret_token,
            application_of=lambda: self.application,
            reuse_port=self.reuse_port,
        )
        await self._server.serve_forever(ready=None)  # listening before Telegram is told the URL
        if not self.set_webhook:
            if ready is not None:
                ready.set()
            return
        try:
            await self._bootstrap(
                max_retries=bootstrap_retries,
                drop_pending_updates=drop_pending_updates,
                webhook_url=webhook_url,
                allowed_updates=allowed_updates,
                ip_address=ip_address,
                max_connections=max_connections,
                secret_token=secret_token,
            )
        except BaseException:
            await self._stop_httpd()
            raise
        if ready is not None:
            ready.set()

    async def _stop_httpd(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            await server.shutdown()
        await super()._stop_httpd()


def install(
    application: Application[Any, Any, Any, Any, Any, Any], inbox: Inbox, cluster: Cluster | None = None
) -> None:
    """Let the application's PerChatUpdateProcessor mark the inbox's updates handled; with `cluster`
    (several processes on one PostgreSQL, bot.cluster), take each chat across processes too."""
    processor = application.update_processor
    if not isinstance(processor, PerChatUpdateProcessor):
        raise TypeError("the durable inbox needs a PerChatUpdateProcessor")
    processor.inbox = inbox
    persistence = application.persistence
    updater = application.updater
    if isinstance(persistence, SQLAlchemyPersistence) and isinstance(updater, InboxUpdater):
        updater.on_start = persistence.become_exclusive
    if isinstance(application.updater, InboxUpdater):
        application.updater.application = application
    if cluster is None:
        return
    processor.cluster = cluster
    inbox.owner = cluster.worker_id
    inbox.alive = cluster.alive
    cluster.local_open = inbox.open_ids

    def adopt(rows: Sequence[tuple[int, Any]]) -> list[tuple[Update, Awaitable[Any]]]:
        return [(item, application.process_update(item)) for item in inbox.adopt(rows, application.bot)]

    processor.adopt = adopt
