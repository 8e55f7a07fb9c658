"""The end of a workout in words: its summary, the records it set, what comes next. Pure functions.

Split from bot.ui.workout (which re-exports these names); bot.ui.history and bot.ui.reminders show records
with `record_text` too.
"""

from __future__ import annotations

from decimal import Decimal

from bot.db.enums import SessionStatus, WeightUnit
from bot.i18n import N_, _, exercise_name, ngettext
from bot.services.program_day import DayAdvance
from bot.services.records import Record, RecordKind
from bot.services.workouts import SessionSummary
from bot.ui.formatting import format_duration, format_volume, format_weight, format_work
from bot.ui.texts import esc

EPLEY_NOTE = N_("Estimated 1RM = weight × (1 + reps / 30), Epley's formula.")


def sets_count(n: int) -> str:
    """'1 set', '2 sets' ('1 подход', '2 подхода', '5 подходов')."""
    return ngettext("{n} set", "{n} sets", n).format(n=n)


def record_text(exercise: str, record: Record, unit: WeightUnit) -> str:
    name = esc(exercise_name(exercise))
    if record.kind == RecordKind.WEIGHT:
        return _("New record: heaviest {name}, {value} (was {previous})").format(
            name=name,
            value=format_weight(Decimal(record.value), unit),
            previous=format_weight(Decimal(record.previous), unit),
        )
    if record.kind == RecordKind.E1RM:
        return _("New record: estimated 1RM on {name} {value} (was {previous})").format(
            name=name,
            value=format_weight(Decimal(record.value), unit),
            previous=format_weight(Decimal(record.previous), unit),
        )
    if record.kind == RecordKind.REPS:
        return _("New record: most reps of {name}, {value} (was {previous})").format(
            name=name, value=record.value, previous=record.previous
        )
    return _("New record: longest {name}, {value} (was {previous})").format(
        name=name, value=format_duration(int(record.value)), previous=format_duration(int(record.previous))
    )


def summary_text(
    summary: SessionSummary, unit: WeightUnit, advance: DayAdvance | None, targets: str | None = None
) -> str:
    """The workout's summary; `targets` is what it did to the trainee's targets (ui.progression)."""
    title = {
        SessionStatus.COMPLETED: _("🎉 Workout complete"),
        SessionStatus.SKIPPED: _("⏭ Workout skipped"),
        SessionStatus.CANCELLED: _("✖ Workout cancelled - everything you logged is kept"),
    }.get(summary.status, _("Workout"))
    lines = [_("{title}: <b>{workout}</b>").format(title=title, workout=esc(summary.workout_name))]
    if summary.status != SessionStatus.SKIPPED:
        lines.append(
            ngettext(
                "{done} of {total} exercise", "{done} of {total} exercises", summary.exercises_total
            ).format(done=summary.exercises_done, total=summary.exercises_total)
            + " · "
            + format_work(
                summary.sets,
                summary.reps,
                summary.volume_kg,
                summary.seconds,
                unit,
                distance_m=summary.distance_m,
                distance_seconds=summary.distance_seconds,
                calories=summary.calories,
            )
        )
        if summary.duration_seconds:
            lines.append(_("Duration: {duration}").format(duration=format_duration(summary.duration_seconds)))
        if summary.effort is not None:
            lines.append(
                _("Effort {effort}/10 · soreness {soreness}/10").format(
                    effort=summary.effort, soreness=summary.soreness
                )
            )
        lines += [f"🏆 {record_text(name, record, unit)}" for name, record in summary.records]
        lines += (
            [f"<i>{_(EPLEY_NOTE)}</i>"]
            if any(r.kind == RecordKind.E1RM for _name, r in summary.records)
            else []
        )
    if targets:
        lines += ["", targets]
    if advance is not None:
        lines.append("")
        lines.append(advance_text(advance, unit))
    return "\n".join(lines)


def advance_text(advance: DayAdvance, unit: WeightUnit) -> str:
    if advance.completed is not None:
        stats = advance.completed
        parts = [
            _("🏆 <b>You finished {program}!</b>").format(program=esc(stats.program_name)),
            " ",
            ngettext("{n} day", "{n} days", stats.days).format(n=stats.days),
            ", ",
            ngettext("{n} workout done", "{n} workouts done", stats.workouts_completed).format(
                n=stats.workouts_completed
            ),
            ", ",
            _("{n} skipped").format(n=stats.workouts_skipped),
            ", ",
            sets_count(stats.sets),
            ", ",
        ]
        if stats.volume_kg:
            volume = format_volume(Decimal(str(stats.volume_kg)), unit)
            parts += [_("volume {volume}").format(volume=volume), ", "]
        parts.append(
            _("{duration} of training. Pick your next one with /programs.").format(
                duration=format_duration(stats.seconds_trained)
            )
        )
        return "".join(parts)
    if advance.advanced:
        return _("Day {number} is next - see /today.").format(number=advance.day_number)
    return _("Other workouts of today are still open - see /today.")
