"""Plates and warm-ups: what goes on the bar, the warm-up ramp, /plates. Pure functions of plain values.

Buttons on a workout's exercise card (prefix ``wk:``, handled by bot.handlers.workout_plates):
``wk:plt:<session>:<index>`` shows the plates for the exercise's weight; ``wk:wu:<session>:<index>:<n>``
is the Warm-up button (logs the ramp, or shows it first, per the trainee's setting);
``wk:wul:<session>:<index>:<n>`` logs the ramp shown. `n` is the number of sets the exercise had when
the button was drawn: a second tap finds more and logs nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.enums import TrackingType, WeightUnit
from bot.services.plates import PlateLoad, WarmupStep
from bot.services.set_input import SetInput
from bot.ui.callback import pack
from bot.ui.formatting import format_sets_compact, format_weight, format_weights, unit_label
from bot.ui.texts import esc

PLATES_BUTTON: Final = "🏋️ Plates"
WARMUP_BUTTON: Final = "🔥 Warm-up"
LOG_WARMUP_BUTTON: Final = "🔥 Log warm-up"
BACK_BUTTON: Final = "↩ Back"
WARMUP_NEVER_COUNTS: Final = "Warm-up sets never count for records or progression."


def _button(text: str, *parts: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=pack("wk", *parts))


def plates_button(session_id: uuid.UUID, index: int) -> InlineKeyboardButton:
    return _button(PLATES_BUTTON, "plt", session_id, index)


def warmup_button(session_id: uuid.UUID, index: int, count: int) -> InlineKeyboardButton:
    return _button(WARMUP_BUTTON, "wu", session_id, index, count)


# --- plates per side --------------------------------------------------------------------------------------


def side_text(load: PlateLoad, unit: WeightUnit) -> str:
    """'25 + 15 + 1.25 kg a side', or 'the empty bar'."""
    if not load.per_side:
        return "the empty bar"
    return f"{format_weights(load.per_side, unit, ' + ')} a side"


def plates_text(total_kg: Decimal, bar_kg: Decimal, load: PlateLoad | None, unit: WeightUnit) -> str:
    """What to put on the bar for `total_kg`, with the bar; the shortfall when the plates can't make it."""
    title = f"🏋️ <b>{format_weight(total_kg, unit)}</b> on a {format_weight(bar_kg, unit)} bar"
    if load is None:
        return f"{title}: that is less than the bar itself. Send /settings to change your bar."
    if load.exact:
        return f"{title}: <b>{side_text(load, unit)}</b>"
    return (
        f"{title}: your plates can't make it exactly.\n"
        f"Nearest below: <b>{format_weight(load.loaded_kg, unit)}</b> = {side_text(load, unit)} "
        f"({format_weight(load.remainder_kg, unit)} short). Your plates: /settings"
    )


NO_WEIGHT: Final = (
    "There is no weight for this exercise yet: log a set first, or send /plates with a weight, "
    "like /plates 60."
)
NOT_A_BARBELL: Final = "Plates are for barbell exercises. Send /plates with a weight, like /plates 60."


def plates_usage(unit: WeightUnit, bar_kg: Decimal, plates_kg: Sequence[Decimal]) -> str:
    example = "/plates 102.5" if unit is WeightUnit.KG else "/plates 225"
    other = "/plates 225lb" if unit is WeightUnit.KG else "/plates 100kg"
    return (
        f"🏋️ Send a weight and I'll tell you the plates for each side: {example} (or {other}).\n\n"
        f"Your bar: {format_weight(bar_kg, unit)} · plates: {format_weights(plates_kg, unit)} "
        "(change them in /settings)"
    )


def plates_problem(reason: str, unit: WeightUnit) -> str:
    example = "/plates 102.5" if unit is WeightUnit.KG else "/plates 225"
    return f"⚠️ {esc(reason)} For example: {example}"


# --- the warm-up ----------------------------------------------------------------------------------------


def warmup_sets(steps: Sequence[WarmupStep]) -> list[SetInput]:
    return [SetInput(reps=step.reps, weight_kg=step.weight_kg, is_warmup=True) for step in steps]


def _step_line(number: int, step: WarmupStep, load: PlateLoad | None, unit: WeightUnit) -> str:
    weight = format_weight(step.weight_kg, unit)
    share = "bar" if step.percent is None else f"{step.percent}%"
    line = f"{number}. <b>{weight} × {step.reps}</b> ({share})"
    if load is not None and load.per_side:
        line += f" - {format_weights(load.per_side, unit, ' + ')} a side"
    return line


def warmup_text(
    exercise_name: str,
    working_kg: Decimal,
    steps: Sequence[WarmupStep],
    loads: Sequence[PlateLoad | None],
    unit: WeightUnit,
) -> str:
    """The ramp shown first: each set with its plates (for a barbell), then what logging it does."""
    lines = [f"🔥 <b>Warm-up for {esc(exercise_name)}</b> · working weight {format_weight(working_kg, unit)}"]
    lines += [
        _step_line(n, step, load, unit) for n, (step, load) in enumerate(zip(steps, loads, strict=True), 1)
    ]
    lines += ["", f"Tap {LOG_WARMUP_BUTTON} to log these as warm-up sets. {WARMUP_NEVER_COUNTS}"]
    return "\n".join(lines)


def warmup_keyboard(session_id: uuid.UUID, index: int, count: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _button(LOG_WARMUP_BUTTON, "wul", session_id, index, count),
                _button(BACK_BUTTON, "go", session_id, index),
            ]
        ]
    )


def warmup_logged(steps: Sequence[WarmupStep], unit: WeightUnit) -> str:
    sets = format_sets_compact(warmup_sets(steps), unit, TrackingType.WEIGHT_REPS)
    return f"🔥 Warm-up logged ({unit_label(unit)}): {sets}\n<i>{WARMUP_NEVER_COUNTS}</i>"


NO_RAMP: Final = "Your working weight is no heavier than the bar: there is nothing lighter to warm up with."
NO_WARMUP_WEIGHT: Final = "There is no working weight for this exercise yet: log a set first."
NOT_LOADED: Final = "A warm-up ramp is for exercises done with a weight."
WARMUP_ALREADY: Final = "You have already logged sets of this exercise: type a warm-up like w 40x10."
