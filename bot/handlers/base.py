"""Small helpers every handler module shares."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, InlineKeyboardMarkup, Update
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import JSONDict

from bot.context import BotContext
from bot.db.models import User
from bot.handlers.common import profile_of
from bot.i18n import remember_locale, set_locale, user_locale
from bot.services.users import get_user_by_telegram_id, register_user
from bot.services.workout_views import load_user_view


async def user_for(session: AsyncSession, update: Update, context: BotContext) -> User:
    """The user behind the update, registered on the spot if they never sent /start."""
    telegram_user = update.effective_user
    assert telegram_user is not None
    user = await get_user_by_telegram_id(session, telegram_user.id)
    if user is not None:
        return speak_to(user)
    settings = context.settings
    registration = await register_user(
        session,
        profile_of(update),
        default_timezone=settings.default_timezone,
        default_reminder_time=settings.default_reminder_time,
        admin_ids=settings.admin_telegram_ids,
    )
    return speak_to(registration.user)


def speak_to(user: User) -> User:
    """Make `user`'s language the update's (bot.i18n) and remember it for their next update."""
    locale = user_locale(user)
    remember_locale(user.telegram_id, locale)
    set_locale(locale)
    return user


async def user_with_workout(
    session: AsyncSession, update: Update, context: BotContext, session_id: uuid.UUID | None
) -> User:
    """`user_for`, reading in the same query the workout `session_id` (None: the one in progress) for
    the transaction's first `workouts.session_view` of it (bot.services.workout_views.load_user_view)."""
    telegram_user = update.effective_user
    assert telegram_user is not None
    user = await load_user_view(session, telegram_user.id, session_id)
    return speak_to(user) if user is not None else await user_for(session, update, context)


async def send_screen(bot: Bot, chat_id: int, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """sendMessage (parse mode from the bot's Defaults), without parsing Telegram's answer into a
    `Message` nobody reads: that cost as much as building the request."""
    data: JSONDict = {"chat_id": chat_id, "text": text, "parse_mode": DEFAULT_NONE, "reply_markup": markup}
    await bot._post("sendMessage", data)


async def edit_screen(
    bot: Bot, chat_id: int, message_id: int, text: str, markup: InlineKeyboardMarkup | None
) -> None:
    """editMessageText of a chat's message, like `send_screen`: the answer is not parsed."""
    data: JSONDict = {
        "chat_id": chat_id,
        "message_id": message_id,
        "text": text,
        "parse_mode": DEFAULT_NONE,
        "reply_markup": markup,
    }
    await bot._post("editMessageText", data)


async def answer(update: Update, text: str | None = None, *, alert: bool = False) -> None:
    """Answer the button press (if any), so the client stops its spinner."""
    if update.callback_query is not None:
        await update.callback_query.answer(text[:200] if text else None, show_alert=alert)
