"""The rest timer: one pending ping per chat, replaced whenever a new set is logged."""

from __future__ import annotations

from typing import Any

from telegram.error import TelegramError
from telegram.ext import ContextTypes, JobQueue


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
    job_queue.run_once(rest_over, seconds, chat_id=chat_id, name=_name(chat_id), data=text)


def stop_rest_timer(job_queue: JobQueue[Any] | None, chat_id: int) -> None:
    if job_queue is None:
        return
    for job in job_queue.get_jobs_by_name(_name(chat_id)):
        job.schedule_removal()
