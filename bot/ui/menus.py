"""The command menu and /help of each role: everyone's commands, then the coach's, then the admin's.

Descriptions are translated in the locale of the moment: the menus of each language are built inside
`use_locale` (bot.app registers them per language at startup; a coach's chat gets its list in their language).
"""

from __future__ import annotations

from telegram import BotCommand

from bot.db.enums import Role
from bot.i18n import _
from bot.ui import coaching, texts


def _extra(role: Role) -> tuple[tuple[str, str], ...]:
    if role == Role.TRAINEE:
        return ()
    return coaching.COACH_COMMANDS + (coaching.ADMIN_COMMANDS if role == Role.ADMIN else ())


def commands_for(role: Role) -> list[BotCommand]:
    """The menu of a chat: the default list for trainees, more for coaches and admins."""
    return texts.bot_commands() + [BotCommand(command, _(text)) for command, text in _extra(role)]


def _section(title: str, commands: tuple[tuple[str, str], ...]) -> list[str]:
    return ["", f"<b>{title}</b>"] + [f"/{command} - {texts.esc(_(text))}" for command, text in commands]


def help_text(role: Role) -> str:
    """/help: the same commands as the role's menu, grouped."""
    lines = [texts.help_text()]
    if role in (Role.COACH, Role.ADMIN):
        lines += _section(_("Coach commands"), coaching.COACH_COMMANDS)
    if role == Role.ADMIN:
        lines += _section(_("Admin commands"), coaching.ADMIN_COMMANDS)
    return "\n".join(lines)
