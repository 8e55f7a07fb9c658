"""History, records, progress charts, body measurements, data export and account deletion.

Commands: /history, /records, /progress [EXERCISE], /measure, /measurements, /export, /deleteme.
Buttons: `hi:` (history pages, a session, a set: edit or delete), `me:` (pick a metric to measure or
chart), `pr:` (charts), `dm:` (the two confirmation steps of /deleteme). Every button's ids are checked
against the user who pressed it. Typing (a measurement value, a corrected set) happens in the small
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
from datetime import datetime, timedelta
from enum import IntEnum
from typing import Any, Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters
from telegram.warnings import PTBUserWarning

from bot import charts, export_process
from bot.context import BotContext
from bot.db.enums import TrackingType
from bot.handlers.base import user_for
from bot.services import account, export, measurements, progress, workouts
from bot.services.errors import DomainError, NotFound
from bot.services.set_input import parse_sets
from bot.services.timezones import local_today
from bot.ui import progress as ui
from bot.ui.callback import pack, parse_id, unpack
from bot.ui.formatting import format_date
from bot.ui.texts import esc

log = logging.getLogger(__name__)
TEXT = filters.TEXT & ~filters.COMMAND
KEY: Final = "progress"
NAME: Final = "progress"
"""The ConversationHandler's name (its state is written with the transaction that asks a question)."""
TYPING_TIMEOUT: Final = timedelta(minutes=10)
END = ConversationHandler.END


class ProgressState(IntEnum):
    MEASURE_VALUE = 1
    EDIT_SET = 2


def _data(context: BotContext) -> dict[str, Any]:
    assert context.user_data is not None
    data: dict[str, Any] = context.user_data.setdefault(KEY, {})
    return data


def _forget(context: BotContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(KEY, None)


async def _reply(
    update: Update, text: str, keyboard: InlineKeyboardMarkup | None = None, *, edit: bool = False
) -> None:
    query = update.callback_query
    if edit and query is not None and query.message is not None:
        try:
            await query.edit_message_text(text, reply_markup=keyboard)
            return
        except BadRequest as error:
            if "not modified" in error.message.lower():
                return
    chat = update.effective_chat
    assert chat is not None
    await chat.send_message(text, reply_markup=keyboard)


async def _photo(update: Update, png: bytes, caption: str) -> None:
    chat = update.effective_chat
    assert chat is not None
    await chat.send_photo(photo=png, caption=caption[:1024])


# ---------------------------------------------------------------------------------------------------------
# /history


async def history_command(update: Update, context: BotContext) -> int:
    _forget(context)
    await _history(update, context, 0, edit=False)
    return END


async def _history(update: Update, context: BotContext, page: int, *, edit: bool) -> None:
    async with context.db() as session:
        user = await user_for(session, update, context)
        found = await progress.history_page(session, user, page)
        text = ui.history_text(
            found, user.weight_unit, user.timezone, local_today(user.timezone, context.now())
        )
    await _reply(update, text, ui.history_keyboard(found), edit=edit)


async def _session(
    update: Update, context: BotContext, sid: uuid.UUID, page: int, *, edit: bool = True
) -> None:
    async with context.db() as session:
        user = await user_for(session, update, context)
        view = await progress.past_session(session, user, sid)
        started = (await workouts.own_session(session, user, sid)).started_at
        today = local_today(user.timezone, context.now())
        text = ui.session_text(view, user.weight_unit, started, user.timezone, today)
        keyboard = ui.session_keyboard(view, user.weight_unit, page)
    await _reply(update, text, keyboard, edit=edit)


def _int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise NotFound(ui.STALE_BUTTON) from None
    if not 0 <= number <= 10_000:
        raise NotFound(ui.STALE_BUTTON)
    return number


def _set_ref(parts: list[str]) -> tuple[uuid.UUID, int, int]:
    sid = parse_id(parts[1]) if len(parts) == 4 else None
    if sid is None:
        raise NotFound(ui.STALE_BUTTON)
    return sid, _int(parts[2]), _int(parts[3])


async def on_history_button(update: Update, context: BotContext) -> object:
    """`hi:p:PAGE`, `hi:s:SID:PAGE`, `hi:x|ed|del:SID:EXERCISE:SET`."""
    query = update.callback_query
    assert query is not None
    parts = unpack(query.data, "hi") or [""]
    state: object = END
    try:
        action = parts[0]
        if action == "p" and len(parts) == 2:
            await query.answer()
            await _history(update, context, _int(parts[1]), edit=True)
        elif action == "s" and len(parts) == 3 and (sid := parse_id(parts[1])) is not None:
            await _session(update, context, sid, _int(parts[2]))
            await query.answer()
        elif action in ("x", "ed", "del"):
            sid, index, number = _set_ref(parts)
            state = await _set_action(update, context, action, sid, index, number)
        else:
            await query.answer(ui.STALE_BUTTON)
    except NotFound:
        await query.answer(ui.NOT_YOURS, show_alert=True)
    except DomainError as error:
        await query.answer(error.reason[:200], show_alert=True)
    return state


async def _set_action(
    update: Update, context: BotContext, action: str, sid: uuid.UUID, index: int, number: int
) -> object:
    query = update.callback_query
    assert query is not None
    async with context.db() as session:
        user = await user_for(session, update, context)
        if action == "del":
            exercise = await progress.delete_past_set(session, user, sid, index, number)
            text = ui.edited_text(exercise, user.weight_unit, f"Set {number} deleted")
        else:
            exercise, logged = await progress.past_set(session, user, sid, index, number)
            if action == "x":
                text, keyboard = ui.set_menu(sid, exercise, logged, user.weight_unit)
            else:
                text = ui.edit_prompt(exercise, logged, user.weight_unit)
                edit = {"session": str(sid), "index": index, "number": number}
                _data(context).update(edit=edit, since=context.now().isoformat())
                # committed with the transaction, before the prompt: a restart still reads the answer
                context.next_state(update, NAME, ProgressState.EDIT_SET)
    await query.answer()
    if action == "x":
        await _reply(update, text, keyboard, edit=True)
        return END
    if action == "del":
        await _reply(update, text)
        await _session(update, context, sid, 0, edit=False)
        return END
    await _reply(update, text)
    return ProgressState.EDIT_SET


async def typed_set(update: Update, context: BotContext) -> object:
    message = update.effective_message
    assert message is not None and message.text is not None
    pending = _data(context).get("edit")
    if not pending:
        return END
    sid, index, number = uuid.UUID(pending["session"]), int(pending["index"]), int(pending["number"])
    try:
        async with context.db() as session:
            user = await user_for(session, update, context)
            exercise, _ = await progress.past_set(session, user, sid, index, number)
            new = parse_sets(message.text, tracking=exercise.tracking, unit=user.weight_unit, max_sets=1)
            exercise = await progress.edit_past_set(session, user, sid, index, number, new[0])
            text = ui.edited_text(exercise, user.weight_unit, f"Set {number} corrected")
    except NotFound:
        _forget(context)
        await message.reply_text(ui.NOT_YOURS)
        return END
    except DomainError as error:
        await message.reply_text(esc(error.reason))
        return None
    _forget(context)
    await message.reply_text(text)
    await _session(update, context, sid, 0, edit=False)
    return END


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
        await message.reply_text(ui.PROGRESS_MENU, reply_markup=ui.progress_keyboard(done))
        return END
    if match.exercise is None:
        keyboard = ui.progress_keyboard(match.suggestions) if match.suggestions else None
        await message.reply_text(ui.no_match_text(query, match.suggestions), reply_markup=keyboard)
        return END
    await _exercise_chart(update, context, match.exercise[0])
    return END


async def _exercise_chart(update: Update, context: BotContext, exercise_id: uuid.UUID) -> None:
    async with context.db() as session:
        user = await user_for(session, update, context)
        data = await progress.exercise_progress(session, user, exercise_id)
        unit, today = user.weight_unit, local_today(user.timezone, context.now())
    if len(data.points) < 2:
        await _reply(update, ui.exercise_fallback(data, unit, today))
        return
    days = [p.day for p in data.points]
    label = ui.tracking_label(data.tracking, unit)
    if data.tracking is TrackingType.DURATION or all(p.top_kg is None for p in data.points):
        if data.tracking is TrackingType.DURATION:
            series = [charts.Series("Longest set", days, [p.longest_seconds for p in data.points])]
            weekly = [
                float(sum(p.total_seconds for p in data.points if progress.week_start(p.day) == w))
                for w, _ in data.weekly_volume
            ]
        else:
            series = [charts.Series("Most reps", days, [p.max_reps for p in data.points])]
            weekly = [
                float(sum(p.total_reps for p in data.points if progress.week_start(p.day) == w))
                for w, _ in data.weekly_volume
            ]
        weekly_label = f"{label} / week"
    else:
        series = [
            charts.Series(
                "Top set", days, [ui.weight_value(p.top_kg, unit) if p.top_kg else None for p in data.points]
            ),
            charts.Series(
                "Estimated 1RM",
                days,
                [ui.weight_value(p.e1rm_kg, unit) if p.e1rm_kg else None for p in data.points],
            ),
        ]
        weekly = [ui.weight_value(v, unit) for _, v in data.weekly_volume]
        weekly_label = f"volume ({label}/week)"
    png = await asyncio.to_thread(
        charts.exercise_chart,
        data.name,
        series,
        label,
        [w for w, _ in data.weekly_volume],
        weekly,
        weekly_label,
    )
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
        "Program workouts done per week",
        [w.week for w in weeks],
        [float(w.percent) for w in weeks],
        "% of scheduled",
        y_limits=(0, 105),
    )
    done = sum(w.done for w in weeks)
    planned = sum(w.planned for w in weeks)
    await _photo(
        update, png, f"📅 Adherence: {done} of {planned} scheduled workouts done over {len(weeks)} weeks."
    )


async def _ratings_chart(update: Update, context: BotContext) -> None:
    async with context.db() as session:
        user = await user_for(session, update, context)
        points = await progress.rating_trend(session, user)
    if len(points) < 2:
        await _reply(update, "😓 Rate at least two finished workouts (effort and soreness) to see the trend.")
        return
    days = [p.day for p in points]
    series = [
        charts.Series("Effort", days, [p.effort for p in points]),
        charts.Series("Soreness", days, [p.soreness for p in points]),
    ]
    png = await asyncio.to_thread(
        charts.line_chart, "Effort and soreness", series, "rating (0-10)", y_limits=(0, 10.5)
    )
    await _photo(update, png, f"😓 Effort and soreness of your last {len(points)} rated workouts.")


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
            await _reply(update, ui.NOT_YOURS)
    elif parts == ["adh"]:
        await query.answer()
        await _adherence_chart(update, context)
    elif parts == ["eff"]:
        await query.answer()
        await _ratings_chart(update, context)
    else:
        await query.answer(ui.STALE_BUTTON)
    return END


# ---------------------------------------------------------------------------------------------------------
# /measure and /measurements


async def _metric_buttons(update: Update, context: BotContext) -> list[tuple[uuid.UUID, str]]:
    async with context.db() as session:
        return [(m.id, m.name) for m in await measurements.metrics(session)]


async def measure_command(update: Update, context: BotContext) -> int:
    _forget(context)
    message = update.effective_message
    assert message is not None
    choices = await _metric_buttons(update, context)
    await message.reply_text(ui.MEASURE_PICK, reply_markup=ui.metrics_keyboard(choices, "m"))
    return END


async def measurements_command(update: Update, context: BotContext) -> int:
    _forget(context)
    message = update.effective_message
    assert message is not None
    async with context.db() as session:
        user = await user_for(session, update, context)
        series = await measurements.measurement_series(session, user, limit=5)
        text = ui.measurements_text(series, user.weight_unit, local_today(user.timezone, context.now()))
    keyboard = ui.metrics_keyboard([(s.metric_id, s.name) for s in series], "c") if series else None
    await message.reply_text(text, reply_markup=keyboard)
    return END


async def on_measure_button(update: Update, context: BotContext) -> object:
    """`me:m:METRIC` (then type the value), `me:c:METRIC` (its chart)."""
    query = update.callback_query
    assert query is not None
    parts = unpack(query.data, "me") or [""]
    metric_id = parse_id(parts[1]) if len(parts) == 2 else None
    if metric_id is None or parts[0] not in ("m", "c"):
        await query.answer(ui.STALE_BUTTON)
        return END
    try:
        async with context.db() as session:
            user = await user_for(session, update, context)
            metric = await measurements.metric_by_id(session, metric_id)
            unit = user.weight_unit
            today = local_today(user.timezone, context.now())
            series = (
                await measurements.measurement_series(session, user, metric_id) if parts[0] == "c" else []
            )
            info = measurements.MetricInfo.of(metric)
            if parts[0] == "m":  # committed with the transaction, before the prompt
                _data(context).update(metric=str(metric_id), since=context.now().isoformat())
                context.next_state(update, NAME, ProgressState.MEASURE_VALUE)
    except NotFound:
        await query.answer(ui.NOT_YOURS, show_alert=True)
        return END
    await query.answer()
    if parts[0] == "m":
        await _reply(update, ui.measure_prompt(info.name, info.canonical_unit, info.accepted_units, unit))
        return ProgressState.MEASURE_VALUE
    points = series[0].points if series else ()
    shown = ui.display_unit(info.canonical_unit, unit)
    if len(points) < 2:
        text = f"📏 <b>{esc(info.name)}</b>: " + (
            ui.with_unit(ui.display_value(points[0].value, info.canonical_unit, unit), shown)
            + " - a chart needs two values."
            if points
            else "nothing measured yet. Send /measure."
        )
        await _reply(update, text)
        return END
    values = [float(ui.display_value(p.value, info.canonical_unit, unit)) for p in points]
    png = await asyncio.to_thread(
        charts.line_chart, info.name, [charts.Series(info.name, [p.day for p in points], values)], shown
    )
    last = points[-1]
    latest = ui.with_unit(ui.display_value(last.value, info.canonical_unit, unit), shown)
    caption = f"📏 {esc(info.name)}: {len(points)} values, latest {latest} ({format_date(last.day, today)})."
    await _photo(update, png, caption)
    return END


async def typed_measurement(update: Update, context: BotContext) -> object:
    message = update.effective_message
    assert message is not None and message.text is not None
    pending = _data(context).get("metric")
    if not pending:
        return END
    try:
        async with context.db() as session:
            user = await user_for(session, update, context)
            metric = await measurements.metric_by_id(session, uuid.UUID(pending))
            today = local_today(user.timezone, context.now())
            value = measurements.parse_measurement(
                message.text, measurements.MetricInfo.of(metric), today=today, weight_unit=user.weight_unit
            )
            await measurements.add_measurement(session, user, metric, value)
            text = ui.measured_text(metric.name, value.value, value.unit, value.day, today, user.weight_unit)
    except DomainError as error:
        await message.reply_text(esc(error.reason))
        return None
    _forget(context)
    await message.reply_text(text)
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
        await message.reply_document(document=document, caption=ui.EXPORT_CAPTION)
    return END


async def deleteme_command(update: Update, context: BotContext) -> int:
    _forget(context)
    message = update.effective_message
    assert message is not None
    token = secrets.token_urlsafe(6)
    _data(context)["delete"] = token
    await message.reply_text(
        ui.DELETE_ASK, reply_markup=_delete_keyboard("1", token, "Yes, delete my account")
    )
    return END


def _delete_keyboard(step: str, token: str, label: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=pack("dm", step, token))],
            [InlineKeyboardButton("Cancel", callback_data=pack("dm", "no"))],
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
        await _reply(update, ui.DELETE_KEPT, edit=True)
        return END
    if len(parts) != 2 or parts[0] not in ("1", "2") or not expected or parts[1] != expected:
        await query.answer(ui.STALE_BUTTON, show_alert=True)
        return END
    if parts[0] == "1":
        await query.answer()
        await _reply(
            update, ui.DELETE_REALLY, _delete_keyboard("2", expected, "🗑 Delete everything"), edit=True
        )
        return END
    async with context.db() as session:
        user = await user_for(session, update, context)
        report = await account.delete_account(session, user)
    log.info(
        "account deleted: %s sessions, %s sets, %s measurements",
        report.sessions,
        report.sets,
        report.measurements,
    )
    if context.user_data is not None:
        context.user_data.clear()
    await query.answer()
    await _reply(update, ui.DELETE_DONE, edit=True)
    return END


# ---------------------------------------------------------------------------------------------------------
# registration

Callback = Callable[[Update, BotContext], Coroutine[Any, Any, object]]

COMMANDS: Final[dict[str, Callback]] = {
    "history": history_command,
    "records": records_command,
    "progress": progress_command,
    "measure": measure_command,
    "measurements": measurements_command,
    "export": export_command,
    "deleteme": deleteme_command,
}
BUTTONS: Final[dict[str, Callback]] = {
    "hi": on_history_button,
    "me": on_measure_button,
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
        CallbackQueryHandler(on_measure_button, pattern=r"^me:m:"),
        CallbackQueryHandler(on_history_button, pattern=r"^hi:ed:"),
    ]
    leave: list[Any] = [CommandHandler(name, callback) for name, callback in COMMANDS.items()]
    leave += [CallbackQueryHandler(callback, pattern=rf"^{prefix}:") for prefix, callback in BUTTONS.items()]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*per_message=False", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=entry,
            states={
                ProgressState.MEASURE_VALUE: [MessageHandler(TEXT, _expiring(typed_measurement))],
                ProgressState.EDIT_SET: [MessageHandler(TEXT, _expiring(typed_set))],
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
