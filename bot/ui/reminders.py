"""Reminders: the daily reminder, the weekly summary, /reminders. Texts and keyboards, pure functions."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from typing import Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.enums import WeightUnit
from bot.services.program_day import ProgramStats
from bot.services.reminders import (
    SUMMARY_TIME,
    PreparedReminder,
    ReminderItem,
    ReminderState,
    ReminderWorkout,
    WeeklySummary,
)
from bot.services.weekly import WeekReport
from bot.ui import callback
from bot.ui.formatting import format_count, format_date, format_duration, format_volume, format_work
from bot.ui.texts import esc
from bot.ui.today import clip, fit
from bot.ui.workout import record_text

WEEKDAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
BUTTON_NAME_LIMIT: Final = 32
MAX_BUTTON_ROWS: Final = 40

USAGE: Final = (
    "Send <code>/reminders on</code>, <code>/reminders off</code>, a time like "
    "<code>/reminders 07:30</code>, or <code>/reminders weekly on</code> (or <code>off</code>) "
    "for a summary every Sunday evening."
)


def _day(day: date, today: date) -> str:
    """'Mon 2 Mar'."""
    return f"{WEEKDAYS[day.weekday()]} {format_date(day, today)}"


def _hhmm(at: time) -> str:
    return f"{at.hour:02d}:{at.minute:02d}"


# --- the daily reminder --------------------------------------------------------------------------------


def missed_line(item: ReminderItem, today: date) -> str | None:
    """'⚠️ You missed Day 5 yesterday.' (or '... on Mon 2 Mar.'), once per missed day."""
    if item.missed_on is None:
        return None
    when = "yesterday" if item.missed_on == today - timedelta(days=1) else f"on {_day(item.missed_on, today)}"
    return f"⚠️ You missed Day {item.day_number} {when}."


def workout_line(item: ReminderItem, workout: ReminderWorkout) -> str:
    """'Day 3 of 4 - Workout B (about 40 min)', '... - Mobility C (optional)'."""
    text = f"Day {item.day_number} of {item.length_days} - <b>{esc(clip(workout.name, 100))}</b>"
    if workout.estimated_minutes:
        text += f" (about {format_duration(workout.estimated_minutes * 60)})"
    if workout.is_optional:
        text += " <i>(optional)</i>"
    if workout.in_progress:
        text += " - <i>in progress</i>"
    return text


def _volume(stats: ProgramStats, unit: WeightUnit) -> str:
    """'volume 4,320 kg, ' - nothing for a program of runs and holds (never "volume 0 kg")."""
    if stats.volume_kg <= 0:
        return ""
    return f"volume {format_volume(Decimal(str(stats.volume_kg)), unit)}, "


def completed_line(stats: ProgramStats, unit: WeightUnit) -> str:
    return (
        f"🏆 <b>You finished {esc(stats.program_name)}!</b> {format_count(stats.days, 'day')}, "
        f"{format_count(stats.workouts_completed, 'workout')} done, {stats.workouts_skipped} skipped, "
        f"{format_count(stats.sets, 'set')}, {_volume(stats, unit)}"
        f"{format_duration(stats.seconds_trained)} of training. Pick your next one with /programs."
    )


def reminder_text(reminder: PreparedReminder) -> str:
    """The one message of a user's reminder: programs just completed, then every enrollment's day."""
    recipient = reminder.recipient
    unit = recipient.weight_unit if recipient is not None else WeightUnit.KG
    today = reminder.local_date
    lines: list[str] = [completed_line(stats, unit) for stats in reminder.completed]
    if reminder.items:
        if lines:
            lines.append("")
        lines.append("⏰ <b>Time to train!</b>")
        for item in reminder.items:
            lines += ["", f"🏋️ <b>{esc(clip(item.program_name, 100))}</b>"]
            if (missed := missed_line(item, today)) is not None:
                lines.append(missed)
            lines += [workout_line(item, workout) for workout in item.workouts]
    return fit(lines)


def reminder_keyboard(reminder: PreparedReminder) -> InlineKeyboardMarkup | None:
    """A Start (or Resume) button per open workout; it opens the workout directly."""
    several = len(reminder.items) > 1
    rows: list[list[InlineKeyboardButton]] = []
    for item in reminder.items:
        for workout in item.workouts:
            verb = "Resume" if workout.in_progress else "Start"
            label = f"▶️ {verb} {clip(workout.name, BUTTON_NAME_LIMIT)}"
            if several:
                label += f" · {clip(item.program_name, 20)}"
            rows.append(
                [InlineKeyboardButton(label, callback_data=callback.workout_start(workout.session_id))]
            )
    return InlineKeyboardMarkup(rows[:MAX_BUTTON_ROWS]) if rows else None


def completed_text(completed: tuple[ProgramStats, ...], unit: WeightUnit) -> str:
    """Programs the midnight rollover completed (their last day was a rest day)."""
    return "\n\n".join(completed_line(stats, unit) for stats in completed)


# --- the weekly summary --------------------------------------------------------------------------------


def _workouts_line(week: WeekReport) -> str:
    """'Workouts: 2 of 3 scheduled done', '... + 1 more', 'Workouts: 2 done' (no program)."""
    if week.scheduled:
        text = f"Workouts: <b>{week.done_scheduled}</b> of {week.scheduled} scheduled done"
        if week.extra:
            text += f" + {week.extra} more"
    else:
        text = f"Workouts: <b>{week.done}</b> done"
    return text + (f" ({week.skipped} skipped)" if week.skipped else "")


def summary_text(summary: WeeklySummary) -> str:
    unit = summary.recipient.weight_unit
    today = summary.recipient.today
    week = summary.week
    lines = [
        f"📊 <b>Your week</b> · {_day(week.week_start, today)} - {_day(week.week_end, today)}",
        "",
        _workouts_line(week),
        "Work: "
        + format_work(
            week.sets,
            week.reps,
            week.volume_kg,
            week.seconds,
            unit,
            distance_m=week.distance_m,
            distance_seconds=week.distance_seconds,
            calories=week.calories,
        ),
    ]
    if week.records:
        lines.append("")
        lines += [f"🏆 {record_text(name, record, unit)}" for name, record in week.records]
    else:
        lines.append("No new records this week.")
    return fit(lines)


# --- /reminders ----------------------------------------------------------------------------------------


def state_text(state: ReminderState, notice: str | None = None) -> str:
    """What /reminders answers: the reminder's state, the weekly summary's, and how to change them."""
    lines = [notice, ""] if notice else []
    if state.enabled:
        lines.append(f"🔔 Daily reminder: <b>on</b>, at <b>{_hhmm(state.at)}</b> ({esc(state.timezone)})")
        if state.next_local is not None:
            day = state.next_local.date()
            if day == state.today:
                when = "today"
            elif day == state.today + timedelta(days=1):
                when = "tomorrow"
            else:
                when = _day(day, state.today)
            lines.append(f"Next: {when} at {_hhmm(state.next_local.time())}")
    else:
        lines.append(f"🔕 Daily reminder: <b>off</b> (your time stays {_hhmm(state.at)})")
    weekly = "on" if state.weekly else "off"
    lines.append(f"📊 Weekly summary on Sunday at {_hhmm(SUMMARY_TIME)}: <b>{weekly}</b>")
    lines += ["", USAGE]
    return "\n".join(lines)


def bad_argument(text: str, reason: str | None = None) -> str:
    """Why /reminders could not use its argument (`reason`: plain text), and what it takes."""
    head = esc(reason) if reason else f"I couldn't read “{esc(clip(' '.join(text.split()), 30))}”."
    return f"{head}\n\n{USAGE}"


__all__ = [
    "USAGE",
    "bad_argument",
    "completed_text",
    "missed_line",
    "reminder_keyboard",
    "reminder_text",
    "state_text",
    "summary_text",
    "workout_line",
]
