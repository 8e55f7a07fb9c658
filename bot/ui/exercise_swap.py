"""Texts and keyboards of swapping a workout's exercise for another. Pure functions of plain values."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import N_, _
from bot.i18n import exercise_name as translated
from bot.ui.callback import pack
from bot.ui.texts import esc

SWAP_BUTTON = N_("🔁 Swap")


def _button(text: str, *parts: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=pack("wk", *parts))


def swap_prompt(exercise_name: str, found: int) -> str:
    lines = [
        _(
            "🔁 Swap <b>{name}</b> for another exercise, for this workout only "
            "(the sets, reps, rest and - when tracked the same way - weight carry over)."
        ).format(name=esc(translated(exercise_name)))
    ]
    if found:
        lines.append(_("Suggestions (same muscle group and similar equipment first):"))
    lines.append(_("Or type part of a name to search, e.g. <i>press</i>."))
    return "\n".join(lines)


def swap_results(query: str, found: int) -> str:
    if not found:
        return _("No other exercise matches “{query}”. Try another word, e.g. <i>row</i>.").format(
            query=esc(query)
        )
    return _("Swap for an exercise matching “{query}”:").format(query=esc(query))


def swap_keyboard(
    session_id: uuid.UUID, index: int, found: Sequence[tuple[uuid.UUID, str]]
) -> InlineKeyboardMarkup:
    rows = [
        [_button(translated(name)[:60], "swx", session_id, index, exercise_id)] for exercise_id, name in found
    ]
    rows.append([_button(_("↩ Back"), "go", session_id, index)])
    return InlineKeyboardMarkup(rows)


def swapped_notice(original: str, replacement: str) -> str:
    return _("🔁 Swapped {original} for <b>{replacement}</b> in this workout.").format(
        original=esc(translated(original)), replacement=esc(translated(replacement))
    )


def replaces_line(original: str) -> str:
    return _("<i>🔁 instead of {name}, this workout only</i>").format(name=esc(original))
