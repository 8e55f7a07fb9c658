"""Records, progress charts, data export and account deletion; and the registration of /history (its
callbacks are bot.handlers.history) and of body measurements (bot.handlers.measurements), whose typed
steps are states of this module's conversation.

Commands: /history, /records, /progress [EXERCISE], /measure, /measurements, /export, /deleteme.
Buttons: `hi:` (history: bot.handlers.history), `me:` (pick a metric to measure or chart), `pr:`
(charts), `dm:` (the two confirmation steps of /deleteme). Every button's ids are checked against the
user who pressed it. Typing (a measurement value, a corrected or forgotten set) happens in the small
"progress" conversation, entered by the button that asks for it and left by any of these commands or
buttons, or after ten minutes. Charts are rendered in a worker thread after the transaction is over.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import uuid
import warnings
from collections.abc import Callable, Coroutine
from datetime import date, datetime
from typing import Any, Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler
from telegram.warnings import PTBUserWarning

from bot import charts, export_process
from bot.context import BotContext
from bot.db.enums import Role, TrackingType, WeightUnit
from bot.handlers import measurements as measure_handlers
from bot.handlers import menus
from bot.handlers.base import user_for
from bot.handlers.history import history_command, on_history_button, typed_added_set, typed_set
from bot.handlers.progress_base import (
    END,
    KEY,
    NAME,
    TEXT,
    TYPING_TIMEOUT,
    ProgressState,
    data,
    forget,
    reply,
)
from bot.i18n import _, exercise_name, ngettext
from bot.services import account, export, progress
from bot.services.errors import DomainError, NotFound
from bot.services.timezones import local_today
from bot.ui import progress as ui
from bot.ui.callback import pack, parse_id, unpack
from bot.ui.texts import esc
from bot.ui.webapp import with_dashboard

log = logging.getLogger(__name__)
_data, _forget, _reply = data, forget, reply


async def _photo(update: Update, png: bytes, caption: str) -> None:
    chat = update.effective_chat
    assert chat is not None
    await chat.send_photo(photo=png, caption=caption[:1024])


# ---------------------------------------------------------------------------------------------------------
# /records and /progress


async def records_command(update: Update, context: BotContext) -> int:
    _forget(context)
    message = update.effective_message
    assert message is not None
    async with context.db() as session:
        user = await user_for(session, update, context)
        text = ui.records_text(await progress.personal_records(session, user), user.weight_unit)
    await message.reply_text(text)
    return END


async def progress_command(update: Update, context: BotContext) -> int:
    _forget(context)
    message = update.effective_message
    assert message is not None
    query = " ".join(context.args or [])
    async with context.db() as session:
        user = await user_for(session, update, context)
        if not query.strip():
            done = await progress.logged_exercises(session, user, limit=8)
        else:
            match = await progress.match_exercise(session, user, query)
    if not query.strip():  # the reply after the commit: no Bot API call inside a transaction
        keyboard = with_dashboard(ui.progress_keyboard(done), context, "progress")
        await message.reply_text(_(ui.PROGRESS_MENU), reply_markup=keyboard)
        return END
    if match.exercise is None:
        keyboard = ui.progress_keyboard(match.suggestions) if match.suggestions else None
        await message.reply_text(ui.no_match_text(query, match.suggestions), reply_markup=keyboard)
        return END
    await _exercise_chart(update, context, match.exercise[0])
    return END


def exercise_chart_args(
    data: progress.ExerciseProgress, unit: WeightUnit
) -> tuple[str, list[charts.Series], str, list[date], list[float], str]:
    """What `charts.exercise_chart` draws for `data`, its title, legends and axes in the current locale."""
    days = [p.day for p in data.points]
    label = ui.tracking_label(data.tracking, unit)
    if data.tracking is TrackingType.DURATION or all(p.top_kg is None for p in data.points):
        if data.tracking is TrackingType.DURATION:
            series = [charts.Series(_("Longest set"), days, [p.longest_seconds for p in data.points])]
            weekly = [
                float(sum(p.total_seconds for p in data.points if progress.week_start(p.day) == w))
                for w, _volume in data.weekly_volume
            ]
        else:
            series = [charts.Series(_("Most reps"), days, [p.max_reps for p in data.points])]
            weekly = [
                float(sum(p.total_reps for p in data.points if progress.week_start(p.day) == w))
                for w, _volume in data.weekly_volume
            ]
        weekly_label = _("{unit} / week").format(unit=label)
    else:
        series = [
            charts.Series(
                _("Top set"),
                days,
                [ui.weight_value(p.top_kg, unit) if p.top_kg else None for p in data.points],
            ),
            charts.Series(
                _("Estimated 1RM"),
                days,
                [ui.weight_value(p.e1rm_kg, unit) if p.e1rm_kg else None for p in data.points],
            ),
        ]
        weekly = [ui.weight_value(v, unit) for _week, v in data.weekly_volume]
        weekly_label = _("volume ({unit}/week)").format(unit=label)
    weeks = [w for w, _volume in data.weekly_volume]
    return exercise_name(data.name), series, label, weeks, weekly, weekly_label


async def _exercise_chart(update: Update, context: BotContext, exercise_id: uuid.UUID) -> None:
    async with context.db() as session:
        user = await user_for(session, update, context)
        data = await progress.exercise_progress(session, user, exercise_id)
        unit, today = user.weight_unit, local_today(user.timezone, context.now())
    if len(data.points) < 2:
        await _reply(update, ui.exercise_fallback(data, unit, today))
        return
    png = await asyncio.to_thread(charts.exercise_chart, *exercise_chart_args(data, unit))
    await _photo(update, png, ui.exercise_caption(data, unit, today))


async def _adherence_chart(update: Update, context: BotContext) -> None:
    async with context.db() as session:
        user = await user_for(session, update, context)
        weeks = await progress.adherence_by_week(session, user, context.now())
        today = local_today(user.timezone, context.now())
    if len(weeks) < 2:
        await _reply(update, ui.adherence_fallback(weeks, today))
        return
    png = await asyncio.to_thread(
        charts.bar_chart,
        _("Program workouts done per week"),
        [w.week for w in weeks],
        [float(w.percent) for w in weeks],
        _("% of scheduled"),
        y_limits=(0, 105),
    )
    done = sum(w.done for w in weeks)
    planned = sum(w.planned for w in weeks)
    over = ngettext("over {n} week", "over {n} weeks", len(weeks)).format(n=len(weeks))
    scheduled = ngettext(
        "📅 Adherence: {done} of {planned} scheduled workout done {over}.",
        "📅 Adherence: {done} of {planned} scheduled workouts done {over}.",
        planned,
    ).format(done=done, planned=planned, over=over)
    await _photo(update, png, scheduled)


async def _ratings_chart(update: Update, context: BotContext) -> None:
    async with context.db() as session:
        user = await user_for(session, update, context)
        points = await progress.rating_trend(session, user)
    if len(points) < 2:
        await _reply(
            update, _("😓 Rate at least two finished workouts (effort and soreness) to see the trend.")
        )
        return
    days = [p.day for p in points]
    series = [
        charts.Series(_("Effort"), days, [p.effort for p in points]),
        charts.Series(_("Soreness"), days, [p.soreness for p in points]),
    ]
    png = await asyncio.to_thread(
        charts.line_chart, _("Effort and soreness"), series, _("rating (0-10)"), y_limits=(0, 10.5)
    )
    count = len(points)
    await _photo(
        update,
        png,
        ngettext(
            "😓 Effort and soreness of your last {n} rated workout.",
            "😓 Effort and soreness of your last {n} rated workouts.",
            count,
        ).format(n=count),
    )


async def on_progress_button(update: Update, context: BotContext) -> object:
    """`pr:ex:EXERCISE`, `pr:adh`, `pr:eff`."""
    query = update.callback_query
    assert query is not None
    parts = unpack(query.data, "pr") or [""]
    if parts[0] == "ex" and len(parts) == 2 and (exercise_id := parse_id(parts[1])) is not None:
        await query.answer()
        try:
            await _exercise_chart(update, context, exercise_id)
        except NotFound:
            await _reply(update, _(ui.NOT_YOURS))
    elif parts == ["adh"]:
        await query.answer()
        await _adherence_chart(update, context)
    elif parts == ["eff"]:
        await query.answer()
        await _ratings_chart(update, context)
    else:
        await query.answer(_(ui.STALE_BUTTON))
    return END


# ---------------------------------------------------------------------------------------------------------
# /export and /deleteme


async def export_command(update: Update, context: BotContext) -> int:
    _forget(context)
    message = update.effective_message
    assert message is not None
    async with context.db() as session:
        user = await user_for(session, update, context)
    name = export.export_filename(user, local_today(user.timezone, context.now()))
    engine = context.bot_data.engine
    assert engine is not None
    try:  # outside any transaction, in a worker process (bot.export_process)
        archive = await export_process.export_archive(engine, user, context.now())
    except DomainError as error:
        await message.reply_text(esc(error.reason))
        return END
    with archive:
        document = InputFile(archive, filename=name, read_file_handle=False)
        await message.reply_document(document=document, caption=_(ui.EXPORT_CAPTION))
    return END


async def deleteme_command(update: Update, context: BotContext) -> int:
    _forget(context)
    message = update.effective_message
    assert message is not None
    token = secrets.token_urlsafe(6)
    _data(context)["delete"] = token
    await message.reply_text(
        _(ui.DELETE_ASK), reply_markup=_delete_keyboard("1", token, _("Yes, delete my account"))
    )
    return END


def _delete_keyboard(step: str, token: str, label: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=pack("dm", step, token))],
            [InlineKeyboardButton(_("Cancel"), callback_data=pack("dm", "no"))],
        ]
    )


async def on_delete_button(update: Update, context: BotContext) -> object:
    """`dm:1:TOKEN` (first confirmation), `dm:2:TOKEN` (erase), `dm:no`. The token is the one /deleteme
    stored for this user: an old or forged button deletes nothing."""
    query = update.callback_query
    assert query is not None
    parts = unpack(query.data, "dm") or [""]
    expected = (context.user_data or {}).get(KEY, {}).get("delete")
    if parts == ["no"]:
        _forget(context)
        await query.answer()
        await _reply(update, _(ui.DELETE_KEPT), edit=True)
        return END
    if len(parts) != 2 or parts[0] not in ("1", "2") or not expected or parts[1] != expected:
        await query.answer(_(ui.STALE_BUTTON), show_alert=True)
        return END
    if parts[0] == "1":
        await query.answer()
        await _reply(
            update, _(ui.DELETE_REALLY), _delete_keyboard("2", expected, _("🗑 Delete everything")), edit=True
        )
        return END
    async with context.db() as session:
        user = await user_for(session, update, context)
        role, chat_id = user.role, user.chat_id
        report = await account.delete_account(session, user)
    if role != Role.TRAINEE:  # a coach's or admin's own command menu goes with the account
        await menus.set_menu(context.bot, chat_id, Role.TRAINEE)
    log.info(
        "account deleted: %s sessions, %s sets, %s measurements",
        report.sessions,
        report.sets,
        report.measurements,
    )
    if context.user_data is not None:
        context.user_data.clear()
    await query.answer()
    await _reply(update, _(ui.DELETE_DONE), edit=True)
    return END


# ---------------------------------------------------------------------------------------------------------
# registration

Callback = Callable[[Update, BotContext], Coroutine[Any, Any, object]]

COMMANDS: Final[dict[str, Callback]] = {
    "history": history_command,
    "records": records_command,
    "progress": progress_command,
    **measure_handlers.COMMANDS,
    "export": export_command,
    "deleteme": deleteme_command,
}
BUTTONS: Final[dict[str, Callback]] = {
    "hi": on_history_button,
    "me": measure_handlers.on_measure_button,
    "pr": on_progress_button,
    "dm": on_delete_button,
}


def _expiring(callback: Callback) -> Callback:
    """A typed-text step that ignores (and ends) a prompt older than TYPING_TIMEOUT."""

    async def handle(update: Update, context: BotContext) -> object:
        since = (context.user_data or {}).get(KEY, {}).get("since")
        if since and context.now() - datetime.fromisoformat(since) > TYPING_TIMEOUT:
            _forget(context)
            return END
        return await callback(update, context)

    return handle


def build_conversation(persistent: bool, job_queue: object | None) -> ConversationHandler[BotContext]:
    entry: list[Any] = [
        *measure_handlers.ENTRY_POINTS,
        CallbackQueryHandler(on_history_button, pattern=r"^hi:(ed|ad):"),
    ]
    leave: list[Any] = [CommandHandler(name, callback) for name, callback in COMMANDS.items()]
    leave += [CallbackQueryHandler(callback, pattern=rf"^{prefix}:") for prefix, callback in BUTTONS.items()]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*per_message=False", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=entry,
            states={
                **measure_handlers.STATES,
                ProgressState.EDIT_SET: [MessageHandler(TEXT, _expiring(typed_set))],
                ProgressState.ADD_SET: [MessageHandler(TEXT, _expiring(typed_added_set))],
            },
            fallbacks=leave,
            allow_reentry=True,
            name=NAME,
            persistent=persistent,
            conversation_timeout=TYPING_TIMEOUT if job_queue is not None else None,
        )


def register(application: Any) -> None:
    """The typing conversation first (it keeps its texts), then the commands and buttons."""
    application.add_handler(build_conversation(application.persistence is not None, application.job_queue))
    for name, callback in COMMANDS.items():
        application.add_handler(CommandHandler(name, callback))
    for prefix, callback in BUTTONS.items():
        application.add_handler(CallbackQueryHandler(callback, pattern=rf"^{prefix}:"))


__all__ = ["ProgressState", "build_conversation", "register"]
