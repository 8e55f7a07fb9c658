"""What /import and a sent CSV export say: how to export from each app, the dry run, the result, and
why a file is refused (`im:` callback data)."""

from __future__ import annotations

from datetime import date
from typing import Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.enums import WeightUnit
from bot.services.importing import ImportFileError, ImportPlan, ImportResult, MatchKind, NameMapping
from bot.ui.callback import pack
from bot.ui.exercises import TRACKING_LABELS
from bot.ui.exercises import label as group_label
from bot.ui.fit import fit_message
from bot.ui.formatting import format_count, format_date, unit_label
from bot.ui.texts import esc

PREFIX: Final = "im"
GO: Final = "go"
CANCEL: Final = "no"
MAPPINGS_SHOWN: Final = 25
MB: Final = 1024 * 1024

HOW_TO_IMPORT = (
    "📥 <b>Import your history</b> from Strong, Hevy or FitNotes: export it from the app as a CSV file and "
    "send me the file (📎 → File).\n\n"
    "• <b>Strong</b>: Settings → Export Strong Data.\n"
    "• <b>Hevy</b>: Settings → Export &amp; Import Data → Export Workouts.\n"
    "• <b>FitNotes</b>: Settings → Spreadsheet Export → Export Workouts.\n\n"
    "First I show what I found - workouts, sets, dates and which exercise each name becomes - and you "
    "confirm. Files up to 5 MB. Times are read in your time zone (/settings). Sending the same file "
    "again adds nothing; a newer export adds only the workouts that are new."
)
FUZZY_HINT = (
    "A wrong closest match? Cancel, create the exercise under the app's name with /exercise new NAME, "
    "and send the file again: it will match exactly."
)
EXPIRED = "That import has expired: send the file again."
CANCELLED = "✖ Import cancelled. Nothing was saved."
IMPORTING = "Importing…"
REFETCH_FAILED = (
    "❌ I could not read the file again (it has expired or changed). Nothing was saved: send it once more."
)


def too_large(size: int, limit: int) -> str:
    return (
        f"❌ That file is {size / MB:.1f} MB; an export can be at most {limit // MB} MB. Nothing was "
        "downloaded or saved. Export a shorter period, or split the file, and send each part."
    )


def malformed(error: ImportFileError) -> str:
    lines = ["❌ I can't import this file: nothing was saved.", ""]
    lines += [f"• line {p.line}: {esc(p.message)}" for p in error.problems]
    if error.total > len(error.problems):
        more = error.total - len(error.problems)
        lines.append(f"…and {format_count(more, 'more problem')}.")
    lines += ["", "Fix the file (or export it again) and send it once more. /import says how to export."]
    return fit_message("\n".join(lines))


def refused(reason: str) -> str:
    return f"❌ {esc(reason)} Nothing was saved."


def _range(first: date, last: date, today: date) -> str:
    if first == last:
        return format_date(first, today)
    return f"{format_date(first, today)} – {format_date(last, today)}"


def _unit_line(plan: ImportPlan) -> str:
    unit = unit_label(plan.unit)
    if plan.unit_from_file:
        return f"Weights in {unit}, as the file says."
    other = "lb" if plan.unit is WeightUnit.KG else "kg"
    return (
        f"⚠️ The file does not say its weight unit: I read the weights in <b>{unit}</b>, your unit. If the "
        f"app used {other}, cancel, switch your unit in /settings and send the file again."
    )


def _mapping(mapping: NameMapping) -> str:
    name = esc(mapping.name)
    if mapping.kind is MatchKind.EXACT:
        return f"• {name} ✓"
    if mapping.kind is MatchKind.ALIAS:
        return f"• {name} → {esc(mapping.exercise_name)}"
    if mapping.kind is MatchKind.FUZZY:
        return f"• {name} → {esc(mapping.exercise_name)} (closest match)"
    group = group_label(mapping.muscle_group or "").lower()
    tracking = TRACKING_LABELS[mapping.tracking].lower() if mapping.tracking else ""
    return f"• {name} → ✨ new ({esc(group)}, {esc(tracking)})"


def dry_run(plan: ImportPlan, today: date) -> str:
    """The dry run: what the file holds, what is new, how the exercise names map."""
    head = (
        f"📥 <b>{plan.app}</b> export: {format_count(plan.workouts, 'workout')}, "
        f"{_range(plan.first, plan.last, today)}."
    )
    if not plan.new_workouts:
        return f"{head}\n\n✅ {_all_there(plan.workouts)} Nothing to add."
    lines = [head]
    if plan.already:
        lines.append(f"{format_count(plan.already, 'workout')} of them already imported: skipped.")
    sets = format_count(plan.new_sets, "set")
    if plan.new_warmups:
        sets += f" ({format_count(plan.new_warmups, 'warm-up')})"
    lines.append(f"To import: <b>{format_count(plan.new_workouts, 'workout')}</b> with {sets}.")
    if plan.skipped_rows:
        lines.append(f"{format_count(plan.skipped_rows, 'row')} without reps or time left out.")
    lines.append(_unit_line(plan))
    lines.append(f"Times read in your time zone, {esc(plan.timezone)}.")
    lines += ["", "<b>Exercises</b>"]
    shown = list(plan.mappings[:MAPPINGS_SHOWN])
    lines += [_mapping(m) for m in shown]
    hidden = plan.mappings[MAPPINGS_SHOWN:]
    if hidden:
        new = sum(1 for m in hidden if m.kind is MatchKind.NEW)
        lines.append(
            f"…and {format_count(len(hidden), 'more')} ({new} new)." if new else f"…and {len(hidden)} more."
        )
    if any(m.kind is MatchKind.FUZZY for m in plan.mappings):
        lines += ["", FUZZY_HINT]
    if plan.new_exercises:
        count = format_count(len(plan.new_exercises), "new exercise")
        lines += ["", f"✨ {count} of your own will be created (only you see them: /exercises)."]
    lines += ["", f"Import {format_count(plan.new_workouts, 'workout')}?"]
    return fit_message("\n".join(lines))


def _all_there(workouts: int) -> str:
    if workouts == 1:
        return "This workout is already imported."
    return f"All {workouts} workouts are already imported."


def dry_run_keyboard(plan: ImportPlan, token: str) -> InlineKeyboardMarkup | None:
    if not plan.new_workouts:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    f"📥 Import {format_count(plan.new_workouts, 'workout')}",
                    callback_data=pack(PREFIX, GO, token),
                ),
                InlineKeyboardButton("✖ Cancel", callback_data=pack(PREFIX, CANCEL, token)),
            ]
        ]
    )


def imported(result: ImportResult, today: date) -> str:
    plan = result.plan
    if not result.workouts:
        return f"✅ Nothing new to import. {_all_there(plan.workouts)}"
    lines = [
        f"✅ Imported {format_count(result.workouts, 'workout')} with {format_count(result.sets, 'set')} "
        f"from {plan.app} ({_range(plan.first, plan.last, today)})."
    ]
    if result.created:
        names = ", ".join(esc(n) for n in result.created[:MAPPINGS_SHOWN])
        more = len(result.created) - MAPPINGS_SHOWN
        lines.append(f"New exercises of your own: {names}{f' and {more} more' if more > 0 else ''}.")
    lines.append("They are in /history, /records and /progress now.")
    return fit_message("\n".join(lines))


__all__ = [
    "CANCELLED",
    "EXPIRED",
    "HOW_TO_IMPORT",
    "IMPORTING",
    "REFETCH_FAILED",
    "dry_run",
    "dry_run_keyboard",
    "imported",
    "malformed",
    "refused",
    "too_large",
]
