"""/pause, /resume and /quit of a followed program, and their `en:` buttons (bot.ui.programs)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Final

from telegram import InlineKeyboardMarkup, Update

from bot.context import BotContext
from bot.db.enums import EnrollmentStatus
from bot.handlers import today
from bot.handlers.base import answer, user_for
from bot.i18n import _
from bot.services.enrollment import EnrollmentInfo, list_enrollments, pause, quit_program, resume
from bot.services.errors import DomainError, NotFound
from bot.services.program_day import OPEN
from bot.ui import programs as ui
from bot.ui.callback import parse_id

Args = list[str]
Route = Callable[[Update, BotContext, Args], Awaitable[None]]
Screen = tuple[str, InlineKeyboardMarkup | None]


async def stale(update: Update) -> None:
    """The answer to a button whose data is not (or no longer) ours."""
    await answer(update, _(ui.STALE_BUTTON), alert=True)


ELIGIBLE: Final[dict[str, tuple[EnrollmentStatus, ...]]] = {
    ui.PAUSE: (EnrollmentStatus.ACTIVE,),
    ui.RESUME: (EnrollmentStatus.PAUSED,),
    ui.QUIT: OPEN,
}


async def _act(update: Update, context: BotContext, action: str, enrollment_id: uuid.UUID) -> Screen:
    """Pause, resume, or ask to confirm quitting one enrollment of the user (DomainError if refused)."""
    async with context.db() as session:
        user = await user_for(session, update, context)
        if action == ui.PAUSE:
            return ui.paused_text(await pause(session, user, enrollment_id)), None
        if action == ui.RESUME:
            return ui.resumed_text(await resume(session, user, enrollment_id, context.now())), None
        if action == ui.QUIT_YES:
            return ui.quit_done_text(await quit_program(session, user, enrollment_id)), None
        found = [e for e in await list_enrollments(session, user, OPEN) if e.id == enrollment_id]
    if not found:
        raise NotFound(_(ui.ENROLLMENT_UNAVAILABLE))
    return ui.quit_confirm_text(found[0]), ui.quit_keyboard(enrollment_id)


async def _manage_command(update: Update, context: BotContext, action: str) -> None:
    """/pause, /resume, /quit: act on the one eligible enrollment, or ask which by buttons."""
    async with context.db() as session:
        user = await user_for(session, update, context)
        eligible = await list_enrollments(session, user, ELIGIBLE[action])
        paused: list[EnrollmentInfo] = []
        if not eligible and action == ui.PAUSE:
            paused = await list_enrollments(session, user, (EnrollmentStatus.PAUSED,))
    if not eligible:
        text = {
            ui.PAUSE: ui.nothing_to_pause(paused),
            ui.RESUME: _(ui.NOTHING_TO_RESUME),
            ui.QUIT: _(ui.NOTHING_TO_QUIT),
        }[action]
        await today.send(update, context, text, None)
        return
    if len(eligible) > 1:
        await today.send(update, context, _(ui.CHOOSE[action]), ui.choose_keyboard(action, eligible))
        return
    try:
        text, markup = await _act(update, context, action, eligible[0].id)
    except DomainError as error:  # changed meanwhile
        text, markup = ui.refused_text(error.reason), None
    await today.send(update, context, text, markup)


async def pause_command(update: Update, context: BotContext) -> None:
    """/pause"""
    await _manage_command(update, context, ui.PAUSE)


async def resume_command(update: Update, context: BotContext) -> None:
    """/resume"""
    await _manage_command(update, context, ui.RESUME)


async def quit_command(update: Update, context: BotContext) -> None:
    """/quit (asks for confirmation)"""
    await _manage_command(update, context, ui.QUIT)


def manage_button(action: str) -> Route:
    """en:p / en:r / en:q / en:qy :<enrollment>"""

    async def manage(update: Update, context: BotContext, args: Args) -> None:
        enrollment_id = parse_id(args[0])
        if enrollment_id is None:
            await stale(update)
            return
        try:
            text, markup = await _act(update, context, action, enrollment_id)
        except NotFound:
            await answer(update, _(ui.ENROLLMENT_UNAVAILABLE), alert=True)
            return
        except DomainError as error:
            await answer(update, error.reason)
            await today.show(update, context, ui.refused_text(error.reason), None)
            return
        await answer(update)
        await today.show(update, context, text, markup)

    return manage


async def keep_going(update: Update, context: BotContext, args: Args) -> None:
    """en:qn"""
    await answer(update)
    await today.show(update, context, _(ui.QUIT_KEPT), None)
