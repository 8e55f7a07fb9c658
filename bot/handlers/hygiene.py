"""Every incoming update is cleaned once, before any handler reads it (group -2, see bot.app).

Every string in the update - message text and captions, names, file names, callback data, queries;
not the inline keyboards, which are the bot's own - goes through
`bot.services.text_hygiene.clean_text`, so no handler, service or database ever sees a NUL (PostgreSQL
refuses it) or another control character. A message's entities are moved along with its text, so
commands and formatting stay where they were. Most updates have nothing to clean and are left untouched
(about 30-100 µs an update here: one C-level getter per class reads all its attributes).
python-telegram-bot's objects are frozen, so a string that changes is set through their own
`_unfrozen()` context.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any, Final

from telegram import MessageEntity, TelegramObject, Update

from bot.context import BotContext
from bot.services.text_hygiene import clean_text, clean_with_positions, needs_cleaning

# text attribute -> the attribute holding its entities (offsets in UTF-16 code units of that text)
ENTITIES: Final = {"text": "entities", "caption": "caption_entities"}
# attributes never holding user input: the inline keyboard of a message (the bot's own buttons)
SKIPPED: Final = frozenset({"reply_markup"})
_READERS: dict[type, tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]]]] = {}


def _reader(cls: type) -> tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]]]:
    """The public attribute names of a TelegramObject class, and one C-level getter of all of them."""
    found = _READERS.get(cls)
    if found is None:
        names = tuple(
            dict.fromkeys(
                name
                for klass in cls.__mro__[:-1]
                for name in getattr(klass, "__slots__", ())
                if not name.startswith("_") and name not in SKIPPED
            )
        )
        getter = attrgetter(*names) if len(names) > 1 else lambda obj: (getattr(obj, names[0]),)
        found = _READERS[cls] = (names, getter)
    return found


def _moved(entities: tuple[MessageEntity, ...], positions: list[int]) -> tuple[MessageEntity, ...]:
    """The entities with offsets and lengths mapped to the cleaned text; those left empty are dropped."""
    kept = []
    last = len(positions) - 1
    for entity in entities:
        start = positions[min(entity.offset, last)]
        end = positions[min(entity.offset + entity.length, last)]
        if end > start:
            with entity._unfrozen():
                entity.offset, entity.length = start, end - start
            kept.append(entity)
    return tuple(kept)


def _clean_object(obj: TelegramObject, seen: set[int]) -> None:
    if id(obj) in seen:
        return
    seen.add(id(obj))
    changes: dict[str, Any] = {}
    names, read = _reader(type(obj))
    for name, value in zip(names, read(obj), strict=True):
        if value is None:
            continue
        if isinstance(value, str):
            if needs_cleaning(value):
                entities_name = ENTITIES.get(name)
                entities = getattr(obj, entities_name, None) if entities_name else None
                if entities:
                    cleaned, positions = clean_with_positions(value)
                    changes[entities_name] = _moved(entities, positions)  # type: ignore[index]
                else:
                    cleaned = clean_text(value)
                changes[name] = cleaned
        elif isinstance(value, TelegramObject):
            _clean_object(value, seen)
        elif isinstance(value, tuple):
            _clean_items(obj, name, value, seen, changes)
    if changes:
        with obj._unfrozen():
            for name, value in changes.items():
                setattr(obj, name, value)


def _clean_items(
    owner: TelegramObject, name: str, items: tuple[Any, ...], seen: set[int], changes: dict[str, Any]
) -> None:
    """Objects in a tuple are cleaned in place; a tuple of strings (or of rows of objects) is rebuilt."""
    rebuilt = []
    changed = False
    for item in items:
        if isinstance(item, TelegramObject):
            _clean_object(item, seen)
        elif isinstance(item, str) and needs_cleaning(item):
            item = clean_text(item)
            changed = True
        elif isinstance(item, tuple):
            for inner in item:
                if isinstance(inner, TelegramObject):
                    _clean_object(inner, seen)
        rebuilt.append(item)
    if changed:
        changes[name] = tuple(rebuilt)


def clean_update(update: Update) -> None:
    """Remove control characters from every string of `update`, in place (see the module doc)."""
    _clean_object(update, set())


async def clean_incoming(update: object, context: BotContext) -> None:
    """The group -2 handler: clean the update; never stops it."""
    if isinstance(update, Update):
        clean_update(update)


__all__ = ["clean_incoming", "clean_update"]
