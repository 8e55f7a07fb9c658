"""/language and the language row of /settings: which language the bot speaks to the user.

The choice is stored in app_user.language and wins over the Telegram language_code of later updates
(bot.i18n.user_locale); the answer is already in the new language. A user who chose a language keeps a
command menu of their own in it (their chat's list: Telegram shows the default menus by the client's
language). Callback data (``lg:``, bot.ui.language) is untrusted: anything else changes nothing.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.handlers import menus
from bot.handlers.base import speak_to, user_for
from bot.i18n import LOCALES, _, current_locale
from bot.services import settings as settings_service
from bot.services.loading import loading_of
from bot.services.settings import settings_of
from bot.ui import language as ui
from bot.ui import onboarding as settings_ui
from bot.ui.callback import unpack

if TYPE_CHECKING:
    from bot.app import BotApplication

log = logging.getLogger(__name__)


async def language_command(update: Update, context: BotContext) -> None:
    """/language: the picker, the current language marked; nothing is written."""
    message = update.effective_message
    assert message is not None
    async with context.db() as session:
        await user_for(session, update, context)
    current = current_locale()
    await message.reply_text(ui.prompt(current), reply_markup=ui.keyboard(current, ui.FROM_COMMAND))


async def _edit(
    update: Update, context: BotContext, text: str, keyboard: InlineKeyboardMarkup | None
) -> None:
    query = update.callback_query
    assert query is not None
    try:
        await query.edit_message_text(text, reply_markup=keyboard)
    except BadRequest as error:
        if "not modified" in error.message.lower():
            return
        chat = update.effective_chat
        if chat is not None:
            await context.bot.send_message(chat.id, text, reply_markup=keyboard)


async def on_button(update: Update, context: BotContext) -> None:
    """``lg:`` buttons: open the picker from /settings, or speak the language chosen."""
    query = update.callback_query
    assert query is not None
    parts = unpack(query.data, ui.PREFIX)
    if parts is None or len(parts) != 2 or parts[0] not in (ui.FROM_COMMAND, ui.FROM_SETTINGS):
        log.info("refused language button data %r from user %s", query.data, query.from_user.id)
        await query.answer(_(ui.UNKNOWN_LANGUAGE))
        return
    origin, value = parts
    if origin == ui.FROM_SETTINGS and value == "menu":
        async with context.db() as session:
            await user_for(session, update, context)
        current = current_locale()
        await _edit(update, context, ui.prompt(current), ui.keyboard(current, ui.FROM_SETTINGS))
        await query.answer()
        return
    if value not in LOCALES:
        log.info("refused language button data %r from user %s", query.data, query.from_user.id)
        await query.answer(_(ui.UNKNOWN_LANGUAGE))
        return
    async with context.db() as session:
        user = await user_for(session, update, context)
        await settings_service.set_language(session, user, value)
        speak_to(user)  # from here on, the new language
        role, chat_id = user.role, user.chat_id
        view = settings_of(user, context.now())
        plates = await loading_of(session, user) if origin == ui.FROM_SETTINGS and view.onboarded else None
    await menus.set_menu(context.bot, chat_id, role, value, chosen=True)
    if origin == ui.FROM_SETTINGS and view.onboarded:
        text = settings_ui.settings_text(view, ui.saved(value), plates)
        await _edit(update, context, text, settings_ui.settings_keyboard(view, plates))
    else:
        await _edit(update, context, ui.saved(value), ui.keyboard(value, origin))
    await query.answer()


def register(application: BotApplication) -> None:
    application.add_handler(CommandHandler("language", language_command))
    application.add_handler(CallbackQueryHandler(on_button, pattern=rf"^{ui.PREFIX}:"))
