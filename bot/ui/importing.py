"""What /import and a sent CSV export say: how to export from each app, the dry run, the result, and
why a file is refused (`im:` callback data)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Final

from babel import numbers
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.enums import WeightUnit
from bot.i18n import N_, _, current_locale, exercise_name, ngettext
from bot.services.importing import ImportFileError, ImportPlan, ImportResult, MatchKind, NameMapping
from bot.ui.callback import pack
from bot.ui.exercises import TRACKING_LABELS
from bot.ui.exercises import label as group_label
from bot.ui.fit import fit_message
from bot.ui.formatting import format_date, unit_label
from bot.ui.texts import esc

PREFIX: Final = "im"
GO: Final = "go"
CANCEL: Final = "no"
MAPPINGS_SHOWN: Final = 25
MB: Final = 1024 * 1024

HOW_TO_IMPORT = N_(
    "📥 <b>Import your history</b> from Strong, Hevy or FitNotes: export it from the app as a CSV file and "
    "send me the file (📎 → File).\n\n"
    "• <b>Strong</b>: Settings → Export Strong Data.\n"
    "• <b>Hevy</b>: Settings → Export &amp; Import Data → Export Workouts.\n"
    "• <b>FitNotes</b>: Settings → Spreadsheet Export → Export Workouts.\n\n"
    "First I show what I found - workouts, sets, dates and which exercise each name becomes - and you "
    "confirm. Files up to 5 MB. Times are read in your time zone (/settings). Sending the same file "
    "again adds nothing; a newer export adds only the workouts that are new."
)
FUZZY_HINT = N_(
    "A wrong closest match? Cancel, create the exercise under the app's name with /exercise new NAME, "
    "and send the file again: it will match exactly."
)
EXPIRED = N_("That import has expired: send the file again.")
CANCELLED = N_("✖ Import cancelled. Nothing was saved.")
IMPORTING = N_("Importing…")
REFETCH_FAILED = N_(
    "❌ I could not read the file again (it has expired or changed). Nothing was saved: send it once more."
)


def _workouts(n: int) -> str:
    return ngettext("{n} workout", "{n} workouts", n).format(n=n)


def _sets(n: int) -> str:
    return ngettext("{n} set", "{n} sets", n).format(n=n)


def too_large(size: int, limit: int) -> str:
    shown = numbers.format_decimal(Decimal(f"{size / MB:.1f}"), "0.0", locale=current_locale())
    return _(
        "❌ That file is {size} MB; an export can be at most {limit} MB. Nothing was "
        "downloaded or saved. Export a shorter period, or split the file, and send each part."
    ).format(size=shown, limit=limit // MB)


def malformed(error: ImportFileError) -> str:
    lines = [_("❌ I can't import this file: nothing was saved."), ""]
    lines += [
        _("• line {line}: {problem}").format(line=p.line, problem=esc(p.message)) for p in error.problems
    ]
    if error.total > len(error.problems):
        more = error.total - len(error.problems)
        lines.append(ngettext("…and {n} more problem.", "…and {n} more problems.", more).format(n=more))
    lines += ["", _("Fix the file (or export it again) and send it once more. /import says how to export.")]
    return fit_message("\n".join(lines))


def refused(reason: str) -> str:
    return _("❌ {reason} Nothing was saved.").format(reason=esc(reason))


def _range(first: date, last: date, today: date) -> str:
    if first == last:
        return format_date(first, today)
    return f"{format_date(first, today)} – {format_date(last, today)}"


def _unit_line(plan: ImportPlan) -> str:
    unit = unit_label(plan.unit)
    if plan.unit_from_file:
        return _("Weights in {unit}, as the file says.").format(unit=unit)
    other = unit_label(WeightUnit.LB if plan.unit is WeightUnit.KG else WeightUnit.KG)
    return _(
        "⚠️ The file does not say its weight unit: I read the weights in <b>{unit}</b>, your unit. If the "
        "app used {other}, cancel, switch your unit in /settings and send the file again."
    ).format(unit=unit, other=other)


def _mapping(mapping: NameMapping) -> str:
    name = esc(mapping.name)
    if mapping.kind is MatchKind.EXACT:
        return f"• {name} ✓"
    if mapping.kind is MatchKind.ALIAS:
        return f"• {name} → {esc(exercise_name(mapping.exercise_name))}"
    if mapping.kind is MatchKind.FUZZY:
        return _("• {name} → {exercise} (closest match)").format(
            name=name, exercise=esc(exercise_name(mapping.exercise_name))
        )
    group = _(group_label(mapping.muscle_group or "")).lower()
    tracking = _(TRACKING_LABELS[mapping.tracking]).lower() if mapping.tracking else ""
    return _("• {name} → ✨ new ({group}, {tracking})").format(
        name=name, group=esc(group), tracking=esc(tracking)
    )


def dry_run(plan: ImportPlan, today: date) -> str:
    """The dry run: what the file holds, what is new, how the exercise names map."""
    head = _("📥 <b>{app}</b> export: {workouts}, {dates}.").format(
        app=plan.app, workouts=_workouts(plan.workouts), dates=_range(plan.first, plan.last, today)
    )
    if not plan.new_workouts:
        return f"{head}\n\n✅ {_all_there(plan.workouts)} " + _("Nothing to add.")
    lines = [head]
    if plan.already:
        lines.append(
            ngettext(
                "{n} workout of them already imported: skipped.",
                "{n} workouts of them already imported: skipped.",
                plan.already,
            ).format(n=plan.already)
        )
    sets = _sets(plan.new_sets)
    if plan.new_warmups:
        warmups = ngettext("{n} warm-up", "{n} warm-ups", plan.new_warmups).format(n=plan.new_warmups)
        sets += f" ({warmups})"
    lines.append(
        _("To import: <b>{workouts}</b> with {sets}.").format(
            workouts=_workouts(plan.new_workouts), sets=sets
        )
    )
    if plan.skipped_rows:
        lines.append(
            ngettext(
                "{n} row without reps or time left out.",
                "{n} rows without reps or time left out.",
                plan.skipped_rows,
            ).format(n=plan.skipped_rows)
        )
    lines.append(_unit_line(plan))
    lines.append(_("Times read in your time zone, {timezone}.").format(timezone=esc(plan.timezone)))
    lines += ["", _("<b>Exercises</b>")]
    shown = list(plan.mappings[:MAPPINGS_SHOWN])
    lines += [_mapping(m) for m in shown]
    hidden = plan.mappings[MAPPINGS_SHOWN:]
    if hidden:
        new = sum(1 for m in hidden if m.kind is MatchKind.NEW)
        more = len(hidden)
        lines.append(
            ngettext("…and {n} more ({new} new).", "…and {n} more ({new} new).", more).format(n=more, new=new)
            if new
            else _("…and {n} more.").format(n=more)
        )
    if any(m.kind is MatchKind.FUZZY for m in plan.mappings):
        lines += ["", _(FUZZY_HINT)]
    if plan.new_exercises:
        created = len(plan.new_exercises)
        lines += [
            "",
            ngettext(
                "✨ {n} new exercise of your own will be created (only you see them: /exercises).",
                "✨ {n} new exercises of your own will be created (only you see them: /exercises).",
                created,
            ).format(n=created),
        ]
    lines += ["", _("Import {workouts}?").format(workouts=_workouts(plan.new_workouts))]
    return fit_message("\n".join(lines))


def _all_there(workouts: int) -> str:
    if workouts == 1:
        return _("This workout is already imported.")
    return ngettext(
        "All {n} workout is already imported.", "All {n} workouts are already imported.", workouts
    ).format(n=workouts)


def dry_run_keyboard(plan: ImportPlan, token: str) -> InlineKeyboardMarkup | None:
    if not plan.new_workouts:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("📥 Import {workouts}").format(workouts=_workouts(plan.new_workouts)),
                    callback_data=pack(PREFIX, GO, token),
                ),
                InlineKeyboardButton(_("✖ Cancel"), callback_data=pack(PREFIX, CANCEL, token)),
            ]
        ]
    )


def imported(result: ImportResult, today: date) -> str:
    plan = result.plan
    if not result.workouts:
        return _("✅ Nothing new to import.") + f" {_all_there(plan.workouts)}"
    lines = [
        _("✅ Imported {workouts} with {sets} from {app} ({dates}).").format(
            workouts=_workouts(result.workouts),
            sets=_sets(result.sets),
            app=plan.app,
            dates=_range(plan.first, plan.last, today),
        )
    ]
    if result.created:
        names = ", ".join(esc(n) for n in result.created[:MAPPINGS_SHOWN])
        more = len(result.created) - MAPPINGS_SHOWN
        if more > 0:
            lines.append(
                ngettext(
                    "New exercises of your own: {names} and {n} more.",
                    "New exercises of your own: {names} and {n} more.",
                    more,
                ).format(names=names, n=more)
            )
        else:
            lines.append(_("New exercises of your own: {names}.").format(names=names))
    lines.append(_("They are in /history, /records and /progress now."))
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
