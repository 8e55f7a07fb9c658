"""What /routines says and its buttons: `rt:` callback data (list, card, rename, delete, copy, share,
save), and `rs:<routine>` for Start (an entry of the workout conversation)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.enums import WeightUnit
from bot.services.coaching import Person
from bot.services.routines import NAME_MAX, Routine, RoutineExercise
from bot.services.units import plate_friendly
from bot.ui.callback import pack
from bot.ui.fit import MESSAGE_LIMIT, fit_message
from bot.ui.formatting import format_count, format_label, format_prescription
from bot.ui.keyboard import inline_keyboard
from bot.ui.texts import esc

RT: Final = "rt"
START: Final = "rs"
PAGE_SIZE: Final = 8
SHARE_PAGE_SIZE: Final = 10
LABEL: Final = 48
"""Characters of a routine's or a trainee's name on a button."""

# actions of `rt:` buttons
LIST, OPEN, RENAME, DELETE, DELETE_YES, COPY, SAVE = "l", "o", "r", "d", "dy", "c", "save"
SHARE, SHARE_ALL, UNSHARE_ALL, TOGGLE = "sh", "sa", "ua", "st"

EMPTY = (
    "📋 You have no routines yet.\n\nFinish a workout you started with /log, then tap "
    "<b>💾 Save as routine</b> under its summary: next time, start it here in one tap."
)
SAVE_BUTTON = "💾 Save as routine"
ASK_NAME = (
    f"💾 What should the routine be called? Type a name (up to {NAME_MAX} characters), "
    "like <i>Push day</i> or <i>Monday legs</i>."
)
TYPE_AGAIN = "Type another name, or send /routines to leave it."
EXPIRED = "That question has expired: send /routines to start again."
NOT_FOUND = "That routine does not exist (or is not yours)."
STALE_BUTTON = "This button is no longer valid."
NOT_SAVABLE = "Only a finished workout from /log (or a routine) with sets logged can be saved as a routine."
NO_TRAINEES = "You have no trainees yet: send /invite to get a link for them."


def start_data(routine_id: uuid.UUID) -> str:
    return pack(START, routine_id)


def _button(text: str, *parts: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=pack(RT, *parts))


def _shared_note(routine: Routine) -> str:
    if routine.coach is not None:
        return f" · from {esc(routine.coach)}"
    if routine.shared_with:
        return f" · shared with {format_count(routine.shared_with, 'trainee')}"
    return ""


def listing(routines: Sequence[Routine], page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    """One page of the user's routines (their own, then their coaches'), a button to open each."""
    if not routines:
        return EMPTY, None
    pages = (len(routines) + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(max(page, 0), pages - 1)
    shown = routines[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    lines = ["📋 <b>Your routines</b>" + (f" · page {page + 1} of {pages}" if pages > 1 else "")]
    lines += [f"• <b>{esc(r.name)}</b>{_shared_note(r)}" for r in shown]
    lines += ["", "Tap one to see its exercises, start it or change it."]
    rows = [[_button(f"📋 {format_label(r.name, LABEL)}", OPEN, r.id)] for r in shown]
    pager = []
    if page > 0:
        pager.append(_button("◀ Previous", LIST, page - 1))
    if page < pages - 1:
        pager.append(_button("Next ▶", LIST, page + 1))
    return fit_message("\n".join(lines), MESSAGE_LIMIT), inline_keyboard([*rows, pager])


def exercise_line(number: int, exercise: RoutineExercise, unit: WeightUnit) -> str:
    target = format_prescription(
        exercise.target_sets,
        exercise.reps_min,
        exercise.reps_max,
        plate_friendly(exercise.weight_kg, unit) if exercise.weight_kg else None,
        exercise.duration_seconds,
        exercise.rest_seconds,
        unit,
        exercise.tracking,
        exercise.distance_m,
    )
    return f"{number}. {esc(exercise.name)}: {target}"


def card(routine: Routine, unit: WeightUnit, *, coach: bool) -> tuple[str, InlineKeyboardMarkup | None]:
    """A routine with its exercises and targets; Start, and what the viewer may do with it."""
    lines = [f"📋 <b>{esc(routine.name)}</b>"]
    if routine.coach is not None:
        lines.append(
            f"<i>Shared by {esc(routine.coach)}: start it, or save a copy of your own to change.</i>"
        )
    elif routine.shared_with:
        lines.append(f"<i>Shared with {format_count(routine.shared_with, 'trainee')}.</i>")
    lines.append("")
    lines += [exercise_line(n, e, unit) for n, e in enumerate(routine.exercises, start=1)]
    if not routine.exercises:
        lines.append("<i>No exercises.</i>")
    rows = [[InlineKeyboardButton("▶ Start", callback_data=start_data(routine.id))]]
    if routine.own:
        rows.append([_button("✏️ Rename", RENAME, routine.id), _button("🗑 Delete", DELETE, routine.id)])
        if coach:
            rows.append([_button("👥 Share with trainees", SHARE, routine.id, 0)])
    else:
        rows.append([_button("📄 Save a copy", COPY, routine.id)])
    rows.append([_button("« All routines", LIST, 0)])
    return fit_message("\n".join(lines), MESSAGE_LIMIT), InlineKeyboardMarkup(rows)


def ask_rename(name: str) -> str:
    return f"✏️ Type a new name for <b>{esc(name)}</b> (up to {NAME_MAX} characters)."


def ask_copy_name(name: str) -> str:
    return f"📄 You already have a routine called <b>{esc(name)}</b>: type a name for the copy."


def name_refused(reason: str) -> str:
    return f"⚠️ {esc(reason)}\n{TYPE_AGAIN}"


def saved(name: str, exercises: int) -> str:
    return (
        f"💾 Saved the routine <b>{esc(name)}</b> ({format_count(exercises, 'exercise')}). "
        "Send /routines to start it next time."
    )


def copied(name: str) -> str:
    return f"📄 Saved a copy: <b>{esc(name)}</b> is yours to start, rename or delete."


def renamed(name: str) -> str:
    return f"✏️ Renamed to <b>{esc(name)}</b>."


def open_keyboard(routine_id: uuid.UUID) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("▶ Start", callback_data=start_data(routine_id)),
                _button("📋 Open", OPEN, routine_id),
            ]
        ]
    )


def save_keyboard(session_id: uuid.UUID) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(SAVE_BUTTON, SAVE, session_id)]])


def confirm_delete(routine: Routine) -> tuple[str, InlineKeyboardMarkup]:
    text = f"🗑 Delete the routine <b>{esc(routine.name)}</b>? The workouts you did with it stay in /history."
    if routine.shared_with:
        text += f" The {format_count(routine.shared_with, 'trainee')} you shared it with lose it too."
    keyboard = InlineKeyboardMarkup(
        [[_button("🗑 Yes, delete", DELETE_YES, routine.id), _button("✖ Keep it", OPEN, routine.id)]]
    )
    return text, keyboard


def deleted(name: str) -> str:
    return f"🗑 Deleted the routine <b>{esc(name)}</b>."


def started(name: str) -> str:
    return f"▶ <b>{esc(name)}</b> started: log each set as you go."


def share_menu(
    routine: Routine, trainees: Sequence[tuple[Person, bool]], page: int
) -> tuple[str, InlineKeyboardMarkup]:
    """The coach's trainees with whether they have the routine: tap to share or unshare one."""
    pages = max((len(trainees) + SHARE_PAGE_SIZE - 1) // SHARE_PAGE_SIZE, 1)
    page = min(max(page, 0), pages - 1)
    shown = trainees[page * SHARE_PAGE_SIZE : (page + 1) * SHARE_PAGE_SIZE]
    having = sum(1 for _, has in trainees if has)
    everyone = format_count(len(trainees), "trainee")
    text = (
        f"👥 <b>{esc(routine.name)}</b> is shared with {having} of your {everyone}."
        "\nTap a name to share it with them (✅) or stop sharing. They can start it or save a copy, "
        "never change yours."
    )
    rows = [
        [
            _button(
                f"{'✅' if has else '➕'} {format_label(person.name, LABEL)}", TOGGLE, routine.id, person.id
            )
        ]
        for person, has in shown
    ]
    pager = []
    if page > 0:
        pager.append(_button("◀ Previous", SHARE, routine.id, page - 1))
    if page < pages - 1:
        pager.append(_button("Next ▶", SHARE, routine.id, page + 1))
    if pager:
        rows.append(pager)
    rows.append(
        [
            _button("👥 Share with all", SHARE_ALL, routine.id),
            _button("✖ Unshare all", UNSHARE_ALL, routine.id),
        ]
    )
    rows.append([_button("« Back", OPEN, routine.id)])
    return text, InlineKeyboardMarkup(rows)


def shared_toast(added: int, removed: int) -> str:
    if added:
        return f"Shared with {format_count(added, 'trainee')}."
    if removed:
        return f"No longer shared with {format_count(removed, 'trainee')}."
    return "Nothing changed."


def shared_notice(coach: str, name: str) -> str:
    return f"📋 {esc(coach)} shared the routine <b>{esc(name)}</b> with you. Send /routines to start it."
