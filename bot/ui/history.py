"""Texts and keyboards of /history: the list, one workout, corrections (edit, delete or add a set,
delete a workout). Callback data prefix `hi:`. Pure functions; user-provided text is escaped."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.enums import SessionStatus, TrackingType, WeightUnit
from bot.services.history import AddedSets, DeletedSession, HistoryItem, HistoryPage, SessionDetail
from bot.services.progress import ExerciseRecords
from bot.services.workouts import ExerciseView, SetView
from bot.ui.attention import comment_lines
from bot.ui.callback import pack
from bot.ui.exercise_notes import note_line
from bot.ui.formatting import (
    format_date,
    format_duration,
    format_label,
    format_rating,
    format_set,
    format_volume,
    format_weight,
    format_work,
    unit_label,
)
from bot.ui.keyboard import inline_keyboard
from bot.ui.texts import esc
from bot.ui.today import REFRESH, TD
from bot.ui.workout import record_text

NO_HISTORY = "📖 No workouts yet. Start one from today's plan - it shows up here once you finish it."
START_FROM_TODAY = "📅 Today's workouts"
EDIT_PROMPT = "Send the corrected set, like {example} (w 40x10 for a warm-up)."
MARKS = {SessionStatus.CANCELLED: "✖ cancelled", SessionStatus.SKIPPED: "⏭ skipped"}
SHORT_MARKS = {SessionStatus.CANCELLED: "✖ ", SessionStatus.SKIPPED: "⏭ "}
ADD_PICK = "➕ Which exercise is the forgotten set of?"
DELETE_WORKOUT_ASK = (
    "🗑 Delete <b>{name}</b> ({when}) with its {sets}? Your records are recomputed without it. "
    "This cannot be undone."
)
NOT_DELETED = "Nothing was deleted."
EXAMPLES = {
    TrackingType.WEIGHT_REPS: "60x8",
    TrackingType.REPS: "12 (or +10kg x 8)",
    TrackingType.DURATION: "45s",
}


def _when(moment: datetime, tz: str, today: date) -> str:
    local = moment.astimezone(ZoneInfo(tz))
    return f"{format_date(local.date(), today)} {local:%H:%M}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


# --- the list --------------------------------------------------------------------------------------------


def _item_line(item: HistoryItem, unit: WeightUnit) -> str:
    work = format_work(
        item.sets,
        item.reps,
        item.volume_kg,
        item.seconds,
        unit,
        distance_m=item.distance_m,
        distance_seconds=item.distance_seconds,
        calories=item.calories,
    )
    mark = MARKS.get(item.status)
    if mark is not None:
        return f"{mark} · {work}"
    duration = format_duration(item.duration_seconds) if item.duration_seconds else "–"
    return (
        f"{duration} · {work} · effort {format_rating(item.effort)} · soreness {format_rating(item.soreness)}"
    )


def history_text(page: HistoryPage, unit: WeightUnit, tz: str, today: date) -> str:
    if not page.items and page.page == 0:
        return NO_HISTORY
    lines = [f"📖 <b>History</b> (page {page.page + 1})"]
    for number, item in enumerate(page.items, start=page.page * page.size + 1):
        lines.append(
            f"\n<b>{number}. {esc(item.workout_name)}</b> · {_when(item.when, tz, today)}\n"
            + _item_line(item, unit)
        )
    return "\n".join(lines)


def history_keyboard(page: HistoryPage) -> InlineKeyboardMarkup | None:
    """A button per workout and the page navigation; with no workout at all, the way to start one."""
    if not page.items and page.page == 0:
        start = InlineKeyboardButton(START_FROM_TODAY, callback_data=pack(TD, REFRESH))
        return InlineKeyboardMarkup([[start]])
    rows = [
        [
            InlineKeyboardButton(
                f"{n}. {SHORT_MARKS.get(item.status, '')}{item.workout_name[:30]}",
                callback_data=pack("hi", "s", item.session_id, page.page),
            )
        ]
        for n, item in enumerate(page.items, start=page.page * page.size + 1)
    ]
    nav = []
    if page.page > 0:
        nav.append(InlineKeyboardButton("‹ Newer", callback_data=pack("hi", "p", page.page - 1)))
    if page.has_more:
        nav.append(InlineKeyboardButton("Older ›", callback_data=pack("hi", "p", page.page + 1)))
    if nav:
        rows.append(nav)
    return inline_keyboard(rows)


# --- one workout -----------------------------------------------------------------------------------------


def session_text(detail: SessionDetail, unit: WeightUnit, tz: str, today: date) -> str:
    view = detail.view
    head = f"🏋️ <b>{esc(view.workout_name)}</b>"
    moment = detail.started_at or detail.completed_at
    if moment is not None:
        head += f" · {_when(moment, tz, today)}"
    if detail.status in MARKS:
        head += f" · {MARKS[detail.status]}"
    lines = [head]
    facts = []
    if detail.duration_seconds:
        facts.append(f"Duration {format_duration(detail.duration_seconds)}")
    if detail.effort is not None or detail.soreness is not None:
        facts.append(f"effort {format_rating(detail.effort)} · soreness {format_rating(detail.soreness)}")
    if facts:
        lines.append(" · ".join(facts))
    if detail.notes:
        lines.append(f"📝 <i>{esc(detail.notes)}</i>")
    lines += comment_lines(detail.comments)
    lines.append(f"Weights in {unit_label(unit)}. Tap a set to correct or delete it.")
    for exercise in view.exercises:
        if not exercise.sets:
            continue
        sets = ", ".join(f"{s.number}) {format_set(s, unit, exercise.tracking)}" for s in exercise.sets)
        rated = f" · difficulty {format_rating(exercise.difficulty)}" if exercise.difficulty else ""
        note = note_line(detail.exercise_notes.get(exercise.exercise_id))
        lines.append(f"\n<b>{esc(exercise.name)}</b>{rated}" + (f"\n{note}" if note else "") + f"\n{sets}")
    if not any(e.sets for e in view.exercises):
        lines.append("\nNo sets were logged in this workout.")
    return _fit("\n".join(lines))


def _fit(text: str) -> str:
    return text if len(text) <= 4000 else text[:3990].rsplit("\n", 1)[0] + "\n…"


def session_keyboard(detail: SessionDetail, unit: WeightUnit, page: int) -> InlineKeyboardMarkup:
    view = detail.view
    rows: list[list[InlineKeyboardButton]] = []
    for exercise in view.exercises:
        buttons = [
            InlineKeyboardButton(
                f"{format_label(exercise.name, 20)} {s.number}: {format_set(s, unit, exercise.tracking)}",
                callback_data=pack("hi", "x", view.id, exercise.index, s.number),
            )
            for s in exercise.sets
        ]
        rows += [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    actions = []
    if view.exercises:
        actions.append(InlineKeyboardButton("➕ Add a set", callback_data=pack("hi", "add", view.id)))
    if detail.deletable:
        actions.append(InlineKeyboardButton("🗑 Delete workout", callback_data=pack("hi", "dw", view.id)))
    if actions:
        rows.append(actions)
    rows.append([InlineKeyboardButton("‹ History", callback_data=pack("hi", "p", page))])
    return InlineKeyboardMarkup(rows[:90])


# --- sets ------------------------------------------------------------------------------------------------


def set_menu(
    view_id: uuid.UUID, exercise: ExerciseView, logged: SetView, unit: WeightUnit
) -> tuple[str, InlineKeyboardMarkup]:
    text = (
        f"<b>{esc(exercise.name)}</b>, set {logged.number}: {format_set(logged, unit, exercise.tracking)}"
        + (f" ({unit_label(unit)})" if logged.weight_kg is not None else "")
    )
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "✏️ Edit", callback_data=pack("hi", "ed", view_id, exercise.index, logged.number)
                ),
                InlineKeyboardButton(
                    "🗑 Delete", callback_data=pack("hi", "del", view_id, exercise.index, logged.number)
                ),
            ],
            [InlineKeyboardButton("‹ Back", callback_data=pack("hi", "s", view_id, 0))],
        ]
    )
    return text, keyboard


def edit_prompt(exercise: ExerciseView, logged: SetView, unit: WeightUnit) -> str:
    example = format_set(logged, unit, exercise.tracking).replace("w ", "")
    return (
        f"<b>{esc(exercise.name)}</b>, set {logged.number}: {format_set(logged, unit, exercise.tracking)}.\n"
        + EDIT_PROMPT.format(example=example)
    )


def edited_text(exercise: ExerciseView, unit: WeightUnit, what: str) -> str:
    sets = ", ".join(format_set(s, unit, exercise.tracking) for s in exercise.sets) or "no sets"
    return f"✅ {what}. <b>{esc(exercise.name)}</b> now: {sets}"


def add_keyboard(view_id: uuid.UUID, exercises: Sequence[ExerciseView]) -> InlineKeyboardMarkup:
    rows = [
        [InlineKeyboardButton(e.name[:40], callback_data=pack("hi", "ad", view_id, e.index))]
        for e in exercises[:40]
    ]
    rows.append([InlineKeyboardButton("‹ Back", callback_data=pack("hi", "s", view_id, 0))])
    return InlineKeyboardMarkup(rows)


def add_prompt(exercise: ExerciseView, unit: WeightUnit) -> str:
    done = ", ".join(format_set(s, unit, exercise.tracking) for s in exercise.sets) or "no sets yet"
    return (
        f"➕ <b>{esc(exercise.name)}</b> ({done}). Send the forgotten set, like "
        f"{EXAMPLES[exercise.tracking]} (weights in {unit_label(unit)}; several: 60x8, 60x8)."
    )


def added_text(result: AddedSets, unit: WeightUnit) -> str:
    exercise = result.exercise
    added = ", ".join(format_set(s, unit, exercise.tracking) for s in result.added)
    lines = [edited_text(exercise, unit, f"Added {added}")]
    lines += [f"🏆 {record_text(exercise.name, r, unit)}" for r in result.records]
    return "\n".join(lines)


# --- deleting a workout ----------------------------------------------------------------------------------


def delete_workout_prompt(detail: SessionDetail, tz: str, today: date) -> tuple[str, InlineKeyboardMarkup]:
    view = detail.view
    moment = detail.started_at or detail.completed_at
    when = _when(moment, tz, today) if moment is not None else "–"
    sets = _count(sum(len(e.sets) for e in view.exercises), "set")
    text = DELETE_WORKOUT_ASK.format(name=esc(view.workout_name), when=when, sets=sets)
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("🗑 Yes, delete it", callback_data=pack("hi", "dw", view.id, "y"))],
            [InlineKeyboardButton("‹ Keep it", callback_data=pack("hi", "s", view.id, 0))],
        ]
    )
    return text, keyboard


def _records_line(r: ExerciseRecords | None, unit: WeightUnit) -> str:
    if r is None:
        return "no sets left"
    parts = []
    if r.heaviest_kg is not None:
        parts.append(f"heaviest {format_weight(r.heaviest_kg, unit)} × {r.reps_at_heaviest}")
    if r.e1rm_kg is not None:
        parts.append(f"e1RM {format_weight(r.e1rm_kg, unit)}")
    if r.best_volume_kg is not None:
        parts.append(f"best session volume {format_volume(r.best_volume_kg, unit)}")
    if r.bodyweight_reps is not None:
        parts.append(f"most reps {r.bodyweight_reps}")
    if r.longest_seconds is not None:
        parts.append(f"longest {format_duration(r.longest_seconds)}")
    return " · ".join(parts) or "no records"


def deleted_text(result: DeletedSession, unit: WeightUnit) -> str:
    lines = [f"🗑 Deleted <b>{esc(result.workout_name)}</b> and its {_count(result.sets, 'set')}."]
    if not result.changes:
        lines.append("Your records are unchanged.")
    else:
        lines.append("Records recomputed:")
        for change in result.changes:
            lines.append(
                f"• <b>{esc(change.name)}</b>: {_records_line(change.after, unit)} "
                f"(was {_records_line(change.before, unit)})"
            )
    return "\n".join(lines)


__all__ = [
    "NO_HISTORY",
    "add_keyboard",
    "add_prompt",
    "added_text",
    "delete_workout_prompt",
    "deleted_text",
    "edit_prompt",
    "edited_text",
    "history_keyboard",
    "history_text",
    "session_keyboard",
    "session_text",
    "set_menu",
]
