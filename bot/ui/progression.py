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
from bot.i18n import N_, _, exercise_name, ngettext, pgettext
from bot.services.progression import Rule, Target, training_max
from bot.services.targets import ExerciseTarget, TargetChange
from bot.services.units import plate_friendly
from bot.services.workout_views import ExerciseView
from bot.ui.callback import pack
from bot.ui.fit import clip
from bot.ui.formatting import (
    format_decimal,
    format_duration,
    format_percent,
    format_prescription,
    format_recent_day,
    format_reps_range,
    format_weight,
    format_weight_change,
    unit_label,
)
from bot.ui.texts import esc

TM_USAGE: Final = N_(
    "Set a training max (a percent rule in your program works from it) with the exercise and the weight:"
    " <code>/tm squat 140</code> or <code>/tm bench press 100 kg</code>. <code>/tm</code> alone lists"
    " yours."
)


def _times(count: int) -> str:
    if count == 1:
        return _("once")
    if count == 2:
        return _("twice")
    return ngettext("{n} time", "{n} times", count).format(n=count)


def _on(on: date | None, today: date) -> str:
    """' on Mon', ' today', ' yesterday', ' on 12 Nov' - when a reason happened ('' when unknown)."""
    if on is None:
        return ""
    days = (today - on).days
    if days == 0:
        return " " + _("today")
    if days == 1:
        return " " + _("yesterday")
    return " " + pgettext("when a reason happened", "on {day}").format(day=format_recent_day(on, today))


def reason_text(rule: Rule | None, target: Target, unit: WeightUnit, today: date) -> str | None:
    """Why the target is what it is: '+2.5 kg: all sets done on Mon', 'deload -10%: missed twice'."""
    reason = target.reason
    on = _on(reason.on, today)
    if reason.kind is TargetReason.COACH:
        return _("set by your coach{on}").format(on=on)
    if rule is not None and rule.kind is ProgressionKind.PERCENT:
        maximum = training_max(rule, target)
        if maximum is None or rule.percent is None:
            return None
        if target.training_max_kg is not None:
            return _("{percent} of your training max {weight}").format(
                percent=format_percent(rule.percent), weight=format_weight(maximum, unit)
            )
        return _("{percent} of training max {weight}").format(
            percent=format_percent(rule.percent), weight=format_weight(maximum, unit)
        )
    if reason.kind is TargetReason.PROGRAM:
        return _("the program's starting weight")
    if reason.kind is TargetReason.HISTORY:
        return _("what you lifted last time{on}").format(on=on)
    if reason.kind is TargetReason.FIRST:
        return _("your first session{on}").format(on=on)
    if reason.kind is TargetReason.INCREASE and reason.amount_kg is not None:
        return _("{change}: all sets done{on}").format(
            change=format_weight_change(reason.amount_kg, unit), on=on
        )
    if reason.kind is TargetReason.REPS_UP:
        climb = reason.reps or 1
        return ngettext("+{n} rep: all sets done{on}", "+{n} reps: all sets done{on}", climb).format(
            n=climb, on=on
        )
    if reason.kind is TargetReason.HOLD:
        missed = reason.missed or 1
        if missed > 1:
            return _("same again: missed {times}").format(times=_times(missed))
        return _("same again: missed{on}").format(on=on)
    if reason.kind is TargetReason.DELOAD and reason.percent is not None:
        return _("deload -{percent}: missed {times}").format(
            percent=format_percent(reason.percent), times=_times(reason.missed or 2)
        )
    return None


def coach_reason_text(rule: Rule | None, target: Target, unit: WeightUnit, today: date) -> str | None:
    """reason_text as a coach reads it about a trainee ('set by a coach' rather than 'by your coach')."""
    if target.reason.kind is TargetReason.COACH:
        return _("set by a coach{on}").format(on=_on(target.reason.on, today))
    return reason_text(rule, target, unit, today)


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
        notes.append(_("range {range}").format(range=format_reps_range(exercise.reps_min, exercise.reps_max)))
    notes = [note for note in notes if note]
    if notes:
        text += f" ({'; '.join(notes)})"
    if exercise.rest_seconds:
        text += " · " + _("rest {duration}").format(duration=format_duration(exercise.rest_seconds))
    return _("Target: {target}").format(target=text)


def no_weight_hint(exercise: ExerciseView, command_name: str) -> str | None:
    """With a rule and no weight yet: what to do (asked once: the first session sets it)."""
    if exercise.rule is None or exercise.tracking is not TrackingType.WEIGHT_REPS:
        return None
    if exercise.target_weight_kg is not None:
        return None
    if exercise.rule.kind is ProgressionKind.PERCENT:
        return _(
            "❔ No training max yet: send <code>/tm {name} 100</code> with yours, or log your"
            " sets today - your best estimated 1RM sets it."
        ).format(name=esc(command_name))
    return _(
        "❔ What will you start with? Log your first set at the weight you choose - it becomes your target."
    )


def change_text(change: TargetChange, unit: WeightUnit) -> str | None:
    """'Barbell Back Squat: 62.5 kg (+2.5 kg)', one line of a finished workout's summary."""
    after, rule = change.after, change.rule
    name = f"<b>{esc(exercise_name(change.exercise_name))}</b>"
    if rule.kind is ProgressionKind.PERCENT:
        maximum = training_max(rule, after)
        if maximum is None:
            return None
        return _("{name}: training max {weight}").format(name=name, weight=format_weight(maximum, unit))
    if after.weight_kg is None:
        return None
    weight = format_weight(after.weight_kg, unit)
    reason = after.reason
    if reason.kind is TargetReason.INCREASE and reason.amount_kg is not None:
        detail = format_weight_change(reason.amount_kg, unit)
    elif reason.kind is TargetReason.REPS_UP:
        reps_a_set = after.reps or 0
        detail = ngettext("{n} rep a set", "{n} reps a set", reps_a_set).format(n=reps_a_set)
    elif reason.kind is TargetReason.DELOAD and reason.percent is not None:
        detail = _("deload -{percent}").format(percent=format_percent(reason.percent))
    elif reason.kind is TargetReason.HOLD:
        detail = _("same again")
    else:
        detail = _("your starting weight")
    reps = f" × {after.reps}" if rule.kind is ProgressionKind.DOUBLE and after.reps else ""
    return f"{name}: {weight}{reps} ({detail})"


def changes_text(changes: Sequence[TargetChange], unit: WeightUnit) -> str | None:
    lines = [line for line in (change_text(c, unit) for c in changes) if line]
    if not lines:
        return None
    return "\n".join([_("📈 Next time:"), *(f"• {line}" for line in lines)])


# ---------------------------------------------------------------------------------------------------------
# /tm


def training_maxes_text(items: Sequence[ExerciseTarget], unit: WeightUnit) -> str:
    rows = [
        (i.exercise_name, i.target.training_max_kg) for i in items if i.target.training_max_kg is not None
    ]
    if not rows:
        return _("🎯 You have set no training max yet.") + "\n\n" + _(TM_USAGE)
    lines = [_("🎯 <b>Your training maxes</b>")]
    lines += [
        f"• {esc(exercise_name(name))}: {format_weight(kg, unit)}" for name, kg in rows if kg is not None
    ]
    lines += ["", _("Change one with <code>/tm EXERCISE WEIGHT</code>, e.g. <code>/tm squat 140</code>.")]
    return "\n".join(lines)


def training_max_set_text(name: str, kg: Decimal, unit: WeightUnit) -> str:
    return _(
        "✅ Training max for <b>{name}</b>: {weight}. Percent targets of your program work from it now."
    ).format(name=esc(exercise_name(name)), weight=format_weight(kg, unit))


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
        parts = [f"<b>{esc(exercise_name(item.exercise_name))}</b>:"]
        parts.append(format_weight(weight, unit) if weight is not None else _("no weight yet"))
        if rule is not None and rule.kind is ProgressionKind.DOUBLE and item.target.reps:
            parts[-1] += f" × {item.target.reps}"
        reason = coach_reason_text(rule, item.target, unit, today)
        if reason:
            parts.append(f"({esc(reason)})")
        if item.target.training_max_kg is not None and (
            rule is None or rule.kind is not ProgressionKind.PERCENT
        ):
            parts.append(f"· TM {format_weight(item.target.training_max_kg, unit)}")
        lines.append(" ".join(parts))
    return lines


TARGET_USAGE: Final = N_(
    "Set a trainee's target weight with their name, the exercise and the weight:"
    " <code>/target alice squat 100</code> or <code>/target @bob bench press 82.5 kg</code>. The rules of"
    " their program go on from it."
)


def exercise_unknown_text(name: str, choices: Sequence[str], usage: str) -> str:
    if choices:
        listed = ", ".join(f"<b>{esc(exercise_name(choice))}</b>" for choice in choices)
        return (
            _("🤔 “{name}” could mean {choices}. Send it again with the full name.").format(
                name=esc(name), choices=listed
            )
            + f"\n\n{usage}"
        )
    return _("🤔 I don't know the exercise “{name}”.").format(name=esc(name)) + f"\n\n{usage}"


def target_set_text(trainee: str, exercise: str, kg: Decimal, unit: WeightUnit) -> str:
    return _("✅ Target for {trainee} on <b>{exercise}</b>: {weight}. They were told.").format(
        trainee=esc(trainee), exercise=esc(exercise_name(exercise)), weight=format_weight(kg, unit)
    )


def target_set_for_you_text(coach: str, exercise: str, kg: Decimal, unit: WeightUnit) -> str:
    shown = format_weight(plate_friendly(kg, unit), unit)
    return _(
        "🎯 Your coach {coach} set your target on <b>{exercise}</b>: {weight}."
        " You will see it when the exercise comes up in your workout."
    ).format(coach=esc(coach), exercise=esc(exercise_name(exercise)), weight=shown)


def trainee_targets_text(lines: Sequence[str], trainee_ref: str) -> str:
    """The targets part of a coach's /trainee card."""
    if not lines:
        head = [_("🎯 <b>Targets</b>: none yet (they come with a program's progression rules).")]
    else:
        head = [_("🎯 <b>Targets</b>"), *(f"• {line}" for line in lines)]
    return "\n".join(
        [*head, _("Set one: <code>/target {trainee} squat 100</code>").format(trainee=esc(trainee_ref))]
    )


# ---------------------------------------------------------------------------------------------------------
# a coach's Set target buttons (bot.handlers.targets)

TG: Final = "tg"
SET: Final = "s"
CANCEL: Final = "x"
TARGET_BUTTONS: Final = 8
"""At most this many exercises get a 🎯 button on the /trainee card (the rest: /target)."""
TARGET_STALE: Final = N_("This button is no longer valid.")
TARGET_CANCELLED: Final = N_("OK - no target was changed.")


def target_buttons(
    trainee_id: uuid.UUID, items: Sequence[ExerciseTarget]
) -> list[list[InlineKeyboardButton]]:
    """'🎯 Barbell Back Squat' per listed target, two a row: each asks the coach for a new weight."""
    buttons = [
        InlineKeyboardButton(
            f"🎯 {clip(exercise_name(item.exercise_name), 28)}",
            callback_data=pack(TG, SET, trainee_id, item.exercise_id),
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
    return InlineKeyboardMarkup([[InlineKeyboardButton(_("✖️ Cancel"), callback_data=pack(TG, CANCEL))]])


def _example(unit: WeightUnit) -> str:
    if unit is WeightUnit.KG:
        return _("{a} or {b}").format(a="100", b=format_decimal(Decimal("102.5")))
    return _("{a} or {b}").format(a="225", b=format_decimal(Decimal("227.5")))


def target_prompt_text(trainee: str, exercise: str, current_kg: Decimal | None, unit: WeightUnit) -> str:
    now = (
        " " + _("Now: {weight}.").format(weight=format_weight(current_kg, unit))
        if current_kg is not None
        else ""
    )
    return (
        _("🎯 New target for {trainee} on <b>{exercise}</b>?").format(
            trainee=esc(trainee), exercise=esc(exercise_name(exercise))
        )
        + now
        + "\n"
        + _(
            "Send the weight in {unit}, like <code>{example}</code>."
            " The rules of their program go on from it."
        ).format(unit=unit_word(unit), example=_example(unit))
    )


def target_weight_refused(reason: str, unit: WeightUnit) -> str:
    return f"🤔 {esc(reason)}\n" + _(
        "Send the target weight in {unit}, like <code>{example}</code>, or press Cancel. Nothing was changed."
    ).format(unit=unit_word(unit), example=_example(unit))


def unit_word(unit: WeightUnit) -> str:
    return unit_label(unit)
