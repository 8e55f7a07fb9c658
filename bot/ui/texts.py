"""Every user-facing string. HTML parse mode: anything taken from a user is escaped with `esc`."""

from __future__ import annotations

from html import escape

from telegram import BotCommand

from bot.ui.fit import ECHO_LIMIT, echo


def esc(value: object) -> str:
    """Escape user-provided text for Telegram's HTML parse mode."""
    return escape(str(value), quote=False)


def quoted(value: object, limit: int = ECHO_LIMIT) -> str:
    """User text quoted the one way the bot quotes (“…”): one line, shortened to `limit`, escaped."""
    return f"“{echo(str(value), limit)}”"


# (command, description, shown in the menu) - the single list behind /help and setMyCommands.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Start or restart the bot"),
    ("settings", "Time zone, reminders, units, rest timer, bar and plates"),
    ("reminders", "Daily reminder: on, off or a time (/reminders 07:30)"),
    ("programs", "Browse training programs and enroll"),
    ("today", "Today's workouts in your programs"),
    ("workout", "Back to the workout in progress"),
    ("log", "Log a workout without a program (/log yesterday)"),
    ("routines", "Your saved workouts: start, rename, share"),
    ("plates", "Plates for each side of the bar: /plates 100"),
    ("exercises", "The exercises, and your own (/exercise new NAME)"),
    ("pause", "Pause a program you follow"),
    ("resume", "Resume a paused program"),
    ("quit", "Quit a program (your logged workouts are kept)"),
    ("coaches", "Your coaches (leave one)"),
    ("history", "Your past workouts; correct or add a set"),
    ("records", "Personal records per exercise"),
    ("progress", "Charts: /progress squat, adherence, effort"),
    ("tm", "Training maxes for percent programs (/tm squat 140)"),
    ("measure", "Log body weight, body fat, waist..."),
    ("measurements", "Your measurements and their charts"),
    ("export", "Download all your data (CSV in a zip)"),
    ("import", "Import your history from Strong, Hevy or FitNotes"),
    ("deleteme", "Delete your account and all its data"),
    ("help", "What the bot can do"),
)


def bot_commands() -> list[BotCommand]:
    return [BotCommand(command, description) for command, description in COMMANDS]


def help_text() -> str:
    lines = ["<b>Commands</b>"]
    lines += [f"/{command} - {esc(description)}" for command, description in COMMANDS]
    return "\n".join(lines)


PRIVATE_ONLY = "Let's talk in private: open a chat with me and send /start there."
APOLOGY = "😕 Sorry, something went wrong on my side. Nothing you logged is lost - please try again."
STALE_BUTTON = "This button is no longer valid."
UNKNOWN_COMMAND = "I don't know that command. Send /help to see what I can do."
