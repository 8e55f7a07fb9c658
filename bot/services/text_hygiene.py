"""Cleaning text that comes from outside: one function, applied once at the boundary.

PostgreSQL refuses a NUL character in text (SQLite stores it), and other control characters have no
business in a name, a note or a search either. `clean_text` removes the C0 control characters except
tab and newline, DEL, the C1 control characters and lone UTF-16 surrogates (which no encoder accepts).
Everything else - emoji, right-to-left text, zero-width joiners - is kept as it is.

`shorten` cuts user input quoted in a reply (a service's error that names what was typed).
`clean_with_positions` also says where the kept characters went, in UTF-16 code units (the unit Telegram
counts message entities in), so a caller can move formatting entities along with the text.

The Telegram side applies it to every string of every incoming update (bot.handlers.hygiene); program
files refuse control characters in their own validation (bot.services.program_format).
"""

from __future__ import annotations

import re
from typing import Final

UNWANTED: Final = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def needs_cleaning(text: str) -> bool:
    return UNWANTED.search(text) is not None


def clean_text(text: str) -> str:
    """`text` without control characters (tab and newline kept) and lone surrogates."""
    return UNWANTED.sub("", text)


def shorten(text: str, limit: int = 40) -> str:
    """User input to quote in a reply: one line, at most `limit` characters (cut with an ellipsis)."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: max(limit - 1, 0)].rstrip() + "…"


def _units(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1


def clean_with_positions(text: str) -> tuple[str, list[int]]:
    """The cleaned text, and for every UTF-16 position 0..n of `text` the position it became.

    A removed character's position maps to where the next kept character now starts.
    """
    kept: list[str] = []
    positions: list[int] = []
    new = 0
    for char in text:
        units = _units(char)
        positions.extend([new] * units)
        if UNWANTED.match(char) is None:
            kept.append(char)
            new += units
    positions.append(new)
    return "".join(kept), positions


__all__ = ["UNWANTED", "clean_text", "clean_with_positions", "needs_cleaning", "shorten"]
