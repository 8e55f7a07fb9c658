"""Texts and keyboards of /history: the list, one workout, corrections (edit, delete or add a set,
delete a workout). Callback data prefix `hi:`. Pure functions; user-provided text is escaped."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.enums import SessionStatus, TrackingType, WeightUnit
from bot.i18n import N_, _, exercise_name, ngettext
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

NO_HISTORY = N_("📖 No workouts yet. Start one from today's plan - it shows up here once you finish it.")
START_FROM_TODAY = N_("📅 Today's workouts")
EDIT_PROMPT = N_("Send the corrected set, like {example} (w 40x10 for a warm-up).")
MARKS = {SessionStatus.CANCELLED: N_("✖ cancelled"), SessionStatus.SKIPPED: N_("⏭ skipped")}
SHORT_MARKS = {SessionStatus.CANCELLED: "✖ ", SessionStatus.SKIPPED: "⏭ "}
ADD_PICK = N_("➕ Which exercise is the forgotten set of?")
DELETE_WORKOUT_ASK = N_(
    "🗑 Delete <b>{name}</b> ({when}) with its {sets}? Your records are recomputed without it. "
    "This cannot be undone."
)
NOT_DELETED = N_("Nothing was deleted.")
EXAMPLES = {
    TrackingType.WEIGHT_REPS: N_("60x8"),
    TrackingType.REPS: N_("12 (or +10kg x 8)"),
    TrackingType.DURATION: N_("45s"),
}


def _when(moment: datetime, tz: str, today: date) -> str:
    local = moment.astimezone(ZoneInfo(tz))
    return f"{format_date(local.date(), today)} {local:%H:%M}"


def _sets(n: int) -> str:
    return ngettext("{n} set", "{n} sets", n).format(n=n)


def _name(name: str) -> str:
    """An exercise's name as the reader says it, escaped."""
    return esc(exercise_name(name))


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
        return f"{_(mark)} · {work}"
    duration = format_duration(item.duration_seconds) if item.duration_seconds else "–"
    ratings = _("effort {effort} · soreness {soreness}").format(
        effort=format_rating(item.effort), soreness=format_rating(item.soreness)
    )
    return f"{duration} · {work} · {ratings}"


def history_text(page: HistoryPage, unit: WeightUnit, tz: str, today: date) -> str:
    if not page.items and page.page == 0:
        return _(NO_HISTORY)
    lines = [_("📖 <b>History</b> (page {page})").format(page=page.page + 1)]
    for number, item in enumerate(page.items, start=page.page * page.size + 1):
        lines.append(
            f"\n<b>{number}. {esc(item.workout_name)}</b> · {_when(item.when, tz, today)}\n"
            + _item_line(item, unit)
        )
    return "\n".join(lines)


def history_keyboard(page: HistoryPage) -> InlineKeyboardMarkup | None:
    """A button per workout and the page navigation; with no workout at all, the way to start one."""
    if not page.items and page.page == 0:
        start = InlineKeyboardButton(_(START_FROM_TODAY), callback_data=pack(TD, REFRESH))
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
        nav.append(InlineKeyboardButton(_("‹ Newer"), callback_data=pack("hi", "p", page.page - 1)))
    if page.has_more:
        nav.append(InlineKeyboardButton(_("Older ›"), callback_data=pack("hi", "p", page.page + 1)))
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
        head += f" · {_(MARKS[detail.status])}"
    lines = [head]
    facts = []
    if detail.duration_seconds:
        facts.append(_("Duration {duration}").format(duration=format_duration(detail.duration_seconds)))
    if detail.effort is not None or detail.soreness is not None:
        facts.append(
            _("effort {effort} · soreness {soreness}").format(
                effort=format_rating(detail.effort), soreness=format_rating(detail.soreness)
            )
        )
    if facts:
        lines.append(" · ".join(facts))
    if detail.notes:
        lines.append(f"📝 <i>{esc(detail.notes)}</i>")
    lines += comment_lines(detail.comments)
    lines.append(_("Weights in {unit}. Tap a set to correct or delete it.").format(unit=unit_label(unit)))
    for exercise in view.exercises:
        if not exercise.sets:
            continue
        sets = ", ".join(f"{s.number}) {format_set(s, unit, exercise.tracking)}" for s in exercise.sets)
        rated = (
            " · " + _("difficulty {rating}").format(rating=format_rating(exercise.difficulty))
            if exercise.difficulty
            else ""
        )
        note = note_line(detail.exercise_notes.get(exercise.exercise_id))
        lines.append(f"\n<b>{_name(exercise.name)}</b>{rated}" + (f"\n{note}" if note else "") + f"\n{sets}")
    if not any(e.sets for e in view.exercises):
        lines.append("\n" + _("No sets were logged in this workout."))
    return _fit("\n".join(lines))


def _fit(text: str) -> str:
    return text if len(text) <= 4000 else text[:3990].rsplit("\n", 1)[0] + "\n…"


def session_keyboard(detail: SessionDetail, unit: WeightUnit, page: int) -> InlineKeyboardMarkup:
    view = detail.view
    rows: list[list[InlineKeyboardButton]] = []
    for exercise in view.exercises:
        buttons = [
            InlineKeyboardButton(
                f"{format_label(exercise_name(exercise.name), 20)} {s.number}: "
                f"{format_set(s, unit, exercise.tracking)}",
                callback_data=pack("hi", "x", view.id, exercise.index, s.number),
            )
            for s in exercise.sets
        ]
        rows += [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    actions = []
    if view.exercises:
        actions.append(InlineKeyboardButton(_("➕ Add a set"), callback_data=pack("hi", "add", view.id)))
    if detail.deletable:
        actions.append(InlineKeyboardButton(_("🗑 Delete workout"), callback_data=pack("hi", "dw", view.id)))
    if actions:
        rows.append(actions)
    rows.append([InlineKeyboardButton(_("‹ History"), callback_data=pack("hi", "p", page))])
    return InlineKeyboardMarkup(rows[:90])


# --- sets ------------------------------------------------------------------------------------------------


def set_menu(
    view_id: uuid.UUID, exercise: ExerciseView, logged: SetView, unit: WeightUnit
) -> tuple[str, InlineKeyboardMarkup]:
    text = _("<b>{name}</b>, set {number}: {set}").format(
        name=_name(exercise.name), number=logged.number, set=format_set(logged, unit, exercise.tracking)
    ) + (f" ({unit_label(unit)})" if logged.weight_kg is not None else "")
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("✏️ Edit"), callback_data=pack("hi", "ed", view_id, exercise.index, logged.number)
                ),
                InlineKeyboardButton(
                    _("🗑 Delete"), callback_data=pack("hi", "del", view_id, exercise.index, logged.number)
                ),
            ],
            [InlineKeyboardButton(_("‹ Back"), callback_data=pack("hi", "s", view_id, 0))],
        ]
    )
    return text, keyboard


def edit_prompt(exercise: ExerciseView, logged: SetView, unit: WeightUnit) -> str:
    example = format_set(logged, unit, exercise.tracking).replace("w ", "")
    head = _("<b>{name}</b>, set {number}: {set}").format(
        name=_name(exercise.name), number=logged.number, set=format_set(logged, unit, exercise.tracking)
    )
    return f"{head}.\n" + _(EDIT_PROMPT).format(example=example)


def edited_text(exercise: ExerciseView, unit: WeightUnit, what: str) -> str:
    sets = ", ".join(format_set(s, unit, exercise.tracking) for s in exercise.sets) or _("no sets")
    return _("✅ {what}. <b>{name}</b> now: {sets}").format(what=what, name=_name(exercise.name), sets=sets)


def add_keyboard(view_id: uuid.UUID, exercises: Sequence[ExerciseView]) -> InlineKeyboardMarkup:
    rows = [
        [InlineKeyboardButton(exercise_name(e.name)[:40], callback_data=pack("hi", "ad", view_id, e.index))]
        for e in exercises[:40]
    ]
    rows.append([InlineKeyboardButton(_("‹ Back"), callback_data=pack("hi", "s", view_id, 0))])
    return InlineKeyboardMarkup(rows)


def add_prompt(exercise: ExerciseView, unit: WeightUnit) -> str:
    done = ", ".join(format_set(s, unit, exercise.tracking) for s in exercise.sets) or _("no sets yet")
    return _(
        "➕ <b>{name}</b> ({done}). Send the forgotten set, like {example} "
        "(weights in {unit}; several: 60x8, 60x8)."
    ).format(
        name=_name(exercise.name), done=done, example=_(EXAMPLES[exercise.tracking]), unit=unit_label(unit)
    )


def added_text(result: AddedSets, unit: WeightUnit) -> str:
    exercise = result.exercise
    added = ", ".join(format_set(s, unit, exercise.tracking) for s in result.added)
    lines = [edited_text(exercise, unit, _("Added {sets}").format(sets=added))]
    lines += [f"🏆 {record_text(exercise.name, r, unit)}" for r in result.records]
    return "\n".join(lines)


# --- deleting a workout ----------------------------------------------------------------------------------


def delete_workout_prompt(detail: SessionDetail, tz: str, today: date) -> tuple[str, InlineKeyboardMarkup]:
    view = detail.view
    moment = detail.started_at or detail.completed_at
    when = _when(moment, tz, today) if moment is not None else "–"
    sets = _sets(sum(len(e.sets) for e in view.exercises))
    text = _(DELETE_WORKOUT_ASK).format(name=esc(view.workout_name), when=when, sets=sets)
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(_("🗑 Yes, delete it"), callback_data=pack("hi", "dw", view.id, "y"))],
            [InlineKeyboardButton(_("‹ Keep it"), callback_data=pack("hi", "s", view.id, 0))],
        ]
    )
    return text, keyboard


def _records_line(r: ExerciseRecords | None, unit: WeightUnit) -> str:
    if r is None:
        return _("no sets left")
    parts = []
    if r.heaviest_kg is not None:
        parts.append(
            _("heaviest {weight} × {reps}").format(
                weight=format_weight(r.heaviest_kg, unit), reps=r.reps_at_heaviest
            )
        )
    if r.e1rm_kg is not None:
        parts.append(_("e1RM {weight}").format(weight=format_weight(r.e1rm_kg, unit)))
    if r.best_volume_kg is not None:
        parts.append(_("best session volume {volume}").format(volume=format_volume(r.best_volume_kg, unit)))
    if r.bodyweight_reps is not None:
        parts.append(_("most reps {reps}").format(reps=r.bodyweight_reps))
    if r.longest_seconds is not None:
        parts.append(_("longest {duration}").format(duration=format_duration(r.longest_seconds)))
    return " · ".join(parts) or _("no records")


def deleted_text(result: DeletedSession, unit: WeightUnit) -> str:
    lines = [
        _("🗑 Deleted <b>{name}</b> and its {sets}.").format(
            name=esc(result.workout_name), sets=_sets(result.sets)
        )
    ]
    if not result.changes:
        lines.append(_("Your records are unchanged."))
    else:
        lines.append(_("Records recomputed:"))
        for change in result.changes:
            lines.append(
                _("• <b>{name}</b>: {after} (was {before})").format(
                    name=_name(change.name),
                    after=_records_line(change.after, unit),
                    before=_records_line(change.before, unit),
                )
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
