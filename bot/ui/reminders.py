"""Reminders: the daily reminder, the weekly summary, /reminders. Texts and keyboards, pure functions."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from typing import Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.enums import WeightUnit
from bot.i18n import N_, _, exercise_name, ngettext
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
from bot.ui.formatting import format_duration, format_volume, format_work
from bot.ui.texts import esc
from bot.ui.today import clip, day_label, fit
from bot.ui.workout import record_text

BUTTON_NAME_LIMIT: Final = 32
MAX_BUTTON_ROWS: Final = 40

USAGE: Final = N_(
    "Send <code>/reminders on</code>, <code>/reminders off</code>, a time like "
    "<code>/reminders 07:30</code>, or <code>/reminders weekly on</code> (or <code>off</code>) "
    "for a summary every Sunday evening."
)


def _day(day: date, today: date) -> str:
    """'Mon 2 Mar' (bot.ui.today.day_label, in the reader's language)."""
    return day_label(day, today)


def _hhmm(at: time) -> str:
    return f"{at.hour:02d}:{at.minute:02d}"


# --- the daily reminder --------------------------------------------------------------------------------


def missed_line(item: ReminderItem, today: date) -> str | None:
    """'⚠️ You missed Day 5 yesterday.' (or '... on Mon 2 Mar.'), once per missed day."""
    if item.missed_on is None:
        return None
    if item.missed_on == today - timedelta(days=1):
        return _("⚠️ You missed Day {day} yesterday.").format(day=item.day_number)
    return _("⚠️ You missed Day {day} on {date}.").format(
        day=item.day_number, date=_day(item.missed_on, today)
    )


def workout_line(item: ReminderItem, workout: ReminderWorkout) -> str:
    """'Day 3 of 4 - Workout B (about 40 min)', '... - Mobility C (optional)'."""
    parts = [
        _("Day {day} of {length} - <b>{workout}</b>").format(
            day=item.day_number, length=item.length_days, workout=esc(clip(workout.name, 100))
        )
    ]
    if workout.estimated_minutes:
        parts.append(_("(about {duration})").format(duration=format_duration(workout.estimated_minutes * 60)))
    if workout.is_optional:
        parts.append(_("<i>(optional)</i>"))
    if workout.in_progress:
        parts.append(_("- <i>in progress</i>"))
    return " ".join(parts)


def completed_line(stats: ProgramStats, unit: WeightUnit) -> str:
    """The program's totals; the volume only where there is one (never "volume 0 kg" for runs and holds)."""
    values = {
        "program": esc(stats.program_name),
        "days": ngettext("{n} day", "{n} days", stats.days).format(n=stats.days),
        "workouts": ngettext("{n} workout", "{n} workouts", stats.workouts_completed).format(
            n=stats.workouts_completed
        ),
        "skipped": stats.workouts_skipped,
        "sets": ngettext("{n} set", "{n} sets", stats.sets).format(n=stats.sets),
        "duration": format_duration(stats.seconds_trained),
    }
    if stats.volume_kg <= 0:
        return _(
            "🏆 <b>You finished {program}!</b> {days}, {workouts} done, {skipped} skipped, {sets}, "
            "{duration} of training. Pick your next one with /programs."
        ).format(**values)
    return _(
        "🏆 <b>You finished {program}!</b> {days}, {workouts} done, {skipped} skipped, {sets}, "
        "volume {volume}, {duration} of training. Pick your next one with /programs."
    ).format(volume=format_volume(Decimal(str(stats.volume_kg)), unit), **values)


def reminder_text(reminder: PreparedReminder) -> str:
    """The one message of a user's reminder: programs just completed, then every enrollment's day."""
    recipient = reminder.recipient
    unit = recipient.weight_unit if recipient is not None else WeightUnit.KG
    today = reminder.local_date
    lines: list[str] = [completed_line(stats, unit) for stats in reminder.completed]
    if reminder.items:
        if lines:
            lines.append("")
        lines.append(_("⏰ <b>Time to train!</b>"))
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
            name = clip(workout.name, BUTTON_NAME_LIMIT)
            label = (
                _("▶️ Resume {workout}").format(workout=name)
                if workout.in_progress
                else _("▶️ Start {workout}").format(workout=name)
            )
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
    values = {
        "done": week.done_scheduled if week.scheduled else week.done,
        "scheduled": week.scheduled,
        "extra": week.extra,
        "skipped": week.skipped,
    }
    if not week.scheduled:
        if week.skipped:
            return _("Workouts: <b>{done}</b> done ({skipped} skipped)").format(**values)
        return _("Workouts: <b>{done}</b> done").format(**values)
    if week.extra and week.skipped:
        return _(
            "Workouts: <b>{done}</b> of {scheduled} scheduled done + {extra} more ({skipped} skipped)"
        ).format(**values)
    if week.extra:
        return _("Workouts: <b>{done}</b> of {scheduled} scheduled done + {extra} more").format(**values)
    if week.skipped:
        return _("Workouts: <b>{done}</b> of {scheduled} scheduled done ({skipped} skipped)").format(**values)
    return _("Workouts: <b>{done}</b> of {scheduled} scheduled done").format(**values)


def summary_text(summary: WeeklySummary) -> str:
    unit = summary.recipient.weight_unit
    today = summary.recipient.today
    week = summary.week
    lines = [
        _("📊 <b>Your week</b> · {start} - {end}").format(
            start=_day(week.week_start, today), end=_day(week.week_end, today)
        ),
        "",
        _workouts_line(week),
        _("Work: {work}").format(
            work=format_work(
                week.sets,
                week.reps,
                week.volume_kg,
                week.seconds,
                unit,
                distance_m=week.distance_m,
                distance_seconds=week.distance_seconds,
                calories=week.calories,
            )
        ),
    ]
    if week.records:
        lines.append("")
        lines += [f"🏆 {record_text(exercise_name(name), record, unit)}" for name, record in week.records]
    else:
        lines.append(_("No new records this week."))
    return fit(lines)


# --- /reminders ----------------------------------------------------------------------------------------


def state_text(state: ReminderState, notice: str | None = None) -> str:
    """What /reminders answers: the reminder's state, the weekly summary's, and how to change them."""
    lines = [notice, ""] if notice else []
    if state.enabled:
        lines.append(
            _("🔔 Daily reminder: <b>on</b>, at <b>{time}</b> ({zone})").format(
                time=_hhmm(state.at), zone=esc(state.timezone)
            )
        )
        if state.next_local is not None:
            day = state.next_local.date()
            at = _hhmm(state.next_local.time())
            if day == state.today:
                lines.append(_("Next: today at {time}").format(time=at))
            elif day == state.today + timedelta(days=1):
                lines.append(_("Next: tomorrow at {time}").format(time=at))
            else:
                lines.append(_("Next: {date} at {time}").format(date=_day(day, state.today), time=at))
    else:
        lines.append(_("🔕 Daily reminder: <b>off</b> (your time stays {time})").format(time=_hhmm(state.at)))
    weekly = (
        _("📊 Weekly summary on Sunday at {time}: <b>on</b>")
        if state.weekly
        else _("📊 Weekly summary on Sunday at {time}: <b>off</b>")
    )
    lines.append(weekly.format(time=_hhmm(SUMMARY_TIME)))
    lines += ["", _(USAGE)]
    return "\n".join(lines)


def bad_argument(text: str, reason: str | None = None) -> str:
    """Why /reminders could not use its argument (`reason`: plain text), and what it takes."""
    head = (
        esc(reason)
        if reason
        else _("I couldn't read “{text}”.").format(text=esc(clip(" ".join(text.split()), 30)))
    )
    return f"{head}\n\n{_(USAGE)}"


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
