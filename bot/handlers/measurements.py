"""Body measurements: /measure [NAME VALUE[, DATE][, NOTE]], /measurements, their charts, and correcting
or deleting a value.

Buttons (`me:`): `m` pick a metric to measure, `c` its chart, `l` its latest values, `v` one value's menu,
`e` correct it (then type), `d` delete it. Every id is checked against the user who pressed it. The typed
steps (a new value, a corrected one) are states of the "progress" conversation (bot.handlers.progress
wires `ENTRY_POINTS` and `STATES` into it) and share its per-user data, so any progress command or button
leaves them. `/measure weight 182 lb, yesterday` is read like the typed form; `/measure weight` asks for
the value, as the button does.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Coroutine
from datetime import datetime
from enum import IntEnum
from typing import Any, Final

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler

from bot import charts
from bot.context import BotContext
from bot.db.models import Metric, User
from bot.handlers.base import user_for
from bot.handlers.progress_base import END, KEY, TEXT, TYPING_TIMEOUT, data, expect, forget, reply
from bot.i18n import _, ngettext
from bot.services import measurements
from bot.services.dates import EARLIEST
from bot.services.errors import DomainError, NotFound
from bot.services.timezones import local_today
from bot.ui import measurements as mui
from bot.ui import progress as ui
from bot.ui.callback import parse_id, unpack
from bot.ui.fit import CAPTION_LIMIT, clip
from bot.ui.formatting import format_date
from bot.ui.texts import esc

# The typing conversation, its data and replies are progress' (bot.handlers.progress_base).


class MeasureState(IntEnum):
    VALUE = 1  # the value of ProgressState.MEASURE_VALUE, so a persisted conversation carries on
    CORRECT = 11


Callback = Callable[[Update, BotContext], Coroutine[Any, Any, object]]


# ---------------------------------------------------------------------------------------------------------
# /measure and typing a value


async def _picker(context: BotContext) -> InlineKeyboardMarkup | None:
    async with context.db() as session:
        choices = [(m.id, m.name) for m in await measurements.metrics(session)]
    return ui.metrics_keyboard(choices, "m")


async def measure_command(update: Update, context: BotContext) -> object:
    """/measure: pick a metric; /measure NAME: type its value; /measure NAME VALUE[, DATE][, NOTE]: saved."""
    forget(context)
    message = update.effective_message
    assert message is not None
    query, value = measurements.split_metric(" ".join(context.args or []))
    if not query:  # nothing, or a bare value: which metric is it?
        await message.reply_text(_(ui.MEASURE_PICK), reply_markup=await _picker(context))
        return END
    next_state: object = END
    keyboard: InlineKeyboardMarkup | None = None
    try:
        async with context.db() as session:
            user = await user_for(session, update, context)
            found = measurements.match_metrics(query, await measurements.metrics(session))
            if len(found) > 1:
                text = mui.which_metric_text(query)
                keyboard = ui.metrics_keyboard([(m.id, m.name) for m in found], "m")
            elif not found:
                text = mui.unknown_metric_text(query)
            elif not value:
                info = measurements.MetricInfo.of(found[0])
                text = ui.measure_prompt(
                    info.name, info.canonical_unit, info.accepted_units, user.weight_unit
                )
                next_state = MeasureState.VALUE
                expect(update, context, next_state, metric=str(found[0].id))
            else:
                text = await _save(session, user, found[0], value, context)
    except DomainError as error:
        await message.reply_text(esc(clip(error.reason, 600)))
        return END
    if text == mui.unknown_metric_text(query):
        keyboard = await _picker(context)
    await message.reply_text(text, reply_markup=keyboard)
    return next_state


async def _save(session: Any, user: User, metric: Metric, text: str, context: BotContext) -> str:
    today = local_today(user.timezone, context.now())
    value = measurements.parse_measurement(
        text, measurements.MetricInfo.of(metric), today=today, weight_unit=user.weight_unit
    )
    await measurements.add_measurement(session, user, metric, value)
    return ui.measured_text(metric.name, value.value, value.unit, value.day, today, user.weight_unit)


async def typed_measurement(update: Update, context: BotContext) -> object:
    message = update.effective_message
    assert message is not None and message.text is not None
    pending = data(context).get("metric")
    if not pending:
        return END
    try:
        async with context.db() as session:
            user = await user_for(session, update, context)
            metric = await measurements.metric_by_id(session, uuid.UUID(pending))
            text = await _save(session, user, metric, message.text, context)
    except DomainError as error:
        await message.reply_text(esc(clip(error.reason, 600)))
        return None
    forget(context)
    await message.reply_text(text)
    return END


# ---------------------------------------------------------------------------------------------------------
# /measurements, charts, a metric's values


async def measurements_command(update: Update, context: BotContext) -> int:
    forget(context)
    message = update.effective_message
    assert message is not None
    async with context.db() as session:
        user = await user_for(session, update, context)
        series = await measurements.measurement_series(session, user, limit=5)
        text = ui.measurements_text(series, user.weight_unit, local_today(user.timezone, context.now()))
    keyboard = mui.measurements_keyboard(series) if series else None
    await message.reply_text(text, reply_markup=keyboard)
    return END


async def on_measure_button(update: Update, context: BotContext) -> object:
    """`me:m|c|l:METRIC`, `me:v|e|d:MEASUREMENT` (see the module doc)."""
    query = update.callback_query
    assert query is not None
    parts = unpack(query.data, "me") or [""]
    target = parse_id(parts[1]) if len(parts) == 2 else None
    action = parts[0]
    if target is None or action not in ("m", "c", "l", "v", "e", "d"):
        await query.answer(_(ui.STALE_BUTTON))
        return END
    try:
        if action in ("v", "e", "d"):
            return await _value_action(update, context, action, target)
        return await _metric_action(update, context, action, target)
    except NotFound:
        await query.answer(_(ui.NOT_YOURS), show_alert=True)
        return END


async def _metric_action(update: Update, context: BotContext, action: str, metric_id: uuid.UUID) -> object:
    query = update.callback_query
    assert query is not None
    async with context.db() as session:
        user = await user_for(session, update, context)
        metric = await measurements.metric_by_id(session, metric_id)
        unit, today = user.weight_unit, local_today(user.timezone, context.now())
        found = await measurements.measurement_series(session, user, metric_id) if action != "m" else []
        info = measurements.MetricInfo.of(metric)
        if action == "m":
            expect(update, context, MeasureState.VALUE, metric=str(metric_id))
    await query.answer()
    series = found[0] if found else None
    if action == "m":
        await reply(update, ui.measure_prompt(info.name, info.canonical_unit, info.accepted_units, unit))
        return MeasureState.VALUE
    forget(context)
    if action == "l":
        await reply(
            update,
            mui.values_text(series, info.name, unit, today),
            mui.values_keyboard(metric_id, series, unit, today),
            edit=True,
        )
        return END
    # a stray value dated out of bounds (stored before dates were bounded) stays out of the chart
    points = [p for p in (series.points if series else ()) if EARLIEST <= p.day <= today]
    shown = ui.display_unit(info.canonical_unit, unit)
    name = measurements.metric_name(info.name)
    if len(points) < 2:
        if points:
            text = _("📏 <b>{name}</b>: {value} - a chart needs two values.").format(
                name=esc(name), value=mui.shown_value(points[0].value, info.canonical_unit, unit)
            )
        else:
            text = _("📏 <b>{name}</b>: nothing measured yet. Send /measure.").format(name=esc(name))
        await reply(update, text)
        return END
    values = [float(ui.display_value(p.value, info.canonical_unit, unit)) for p in points]
    png = await asyncio.to_thread(
        charts.line_chart, name, [charts.Series(name, [p.day for p in points], values)], ui.unit_text(shown)
    )
    last = points[-1]
    latest = mui.shown_value(last.value, info.canonical_unit, unit)
    caption = ngettext(
        "📏 {name}: {n} value, latest {latest} ({day}).",
        "📏 {name}: {n} values, latest {latest} ({day}).",
        len(points),
    ).format(name=esc(name), n=len(points), latest=latest, day=format_date(last.day, today))
    chat = update.effective_chat
    assert chat is not None
    await chat.send_photo(photo=png, caption=caption[:CAPTION_LIMIT])
    return END


async def _value_action(
    update: Update, context: BotContext, action: str, measurement_id: uuid.UUID
) -> object:
    query = update.callback_query
    assert query is not None
    async with context.db() as session:
        user = await user_for(session, update, context)
        row, metric = await measurements.own_measurement(session, user, measurement_id)
        unit, today = user.weight_unit, local_today(user.timezone, context.now())
        point = measurements.MeasurementPoint(
            row.measurement_date, row.measured_value, row.measurement_notes, row.id
        )
        shown = mui.shown_value(point.value, metric.canonical_unit, unit)
        found: list[measurements.MetricSeries] = []
        if action == "d":
            await measurements.delete_measurement(session, user, measurement_id)
            found = await measurements.measurement_series(session, user, metric.id)
        info = measurements.MetricInfo.of(metric)
        if action == "e":
            expect(update, context, MeasureState.CORRECT, correct=str(measurement_id))
        else:
            forget(context)
    await query.answer()
    if action == "v":
        text = mui.value_text(info.name, point, info.canonical_unit, unit, today)
        await reply(update, text, mui.value_keyboard(measurement_id, metric.id), edit=True)
        return END
    if action == "d":
        series = found[0] if found else None
        await reply(update, mui.deleted_text(info.name, shown, point.day, today))
        await reply(
            update,
            mui.values_text(series, info.name, unit, today),
            mui.values_keyboard(metric.id, series, unit, today),
        )
        return END
    example = measurements.example(info, unit)
    await reply(update, mui.correct_prompt(info.name, shown, point.day, today, example))
    return MeasureState.CORRECT


async def typed_correction(update: Update, context: BotContext) -> object:
    message = update.effective_message
    assert message is not None and message.text is not None
    pending = data(context).get("correct")
    if not pending:
        return END
    try:
        async with context.db() as session:
            user = await user_for(session, update, context)
            row, metric = await measurements.own_measurement(session, user, uuid.UUID(pending))
            today = local_today(user.timezone, context.now())
            value = measurements.parse_measurement(
                message.text,
                measurements.MetricInfo.of(metric),
                today=today,
                weight_unit=user.weight_unit,
                day=row.measurement_date,
                note=row.measurement_notes,
            )
            await measurements.correct_measurement(session, user, row.id, value)
            shown = mui.shown_value(value.value, value.unit, user.weight_unit)
            text = mui.corrected_text(metric.name, shown, value.day, today)
    except NotFound:
        forget(context)
        await message.reply_text(_(ui.NOT_YOURS))
        return END
    except DomainError as error:
        await message.reply_text(esc(clip(error.reason, 600)))
        return None
    forget(context)
    await message.reply_text(text)
    return END


# ---------------------------------------------------------------------------------------------------------
# wiring into the progress conversation


def _expiring(callback: Callback) -> Callback:
    """A typed step that ignores (and ends) a prompt older than TYPING_TIMEOUT."""

    async def handle(update: Update, context: BotContext) -> object:
        since = (context.user_data or {}).get(KEY, {}).get("since")
        if since and context.now() - datetime.fromisoformat(since) > TYPING_TIMEOUT:
            forget(context)
            return END
        return await callback(update, context)

    return handle


COMMANDS: Final[dict[str, Callback]] = {
    "measure": measure_command,
    "measurements": measurements_command,
}
ENTRY_POINTS: Final[list[Any]] = [
    CommandHandler("measure", measure_command),
    CallbackQueryHandler(on_measure_button, pattern=r"^me:[me]:"),
]
STATES: Final[dict[object, list[Any]]] = {
    MeasureState.VALUE: [MessageHandler(TEXT, _expiring(typed_measurement))],
    MeasureState.CORRECT: [MessageHandler(TEXT, _expiring(typed_correction))],
}

__all__ = ["COMMANDS", "ENTRY_POINTS", "STATES", "MeasureState", "on_measure_button"]
