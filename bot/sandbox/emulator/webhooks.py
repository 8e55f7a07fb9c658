"""Webhooks: setWebhook, deleteWebhook, getWebhookInfo and the delivery of updates (in order within a
chat, at most max_connections at once, retried with a backoff), including method calls in webhook replies."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import re
from collections import deque
from collections.abc import Hashable
from typing import Final
from urllib.parse import urlsplit

import aiohttp

from bot.sandbox.emulator.errors import JSONDict, TelegramApiError, _bad_request, _now_ts
from bot.sandbox.emulator.state import _DEFAULT_ALLOWED_UPDATES, _Ctx, _Described, _PendingUpdate, _Webhook
from bot.sandbox.emulator.updates import _UpdatesMixin

_LOGGER = logging.getLogger(__name__)
_SECRET_TOKEN_RE: Final = re.compile(r"^[A-Za-z0-9_-]*$")


class _WebhookDeliverer:
    """POSTs pending updates to the webhook: in order within a chat, at most max_connections at once,
    retrying failed deliveries with a short backoff."""

    def __init__(self, emulator: _WebhooksMixin, webhook: _Webhook, session: aiohttp.ClientSession) -> None:
        self._emulator = emulator
        self._webhook = webhook
        self._session = session
        self._semaphore = asyncio.Semaphore(webhook.max_connections)
        self._queues: dict[Hashable, deque[_PendingUpdate]] = {}
        self._workers: dict[Hashable, asyncio.Task[None]] = {}
        self._dispatched: set[int] = set()
        self._task = asyncio.create_task(self._run(), name="webhook-dispatcher")

    async def close(self) -> None:
        tasks = [self._task, *self._workers.values()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _run(self) -> None:
        emulator = self._emulator
        while True:
            for pending in list(emulator._updates.values()):
                if pending.update_id in self._dispatched:
                    continue
                self._dispatched.add(pending.update_id)
                key: Hashable = (
                    pending.chat_id if pending.chat_id is not None else ("update", pending.update_id)
                )
                self._queues.setdefault(key, deque()).append(pending)
                worker = self._workers.get(key)
                if worker is None or worker.done():
                    self._workers[key] = asyncio.create_task(self._worker(key), name=f"webhook-{key}")
            await emulator._updates_signal.wait()

    async def _worker(self, key: Hashable) -> None:
        queue = self._queues[key]
        while queue:
            pending = queue[0]
            if pending.update_id in self._emulator._updates:
                async with self._semaphore:
                    await self._deliver(pending)
                self._emulator._discard_update(pending.update_id)
            queue.popleft()
        del self._queues[key]
        del self._workers[key]

    async def _deliver(self, pending: _PendingUpdate) -> bool:
        emulator = self._emulator
        webhook = self._webhook
        body = json.dumps(pending.update).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        if webhook.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = webhook.secret_token
        delays = [0.0, *emulator.webhook_retry_delays]
        for delay in delays:
            if delay:
                await asyncio.sleep(delay)  # backoff between attempts, as Telegram does
            try:
                async with self._session.post(
                    webhook.url,
                    data=body,
                    headers=headers,
                    timeout=aiohttp.ClientTimeout(total=emulator.webhook_timeout),
                ) as response:
                    payload = await response.read()
                    if 200 <= response.status <= 299:
                        emulator.stats.webhook_deliveries += 1
                        await emulator._run_webhook_reply(response.content_type, payload)
                        return True
                    error = f"Wrong response from the webhook: {response.status} {response.reason}"
            except aiohttp.ClientConnectorError:
                error = "Connection refused"
            except TimeoutError:
                error = "Read timeout expired"
            except aiohttp.ClientError as exc:
                error = f"Connection error: {exc}"
            emulator.stats.webhook_failures += 1
            webhook.last_error_date = _now_ts()
            webhook.last_error_message = error
            emulator._feed.notify_all()
            _LOGGER.debug("webhook delivery of update %s failed: %s", pending.update_id, error)
        _LOGGER.warning("giving up delivering update %s to %s", pending.update_id, webhook.url)
        return False


class _WebhooksMixin(_UpdatesMixin):
    """Webhook setup and delivery."""

    async def _m_set_webhook(self, ctx: _Ctx) -> _Described:
        params = ctx.params
        url = (params.get_str("url") or "").strip()
        if not url:
            return await self._m_delete_webhook(ctx)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise _bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get_str("secret_token") or None
        if secret is not None:
            if len(secret) > 256:
                raise _bad_request("secret token is too long")
            if not _SECRET_TOKEN_RE.match(secret):
                raise _bad_request("secret token contains unallowed characters")
        max_connections = min(max(params.get_int("max_connections", 40) or 40, 1), 100)
        self._set_allowed_updates(params.get_json("allowed_updates", error="can't parse allowed updates"))
        if params.get_bool("drop_pending_updates"):
            self._drop_pending_updates()
        webhook = _Webhook(
            url=url,
            secret_token=secret,
            max_connections=max_connections,
            ip_address=params.get_str("ip_address"),
            has_custom_certificate="certificate" in params.files,
        )
        previous = self._webhook
        unchanged = (
            previous is not None
            and dataclasses.replace(previous, last_error_date=None, last_error_message=None) == webhook
        )
        if previous is not None:
            webhook.last_error_date = previous.last_error_date
            webhook.last_error_message = previous.last_error_message
        await self._install_webhook(webhook)
        return _Described(True, "Webhook is already set" if unchanged else "Webhook was set")

    async def _install_webhook(self, webhook: _Webhook | None) -> None:
        if self._deliverer is not None:
            await self._deliverer.close()
            self._deliverer = None
        self._webhook = webhook
        self._updates_signal.notify_all()  # a running long poll answers 409 now
        if webhook is not None:
            if self._session is None:
                raise TelegramApiError(500, "Internal Server Error: the emulator is not running")
            self._deliverer = _WebhookDeliverer(self, webhook, self._session)

    async def _m_delete_webhook(self, ctx: _Ctx) -> _Described:
        if ctx.params.get_bool("drop_pending_updates"):
            self._drop_pending_updates()
        if self._webhook is None:
            return _Described(True, "Webhook is already deleted")
        await self._install_webhook(None)
        return _Described(True, "Webhook was deleted")

    def _m_get_webhook_info(self, ctx: _Ctx) -> JSONDict:
        webhook = self._webhook
        info: JSONDict = {
            "url": webhook.url if webhook else "",
            "has_custom_certificate": bool(webhook and webhook.has_custom_certificate),
            "pending_update_count": len(self._updates),
        }
        if webhook is not None:
            info["max_connections"] = webhook.max_connections
            if webhook.ip_address:
                info["ip_address"] = webhook.ip_address
            if self._allowed_updates != _DEFAULT_ALLOWED_UPDATES:
                info["allowed_updates"] = sorted(self._allowed_updates)
            if webhook.last_error_date is not None:
                info["last_error_date"] = webhook.last_error_date
                info["last_error_message"] = webhook.last_error_message
        return info

    async def _run_webhook_reply(self, content_type: str, payload: bytes) -> None:
        """Telegram executes a method call given in the body of a webhook response."""
        if content_type != "application/json" or not payload.strip():
            return
        try:
            body = json.loads(payload)
        except ValueError:
            return
        if not isinstance(body, dict) or not isinstance(body.get("method"), str):
            return
        values = dict(body)
        method = values.pop("method")
        with contextlib.suppress(TelegramApiError):
            await self._call(self.bot_id, method, values, {})

    @property
    def webhook_url(self) -> str | None:
        """The webhook currently set, if any."""
        return self._webhook.url if self._webhook else None
