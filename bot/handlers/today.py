"""/today: every open enrollment's program day, with Start and Skip buttons; `td:` callbacks.

Also the two ways the program screens put a message on the chat: `send` (a new message) and `show`
(edit the pressed message in place, never failing on an identical edit).
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.handlers.base import answer, user_for
from bot.i18n import _
from bot.services.errors import NotFound
from bot.services.program_day import today_plans
from bot.services.timezones import local_today
from bot.services.workouts import day_outcome, in_progress_session, session_view
from bot.ui import today as ui
from bot.ui.callback import unpack

log = logging.getLogger(__name__)

_GONE = ("message to edit not found", "message can't be edited", "message_id_invalid")


async def send(update: Update, context: BotContext, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """A new message in the chat of the update."""
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_message(chat.id, text, reply_markup=markup)


async def show(update: Update, context: BotContext, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Edit the message whose button was pressed; a new message when there is nothing to edit.

    Editing to the very same text and keyboard is a no-op (Telegram's "message is not modified").
    """
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        await send(update, context, text, markup)
        return
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        reason = error.message.lower()
        if "not modified" in reason:
            return
        if not any(gone in reason for gone in _GONE):
            raise
        log.info("could not edit message %s (%s): sending a new one", query.message.message_id, reason)
        await send(update, context, text, markup)


async def render_today(update: Update, context: BotContext) -> tuple[str, InlineKeyboardMarkup]:
    """The /today message of the user behind the update (one transaction)."""
    now = context.now()
    async with context.db() as session:
        user = await user_for(session, update, context)
        plans = await today_plans(session, user, now)
        running_id = await in_progress_session(session, user)
        running = None
        if running_id is not None:
            name = next(
                (w.name for plan in plans for w in plan.workouts if w.session_id == running_id),
                None,
            )
            if name is None:
                try:
                    name = (await session_view(session, user, running_id)).workout_name
                except NotFound:  # pragma: no cover - it was just found
                    name = None
            if name is not None:
                running = ui.Running(running_id, name)
        today = local_today(user.timezone, now)
        finished = {
            plan.enrollment_id: await day_outcome(session, plan.enrollment_id, plan.day_number - 1)
            for plan in plans
            if plan.current_since > today and plan.day_number > 1
        }
    return ui.today_text(plans, today, running, finished), ui.today_keyboard(plans, running)


async def today_command(update: Update, context: BotContext) -> None:
    """/today: the day of every ACTIVE or PAUSED enrollment, the workout in progress first."""
    text, markup = await render_today(update, context)
    await send(update, context, text, markup)


async def refresh_today(update: Update, context: BotContext) -> None:
    """td:r - the same /today message, brought up to date in place."""
    parts = unpack(update.callback_query.data if update.callback_query else None, ui.TD)
    if parts != [ui.REFRESH]:
        await answer(update, _(ui.STALE_BUTTON), alert=True)
        return
    text, markup = await render_today(update, context)
    await answer(update)
    await show(update, context, text, markup)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The /today command and its buttons."""
    application.add_handler(CommandHandler("today", today_command))
    application.add_handler(CallbackQueryHandler(refresh_today, pattern=rf"^{ui.TD}:"))
