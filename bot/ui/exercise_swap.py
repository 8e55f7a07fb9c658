"""Texts and keyboards of swapping a workout's exercise for another. Pure functions of plain values."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.ui.callback import pack
from bot.ui.texts import esc

SWAP_BUTTON = "🔁 Swap"


def _button(text: str, *parts: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=pack("wk", *parts))


def swap_prompt(exercise_name: str, found: int) -> str:
    lines = [
        f"🔁 Swap <b>{esc(exercise_name)}</b> for another exercise, for this workout only "
        "(the sets, reps, rest and - when tracked the same way - weight carry over)."
    ]
    if found:
        lines.append("Suggestions (same muscle group and similar equipment first):")
    lines.append("Or type part of a name to search, e.g. <i>press</i>.")
    return "\n".join(lines)


def swap_results(query: str, found: int) -> str:
    if not found:
        return f"No other exercise matches “{esc(query)}”. Try another word, e.g. <i>row</i>."
    return f"Swap for an exercise matching “{esc(query)}”:"


def swap_keyboard(
    session_id: uuid.UUID, index: int, found: Sequence[tuple[uuid.UUID, str]]
) -> InlineKeyboardMarkup:
    rows = [[_button(name[:60], "swx", session_id, index, exercise_id)] for exercise_id, name in found]
    rows.append([_button("↩ Back", "go", session_id, index)])
    return InlineKeyboardMarkup(rows)


def swapped_notice(original: str, replacement: str) -> str:
    return f"🔁 Swapped {esc(original)} for <b>{esc(replacement)}</b> in this workout."


def replaces_line(original: str) -> str:
    return f"<i>🔁 instead of {esc(original)}, this workout only</i>"
