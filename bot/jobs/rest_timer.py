"""The rest timer: one pending ping per chat, replaced whenever a new set is logged."""

from __future__ import annotations

import contextlib
from typing import Any
from weakref import WeakKeyDictionary

from apscheduler.jobstores.base import JobLookupError  # type: ignore[import-untyped]
from telegram.error import TelegramError
from telegram.ext import ContextTypes, Job, JobQueue

_TIMERS: WeakKeyDictionary[Any, dict[int, Job[Any]]] = WeakKeyDictionary()
"""Each job queue's latest rest timer by chat (keyed by its scheduler: a JobQueue takes no weak
reference): replacing one does not scan every job of the queue (JobQueue.get_jobs_by_name wraps each of
them in a Job first). A timer that has run stays until the chat's next one replaces it."""


def _name(chat_id: int) -> str:
    return f"rest:{chat_id}"


async def rest_over(context: ContextTypes.DEFAULT_TYPE) -> None:
    job = context.job
    if job is None or job.chat_id is None:
        return
    try:
        await context.bot.send_message(job.chat_id, str(job.data))
    except TelegramError:  # blocked the bot meanwhile: nothing to do for a rest ping
        return


def start_rest_timer(job_queue: JobQueue[Any] | None, chat_id: int, seconds: int, text: str) -> None:
    """Ping the chat with `text` after `seconds`; a newer timer replaces an older one."""
    if job_queue is None or seconds <= 0:
        return
    stop_rest_timer(job_queue, chat_id)
    job = job_queue.run_once(rest_over, seconds, chat_id=chat_id, name=_name(chat_id), data=text)
    _TIMERS.setdefault(job_queue.scheduler, {})[chat_id] = job


def stop_rest_timer(job_queue: JobQueue[Any] | None, chat_id: int) -> None:
    if job_queue is None:
        return
    job = _TIMERS.get(job_queue.scheduler, {}).pop(chat_id, None)
    if job is not None and not job.removed:
        with contextlib.suppress(JobLookupError):  # it ran meanwhile
            job.schedule_removal()
