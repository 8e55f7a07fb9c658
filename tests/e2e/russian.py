"""What a Russian reader must never see: English words in the bot's own text.

`english_words(text)` returns the Latin-letter words of `text` that are not commands (/start), HTML tags,
units the bot spells the international way, or words the test allows (a user's own names and inputs,
an exercise that has no Russian name). Tests of the Russian journey assert it is empty.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.sandbox import SandboxUser
    from bot.sandbox.emulator import SentMessage

# Abbreviations a Russian-speaking lifter reads as they are (the bot's Russian catalog may keep them).
INTERNATIONAL = frozenset(
    {
        "RPE",
        "RIR",
        "PR",
        "e1RM",
        "1RM",
        "AMRAP",
        "CSV",
        "UTF-8",
        "YAML",
        "UTC",
        "GMT",
        "Strong",
        "Hevy",
        "FitNotes",
        "Telegram",
        "Mini",
        "App",
    }
)

_COMMAND = re.compile(r"(?<![\w/])/[a-z_]+(?:@\w+)?")
_TAG = re.compile(r"<[^>]+>")
_URL = re.compile(r"https?://\S+")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
_LATIN = re.compile(r"[A-Za-z]{2,}")


def english_words(text: str, *allowed: str) -> list[str]:
    """The English words left in `text` once commands, tags, URLs, `INTERNATIONAL` and `allowed` go."""
    for phrase in allowed:
        text = text.replace(phrase, " ")
    text = _URL.sub(" ", _TAG.sub(" ", _COMMAND.sub(" ", text)))
    words = (word.strip("-'’") for word in _WORD.findall(text))
    return [word for word in words if _LATIN.search(word) and word not in INTERNATIONAL]


def assert_russian(text: str, *allowed: str) -> None:
    """`text` is Russian: not one English word outside what the reader chose or `allowed`."""
    words = english_words(text, *allowed)
    assert not words, f"English in a Russian reader's message: {words!r} in {text!r}"


def assert_russian_message(message: SentMessage, *allowed: str) -> None:
    """A reply's text (or caption) and every label of its buttons are Russian."""
    assert_russian(message.text or message.caption or "", *allowed)
    for row in message.buttons:
        for label in row:
            assert_russian(label, *allowed)


def button_starting(person: SandboxUser, start: str, message: SentMessage | None = None) -> str:
    """The label of the button starting with `start` on `message` (default: the latest keyboard)."""
    found = [label for row in person.buttons(message) for label in row if label.startswith(start)]
    assert found, (start, person.buttons(message))
    return found[0]
