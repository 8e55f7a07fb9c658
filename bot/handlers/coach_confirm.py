"""Irreversible one-tap coaching actions ask first: a trainee's Leave of a coach, a coach's End of a
trainee's program. The first button only shows a question with "Yes, ..." / "Cancel" and writes
nothing; the second re-checks everything (callback data proves nothing), so a stale or forged
confirmation changes nothing. The routes live in bot.handlers.coaching.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, Update

from bot.context import BotContext
from bot.db.models import User
from bot.handlers import today
from bot.handlers.base import answer, user_for
from bot.i18n import _
from bot.services import coaching
from bot.services.errors import DomainError
from bot.ui import coaching as ui
from bot.ui.callback import parse_id

Args = list[str]
Outbox = list[tuple[int, str, InlineKeyboardMarkup | None]]
Screen = tuple[str, InlineKeyboardMarkup | None]


async def leave(update: Update, context: BotContext, args: Args) -> None:
    """co:lv:<coach> - ask first: leaving a coach cannot be undone without a new invitation."""
    coach_id = parse_id(args[0])
    if coach_id is None:
        await answer(update, _(ui.STALE_BUTTON), alert=True)
        return
    try:
        async with context.db() as session:
            user = await user_for(session, update, context)
            coach = await coaching.coach_link(session, user, coach_id)
    except DomainError as error:
        await answer(update, error.reason, alert=True)
        return
    await answer(update)
    await today.show(update, context, ui.leave_confirm_text(coach), ui.leave_keyboard(coach.id))


async def leave_confirmed(update: Update, context: BotContext, args: Args) -> None:
    """co:ly:<coach> - the link ends (a stale or forged confirmation changes nothing)."""
    coach_id = parse_id(args[0])
    if coach_id is None:
        await answer(update, _(ui.STALE_BUTTON), alert=True)
        return
    try:
        async with context.db() as session:
            user = await user_for(session, update, context)
            coach = await coaching.leave_coach(session, user, coach_id, context.now())
    except DomainError as error:
        await answer(update, error.reason, alert=True)
        return
    await answer(update)
    await today.show(update, context, ui.left_text(coach), None)


async def coaches_again(update: Update, context: BotContext, args: Args) -> None:
    """co:cl - Cancel on the Leave confirmation: the coaches list again, nothing changed."""
    async with context.db() as session:
        user = await user_for(session, update, context)
        found = await coaching.list_coaches(session, user)
    await answer(update)
    await today.show(update, context, ui.coaches_text(found), ui.coaches_keyboard(found))


async def end_ask(
    s: AsyncSession, user: User, context: BotContext, target: uuid.UUID, args: Args, out: Outbox
) -> Screen:
    """co:ee:<enrollment> - ask before ending (nothing is written)."""
    trainee, info = await coaching.coach_enrollment(s, user, target)
    return ui.end_confirm_text(trainee.display_name, info), ui.end_keyboard(trainee.id, info.id)
