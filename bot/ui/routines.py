"""What /routines says and its buttons: `rt:` callback data (list, card, rename, delete, copy, share,
save), and `rs:<routine>` for Start (an entry of the workout conversation)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.enums import WeightUnit
from bot.i18n import N_, _, exercise_name, ngettext
from bot.services.coaching import Person
from bot.services.routines import NAME_MAX, Routine, RoutineExercise
from bot.services.units import plate_friendly
from bot.ui.callback import pack
from bot.ui.fit import MESSAGE_LIMIT, fit_message
from bot.ui.formatting import format_label, format_prescription
from bot.ui.keyboard import inline_keyboard
from bot.ui.texts import esc

RT: Final = "rt"
START: Final = "rs"
PAGE_SIZE: Final = 8
SHARE_PAGE_SIZE: Final = 10
LABEL: Final = 48
START_BUTTON: Final = N_("▶ Start")
"""Characters of a routine's or a trainee's name on a button."""

# actions of `rt:` buttons
LIST, OPEN, RENAME, DELETE, DELETE_YES, COPY, SAVE = "l", "o", "r", "d", "dy", "c", "save"
SHARE, SHARE_ALL, UNSHARE_ALL, TOGGLE = "sh", "sa", "ua", "st"

EMPTY = N_(
    "📋 You have no routines yet.\n\nFinish a workout you started with /log, then tap "
    "<b>💾 Save as routine</b> under its summary: next time, start it here in one tap."
)
SAVE_BUTTON = N_("💾 Save as routine")
ASK_NAME = N_(
    "💾 What should the routine be called? Type a name (up to {limit} characters), "
    "like <i>Push day</i> or <i>Monday legs</i>."
)
TYPE_AGAIN = N_("Type another name, or send /routines to leave it.")
EXPIRED = N_("That question has expired: send /routines to start again.")
NOT_FOUND = N_("That routine does not exist (or is not yours).")
STALE_BUTTON = N_("This button is no longer valid.")
NOT_SAVABLE = N_(
    "Only a finished workout from /log (or a routine) with sets logged can be saved as a routine."
)
NO_TRAINEES = N_("You have no trainees yet: send /invite to get a link for them.")


def ask_name() -> str:
    return _(ASK_NAME).format(limit=NAME_MAX)


def trainees_count(n: int) -> str:
    return ngettext("{n} trainee", "{n} trainees", n).format(n=n)


def start_data(routine_id: uuid.UUID) -> str:
    return pack(START, routine_id)


def _button(text: str, *parts: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=pack(RT, *parts))


def _shared_note(routine: Routine) -> str:
    if routine.coach is not None:
        return _(" · from {coach}").format(coach=esc(routine.coach))
    if routine.shared_with:
        return _(" · shared with {trainees}").format(trainees=trainees_count(routine.shared_with))
    return ""


def listing(routines: Sequence[Routine], page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    """One page of the user's routines (their own, then their coaches'), a button to open each."""
    if not routines:
        return _(EMPTY), None
    pages = (len(routines) + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(max(page, 0), pages - 1)
    shown = routines[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    lines = [
        _("📋 <b>Your routines</b>")
        + (_(" · page {page} of {pages}").format(page=page + 1, pages=pages) if pages > 1 else "")
    ]
    lines += [f"• <b>{esc(r.name)}</b>{_shared_note(r)}" for r in shown]
    lines += ["", _("Tap one to see its exercises, start it or change it.")]
    rows = [[_button(f"📋 {format_label(r.name, LABEL)}", OPEN, r.id)] for r in shown]
    pager = []
    if page > 0:
        pager.append(_button(_("◀ Previous"), LIST, page - 1))
    if page < pages - 1:
        pager.append(_button(_("Next ▶"), LIST, page + 1))
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
    return f"{number}. {esc(exercise_name(exercise.name))}: {target}"


def card(routine: Routine, unit: WeightUnit, *, coach: bool) -> tuple[str, InlineKeyboardMarkup | None]:
    """A routine with its exercises and targets; Start, and what the viewer may do with it."""
    lines = [f"📋 <b>{esc(routine.name)}</b>"]
    if routine.coach is not None:
        lines.append(
            _("<i>Shared by {coach}: start it, or save a copy of your own to change.</i>").format(
                coach=esc(routine.coach)
            )
        )
    elif routine.shared_with:
        lines.append(_("<i>Shared with {trainees}.</i>").format(trainees=trainees_count(routine.shared_with)))
    lines.append("")
    lines += [exercise_line(n, e, unit) for n, e in enumerate(routine.exercises, start=1)]
    if not routine.exercises:
        lines.append(_("<i>No exercises.</i>"))
    rows = [[InlineKeyboardButton(_(START_BUTTON), callback_data=start_data(routine.id))]]
    if routine.own:
        rows.append([_button(_("✏️ Rename"), RENAME, routine.id), _button(_("🗑 Delete"), DELETE, routine.id)])
        if coach:
            rows.append([_button(_("👥 Share with trainees"), SHARE, routine.id, 0)])
    else:
        rows.append([_button(_("📄 Save a copy"), COPY, routine.id)])
    rows.append([_button(_("« All routines"), LIST, 0)])
    return fit_message("\n".join(lines), MESSAGE_LIMIT), InlineKeyboardMarkup(rows)


def ask_rename(name: str) -> str:
    return _("✏️ Type a new name for <b>{name}</b> (up to {limit} characters).").format(
        name=esc(name), limit=NAME_MAX
    )


def ask_copy_name(name: str) -> str:
    return _("📄 You already have a routine called <b>{name}</b>: type a name for the copy.").format(
        name=esc(name)
    )


def name_refused(reason: str) -> str:
    return f"⚠️ {esc(reason)}\n{_(TYPE_AGAIN)}"


def saved(name: str, exercises: int) -> str:
    count = ngettext("{n} exercise", "{n} exercises", exercises).format(n=exercises)
    return _("💾 Saved the routine <b>{name}</b> ({count}). Send /routines to start it next time.").format(
        name=esc(name), count=count
    )


def copied(name: str) -> str:
    return _("📄 Saved a copy: <b>{name}</b> is yours to start, rename or delete.").format(name=esc(name))


def renamed(name: str) -> str:
    return _("✏️ Renamed to <b>{name}</b>.").format(name=esc(name))


def open_keyboard(routine_id: uuid.UUID) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_(START_BUTTON), callback_data=start_data(routine_id)),
                _button(_("📋 Open"), OPEN, routine_id),
            ]
        ]
    )


def save_keyboard(session_id: uuid.UUID) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(_(SAVE_BUTTON), SAVE, session_id)]])


def confirm_delete(routine: Routine) -> tuple[str, InlineKeyboardMarkup]:
    text = _("🗑 Delete the routine <b>{name}</b>? The workouts you did with it stay in /history.").format(
        name=esc(routine.name)
    )
    if routine.shared_with:
        text += " " + ngettext(
            "The {n} trainee you shared it with loses it too.",
            "The {n} trainees you shared it with lose it too.",
            routine.shared_with,
        ).format(n=routine.shared_with)
    keyboard = InlineKeyboardMarkup(
        [[_button(_("🗑 Yes, delete"), DELETE_YES, routine.id), _button(_("✖ Keep it"), OPEN, routine.id)]]
    )
    return text, keyboard


def deleted(name: str) -> str:
    return _("🗑 Deleted the routine <b>{name}</b>.").format(name=esc(name))


def started(name: str) -> str:
    return _("▶ <b>{name}</b> started: log each set as you go.").format(name=esc(name))


def share_menu(
    routine: Routine, trainees: Sequence[tuple[Person, bool]], page: int
) -> tuple[str, InlineKeyboardMarkup]:
    """The coach's trainees with whether they have the routine: tap to share or unshare one."""
    pages = max((len(trainees) + SHARE_PAGE_SIZE - 1) // SHARE_PAGE_SIZE, 1)
    page = min(max(page, 0), pages - 1)
    shown = trainees[page * SHARE_PAGE_SIZE : (page + 1) * SHARE_PAGE_SIZE]
    having = sum(1 for _person, has in trainees if has)
    text = ngettext(
        "👥 <b>{name}</b> is shared with {having} of your {n} trainee.",
        "👥 <b>{name}</b> is shared with {having} of your {n} trainees.",
        len(trainees),
    ).format(name=esc(routine.name), having=having, n=len(trainees)) + _(
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
        pager.append(_button(_("◀ Previous"), SHARE, routine.id, page - 1))
    if page < pages - 1:
        pager.append(_button(_("Next ▶"), SHARE, routine.id, page + 1))
    if pager:
        rows.append(pager)
    rows.append(
        [
            _button(_("👥 Share with all"), SHARE_ALL, routine.id),
            _button(_("✖ Unshare all"), UNSHARE_ALL, routine.id),
        ]
    )
    rows.append([_button(_("« Back"), OPEN, routine.id)])
    return text, InlineKeyboardMarkup(rows)


def shared_toast(added: int, removed: int) -> str:
    if added:
        return _("Shared with {trainees}.").format(trainees=trainees_count(added))
    if removed:
        return _("No longer shared with {trainees}.").format(trainees=trainees_count(removed))
    return _("Nothing changed.")


def shared_notice(coach: str, name: str) -> str:
    return _("📋 {coach} shared the routine <b>{name}</b> with you. Send /routines to start it.").format(
        coach=esc(coach), name=esc(name)
    )
