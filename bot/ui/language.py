"""/language and the settings' language row: the picker and its answers.

Callback data (prefix ``lg:``; the handler trusts none of it):

=====================  ==============================================================
``lg:c:<en|ru>``       speak this language (the picker of /language)
``lg:s:<en|ru>``       the same from /settings: the settings are shown again after
``lg:s:menu``          /settings' "Language" row: open the picker there
=====================  ==============================================================
"""

from __future__ import annotations

from typing import Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import LOCALES, N_, _
from bot.ui.callback import pack

PREFIX: Final = "lg"
FROM_COMMAND: Final = "c"
FROM_SETTINGS: Final = "s"
CURRENT: Final = "✅ "

# Each language by its own name: a reader finds theirs whatever the bot speaks now.
NAMES: Final[dict[str, str]] = {"en": "English", "ru": "Русский"}

UNKNOWN_LANGUAGE: Final = N_("This button doesn't work any more. Send /language to choose a language.")


def language_name(locale: str) -> str:
    """'English', 'Русский' (every language by its own name)."""
    return NAMES.get(locale, locale)


def data_choose(origin: str, locale: str) -> str:
    return pack(PREFIX, origin, locale)


def data_open_from_settings() -> str:
    return pack(PREFIX, FROM_SETTINGS, "menu")


def prompt(current: str) -> str:
    """The picker's text, in the current language."""
    return _("🗣 <b>Language</b>\n\nNow: <b>{language}</b>\n\nWhich language should I speak?").format(
        language=language_name(current)
    )


def keyboard(current: str, origin: str) -> InlineKeyboardMarkup:
    """One button per language (the current one marked); from the settings, a way back too."""
    rows = [
        [
            InlineKeyboardButton(
                (CURRENT if locale == current else "") + language_name(locale),
                callback_data=data_choose(origin, locale),
            )
            for locale in LOCALES
        ]
    ]
    if origin == FROM_SETTINGS:
        rows.append([InlineKeyboardButton(_("« Back to settings"), callback_data=pack("on", "m", "menu"))])
    return InlineKeyboardMarkup(rows)


def saved(locale: str) -> str:
    """The answer to a choice, in the language just chosen."""
    return _("✅ I'll speak {language} from now on. /language changes it again.").format(
        language=language_name(locale)
    )
