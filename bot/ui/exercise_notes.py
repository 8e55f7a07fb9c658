"""Texts and keyboards of sticky exercise notes. Pure functions of plain values."""

from __future__ import annotations

import uuid

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.models.notes import NOTE_LIMIT
from bot.ui.callback import pack
from bot.ui.texts import esc

NOTE_BUTTON = "📝 Note"
NOTE_SAVED = "📝 Note saved."
NOTE_CLEARED = "📝 Note cleared."
NO_NOTE_TO_CLEAR = "There was no note to clear."


def note_line(note: str | None) -> str | None:
    """The note as shown under an exercise's name, or None without one."""
    return f"📝 <i>{esc(note)}</i>" if note else None


def note_prompt(exercise_name: str, note: str | None) -> str:
    lines = [f"📝 Note for <b>{esc(exercise_name)}</b>"]
    if note:
        lines.append(f"Now: <i>{esc(note)}</i>")
    lines.append(
        f"Type the note (up to {NOTE_LIMIT} characters), e.g. <i>seat at 4, grip 2 fingers out</i>. "
        "It is shown whenever this exercise comes up."
        + (" Type <i>clear</i> or tap Clear to remove it." if note else "")
    )
    return "\n".join(lines)


def note_keyboard(session_id: uuid.UUID, index: int, has_note: bool) -> InlineKeyboardMarkup:
    row = []
    if has_note:
        row.append(InlineKeyboardButton("🗑 Clear note", callback_data=pack("wk", "nclr", session_id, index)))
    row.append(InlineKeyboardButton("↩ Back", callback_data=pack("wk", "go", session_id, index)))
    return InlineKeyboardMarkup([row])
