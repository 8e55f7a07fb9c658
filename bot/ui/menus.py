"""The command menu and /help of each role: everyone's commands, then the coach's, then the admin's."""

from __future__ import annotations

from telegram import BotCommand

from bot.db.enums import Role
from bot.ui import coaching, texts


def commands_for(role: Role) -> list[BotCommand]:
    """The menu of a chat: the default list for trainees, more for coaches and admins."""
    if role == Role.TRAINEE:
        return texts.bot_commands()
    return coaching.commands_for(role == Role.ADMIN)


def _section(title: str, commands: tuple[tuple[str, str], ...]) -> list[str]:
    return ["", f"<b>{title}</b>"] + [f"/{command} - {texts.esc(text)}" for command, text in commands]


def help_text(role: Role) -> str:
    """/help: the same commands as the role's menu, grouped."""
    lines = [texts.help_text()]
    if role in (Role.COACH, Role.ADMIN):
        lines += _section("Coach commands", coaching.COACH_COMMANDS)
    if role == Role.ADMIN:
        lines += _section("Admin commands", coaching.ADMIN_COMMANDS)
    return "\n".join(lines)
