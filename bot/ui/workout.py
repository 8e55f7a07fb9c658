"""Texts and keyboards of the workout being logged. Pure functions of plain values."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.enums import SessionStatus, TrackingType, WeightUnit
from bot.services.program_day import DayAdvance
from bot.services.records import Record, RecordKind
from bot.services.workouts import ExerciseView, LastTime, SessionSummary, SessionView
from bot.ui.callback import pack
from bot.ui.formatting import (
    format_count,
    format_count_of,
    format_date,
    format_duration,
    format_prescription,
    format_set,
    format_sets_compact,
    format_volume,
    format_weight,
    format_work,
)
from bot.ui.texts import esc

Keyboard = InlineKeyboardMarkup

SKIP_REASONS = (("tired", "😴 Tired"), ("sick", "🤒 Sick"), ("busy", "⏰ No time"), ("injury", "🩹 Injury"))
EPLEY_NOTE = "Estimated 1RM = weight × (1 + reps / 30), Epley's formula."
SKIP_REASON_TEXT = {code: label.split(" ", 1)[1] for code, label in SKIP_REASONS}


def _button(text: str, *parts: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=pack("wk", *parts))


def next_set(exercise: ExerciseView) -> tuple[int | None, Decimal | None, int | None] | None:
    """The next set as prescribed (reps, kg, seconds), or None when the prescription cannot say."""
    if exercise.tracking == TrackingType.DURATION:
        seconds = exercise.target_duration_seconds or next(
            (s.duration_seconds for s in reversed(exercise.sets) if s.duration_seconds), None
        )
        return (None, None, seconds) if seconds else None
    reps = exercise.reps_max or exercise.reps_min
    if reps is None:
        reps = next((s.reps for s in reversed(exercise.sets) if s.reps), None)
    if reps is None:
        return None
    weight = exercise.last_weight_kg if exercise.tracking == TrackingType.WEIGHT_REPS else None
    if exercise.tracking == TrackingType.WEIGHT_REPS and weight is None:
        return None
    return reps, weight, None


class _Set:
    """A set-like value for formatting a prescription or a button."""

    def __init__(self, reps: int | None, weight_kg: Decimal | None, duration_seconds: int | None) -> None:
        self.reps, self.weight_kg, self.duration_seconds, self.is_warmup = (
            reps,
            weight_kg,
            duration_seconds,
            False,
        )


def exercise_card(
    view: SessionView, exercise: ExerciseView, unit: WeightUnit, last: LastTime | None, today: date
) -> str:
    lines = [
        f"🏋️ <b>{esc(view.workout_name)}</b> · exercise {exercise.index + 1} of {len(view.exercises)}",
        f"<b>{esc(exercise.name)}</b>" + (" <i>(extra)</i>" if exercise.adhoc else ""),
    ]
    if not exercise.adhoc:
        target = format_prescription(
            exercise.target_sets,
            exercise.reps_min,
            exercise.reps_max,
            exercise.target_weight_kg,
            exercise.target_duration_seconds,
            exercise.rest_seconds,
            unit,
            exercise.tracking,
        )
        lines.append(f"Target: {target}")
    if exercise.notes:
        lines.append(f"<i>{esc(exercise.notes)}</i>")
    if last is not None and last.sets:
        when = format_date(last.when.date(), today)
        lines.append(f"Last time, {when}: {format_sets_compact(last.sets, unit, exercise.tracking)}")
    if exercise.sets:
        done = len(exercise.working_sets)
        count = (
            format_count(done, "set")
            if exercise.adhoc
            else format_count_of(done, exercise.target_sets, "set")
        )
        logged = " · ".join(format_set(s, unit, exercise.tracking) for s in exercise.sets)
        lines.append(f"Today: {logged}  ({count})")
    lines.append("")
    lines.append(f"<i>{esc(input_hint(exercise.tracking, unit))}</i>")
    return "\n".join(lines)


def input_hint(tracking: TrackingType, unit: WeightUnit) -> str:
    weight = "60" if unit == WeightUnit.KG else "135"
    if tracking == TrackingType.DURATION:
        return "Type a time like 45s, 1:30 or 2 min - or tap a button."
    if tracking == TrackingType.REPS:
        load = "+10kg" if unit == WeightUnit.KG else "+25lb"
        return f"Type the reps like 12 (or {load} x 8 with added weight) - or tap a button."
    return (
        f"Type a set like {weight}x8 (w {weight}x8 for a warm-up, {weight}x8x3 for three) - or tap a button."
    )


def exercise_keyboard(session_id: uuid.UUID, exercise: ExerciseView, unit: WeightUnit) -> Keyboard:
    count = len(exercise.sets)
    rows: list[list[InlineKeyboardButton]] = []
    first: list[InlineKeyboardButton] = []
    planned = next_set(exercise)
    if planned is not None:
        first.append(
            _button(
                f"✓ {format_set(_Set(*planned), unit, exercise.tracking)}",
                "done",
                session_id,
                exercise.index,
                count,
            )
        )
    if exercise.sets:
        first.append(_button("↻ Same again", "same", session_id, exercise.index, count))
    if first:
        rows.append(first)
    second = []
    if exercise.sets:
        second.append(_button("↶ Undo", "undo", session_id, exercise.index, count))
    second.append(_button("Next ▶", "next", session_id, exercise.index))
    rows.append(second)
    rows.append(
        [
            _button("⏭ Skip exercise", "skipx", session_id, exercise.index),
            _button("➕ Add exercise", "add", session_id),
        ]
    )
    rows.append([_button("📋 All exercises", "list", session_id), _button("🏁 Finish", "fin", session_id)])
    return InlineKeyboardMarkup(rows)


def logged_text(
    added: Sequence[object], exercise: ExerciseView, unit: WeightUnit, records: Sequence[Record]
) -> str:
    sets = " · ".join(format_set(s, unit, exercise.tracking) for s in added)  # type: ignore[arg-type]
    lines = [f"✅ Logged {sets}"]
    lines += [f"🏆 {record_text(exercise.name, r, unit)}" for r in records]
    lines += [f"<i>{EPLEY_NOTE}</i>"] if any(r.kind == RecordKind.E1RM for r in records) else []
    return "\n".join(lines)


def record_text(exercise_name: str, record: Record, unit: WeightUnit) -> str:
    name = esc(exercise_name)
    if record.kind == RecordKind.WEIGHT:
        return (
            f"New record: heaviest {name}, {format_weight(Decimal(record.value), unit)} "
            f"(was {format_weight(Decimal(record.previous), unit)})"
        )
    if record.kind == RecordKind.E1RM:
        return (
            f"New record: estimated 1RM on {name} {format_weight(Decimal(record.value), unit)} "
            f"(was {format_weight(Decimal(record.previous), unit)})"
        )
    if record.kind == RecordKind.REPS:
        return f"New record: most reps of {name}, {record.value} (was {record.previous})"
    return (
        f"New record: longest {name}, {format_duration(int(record.value))} "
        f"(was {format_duration(int(record.previous))})"
    )


def difficulty_prompt(exercise: ExerciseView) -> str:
    return f"How hard was <b>{esc(exercise.name)}</b>? 1 = very easy, 10 = maximal effort."


def scale_keyboard(
    action: str, session_id: uuid.UUID, low: int, high: int, *extra: object, skip: str | None = None
) -> Keyboard:
    numbers = [_button(str(n), action, session_id, *extra, n) for n in range(low, high + 1)]
    rows = [numbers[i : i + 6] for i in range(0, len(numbers), 6)]
    if skip:
        rows.append([_button(skip, action, session_id, *extra, "x")])
    return InlineKeyboardMarkup(rows)


def exercise_list(view: SessionView, unit: WeightUnit) -> tuple[str, Keyboard]:
    lines = [f"🏋️ <b>{esc(view.workout_name)}</b> - exercises"]
    buttons = []
    for exercise in view.exercises:
        done = len(exercise.working_sets)
        mark = "✅" if done >= exercise.target_sets and not exercise.adhoc else ("▶" if done else "·")
        lines.append(f"{mark} {exercise.index + 1}. {esc(exercise.name)} - {format_count(done, 'set')}")
        buttons.append(
            [_button(f"{exercise.index + 1}. {exercise.name}"[:60], "go", view.id, exercise.index)]
        )
    buttons.append([_button("➕ Add exercise", "add", view.id), _button("🏁 Finish", "fin", view.id)])
    buttons.append([_button("✖ Cancel workout", "cancel", view.id)])
    return "\n".join(lines), InlineKeyboardMarkup(buttons)


def all_done_text(view: SessionView) -> str:
    return (
        f"That was the last exercise of <b>{esc(view.workout_name)}</b>. "
        "Finish the workout, or add an extra exercise."
    )


def all_done_keyboard(view: SessionView) -> Keyboard:
    return InlineKeyboardMarkup(
        [
            [_button("🏁 Finish", "fin", view.id), _button("➕ Add exercise", "add", view.id)],
            [_button("📋 All exercises", "list", view.id)],
        ]
    )


ADD_PROMPT = "Which exercise? Type part of its name, e.g. <i>curl</i> or <i>lunge</i>."


def search_results(
    session_id: uuid.UUID, query: str, found: Sequence[tuple[uuid.UUID, str]]
) -> tuple[str, Keyboard | None]:
    if not found:
        return f"No exercise matches “{esc(query)}”. Try another word, e.g. <i>press</i>.", None
    rows = [[_button(name[:60], "addx", session_id, exercise_id)] for exercise_id, name in found]
    return f"Exercises matching “{esc(query)}”:", InlineKeyboardMarkup(rows)


EFFORT_PROMPT = "🏁 Nearly done! How hard was the whole workout? 1 = very easy, 10 = maximal."
SORENESS_PROMPT = "How sore are you right now? 0 = not at all, 10 = very."
NOTE_PROMPT = "Anything to note about this workout? Type it (up to 2000 characters), or tap Skip."


def note_keyboard(session_id: uuid.UUID) -> Keyboard:
    return InlineKeyboardMarkup([[_button("Skip", "note", session_id, "x")]])


def summary_text(summary: SessionSummary, unit: WeightUnit, advance: DayAdvance | None) -> str:
    title = {
        SessionStatus.COMPLETED: "🎉 Workout complete",
        SessionStatus.SKIPPED: "⏭ Workout skipped",
        SessionStatus.CANCELLED: "✖ Workout cancelled - everything you logged is kept",
    }.get(summary.status, "Workout")
    lines = [f"{title}: <b>{esc(summary.workout_name)}</b>"]
    if summary.status != SessionStatus.SKIPPED:
        lines.append(
            f"{summary.exercises_done} of {summary.exercises_total} exercises · "
            + format_work(summary.sets, summary.reps, summary.volume_kg, summary.seconds, unit)
        )
        if summary.duration_seconds:
            lines.append(f"Duration: {format_duration(summary.duration_seconds)}")
        if summary.effort is not None:
            lines.append(f"Effort {summary.effort}/10 · soreness {summary.soreness}/10")
        lines += [f"🏆 {record_text(name, record, unit)}" for name, record in summary.records]
        lines += (
            [f"<i>{EPLEY_NOTE}</i>"] if any(r.kind == RecordKind.E1RM for _, r in summary.records) else []
        )
    if advance is not None:
        lines.append("")
        lines.append(advance_text(advance, unit))
    return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def advance_text(advance: DayAdvance, unit: WeightUnit) -> str:
    if advance.completed is not None:
        stats = advance.completed
        return (
            f"🏆 <b>You finished {esc(stats.program_name)}!</b> {_count(stats.days, 'day')}, "
            f"{_count(stats.workouts_completed, 'workout')} done, {stats.workouts_skipped} skipped, "
            f"{_count(stats.sets, 'set')}, "
            f"volume {format_volume(Decimal(str(stats.volume_kg)), unit)}, "
            f"{format_duration(stats.seconds_trained)} of training. Pick your next one with /programs."
        )
    if advance.advanced:
        return f"Day {advance.day_number} is next - see /today."
    return "Other workouts of today are still open - see /today."


SKIP_PROMPT = "Why skip this workout? Tap a reason or type your own (it is kept with the workout)."


def skip_keyboard(session_id: uuid.UUID) -> Keyboard:
    rows = [
        [_button(label, "why", session_id, code) for code, label in SKIP_REASONS[i : i + 2]] for i in (0, 2)
    ]
    rows.append(
        [_button("No reason", "why", session_id, "none"), _button("↩ Don't skip", "keep", session_id)]
    )
    return InlineKeyboardMarkup(rows)


CANCEL_PROMPT = (
    "Cancel this workout? Everything you logged is kept, and the workout stays available for today."
)


def cancel_keyboard(session_id: uuid.UUID) -> Keyboard:
    return InlineKeyboardMarkup(
        [[_button("Yes, cancel it", "cancelok", session_id), _button("↩ Keep going", "list", session_id)]]
    )


NOTHING_IN_PROGRESS = "No workout is in progress. See /today to start one."
STALE_BUTTON = "This button is no longer valid."
NOT_YOURS = "That workout isn't available."
ALREADY_LOGGED = "Already logged ✔"


def rest_over(exercise_name: str, next_number: int) -> str:
    return f"⏱ Rest is over - time for set {next_number} of <b>{esc(exercise_name)}</b>."
