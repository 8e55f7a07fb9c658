"""Texts and keyboards of sticky exercise notes. Pure functions of plain values."""

from __future__ import annotations

import uuid

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.models.notes import NOTE_LIMIT
from bot.i18n import N_, _
from bot.i18n import exercise_name as translated
from bot.ui.callback import pack
from bot.ui.texts import esc

NOTE_BUTTON = N_("📝 Note")
NOTE_SAVED = N_("📝 Note saved.")
NOTE_CLEARED = N_("📝 Note cleared.")
NO_NOTE_TO_CLEAR = N_("There was no note to clear.")


def note_line(note: str | None) -> str | None:
    """The note as shown under an exercise's name, or None without one."""
    return f"📝 <i>{esc(note)}</i>" if note else None


def note_prompt(exercise_name: str, note: str | None) -> str:
    lines = [_("📝 Note for <b>{name}</b>").format(name=esc(translated(exercise_name)))]
    if note:
        lines.append(_("Now: <i>{note}</i>").format(note=esc(note)))
    lines.append(
        _(
            "Type the note (up to {limit} characters), e.g. <i>seat at 4, grip 2 fingers out</i>. "
            "It is shown whenever this exercise comes up."
        ).format(limit=NOTE_LIMIT)
        + (_(" Type <i>clear</i> or tap Clear to remove it.") if note else "")
    )
    return "\n".join(lines)


def note_keyboard(session_id: uuid.UUID, index: int, has_note: bool) -> InlineKeyboardMarkup:
    row = []
    if has_note:
        row.append(
            InlineKeyboardButton(_("🗑 Clear note"), callback_data=pack("wk", "nclr", session_id, index))
        )
    row.append(InlineKeyboardButton(_("↩ Back"), callback_data=pack("wk", "go", session_id, index)))
    return InlineKeyboardMarkup([row])
