"""Prometheus metrics (prometheus-client) and the health check, for the webhook server and METRICS_PORT.

What is measured, and where:

* ``workout_bot_updates_total{kind}``: updates handled, by kind (message, callback_query, ...), and
  ``workout_bot_update_seconds{kind}``: how long handling took (bot.update_processor, from the chat's
  turn to the update's state written);
* ``workout_bot_errors_total{kind}``: exceptions that reached the error handler (`count_error`);
* ``workout_bot_api_calls_total{method}`` and ``workout_bot_api_retry_after_total{method}``: Bot API
  requests the bot made (getUpdates excluded) and the 429 answers among them (bot.ratelimit);
* ``workout_bot_reminders_total{outcome}``: reminders sent, failed, blocked and dropped (past the grace
  period) by the reminder tick (bot.jobs.reminders);
* ``workout_bot_db_statements_total``: SQL statements run by the bot's engine (`count_statements`);
* ``workout_bot_cross_process_waits_total``: times an update waited for its chat in another process
  (bot.cluster).

Several processes (``python -m bot run --webhook --workers N``): prometheus-client's multiprocess mode.
The supervisor sets ``PROMETHEUS_MULTIPROC_DIR`` to a fresh folder before it starts the workers (an
operator may set it to a folder of their own); each worker writes its figures there and ``/metrics`` on
any worker shows the sum over all of them. Without the variable, each process shows its own figures.

`health` answers ``GET /healthz``: the database answers ``SELECT 1`` within `HEALTH_TIMEOUT` seconds and
the JobQueue's scheduler is running: 200, else 503; a JSON body says which.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from aiohttp import web
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.workers import MULTIPROC_ENV, WORKER_ENV

if TYPE_CHECKING:
    from telegram.ext import Application

log = logging.getLogger(__name__)

HEALTH_TIMEOUT: Final = 2.0
"""Seconds the database gets to answer the health check's SELECT 1."""

UPDATES = Counter("workout_bot_updates", "Updates handled, by kind", ["kind"])
UPDATE_SECONDS = Histogram(
    "workout_bot_update_seconds",
    "Seconds to handle an update (its chat's turn taken), by kind",
    ["kind"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
ERRORS = Counter("workout_bot_errors", "Exceptions that reached the error handler, by update kind", ["kind"])
API_CALLS = Counter("workout_bot_api_calls", "Bot API requests (getUpdates excluded), by method", ["method"])
API_RETRY_AFTER = Counter(
    "workout_bot_api_retry_after", "Bot API answers 429 (flood control), by method", ["method"]
)
REMINDERS = Counter(
    "workout_bot_reminders", "Reminders by outcome: sent, failed, blocked, dropped", ["outcome"]
)
DB_STATEMENTS = Counter("workout_bot_db_statements", "SQL statements run by the bot's engine")
CROSS_PROCESS_WAITS = Counter(
    "workout_bot_cross_process_waits", "Updates that waited for their chat in another bot process"
)

_UPDATE_KINDS: Final = (
    "message",
    "edited_message",
    "callback_query",
    "inline_query",
    "chosen_inline_result",
    "my_chat_member",
    "chat_member",
    "pre_checkout_query",
    "shipping_query",
    "poll",
    "poll_answer",
    "channel_post",
    "edited_channel_post",
    "chat_join_request",
)


def update_kind(update: object) -> str:
    """The kind of an update for the labels: its first set field among the usual ones, else "other"."""
    for kind in _UPDATE_KINDS:
        if getattr(update, kind, None) is not None:
            return kind
    return "other"


class _Children:
    """Labelled children cached by label value (``labels()`` costs a lock and a dict each time)."""

    def __init__(self, metric: Counter | Histogram) -> None:
        self._metric = metric
        self._children: dict[str, Any] = {}

    def __call__(self, label: str) -> Any:
        child = self._children.get(label)
        if child is None:
            child = self._children[label] = self._metric.labels(label)
        return child


for _outcome in ("sent", "failed", "blocked", "dropped"):  # shown at 0 before the first reminder
    REMINDERS.labels(_outcome)

updates = _Children(UPDATES)
update_seconds = _Children(UPDATE_SECONDS)
api_calls = _Children(API_CALLS)
api_retry_after = _Children(API_RETRY_AFTER)
reminders = _Children(REMINDERS)


def observe_update(update: object, seconds: float) -> None:
    kind = update_kind(update)
    updates(kind).inc()
    update_seconds(kind).observe(seconds)


async def count_error(update: object, _context: object) -> None:
    """An extra error handler (the bot's own, bot.handlers.common.on_error, answers the user)."""
    ERRORS.labels(update_kind(update) if update is not None else "job").inc()


def count_reminders(*, sent: int, failed: int, blocked: int, dropped: int) -> None:
    for outcome, count in (("sent", sent), ("failed", failed), ("blocked", blocked), ("dropped", dropped)):
        if count:
            reminders(outcome).inc(count)


def count_statements(engine: AsyncEngine) -> None:
    """Count every SQL statement the engine runs (once per engine)."""
    if getattr(engine.sync_engine, "_workout_bot_counted", False):
        return
    engine.sync_engine._workout_bot_counted = True  # type: ignore[attr-defined]

    def seen(*_args: object) -> None:
        DB_STATEMENTS.inc()

    event.listen(engine.sync_engine, "before_cursor_execute", seen)


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus' text format: every worker's when in multiprocess mode."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    from prometheus_client import REGISTRY

    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def worker_exited(pid: int) -> None:
    """The supervisor's note that a worker is gone (multiprocess mode: its live gauges are dropped)."""
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]


# ------------------------------------------------------------------------------------------- health


async def database_ok(engine: AsyncEngine, seconds: float = HEALTH_TIMEOUT) -> str | None:
    """None when the database answers SELECT 1 within `seconds`, else the reason."""
    try:
        async with asyncio.timeout(seconds), engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except TimeoutError:
        return f"no answer within {seconds:g} s"
    except Exception as error:
        return " ".join(str(error).split())[:200] or type(error).__name__
    return None


def scheduler_state(application: Application[Any, Any, Any, Any, Any, Any]) -> str:
    """ "running", "paused", "stopped" or "missing" (no JobQueue) for the application's scheduler."""
    job_queue = application.job_queue
    if job_queue is None:
        return "missing"
    from apscheduler.schedulers.base import (  # type: ignore[import-untyped]
        STATE_PAUSED,
        STATE_RUNNING,
    )

    state = job_queue.scheduler.state
    return {STATE_RUNNING: "running", STATE_PAUSED: "paused"}.get(state, "stopped")


async def health(application: Application[Any, Any, Any, Any, Any, Any]) -> tuple[int, dict[str, Any]]:
    """(HTTP status, JSON body) of the health check."""
    engine: AsyncEngine | None = getattr(application.bot_data, "engine", None)
    problem = "not configured" if engine is None else await database_ok(engine)
    scheduler = scheduler_state(application)
    healthy = problem is None and scheduler == "running"
    body: dict[str, Any] = {
        "status": "ok" if healthy else "unavailable",
        "database": "ok" if problem is None else f"unreachable: {problem}",
        "scheduler": scheduler,
        "pid": os.getpid(),
    }
    worker = os.environ.get(WORKER_ENV)
    if worker is not None:
        body["worker"] = int(worker)
    return (200 if healthy else 503), body


def add_routes(
    app: web.Application, application_of: Callable[[], Application[Any, Any, Any, Any, Any, Any] | None]
) -> None:
    """``GET /healthz`` and ``GET /metrics`` on an aiohttp app (the webhook server, the metrics server)."""

    async def healthz(_request: web.Request) -> web.Response:
        application = application_of()
        if application is None:
            return web.json_response({"status": "starting"}, status=503)
        status, body = await health(application)
        return web.Response(status=status, text=json.dumps(body), content_type="application/json")

    async def metrics(_request: web.Request) -> web.Response:
        payload, content_type = exposition()
        response = web.Response(body=payload)
        response.headers["Content-Type"] = content_type
        return response

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)


class MetricsServer:
    """A small aiohttp server with /healthz and /metrics only (polling mode, METRICS_PORT)."""

    def __init__(
        self, application: Application[Any, Any, Any, Any, Any, Any], *, listen: str, port: int
    ) -> None:
        self.application = application
        self.listen = listen
        self.port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        add_routes(app, lambda: self.application)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, self.listen, self.port).start()
        self._runner = runner
        log.info("metrics and health on http://%s:%d/metrics and /healthz", self.listen, self.port)

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
