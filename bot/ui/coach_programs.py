"""What a coach sees of their own programs: /myprograms, a program's visibility, YAML uploads.

Callback data: `co:pc:<program>` (the program's card) and `co:v:<program>:<P|R|U>` (its visibility), routed
by bot.handlers.coaching (see bot.ui.coaching).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.enums import VisibilityCode
from bot.i18n import N_, _, ngettext
from bot.services.coaching import ProgramRef
from bot.ui.callback import pack
from bot.ui.coaching import (
    CARD,
    CO,
    MESSAGE_LIMIT,
    NAME_LIMIT,
    NO_PROGRAMS,
    VISIBILITY,
    VISIBILITY_CODES,
    clip,
    fit,
)
from bot.ui.texts import esc

VISIBILITY_LABEL: Final = {
    VisibilityCode.PRIVATE: N_("🔒 private"),
    VisibilityCode.UNLISTED: N_("🔗 unlisted"),
    VisibilityCode.PUBLIC: N_("🌍 public"),
}
VISIBILITY_BUTTON: Final = {
    VisibilityCode.PRIVATE: N_("Private"),
    VisibilityCode.UNLISTED: N_("Unlisted"),
    VisibilityCode.PUBLIC: N_("Public"),
}


def my_programs_text(programs: Sequence[ProgramRef]) -> str:
    if not programs:
        return _(NO_PROGRAMS)
    lines = [_("<b>Your programs</b>"), ""]
    lines += [
        ngettext(
            "• {program} · {visibility} · {n} following",
            "• {program} · {visibility} · {n} following",
            p.trainees,
        ).format(program=esc(p.name), visibility=_(VISIBILITY_LABEL[p.visibility]), n=p.trainees)
        for p in programs
    ]
    lines += ["", _("Send a YAML file to add one; /exportprogram NAME gives one back as a file.")]
    return fit(lines)


def my_programs_keyboard(programs: Sequence[ProgramRef]) -> InlineKeyboardMarkup | None:
    if not programs:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(clip(p.name, NAME_LIMIT), callback_data=pack(CO, CARD, p.id))]
            for p in programs[:90]
        ]
    )


def visibility_line(ref: ProgramRef) -> str:
    return _("Visibility: {visibility} - change it below.").format(
        visibility=_(VISIBILITY_LABEL[ref.visibility])
    )


def visibility_keyboard(ref: ProgramRef) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            ("✓ " if ref.visibility == code else "") + _(VISIBILITY_BUTTON[code]),
            callback_data=pack(CO, VISIBILITY, ref.id, letter),
        )
        for letter, code in VISIBILITY_CODES.items()
    ]
    return InlineKeyboardMarkup([buttons])


def uploaded_text(card_text: str) -> str:
    return _("✅ Program added (private: you and your trainees can see it).") + "\n\n" + card_text


def upload_refused_text(reason: str) -> str:
    body = esc(reason)
    if len(body) > MESSAGE_LIMIT - 200:
        body = body[: MESSAGE_LIMIT - 220] + "\n…"
    return _("❌ Nothing was saved.\n\n{reason}\n\nFix the file and send it again.").format(reason=body)


def too_large_text(size: int, limit: int) -> str:
    return _(
        "❌ That file is {size} KB; a program file can be at most {limit} KB. Nothing was saved."
    ).format(size=size // 1024, limit=limit // 1024)


WRONG_TYPE = N_("❌ Please send the program as a YAML text file (.yaml or .yml). Nothing was saved.")
