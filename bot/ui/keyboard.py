"""The one way an inline keyboard is assembled from rows that may come out empty."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup


def inline_keyboard(rows: Iterable[Sequence[InlineKeyboardButton]]) -> InlineKeyboardMarkup | None:
    """The keyboard of the non-empty ``rows``, or None when no button is left.

    An empty keyboard helps nobody: Telegram drops empty rows and shows no keyboard at all, and
    python-telegram-bot serializes ``InlineKeyboardMarkup([])`` as ``{}``. Builders whose buttons all
    depend on data return this, so "no buttons" is always "no keyboard".
    """
    kept = [list(row) for row in rows if row]
    return InlineKeyboardMarkup(kept) if kept else None
