"""Translations: the gettext catalogs in bot/locales (managed with Babel) and the locale of the work at hand.

Every user-facing string goes through `_` (or `ngettext`/`pgettext`), with named placeholders filled *after*
translation: ``_("Logged {weight} × {reps}").format(weight=..., reps=...)``. f-strings cannot be extracted.

The locale is a context variable: the update's handler sets it from the user (`set_locale`), a job that
writes to several users wraps each message in `use_locale(...)`. asyncio copies context variables into every
task, so concurrent updates never see each other's locale. Module-level constants are marked with `N_` (for
extraction only) and translated where they are used: ``_(STALE_BUTTON)``.

Compiled catalogs (.mo) are built by `make install` (``pybabel compile``) and never committed; where one is
missing or older than its .po (a fresh checkout, an editable install), the .po is compiled in memory.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from functools import cache
from gettext import NullTranslations
from pathlib import Path
from typing import Protocol

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"
DEFAULT_LOCALE = "en"
LOCALES: tuple[str, ...] = ("en", "ru")
# Telegram language codes whose speakers get Russian; everyone else gets English.
RUSSIAN_READERS = frozenset({"ru", "uk", "be", "kk"})

_current: ContextVar[str] = ContextVar("workout_bot_locale", default=DEFAULT_LOCALE)


def locale_for_language_code(language_code: str | None) -> str:
    """The bot's locale for a Telegram `language_code` ("ru-RU", "uk", None ...)."""
    if not language_code:
        return DEFAULT_LOCALE
    primary = language_code.replace("_", "-").split("-", 1)[0].lower()
    if primary in LOCALES:
        return primary
    return "ru" if primary in RUSSIAN_READERS else DEFAULT_LOCALE


class Speaker(Protocol):
    """What a user row carries about language (bot.db.models.User)."""

    language: str | None
    language_code: str | None


def user_locale(user: Speaker) -> str:
    """The locale the bot speaks to `user`: their /language choice, else their Telegram language."""
    return user.language if user.language in LOCALES else locale_for_language_code(user.language_code)


_known: dict[int, str] = {}
"""Telegram user id -> the locale last resolved for them (their /language choice wins over Telegram's)."""


def remember_locale(telegram_id: int, locale: str) -> None:
    """Note the locale `telegram_id` is spoken to, for their next update's first words."""
    _known[telegram_id] = locale


def forget_locales() -> None:
    """Forget every remembered locale (a new application: its users are read again)."""
    _known.clear()


def locale_of_sender(telegram_id: int | None, language_code: str | None) -> str:
    """An update's locale before its user is read: the one last resolved for them, else Telegram's."""
    known = _known.get(telegram_id) if telegram_id is not None else None
    return known if known is not None else locale_for_language_code(language_code)


@cache
def translations(locale: str) -> NullTranslations:
    """The catalog of `locale` (English is the source language: its catalog is the identity)."""
    if locale == DEFAULT_LOCALE or locale not in LOCALES:
        return NullTranslations()
    folder = LOCALES_DIR / locale / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return Translations(handle, domain=DOMAIN)
    if not po.exists():
        return NullTranslations()
    return Translations(io.BytesIO(_compiled(po, locale)), domain=DOMAIN)


def _compiled(po: Path, locale: str) -> bytes:
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=locale, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def compile_catalogs() -> list[Path]:
    """Compile every language's .po into its .mo (`make translations`, `python -m bot.i18n`).

    Not `pybabel compile`: its check reads a percent sign before a letter ("50% over", "{percent}%
    lighter") as a %-format conversion and fails the build, though the bot formats with str.format only;
    tests/unit/test_catalog.py checks the {fields} of every translation instead.
    """
    written = []
    for locale in LOCALES[1:]:
        folder = LOCALES_DIR / locale / "LC_MESSAGES"
        po = folder / f"{DOMAIN}.po"
        if po.exists():
            mo = folder / f"{DOMAIN}.mo"
            mo.write_bytes(_compiled(po, locale))
            written.append(mo)
    return written


def current_locale() -> str:
    return _current.get()


def set_locale(locale: str | None) -> Token[str]:
    """Make `locale` the current one for the rest of this task (an update's handler)."""
    return _current.set(locale if locale in LOCALES else DEFAULT_LOCALE)


def reset_locale(token: Token[str]) -> None:
    _current.reset(token)


@contextmanager
def use_locale(locale: str | None) -> Iterator[None]:
    """Render in `locale` inside the block (a message to another user: a coach, a reminder's trainee)."""
    token = _current.set(locale if locale in LOCALES else DEFAULT_LOCALE)
    try:
        yield
    finally:
        _current.reset(token)


def _(message: str) -> str:
    """`message` in the current locale."""
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The plural form for `n` in the current locale (Russian has three); fill `{n}` after."""
    return translations(_current.get()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` with a disambiguating context ("button", "weekday" ...)."""
    return translations(_current.get()).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).npgettext(context, singular, plural, n)


def N_(message: str) -> str:
    """Marks `message` for extraction without translating it (translate it where it is shown)."""
    return message


_exercise_names: dict[str, dict[str, str]] = {}
"""locale -> catalog exercise name (English, as stored) -> its name there (exercises.yaml `names`)."""


def register_exercise_names(locale: str, names: dict[str, str]) -> None:
    """Add translations of catalog exercise names (filled from exercises.yaml when the catalog loads)."""
    _exercise_names.setdefault(locale, {}).update(names)


def exercise_name(name: str) -> str:
    """A catalog exercise's name as the current locale says it; a user's own exercise keeps its name."""
    return _exercise_names.get(_current.get(), {}).get(name, name)


if __name__ == "__main__":
    for compiled in compile_catalogs():
        print(f"compiled {compiled.relative_to(LOCALES_DIR.parent.parent)}")
