"""/programs (browse, filter, program cards), enrolling with a start date; the routing of the `pg:` and
`en:` buttons and the commands of bot.handlers.program_manage (/pause, /resume, /quit).

Buttons carry `pg:` (browsing) and `en:` (enrollment) callback data - the scheme is in bot.ui.programs.
Callback data is untrusted: ids that do not parse, and ids of programs the user may not see or of
enrollments that are not theirs, get a polite answer and change nothing (the services check ownership
and visibility). The browse filters live in `user_data` (JSON-friendly: a dict of codes), never in the
buttons.

Typing a start date is the small "enroll" conversation: the "Type a date" button enters TYPING_DATE and
the next text message is read as the date; a wrong one is explained and asked again. Any of this
module's commands and buttons (and /cancel) leave the conversation, doing what they normally do.
"""

from __future__ import annotations

import logging
import uuid
import warnings
from collections.abc import Awaitable, Callable, Coroutine
from datetime import date, datetime, timedelta
from enum import IntEnum
from typing import Any, Final

from telegram import Update
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.context import BotContext
from bot.handlers import today
from bot.handlers.base import answer, user_for
from bot.handlers.program_manage import (
    Args,
    Route,
    Screen,
    keep_going,
    manage_button,
    pause_command,
    quit_command,
    resume_command,
    stale,
)
from bot.i18n import _
from bot.services.dates import InvalidDate, next_weekday, parse_date
from bot.services.enrollment import check_start_date, enroll
from bot.services.errors import DomainError, NotFound
from bot.services.program_day import OPEN, today_plans
from bot.services.programs import ProgramFilters, browse_programs, filter_options, program_card
from bot.services.timezones import local_today
from bot.ui import programs as ui
from bot.ui import today as today_ui
from bot.ui.callback import parse_id, unpack

log = logging.getLogger(__name__)

FILTERS_KEY: Final = "program_filters"
TYPING_KEY: Final = "enroll_program"
MAX_PAGE: Final = 9999
# A forgotten "Type a date" stops catching text after this long: PTB's conversation_timeout ends it in
# this process, and the time kept in user_data catches a state that outlived a restart.
TYPING_TIMEOUT: Final = timedelta(minutes=10)


class EnrollState(IntEnum):
    """The states of the "enroll" conversation."""

    TYPING_DATE = 1


class BadStartDate(Exception):
    """A start date that cannot be read or is outside the service's window: ask again."""

    def __init__(self, reason: str, *, unreadable: bool, today: date) -> None:
        super().__init__(reason)
        self.reason = reason
        self.unreadable = unreadable
        self.today = today  # the user's local today, for examples that are not in the past


# --- small helpers -------------------------------------------------------------------------------------


def _user_data(context: BotContext) -> dict[Any, Any]:
    data = context.user_data
    assert data is not None
    return data


def _page(text: str) -> int | None:
    """A page number from callback data (ASCII digits only: '²'.isdigit() is true too)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= len(str(MAX_PAGE)) else None


def _filters(context: BotContext) -> ProgramFilters:
    return ui.filters_of(_user_data(context).get(FILTERS_KEY))


def _store_filters(context: BotContext, chosen: ProgramFilters) -> None:
    data = ui.filters_data(chosen)
    if data:
        _user_data(context)[FILTERS_KEY] = data
    else:
        _user_data(context).pop(FILTERS_KEY, None)


def _remember_typing(context: BotContext, program_id: uuid.UUID) -> None:
    """The program a typed date is for, and when it was asked (JSON-friendly for the persistence)."""
    _user_data(context)[TYPING_KEY] = {"program": str(program_id), "asked_at": context.now().isoformat()}


def _typing(context: BotContext) -> tuple[uuid.UUID | None, datetime | None]:
    """What _remember_typing kept; Nones for anything missing or malformed."""
    pending = _user_data(context).get(TYPING_KEY)
    if not isinstance(pending, dict):
        return None, None
    try:
        program_id = uuid.UUID(str(pending.get("program")))
        asked_at = datetime.fromisoformat(str(pending.get("asked_at")))
    except ValueError:
        return None, None
    return program_id, asked_at if asked_at.tzinfo is not None else None


# --- browsing ------------------------------------------------------------------------------------------


async def _list_screen(update: Update, context: BotContext, page: int) -> Screen:
    """One page of the list with the kept filters; filters whose option no longer exists are dropped."""
    chosen_filters = _filters(context)
    async with context.db() as session:
        user = await user_for(session, update, context)
        options = await filter_options(session, user)
        names = ui.chosen_names(chosen_filters, options)
        kept = ProgramFilters(
            **{
                field: getattr(chosen_filters, field) if kind in names else None
                for kind, (field, _label) in ui.KINDS.items()
            }
        )
        result = await browse_programs(session, user, kept, page)
    if kept != chosen_filters:
        _store_filters(context, kept)
    return ui.list_text(result, names), ui.list_keyboard(result, bool(names))


async def programs_command(update: Update, context: BotContext) -> None:
    """/programs: the first page of the programs the user can find, with their filters."""
    text, markup = await _list_screen(update, context, 0)
    await today.send(update, context, text, markup)


async def show_page(update: Update, context: BotContext, args: Args) -> None:
    """pg:l:<page>"""
    page = _page(args[0])
    if page is None:
        await stale(update)
        return
    text, markup = await _list_screen(update, context, page)
    await answer(update)
    await today.show(update, context, text, markup)


async def _card_screen(update: Update, context: BotContext, program_id: uuid.UUID, page: int) -> Screen:
    async with context.db() as session:
        user = await user_for(session, update, context)
        card = await program_card(session, user, program_id)
    return ui.card_text(card), ui.card_keyboard(card, page)


async def open_card(update: Update, context: BotContext, args: Args) -> None:
    """pg:p:<program>:<page>"""
    program_id, page = parse_id(args[0]), _page(args[1])
    if program_id is None or page is None:
        await stale(update)
        return
    try:
        text, markup = await _card_screen(update, context, program_id, page)
    except NotFound:
        await answer(update, _(ui.PROGRAM_UNAVAILABLE), alert=True)
        return
    await answer(update)
    await today.show(update, context, text, markup)


async def open_filters(update: Update, context: BotContext, args: Args) -> None:
    """pg:f"""
    async with context.db() as session:
        user = await user_for(session, update, context)
        options = await filter_options(session, user)
    names = ui.chosen_names(_filters(context), options)
    await answer(update)
    await today.show(update, context, ui.filter_menu_text(names), ui.filter_menu_keyboard(names, options))


async def open_filter_kind(update: Update, context: BotContext, args: Args) -> None:
    """pg:fm:<kind>"""
    kind = args[0]
    if kind not in ui.KINDS:
        await stale(update)
        return
    async with context.db() as session:
        user = await user_for(session, update, context)
        options = await filter_options(session, user)
    current = getattr(_filters(context), ui.KINDS[kind][0])
    await answer(update)
    await today.show(
        update, context, ui.filter_options_text(kind), ui.filter_options_keyboard(kind, options, current)
    )


async def set_filter(update: Update, context: BotContext, args: Args) -> None:
    """pg:fs:<kind>:<code> - choose an option (or any), then the list's first page."""
    kind, code = args
    if kind not in ui.KINDS:
        await stale(update)
        return
    if code:
        async with context.db() as session:
            user = await user_for(session, update, context)
            options = await filter_options(session, user)
        if code not in {option.code for option in ui.options_of(options, kind)}:
            await answer(update, _(ui.FILTER_GONE), alert=True)
            return
    field = ui.KINDS[kind][0]
    current = ui.filters_data(_filters(context))
    current[field] = code
    _store_filters(context, ui.filters_of(current))
    text, markup = await _list_screen(update, context, 0)
    await answer(update)
    await today.show(update, context, text, markup)


async def clear_filters(update: Update, context: BotContext, args: Args) -> None:
    """pg:fx"""
    _store_filters(context, ProgramFilters())
    text, markup = await _list_screen(update, context, 0)
    await answer(update, _("Filters cleared"))
    await today.show(update, context, text, markup)


async def noop(update: Update, context: BotContext, args: Args) -> None:
    """pg:n - the page counter."""
    await answer(update)


# --- enrolling -----------------------------------------------------------------------------------------


def _start_dates(day: date) -> dict[str, date]:
    return {ui.TODAY: day, ui.TOMORROW: day + timedelta(days=1), ui.NEXT_MONDAY: next_weekday(day, 0)}


async def ask_start(update: Update, context: BotContext, args: Args) -> None:
    """en:s:<program>:<page> - the start date buttons (or a reminder that the user follows it)."""
    program_id, page = parse_id(args[0]), _page(args[1])
    if program_id is None or page is None:
        await stale(update)
        return
    try:
        async with context.db() as session:
            user = await user_for(session, update, context)
            card = await program_card(session, user, program_id)
            day = local_today(user.timezone, context.now())
    except NotFound:
        await answer(update, _(ui.PROGRAM_UNAVAILABLE), alert=True)
        return
    if card.enrollment_status in OPEN:
        await answer(update, ui.already_following(card.name), alert=True)
        await today.show(update, context, ui.card_text(card), ui.card_keyboard(card, page))
        return
    await answer(update)
    await today.show(
        update,
        context,
        ui.start_prompt_text(card),
        ui.start_prompt_keyboard(card.id, page, _start_dates(day), day),
    )


async def enroll_on(
    update: Update, context: BotContext, program_id: uuid.UUID, pick: Callable[[date], date]
) -> Screen:
    """Enroll from the day `pick` chooses (given the user's local today); the confirmation screen.

    Raises BadStartDate when the day cannot be read or is outside the window, DomainError (NotFound,
    AlreadyEnrolled, ...) when the enrollment is refused; either way nothing is written.
    """
    now = context.now()
    async with context.db() as session:
        user = await user_for(session, update, context)
        day = local_today(user.timezone, now)
        try:
            start = pick(day)
            check_start_date(start, day)
        except DomainError as error:
            raise BadStartDate(error.reason, unreadable=isinstance(error, InvalidDate), today=day) from error
        info = await enroll(session, user, program_id, start, now)
        plans = await today_plans(session, user, now) if start <= day else []
        plan = next((p for p in plans if p.enrollment_id == info.id), None)
    return ui.enrolled_text(info, day, plan), ui.enrolled_keyboard(plan)


async def start_on(update: Update, context: BotContext, args: Args) -> None:
    """en:d:<program>:<when> - enroll starting today, tomorrow or next Monday."""
    program_id, when = parse_id(args[0]), args[1]
    if program_id is None or when not in ui.WHEN:
        await stale(update)
        return
    _user_data(context).pop(TYPING_KEY, None)
    try:
        text, markup = await enroll_on(update, context, program_id, lambda day: _start_dates(day)[when])
    except BadStartDate as error:  # pragma: no cover - the buttons' days are always in the window
        await answer(update, error.reason, alert=True)
        return
    except NotFound:
        await answer(update, _(ui.PROGRAM_UNAVAILABLE), alert=True)
        return
    except DomainError as error:
        await answer(update, error.reason)
        await today.show(update, context, ui.refused_text(error.reason), ui.back_to_card_keyboard(program_id))
        return
    await answer(update, _("Enrolled!"))
    await today.show(update, context, text, markup)


async def ask_typed_date(update: Update, context: BotContext) -> int:
    """en:x:<program> - the conversation's entry: ask for a typed start date."""
    parts = unpack(update.callback_query.data if update.callback_query else None, ui.EN)
    program_id = parse_id(parts[1]) if parts and len(parts) == 2 else None
    if program_id is None:
        await stale(update)
        return ConversationHandler.END
    try:
        async with context.db() as session:
            user = await user_for(session, update, context)
            card = await program_card(session, user, program_id)
            day = local_today(user.timezone, context.now())
            if card.enrollment_status not in OPEN:  # committed with the transaction, before the prompt
                _remember_typing(context, card.id)
                context.next_state(update, "enroll", EnrollState.TYPING_DATE)
    except NotFound:
        await answer(update, _(ui.PROGRAM_UNAVAILABLE), alert=True)
        return ConversationHandler.END
    if card.enrollment_status in OPEN:
        await answer(update, ui.already_following(card.name), alert=True)
        return ConversationHandler.END
    await answer(update)
    await today.show(update, context, ui.type_date_text(card.name, day), ui.cancel_keyboard(card.id))
    return EnrollState.TYPING_DATE


async def receive_typed_date(update: Update, context: BotContext) -> int:
    """The typed start date: enroll, or explain what is wrong and wait for another one."""
    message = update.effective_message
    assert message is not None and message.text is not None
    typed = message.text
    program_id, asked_at = _typing(context)
    if program_id is None or asked_at is None:
        _user_data(context).pop(TYPING_KEY, None)
        await message.reply_text(_(ui.TYPE_DATE_LOST))
        return ConversationHandler.END
    if context.now() - asked_at > TYPING_TIMEOUT:
        _user_data(context).pop(TYPING_KEY, None)
        await message.reply_text(_(ui.TYPE_DATE_EXPIRED))
        return ConversationHandler.END
    try:
        text, markup = await enroll_on(update, context, program_id, lambda day: parse_date(typed, day))
    except BadStartDate as error:
        text_of = ui.bad_date_text if error.unreadable else ui.bad_start_text
        reply = text_of(error.reason, error.today)
        _remember_typing(context, program_id)  # another try: the wait starts again
        await message.reply_text(reply, reply_markup=ui.cancel_keyboard(program_id))
        return EnrollState.TYPING_DATE
    except DomainError as error:
        _user_data(context).pop(TYPING_KEY, None)
        await message.reply_text(ui.refused_text(error.reason))
        return ConversationHandler.END
    _user_data(context).pop(TYPING_KEY, None)
    await message.reply_text(text, reply_markup=markup)
    return ConversationHandler.END


async def cancel_date(update: Update, context: BotContext, args: Args) -> None:
    """en:c:<program> - stop typing a date: back to the program's card."""
    _user_data(context).pop(TYPING_KEY, None)
    program_id = parse_id(args[0])
    if program_id is not None:
        try:
            text, markup = await _card_screen(update, context, program_id, 0)
        except NotFound:
            pass
        else:
            await answer(update)
            await today.show(update, context, text, markup)
            return
    await answer(update)
    await today.show(update, context, _(ui.DATE_CANCELLED), None)


async def cancel_command(update: Update, context: BotContext) -> int:
    """/cancel while typing a date."""
    _user_data(context).pop(TYPING_KEY, None)
    await today.send(update, context, _(ui.DATE_CANCELLED), None)
    return ConversationHandler.END


# --- routing -------------------------------------------------------------------------------------------

# prefix -> action -> (number of arguments, handler)
ROUTES: Final[dict[str, dict[str, tuple[int, Route]]]] = {
    ui.PG: {
        ui.LIST: (1, show_page),
        ui.CARD: (2, open_card),
        ui.FILTERS: (0, open_filters),
        ui.FILTER_KIND: (1, open_filter_kind),
        ui.FILTER_SET: (2, set_filter),
        ui.FILTER_CLEAR: (0, clear_filters),
        ui.NOOP: (0, noop),
    },
    ui.EN: {
        ui.ASK_START: (2, ask_start),
        ui.START_ON: (2, start_on),
        ui.CANCEL_DATE: (1, cancel_date),
        ui.PAUSE: (1, manage_button(ui.PAUSE)),
        ui.RESUME: (1, manage_button(ui.RESUME)),
        ui.QUIT: (1, manage_button(ui.QUIT)),
        ui.QUIT_YES: (1, manage_button(ui.QUIT_YES)),
        ui.QUIT_NO: (0, keep_going),
    },
}


async def route(update: Update, context: BotContext) -> None:
    """Every pg: and en: button: to its handler, or a polite answer for data that is not ours."""
    data = update.callback_query.data if update.callback_query else None
    prefix = (data or "").split(":", 1)[0]
    parts = unpack(data, prefix)
    routes = ROUTES.get(prefix, {})
    if not parts or parts[0] not in routes or routes[parts[0]][0] != len(parts) - 1:
        await stale(update)
        return
    await routes[parts[0]][1](update, context, parts[1:])


def _ending(
    callback: Callable[[Update, BotContext], Awaitable[object]],
) -> Callable[[Update, BotContext], Coroutine[Any, Any, int]]:
    """`callback`, then leave the conversation (a command or button used while typing a date)."""

    async def leave(update: Update, context: BotContext) -> int:
        _user_data(context).pop(TYPING_KEY, None)
        await callback(update, context)
        return ConversationHandler.END

    return leave


COMMANDS: Final[dict[str, Callable[[Update, BotContext], Coroutine[Any, Any, None]]]] = {
    "programs": programs_command,
    "pause": pause_command,
    "resume": resume_command,
    "quit": quit_command,
}


def enroll_conversation(
    application: Application[Any, Any, Any, Any, Any, Any],
) -> ConversationHandler[BotContext]:
    """The "enroll" conversation: typing a start date."""
    fallbacks: list[BaseHandler[Update, BotContext, Any]] = [CommandHandler("cancel", cancel_command)]
    fallbacks += [CommandHandler(name, _ending(callback)) for name, callback in COMMANDS.items()]
    fallbacks += [
        CommandHandler("today", _ending(today.today_command)),
        CallbackQueryHandler(_ending(route), pattern=rf"^({ui.PG}|{ui.EN}):"),
        CallbackQueryHandler(_ending(today.refresh_today), pattern=rf"^{today_ui.TD}:"),
    ]
    with warnings.catch_warnings():
        # Tracked per user and chat on purpose: the typed date belongs to the last "Type a date" pressed.
        warnings.filterwarnings("ignore", message=".*per_message=False", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=[CallbackQueryHandler(ask_typed_date, pattern=rf"^{ui.EN}:{ui.TYPE_DATE}:")],
            states={
                EnrollState.TYPING_DATE: [
                    MessageHandler(filters.TEXT & ~filters.COMMAND, receive_typed_date),
                ],
            },
            fallbacks=fallbacks,
            allow_reentry=True,
            name="enroll",
            persistent=application.persistence is not None,
            conversation_timeout=TYPING_TIMEOUT if application.job_queue is not None else None,
        )


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The enroll conversation first (it keeps the text typed in its state), then commands and buttons."""
    application.add_handler(enroll_conversation(application))
    for name, callback in COMMANDS.items():
        application.add_handler(CommandHandler(name, callback))
    application.add_handler(CallbackQueryHandler(route, pattern=rf"^({ui.PG}|{ui.EN}):"))
