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
from bot.i18n import N_, _
from bot.i18n import exercise_name as translated
from bot.services.plates import PlateLoad, WarmupStep
from bot.services.set_input import SetInput
from bot.ui.callback import pack
from bot.ui.formatting import format_sets_compact, format_weight, format_weights, unit_label
from bot.ui.texts import esc

PLATES_BUTTON: Final = N_("🏋️ Plates")
WARMUP_BUTTON: Final = N_("🔥 Warm-up")
LOG_WARMUP_BUTTON: Final = N_("🔥 Log warm-up")
BACK_BUTTON: Final = N_("↩ Back")
WARMUP_NEVER_COUNTS: Final = N_("Warm-up sets never count for records or progression.")


def _button(text: str, *parts: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=pack("wk", *parts))


def plates_button(session_id: uuid.UUID, index: int) -> InlineKeyboardButton:
    return _button(_(PLATES_BUTTON), "plt", session_id, index)


def warmup_button(session_id: uuid.UUID, index: int, count: int) -> InlineKeyboardButton:
    return _button(_(WARMUP_BUTTON), "wu", session_id, index, count)


# --- plates per side --------------------------------------------------------------------------------------


def side_text(load: PlateLoad, unit: WeightUnit) -> str:
    """'25 + 15 + 1.25 kg a side', or 'the empty bar'."""
    if not load.per_side:
        return _("the empty bar")
    return _("{plates} a side").format(plates=format_weights(load.per_side, unit, " + "))


def plates_text(total_kg: Decimal, bar_kg: Decimal, load: PlateLoad | None, unit: WeightUnit) -> str:
    """What to put on the bar for `total_kg`, with the bar; the shortfall when the plates can't make it."""
    title = _("🏋️ <b>{total}</b> on a {bar} bar").format(
        total=format_weight(total_kg, unit), bar=format_weight(bar_kg, unit)
    )
    if load is None:
        return _("{title}: that is less than the bar itself. Send /settings to change your bar.").format(
            title=title
        )
    if load.exact:
        return f"{title}: <b>{side_text(load, unit)}</b>"
    return _(
        "{title}: your plates can't make it exactly.\n"
        "Nearest below: <b>{loaded}</b> = {side} ({short} short). Your plates: /settings"
    ).format(
        title=title,
        loaded=format_weight(load.loaded_kg, unit),
        side=side_text(load, unit),
        short=format_weight(load.remainder_kg, unit),
    )


NO_WEIGHT: Final = N_(
    "There is no weight for this exercise yet: log a set first, or send /plates with a weight, "
    "like /plates 60."
)
NOT_A_BARBELL: Final = N_("Plates are for barbell exercises. Send /plates with a weight, like /plates 60.")


def plates_usage(unit: WeightUnit, bar_kg: Decimal, plates_kg: Sequence[Decimal]) -> str:
    example = "/plates 102.5" if unit is WeightUnit.KG else "/plates 225"
    other = "/plates 225lb" if unit is WeightUnit.KG else "/plates 100kg"
    return _(
        "🏋️ Send a weight and I'll tell you the plates for each side: {example} (or {other}).\n\n"
        "Your bar: {bar} · plates: {plates} (change them in /settings)"
    ).format(
        example=example, other=other, bar=format_weight(bar_kg, unit), plates=format_weights(plates_kg, unit)
    )


def plates_problem(reason: str, unit: WeightUnit) -> str:
    example = "/plates 102.5" if unit is WeightUnit.KG else "/plates 225"
    return _("⚠️ {reason} For example: {example}").format(reason=esc(reason), example=example)


# --- the warm-up ----------------------------------------------------------------------------------------


def warmup_sets(steps: Sequence[WarmupStep]) -> list[SetInput]:
    return [SetInput(reps=step.reps, weight_kg=step.weight_kg, is_warmup=True) for step in steps]


def _step_line(number: int, step: WarmupStep, load: PlateLoad | None, unit: WeightUnit) -> str:
    weight = format_weight(step.weight_kg, unit)
    share = _("bar") if step.percent is None else f"{step.percent}%"
    line = f"{number}. <b>{weight} × {step.reps}</b> ({share})"
    if load is not None and load.per_side:
        line += " - " + _("{plates} a side").format(plates=format_weights(load.per_side, unit, " + "))
    return line


def warmup_text(
    exercise_name: str,
    working_kg: Decimal,
    steps: Sequence[WarmupStep],
    loads: Sequence[PlateLoad | None],
    unit: WeightUnit,
) -> str:
    """The ramp shown first: each set with its plates (for a barbell), then what logging it does."""
    lines = [
        _("🔥 <b>Warm-up for {name}</b> · working weight {weight}").format(
            name=esc(translated(exercise_name)), weight=format_weight(working_kg, unit)
        )
    ]
    lines += [
        _step_line(n, step, load, unit) for n, (step, load) in enumerate(zip(steps, loads, strict=True), 1)
    ]
    lines += [
        "",
        _("Tap {button} to log these as warm-up sets.").format(button=_(LOG_WARMUP_BUTTON))
        + " "
        + _(WARMUP_NEVER_COUNTS),
    ]
    return "\n".join(lines)


def warmup_keyboard(session_id: uuid.UUID, index: int, count: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _button(_(LOG_WARMUP_BUTTON), "wul", session_id, index, count),
                _button(_(BACK_BUTTON), "go", session_id, index),
            ]
        ]
    )


def warmup_logged(steps: Sequence[WarmupStep], unit: WeightUnit) -> str:
    sets = format_sets_compact(warmup_sets(steps), unit, TrackingType.WEIGHT_REPS)
    return _("🔥 Warm-up logged ({unit}): {sets}").format(unit=unit_label(unit), sets=sets) + (
        f"\n<i>{_(WARMUP_NEVER_COUNTS)}</i>"
    )


NO_RAMP: Final = N_(
    "Your working weight is no heavier than the bar: there is nothing lighter to warm up with."
)
NO_WARMUP_WEIGHT: Final = N_("There is no working weight for this exercise yet: log a set first.")
NOT_LOADED: Final = N_("A warm-up ramp is for exercises done with a weight.")
WARMUP_ALREADY: Final = N_("You have already logged sets of this exercise: type a warm-up like w 40x10.")
