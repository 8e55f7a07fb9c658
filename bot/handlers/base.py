"""Small helpers every handler module shares."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update

from bot.context import BotContext
from bot.db.models import User
from bot.handlers.common import profile_of
from bot.services.users import get_user_by_telegram_id, register_user
from bot.services.workout_views import load_user_view


async def user_for(session: AsyncSession, update: Update, context: BotContext) -> User:
    """The user behind the update, registered on the spot if they never sent /start."""
    telegram_user = update.effective_user
    assert telegram_user is not None
    user = await get_user_by_telegram_id(session, telegram_user.id)
    if user is not None:
        return user
    settings = context.settings
    registration = await register_user(
        session,
        profile_of(update),
        default_timezone=settings.default_timezone,
        default_reminder_time=settings.default_reminder_time,
        admin_ids=settings.admin_telegram_ids,
    )
    return registration.user


async def user_with_workout(
    session: AsyncSession, update: Update, context: BotContext, session_id: uuid.UUID | None
) -> User:
    """`user_for`, reading in the same query the workout `session_id` (None: the one in progress) for
    the transaction's first `workouts.session_view` of it (bot.services.workout_views.load_user_view)."""
    telegram_user = update.effective_user
    assert telegram_user is not None
    user = await load_user_view(session, telegram_user.id, session_id)
    return user if user is not None else await user_for(session, update, context)


async def answer(update: Update, text: str | None = None, *, alert: bool = False) -> None:
    """Answer the button press (if any), so the client stops its spinner."""
    if update.callback_query is not None:
        await update.callback_query.answer(text[:200] if text else None, show_alert=alert)
