"""The minute tick: daily reminders, each user's local-midnight rollover, the weekly summary.

`schedule_jobs` registers two JobQueue (APScheduler) jobs running `tick`: one right at start (it sends
the reminders missed while the bot was down, within the grace period) and one every minute, on the
minute. The database is the source of truth (bot.services.reminders has the rules); `tick(application,
now)` takes the clock explicitly, so tests call it directly instead of waiting for APScheduler.

A tick, in order: schedule users who have none yet; run the rollovers that are due; take the reminders
that are due; take the weekly summaries that are due. Each user is one transaction of its own (the claim
is committed before anything is sent), taken by one worker on SQLite (its writes are serial anyway) and
by a few on PostgreSQL; a failure is logged and leaves that user due for the next tick. Messages go out
concurrently, while the tick goes on, through the application's rate limiter as background traffic
(bot.ratelimit.BULK: paced under Telegram's limits, interactive replies first). Each reminder's outcome
is then kept in reminder_log, written in small batches: SENT, FAILED (retried with backoff first) or
BLOCKED (the user blocked the bot: reminders off, not retried). The claim makes delivery at most once:
a crash after a claim's commit and before its message leaves loses that reminder, never doubles it.

Several processes may run ticks against one database: each user's occurrence is taken by one of them
(see bot.services.reminders). Each process paces its own messages.
"""

from __future__ import annotations

import asyncio
import logging
import time as monotonic
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import Application, ExtBot

from bot import metrics
from bot.context import BotContext, BotData
from bot.db.enums import ReminderStatus
from bot.i18n import use_locale
from bot.ratelimit import BULK, retry_seconds
from bot.services import reminders as service
from bot.services.reminders import Delivery, Due, Kind, PreparedReminder
from bot.ui import reminders as ui

log = logging.getLogger(__name__)

START_JOB: Final = "reminders:start"
TICK_JOB: Final = "reminders:tick"
BATCH: Final = 200
SCHEDULE_BATCH: Final = 500
SEND_CONCURRENCY: Final = 32
PREPARE_WORKERS: Final = 4
"""Users taken at once on PostgreSQL (each in its own transaction and connection)."""
TIME_BUDGET: Final = 50.0
"""Seconds a tick keeps taking due users; what is left is due at the next tick."""
SEND_ATTEMPTS: Final = 3
BACKOFF: Final = (0.5, 1.0, 2.0)
RATE_LIMIT_WAITS: Final = 5
"""429s the sender itself waits out, after the rate limiter's own retries (or without one)."""
_LOCK: Final = "reminders:lock"

App = Application[Any, Any, Any, Any, BotData, Any]


@dataclass(slots=True)
class TickReport:
    """What one tick did (logged; tests and the benchmark read it)."""

    busy: bool = False
    scheduled: int = 0
    rollovers: int = 0
    reminders: int = 0
    sent: int = 0
    failed: int = 0
    blocked: int = 0
    dropped: int = 0
    summaries: int = 0
    errors: int = 0

    def __str__(self) -> str:
        return ", ".join(f"{name} {getattr(self, name)}" for name in self.__slots__ if getattr(self, name))


# --- sending -------------------------------------------------------------------------------------------


async def deliver(
    bot: ExtBot[Any],
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> Delivery:
    """Send one background message; the outcome, never an exception (but cancellation).

    403 (blocked) is final; 400 is final (retrying cannot fix the request); a time-out is final too (the
    message may have arrived - retrying could send it twice); other network errors and 5xx are retried
    with backoff; 429 is waited out (the rate limiter retries it first).
    """
    attempts = 0
    rate_waits = 0
    while True:
        attempts += 1
        try:
            message = await bot.send_message(chat_id, text, reply_markup=markup, rate_limit_args=BULK)
        except Forbidden as error:
            return Delivery(ReminderStatus.BLOCKED, attempts, error.message)
        except RetryAfter as error:
            if rate_waits >= RATE_LIMIT_WAITS:
                return Delivery(ReminderStatus.FAILED, attempts, error.message)
            rate_waits += 1
            await sleep(retry_seconds(error))
            continue
        except TimedOut as error:
            return Delivery(ReminderStatus.FAILED, attempts, f"{error.message} (not retried)")
        except BadRequest as error:
            return Delivery(ReminderStatus.FAILED, attempts, error.message)
        except NetworkError as error:
            if attempts >= SEND_ATTEMPTS:
                return Delivery(ReminderStatus.FAILED, attempts, error.message)
            await sleep(BACKOFF[min(attempts, len(BACKOFF)) - 1])
            continue
        except TelegramError as error:
            return Delivery(ReminderStatus.FAILED, attempts, error.message)
        return Delivery(ReminderStatus.SENT, attempts, message_id=message.message_id)


class _Outbox:
    """Sends concurrently (bounded) while the tick goes on taking users; `drain` waits for all."""

    def __init__(self, limit: int = SEND_CONCURRENCY) -> None:
        self._slots = asyncio.Semaphore(limit)
        self._tasks: set[asyncio.Task[None]] = set()

    async def put(self, job: Callable[[], Awaitable[None]]) -> None:
        await self._slots.acquire()

        async def run() -> None:
            try:
                await job()
            except Exception:
                log.exception("sending a reminder failed")
            finally:
                self._slots.release()

        task = asyncio.create_task(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks))


# --- the tick ------------------------------------------------------------------------------------------


def _grace(data: BotData) -> timedelta:
    hours = data.settings.reminder_grace_hours if data.settings is not None else 3.0
    return timedelta(hours=hours)


async def _due_batches(data: BotData, kind: Kind, now: datetime, deadline: float) -> AsyncIterator[Due]:
    """Every user whose `kind` is due, in batches of one indexed query each (keyset: a user that fails
    is not fetched again in this tick)."""
    after: Due | None = None
    while monotonic.monotonic() < deadline:
        async with data.db() as session:
            batch = await service.due_users(session, kind, now, limit=BATCH, after=after)
        for due in batch:
            yield due
        if len(batch) < BATCH:
            return
        after = batch[-1]


def _workers(data: BotData) -> int:
    """Users prepared at once: SQLite runs one write transaction at a time anyway; PostgreSQL does not."""
    engine = data.engine
    return PREPARE_WORKERS if engine is not None and engine.dialect.name == "postgresql" else 1


async def _each_due(
    data: BotData,
    kind: Kind,
    now: datetime,
    deadline: float,
    take: Callable[[Due], Awaitable[None]],
    report: TickReport,
) -> None:
    """Run `take` for every user whose `kind` is due, by a few concurrent workers (each user in its own
    transaction); a failure is logged and leaves that user due for the next tick."""
    queue: asyncio.Queue[Due | None] = asyncio.Queue(maxsize=BATCH)
    workers = _workers(data)

    async def work() -> None:
        while (due := await queue.get()) is not None:
            try:
                await take(due)
            except Exception:
                report.errors += 1
                log.exception("%s of user %s failed", kind, due.user_id)

    tasks = [asyncio.create_task(work()) for _worker in range(workers)]
    try:
        async for due in _due_batches(data, kind, now, deadline):
            await queue.put(due)
    finally:
        for _task in tasks:
            await queue.put(None)
        await asyncio.gather(*tasks)


async def tick(application: App, now: datetime | None = None) -> TickReport:
    """One run of the scheduler at `now` (default: the application's clock). Runs one at a time per
    application; a call while one runs returns at once with `busy` set."""
    data = application.bot_data
    lock = data.extras.setdefault(_LOCK, asyncio.Lock())
    report = TickReport()
    if lock.locked():
        report.busy = True
        return report
    async with lock:
        now = now or data.clock()
        deadline = monotonic.monotonic() + TIME_BUDGET
        outbox = _Outbox()
        try:
            await _schedule(data, now, deadline, report)
            await _rollovers(application, now, deadline, outbox, report)
            await _reminders(application, now, deadline, outbox, report)
            await _summaries(application, now, deadline, outbox, report)
        finally:
            await outbox.drain()
            metrics.count_reminders(
                sent=report.sent, failed=report.failed, blocked=report.blocked, dropped=report.dropped
            )
    if str(report):
        log.info("reminder tick at %s: %s", now.isoformat(timespec="seconds"), report)
    return report


async def _schedule(data: BotData, now: datetime, deadline: float, report: TickReport) -> None:
    grace = _grace(data)
    while monotonic.monotonic() < deadline:
        try:
            async with data.db() as session:
                seen = await service.schedule_unscheduled(session, now, grace=grace, limit=SCHEDULE_BATCH)
        except Exception:
            report.errors += 1
            log.exception("scheduling new users failed")
            return
        report.scheduled += seen
        if seen < SCHEDULE_BATCH:
            return


async def _rollovers(
    application: App, now: datetime, deadline: float, outbox: _Outbox, report: TickReport
) -> None:
    data = application.bot_data

    async def take(due: Due) -> None:
        async with data.db() as session:
            result = await service.take_rollover(session, due, now)
        if result is None:
            return
        report.rollovers += 1
        recipient = result.recipient
        if result.completed and recipient is not None:
            with use_locale(recipient.locale):
                text = ui.completed_text(result.completed, recipient.weight_unit)
            await outbox.put(_notify(application, recipient.user_id, recipient.chat_id, text))

    await _each_due(data, "rollover", now, deadline, take, report)


def _notify(application: App, user_id: Any, chat_id: int, text: str) -> Callable[[], Awaitable[None]]:
    async def send() -> None:
        delivery = await deliver(application.bot, chat_id, text)
        if delivery.status == ReminderStatus.BLOCKED:
            async with application.bot_data.db() as session:
                await service.switch_off_blocked(session, user_id)
        elif delivery.status != ReminderStatus.SENT:
            log.warning("message to user %s not delivered: %s", user_id, delivery.error)

    return send


async def _reminders(
    application: App, now: datetime, deadline: float, outbox: _Outbox, report: TickReport
) -> None:
    data = application.bot_data
    grace = _grace(data)
    outcomes = _Outcomes(data)

    async def take(due: Due) -> None:
        async with data.db() as session:  # the claim is committed here, before anything is sent
            prepared = await service.take_reminder(session, due, now, grace=grace)
        if prepared is None:
            return
        report.reminders += 1
        if prepared.dropped:
            report.dropped += 1
        if prepared.has_message:
            await outbox.put(_send_reminder(application, prepared, outcomes, report))

    try:
        await _each_due(data, "reminder", now, deadline, take, report)
    finally:
        await outbox.drain()
        await outcomes.flush()


class _Outcomes:
    """Reminder outcomes, written to reminder_log in batches (one transaction per batch, not per
    message); `flush` writes what is pending."""

    def __init__(self, data: BotData, batch: int = 32, every: float = 0.5) -> None:
        self._data = data
        self._batch = batch
        self._every = every
        self._pending: list[tuple[PreparedReminder, Delivery, datetime]] = []
        self._last = monotonic.monotonic()
        self._lock = asyncio.Lock()

    async def add(self, prepared: PreparedReminder, delivery: Delivery) -> None:
        self._pending.append((prepared, delivery, self._data.clock()))
        if len(self._pending) >= self._batch or monotonic.monotonic() - self._last >= self._every:
            await self.flush()

    async def flush(self) -> None:
        async with self._lock:
            batch, self._pending = self._pending, []
            self._last = monotonic.monotonic()
            if not batch:
                return
            async with self._data.db() as session:
                for prepared, delivery, when in batch:
                    await service.record_delivery(session, prepared.log_ids, delivery, when)
                    if delivery.status == ReminderStatus.BLOCKED and prepared.recipient is not None:
                        await service.switch_off_blocked(session, prepared.recipient.user_id)


def _send_reminder(
    application: App, prepared: PreparedReminder, outcomes: _Outcomes, report: TickReport
) -> Callable[[], Awaitable[None]]:
    async def send() -> None:
        recipient = prepared.recipient
        assert recipient is not None
        with use_locale(recipient.locale):  # each user's reminder in their own language
            text, markup = ui.reminder_text(prepared), ui.reminder_keyboard(prepared)
        delivery = await deliver(application.bot, recipient.chat_id, text, markup)
        await outcomes.add(prepared, delivery)
        if delivery.status == ReminderStatus.SENT:
            report.sent += 1
        elif delivery.status == ReminderStatus.BLOCKED:
            report.blocked += 1
            log.info("user %s blocked the bot: reminders switched off", recipient.user_id)
        else:
            report.failed += 1
            log.warning("reminder to user %s failed after %d attempts: %s", recipient.user_id,
                        delivery.attempts, delivery.error)  # fmt: skip

    return send


async def _summaries(
    application: App, now: datetime, deadline: float, outbox: _Outbox, report: TickReport
) -> None:
    data = application.bot_data
    grace = _grace(data)

    async def take(due: Due) -> None:
        async with data.db() as session:
            summary = await service.take_summary(session, due, now, grace=grace)
        if summary is None:
            return
        report.summaries += 1
        recipient = summary.recipient
        with use_locale(recipient.locale):
            text = ui.summary_text(summary)
        await outbox.put(_notify(application, recipient.user_id, recipient.chat_id, text))

    await _each_due(data, "summary", now, deadline, take, report)


# --- the jobs ------------------------------------------------------------------------------------------


async def tick_job(context: BotContext) -> None:
    """The JobQueue callback: a tick at the application's clock."""
    await tick(context.application)


def schedule_jobs(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Register the start-up tick and the minute tick (on the minute) with the JobQueue."""
    job_queue = application.job_queue
    if job_queue is None:  # pragma: no cover - the job-queue extra is a dependency
        log.warning("no JobQueue: reminders and the daily rollover are off")
        return
    # Never skip a run because the loop was busy when it was due (APScheduler's default grace is 1 s),
    # and never run two at once (tick() also guards against that).
    job_kwargs = {"misfire_grace_time": None, "coalesce": True, "max_instances": 1}
    wall = datetime.now(UTC)
    next_minute = wall.replace(second=0, microsecond=0) + timedelta(minutes=1, seconds=1)
    job_queue.run_once(tick_job, when=0, name=START_JOB, job_kwargs=job_kwargs)
    job_queue.run_repeating(tick_job, interval=60, first=next_minute, name=TICK_JOB, job_kwargs=job_kwargs)


def unschedule_jobs(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Remove the tick jobs (tests drive `tick` by hand)."""
    job_queue = application.job_queue
    if job_queue is None:
        return
    for name in (START_JOB, TICK_JOB):
        for job in job_queue.get_jobs_by_name(name):
            job.schedule_removal()


__all__ = ["TickReport", "deliver", "schedule_jobs", "tick", "tick_job", "unschedule_jobs"]
