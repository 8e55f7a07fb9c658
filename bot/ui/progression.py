"""Texts of progression: the target line of an exercise card with its reason, what a finished workout
did to the targets, the training maxes (/tm) and a coach's view of a trainee's targets. Pure functions."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.enums import ProgressionKind, TargetReason, TrackingType, WeightUnit
from bot.services.progression import Rule, Target, training_max
from bot.services.targets import ExerciseTarget, TargetChange
from bot.services.units import plate_friendly
from bot.services.workout_views import ExerciseView
from bot.ui.callback import pack
from bot.ui.fit import clip
from bot.ui.formatting import (
    format_duration,
    format_percent,
    format_prescription,
    format_recent_day,
    format_reps_range,
    format_weight,
    format_weight_change,
)
from bot.ui.texts import esc

TM_USAGE: Final = (
    "Set a training max (a percent rule in your program works from it) with the exercise and the weight:"
    " <code>/tm squat 140</code> or <code>/tm bench press 100 kg</code>. <code>/tm</code> alone lists"
    " yours."
)


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def reason_text(rule: Rule | None, target: Target, unit: WeightUnit, today: date) -> str | None:
    """Why the target is what it is: '+2.5 kg: all sets done on Mon', 'deload -10%: missed twice'."""
    reason = target.reason
    day = format_recent_day(reason.on, today) if reason.on is not None else None
    on = f" on {day}" if day is not None and day not in ("today", "yesterday") else (f" {day}" if day else "")
    if reason.kind is TargetReason.COACH:
        return f"set by your coach{on}"
    if rule is not None and rule.kind is ProgressionKind.PERCENT:
        maximum = training_max(rule, target)
        if maximum is None or rule.percent is None:
            return None
        whose = "your training max" if target.training_max_kg is not None else "training max"
        return f"{format_percent(rule.percent)} of {whose} {format_weight(maximum, unit)}"
    if reason.kind is TargetReason.PROGRAM:
        return "the program's starting weight"
    if reason.kind is TargetReason.HISTORY:
        return f"what you lifted last time{on}"
    if reason.kind is TargetReason.FIRST:
        return f"your first session{on}"
    if reason.kind is TargetReason.INCREASE and reason.amount_kg is not None:
        return f"{format_weight_change(reason.amount_kg, unit)}: all sets done{on}"
    if reason.kind is TargetReason.REPS_UP:
        climb = reason.reps or 1
        return f"+{climb} rep{'s' if climb != 1 else ''}: all sets done{on}"
    if reason.kind is TargetReason.HOLD:
        missed = reason.missed or 1
        return f"same again: missed {_times(missed)}" if missed > 1 else f"same again: missed{on}"
    if reason.kind is TargetReason.DELOAD and reason.percent is not None:
        return f"deload -{format_percent(reason.percent)}: missed {_times(reason.missed or 2)}"
    return None


def target_line(exercise: ExerciseView, unit: WeightUnit, today: date) -> str:
    """'Target: 3 × 5 @ 62.5 kg (+2.5 kg: all sets done on Mon) · rest 3 min'."""
    reps_min, reps_max = exercise.reps_min, exercise.reps_max
    rule, target = exercise.rule, exercise.target
    weight = exercise.target_weight_kg
    if rule is not None and rule.kind is ProgressionKind.DOUBLE and target is not None and target.reps:
        reps_min = reps_max = target.reps
    text = format_prescription(
        exercise.target_sets,
        reps_min,
        reps_max,
        (weight if exercise.loadable else plate_friendly(weight, unit)) if weight else None,
        exercise.target_duration_seconds,
        None,
        unit,
        exercise.tracking,
    )
    notes = [esc(reason_text(rule, target, unit, today) or "") if target is not None else ""]
    if reps_min != exercise.reps_min and exercise.reps_min is not None:
        notes.append(f"range {format_reps_range(exercise.reps_min, exercise.reps_max)}")
    notes = [note for note in notes if note]
    if notes:
        text += f" ({'; '.join(notes)})"
    if exercise.rest_seconds:
        text += f" · rest {format_duration(exercise.rest_seconds)}"
    return f"Target: {text}"


def no_weight_hint(exercise: ExerciseView, command_name: str) -> str | None:
    """With a rule and no weight yet: what to do (asked once: the first session sets it)."""
    if exercise.rule is None or exercise.tracking is not TrackingType.WEIGHT_REPS:
        return None
    if exercise.target_weight_kg is not None:
        return None
    if exercise.rule.kind is ProgressionKind.PERCENT:
        return (
            f"❔ No training max yet: send <code>/tm {esc(command_name)} 100</code> with yours, or log your"
            " sets today - your best estimated 1RM sets it."
        )
    return (
        "❔ What will you start with? Log your first set at the weight you choose - it becomes your target."
    )


def change_text(change: TargetChange, unit: WeightUnit) -> str | None:
    """'Barbell Back Squat: 62.5 kg (+2.5 kg)', one line of a finished workout's summary."""
    after, rule = change.after, change.rule
    name = f"<b>{esc(change.exercise_name)}</b>"
    if rule.kind is ProgressionKind.PERCENT:
        maximum = training_max(rule, after)
        if maximum is None:
            return None
        return f"{name}: training max {format_weight(maximum, unit)}"
    if after.weight_kg is None:
        return None
    weight = format_weight(after.weight_kg, unit)
    reason = after.reason
    if reason.kind is TargetReason.INCREASE and reason.amount_kg is not None:
        detail = format_weight_change(reason.amount_kg, unit)
    elif reason.kind is TargetReason.REPS_UP:
        detail = f"{after.reps} reps a set"
    elif reason.kind is TargetReason.DELOAD and reason.percent is not None:
        detail = f"deload -{format_percent(reason.percent)}"
    elif reason.kind is TargetReason.HOLD:
        detail = "same again"
    else:
        detail = "your starting weight"
    reps = f" × {after.reps}" if rule.kind is ProgressionKind.DOUBLE and after.reps else ""
    return f"{name}: {weight}{reps} ({detail})"


def changes_text(changes: Sequence[TargetChange], unit: WeightUnit) -> str | None:
    lines = [line for line in (change_text(c, unit) for c in changes) if line]
    if not lines:
        return None
    return "\n".join(["📈 Next time:", *(f"• {line}" for line in lines)])


# ---------------------------------------------------------------------------------------------------------
# /tm


def training_maxes_text(items: Sequence[ExerciseTarget], unit: WeightUnit) -> str:
    rows = [
        (i.exercise_name, i.target.training_max_kg) for i in items if i.target.training_max_kg is not None
    ]
    if not rows:
        return "🎯 You have set no training max yet.\n\n" + TM_USAGE
    lines = ["🎯 <b>Your training maxes</b>"]
    lines += [f"• {esc(name)}: {format_weight(kg, unit)}" for name, kg in rows if kg is not None]
    lines += ["", "Change one with <code>/tm EXERCISE WEIGHT</code>, e.g. <code>/tm squat 140</code>."]
    return "\n".join(lines)


def training_max_set_text(name: str, kg: Decimal, unit: WeightUnit) -> str:
    return (
        f"✅ Training max for <b>{esc(name)}</b>: {format_weight(kg, unit)}. Percent targets of your"
        " program work from it now."
    )


# ---------------------------------------------------------------------------------------------------------
# a coach's view of a trainee's targets


def targets_lines(
    items: Sequence[ExerciseTarget], rules: Mapping[uuid.UUID, Rule], unit: WeightUnit, today: date
) -> list[str]:
    """One line per target: 'Barbell Back Squat: 62.5 kg (+2.5 kg: all sets done on Mon)'."""
    from bot.services.targets import shown_weight

    lines = []
    for item in items:
        rule = rules.get(item.exercise_id)
        weight = shown_weight(rule, item, unit)
        parts = [f"<b>{esc(item.exercise_name)}</b>:"]
        parts.append(format_weight(weight, unit) if weight is not None else "no weight yet")
        if rule is not None and rule.kind is ProgressionKind.DOUBLE and item.target.reps:
            parts[-1] += f" × {item.target.reps}"
        reason = reason_text(rule, item.target, unit, today)
        if reason:
            reason = reason.replace("set by your coach", "set by a coach")
            parts.append(f"({esc(reason)})")
        if item.target.training_max_kg is not None and (
            rule is None or rule.kind is not ProgressionKind.PERCENT
        ):
            parts.append(f"· TM {format_weight(item.target.training_max_kg, unit)}")
        lines.append(" ".join(parts))
    return lines


TARGET_USAGE: Final = (
    "Set a trainee's target weight with their name, the exercise and the weight:"
    " <code>/target alice squat 100</code> or <code>/target @bob bench press 82.5 kg</code>. The rules of"
    " their program go on from it."
)


def exercise_unknown_text(name: str, choices: Sequence[str], usage: str) -> str:
    if choices:
        listed = ", ".join(f"<b>{esc(choice)}</b>" for choice in choices)
        return f"🤔 “{esc(name)}” could mean {listed}. Send it again with the full name.\n\n{usage}"
    return f"🤔 I don't know the exercise “{esc(name)}”.\n\n{usage}"


def target_set_text(trainee: str, exercise: str, kg: Decimal, unit: WeightUnit) -> str:
    return (
        f"✅ Target for {esc(trainee)} on <b>{esc(exercise)}</b>: {format_weight(kg, unit)}. They were told."
    )


def target_set_for_you_text(coach: str, exercise: str, kg: Decimal, unit: WeightUnit) -> str:
    shown = format_weight(plate_friendly(kg, unit), unit)
    return (
        f"🎯 Your coach {esc(coach)} set your target on <b>{esc(exercise)}</b>: {shown}."
        " You will see it when the exercise comes up in your workout."
    )


def trainee_targets_text(lines: Sequence[str], trainee_ref: str) -> str:
    """The targets part of a coach's /trainee card."""
    if not lines:
        head = ["🎯 <b>Targets</b>: none yet (they come with a program's progression rules)."]
    else:
        head = ["🎯 <b>Targets</b>", *(f"• {line}" for line in lines)]
    return "\n".join([*head, f"Set one: <code>/target {esc(trainee_ref)} squat 100</code>"])


# ---------------------------------------------------------------------------------------------------------
# a coach's Set target buttons (bot.handlers.targets)

TG: Final = "tg"
SET: Final = "s"
CANCEL: Final = "x"
TARGET_BUTTONS: Final = 8
"""At most this many exercises get a 🎯 button on the /trainee card (the rest: /target)."""
TARGET_STALE: Final = "This button is no longer valid."
TARGET_CANCELLED: Final = "OK - no target was changed."


def target_buttons(
    trainee_id: uuid.UUID, items: Sequence[ExerciseTarget]
) -> list[list[InlineKeyboardButton]]:
    """'🎯 Barbell Back Squat' per listed target, two a row: each asks the coach for a new weight."""
    buttons = [
        InlineKeyboardButton(
            f"🎯 {clip(item.exercise_name, 28)}", callback_data=pack(TG, SET, trainee_id, item.exercise_id)
        )
        for item in items[:TARGET_BUTTONS]
    ]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def with_target_buttons(
    markup: InlineKeyboardMarkup | None, trainee_id: uuid.UUID, items: Sequence[ExerciseTarget]
) -> InlineKeyboardMarkup | None:
    """The /trainee card's keyboard with the 🎯 buttons on top."""
    rows = target_buttons(trainee_id, items)
    if not rows:
        return markup
    return InlineKeyboardMarkup([*rows, *(markup.inline_keyboard if markup is not None else ())])


def target_cancel_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("✖️ Cancel", callback_data=pack(TG, CANCEL))]])


def _example(unit: WeightUnit) -> str:
    return "100 or 102.5" if unit is WeightUnit.KG else "225 or 227.5"


def target_prompt_text(trainee: str, exercise: str, current_kg: Decimal | None, unit: WeightUnit) -> str:
    now = f" Now: {format_weight(current_kg, unit)}." if current_kg is not None else ""
    return (
        f"🎯 New target for {esc(trainee)} on <b>{esc(exercise)}</b>?{now}\n"
        f"Send the weight in {unit_word(unit)}, like <code>{_example(unit)}</code>."
        " The rules of their program go on from it."
    )


def target_weight_refused(reason: str, unit: WeightUnit) -> str:
    return (
        f"🤔 {esc(reason)}\nSend the target weight in {unit_word(unit)}, like <code>{_example(unit)}</code>,"
        " or press Cancel. Nothing was changed."
    )


def unit_word(unit: WeightUnit) -> str:
    return "kg" if unit is WeightUnit.KG else "lb"
