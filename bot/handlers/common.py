"""Handlers every chat needs: /help, group-chat guard, unknown commands, the error handler.

/start is the entry of onboarding (bot.handlers.onboarding), which uses `profile_of` and `valid_payload`.
"""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import Forbidden, TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.db.enums import Role
from bot.i18n import _, remember_locale, set_locale, user_locale
from bot.services.errors import DomainError
from bot.services.users import TelegramProfile, get_user_by_telegram_id
from bot.ui import menus, texts

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
            await update.effective_message.reply_text(_(texts.PRIVATE_ONLY))
    elif update.callback_query is not None:
        await update.callback_query.answer(_(texts.PRIVATE_ONLY), show_alert=True)
    raise ApplicationHandlerStop


def valid_payload(payload: str) -> bool:
    """A deep-link payload as Telegram allows it: 1-64 characters of A-Z a-z 0-9 _ -."""
    return 1 <= len(payload) <= 64 and all(c.isascii() and (c.isalnum() or c in "_-") for c in payload)


async def help_command(update: Update, context: BotContext) -> None:
    """/help: the commands of the user's role (a coach's and an admin's too); nothing is written."""
    assert update.effective_message is not None
    role = Role.TRAINEE
    if update.effective_user is not None:
        async with context.db() as session:
            user = await get_user_by_telegram_id(session, update.effective_user.id)
            if user is not None:
                role = user.role
                locale = user_locale(user)  # their /language choice, not only their client's language
                remember_locale(user.telegram_id, locale)
                set_locale(locale)
    await update.effective_message.reply_text(menus.help_text(role))


async def unknown_command(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(_(texts.UNKNOWN_COMMAND))


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
        reply = _(texts.APOLOGY)
    if not isinstance(update, Update):
        return
    if update.callback_query is not None:
        # answered already, or too old: the message below still matters
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer()
    if update.effective_chat is not None:
        try:
            await context.bot.send_message(update.effective_chat.id, reply)
        except TelegramError:
            log.warning("could not tell the user about an error", exc_info=True)


async def stray_button(update: Update, context: BotContext) -> None:
    """A button no feature claims (an old keyboard, or forged data): stop the spinner, change nothing."""
    if update.callback_query is not None:
        await update.callback_query.answer(_(texts.STALE_BUTTON))
