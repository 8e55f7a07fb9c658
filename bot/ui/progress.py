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
from bot.i18n import N_, _, exercise_name, ngettext
from bot.services.measurements import MetricSeries, metric_name, unit_name
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

STALE_BUTTON = N_("This button is no longer valid.")
NOT_YOURS = N_("That isn't available.")
EPLEY = N_("estimated 1RM = weight × (1 + reps / 30), Epley, from sets of up to 12 reps")
NO_RECORDS = N_("No records yet: log a workout and your bests will appear here.")
NO_MEASUREMENTS = N_("No measurements yet. Send /measure to add your body weight, waist and more.")
EXPORT_CAPTION = N_("Your data: CSV files (UTF-8) for any spreadsheet. Times are in your zone and in UTC.")
DELETE_ASK = N_(
    "⚠️ <b>Delete your account?</b>\n\nThis erases your profile, every workout, set, measurement and "
    "program enrollment. It cannot be undone. Send /export first if you want a copy."
)
DELETE_REALLY = N_("Last step: tap <b>Delete everything</b> to erase your account now.")
DELETE_DONE = N_("Your account and all its data are deleted. Goodbye! Send /start any time to begin anew.")
DELETE_KEPT = N_("Nothing was deleted.")
PROGRESS_MENU = N_("📈 <b>Progress</b>\nPick an exercise, or send /progress NAME (e.g. /progress squat).")


def _kg(kg: Decimal, unit: WeightUnit) -> float:
    return float(from_kg(kg, unit))


def weight_value(kg: Decimal, unit: WeightUnit) -> float:
    """A kg weight as a chart value in the user's unit."""
    return _kg(kg, unit)


# --- records ---------------------------------------------------------------------------------------------


def records_text(records: Sequence[ExerciseRecords], unit: WeightUnit) -> str:
    if not records:
        return _(NO_RECORDS)
    lines = [_("🏆 <b>Personal records</b>"), f"<i>e1RM: {_(EPLEY)}</i>"]
    for r in records:
        parts = []
        if r.heaviest_kg is not None:
            parts.append(
                _("heaviest {weight} × {reps}").format(
                    weight=format_weight(r.heaviest_kg, unit), reps=r.reps_at_heaviest
                )
            )
        if r.most_reps is not None and r.most_reps_weight_kg is not None:
            parts.append(
                _("most reps {reps} @ {weight}").format(
                    reps=r.most_reps, weight=format_weight(r.most_reps_weight_kg, unit)
                )
            )
        if r.e1rm_kg is not None and r.e1rm_weight_kg is not None:
            base = format_decimal(from_kg(r.e1rm_weight_kg, unit).quantize(Decimal("0.1")))
            parts.append(
                _("e1RM {weight}").format(weight=format_weight(r.e1rm_kg, unit)) + f" ({base}×{r.e1rm_reps})"
            )
        if r.best_volume_kg is not None:
            parts.append(
                _("best session volume {volume}").format(volume=format_volume(r.best_volume_kg, unit))
            )
        if r.bodyweight_reps is not None:
            parts.append(_("most reps {reps} (bodyweight)").format(reps=r.bodyweight_reps))
        if r.longest_seconds is not None:
            parts.append(_("longest {duration}").format(duration=format_duration(r.longest_seconds)))
        lines.append(f"\n<b>{esc(exercise_name(r.name))}</b>\n" + " · ".join(parts))
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
        more = exercises - len(kept)
        text += "\n\n" + ngettext(
            "… and {n} more exercise: /progress NAME shows one.",
            "… and {n} more exercises: /progress NAME shows one.",
            more,
        ).format(n=more)
    return text


# --- progress charts -------------------------------------------------------------------------------------


def progress_keyboard(exercises: Sequence[tuple[uuid.UUID, str]]) -> InlineKeyboardMarkup:
    rows = [
        [InlineKeyboardButton(exercise_name(name)[:40], callback_data=pack("pr", "ex", ex_id))]
        for ex_id, name in exercises[:8]
    ]
    rows.append(
        [
            InlineKeyboardButton(_("📅 Adherence"), callback_data=pack("pr", "adh")),
            InlineKeyboardButton(_("😓 Effort & soreness"), callback_data=pack("pr", "eff")),
        ]
    )
    return InlineKeyboardMarkup(rows)


def no_match_text(query: str, suggestions: Sequence[tuple[uuid.UUID, str]]) -> str:
    if suggestions:
        return _("Which exercise do you mean by “{query}”?").format(query=esc(query[:40]))
    return _(
        "You haven't logged anything like “{query}” yet. Send /progress to pick from your exercises."
    ).format(query=esc(query[:40]))


def exercise_caption(progress: ExerciseProgress, unit: WeightUnit, today: date) -> str:
    last = progress.points[-1]
    best = max((p.e1rm_kg for p in progress.points if p.e1rm_kg is not None), default=None)
    since = format_date(progress.points[0].day, today)
    count = len(progress.points)
    text = ngettext(
        "📈 <b>{name}</b>: {n} session since {since}", "📈 <b>{name}</b>: {n} sessions since {since}", count
    ).format(name=esc(exercise_name(progress.name)), n=count, since=since)
    when = format_date(last.day, today)
    if last.top_kg is not None:
        text += "\n" + _("Last top set: {weight} × {reps} ({when})").format(
            weight=format_weight(last.top_kg, unit), reps=last.top_reps, when=when
        )
    elif last.longest_seconds is not None:
        longest = max(p.longest_seconds or 0 for p in progress.points)
        text += "\n" + _("Last: longest {longest}, {total} in all ({when}) · best {best}").format(
            longest=format_duration(last.longest_seconds),
            total=format_duration(last.total_seconds),
            when=when,
            best=format_duration(longest),
        )
    elif last.max_reps is not None:
        most = max(p.max_reps or 0 for p in progress.points)
        text += "\n" + _("Last: most reps {reps}, {total} in all ({when}) · best {best}").format(
            reps=last.max_reps, total=last.total_reps, when=when, best=most
        )
    if best is not None:
        text += "\n" + _("Best e1RM: {weight} ({formula})").format(
            weight=format_weight(best, unit), formula=_(EPLEY)
        )
    return _with_note(text, progress)


def _with_note(text: str, progress: ExerciseProgress) -> str:
    note = note_line(progress.note)
    return f"{text}\n{note}" if note else text


def exercise_fallback(progress: ExerciseProgress, unit: WeightUnit, today: date) -> str:
    """Text instead of a chart: fewer than 2 sessions."""
    name = esc(exercise_name(progress.name))
    if not progress.points:
        return _with_note(_("No sets of <b>{name}</b> logged yet.").format(name=name), progress)
    point = progress.points[0]
    when = format_date(point.day, today)
    text = _("📈 <b>{name}</b>: one session so far ({when}) - a chart needs two.").format(
        name=name, when=when
    )
    if point.top_kg is not None and point.e1rm_kg is not None:
        text += "\n" + _("Top set {weight} × {reps} · e1RM {e1rm} · volume {volume}").format(
            weight=format_weight(point.top_kg, unit),
            reps=point.top_reps,
            e1rm=format_weight(point.e1rm_kg, unit),
            volume=format_volume(point.volume_kg, unit),
        )
    elif point.max_reps is not None:
        text += "\n" + _("Most reps {reps}").format(reps=point.max_reps)
    elif point.longest_seconds is not None:
        text += "\n" + _("Longest {duration}").format(duration=format_duration(point.longest_seconds))
    return _with_note(text, progress)


def adherence_fallback(weeks: Sequence[WeekAdherence], today: date) -> str:
    if not weeks:
        return _("📅 No program workouts scheduled yet: enroll in a program (/programs) to track adherence.")
    return _("📅 Adherence: {weeks}").format(
        weeks="; ".join(
            _("week of {day}: {done}/{planned} ({percent}%)").format(
                day=format_date(w.week, today), done=w.done, planned=w.planned, percent=w.percent
            )
            for w in weeks
        )
    )


# --- measurements ----------------------------------------------------------------------------------------


def display_unit(canonical: str, unit: WeightUnit) -> str:
    """Body-mass metrics follow the user's weight unit; the rest keep their own."""
    return "lb" if canonical == "kg" and unit is WeightUnit.LB else canonical


def unit_text(unit: str) -> str:
    """A measurement unit as the reader reads it: 'kg' ('кг'), 'cm' ('см'), '%'."""
    return unit_name(unit)


def display_value(value: Decimal, canonical: str, unit: WeightUnit) -> Decimal:
    target = display_unit(canonical, unit)
    shown = convert(value, canonical, target) if target != canonical else value
    return shown.quantize(Decimal("0.1"))


def with_unit(value: Decimal, unit: str) -> str:
    return f"{format_decimal(value)}{unit}" if unit == "%" else f"{format_decimal(value)} {unit_text(unit)}"


def metrics_keyboard(metrics: Sequence[tuple[uuid.UUID, str]], action: str) -> InlineKeyboardMarkup | None:
    buttons = [
        InlineKeyboardButton(metric_name(name)[:30], callback_data=pack("me", action, mid))
        for mid, name in metrics
    ]
    return inline_keyboard(buttons[i : i + 2] for i in range(0, len(buttons), 2))


MEASURE_PICK = N_("📏 What did you measure?")


def measure_prompt(name: str, canonical: str, accepted: Sequence[str], unit: WeightUnit) -> str:
    default = display_unit(canonical, unit)
    others = [unit_text(u) for u in accepted if u != default]
    also = " " + _("(or {units})").format(units=", ".join(others)) if others else ""
    example = " " + _("or <code>31 in</code>") if "in" in accepted else ""
    return (
        _("<b>{name}</b>: send the value in {unit}{also}, e.g. <code>82.5</code>{example}.").format(
            name=esc(metric_name(name)), unit=unit_text(default), also=also, example=example
        )
        + "\n"
        + _("Add a date and a note after commas if you like: <code>82.5, yesterday, after breakfast</code>.")
    )


def measured_text(name: str, value: Decimal, canonical: str, day: date, today: date, unit: WeightUnit) -> str:
    shown = with_unit(display_value(value, canonical, unit), display_unit(canonical, unit))
    return _("✅ Saved: {name} {value} on {day}. See /measurements.").format(
        name=esc(metric_name(name)), value=shown, day=format_date(day, today)
    )


def measurements_text(series: Sequence[MetricSeries], unit: WeightUnit, today: date) -> str:
    if not series:
        return _(NO_MEASUREMENTS)
    lines = [_("📏 <b>Your measurements</b>")]
    for s in series:
        shown = display_unit(s.unit, unit)
        recent = ", ".join(
            f"{with_unit(display_value(p.value, s.unit, unit), shown)} ({format_date(p.day, today)})"
            for p in reversed(s.points[-5:])
        )
        lines.append(f"\n<b>{esc(metric_name(s.name))}</b> ({len(s.points)}): {recent}")
    lines.append("\n" + _("📈 shows a chart, ✏️ Edit corrects or deletes a value; /measure adds one."))
    return "\n".join(lines)


def tracking_label(tracking: TrackingType, unit: WeightUnit) -> str:
    if tracking is TrackingType.DURATION:
        return _("seconds")
    if tracking is TrackingType.REPS:
        return _("reps")
    return unit_label(unit)
