"""Every user-facing string. HTML parse mode: anything taken from a user is escaped with `esc`."""

from __future__ import annotations

from html import escape

from telegram import BotCommand

from bot.i18n import N_, _
from bot.ui.fit import ECHO_LIMIT, echo


def esc(value: object) -> str:
    """Escape user-provided text for Telegram's HTML parse mode."""
    return escape(str(value), quote=False)


def quoted(value: object, limit: int = ECHO_LIMIT) -> str:
    """User text quoted the one way the bot quotes (“…”): one line, shortened to `limit`, escaped."""
    return f"“{echo(str(value), limit)}”"


# (command, description) - the single list behind /help and setMyCommands; descriptions are translated
# where they are shown (`bot_commands`, `help_text`), in the locale of the moment.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Start or restart the bot")),
    ("settings", N_("Time zone, reminders, units, rest timer, bar and plates")),
    ("language", N_("Language: English or Russian")),
    ("reminders", N_("Daily reminder: on, off or a time (/reminders 07:30)")),
    ("programs", N_("Browse training programs and enroll")),
    ("today", N_("Today's workouts in your programs")),
    ("workout", N_("Back to the workout in progress")),
    ("log", N_("Log a workout without a program (/log yesterday)")),
    ("routines", N_("Your saved workouts: start, rename, share")),
    ("plates", N_("Plates for each side of the bar: /plates 100")),
    ("exercises", N_("The exercises, and your own (/exercise new NAME)")),
    ("pause", N_("Pause a program you follow")),
    ("resume", N_("Resume a paused program")),
    ("quit", N_("Quit a program (your logged workouts are kept)")),
    ("coaches", N_("Your coaches (leave one)")),
    ("history", N_("Your past workouts; correct or add a set")),
    ("records", N_("Personal records per exercise")),
    ("progress", N_("Charts: /progress squat, adherence, effort")),
    ("tm", N_("Training maxes for percent programs (/tm squat 140)")),
    ("measure", N_("Log body weight, body fat, waist...")),
    ("measurements", N_("Your measurements and their charts")),
    ("export", N_("Download all your data (CSV in a zip)")),
    ("import", N_("Import your history from Strong, Hevy or FitNotes")),
    ("deleteme", N_("Delete your account and all its data")),
    ("help", N_("What the bot can do")),
)


def bot_commands() -> list[BotCommand]:
    """Everyone's command menu in the current locale."""
    return [BotCommand(command, _(description)) for command, description in COMMANDS]


def help_text() -> str:
    lines = ["<b>" + _("Commands") + "</b>"]
    lines += [f"/{command} - {esc(_(description))}" for command, description in COMMANDS]
    return "\n".join(lines)


# The bot's profile (setMyDescription: the empty chat's "What can this bot do?"; setMyShortDescription:
# the profile page and shared links), registered for each language at startup.
DESCRIPTION = N_(
    "I help you follow a training program and log every workout: sets, reps, weights and how it felt. "
    "Reminders, records, progress charts, and your coach in the loop. Press Start to begin."
)
SHORT_DESCRIPTION = N_("Follow a training program, log your workouts, see your progress.")

PRIVATE_ONLY = N_("Let's talk in private: open a chat with me and send /start there.")
APOLOGY = N_("😕 Sorry, something went wrong on my side. Nothing you logged is lost - please try again.")
STALE_BUTTON = N_("This button is no longer valid.")
UNKNOWN_COMMAND = N_("I don't know that command. Send /help to see what I can do.")
