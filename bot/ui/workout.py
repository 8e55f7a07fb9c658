"""Texts and keyboards of the workout being logged. Pure functions of plain values."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.enums import TrackingType, WeightUnit
from bot.i18n import N_, _, exercise_name, ngettext, pgettext
from bot.services.plates import BARBELL, LOADED_EQUIPMENT
from bot.services.records import Record, RecordKind
from bot.services.set_input import SetInput
from bot.services.units import plate_friendly, plate_lb, shown_kg
from bot.services.workouts import ExerciseView, LastTime, Outlier, SessionView, SetView
from bot.ui import progression as progression_ui
from bot.ui.callback import pack
from bot.ui.exercise_notes import NOTE_BUTTON, note_line
from bot.ui.exercise_swap import SWAP_BUTTON, replaces_line
from bot.ui.formatting import (
    SetLike,
    format_date,
    format_decimal,
    format_prescription,
    format_set,
    format_sets_compact,
    format_weight,
)
from bot.ui.plates import plates_button, warmup_button
from bot.ui.texts import esc
from bot.ui.workout_summary import EPLEY_NOTE as EPLEY_NOTE
from bot.ui.workout_summary import advance_text as advance_text
from bot.ui.workout_summary import record_text as record_text
from bot.ui.workout_summary import sets_count as sets_count
from bot.ui.workout_summary import summary_text as summary_text

Keyboard = InlineKeyboardMarkup

SKIP_REASONS = (
    ("tired", N_("😴 Tired")),
    ("sick", N_("🤒 Sick")),
    ("busy", N_("⏰ No time")),
    ("injury", N_("🩹 Injury")),
)
SKIP_REASON_TEXT = {code: label.split(" ", 1)[1] for code, label in SKIP_REASONS}


def _button(text: str, *parts: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=pack("wk", *parts))


def prescribed_kg(exercise: ExerciseView, unit: WeightUnit) -> Decimal | None:
    """The prescribed weight as the trainee loads it: a computed one is already rounded to their bar and
    plates (`loadable`); a program's own weight is made plate-friendly for a lb user."""
    weight = exercise.target_weight_kg
    if weight is None or exercise.loadable:
        return weight
    return plate_friendly(weight, unit)


def next_set(
    exercise: ExerciseView, unit: WeightUnit = WeightUnit.KG, last: LastTime | None = None
) -> tuple[int | None, Decimal | None, int | None] | None:
    """The next set as prescribed (reps, kg, seconds), or None when the prescription cannot say.

    Last time's set at the same position comes first when there is one (what the trainee really did);
    a prescribed weight is rounded to what a lb user can load (plate_friendly). Once a working set is
    logged today, its weight carries on.
    """
    position = len(exercise.working_sets)
    before = last.sets[min(position, len(last.sets) - 1)] if last is not None and last.sets else None
    if exercise.tracking == TrackingType.DURATION:
        seconds = (
            (before.duration_seconds if before is not None else None)
            or exercise.target_duration_seconds
            or next((s.duration_seconds for s in reversed(exercise.sets) if s.duration_seconds), None)
        )
        return (None, None, seconds) if seconds else None
    if exercise.target is not None and exercise.target_weight_kg is not None:
        before = None  # the target says what to lift, not last time
    goal = exercise.target.reps if exercise.target is not None else None
    reps = goal or (before.reps if before is not None else None) or exercise.reps_max or exercise.reps_min
    if reps is None:
        reps = next((s.reps for s in reversed(exercise.sets) if s.reps), None)
    if reps is None:
        return None
    if exercise.tracking != TrackingType.WEIGHT_REPS:
        return reps, None, None
    today = next((s.weight_kg for s in reversed(exercise.working_sets) if s.weight_kg is not None), None)
    weight = today or (before.weight_kg if before is not None and not exercise.reduced_percent else None)
    if weight is None and exercise.target_weight_kg is not None:
        weight = prescribed_kg(exercise, unit)
    weight = weight or exercise.last_weight_kg
    if weight is None:
        return None
    return reps, weight, None


class _Set:
    """A set-like value for formatting a prescription or a button."""

    def __init__(
        self,
        reps: int | None,
        weight_kg: Decimal | None,
        duration_seconds: int | None,
        is_warmup: bool = False,
    ) -> None:
        self.reps, self.weight_kg, self.duration_seconds, self.is_warmup = (
            reps,
            weight_kg,
            duration_seconds,
            is_warmup,
        )


def shown(s: SetLike, unit: WeightUnit) -> SetLike:
    """The set as the workout screens show it: a kg weight with one decimal at most (135 lb typed by a
    kg user is 61.2 kg, not 61.23), quarter kilos kept (61.25)."""
    weight = s.weight_kg
    if weight is not None and unit is WeightUnit.KG:
        weight = shown_kg(weight)
    if isinstance(s, SetView | SetInput):  # keeps the kind, effort, distance and assistance
        return replace(s, weight_kg=weight)
    return _Set(s.reps, weight, s.duration_seconds, s.is_warmup)


def show_set(s: SetLike, unit: WeightUnit, tracking: TrackingType) -> str:
    return format_set(shown(s, unit), unit, tracking)


def show_sets(sets: Sequence[SetLike], unit: WeightUnit, tracking: TrackingType) -> str:
    return format_sets_compact([shown(s, unit) for s in sets], unit, tracking)


_KG_MENTION = re.compile(r"(\d+(?:[.,]\d+)?) ?(?:kg|kilos?)\b", re.IGNORECASE)


def in_unit(note: str, unit: WeightUnit) -> str:
    """A coach's note with its kg amounts in the user's unit, plate-friendly: "Add 2.5 kg next session"
    is "Add 5 lb next session" for a lb user."""
    if unit is WeightUnit.KG:
        return note

    def convert(match: re.Match[str]) -> str:
        return f"{format_decimal(plate_lb(Decimal(match[1].replace(',', '.'))))} lb"

    return _KG_MENTION.sub(convert, note)


def exercise_card(
    view: SessionView,
    exercise: ExerciseView,
    unit: WeightUnit,
    last: LastTime | None,
    today: date,
    note: str | None = None,
) -> str:
    planned = any(not e.adhoc for e in view.exercises)  # "extra" beside a plan; a quick workout has none
    name = exercise_name(exercise.name)
    lines = [
        _("🏋️ <b>{workout}</b> · exercise {number} of {total}").format(
            workout=esc(view.workout_name), number=exercise.index + 1, total=len(view.exercises)
        ),
        f"<b>{esc(name)}</b>" + (_(" <i>(extra)</i>") if exercise.adhoc and planned else ""),
    ]
    if exercise.replaces:
        lines.append(replaces_line(exercise_name(exercise.replaces)))
    if not exercise.adhoc and (exercise.rule is not None or exercise.target is not None):
        lines.append(progression_ui.target_line(exercise, unit, today))
        hint = progression_ui.no_weight_hint(exercise, name.lower())
        lines += [hint] if hint else []
    elif not exercise.adhoc:
        target = format_prescription(
            exercise.target_sets,
            exercise.reps_min,
            exercise.reps_max,
            prescribed_kg(exercise, unit),
            exercise.target_duration_seconds,
            exercise.rest_seconds,
            unit,
            exercise.tracking,
            exercise.target_distance_m,
        )
        lines.append(
            _("Target: {target}").format(target=target) + (readiness_note(exercise.reduced_percent) or "")
        )
    if exercise.notes:
        lines.append(f"<i>{esc(in_unit(exercise.notes, unit))}</i>")
    if note:
        lines.append(note_line(note) or "")
    if last is not None and last.sets:
        when = format_date(last.when.date(), today)
        lines.append(
            _("Last time, {when}: {sets}").format(
                when=when, sets=show_sets(last.sets, unit, exercise.tracking)
            )
        )
    if exercise.sets:
        done = len(exercise.working_sets)
        count = (
            sets_count(done)
            if exercise.adhoc
            else ngettext("{done} of {total} set", "{done} of {total} sets", exercise.target_sets).format(
                done=done, total=exercise.target_sets
            )
        )
        logged = " · ".join(show_set(s, unit, exercise.tracking) for s in exercise.sets)
        lines.append(_("Today: {sets}  ({count})").format(sets=logged, count=count))
    lines.append("")
    lines.append(f"<i>{esc(input_hint(exercise.tracking, unit))}</i>")
    return "\n".join(lines)


def readiness_note(reduced_percent: int) -> str | None:
    """After the target weight on a low-readiness day."""
    if not reduced_percent:
        return None
    return _(" <i>(-{percent}%: low readiness today)</i>").format(percent=reduced_percent)


def input_hint(tracking: TrackingType, unit: WeightUnit) -> str:
    weight = "60" if unit == WeightUnit.KG else "135"
    if tracking == TrackingType.DURATION:
        return _("Type a time like 45s, 1:30 or 2 min - or tap a button.")
    if tracking == TrackingType.REPS:
        load = "+10kg" if unit == WeightUnit.KG else "+25lb"
        return _("Type the reps like 12 (or {load} x 8 with added weight) - or tap a button.").format(
            load=load
        )
    return _(
        "Type a set like {weight}x8 (w {weight}x8 for a warm-up, {weight}x8x3 for three) - or tap a button."
    ).format(weight=weight)


def exercise_keyboard(
    session_id: uuid.UUID, exercise: ExerciseView, unit: WeightUnit, last: LastTime | None = None
) -> Keyboard:
    count = len(exercise.sets)
    rows: list[list[InlineKeyboardButton]] = []
    first: list[InlineKeyboardButton] = []
    planned = next_set(exercise, unit, last)
    if planned is not None:
        first.append(
            _button(
                f"✓ {show_set(_Set(*planned), unit, exercise.tracking)}",
                "done",
                session_id,
                exercise.index,
                count,
            )
        )
    if exercise.sets:
        first.append(_button(_("↻ Same again"), "same", session_id, exercise.index, count))
    if first:
        rows.append(first)
    second = []
    if exercise.sets:
        second.append(_button(_("↶ Undo"), "undo", session_id, exercise.index, count))
    second.append(_button(_("Next ▶"), "next", session_id, exercise.index))
    rows.append(second)
    rows.append(
        [
            _button(_("⏭ Skip exercise"), "skipx", session_id, exercise.index),
            _button(_(ADD_BUTTON), "add", session_id),
        ]
    )
    if planned is not None and planned[1] is not None:  # a weight to load: 🏋️ Plates, 🔥 Warm-up
        gear = [plates_button(session_id, exercise.index)] if exercise.equipment == BARBELL else []
        if exercise.equipment in LOADED_EQUIPMENT and not exercise.sets:
            gear.append(warmup_button(session_id, exercise.index, count))
        if gear:
            rows.append(gear)
    extra = [_button(_(NOTE_BUTTON), "nte", session_id, exercise.index)]
    if not exercise.sets and not exercise.adhoc:
        extra.append(_button(_(SWAP_BUTTON), "swp", session_id, exercise.index))
    rows.append(extra)
    rows.append([_button(_(LIST_BUTTON), "list", session_id), _button(_(FINISH_BUTTON), "fin", session_id)])
    return InlineKeyboardMarkup(rows)


def logged_text(
    added: Sequence[object], exercise: ExerciseView, unit: WeightUnit, records: Sequence[Record]
) -> str:
    sets = " · ".join(show_set(s, unit, exercise.tracking) for s in added)  # type: ignore[arg-type]
    lines = [_("✅ Logged {sets}").format(sets=sets)]
    lines += [f"🏆 {record_text(exercise.name, r, unit)}" for r in records]
    lines += [f"<i>{_(EPLEY_NOTE)}</i>"] if any(r.kind == RecordKind.E1RM for r in records) else []
    return "\n".join(lines)


def difficulty_prompt(exercise: ExerciseView) -> str:
    return _("How hard was <b>{name}</b>? 1 = very easy, 10 = maximal effort.").format(
        name=esc(exercise_name(exercise.name))
    )


def scale_keyboard(
    action: str, session_id: uuid.UUID, low: int, high: int, *extra: object, skip: str | None = None
) -> Keyboard:
    numbers = [_button(str(n), action, session_id, *extra, n) for n in range(low, high + 1)]
    rows = [numbers[i : i + 6] for i in range(0, len(numbers), 6)]
    if skip:
        rows.append([_button(skip, action, session_id, *extra, "x")])
    return InlineKeyboardMarkup(rows)


def exercise_list(view: SessionView, unit: WeightUnit) -> tuple[str, Keyboard]:
    lines = [_("🏋️ <b>{workout}</b> - exercises").format(workout=esc(view.workout_name))]
    buttons = []
    for exercise in view.exercises:
        done = len(exercise.working_sets)
        mark = "✅" if done >= exercise.target_sets and not exercise.adhoc else ("▶" if done else "·")
        name = exercise_name(exercise.name)
        lines.append(f"{mark} {exercise.index + 1}. {esc(name)} - {sets_count(done)}")
        buttons.append([_button(f"{exercise.index + 1}. {name}"[:60], "go", view.id, exercise.index)])
    buttons.append([_button(_(ADD_BUTTON), "add", view.id), _button(_(FINISH_BUTTON), "fin", view.id)])
    buttons.append([_button(_("✖ Cancel workout"), "cancel", view.id)])
    return "\n".join(lines), InlineKeyboardMarkup(buttons)


def all_done_text(view: SessionView) -> str:
    return _(
        "That was the last exercise of <b>{workout}</b>. Finish the workout, or add an extra exercise."
    ).format(workout=esc(view.workout_name))


def all_done_keyboard(view: SessionView) -> Keyboard:
    return InlineKeyboardMarkup(
        [
            [_button(_(FINISH_BUTTON), "fin", view.id), _button(_(ADD_BUTTON), "add", view.id)],
            [_button(_(LIST_BUTTON), "list", view.id)],
        ]
    )


ADD_PROMPT = N_("Which exercise? Type part of its name, e.g. <i>curl</i> or <i>lunge</i>.")


def search_results(
    session_id: uuid.UUID, query: str, found: Sequence[tuple[uuid.UUID, str]]
) -> tuple[str, Keyboard | None]:
    if not found:
        return _("No exercise matches “{query}”. Try another word, e.g. <i>press</i>.").format(
            query=esc(query)
        ), None
    rows = [
        [_button(exercise_name(name)[:60], "addx", session_id, exercise_id)] for exercise_id, name in found
    ]
    return _("Exercises matching “{query}”:").format(query=esc(query)), InlineKeyboardMarkup(rows)


EFFORT_PROMPT = N_("🏁 Nearly done! How hard was the whole workout? 1 = very easy, 10 = maximal.")
SORENESS_PROMPT = N_("How sore are you right now? 0 = not at all, 10 = very.")
NOTE_PROMPT = N_("Anything to note about this workout? Type it (up to 2000 characters), or tap Skip.")
ADD_BUTTON = N_("➕ Add exercise")
FINISH_BUTTON = N_("🏁 Finish")
LIST_BUTTON = N_("📋 All exercises")
KEEP_GOING_BUTTON = N_("↩ Keep going")


def note_keyboard(session_id: uuid.UUID) -> Keyboard:
    return InlineKeyboardMarkup([[_button(pgettext("button", "Skip"), "note", session_id, "x")]])


SKIP_PROMPT = N_("Why skip this workout? Tap a reason or type your own (it is kept with the workout).")


def skip_keyboard(session_id: uuid.UUID) -> Keyboard:
    rows = [
        [_button(_(label), "why", session_id, code) for code, label in SKIP_REASONS[i : i + 2]]
        for i in (0, 2)
    ]
    rows.append(
        [_button(_("No reason"), "why", session_id, "none"), _button(_("↩ Don't skip"), "keep", session_id)]
    )
    return InlineKeyboardMarkup(rows)


CANCEL_PROMPT = N_(
    "Cancel this workout? Everything you logged is kept, and the workout stays available for today."
)


def cancel_keyboard(session_id: uuid.UUID) -> Keyboard:
    return InlineKeyboardMarkup(
        [
            [
                _button(_("Yes, cancel it"), "cancelok", session_id),
                _button(_(KEEP_GOING_BUTTON), "list", session_id),
            ]
        ]
    )


NOTHING_IN_PROGRESS = N_("No workout is in progress. See /today to start one.")
STALE_BUTTON = N_("This button is no longer valid.")
NOT_YOURS = N_("That workout isn't available.")
ALREADY_LOGGED = N_("Already logged ✔")


def rest_over(view: SessionView, exercise: ExerciseView) -> str:
    """The rest ping after a set of `exercise`: its next set, else the next exercise with sets to do,
    else the end of the workout."""
    if exercise.remaining_sets:
        number = len(exercise.working_sets) + 1
        return _("⏱ Rest is over - time for set {number} of <b>{name}</b>.").format(
            number=number, name=esc(exercise_name(exercise.name))
        )
    later = [e for e in view.exercises if e.index > exercise.index and e.remaining_sets]
    earlier = [e for e in view.exercises if e.index < exercise.index and e.remaining_sets]
    upcoming = (later + earlier)[0] if later or earlier else None
    if upcoming is not None:
        return _("⏱ Rest is over - next up: <b>{name}</b>.").format(name=esc(exercise_name(upcoming.name)))
    return _("⏱ Rest is over - that was the last set of the workout. Tap 🏁 Finish when you're done.")


KEPT_ON_PLAN = N_("OK - the workout stays on your plan. See /today.")

# --- finishing with nothing logged ------------------------------------------------------------------

NOTHING_LOGGED = N_(
    "Nothing logged yet: finish anyway (the workout counts as done and your program moves on), "
    "or discard it (it stays on today's plan)?"
)


def nothing_logged_keyboard(session_id: uuid.UUID) -> Keyboard:
    return InlineKeyboardMarkup(
        [
            [
                _button(_("🏁 Finish anyway"), "finok", session_id),
                _button(_("🗑 Discard"), "discard", session_id),
            ],
            [_button(_(KEEP_GOING_BUTTON), "keep", session_id)],
        ]
    )


def discarded_text(workout_name: str) -> str:
    return _(
        "🗑 Discarded <b>{workout}</b> - nothing was logged, and it stays on today's plan. See /today."
    ).format(workout=esc(workout_name))


# --- "did you mean ...?" -----------------------------------------------------------------------------

NOT_LOGGED = N_("✖ Not logged.")


def outlier_question(
    exercise: ExerciseView,
    sets: Sequence[SetLike],
    alternative: Sequence[SetLike] | None,
    odd: Outlier,
    unit: WeightUnit,
) -> str:
    typed = show_sets(sets, unit, exercise.tracking)
    if odd.reps is not None:
        why = ngettext(
            "{n} rep in one set is far more than usual",
            "{n} reps in one set is far more than usual",
            odd.reps,
        ).format(n=odd.reps)
    elif odd.best_kg is not None:
        why = _("That is more than 50% over your best ({best})").format(best=format_weight(odd.best_kg, unit))
    else:
        why = _("That is far outside what you have logged")
    lines = [
        _("🤔 <b>{name}</b>: {typed}? {why}.").format(
            name=esc(exercise_name(exercise.name)), typed=typed, why=why
        )
    ]
    if alternative:
        lines.append(_("Did you mean {sets}?").format(sets=show_sets(alternative, unit, exercise.tracking)))
    else:
        lines.append(_("Log it anyway?"))
    return "\n".join(lines)


def outlier_keyboard(
    session_id: uuid.UUID,
    exercise: ExerciseView,
    sets: Sequence[SetLike],
    alternative: Sequence[SetLike] | None,
    unit: WeightUnit,
) -> Keyboard:
    count = len(exercise.sets)
    rows = []
    if alternative:
        label = f"✓ {show_sets(alternative, unit, exercise.tracking)}"
        rows.append([_button(label[:60], "sure", session_id, exercise.index, count, "a")])
    label = _("Log {sets} as typed").format(sets=show_sets(sets, unit, exercise.tracking))
    rows.append([_button(label[:60], "sure", session_id, exercise.index, count, "o")])
    rows.append(
        [_button(_("✖ Neither - I'll type it again"), "sure", session_id, exercise.index, count, "x")]
    )
    return InlineKeyboardMarkup(rows)


def rating_or_set(text: str) -> str:
    """Plain text (the caller escapes it, as every DomainError reason)."""
    shown_text = " ".join(text.split())[:30]
    return _(
        "“{text}” is neither a rating nor a set. Send a rating from 1 to 10 "
        "(or tap Skip rating), or type the next exercise's set."
    ).format(text=shown_text)


# --- a set typed after finishing ---------------------------------------------------------------------

LATE_DECLINED = N_("OK - not added.")


def late_offer(text: str, workout_name: str) -> str:
    return _(
        "No workout is in progress. Add “{text}” to <b>{workout}</b>, "
        "the workout you just finished? Choose the exercise:"
    ).format(text=esc(" ".join(text.split())[:30]), workout=esc(workout_name))


def late_keyboard(session_id: uuid.UUID, exercises: Sequence[ExerciseView]) -> Keyboard:
    rows = [
        [_button(f"{e.index + 1}. {exercise_name(e.name)}"[:60], "late", session_id, e.index)]
        for e in exercises
    ]
    rows.append([_button(_("No, don't add it"), "late", session_id, "x")])
    return InlineKeyboardMarkup(rows)


def late_added(
    added: Sequence[object],
    exercise: ExerciseView,
    workout_name: str,
    unit: WeightUnit,
    records: Sequence[Record],
) -> str:
    logged = logged_text(added, exercise, unit, records)
    added_to = _("Added to {name} in <b>{workout}</b> (finished).").format(
        name=esc(exercise_name(exercise.name)), workout=esc(workout_name)
    )
    return f"{logged}\n{added_to}"


# --- messages no step is waiting for -----------------------------------------------------------------

NO_WORKOUT_HINT = N_("No workout is in progress. See /today to start one, or /help for everything I can do.")
IN_PROGRESS_HINT = N_(
    "You have <b>{name}</b> in progress: send /workout to get back to it, then type your set."
)
MEDIA_IN_WORKOUT = N_(
    "I can't log {what} - type the set instead, like 60x8 or 45s. Send /workout to see the exercise."
)
MEDIA_IDLE = N_(
    "I can't do anything with {what}. See /today for your workout, or /help for everything I can do."
)


def in_progress_hint(workout_name: str) -> str:
    return _(IN_PROGRESS_HINT).format(name=esc(workout_name))
