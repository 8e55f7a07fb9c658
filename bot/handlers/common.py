"""Handlers every chat needs: /start, /help, group-chat guard, unknown commands, the error handler."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import Forbidden, TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.services.errors import DomainError
from bot.services.users import TelegramProfile, register_user
from bot.ui import texts

log = logging.getLogger(__name__)


def profile_of(update: Update) -> TelegramProfile:
    user = update.effective_user
    assert user is not None
    chat = update.effective_chat
    return TelegramProfile(
        telegram_id=user.id,
        chat_id=chat.id if chat is not None and chat.type == ChatType.PRIVATE else None,
        first_name=user.first_name,
        last_name=user.last_name,
        username=user.username,
        language_code=user.language_code,
    )


async def guard_private_chat(update: Update, context: BotContext) -> None:
    """The bot talks to one person at a time: in groups it asks to be messaged privately."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return
    if update.effective_message is not None and update.effective_message.text:
        text = update.effective_message.text
        if text.startswith("/"):
            await update.effective_message.reply_text(texts.PRIVATE_ONLY)
    elif update.callback_query is not None:
        await update.callback_query.answer(texts.PRIVATE_ONLY, show_alert=True)
    raise ApplicationHandlerStop


async def start(update: Update, context: BotContext) -> None:
    """Register the user (idempotent) and greet them; a deep-link payload is kept for later."""
    message = update.effective_message
    assert message is not None
    payload = context.args[0] if context.args else None
    if payload is not None and not _valid_payload(payload):
        payload = None
    settings = context.settings
    async with context.db() as session:
        registration = await register_user(
            session,
            profile_of(update),
            default_timezone=settings.default_timezone,
            default_reminder_time=settings.default_reminder_time,
            admin_ids=settings.admin_telegram_ids,
            start_payload=payload,
        )
        first_name = registration.user.first_name
        created = registration.created
    text = texts.welcome_new(first_name) if created else texts.welcome_back(first_name)
    await message.reply_text(text)


def _valid_payload(payload: str) -> bool:
    return 1 <= len(payload) <= 64 and all(c.isascii() and (c.isalnum() or c in "_-") for c in payload)


async def help_command(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(texts.help_text())


async def unknown_command(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(texts.UNKNOWN_COMMAND)


async def on_error(update: object, context: BotContext) -> None:
    """Domain errors become friendly replies; anything else is logged and gets a short apology."""
    error = context.error
    reply = None
    if isinstance(error, DomainError):
        reply = texts.esc(error.reason)
    elif isinstance(error, Forbidden):
        log.info("user blocked the bot: %s", error)
        return
    else:
        log.error("unhandled error while handling an update", exc_info=error)
        reply = texts.APOLOGY
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
        if update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, reply)
    except TelegramError:
        log.warning("could not tell the user about an error", exc_info=True)
