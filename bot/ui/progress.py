"""Texts and keyboards of records, charts, measurements, export and account deletion (history:
`bot.ui.history`).

Callback data prefixes: `me:` measurements, `pr:` progress charts and records, `dm:`
delete-me. Pure functions; user-provided text is escaped with `esc`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.enums import TrackingType, WeightUnit
from bot.services.measurements import MetricSeries
from bot.services.progress import ExerciseProgress, ExerciseRecords, WeekAdherence
from bot.services.units import convert, from_kg
from bot.ui.callback import pack
from bot.ui.exercise_notes import note_line
from bot.ui.formatting import (
    format_date,
    format_decimal,
    format_duration,
    format_volume,
    format_weight,
    unit_label,
)
from bot.ui.keyboard import inline_keyboard
from bot.ui.texts import esc

STALE_BUTTON = "This button is no longer valid."
NOT_YOURS = "That isn't available."
EPLEY = "estimated 1RM = weight × (1 + reps / 30), Epley, from sets of up to 12 reps"
NO_RECORDS = "No records yet: log a workout and your bests will appear here."
NO_MEASUREMENTS = "No measurements yet. Send /measure to add your body weight, waist and more."
EXPORT_CAPTION = "Your data: CSV files (UTF-8) for any spreadsheet. Times are in your zone and in UTC."
DELETE_ASK = (
    "⚠️ <b>Delete your account?</b>\n\nThis erases your profile, every workout, set, measurement and "
    "program enrollment. It cannot be undone. Send /export first if you want a copy."
)
DELETE_REALLY = "Last step: tap <b>Delete everything</b> to erase your account now."
DELETE_DONE = "Your account and all its data are deleted. Goodbye! Send /start any time to begin anew."
DELETE_KEPT = "Nothing was deleted."
PROGRESS_MENU = "📈 <b>Progress</b>\nPick an exercise, or send /progress NAME (e.g. /progress squat)."


def _kg(kg: Decimal, unit: WeightUnit) -> float:
    return float(from_kg(kg, unit))


def weight_value(kg: Decimal, unit: WeightUnit) -> float:
    """A kg weight as a chart value in the user's unit."""
    return _kg(kg, unit)


# --- records ---------------------------------------------------------------------------------------------


def records_text(records: Sequence[ExerciseRecords], unit: WeightUnit) -> str:
    if not records:
        return NO_RECORDS
    lines = ["🏆 <b>Personal records</b>", f"<i>e1RM: {EPLEY}</i>"]
    for r in records:
        parts = []
        if r.heaviest_kg is not None:
            parts.append(f"heaviest {format_weight(r.heaviest_kg, unit)} × {r.reps_at_heaviest}")
        if r.most_reps is not None and r.most_reps_weight_kg is not None:
            parts.append(f"most reps {r.most_reps} @ {format_weight(r.most_reps_weight_kg, unit)}")
        if r.e1rm_kg is not None and r.e1rm_weight_kg is not None:
            parts.append(
                f"e1RM {format_weight(r.e1rm_kg, unit)} "
                f"({format_decimal(from_kg(r.e1rm_weight_kg, unit).quantize(Decimal('0.1')))}×{r.e1rm_reps})"
            )
        if r.best_volume_kg is not None:
            parts.append(f"best session volume {format_volume(r.best_volume_kg, unit)}")
        if r.bodyweight_reps is not None:
            parts.append(f"most reps {r.bodyweight_reps} (bodyweight)")
        if r.longest_seconds is not None:
            parts.append(f"longest {format_duration(r.longest_seconds)}")
        lines.append(f"\n<b>{esc(r.name)}</b>\n" + " · ".join(parts))
    return _fit(lines, len(records))


RECORDS_ROOM = 3900  # Telegram's 4096 characters, with room for the closing line


def _fit(lines: list[str], exercises: int) -> str:
    """Keep whole exercises while the message stays under Telegram's limit; say how many were left out."""
    header, body = lines[:2], lines[2:]
    kept: list[str] = []
    size = sum(len(line) + 1 for line in header)
    for line in body:
        if size + len(line) + 1 > RECORDS_ROOM:
            break
        kept.append(line)
        size += len(line) + 1
    text = "\n".join(header + kept)
    if len(kept) < exercises:
        text += f"\n\n… and {exercises - len(kept)} more exercises: /progress NAME shows one."
    return text


# --- progress charts -------------------------------------------------------------------------------------


def progress_keyboard(exercises: Sequence[tuple[uuid.UUID, str]]) -> InlineKeyboardMarkup:
    rows = [
        [InlineKeyboardButton(name[:40], callback_data=pack("pr", "ex", ex_id))]
        for ex_id, name in exercises[:8]
    ]
    rows.append(
        [
            InlineKeyboardButton("📅 Adherence", callback_data=pack("pr", "adh")),
            InlineKeyboardButton("😓 Effort & soreness", callback_data=pack("pr", "eff")),
        ]
    )
    return InlineKeyboardMarkup(rows)


def no_match_text(query: str, suggestions: Sequence[tuple[uuid.UUID, str]]) -> str:
    if suggestions:
        return f"Which exercise do you mean by “{esc(query[:40])}”?"
    return (
        f"You haven't logged anything like “{esc(query[:40])}” yet. "
        "Send /progress to pick from your exercises."
    )


def exercise_caption(progress: ExerciseProgress, unit: WeightUnit, today: date) -> str:
    last = progress.points[-1]
    best = max((p.e1rm_kg for p in progress.points if p.e1rm_kg is not None), default=None)
    since = format_date(progress.points[0].day, today)
    text = f"📈 <b>{esc(progress.name)}</b>: {len(progress.points)} sessions since {since}"
    when = format_date(last.day, today)
    if last.top_kg is not None:
        text += f"\nLast top set: {format_weight(last.top_kg, unit)} × {last.top_reps} ({when})"
    elif last.longest_seconds is not None:
        longest = max(p.longest_seconds or 0 for p in progress.points)
        text += f"\nLast: longest {format_duration(last.longest_seconds)}, "
        text += f"{format_duration(last.total_seconds)} in all ({when}) · best {format_duration(longest)}"
    elif last.max_reps is not None:
        most = max(p.max_reps or 0 for p in progress.points)
        text += f"\nLast: most reps {last.max_reps}, {last.total_reps} in all ({when}) · best {most}"
    if best is not None:
        text += f"\nBest e1RM: {format_weight(best, unit)} ({EPLEY})"
    return _with_note(text, progress)


def _with_note(text: str, progress: ExerciseProgress) -> str:
    note = note_line(progress.note)
    return f"{text}\n{note}" if note else text


def exercise_fallback(progress: ExerciseProgress, unit: WeightUnit, today: date) -> str:
    """Text instead of a chart: fewer than 2 sessions."""
    if not progress.points:
        return _with_note(f"No sets of <b>{esc(progress.name)}</b> logged yet.", progress)
    point = progress.points[0]
    when = format_date(point.day, today)
    text = f"📈 <b>{esc(progress.name)}</b>: one session so far ({when}) - a chart needs two."
    if point.top_kg is not None and point.e1rm_kg is not None:
        text += (
            f"\nTop set {format_weight(point.top_kg, unit)} × {point.top_reps}"
            f" · e1RM {format_weight(point.e1rm_kg, unit)}"
            f" · volume {format_volume(point.volume_kg, unit)}"
        )
    elif point.max_reps is not None:
        text += f"\nMost reps {point.max_reps}"
    elif point.longest_seconds is not None:
        text += f"\nLongest {format_duration(point.longest_seconds)}"
    return _with_note(text, progress)


def adherence_fallback(weeks: Sequence[WeekAdherence], today: date) -> str:
    if not weeks:
        return "📅 No program workouts scheduled yet: enroll in a program (/programs) to track adherence."
    return "📅 Adherence: " + "; ".join(
        f"week of {format_date(w.week, today)}: {w.done}/{w.planned} ({w.percent}%)" for w in weeks
    )


# --- measurements ----------------------------------------------------------------------------------------


def display_unit(canonical: str, unit: WeightUnit) -> str:
    """Body-mass metrics follow the user's weight unit; the rest keep their own."""
    return "lb" if canonical == "kg" and unit is WeightUnit.LB else canonical


def display_value(value: Decimal, canonical: str, unit: WeightUnit) -> Decimal:
    target = display_unit(canonical, unit)
    shown = convert(value, canonical, target) if target != canonical else value
    return shown.quantize(Decimal("0.1"))


def with_unit(value: Decimal, unit: str) -> str:
    return f"{format_decimal(value)}{unit}" if unit == "%" else f"{format_decimal(value)} {unit}"


def metrics_keyboard(metrics: Sequence[tuple[uuid.UUID, str]], action: str) -> InlineKeyboardMarkup | None:
    buttons = [
        InlineKeyboardButton(name[:30], callback_data=pack("me", action, mid)) for mid, name in metrics
    ]
    return inline_keyboard(buttons[i : i + 2] for i in range(0, len(buttons), 2))


MEASURE_PICK = "📏 What did you measure?"


def measure_prompt(name: str, canonical: str, accepted: Sequence[str], unit: WeightUnit) -> str:
    default = display_unit(canonical, unit)
    others = [u for u in accepted if u != default]
    also = f" (or {', '.join(others)})" if others else ""
    return (
        f"<b>{esc(name)}</b>: send the value in {default}{also}, e.g. <code>82.5</code>"
        f"{' or <code>31 in</code>' if 'in' in accepted else ''}.\n"
        "Add a date and a note after commas if you like: <code>82.5, yesterday, after breakfast</code>."
    )


def measured_text(name: str, value: Decimal, canonical: str, day: date, today: date, unit: WeightUnit) -> str:
    shown = with_unit(display_value(value, canonical, unit), display_unit(canonical, unit))
    return f"✅ Saved: {esc(name)} {shown} on {format_date(day, today)}. See /measurements."


def measurements_text(series: Sequence[MetricSeries], unit: WeightUnit, today: date) -> str:
    if not series:
        return NO_MEASUREMENTS
    lines = ["📏 <b>Your measurements</b>"]
    for s in series:
        shown = display_unit(s.unit, unit)
        recent = ", ".join(
            f"{with_unit(display_value(p.value, s.unit, unit), shown)} ({format_date(p.day, today)})"
            for p in reversed(s.points[-5:])
        )
        lines.append(f"\n<b>{esc(s.name)}</b> ({len(s.points)}): {recent}")
    lines.append("\n📈 shows a chart, ✏️ Edit corrects or deletes a value; /measure adds one.")
    return "\n".join(lines)


def tracking_label(tracking: TrackingType, unit: WeightUnit) -> str:
    if tracking is TrackingType.DURATION:
        return "seconds"
    if tracking is TrackingType.REPS:
        return "reps"
    return unit_label(unit)
